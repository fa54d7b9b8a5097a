import { describe, expect, it } from 'vitest';
import { NEW_POLICY_V1 } from '../questionnaire/templates';
import { outcomeInputSchema, parseOutcomeInput } from './index';
import { allExpected, attempt } from './testkit';

const CHINESE = /[\u4e00-\u9fff]/;

function valid(): Record<string, unknown> {
  return {
    template: NEW_POLICY_V1,
    productType: 'participating',
    respondent: { kind: 'in_person' },
    answers: allExpected(NEW_POLICY_V1, 'participating'),
    attempts: [attempt('phone', 'reached')],
  };
}

function issues(data: unknown) {
  const r = parseOutcomeInput(data);
  if (r.ok) throw new Error('expected invalid input');
  for (const i of r.issues) expect(i.message).toMatch(CHINESE);
  return r.issues;
}

describe('outcome input schema', () => {
  it('accepts a complete visit', () => {
    const r = parseOutcomeInput(valid());
    expect(r.ok).toBe(true);
  });

  it('accepts a family member with relationship, reason and authorisation', () => {
    const d = { ...valid(), respondent: { kind: 'family_member', relationship: 'spouse', reason: 'hearing', authorisation: 'written' } };
    expect(parseOutcomeInput(d).ok).toBe(true);
  });

  it('requires relationship and authorisation for a family member', () => {
    const got = issues({ ...valid(), respondent: { kind: 'family_member', reason: 'dialect' } });
    expect(got).toEqual([
      { path: 'respondent.relationship', message: '缺少与投保人的关系' },
      { path: 'respondent.authorisation', message: '缺少授权方式' },
    ]);
  });

  it('requires the details when the reason or relationship is "other"', () => {
    const got = issues({
      ...valid(),
      respondent: { kind: 'family_member', relationship: 'other', reason: 'other', authorisation: 'written' },
    });
    expect(got.map((i) => i.path)).toEqual(['respondent.relationshipNote', 'respondent.reasonNote']);
  });

  it('rejects an unknown respondent kind', () => {
    const got = issues({ ...valid(), respondent: { kind: 'neighbour' } });
    expect(got[0]?.path).toBe('respondent.kind');
    expect(got[0]?.message).toContain('本人');
  });

  it('rejects answers other than yes / no / unclear', () => {
    const got = issues({ ...valid(), answers: { knows_purchase: { first: 'maybe' } } });
    expect(got[0]?.path).toBe('answers.knows_purchase.first');
    expect(got[0]?.message).toContain('回答「maybe」无效');
  });

  it('rejects answers to questions the template does not have', () => {
    const got = issues({ ...valid(), answers: { ...allExpected(NEW_POLICY_V1), favourite_colour: { first: 'yes' } } });
    expect(got).toEqual([expect.objectContaining({ path: 'answers.favourite_colour' })]);
  });

  it('rejects answers when nobody was reached', () => {
    const got = issues({ ...valid(), attempts: [attempt('phone', 'not_answered')] });
    expect(got).toEqual([expect.objectContaining({ path: 'attempts' })]);
  });

  it('rejects outcomes a method cannot have', () => {
    const got = issues({ ...valid(), attempts: [attempt('phone', 'reached'), attempt('sms', 'reached'), attempt('letter', 'dialect')] });
    expect(got.map((i) => i.path)).toEqual(['attempts.1.outcome', 'attempts.2.outcome']);
    expect(got[0]?.message).toContain('短信联系的结果只能是');
  });

  it('rejects a bad time and an appointment without booking', () => {
    const got = issues({
      ...valid(),
      attempts: [
        { method: 'phone', outcome: 'reached', at: '2024-03-04 09:30' },
        { method: 'phone', outcome: 'not_answered', at: '2024-03-04T09:00:00+08:00', appointmentAt: '2024-03-05T09:00:00+08:00' },
      ],
    });
    expect(got.map((i) => i.path)).toEqual(['attempts.0.at', 'attempts.1.appointmentAt']);
    expect(got[0]?.message).toContain('联系时间应为日期时间');
  });

  it('rejects an unknown method, a missing time and unknown fields', () => {
    const got = issues({ ...valid(), attempts: [attempt('phone', 'reached'), { method: 'fax', outcome: 'reached', extra: 1 }] });
    expect(got.map((i) => i.path)).toEqual(['attempts.1.method', 'attempts.1.at', 'attempts.1']);
  });

  it('checks findings', () => {
    const got = issues({ ...valid(), findings: [{ category: 'rude', note: '' }] });
    expect(got.map((i) => i.path)).toEqual(['findings.0.category', 'findings.0.note']);
    expect(got[1]?.message).toBe('问题说明不能为空');
  });

  it('checks the embedded template too', () => {
    const got = issues({ ...valid(), template: { ...NEW_POLICY_V1, version: 0 } });
    expect(got[0]?.path).toBe('template.version');
  });

  it('gives Chinese messages without a per-parse map (e.g. in a form resolver)', () => {
    const r = outcomeInputSchema.safeParse({ ...valid(), productType: 'dividend', attempts: 'x' });
    expect(r.success).toBe(false);
    for (const i of r.error?.issues ?? []) expect(i.message).toMatch(CHINESE);
  });
});
