/**
 * Every action written to the audit log, so main's writer and the administrator's screen agree.
 * Personal data never goes into an entry's detail; see electron/audit/audit-log.ts.
 */
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
  'problem_opened',
  'problem_assigned',
  'problem_explained',
  'problem_second_visit',
  'problem_closed',
  'problem_reopened',
  'problem_escalated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
