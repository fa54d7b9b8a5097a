import { nextContactStep, type ContactAttempt } from '../outcome';
import type { TaskStatus } from './tasks';

export interface TaskStatusFacts {
  assigned: boolean;
  /** Appointments still scheduled (not cancelled or done). */
  scheduledAppointments: number;
  attempts: readonly ContactAttempt[];
  unableReason: string | null;
  /** The visit record, once one exists (the visit forms come in a later step). */
  visit?: { finalised: boolean; outcome: 'success' | 'problem' | 'not_completed' | 'incomplete'; countersigned: boolean } | undefined;
  /**
   * The task's problem cases: 'open' while any is being worked (the task stays 问题件 even after a
   * second visit), 'closed' once all are closed (结案); undefined when it has none.
   */
  problemCase?: 'open' | 'closed' | undefined;
}

/**
 * A task's status follows from what happened to it; it is never set by hand, so no step can be
 * skipped (a task cannot be 已完成 without a finalised, countersigned visit).
 */
export function deriveTaskStatus(f: TaskStatusFacts): TaskStatus {
  if (f.visit?.finalised) {
    if (f.problemCase === 'open' || (f.visit.outcome === 'problem' && f.problemCase !== 'closed')) return 'problem';
    return f.visit.countersigned ? 'done' : 'to_countersign';
  }
  // Every method failed and the reason is recorded: nothing is left to try (重庆…办法 第六条).
  if (f.attempts.length > 0 && f.unableReason && nextContactStep(f.attempts, f.unableReason) === undefined) return 'failed';
  if (f.scheduledAppointments > 0) return 'booked';
  if (f.attempts.length > 0 || f.visit) return 'in_progress';
  return f.assigned ? 'to_contact' : 'unassigned';
}
