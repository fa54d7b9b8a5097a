import { describe, expect, it } from 'vitest';
import { PRODUCT_TYPES, TASK_KINDS } from '../domain/tasks';
import { PROBLEM_CATEGORY_CODES } from '../outcome/categories';
import {
  BUILTIN_TEMPLATES,
  CLAIM_V1,
  KEY_CLIENT_V1,
  NEW_POLICY_V1,
  PRODUCT_TYPE_CODES,
  RENEWAL_V1,
  SURVIVAL_BENEFIT_V1,
  VISIT_KIND_CODES,
  parseTemplateFile,
  serializeTemplate,
  validateTemplate,
} from './index';

describe('built-in templates', () => {
  it.each(BUILTIN_TEMPLATES.map((t) => [t.id, t] as const))('%s passes the same validation as an imported file', (_id, t) => {
    const r = validateTemplate(t);
    expect(r.ok ? [] : r.issues).toEqual([]);
  });

  it.each(BUILTIN_TEMPLATES.map((t) => [t.id, t] as const))('%s is plain JSON data (survives a round trip)', (_id, t) => {
    const r = parseTemplateFile(serializeTemplate(t), `${t.id}.json`, []);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.template).toEqual(JSON.parse(JSON.stringify(t)));
  });

  it('has a template for every visit kind', () => {
    for (const kind of VISIT_KIND_CODES) {
      expect(BUILTIN_TEMPLATES.some((t) => t.appliesTo.includes(kind)), kind).toBe(true);
    }
  });

  it('uses only known categories', () => {
    for (const t of BUILTIN_TEMPLATES) for (const q of t.questions) expect(PROBLEM_CATEGORY_CODES).toContain(q.category);
  });
});

describe('new-policy script (客户回访规范与管理 二)', () => {
  const byId = new Map(NEW_POLICY_V1.questions.map((q) => [q.id, q]));
  const cat = (id: string) => byId.get(id)?.category;

  it('covers the eight points, each with the category a "no" raises', () => {
    expect(cat('knows_purchase')).toBe('unaware_of_purchase'); // 1
    expect(cat('policy_received')).toBe('policy_not_received'); // 2
    expect(cat('terms_received')).toBe('terms_not_provided'); // 2 (未配条款)
    expect(cat('signed_personally')).toBe('proxy_signature'); // 3
    expect(cat('premium')).toBe('misleading_premium'); // 4
    expect(cat('payment_years')).toBe('misleading_payment_years'); // 4
    expect(cat('coverage_period')).toBe('misleading_coverage_period'); // 4
    expect(cat('coverage_and_exclusions')).toBe('unclear_rights'); // 5
    expect(cat('cooling_off')).toBe('unclear_rights'); // 6
    expect(cat('surrender_loss')).toBe('misleading_surrender'); // 6
    expect(cat('dividends_not_guaranteed')).toBe('misleading_benefits'); // 7
    expect(cat('returns_uncertain')).toBe('misleading_benefits'); // 7
    expect(cat('fees_charged')).toBe('unclear_rights'); // 重庆 第八条
    expect(cat('contact_correct')).toBe('wrong_info'); // 8
    expect(cat('other_concerns')).toBe('complaint');
  });

  it('asks the product-specific points only for their products', () => {
    expect(byId.get('dividends_not_guaranteed')?.showWhen?.productTypes).toEqual(['participating']);
    expect(byId.get('returns_uncertain')?.showWhen?.productTypes).toEqual(['universal', 'unit_linked']);
    expect(byId.get('fees_charged')?.showWhen?.productTypes).toEqual(['universal', 'unit_linked']);
  });

  it('does not let an explanation talk away a proxy signature', () => {
    expect(byId.get('signed_personally')?.explanationCanResolve).toBe(false);
  });

  it('expects "no" only for the closing objection question', () => {
    expect(NEW_POLICY_V1.questions.filter((q) => q.expected === 'no').map((q) => q.id)).toEqual(['other_concerns']);
  });
});

describe('other scripts', () => {
  it('key client covers risk control, needs, claims service, new needs (XX保险 第8条)', () => {
    expect(KEY_CLIENT_V1.questions.map((q) => q.category)).toEqual([
      'risk_control_concern',
      'coverage_gap',
      'service_dissatisfied',
      'new_need',
    ]);
    expect(KEY_CLIENT_V1.appliesTo).toEqual(['key_client', 'shareholder_client']);
  });

  it('claim covers liability/loss assessment and staff attitude (XX保险 第5条)', () => {
    const cats = CLAIM_V1.questions.map((q) => q.category);
    expect(cats).toContain('liability_unclear');
    expect(cats).toContain('service_dissatisfied');
  });

  it('survival benefit confirms the payment was the customer’s and arrived', () => {
    expect(SURVIVAL_BENEFIT_V1.questions.map((q) => q.category)).toEqual([
      'unaware_of_payment',
      'payment_not_received',
      'complaint',
    ]);
  });

  it('renewal asks about coverage satisfaction (XX保险 第6条)', () => {
    expect(RENEWAL_V1.questions[0]?.category).toBe('coverage_gap');
  });
});

describe('codes shared with the rest of the app', () => {
  it('visit kinds are task kinds (shared/domain/tasks.ts), product types are the same list', () => {
    for (const kind of VISIT_KIND_CODES) expect(TASK_KINDS).toContain(kind);
    expect([...PRODUCT_TYPE_CODES]).toEqual([...PRODUCT_TYPES]);
  });
});
