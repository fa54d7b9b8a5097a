import { describe, expect, it } from 'vitest';
import { deriveTaskStatus, type TaskStatusFacts } from './task-status';

const base: TaskStatusFacts = { assigned: false, scheduledAppointments: 0, attempts: [], unableReason: null };
const call = (outcome: 'not_answered' | 'wrong_number' | 'reached' | 'booked', at = '2026-11-20T10:00:00+08:00') => ({ method: 'phone' as const, outcome, at });

describe('deriveTaskStatus', () => {
  it('walks 待分配 → 待联系 → 进行中 → 已预约 from what happened', () => {
    expect(deriveTaskStatus(base)).toBe('unassigned');
    expect(deriveTaskStatus({ ...base, assigned: true })).toBe('to_contact');
    expect(deriveTaskStatus({ ...base, assigned: true, attempts: [call('not_answered')] })).toBe('in_progress');
    expect(deriveTaskStatus({ ...base, assigned: true, attempts: [call('booked')], scheduledAppointments: 1 })).toBe('booked');
  });

  it('is 不成功 only once phone, letter or home visit failed and the reason is recorded', () => {
    const attempts = [call('not_answered'), call('not_answered'), call('not_answered'), { method: 'home_visit' as const, outcome: 'not_answered' as const, at: '2026-11-22T10:00:00+08:00' }];
    expect(deriveTaskStatus({ ...base, assigned: true, attempts })).toBe('in_progress');
    expect(deriveTaskStatus({ ...base, assigned: true, attempts, unableReason: '地址已拆迁，多方联系无果' })).toBe('failed');
    // A reason typed after a single unanswered call does not skip the fallbacks.
    expect(deriveTaskStatus({ ...base, assigned: true, attempts: [call('not_answered')], unableReason: '联系不上' })).toBe('in_progress');
  });

  it('follows the visit record once finalised', () => {
    const visit = { finalised: true, outcome: 'success' as const, countersigned: false };
    expect(deriveTaskStatus({ ...base, assigned: true, visit })).toBe('to_countersign');
    expect(deriveTaskStatus({ ...base, assigned: true, visit: { ...visit, countersigned: true } })).toBe('done');
    expect(deriveTaskStatus({ ...base, assigned: true, visit: { ...visit, outcome: 'problem' } })).toBe('problem');
    expect(deriveTaskStatus({ ...base, assigned: true, visit: { ...visit, finalised: false, outcome: 'incomplete' } })).toBe('in_progress');
  });

  it('stays 问题件 while its problem case is worked, even after a successful second visit, and leaves it at 结案', () => {
    const problem = { finalised: true, outcome: 'problem' as const, countersigned: true };
    const second = { finalised: true, outcome: 'success' as const, countersigned: false };
    expect(deriveTaskStatus({ ...base, assigned: true, visit: problem, problemCase: 'open' })).toBe('problem');
    expect(deriveTaskStatus({ ...base, assigned: true, visit: second, problemCase: 'open' })).toBe('problem');
    expect(deriveTaskStatus({ ...base, assigned: true, visit: problem, problemCase: 'closed' })).toBe('done');
    expect(deriveTaskStatus({ ...base, assigned: true, visit: second, problemCase: 'closed' })).toBe('to_countersign');
  });
});
