import type { ApiError } from '../../../../shared/api/envelope';
import type { Role } from '../../../../shared/domain/roles';
import { AUDIT_ACTIONS, type AuditAction } from '../../../../shared/domain/audit-actions';
import type { MessageKey } from '../../i18n/messages';

/**
 * "2026-11-25T01:02:03.000Z" → "2026-11-25 09:02:03", at the branch's +08:00 whatever the PC's
 * time zone: the audit filter's dates are the branch's calendar days too.
 */
export function branchTime(iso: string | null | undefined, seconds = true): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const text = new Date(ms + 8 * 3_600_000).toISOString().replace('T', ' ');
  return text.slice(0, seconds ? 19 : 16);
}

export const ROLE_KEYS: Record<Role, MessageKey> = {
  staff: 'account.role.staff',
  sales: 'account.role.sales',
  manager: 'account.role.manager',
  admin: 'account.role.admin',
};

/**
 * The message to show above a form after main refused it: nothing when main's message only sums
 * up the field messages already placed beside their fields, else main's own words (they explain
 * more, e.g. why a sales rep needs a 工号).
 */
export function formLevelMessage(error: ApiError, placed: string | null): string | null {
  if (placed) return placed;
  const issues = error.issues ?? [];
  return issues.length > 0 && issues.every((i) => error.message.includes(i.message)) ? null : error.message;
}

/** The label of each audit action ('audit.action.<action>' in the messages). */
export const ACTION_KEYS = Object.fromEntries(AUDIT_ACTIONS.map((a) => [a, `audit.action.${a}` satisfies MessageKey])) as Record<AuditAction, MessageKey>;



/** The label's key, or null for an action this renderer does not know (shown as its code). */
export function actionKey(action: string): MessageKey | null {
  return Object.hasOwn(ACTION_KEYS, action) ? ACTION_KEYS[action as AuditAction] : null;
}

const OBJECT_KEYS: Record<string, MessageKey> = { user: 'audit.object.user', visit: 'audit.object.visit', customer: 'audit.object.customer' };

export function objectKey(type: string): MessageKey | null {
  return Object.hasOwn(OBJECT_KEYS, type) ? OBJECT_KEYS[type]! : null;
}
