import type { ApiError } from '../../../../shared/api/envelope';
import type { ProblemCaseRow, ProblemEvent, ProblemResolution, ProblemState } from '../../../../shared/api/contract';
import type { MessageKey } from '../../i18n/messages';

export const STATE_KEYS: Record<ProblemState, MessageKey> = {
  open: 'problems.state.open',
  explained: 'problems.state.explained',
  closed: 'problems.state.closed',
  reopened: 'problems.state.reopened',
};
export const STATE_COLORS: Record<ProblemState, string> = { open: 'volcano', explained: 'blue', closed: 'green', reopened: 'orange' };

export const RESOLUTION_KEYS: Record<ProblemResolution, MessageKey> = {
  explained_accepted: 'problems.resolution.explained_accepted',
  surrender_cooling_off: 'problems.resolution.surrender_cooling_off',
  complaint_transferred: 'problems.resolution.complaint_transferred',
  other: 'problems.resolution.other',
};

export const EVENT_KEYS: Record<ProblemEvent, MessageKey> = {
  opened: 'problems.event.opened',
  assigned: 'problems.event.assigned',
  explained: 'problems.event.explained',
  second_visit: 'problems.event.second_visit',
  closed: 'problems.event.closed',
  reopened: 'problems.event.reopened',
  escalated: 'problems.event.escalated',
};
export const EVENT_COLORS: Record<ProblemEvent, string> = {
  opened: 'red',
  assigned: 'blue',
  explained: 'blue',
  second_visit: 'blue',
  closed: 'green',
  reopened: 'orange',
  escalated: 'red',
};

export const DUE_KEYS: Record<NonNullable<ProblemCaseRow['dueState']>, MessageKey> = { overdue: 'problems.due.overdue', soon: 'problems.due.soon' };
export const DUE_COLORS: Record<NonNullable<ProblemCaseRow['dueState']>, string> = { overdue: 'red', soon: 'gold' };

/**
 * Main's message for the form's alert. Field issues go beside their fields; the alert still
 * shows main's sentence unless it only repeats them (e.g. the refusal naming the sales agent
 * and the policy stays visible while the field says 不能指派给本单业务员).
 */
export function alertText(error: ApiError, placedAll: boolean): string | null {
  if (error.code === 'invalid_input' && placedAll && error.issues?.length) return null;
  return error.message;
}
