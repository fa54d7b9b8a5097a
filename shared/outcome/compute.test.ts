import { describe, expect, it } from 'vitest';
import { visibleQuestions } from '../questionnaire/registry';
import { BUILTIN_TEMPLATES, KEY_CLIENT_V1, NEW_POLICY_V1 } from '../questionnaire/templates';
import type { ProductType } from '../questionnaire/types';
import { computeOutcome, type OutcomeInput, type Respondent } from './index';
import { allExpected, attempt, opposite, reached } from './testkit';

const inPerson: Respondent = { kind: 'in_person', name: '张三' };

function newPolicy(over: Partial<OutcomeInput> = {}, productType: ProductType = 'traditional'): OutcomeInput {
  return {
    template: NEW_POLICY_V1,
    productType,
    respondent: inPerson,
    answers: allExpected(NEW_POLICY_V1, productType),
    attempts: reached(),
    ...over,
  };
}

describe('success (山东…修订的通知 一)', () => {
  it('reached in person, every visible question answered as expected', () => {
    const o = computeOutcome(newPolicy());
    expect(o.status).toBe('success');
    expect(o.categories).toEqual([]);
    expect(o.nextStep).toBeUndefined();
    expect(o.issues).toEqual([]);
    expect(o.reasons.join('')).toContain('已回访到本人（张三）');
  });

  it.each(['traditional', 'participating', 'universal', 'unit_linked'] as const)('for a %s product', (p) => {
    expect(computeOutcome(newPolicy({}, p)).status).toBe('success');
  });

  it('ignores answers to questions hidden for the product type', () => {
    const o = computeOutcome(
      newPolicy({ answers: { ...allExpected(NEW_POLICY_V1, 'traditional'), dividends_not_guaranteed: { first: 'no' } } }),
    );
    expect(o.status).toBe('success');
  });

  it('a non-required question may stay unanswered', () => {
    const answers = allExpected(KEY_CLIENT_V1);
    delete answers.claims_service;
    const o = computeOutcome({ template: KEY_CLIENT_V1, respondent: { kind: 'in_person', position: '财务经理' }, answers, attempts: reached() });
    expect(o.status).toBe('success');
  });

  it('a re-asked answer after explanation counts, and the reason records both', () => {
    const input = newPolicy();
    input.answers.surrender_loss = { first: 'no', afterExplanation: 'yes' };
    const o = computeOutcome(input);
    expect(o.status).toBe('success');
    expect(o.reasons.join('')).toContain('首次回答「否」，经解释后确认「是」');
    expect(input.answers.surrender_loss).toEqual({ first: 'no', afterExplanation: 'yes' });
  });

  it('mentions earlier wrong numbers but keeps categories empty', () => {
    const o = computeOutcome(newPolicy({ attempts: [attempt('phone', 'wrong_number'), attempt('phone', 'reached')] }));
    expect(o.status).toBe('success');
    expect(o.categories).toEqual([]);
    expect(o.reasons.join('')).toContain('电话/地址错误');
  });

  it('a letter returned signed or a home visit also reaches the customer', () => {
    expect(computeOutcome(newPolicy({ attempts: [attempt('letter', 'reached')] })).status).toBe('success');
    expect(computeOutcome(newPolicy({ attempts: [attempt('home_visit', 'reached')] })).status).toBe('success');
  });
});

describe('authorised family member (客户回访规范与管理)', () => {
  const family: Respondent = {
    kind: 'family_member',
    name: '李四',
    relationship: 'child',
    reason: 'dialect',
    authorisation: 'verbal_recorded',
  };

  it('answers count as the applicant’s', () => {
    const o = computeOutcome(newPolicy({ respondent: family }));
    expect(o.status).toBe('success');
    expect(o.reasons.join('')).toContain('由其子女 李四 代为接受回访，原因：方言');
  });

  it.each(['hearing', 'illness'] as const)('reason %s', (reason) => {
    expect(computeOutcome(newPolicy({ respondent: { ...family, reason } })).status).toBe('success');
  });

  it('with an "other" reason and relationship spelled out', () => {
    const o = computeOutcome(
      newPolicy({ respondent: { ...family, relationship: 'other', relationshipNote: '儿媳', reason: 'other', reasonNote: '投保人长期卧床' } }),
    );
    expect(o.status).toBe('success');
    expect(o.reasons.join('')).toContain('由其儿媳');
    expect(o.reasons.join('')).toContain('投保人长期卧床');
  });

  it('problems found through a family member are still problems', () => {
    const input = newPolicy({ respondent: family });
    input.answers.payment_years = { first: 'no' };
    expect(computeOutcome(input)).toMatchObject({ status: 'problem', categories: ['misleading_payment_years'] });
  });

  it('without relationship or authorisation the visit is incomplete', () => {
    const bad = { kind: 'family_member', reason: 'hearing' } as unknown as Respondent;
    const o = computeOutcome(newPolicy({ respondent: bad }));
    expect(o.status).toBe('incomplete');
    expect(o.nextStep?.action).toBe('record_respondent');
    expect(o.issues.map((i) => i.path)).toEqual(['respondent.relationship', 'respondent.authorisation']);
  });

  it('"other" without the details is incomplete', () => {
    const o = computeOutcome(newPolicy({ respondent: { ...family, relationship: 'other', reason: 'other' } }));
    expect(o.status).toBe('incomplete');
    expect(o.issues.map((i) => i.path)).toEqual(['respondent.relationshipNote', 'respondent.reasonNote']);
  });

  it('no respondent recorded although reached: incomplete, categories found so far are kept', () => {
    const input = newPolicy({ respondent: undefined });
    expect(computeOutcome(input)).toMatchObject({ status: 'incomplete', categories: [], nextStep: { action: 'record_respondent' } });
    input.answers.signed_personally = { first: 'no' };
    expect(computeOutcome(input)).toMatchObject({ status: 'incomplete', categories: ['proxy_signature'] });
  });
});

describe('problem case: every category a question raises', () => {
  const PRODUCT_FOR: Record<string, ProductType> = {
    dividends_not_guaranteed: 'participating',
    returns_uncertain: 'universal',
    fees_charged: 'unit_linked',
  };
  const cases = BUILTIN_TEMPLATES.flatMap((t) => t.questions.map((q) => [`${t.id}.${q.id} → ${q.category}`, t, q] as const));

  it.each(cases)('%s', (_name, t, q) => {
    const productType = PRODUCT_FOR[q.id] ?? 'traditional';
    const answers = allExpected(t, productType);
    answers[q.id] = { first: opposite(q.expected) };
    const o = computeOutcome({ template: t, productType, respondent: inPerson, answers, attempts: reached() });
    expect(o.status).toBe('problem');
    expect(o.categories).toEqual([q.category]);
    expect(o.nextStep?.action).toBe('handle_problem_case');
    expect(o.issues).toEqual([expect.objectContaining({ path: `answers.${q.id}` })]);
  });

  it('"unclear" is not an affirmative answer', () => {
    const input = newPolicy();
    input.answers.coverage_and_exclusions = { first: 'unclear' };
    expect(computeOutcome(input)).toMatchObject({ status: 'problem', categories: ['unclear_rights'] });
  });

  it('a "no" that stays "no" after explanation stays a problem; both answers are reported', () => {
    const input = newPolicy();
    input.answers.coverage_period = { first: 'no', afterExplanation: 'unclear' };
    const o = computeOutcome(input);
    expect(o.categories).toEqual(['misleading_coverage_period']);
    expect(o.reasons.join('')).toContain('首次回答「否」，解释后回答「不清楚」');
  });

  it('an explanation cannot undo a stated proxy signature', () => {
    const input = newPolicy();
    input.answers.signed_personally = { first: 'no', afterExplanation: 'yes' };
    const o = computeOutcome(input);
    expect(o).toMatchObject({ status: 'problem', categories: ['proxy_signature'] });
    expect(o.reasons.join('')).toContain('以首次明确回答为准');
  });

  it('but a first "unclear" on the signature question may be clarified', () => {
    const input = newPolicy();
    input.answers.signed_personally = { first: 'unclear', afterExplanation: 'yes' };
    expect(computeOutcome(input).status).toBe('success');
  });

  it('categories are deduplicated and in list order, not question order', () => {
    const input = newPolicy({}, 'universal');
    input.answers.contact_correct = { first: 'no' };
    input.answers.fees_charged = { first: 'no' };
    input.answers.coverage_and_exclusions = { first: 'unclear' };
    input.answers.payment_years = { first: 'no' };
    input.answers.signed_personally = { first: 'no' };
    expect(computeOutcome(input).categories).toEqual([
      'proxy_signature',
      'misleading_payment_years',
      'unclear_rights',
      'wrong_info',
    ]);
  });

  it('explanation names the non-agent handler, the 3-working-day limit and the second visit', () => {
    const input = newPolicy();
    input.answers.cooling_off = { first: 'no' };
    const e = computeOutcome(input).nextStep?.explanation ?? '';
    expect(e).toContain('该保单销售人员除外');
    expect(e).toContain('三个工作日');
    expect(e).toContain('二次回访');
  });

  it('takes precedence over unanswered questions, which are asked at the second visit', () => {
    const input = newPolicy({ answers: { knows_purchase: { first: 'yes' }, policy_received: { first: 'yes' }, signed_personally: { first: 'no' } } });
    const o = computeOutcome(input);
    expect(o.status).toBe('problem');
    expect(o.categories).toEqual(['proxy_signature']);
    expect(o.nextStep?.explanation).toContain('补问未答');
    expect(o.issues.filter((i) => i.message.includes('尚未回答')).length).toBeGreaterThan(0);
  });
});

describe('problem case: categories recorded by the visitor', () => {
  it.each([
    ['false_info', '留存电话为业务员本人电话'],
    ['complaint', '客户要求退还手续费'],
    ['overdue_handling', '工单下达超过三个工作日未处理'],
  ] as const)('%s turns an otherwise successful visit into a problem case', (category, note) => {
    const o = computeOutcome(newPolicy({ findings: [{ category, note }] }));
    expect(o).toMatchObject({ status: 'problem', categories: [category] });
    expect(o.reasons.join('')).toContain(note);
    expect(o.issues).toEqual([expect.objectContaining({ path: 'findings.0' })]);
  });
});

describe('incomplete', () => {
  it('a required visible question is unanswered', () => {
    const answers = allExpected(NEW_POLICY_V1, 'traditional');
    delete answers.cooling_off;
    const o = computeOutcome(newPolicy({ answers }));
    expect(o.status).toBe('incomplete');
    expect(o.categories).toEqual([]);
    expect(o.nextStep?.action).toBe('continue_questions');
    expect(o.issues).toEqual([expect.objectContaining({ path: 'answers.cooling_off' })]);
  });

  it('a participating product needs the dividends question; a traditional one does not', () => {
    const answers = allExpected(NEW_POLICY_V1, 'traditional');
    expect(computeOutcome(newPolicy({ answers }, 'participating')).status).toBe('incomplete');
    expect(computeOutcome(newPolicy({ answers }, 'traditional')).status).toBe('success');
  });

  it('a new-type product needs returns and fees', () => {
    const answers = allExpected(NEW_POLICY_V1, 'participating');
    const o = computeOutcome(newPolicy({ answers }, 'unit_linked'));
    expect(o.status).toBe('incomplete');
    expect(o.issues.map((i) => i.path)).toEqual(['answers.returns_uncertain', 'answers.fees_charged']);
  });

  it('with the product type unknown, all product-specific questions are required', () => {
    const answers = allExpected(NEW_POLICY_V1, 'traditional');
    const input = newPolicy({ answers });
    delete input.productType;
    expect(computeOutcome(input).issues).toHaveLength(3);
    expect(visibleQuestions(NEW_POLICY_V1)).toHaveLength(NEW_POLICY_V1.questions.length);
  });
});

describe('not reached', () => {
  it('answers without a reached attempt do not count', () => {
    const o = computeOutcome(newPolicy({ attempts: [attempt('phone', 'not_answered')] }));
    expect(o.status).toBe('not_completed');
    expect(o.issues).toEqual([expect.objectContaining({ path: 'attempts' })]);
  });

  it('an SMS cannot complete a visit', () => {
    const o = computeOutcome(newPolicy({ attempts: [attempt('sms', 'reached')] }));
    expect(o.status).toBe('not_completed');
  });

  it('the attempt log is in the reasons', () => {
    const o = computeOutcome(newPolicy({ respondent: undefined, answers: {}, attempts: [attempt('phone', 'not_answered', { note: '关机' })] }));
    expect(o.reasons.join('\n')).toMatch(/2024-03-04 \d\d:\d\d 电话：无人接听（关机）/);
  });
});
