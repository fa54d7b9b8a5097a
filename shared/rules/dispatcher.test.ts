import { describe, it, expect } from 'vitest';
import { builtInCalendar, type CalendarYearData } from '../calendar';
import {
  COUNTING_RULE_DESCRIPTION,
  DEADLINE_INPUT_SCHEMAS,
  RULES_IN_FORCE,
  VISIT_KINDS,
  VISIT_KIND_CODES,
  VISIT_KIND_LABELS,
  classifyNewPolicyVisit,
  computeDeadline,
  deadlineInputSchema,
  formatYuan,
  validateDeadlineInput,
} from './index';

const cal = builtInCalendar();

function issues(input: unknown) {
  const r = computeDeadline(input, cal);
  if (r.ok) throw new Error(`expected issues, got ${JSON.stringify(r.value)}`);
  return r.issues;
}

describe('bad input gives Chinese reasons per field, never a date', () => {
  it.each([
    [
      'impossible receipt date',
      { kind: 'new_policy', receiptSignedDate: '2026-02-30', termYears: 20 },
      [{ path: 'receiptSignedDate', message: '回执签署日期：2026-02-30 不是有效日期' }],
    ],
    [
      'several bad fields at once',
      { kind: 'new_policy', receiptSignedDate: '2026/09/25', termYears: 'abc', coolingOffDays: 5 },
      [
        { path: 'receiptSignedDate', message: '回执签署日期：「2026/09/25」不是 YYYY-MM-DD 格式的日期' },
        { path: 'coolingOffDays', message: '犹豫期天数：不能小于 10 日' },
        { path: 'termYears', message: '保险期限（年）：必须是数字' },
      ],
    ],
    [
      'term zero and fractional cooling-off',
      { kind: 'new_policy', receiptSignedDate: '2026-09-25', termYears: 0, coolingOffDays: 10.5 },
      [
        { path: 'coolingOffDays', message: '犹豫期天数：必须是整数' },
        { path: 'termYears', message: '保险期限（年）：必须大于 0 年' },
      ],
    ],
    [
      'term missing',
      { kind: 'new_policy', receiptSignedDate: '2026-09-25' },
      [{ path: 'termYears', message: '保险期限（年）：必须是数字' }],
    ],
    [
      'receipt signed before the policy was issued',
      { kind: 'new_policy', receiptSignedDate: '2026-09-01', issueDate: '2026-09-05', termYears: 20 },
      [{ path: 'receiptSignedDate', message: '回执签署日期：2026-09-01 不能早于出单日期（2026-09-05）' }],
    ],
    [
      'visit before the policy was issued',
      { kind: 'new_policy', receiptSignedDate: '2026-09-10', issueDate: '2026-09-05', visitDate: '2026-09-01', termYears: 20 },
      [{ path: 'visitDate', message: '回访日期：2026-09-01 不能早于出单日期（2026-09-05）' }],
    ],
    [
      'negative amount',
      { kind: 'survival_benefit', method: 'bank_transfer', amount: -5, payee: 'applicant' },
      [{ path: 'amount', message: '给付金额（元）：不能小于 0 元' }],
    ],
    [
      'amount not a number, cash without in-person flag',
      { kind: 'survival_benefit', method: 'cash', amount: '一千', payee: 'applicant' },
      [{ path: 'amount', message: '给付金额（元）：必须是数字' }],
    ],
    [
      'cash without in-person flag',
      { kind: 'survival_benefit', method: 'cash', amount: 2000, payee: 'applicant' },
      [{ path: 'paidInPerson', message: '领取人亲自办理：现金领取时必须填写' }],
    ],
    [
      'unknown choice',
      { kind: 'value_tier', tier: 'vip', today: '2026-10-10' },
      [{ path: 'tier', message: '客户价值等级：应为「高价值客户」、「中价值客户」、「低价值客户」之一' }],
    ],
    [
      'last visit after today',
      { kind: 'key_client', today: '2026-10-10', lastVisitDate: '2026-10-11' },
      [{ path: 'lastVisitDate', message: '上次回访日期：2026-10-11 不能晚于当前日期（2026-10-10）' }],
    ],
    [
      'missing required date',
      { kind: 'underwriting' },
      [{ path: 'underwritingDate', message: '承保完毕日期：请填写日期（格式 YYYY-MM-DD）' }],
    ],
    [
      'date of the wrong type',
      { kind: 'problem_case', workOrderDate: 20260930 },
      [{ path: 'workOrderDate', message: '问题件工单下达日期：请填写日期（格式 YYYY-MM-DD）' }],
    ],
    [
      '银保通 without entry date',
      { kind: 'call_list_bancassurance', channel: 'yinbaotong' },
      [{ path: 'policyEntryDate', message: '保单录入日期：银保通业务必须填写' }],
    ],
    [
      'receipt entered before the policy was printed',
      { kind: 'call_list_bancassurance', channel: 'other', printDate: '2026-03-05', receiptEntryDate: '2026-03-01' },
      [{ path: 'receiptEntryDate', message: '回执录入日期：2026-03-01 不能早于保单打印日期（2026-03-05）' }],
    ],
    [
      'follow-up visit not after the first',
      { kind: 'new_customer', startDate: '2026-09-30', firstVisitDate: '2026-10-08', followUpVisitDate: '2026-10-08' },
      [{ path: 'followUpVisitDate', message: '跟进回访日期：2026-10-08 必须晚于初次回访日期（2026-10-08）' }],
    ],
    [
      'follow-up without a first visit',
      { kind: 'new_customer', startDate: '2026-09-30', followUpVisitDate: '2026-10-08' },
      [{ path: 'followUpVisitDate', message: '跟进回访日期：请先填写初次回访日期' }],
    ],
    [
      'complaint visit before resolution',
      { kind: 'complaint_customer', resolvedDate: '2026-10-09', visitDate: '2026-10-01' },
      [{ path: 'visitDate', message: '解决后回访日期：2026-10-01 不能早于投诉解决日期（2026-10-09）' }],
    ],
    [
      'complaint visit while unresolved',
      { kind: 'complaint_customer', visitDate: '2026-10-01' },
      [{ path: 'visitDate', message: '解决后回访日期：投诉尚未解决，不能填写' }],
    ],
    [
      'bad time',
      { kind: 'sales_call', visitDate: '2026-03-04', visitTime: '25:00' },
      [{ path: 'visitTime', message: '拜访时间：应为 HH:mm 格式（如 14:30）' }],
    ],
    [
      'boolean of the wrong type',
      { kind: 'car_claim', paymentDate: '2026-03-01', denied: 'yes' },
      [{ path: 'denied', message: '拒赔案件：应选择“是”或“否”' }],
    ],
    ['unknown kind', { kind: 'nope' }, [{ path: 'kind', message: '回访项目：未知的回访项目「nope」' }]],
    ['missing kind', { receiptSignedDate: '2026-09-25' }, [{ path: 'kind', message: '回访项目：请选择回访项目' }]],
    ['not an object', 'new_policy', [{ path: '', message: '回访事实：应为对象' }]],
    ['an array', [], [{ path: '', message: '回访事实：应为对象' }]],
  ])('%s', (_name, input, expected) => {
    expect(issues(input)).toEqual(expected);
  });

  it('dates beyond the supported range are an issue, not an exception', () => {
    expect(issues({ kind: 'underwriting', underwritingDate: '2199-12-15' })).toEqual([
      { path: '', message: '承保后首次回访：日期超出可计算范围（日期超出 1900–2199 范围）' },
    ]);
  });
});

describe('validateDeadlineInput', () => {
  it('normalises forms input: trims, converts numeric strings, blanks to null', () => {
    const r = validateDeadlineInput({
      kind: 'new_policy',
      receiptSignedDate: ' 2026-09-25 ',
      coolingOffDays: ' 15 ',
      termYears: '20',
      visitDate: '',
    });
    expect(r).toEqual({
      ok: true,
      value: { kind: 'new_policy', receiptSignedDate: '2026-09-25', coolingOffDays: 15, termYears: 20, issueDate: null, visitDate: null },
    });
  });

  it('the discriminated-union schema accepts the same input', () => {
    expect(deadlineInputSchema.safeParse({ kind: 'problem_case', workOrderDate: '2026-09-30' }).success).toBe(true);
    expect(deadlineInputSchema.safeParse({ kind: 'problem_case', workOrderDate: '2026-02-30' }).success).toBe(false);
  });
});

describe('catalogue', () => {
  it('kinds are unique and all have schemas, labels and a rule description', () => {
    const codes = VISIT_KINDS.map((k) => k.kind);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...VISIT_KIND_CODES]).toEqual(codes);
    expect(Object.keys(DEADLINE_INPUT_SCHEMAS).sort()).toEqual([...codes].sort());
    expect(RULES_IN_FORCE.map((r) => r.kind)).toEqual(codes);
    for (const r of RULES_IN_FORCE) {
      expect(r.name).toBe(VISIT_KIND_LABELS[r.kind]);
      expect(r.description.length).toBeGreaterThan(5);
      expect(r.source).toMatch(/《.+》/);
    }
    expect(COUNTING_RULE_DESCRIPTION.source).toContain('民法典');
  });

  it('each computed result names the same source as the catalogue', () => {
    const samples: Record<string, unknown>[] = [
      { kind: 'new_policy', receiptSignedDate: '2026-09-25', termYears: 20 },
      { kind: 'call_list_individual', issueDate: '2026-09-25' },
      { kind: 'call_list_bancassurance', channel: 'yinbaotong', policyEntryDate: '2026-09-25' },
      { kind: 'problem_case', workOrderDate: '2026-09-25' },
      { kind: 'follow_up_case', listDate: '2026-09-25' },
      { kind: 'underwriting', underwritingDate: '2026-09-25' },
      { kind: 'claim_closed', claimClosedDate: '2026-09-25' },
      { kind: 'car_claim', paymentDate: '2026-09-25' },
      { kind: 'renewal', expiryDate: '2026-09-25' },
      { kind: 'service_event', event: 'surrender' },
      { kind: 'survival_benefit', method: 'bank_transfer', amount: 1, payee: 'applicant' },
      { kind: 'key_client', today: '2026-09-25' },
      { kind: 'shareholder_client', today: '2026-09-25' },
      { kind: 'value_tier', tier: 'low', today: '2026-09-25' },
      { kind: 'new_customer', startDate: '2026-09-25' },
      { kind: 'complaint_customer' },
      { kind: 'lost_customer', today: '2026-09-25' },
      { kind: 'sales_call', visitDate: '2026-09-25' },
      { kind: 'partner_client', today: '2026-09-25' },
    ];
    expect(samples.map((s) => s['kind'])).toEqual(VISIT_KINDS.map((k) => k.kind));
    for (const s of samples) {
      const r = computeDeadline(s, cal);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      const entry = RULES_IN_FORCE.find((e) => e.kind === s['kind']);
      expect(r.value.source).toBe(entry?.source);
      expect(r.value.explanation).toMatch(/。$/);
    }
  });
});

describe('classifyNewPolicyVisit directly', () => {
  it('uses the 10-day default', () => {
    const r = classifyNewPolicyVisit({ receiptSignedDate: '2026-03-02', visitDate: '2026-03-12' }, cal);
    expect(r.timing).toBe('within');
    expect(r.coolingOff).toEqual({ start: '2026-03-03', end: '2026-03-12' });
    expect(classifyNewPolicyVisit({ receiptSignedDate: '2026-03-02', visitDate: '2026-03-13' }, cal).timing).toBe('after');
  });

  it('warns when the period runs into a year without data', () => {
    const r = classifyNewPolicyVisit({ receiptSignedDate: '2026-12-28', visitDate: '2027-01-20' }, cal);
    expect(r.timing).toBe('after');
    expect(r.warnings).toEqual(['2027 年节假日安排尚未载入，按周末计算，结果可能不准确']);
  });
});

describe('administrator-loaded year changes the answer and removes the warning', () => {
  // Invented 2027 arrangement for the test: 1–3 January off.
  const y2027: CalendarYearData = {
    year: 2027,
    holidays: [
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-01-02', name: '元旦' },
      { date: '2027-01-03', name: '元旦' },
    ],
    makeupWorkdays: [],
  };
  it('new policy ending on 2027-01-01', () => {
    const input = { kind: 'new_policy', receiptSignedDate: '2026-12-22', termYears: 20 };
    const before = computeDeadline(input, cal);
    const after = computeDeadline(input, cal.withYears([y2027]));
    expect(before.ok && before.value.due).toBe('2027-01-01');
    expect(before.ok && before.value.warnings).toHaveLength(1);
    expect(after).toMatchObject({
      ok: true,
      value: {
        due: '2027-01-04',
        warnings: [],
        explanation:
          '保险期限超过一年、投保人为个人的新契约，须在犹豫期内 100% 完成回访。回执签署日 2026-12-22，犹豫期 10 日自次日起算，末日 2027-01-01 为元旦假日，顺延至 2027-01-04（首个工作日），应于 2027-01-04 前（含当日）完成回访。',
      },
    });
  });
});

describe('formatYuan', () => {
  it.each([
    [0, '0.00'],
    [1000, '1,000.00'],
    [1234567.891, '1,234,567.89'],
    [999.995, '1,000.00'],
  ])('%d → %s', (n, s) => expect(formatYuan(n)).toBe(s));
});
