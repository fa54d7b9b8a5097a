import { describe, expect, it } from 'vitest';
import { NEW_POLICY_V1 } from '../questionnaire/templates';
import { UNANSWERED_CALLS_BEFORE_LETTER, computeOutcome, nextContactStep, sortAttempts, type ContactAttempt } from './index';
import { attempt } from './testkit';

/** The outcome of a visit that reached nobody, after these attempts. */
function notReached(attempts: ContactAttempt[], unableReason?: string) {
  return computeOutcome({
    template: NEW_POLICY_V1,
    productType: 'traditional',
    answers: {},
    attempts,
    ...(unableReason ? { unableReason } : {}),
  });
}

describe('fallback ladder (重庆…办法 第六条)', () => {
  it('no attempt yet: phone first', () => {
    const o = notReached([]);
    expect(o.status).toBe('not_completed');
    expect(o.nextStep?.action).toBe('phone');
  });

  it(`not answered: phone again until ${UNANSWERED_CALLS_BEFORE_LETTER} unanswered calls, then letter or home visit`, () => {
    expect(UNANSWERED_CALLS_BEFORE_LETTER).toBe(3);
    const calls: ContactAttempt[] = [];
    for (let n = 1; n < UNANSWERED_CALLS_BEFORE_LETTER; n++) {
      calls.push(attempt('phone', 'not_answered'));
      const o = notReached(calls);
      expect(o.nextStep?.action).toBe('phone_again');
      expect(o.nextStep?.explanation).toContain(`已 ${n} 次电话无人接听`);
      expect(o.categories).toEqual([]);
    }
    calls.push(attempt('phone', 'not_answered'));
    const o = notReached(calls);
    expect(o.nextStep?.action).toBe('letter_or_home_visit');
    expect(o.nextStep?.explanation).toContain('信函回访、上门回访');
  });

  it('wrong number: correct the number and phone again; counted as 信息错误', () => {
    const o = notReached([attempt('phone', 'wrong_number', { phone: '13800000000' })]);
    expect(o.nextStep?.action).toBe('correct_number_and_phone');
    expect(o.nextStep?.explanation).toContain('补正投保人联系电话后再次进行电话回访');
    expect(o.categories).toEqual(['wrong_info']);
  });

  it('the corrected number is wrong too: letter or home visit', () => {
    const o = notReached([
      attempt('phone', 'wrong_number', { phone: '13800000000' }),
      attempt('phone', 'wrong_number', { phone: '13900000000' }),
    ]);
    expect(o.nextStep?.action).toBe('letter_or_home_visit');
    expect(o.nextStep?.explanation).toContain('补正后的电话号码仍然错误');
  });

  it('the same wrong number dialled again: still asks to correct it', () => {
    const o = notReached([
      attempt('phone', 'wrong_number', { phone: '13800000000' }),
      attempt('phone', 'wrong_number', { phone: '13800000000' }),
    ]);
    expect(o.nextStep?.action).toBe('correct_number_and_phone');
    expect(o.nextStep?.explanation).toContain('仍未补正');
  });

  it('corrected number not answered: phone again, then letter after the threshold', () => {
    const a = [attempt('phone', 'wrong_number', { phone: '1' }), attempt('phone', 'not_answered', { phone: '2' })];
    expect(notReached(a).nextStep?.action).toBe('phone_again');
    a.push(attempt('phone', 'not_answered'), attempt('phone', 'not_answered'));
    expect(notReached(a).nextStep?.action).toBe('letter_or_home_visit');
  });

  it('dialect: letter or home visit, or an authorised family member', () => {
    const o = notReached([attempt('phone', 'dialect')]);
    expect(o.nextStep?.action).toBe('letter_or_home_visit');
    expect(o.nextStep?.explanation).toContain('授权');
    expect(o.categories).toEqual([]);
  });

  it('refused on the phone: letter or home visit', () => {
    expect(notReached([attempt('phone', 'refused')]).nextStep?.action).toBe('letter_or_home_visit');
  });

  it.each([
    ['letter', 'not_answered'],
    ['home_visit', 'not_answered'],
    ['home_visit', 'refused'],
    ['home_visit', 'dialect'],
  ] as const)('%s %s: record the reason', (method, outcome) => {
    const o = notReached([attempt('phone', 'dialect'), attempt(method, outcome)]);
    expect(o.nextStep?.action).toBe('record_reason');
    expect(o.nextStep?.explanation).toContain('不能完成回访的原因');
  });

  it('a returned letter (wrong address) is 信息错误 and ends the ladder', () => {
    const o = notReached([attempt('phone', 'dialect'), attempt('letter', 'wrong_number')]);
    expect(o.nextStep?.action).toBe('record_reason');
    expect(o.categories).toEqual(['wrong_info']);
  });

  it('once the reason is recorded there is nothing left to do', () => {
    const o = notReached([attempt('phone', 'dialect'), attempt('home_visit', 'not_answered')], '投保人常年在外务工，家人无法联系');
    expect(o.status).toBe('not_completed');
    expect(o.nextStep).toBeUndefined();
    expect(o.reasons.join('')).toContain('不能完成回访的原因：投保人常年在外务工');
  });

  it('a reason recorded too early does not skip the ladder', () => {
    expect(notReached([attempt('phone', 'not_answered')], '联系不上').nextStep?.action).toBe('phone_again');
  });

  it('booked: keep the appointment', () => {
    const o = notReached([attempt('phone', 'not_answered'), attempt('home_visit', 'booked', { appointmentAt: '2024-03-06T15:00:00+08:00' })]);
    expect(o.nextStep?.action).toBe('keep_appointment');
    expect(o.nextStep?.explanation).toContain('2024-03-06 15:00');
    expect(o.nextStep?.explanation).toContain('上门回访');
  });

  it('an SMS does not replace a call', () => {
    expect(notReached([attempt('sms', 'not_answered')]).nextStep?.action).toBe('phone');
    expect(notReached([attempt('sms', 'wrong_number')]).nextStep?.action).toBe('correct_number_and_phone');
    // after calls, an SMS reminder does not change the step the calls reached
    const calls = [attempt('phone', 'not_answered'), attempt('phone', 'not_answered'), attempt('phone', 'not_answered')];
    expect(notReached([...calls, attempt('sms', 'not_answered')]).nextStep?.action).toBe('letter_or_home_visit');
  });

  it('a new number found after a letter goes back to the phone steps', () => {
    const o = notReached([attempt('letter', 'wrong_number'), attempt('phone', 'not_answered')]);
    expect(o.nextStep?.action).toBe('phone_again');
  });

  it('attempts are judged in time order, not in the order recorded', () => {
    const early = { ...attempt('phone', 'wrong_number'), at: '2024-03-01T09:00:00+08:00' };
    const late = { ...attempt('phone', 'not_answered'), at: '2024-03-02T09:00:00+08:00' };
    expect(sortAttempts([late, early])).toEqual([early, late]);
    expect(nextContactStep([late, early])?.action).toBe('phone_again');
  });

  it('explanations cite the rule', () => {
    for (const a of [[], [attempt('phone', 'wrong_number')], [attempt('letter', 'not_answered')]]) {
      expect(nextContactStep(a)?.explanation).toContain('第六条');
    }
  });
});
