import { describe, it, expect } from 'vitest';
import { builtInCalendar } from '../calendar';
import { computeDeadline, type DeadlineResult } from './index';

const cal = builtInCalendar();
const W2027 = '2027 年节假日安排尚未载入，按周末计算，结果可能不准确';

function run(input: Record<string, unknown>): DeadlineResult {
  const r = computeDeadline(input, cal);
  if (!r.ok) throw new Error(`unexpected issues: ${JSON.stringify(r.issues)}`);
  return r.value;
}

interface Case {
  name: string;
  input: Record<string, unknown>;
  required: boolean;
  opens: string | null;
  due: string | null;
  explanation: string;
  warnings?: string[];
  extra?: Record<string, unknown>;
}

function table(title: string, cases: Case[]): void {
  describe(title, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const r = run(c.input);
      expect(r.kind).toBe(c.input['kind']);
      expect({ required: r.required, opens: r.opens, due: r.due }).toEqual({ required: c.required, opens: c.opens, due: c.due });
      expect(r.explanation).toBe(c.explanation);
      expect(r.warnings).toEqual(c.warnings ?? []);
      expect(r.source.length).toBeGreaterThan(0);
      if (c.extra) expect(r).toMatchObject(c.extra);
    });
  });
}

const NP = '保险期限超过一年、投保人为个人的新契约，须在犹豫期内 100% 完成回访。';
const NP_SRC =
  '《重庆市人身保险新单回访管理办法》第三条、第四条；山东保监局关于对《山东人身保险公司客户回访与客户信息管理办法》修订的通知（鲁保监发〔2013〕18号）二';

table('new_policy: cooling-off period (犹豫期)', [
  {
    name: 'ends on a make-up Saturday (National Day 2026): not extended',
    input: { kind: 'new_policy', receiptSignedDate: '2026-09-25', coolingOffDays: 15, termYears: 20 },
    required: true,
    opens: '2026-09-25',
    due: '2026-10-10',
    explanation: `${NP}回执签署日 2026-09-25，犹豫期 15 日自次日起算，末日 2026-10-10 为调休工作日（周六，国庆节调休上班），不顺延，应于 2026-10-10 前（含当日）完成回访。`,
    extra: { source: NP_SRC, visitee: '投保人' },
  },
  {
    name: 'ends inside the National Day holiday: extended to 2026-10-08',
    input: { kind: 'new_policy', receiptSignedDate: '2026-09-18', coolingOffDays: 15, termYears: 20 },
    required: true,
    opens: '2026-09-18',
    due: '2026-10-08',
    explanation: `${NP}回执签署日 2026-09-18，犹豫期 15 日自次日起算，末日 2026-10-03 为国庆节假日，顺延至 2026-10-08（首个工作日），应于 2026-10-08 前（含当日）完成回访。`,
  },
  {
    name: 'ends on Mid-Autumn Festival 2026 (15-day bancassurance period)',
    input: { kind: 'new_policy', receiptSignedDate: '2026-09-10', coolingOffDays: '15', termYears: '10' },
    required: true,
    opens: '2026-09-10',
    due: '2026-09-28',
    explanation: `${NP}回执签署日 2026-09-10，犹豫期 15 日自次日起算，末日 2026-09-25 为中秋节假日，顺延至 2026-09-28（首个工作日），应于 2026-09-28 前（含当日）完成回访。`,
  },
  {
    name: 'ends on the first day of Spring Festival 2026: extended past the whole holiday',
    input: { kind: 'new_policy', receiptSignedDate: '2026-02-05', termYears: 15 },
    required: true,
    opens: '2026-02-05',
    due: '2026-02-24',
    explanation: `${NP}回执签署日 2026-02-05，犹豫期 10 日自次日起算，末日 2026-02-15 为春节假日，顺延至 2026-02-24（首个工作日），应于 2026-02-24 前（含当日）完成回访。`,
  },
  {
    name: 'ends on the Spring Festival make-up Saturday 2026-02-14',
    input: { kind: 'new_policy', receiptSignedDate: '2026-02-04', termYears: 15 },
    required: true,
    opens: '2026-02-04',
    due: '2026-02-14',
    explanation: `${NP}回执签署日 2026-02-04，犹豫期 10 日自次日起算，末日 2026-02-14 为调休工作日（周六，春节调休上班），不顺延，应于 2026-02-14 前（含当日）完成回访。`,
  },
  {
    name: 'ends on an ordinary Saturday: extended to Monday',
    input: { kind: 'new_policy', receiptSignedDate: '2026-02-25', termYears: 15 },
    required: true,
    opens: '2026-02-25',
    due: '2026-03-09',
    explanation: `${NP}回执签署日 2026-02-25，犹豫期 10 日自次日起算，末日 2026-03-07 为周六，顺延至 2026-03-09（首个工作日），应于 2026-03-09 前（含当日）完成回访。`,
  },
  {
    name: 'ends on leap day 2024-02-29',
    input: { kind: 'new_policy', receiptSignedDate: '2024-02-19', termYears: 2 },
    required: true,
    opens: '2024-02-19',
    due: '2024-02-29',
    explanation: `${NP}回执签署日 2024-02-19，犹豫期 10 日自次日起算，末日 2024-02-29 为工作日（周四），应于 2024-02-29 前（含当日）完成回访。`,
  },
  {
    name: 'ends in 2027 (no calendar data): warns, 2027-01-01 counted as a weekday',
    input: { kind: 'new_policy', receiptSignedDate: '2026-12-22', termYears: 20 },
    required: true,
    opens: '2026-12-22',
    due: '2027-01-01',
    explanation: `${NP}回执签署日 2026-12-22，犹豫期 10 日自次日起算，末日 2027-01-01 为工作日（周五），应于 2027-01-01 前（含当日）完成回访。`,
    warnings: [W2027],
  },
  {
    name: 'one-year term is out of scope',
    input: { kind: 'new_policy', receiptSignedDate: '2026-09-25', termYears: 1 },
    required: false,
    opens: null,
    due: null,
    explanation: '保险期限 1 年，不属于保险期限超过一年的新单，不要求在犹豫期内回访。',
  },
  {
    name: 'organisation applicant is out of scope',
    input: { kind: 'new_policy', receiptSignedDate: '2026-09-25', termYears: 10, individualApplicant: false },
    required: false,
    opens: null,
    due: null,
    explanation: '投保人不是个人，不属于个人新契约，不要求在犹豫期内回访。',
  },
  {
    name: 'receipt not yet signed',
    input: { kind: 'new_policy', receiptSignedDate: '', termYears: 10 },
    required: true,
    opens: null,
    due: null,
    explanation: `${NP}回执尚未签署，犹豫期尚未开始；回执签署后，犹豫期 10 日自签署次日起算。`,
  },
]);

table('new_policy: classifying a visit', [
  {
    name: 'visit before the receipt was signed → re-visit inside the period',
    input: { kind: 'new_policy', receiptSignedDate: '2026-09-18', coolingOffDays: 15, termYears: 20, visitDate: '2026-09-10' },
    required: true,
    opens: '2026-09-18',
    due: '2026-10-08',
    explanation: `${NP}回执签署日 2026-09-18，犹豫期 15 日自次日起算，末日 2026-10-03 为国庆节假日，顺延至 2026-10-08（首个工作日），应于 2026-10-08 前（含当日）完成回访。回访日 2026-09-10 早于回执签署日 2026-09-18，属犹豫期前回访，须在犹豫期内（2026-09-19 至 2026-10-08）补访，最迟 2026-10-08。`,
    extra: {
      newPolicyVisit: {
        timing: 'before',
        coolingOff: { start: '2026-09-19', end: '2026-10-08' },
        revisitRequired: true,
        revisitDue: '2026-10-08',
        surrenderWindow: null,
        explanation: '回访日 2026-09-10 早于回执签署日 2026-09-18，属犹豫期前回访，须在犹豫期内（2026-09-19 至 2026-10-08）补访，最迟 2026-10-08。',
        warnings: [],
      },
    },
  },
  {
    name: 'visit on the make-up Saturday that ends the period is within',
    input: { kind: 'new_policy', receiptSignedDate: '2026-09-25', coolingOffDays: 15, termYears: 20, visitDate: '2026-10-10' },
    required: false,
    opens: '2026-09-25',
    due: '2026-10-10',
    explanation: `${NP}回执签署日 2026-09-25，犹豫期 15 日自次日起算，末日 2026-10-10 为调休工作日（周六，国庆节调休上班），不顺延，应于 2026-10-10 前（含当日）完成回访。回访日 2026-10-10 在犹豫期内（2026-09-26 至 2026-10-10），满足犹豫期内回访要求。`,
    extra: { newPolicyVisit: { timing: 'within', revisitRequired: false, surrenderWindow: null } },
  },
  {
    name: 'visit on the extension day after the holiday is within',
    input: { kind: 'new_policy', receiptSignedDate: '2026-09-18', coolingOffDays: 15, termYears: 20, visitDate: '2026-10-08' },
    required: false,
    opens: '2026-09-18',
    due: '2026-10-08',
    explanation: `${NP}回执签署日 2026-09-18，犹豫期 15 日自次日起算，末日 2026-10-03 为国庆节假日，顺延至 2026-10-08（首个工作日），应于 2026-10-08 前（含当日）完成回访。回访日 2026-10-08 在犹豫期内（2026-09-19 至 2026-10-08），满足犹豫期内回访要求。`,
    extra: { newPolicyVisit: { timing: 'within' } },
  },
  {
    name: 'visit on the signing day is within, with a warning',
    input: { kind: 'new_policy', receiptSignedDate: '2026-03-02', termYears: 20, visitDate: '2026-03-02' },
    required: false,
    opens: '2026-03-02',
    due: '2026-03-12',
    explanation: `${NP}回执签署日 2026-03-02，犹豫期 10 日自次日起算，末日 2026-03-12 为工作日（周四），应于 2026-03-12 前（含当日）完成回访。回访日 2026-03-02 在犹豫期内（2026-03-03 至 2026-03-12），满足犹豫期内回访要求。`,
    warnings: ['回访与回执签署在同一天，请确认回访发生在签署之后；若在签署之前，应在犹豫期内补访'],
  },
  {
    name: 'visit after the period → 7-day surrender window, itself extended over National Day',
    input: { kind: 'new_policy', receiptSignedDate: '2026-09-01', termYears: 20, visitDate: '2026-09-26' },
    required: false,
    opens: '2026-09-01',
    due: '2026-09-11',
    explanation: `${NP}回执签署日 2026-09-01，犹豫期 10 日自次日起算，末日 2026-09-11 为工作日（周五），应于 2026-09-11 前（含当日）完成回访。回访日 2026-09-26 已过犹豫期（2026-09-02 至 2026-09-11），属犹豫期后回访：投保人在回访后 7 日内（2026-09-27 至 2026-10-08，末日 2026-10-03 为国庆节假日，顺延至 2026-10-08（首个工作日））申请退保的，应视同犹豫期内撤单处理，请在回访记录中载明。`,
    extra: {
      newPolicyVisit: {
        timing: 'after',
        revisitRequired: false,
        revisitDue: null,
        surrenderWindow: { from: '2026-09-27', to: '2026-10-08' },
      },
    },
  },
  {
    name: 'visit after the period, window on ordinary days',
    input: { kind: 'new_policy', receiptSignedDate: '2026-09-18', termYears: 20, visitDate: '2026-10-20' },
    required: false,
    opens: '2026-09-18',
    due: '2026-09-28',
    explanation: `${NP}回执签署日 2026-09-18，犹豫期 10 日自次日起算，末日 2026-09-28 为工作日（周一），应于 2026-09-28 前（含当日）完成回访。回访日 2026-10-20 已过犹豫期（2026-09-19 至 2026-09-28），属犹豫期后回访：投保人在回访后 7 日内（2026-10-21 至 2026-10-27）申请退保的，应视同犹豫期内撤单处理，请在回访记录中载明。`,
    extra: { newPolicyVisit: { surrenderWindow: { from: '2026-10-21', to: '2026-10-27' } } },
  },
  {
    name: 'visit while the receipt is still unsigned',
    input: { kind: 'new_policy', receiptSignedDate: null, termYears: 20, visitDate: '2026-09-10' },
    required: true,
    opens: null,
    due: null,
    explanation: `${NP}回执尚未签署，犹豫期尚未开始；回执签署后，犹豫期 10 日自签署次日起算。回访日 2026-09-10 时回执尚未签署，犹豫期尚未开始，属犹豫期前回访；须在回执签署后的 10 日犹豫期内补访。`,
    extra: { newPolicyVisit: { timing: 'before', coolingOff: null, revisitRequired: true, revisitDue: null } },
  },
]);

const CL_NOTE = '清单抽取日是回访开始日，回访期限仍以犹豫期为准。';

table('call-list extraction', [
  {
    name: 'individual: issue date + 10 days (into Spring Festival, not shifted)',
    input: { kind: 'call_list_individual', issueDate: '2026-02-05' },
    required: true,
    opens: '2026-02-15',
    due: null,
    explanation: `出单日 2026-02-05，考虑出单、送达到回执回收约需 3–7 天，总公司在出单之日后 10 天（2026-02-15）抽取回访清单。${CL_NOTE}`,
  },
  {
    name: 'individual: onto leap day',
    input: { kind: 'call_list_individual', issueDate: '2024-02-19' },
    required: true,
    opens: '2024-02-29',
    due: null,
    explanation: `出单日 2024-02-19，考虑出单、送达到回执回收约需 3–7 天，总公司在出单之日后 10 天（2024-02-29）抽取回访清单。${CL_NOTE}`,
  },
  {
    name: '银保通: day after entry',
    input: { kind: 'call_list_bancassurance', channel: 'yinbaotong', policyEntryDate: '2026-09-30' },
    required: true,
    opens: '2026-10-01',
    due: null,
    explanation: `银保通业务，保单录入系统日 2026-09-30，以次日 2026-10-01 为抽取日。${CL_NOTE}`,
  },
  {
    name: 'other bancassurance: receipt entry + 1 is earlier',
    input: { kind: 'call_list_bancassurance', channel: 'other', printDate: '2026-03-01', receiptEntryDate: '2026-03-03' },
    required: true,
    opens: '2026-03-04',
    due: null,
    explanation: `回执录入日次日 2026-03-04 早于保单打印日加 7 天（2026-03-08），以回执录入日次日 2026-03-04 为抽取日。${CL_NOTE}`,
  },
  {
    name: 'other bancassurance: print + 7 is earlier',
    input: { kind: 'call_list_bancassurance', channel: 'other', printDate: '2026-03-01', receiptEntryDate: '2026-03-10' },
    required: true,
    opens: '2026-03-08',
    due: null,
    explanation: `回执录入日次日 2026-03-11 晚于保单打印日加 7 天（2026-03-08），以 2026-03-08 为抽取日。${CL_NOTE}`,
  },
  {
    name: 'other bancassurance: both the same day',
    input: { kind: 'call_list_bancassurance', channel: 'other', printDate: '2026-03-01', receiptEntryDate: '2026-03-07' },
    required: true,
    opens: '2026-03-08',
    due: null,
    explanation: `回执录入日次日与保单打印日加 7 天同为 2026-03-08，以该日为抽取日。${CL_NOTE}`,
  },
  {
    name: 'other bancassurance: receipt not yet entered',
    input: { kind: 'call_list_bancassurance', channel: 'other', printDate: '2024-02-22' },
    required: true,
    opens: '2024-02-29',
    due: null,
    explanation: `回执尚未录入，以保单打印日 2024-02-22 加 7 天（2024-02-29）为抽取日；若回执录入日次日早于该日，则改以回执录入日次日为抽取日。${CL_NOTE}`,
  },
]);

const PC_TAIL = '逾期未处理且未上报特殊情况申明的，列入问题件清单。';

table('problem case: 3 working days', [
  {
    name: 'across National Day 2026, ending on the make-up Saturday',
    input: { kind: 'problem_case', workOrderDate: '2026-09-30' },
    required: true,
    opens: '2026-09-30',
    due: '2026-10-10',
    explanation: `问题件工单下达日 2026-09-30，3 个工作日自次日起算，依次为 2026-10-08、2026-10-09、2026-10-10（调休工作日）；其间 2026-10-01 至 2026-10-07（国庆节假日）不计；应于 2026-10-10 前（含当日）处理完毕，${PC_TAIL}`,
  },
  {
    name: 'across Spring Festival 2026, counting the make-up Saturday',
    input: { kind: 'problem_case', workOrderDate: '2026-02-12' },
    required: true,
    opens: '2026-02-12',
    due: '2026-02-24',
    explanation: `问题件工单下达日 2026-02-12，3 个工作日自次日起算，依次为 2026-02-13、2026-02-14（调休工作日）、2026-02-24；其间 2026-02-15 至 2026-02-23（春节假日）不计；应于 2026-02-24 前（含当日）处理完毕，${PC_TAIL}`,
  },
  {
    name: 'over an ordinary weekend',
    input: { kind: 'problem_case', workOrderDate: '2026-03-05' },
    required: true,
    opens: '2026-03-05',
    due: '2026-03-10',
    explanation: `问题件工单下达日 2026-03-05，3 个工作日自次日起算，依次为 2026-03-06、2026-03-09、2026-03-10；其间 2026-03-07 至 2026-03-08（周末）不计；应于 2026-03-10 前（含当日）处理完毕，${PC_TAIL}`,
  },
  {
    name: 'within one week',
    input: { kind: 'problem_case', workOrderDate: '2026-03-02' },
    required: true,
    opens: '2026-03-02',
    due: '2026-03-05',
    explanation: `问题件工单下达日 2026-03-02，3 个工作日自次日起算，依次为 2026-03-03、2026-03-04、2026-03-05；应于 2026-03-05 前（含当日）处理完毕，${PC_TAIL}`,
  },
  {
    name: 'into 2027 without data: warns',
    input: { kind: 'problem_case', workOrderDate: '2026-12-30' },
    required: true,
    opens: '2026-12-30',
    due: '2027-01-04',
    explanation: `问题件工单下达日 2026-12-30，3 个工作日自次日起算，依次为 2026-12-31、2027-01-01、2027-01-04；其间 2027-01-02 至 2027-01-03（周末）不计；应于 2027-01-04 前（含当日）处理完毕，${PC_TAIL}`,
    warnings: [W2027],
  },
]);

table('follow-up case: 2 working days', [
  {
    name: 'over the National Day make-up Saturday',
    input: { kind: 'follow_up_case', listDate: '2026-10-09' },
    required: true,
    opens: '2026-10-09',
    due: '2026-10-12',
    explanation:
      '跟踪件清单下发日 2026-10-09，2 个工作日自次日起算，依次为 2026-10-10（调休工作日）、2026-10-12；其间 2026-10-11（周日）不计；相关岗位应于 2026-10-12 前（含当日）处理完毕。',
  },
]);

const INSURED = '自然人被保险人本人，或非自然人被保险人的保险事务负责人；必要时回访企业法定代表人';

table('after underwriting: within 1 month', [
  {
    name: '2026-01-31 → month end 2026-02-28, a make-up Saturday',
    input: { kind: 'underwriting', underwritingDate: '2026-01-31' },
    required: true,
    opens: '2026-01-31',
    due: '2026-02-28',
    explanation:
      '承保完毕日 2026-01-31，1 个月自次日起算，到期月没有对应日，以该月末日为末日；末日 2026-02-28 为调休工作日（周六，春节调休上班），不顺延，应于 2026-02-28 前（含当日）完成首次电话回访。',
    extra: { visitee: INSURED },
  },
  {
    name: 'leap year: 2024-01-31 → 2024-02-29',
    input: { kind: 'underwriting', underwritingDate: '2024-01-31' },
    required: true,
    opens: '2024-01-31',
    due: '2024-02-29',
    explanation:
      '承保完毕日 2024-01-31，1 个月自次日起算，到期月没有对应日，以该月末日为末日；末日 2024-02-29 为工作日（周四），应于 2024-02-29 前（含当日）完成首次电话回访。',
  },
  {
    name: 'ends on National Day',
    input: { kind: 'underwriting', underwritingDate: '2026-09-03' },
    required: true,
    opens: '2026-09-03',
    due: '2026-10-08',
    explanation:
      '承保完毕日 2026-09-03，1 个月自次日起算，末日 2026-10-03 为国庆节假日，顺延至 2026-10-08（首个工作日），应于 2026-10-08 前（含当日）完成首次电话回访。',
  },
  {
    name: 'ends during Spring Festival',
    input: { kind: 'underwriting', underwritingDate: '2026-01-17' },
    required: true,
    opens: '2026-01-17',
    due: '2026-02-24',
    explanation:
      '承保完毕日 2026-01-17，1 个月自次日起算，末日 2026-02-17 为春节假日，顺延至 2026-02-24（首个工作日），应于 2026-02-24 前（含当日）完成首次电话回访。',
  },
  {
    name: 'ends in 2027: warns',
    input: { kind: 'underwriting', underwritingDate: '2026-12-15' },
    required: true,
    opens: '2026-12-15',
    due: '2027-01-15',
    explanation: '承保完毕日 2026-12-15，1 个月自次日起算，末日 2027-01-15 为工作日（周五），应于 2027-01-15 前（含当日）完成首次电话回访。',
    warnings: [W2027],
  },
]);

table('after claim closed: within 1 week', [
  {
    name: 'ends on National Day',
    input: { kind: 'claim_closed', claimClosedDate: '2026-09-26' },
    required: true,
    opens: '2026-09-26',
    due: '2026-10-08',
    explanation:
      '理赔结案日 2026-09-26，一周（7 日）自次日起算，末日 2026-10-03 为国庆节假日，顺延至 2026-10-08（首个工作日），应于 2026-10-08 前（含当日）完成回访。',
  },
  {
    name: 'ordinary Monday',
    input: { kind: 'claim_closed', claimClosedDate: '2026-03-02' },
    required: true,
    opens: '2026-03-02',
    due: '2026-03-09',
    explanation: '理赔结案日 2026-03-02，一周（7 日）自次日起算，末日 2026-03-09 为工作日（周一），应于 2026-03-09 前（含当日）完成回访。',
  },
  {
    name: 'ends on the Spring Festival make-up Saturday',
    input: { kind: 'claim_closed', claimClosedDate: '2026-02-07' },
    required: true,
    opens: '2026-02-07',
    due: '2026-02-14',
    explanation:
      '理赔结案日 2026-02-07，一周（7 日）自次日起算，末日 2026-02-14 为调休工作日（周六，春节调休上班），不顺延，应于 2026-02-14 前（含当日）完成回访。',
  },
  {
    name: 'ends on a Sunday in 2027: extended by weekday only, with a warning',
    input: { kind: 'claim_closed', claimClosedDate: '2026-12-27' },
    required: true,
    opens: '2026-12-27',
    due: '2027-01-04',
    explanation:
      '理赔结案日 2026-12-27，一周（7 日）自次日起算，末日 2027-01-03 为周日，顺延至 2027-01-04（首个工作日），应于 2027-01-04 前（含当日）完成回访。',
    warnings: [W2027],
  },
]);

const CAR_VISITEE = '被保险人、驾驶员或其他事故当事人';

table('car claim paid: day 10 to day 15', [
  {
    name: 'window closes on National Day',
    input: { kind: 'car_claim', paymentDate: '2026-09-20' },
    required: true,
    opens: '2026-09-30',
    due: '2026-10-08',
    explanation:
      '赔款支付日 2026-09-20，支付后 15 日内回访，自第 10 日（2026-09-30）开始；15 日自次日起算，末日 2026-10-05 为国庆节假日，顺延至 2026-10-08（首个工作日），应于 2026-10-08 前（含当日）完成回访。',
    extra: { visitee: CAR_VISITEE },
  },
  {
    name: 'ordinary days',
    input: { kind: 'car_claim', paymentDate: '2026-03-01' },
    required: true,
    opens: '2026-03-11',
    due: '2026-03-16',
    explanation:
      '赔款支付日 2026-03-01，支付后 15 日内回访，自第 10 日（2026-03-11）开始；15 日自次日起算，末日 2026-03-16 为工作日（周一），应于 2026-03-16 前（含当日）完成回访。',
  },
  {
    name: 'leap February',
    input: { kind: 'car_claim', paymentDate: '2024-02-14' },
    required: true,
    opens: '2024-02-24',
    due: '2024-02-29',
    explanation:
      '赔款支付日 2024-02-14，支付后 15 日内回访，自第 10 日（2024-02-24）开始；15 日自次日起算，末日 2024-02-29 为工作日（周四），应于 2024-02-29 前（含当日）完成回访。',
  },
  {
    name: 'denied claims are not visited',
    input: { kind: 'car_claim', paymentDate: '2026-03-01', denied: true },
    required: false,
    opens: null,
    due: null,
    explanation: '拒赔案件从车险已决回访清单中删除，不需回访。',
  },
  {
    name: 'zero settlements are not visited',
    input: { kind: 'car_claim', paymentDate: '2026-03-01', zeroSettlement: true },
    required: false,
    opens: null,
    due: null,
    explanation: '零结案件从车险已决回访清单中删除，不需回访。',
  },
]);

table('renewal: one quarter before expiry', [
  {
    name: 'expiry on a Saturday in 2027: warns, not extended',
    input: { kind: 'renewal', expiryDate: '2027-01-16' },
    required: true,
    opens: '2026-10-16',
    due: '2027-01-16',
    explanation:
      '保单到期日 2027-01-16，续保回访在到期前一个季度（3 个月）内进行：自 2026-10-16 起，至 2027-01-16 止。到期日为周六，不顺延，宜在最后一个工作日 2027-01-15 前完成。',
    warnings: [W2027],
  },
  {
    name: 'month-end clamp: 2026-05-31 opens 2026-02-28',
    input: { kind: 'renewal', expiryDate: '2026-05-31' },
    required: true,
    opens: '2026-02-28',
    due: '2026-05-31',
    explanation:
      '保单到期日 2026-05-31，续保回访在到期前一个季度（3 个月）内进行：自 2026-02-28 起，至 2026-05-31 止。到期日为周日，不顺延，宜在最后一个工作日 2026-05-29 前完成。',
  },
  {
    name: 'expiry on National Day',
    input: { kind: 'renewal', expiryDate: '2026-10-03' },
    required: true,
    opens: '2026-07-03',
    due: '2026-10-03',
    explanation:
      '保单到期日 2026-10-03，续保回访在到期前一个季度（3 个月）内进行：自 2026-07-03 起，至 2026-10-03 止。到期日为国庆节假日，不顺延，宜在最后一个工作日 2026-09-30 前完成。',
  },
  {
    name: 'leap-year clamp: 2024-05-31 opens 2024-02-29',
    input: { kind: 'renewal', expiryDate: '2024-05-31' },
    required: true,
    opens: '2024-02-29',
    due: '2024-05-31',
    explanation: '保单到期日 2024-05-31，续保回访在到期前一个季度（3 个月）内进行：自 2024-02-29 起，至 2024-05-31 止。',
  },
]);

const SE_TAIL = '属客户回访项目，须回访；指引未规定回访期限。本指引适用于山东辖区人身保险公司，其他地区可参照执行。';

table('service events (Shandong scope)', [
  {
    name: 'grace period',
    input: { kind: 'service_event', event: 'grace_period', eventDate: '2026-10-09' },
    required: true,
    opens: '2026-10-09',
    due: null,
    explanation: `进入宽限期的续期业务（发生日 2026-10-09）${SE_TAIL}`,
    extra: { visitee: '投保人' },
  },
  {
    name: 'lapsed',
    input: { kind: 'service_event', event: 'lapsed' },
    required: true,
    opens: null,
    due: null,
    explanation: `失效保单${SE_TAIL}`,
  },
  {
    name: 'surrender',
    input: { kind: 'service_event', event: 'surrender', eventDate: '2026-03-02' },
    required: true,
    opens: '2026-03-02',
    due: null,
    explanation: `退保（发生日 2026-03-02）${SE_TAIL}`,
  },
  {
    name: 'claim payment',
    input: { kind: 'service_event', event: 'claim_payment' },
    required: true,
    opens: null,
    due: null,
    explanation: `赔付${SE_TAIL}`,
    extra: { visitee: '被保险人或受益人' },
  },
]);

const SB_TAIL = '办法未规定回访期限，按每日回访清单安排。';
const SB_LIMIT = '1000 元以上（含 1000 元）';

table('survival benefit', [
  {
    name: 'cash collected in person: no visit',
    input: { kind: 'survival_benefit', method: 'cash', amount: 5000, payee: 'applicant', paidInPerson: true },
    required: false,
    opens: null,
    due: null,
    explanation: '现金领取，由投保人亲自办理，无需回访（金额 5,000.00 元）。',
  },
  {
    name: 'cash not in person, exactly 1000: visit the applicant',
    input: { kind: 'survival_benefit', method: 'cash', amount: '1,000', payee: 'applicant', paidInPerson: false },
    required: true,
    opens: null,
    due: null,
    explanation: `现金领取，非投保人亲自办理，金额 1,000.00 元，在 ${SB_LIMIT}，需回访。回访对象：投保人。${SB_TAIL}`,
    extra: { visitee: '投保人' },
  },
  {
    name: 'cash not in person, 999.99: no visit',
    input: { kind: 'survival_benefit', method: 'cash', amount: 999.99, payee: 'beneficiary', paidInPerson: false },
    required: false,
    opens: null,
    due: null,
    explanation: '现金领取，金额 999.99 元，低于 1000 元，无需回访。',
  },
  {
    name: 'bank transfer to the beneficiary: visit the beneficiary even if in person',
    input: { kind: 'survival_benefit', method: 'bank_transfer', amount: 1000, payee: 'beneficiary', paidInPerson: true },
    required: true,
    opens: null,
    due: null,
    explanation: `银行转账领取，金额 1,000.00 元，在 ${SB_LIMIT}，不论是否受益人亲自办理均需回访。回访对象：受益人。${SB_TAIL}`,
    extra: { visitee: '受益人' },
  },
  {
    name: 'juvenile policy: visit the applicant',
    input: {
      kind: 'survival_benefit',
      method: 'bank_transfer',
      amount: 12345.6,
      payee: 'beneficiary',
      juvenilePolicy: true,
      paymentDate: '2026-10-09',
    },
    required: true,
    opens: '2026-10-09',
    due: null,
    explanation: `银行转账领取，金额 12,345.60 元，在 ${SB_LIMIT}，不论是否受益人亲自办理均需回访。少儿险，回访对象为投保人。${SB_TAIL}`,
    extra: { visitee: '投保人' },
  },
  {
    name: 'bank transfer below 1000: no visit',
    input: { kind: 'survival_benefit', method: 'bank_transfer', amount: 500, payee: 'applicant' },
    required: false,
    opens: null,
    due: null,
    explanation: '银行转账领取，金额 500.00 元，低于 1000 元，无需回访。',
  },
]);

const KEY = '重点客户每年至少进行一次现场回访。';
const ORG = '客户的保险事务负责人、财务经理或行政经理、实际控制人或法定代表人';

table('periodic: key and shareholder-related clients', [
  {
    name: 'key client, last visit last year → due this year',
    input: { kind: 'key_client', today: '2026-10-10', lastVisitDate: '2025-12-01' },
    required: true,
    opens: '2026-01-01',
    due: '2026-12-31',
    explanation: `${KEY}2026 年（2026-01-01 至 2026-12-31）内尚未回访（上次回访 2025-12-01），应于 2026-12-31 前（含当日）完成。`,
    extra: { cycle: { key: '2026', satisfied: false }, visitee: ORG, overdue: false },
  },
  {
    name: 'key client, never visited',
    input: { kind: 'key_client', today: '2026-10-10' },
    required: true,
    opens: '2026-01-01',
    due: '2026-12-31',
    explanation: `${KEY}2026 年（2026-01-01 至 2026-12-31）内尚未回访（无回访记录），应于 2026-12-31 前（含当日）完成。`,
  },
  {
    name: 'key client, visited this year → next year (2027, warns)',
    input: { kind: 'key_client', today: '2026-10-10', lastVisitDate: '2026-03-01' },
    required: false,
    opens: '2027-01-01',
    due: '2027-12-31',
    explanation: `${KEY}2026 年已于 2026-03-01 回访，本周期无需再访；下次应在 2027 年（2027-01-01 至 2027-12-31）内完成。`,
    warnings: [W2027],
    extra: { cycle: { key: '2026', satisfied: true } },
  },
  {
    name: 'shareholder client, visit in the previous half does not count',
    input: { kind: 'shareholder_client', today: '2026-07-01', lastVisitDate: '2026-06-30' },
    required: true,
    opens: '2026-07-01',
    due: '2026-12-31',
    explanation:
      '股东相关客户每半年至少进行一次现场回访。2026 年下半年（2026-07-01 至 2026-12-31）内尚未回访（上次回访 2026-06-30），应于 2026-12-31 前（含当日）完成。',
    extra: { cycle: { key: '2026H2', start: '2026-07-01', end: '2026-12-31', satisfied: false } },
  },
  {
    name: 'shareholder client, visited this half',
    input: { kind: 'shareholder_client', today: '2026-02-20', lastVisitDate: '2026-01-05' },
    required: false,
    opens: '2026-07-01',
    due: '2026-12-31',
    explanation:
      '股东相关客户每半年至少进行一次现场回访。2026 年上半年已于 2026-01-05 回访，本周期无需再访；下次应在 2026 年下半年（2026-07-01 至 2026-12-31）内完成。',
    extra: { cycle: { key: '2026H1', satisfied: true } },
  },
]);

const PLAN = '回访计划在每季度初订立，并提前与客户确认回访时间。';

table('periodic: value tiers and lost customers', [
  {
    name: 'high value in leap Q1 2024, quarter ending on a Sunday',
    input: { kind: 'value_tier', tier: 'high', today: '2024-02-29' },
    required: true,
    opens: '2024-01-01',
    due: '2024-03-31',
    explanation: `高价值客户回访频率不少于每季度一次；${PLAN}2024 年第一季度（2024-01-01 至 2024-03-31）内尚未回访（无回访记录），应于 2024-03-31 前（含当日）完成。周期末日 2024-03-31 为周日，不顺延至下一周期，宜在最后一个工作日 2024-03-29 前完成。`,
    extra: { cycle: { key: '2024Q1' } },
  },
  {
    name: 'high value visited this quarter → 2027Q1 (warns)',
    input: { kind: 'value_tier', tier: 'high', today: '2026-10-10', lastVisitDate: '2026-10-01' },
    required: false,
    opens: '2027-01-01',
    due: '2027-03-31',
    explanation: `高价值客户回访频率不少于每季度一次；${PLAN}2026 年第四季度已于 2026-10-01 回访，本周期无需再访；下次应在 2027 年第一季度（2027-01-01 至 2027-03-31）内完成。`,
    warnings: [W2027],
    extra: { cycle: { key: '2026Q4', satisfied: true } },
  },
  {
    name: 'medium value visited this half → 2027H1 (warns)',
    input: { kind: 'value_tier', tier: 'medium', today: '2026-10-10', lastVisitDate: '2026-08-01' },
    required: false,
    opens: '2027-01-01',
    due: '2027-06-30',
    explanation: `中价值客户回访频率不少于每半年一次；${PLAN}2026 年下半年已于 2026-08-01 回访，本周期无需再访；下次应在 2027 年上半年（2027-01-01 至 2027-06-30）内完成。`,
    warnings: [W2027],
  },
  {
    name: 'low value, visited last year',
    input: { kind: 'value_tier', tier: 'low', today: '2026-10-10', lastVisitDate: '2025-10-10' },
    required: true,
    opens: '2026-01-01',
    due: '2026-12-31',
    explanation: `低价值客户回访频率不少于每年一次；${PLAN}2026 年（2026-01-01 至 2026-12-31）内尚未回访（上次回访 2025-10-10），应于 2026-12-31 前（含当日）完成。`,
  },
  {
    name: 'lost customer in 2027 (warns)',
    input: { kind: 'lost_customer', today: '2027-03-01' },
    required: true,
    opens: '2027-01-01',
    due: '2027-12-31',
    explanation:
      '流失客户至少每年回访一次，以挽回客户并了解流失原因。2027 年（2027-01-01 至 2027-12-31）内尚未回访（无回访记录），应于 2027-12-31 前（含当日）完成。',
    warnings: [W2027],
  },
]);

const NC = (start: string, initial: string, monthText: string) =>
  `新客户（成为客户日 ${start}）应立即进行初次回访（按不迟于次一工作日 ${initial} 掌握），并在此后一个月内再回访至少一次：1 个月自次日起算，${monthText}。`;

table('new, complaint customers', [
  {
    name: 'new customer before National Day, initial visit overdue',
    input: { kind: 'new_customer', startDate: '2026-09-30', today: '2026-10-09' },
    required: true,
    opens: '2026-09-30',
    due: '2026-10-08',
    explanation: `${NC('2026-09-30', '2026-10-08', '末日 2026-10-30 为工作日（周五）')}尚未初次回访，应于 2026-10-08 前（含当日）完成。今天 2026-10-09 已超过期限。`,
    extra: { stage: 'initial', overdue: true },
  },
  {
    name: 'new customer, follow-up owed',
    input: { kind: 'new_customer', startDate: '2026-09-30', firstVisitDate: '2026-10-08' },
    required: true,
    opens: '2026-10-09',
    due: '2026-10-30',
    explanation: `${NC('2026-09-30', '2026-10-08', '末日 2026-10-30 为工作日（周五）')}已于 2026-10-08 初次回访，尚需在 2026-10-30 前（含当日）再回访一次。`,
    extra: { stage: 'follow_up' },
  },
  {
    name: 'new customer, both visits late',
    input: { kind: 'new_customer', startDate: '2026-09-30', firstVisitDate: '2026-10-12', followUpVisitDate: '2026-11-05' },
    required: false,
    opens: '2026-09-30',
    due: '2026-10-30',
    explanation: `${NC('2026-09-30', '2026-10-08', '末日 2026-10-30 为工作日（周五）')}已于 2026-10-12 初次回访、2026-11-05 跟进回访，两次回访均已完成。`,
    warnings: ['初次回访日 2026-10-12 晚于 2026-10-08，未做到立即回访', '跟进回访日 2026-11-05 晚于一个月期限 2026-10-30'],
    extra: { stage: 'done' },
  },
  {
    name: 'new customer on 2026-01-31: month ends on the make-up Saturday',
    input: { kind: 'new_customer', startDate: '2026-01-31' },
    required: true,
    opens: '2026-01-31',
    due: '2026-02-02',
    explanation: `${NC('2026-01-31', '2026-02-02', '末日 2026-02-28 为调休工作日（周六，春节调休上班），不顺延')}尚未初次回访，应于 2026-02-02 前（含当日）完成。`,
  },
  {
    name: 'complaint unresolved',
    input: { kind: 'complaint_customer' },
    required: false,
    opens: null,
    due: null,
    explanation: '投诉尚未解决；解决后应进行一次回访，确保客户满意度提升。',
  },
  {
    name: 'complaint resolved, visit owed',
    input: { kind: 'complaint_customer', resolvedDate: '2026-10-09' },
    required: true,
    opens: '2026-10-09',
    due: null,
    explanation: '投诉于 2026-10-09 解决，应进行一次回访，确保客户满意度提升；规定未设回访期限，宜尽快安排。',
  },
  {
    name: 'complaint resolved and visited',
    input: { kind: 'complaint_customer', resolvedDate: '2026-10-09', visitDate: '2026-10-12' },
    required: false,
    opens: '2026-10-09',
    due: null,
    explanation: '投诉于 2026-10-09 解决，已于 2026-10-12 回访，无需再访。',
  },
]);

const SC = '由客户回访专员在拜访后 24 小时内电话回访；';

table('sales call: within 24 hours', [
  {
    name: 'the day before National Day: extended past the holiday',
    input: { kind: 'sales_call', visitDate: '2026-09-30', visitTime: '15:00' },
    required: true,
    opens: '2026-09-30',
    due: '2026-10-08',
    explanation: `外勤拜访日 2026-09-30 15:00，${SC}24 小时届满日 2026-10-01 为国庆节假日，顺延至 2026-10-08（首个工作日），应于 2026-10-08 前（含当日）完成。`,
  },
  {
    name: 'ordinary weekday with a time',
    input: { kind: 'sales_call', visitDate: '2026-03-04', visitTime: '14:30' },
    required: true,
    opens: '2026-03-04',
    due: '2026-03-05',
    explanation: `外勤拜访日 2026-03-04 14:30，${SC}24 小时届满日 2026-03-05 为工作日（周四），应于 2026-03-05 14:30 前完成。`,
  },
  {
    name: 'ending on the make-up Saturday',
    input: { kind: 'sales_call', visitDate: '2026-10-09' },
    required: true,
    opens: '2026-10-09',
    due: '2026-10-10',
    explanation: `外勤拜访日 2026-10-09，${SC}24 小时届满日 2026-10-10 为调休工作日（周六，国庆节调休上班），不顺延，应于 2026-10-10 前（含当日）完成。`,
  },
  {
    name: 'Friday visit: extended to Monday',
    input: { kind: 'sales_call', visitDate: '2026-03-06' },
    required: true,
    opens: '2026-03-06',
    due: '2026-03-09',
    explanation: `外勤拜访日 2026-03-06，${SC}24 小时届满日 2026-03-07 为周六，顺延至 2026-03-09（首个工作日），应于 2026-03-09 前（含当日）完成。`,
  },
]);

const PT = '合作客户每月电话回访一次，自每月第一个工作日开始，前 3 个工作日内完成。';

table('partner client: first 3 working days of each month', [
  {
    name: 'October 2026 starts after National Day; overdue on 10-12',
    input: { kind: 'partner_client', today: '2026-10-12' },
    required: true,
    opens: '2026-10-08',
    due: '2026-10-10',
    explanation: `${PT}2026 年 10 月的前 3 个工作日为 2026-10-08、2026-10-09、2026-10-10（调休工作日），应于 2026-10-10 前（含当日）完成；今天 2026-10-12 已超过期限。`,
    extra: { overdue: true, cycle: { key: '2026-10', satisfied: false } },
  },
  {
    name: 'October 2026, still in time',
    input: { kind: 'partner_client', today: '2026-10-09' },
    required: true,
    opens: '2026-10-08',
    due: '2026-10-10',
    explanation: `${PT}2026 年 10 月的前 3 个工作日为 2026-10-08、2026-10-09、2026-10-10（调休工作日），应于 2026-10-10 前（含当日）完成。`,
    extra: { overdue: false },
  },
  {
    name: 'already visited this month → next month',
    input: { kind: 'partner_client', today: '2026-10-09', lastVisitDate: '2026-10-08' },
    required: false,
    opens: '2026-11-02',
    due: '2026-11-04',
    explanation: `${PT}本月已于 2026-10-08 回访；下次：2026 年 11 月的前 3 个工作日为 2026-11-02、2026-11-03、2026-11-04，应于 2026-11-04 前（含当日）完成。`,
    extra: { cycle: { key: '2026-10', satisfied: true } },
  },
  {
    name: 'January 2027 without data: warns (1 January counted as a weekday)',
    input: { kind: 'partner_client', today: '2027-01-04' },
    required: true,
    opens: '2027-01-01',
    due: '2027-01-05',
    explanation: `${PT}2027 年 1 月的前 3 个工作日为 2027-01-01、2027-01-04、2027-01-05，应于 2027-01-05 前（含当日）完成。`,
    warnings: [W2027],
  },
]);
