import type { ApiError } from '../../../../shared/api/envelope';
import type { Role } from '../../../../shared/domain/roles';
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

/** Every action main writes to the audit log (electron/audit/audit-log.ts AuditAction). */
export const AUDIT_ACTIONS = [
  'sign_in',
  'sign_in_failed',
  'account_locked',
  'visit_finalised',
  'visit_corrected',
  'visit_countersigned',
  'visit_returned',
  'import',
  'calendar_loaded',
  'template_imported',
  'account_created',
  'account_updated',
  'account_disabled',
  'password_reset',
  'password_changed',
  'pii_revealed',
  'record_printed',
  'export',
  'audit_verified',
  'sync_sent',
  'problem_opened',
  'problem_assigned',
  'problem_explained',
  'problem_second_visit',
  'problem_closed',
  'problem_reopened',
  'problem_escalated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const ACTION_KEYS: Record<AuditAction, MessageKey> = {
  sign_in: 'audit.action.sign_in',
  sign_in_failed: 'audit.action.sign_in_failed',
  account_locked: 'audit.action.account_locked',
  visit_finalised: 'audit.action.visit_finalised',
  visit_corrected: 'audit.action.visit_corrected',
  visit_countersigned: 'audit.action.visit_countersigned',
  visit_returned: 'audit.action.visit_returned',
  import: 'audit.action.import',
  calendar_loaded: 'audit.action.calendar_loaded',
  template_imported: 'audit.action.template_imported',
  account_created: 'audit.action.account_created',
  account_updated: 'audit.action.account_updated',
  account_disabled: 'audit.action.account_disabled',
  password_reset: 'audit.action.password_reset',
  password_changed: 'audit.action.password_changed',
  pii_revealed: 'audit.action.pii_revealed',
  record_printed: 'audit.action.record_printed',
  export: 'audit.action.export',
  audit_verified: 'audit.action.audit_verified',
  sync_sent: 'audit.action.sync_sent',
  problem_opened: 'audit.action.problem_opened',
  problem_assigned: 'audit.action.problem_assigned',
  problem_explained: 'audit.action.problem_explained',
  problem_second_visit: 'audit.action.problem_second_visit',
  problem_closed: 'audit.action.problem_closed',
  problem_reopened: 'audit.action.problem_reopened',
  problem_escalated: 'audit.action.problem_escalated',
};

/** The label's key, or null for an action this renderer does not know (shown as its code). */
export function actionKey(action: string): MessageKey | null {
  return Object.hasOwn(ACTION_KEYS, action) ? ACTION_KEYS[action as AuditAction] : null;
}

const OBJECT_KEYS: Record<string, MessageKey> = { user: 'audit.object.user', visit: 'audit.object.visit', customer: 'audit.object.customer' };

export function objectKey(type: string): MessageKey | null {
  return Object.hasOwn(OBJECT_KEYS, type) ? OBJECT_KEYS[type]! : null;
}
