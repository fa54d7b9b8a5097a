import { describe, expect, it } from 'vitest';
import {
  BUILTIN_TEMPLATES,
  NEW_POLICY_V1,
  getTemplate,
  latestTemplates,
  renderQuestionText,
  selectTemplate,
  visibleQuestions,
  type QuestionnaireTemplate,
} from './index';

const ids = (t: QuestionnaireTemplate, p?: Parameters<typeof visibleQuestions>[1]) =>
  visibleQuestions(t, p).map((q) => q.id);

const PRODUCT_SPECIFIC = ['dividends_not_guaranteed', 'returns_uncertain', 'fees_charged'];

describe('visibleQuestions', () => {
  it('traditional products get none of the product-specific questions', () => {
    const v = ids(NEW_POLICY_V1, 'traditional');
    for (const id of PRODUCT_SPECIFIC) expect(v).not.toContain(id);
    expect(v).toHaveLength(NEW_POLICY_V1.questions.length - 3);
  });

  it('participating products get "dividends are not guaranteed" only', () => {
    const v = ids(NEW_POLICY_V1, 'participating');
    expect(v).toContain('dividends_not_guaranteed');
    expect(v).not.toContain('returns_uncertain');
    expect(v).not.toContain('fees_charged');
  });

  it.each(['universal', 'unit_linked'] as const)('%s (new-type) gets returns uncertain and fees charged', (p) => {
    const v = ids(NEW_POLICY_V1, p);
    expect(v).toContain('returns_uncertain');
    expect(v).toContain('fees_charged');
    expect(v).not.toContain('dividends_not_guaranteed');
  });

  it('unknown product type asks everything rather than skip a required point', () => {
    expect(ids(NEW_POLICY_V1)).toEqual(NEW_POLICY_V1.questions.map((q) => q.id));
  });

  it('keeps template order', () => {
    const v = ids(NEW_POLICY_V1, 'participating');
    expect(v.indexOf('surrender_loss')).toBeLessThan(v.indexOf('dividends_not_guaranteed'));
    expect(v.indexOf('dividends_not_guaranteed')).toBeLessThan(v.indexOf('contact_correct'));
  });
});

const NEW_POLICY_V2: QuestionnaireTemplate = { ...NEW_POLICY_V1, version: 2, name: '个人新契约回访问卷（第二版）' };
const BANK_PARTICIPATING: QuestionnaireTemplate = {
  ...NEW_POLICY_V1,
  id: 'new_policy_participating',
  productTypes: ['participating'],
};

describe('template lookup', () => {
  it('getTemplate returns the latest version unless a version is given', () => {
    const all = [...BUILTIN_TEMPLATES, NEW_POLICY_V2];
    expect(getTemplate('new_policy', undefined, all)?.version).toBe(2);
    expect(getTemplate('new_policy', 1, all)).toBe(NEW_POLICY_V1);
    expect(getTemplate('new_policy', 3, all)).toBeUndefined();
    expect(getTemplate('nope')).toBeUndefined();
    expect(getTemplate('claim')?.id).toBe('claim');
  });

  it('latestTemplates keeps one per id, the highest version, whatever the list order', () => {
    const latest = latestTemplates([NEW_POLICY_V2, ...BUILTIN_TEMPLATES]);
    expect(latest.filter((t) => t.id === 'new_policy')).toEqual([NEW_POLICY_V2]);
    expect(latest).toHaveLength(BUILTIN_TEMPLATES.length);
    expect(latestTemplates().map((t) => t.id)).toEqual(BUILTIN_TEMPLATES.map((t) => t.id));
  });

  it('selectTemplate proposes the template for each visit kind', () => {
    expect(selectTemplate('new_policy', 'traditional')).toBe('new_policy');
    expect(selectTemplate('new_policy', 'participating')).toBe('new_policy');
    expect(selectTemplate('underwriting')).toBe('underwriting');
    expect(selectTemplate('claim_closed')).toBe('claim');
    expect(selectTemplate('problem_case', 'participating')).toBe('new_policy');
    expect(selectTemplate('survival_benefit', 'participating')).toBe('survival_benefit');
    expect(selectTemplate('renewal')).toBe('renewal');
    expect(selectTemplate('key_client')).toBe('key_client');
    expect(selectTemplate('shareholder_client')).toBe('key_client');
  });

  it('prefers a template written for the product type, and only for that type', () => {
    const all = [...BUILTIN_TEMPLATES, BANK_PARTICIPATING];
    expect(selectTemplate('new_policy', 'participating', all)).toBe('new_policy_participating');
    expect(selectTemplate('new_policy', 'universal', all)).toBe('new_policy');
    expect(selectTemplate('new_policy', undefined, all)).toBe('new_policy');
  });

  it('proposes nothing when no template applies', () => {
    expect(selectTemplate('claim_closed', undefined, [NEW_POLICY_V1])).toBeUndefined();
  });
});

describe('renderQuestionText', () => {
  it('fills placeholders and marks missing ones for the visitor', () => {
    expect(renderQuestionText('保费是每期{premium}元，缴费年限{paymentYears}', { premium: 5000 })).toBe(
      '保费是每期5000元，缴费年限【缴费年限】',
    );
  });
  it('leaves unknown braces alone', () => {
    expect(renderQuestionText('{unknown}')).toBe('{unknown}');
  });
});
