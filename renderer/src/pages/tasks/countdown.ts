import { diffDays, isValidIsoDate } from '../../../../shared/dates';
import type { TaskKind, TaskStatus } from '../../../../shared/domain/tasks';

/**
 * What the countdown badge on a task says. Days are counted from the PC's own calendar date, the
 * same date main uses for the 已逾期 / N 天内到期 filters, so badge and filter never disagree.
 */
export type Countdown =
  | { kind: 'none' }
  | { kind: 'closed' }
  | { kind: 'overdue'; days: number }
  | { kind: 'dueToday' }
  /** A new policy: the days left are the rest of its cooling-off period (犹豫期). */
  | { kind: 'coolingOff'; days: number }
  | { kind: 'remaining'; days: number };

/** Statuses in which nothing is owed any more (as main's overdue query: done and awaiting countersign). */
const CLOSED: ReadonlySet<TaskStatus> = new Set(['done', 'to_countersign']);

export function countdownFor(task: { kind: TaskKind; status: TaskStatus; dueOn: string | null }, today: string): Countdown {
  if (CLOSED.has(task.status)) return { kind: 'closed' };
  if (!task.dueOn || !isValidIsoDate(task.dueOn) || !isValidIsoDate(today)) return { kind: 'none' };
  const days = diffDays(today, task.dueOn);
  if (days < 0) return { kind: 'overdue', days: -days };
  if (days === 0) return { kind: 'dueToday' };
  return task.kind === 'new_policy' ? { kind: 'coolingOff', days } : { kind: 'remaining', days };
}

/** Tag colour: red once late, orange on the day, gold in the last three days. */
export function countdownColor(c: Countdown): string {
  switch (c.kind) {
    case 'overdue':
      return 'red';
    case 'dueToday':
      return 'volcano';
    case 'coolingOff':
    case 'remaining':
      return c.days <= 3 ? 'gold' : 'blue';
    case 'closed':
    case 'none':
      return 'default';
  }
}
