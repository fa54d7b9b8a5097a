import { describe, expect, it } from 'vitest';
import { countdownColor, countdownFor } from './countdown';

const TODAY = '2026-11-25';

describe('countdownFor', () => {
  it('counts the cooling-off days left for a new policy and plain days for other kinds', () => {
    expect(countdownFor({ kind: 'new_policy', status: 'to_contact', dueOn: '2026-11-28' }, TODAY)).toEqual({ kind: 'coolingOff', days: 3 });
    expect(countdownFor({ kind: 'problem_case', status: 'to_contact', dueOn: '2026-11-27' }, TODAY)).toEqual({ kind: 'remaining', days: 2 });
  });

  it('says due today, and overdue by whole days across a month end', () => {
    expect(countdownFor({ kind: 'renewal', status: 'booked', dueOn: TODAY }, TODAY)).toEqual({ kind: 'dueToday' });
    expect(countdownFor({ kind: 'new_policy', status: 'in_progress', dueOn: '2026-10-30' }, TODAY)).toEqual({ kind: 'overdue', days: 26 });
  });

  it('shows nothing owed for finished tasks and nothing at all without a due date', () => {
    expect(countdownFor({ kind: 'new_policy', status: 'done', dueOn: '2026-10-30' }, TODAY)).toEqual({ kind: 'closed' });
    expect(countdownFor({ kind: 'new_policy', status: 'to_countersign', dueOn: '2026-10-30' }, TODAY)).toEqual({ kind: 'closed' });
    expect(countdownFor({ kind: 'new_policy', status: 'to_contact', dueOn: null }, TODAY)).toEqual({ kind: 'none' });
  });

  it('colours late tasks red and the last three days gold', () => {
    expect(countdownColor({ kind: 'overdue', days: 1 })).toBe('red');
    expect(countdownColor({ kind: 'dueToday' })).toBe('volcano');
    expect(countdownColor({ kind: 'remaining', days: 3 })).toBe('gold');
    expect(countdownColor({ kind: 'coolingOff', days: 4 })).toBe('blue');
  });
});
