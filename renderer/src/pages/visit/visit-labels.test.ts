import { describe, expect, it } from 'vitest';
import type { TaskDetail, VisitView } from '../../../../shared/api/contract';
import { NEW_POLICY_V1, renderQuestionText } from '../../../../shared/questionnaire';
import { describeRespondent, placeholderValues, questionsOf, returnOf, stepOfIssue } from './visit-labels';

const view = {
  kind: 'new_policy',
  productType: 'participating',
  template: NEW_POLICY_V1,
  sheet: { customerName: '罗芳伟', policyNo: 'P1', phone: '18570707285', place: '重庆市渝中区解放碑' },
} as unknown as VisitView;

describe('the visit screen helpers', () => {
  it('fills the script from the policy and leaves what is unknown for the visitor to read off the policy', () => {
    const detail = {
      customer: { address: '重庆市渝中区解放碑步行街153号' },
      policy: { productName: '鑫福年年两全保险（分红型）', premiumCents: 4_870_000, payYears: 10, coveragePeriod: '30年', policyNo: 'P1', coolingOffDays: 15 },
    } as unknown as TaskDetail;
    const values = placeholderValues(view, detail, '济南中心支公司');
    expect(renderQuestionText('每期{premium}元，缴费年限{paymentYears}，犹豫期{coolingOffDays}天', values)).toBe('每期48,700.00元，缴费年限10年，犹豫期15天');
    // What is unknown stays for the visitor to read off the policy.
    expect(renderQuestionText('满期日{expiryDate}', values)).toBe('满期日【保单到期日】');
    expect(values.address).toBe('重庆市渝中区解放碑步行街153号');
    // Without the task the sheet still knows the name, number and phone.
    expect(placeholderValues(view, null, undefined)).toMatchObject({ applicantName: '罗芳伟', policyNo: 'P1', phone: '18570707285' });
  });

  it('sends each blocker to the step (and question) where it is fixed', () => {
    const qs = questionsOf(view);
    expect(qs.some((q) => q.id === 'dividends_not_guaranteed')).toBe(true);
    expect(qs.some((q) => q.id === 'returns_uncertain')).toBe(false);
    const i = qs.findIndex((q) => q.id === 'payment_years');
    expect(stepOfIssue(view, { path: 'answers.payment_years', message: '' })).toEqual({ step: 'questions', questionIndex: i });
    expect(stepOfIssue(view, { path: 'sheet.summary', message: '' })).toEqual({ step: 'sheet' });
    expect(stepOfIssue(view, { path: 'signatures.staff', message: '' })).toEqual({ step: 'outcome' });
    expect(stepOfIssue(view, { path: 'visitedAt', message: '' })).toEqual({ step: 'respondent' });
  });

  it('words the respondent for the sheet', () => {
    expect(describeRespondent({ kind: 'in_person' }, '罗芳伟')).toBe('罗芳伟（本人）');
    expect(
      describeRespondent({ kind: 'family_member', name: '李燕琳', relationship: 'spouse', reason: 'hearing', authorisation: 'written' }, '罗芳伟'),
    ).toBe('李燕琳（投保人配偶，经授权代答：听力较差；投保人书面授权）');
  });

  it('tells a return of this version from the return a correction answers', () => {
    const returned = { managerName: '刘洋', returnedAt: '2026-11-25T03:00:00.000Z', reason: '受访人职务未填', by: 'manager' as const };
    // The first version, sent back: it is the one to correct.
    expect(returnOf({ returned, previousId: null, state: 'finalised', finalisedAt: '2026-11-25T02:00:00.000Z' })?.which).toBe('this');
    // Its correction carries the reason it corrects, as a draft and once finalised.
    expect(returnOf({ returned, previousId: 11, state: 'draft', finalisedAt: null })?.which).toBe('previous');
    expect(returnOf({ returned, previousId: 11, state: 'finalised', finalisedAt: '2026-11-25T04:00:00.000Z' })?.which).toBe('previous');
    // A correction returned in its turn (after it was finalised).
    expect(returnOf({ returned: { ...returned, returnedAt: '2026-11-25T05:00:00.000Z' }, previousId: 11, state: 'finalised', finalisedAt: '2026-11-25T04:00:00.000Z' })?.which).toBe('this');
    expect(returnOf({ returned: null, previousId: null, state: 'finalised', finalisedAt: '2026-11-25T02:00:00.000Z' })).toBeNull();
  });
});
