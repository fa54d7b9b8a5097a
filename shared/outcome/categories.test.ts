import { describe, expect, it } from 'vitest';
import { BUILTIN_TEMPLATES } from '../questionnaire/templates';
import { PROBLEM_CATEGORIES, categoryLabel, isProblemCategory, sortCategories } from './index';

describe('problem categories', () => {
  it('have unique codes and Chinese labels', () => {
    const codes = PROBLEM_CATEGORIES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of PROBLEM_CATEGORIES) expect(c.label).toMatch(/[\u4e00-\u9fff]/);
  });

  it('include the seed’s categories (客户回访规范与管理; 山东指引 五)', () => {
    expect(categoryLabel('proxy_signature')).toBe('代签名');
    expect(categoryLabel('misleading_payment_years')).toBe('误导-缴费年限');
    expect(categoryLabel('misleading_coverage_period')).toBe('误导-保障期间');
    expect(categoryLabel('misleading_benefits')).toBe('误导-保险利益');
    expect(categoryLabel('misleading_surrender')).toBe('误导-退保');
    expect(categoryLabel('terms_not_provided')).toBe('未配条款');
    expect(categoryLabel('wrong_info')).toBe('信息错误');
    expect(categoryLabel('false_info')).toBe('提供虚假信息');
    expect(categoryLabel('unclear_rights')).toBe('不清楚保险权益');
    expect(categoryLabel('complaint')).toBe('投诉/诉求');
    expect(categoryLabel('unaware_of_purchase')).toBe('不知投保');
    expect(categoryLabel('policy_not_received')).toBe('未收到保单');
    expect(categoryLabel('overdue_handling')).toBe('问题件逾期未处理');
  });

  it('every category can be raised: by a shipped question, or recorded by the visitor as a finding', () => {
    const byQuestion = new Set(BUILTIN_TEMPLATES.flatMap((t) => t.questions.map((q) => q.category)));
    const findingOnly = PROBLEM_CATEGORIES.map((c) => c.code).filter((c) => !byQuestion.has(c));
    // These are established by the visitor, not by a yes/no answer.
    expect(findingOnly.sort()).toEqual(['false_info', 'overdue_handling']);
  });

  it('sortCategories deduplicates and uses list order', () => {
    expect(sortCategories(['wrong_info', 'proxy_signature', 'wrong_info', 'misleading_surrender'])).toEqual([
      'proxy_signature',
      'misleading_surrender',
      'wrong_info',
    ]);
  });

  it('isProblemCategory', () => {
    expect(isProblemCategory('proxy_signature')).toBe(true);
    expect(isProblemCategory('nope')).toBe(false);
    expect(isProblemCategory(3)).toBe(false);
  });
});
