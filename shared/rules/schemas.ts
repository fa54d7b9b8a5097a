/**
 * Input schemas, one per visit kind. Every message is Chinese and names its field; cross-field
 * checks (a receipt entered before the policy was printed, a last visit after today…) report on
 * the later field. Dates that cannot be real never reach a rule.
 */
import { z } from 'zod';
import { compareDates, isValidIsoDate } from '../dates';
import {
  choiceField,
  dateField,
  numberField,
  optionalBooleanField,
  optionalDateField,
  optionalNumberField,
} from './fields';

type Ctx = z.core.$RefinementCtx;

/** Adds an issue on `path` when both dates are valid and `later` is before `earlier`. */
function notBefore(
  ctx: Ctx,
  later: unknown,
  earlier: unknown,
  path: string,
  laterLabel: string,
  earlierLabel: string,
  strict = false,
): void {
  if (!isValidIsoDate(later) || !isValidIsoDate(earlier)) return;
  const c = compareDates(later, earlier);
  if (c < 0 || (strict && c === 0)) {
    ctx.addIssue({
      code: 'custom',
      path: [path],
      message: `${laterLabel}：${later} ${strict ? '必须晚于' : '不能早于'}${earlierLabel}（${earlier}）`,
    });
  }
}

function required(ctx: Ctx, value: unknown, path: string, message: string): void {
  if (value === null || value === undefined) ctx.addIssue({ code: 'custom', path: [path], message });
}

// ——— New policy and call lists ———

export const newPolicyInputSchema = z
  .object({
    kind: z.literal('new_policy'),
    /** 回执签署日期; null while the receipt is not yet signed. */
    receiptSignedDate: optionalDateField('回执签署日期'),
    /** 犹豫期天数: at least 10 (重庆 第四条); 15 is common for bancassurance. Default 10. */
    coolingOffDays: optionalNumberField('犹豫期天数', { int: true, min: 10, max: 60, unit: ' 日' }),
    /** 保险期限（年）; a whole-life policy may be entered as 105 or more. */
    termYears: numberField('保险期限（年）', { min: 0, minInclusive: false, max: 200, unit: ' 年' }),
    /** 投保人为个人 (default true). */
    individualApplicant: optionalBooleanField('投保人为个人'),
    issueDate: optionalDateField('出单日期'),
    /** When given, the visit is classified against the cooling-off period. */
    visitDate: optionalDateField('回访日期'),
  })
  .superRefine((v, ctx) => {
    notBefore(ctx, v.receiptSignedDate, v.issueDate, 'receiptSignedDate', '回执签署日期', '出单日期');
    notBefore(ctx, v.visitDate, v.issueDate, 'visitDate', '回访日期', '出单日期');
  });

export const callListIndividualInputSchema = z.object({
  kind: z.literal('call_list_individual'),
  issueDate: dateField('出单日期'),
});

export const BANCASSURANCE_CHANNELS = ['yinbaotong', 'other'] as const;
export const BANCASSURANCE_CHANNEL_LABELS = { yinbaotong: '银保通', other: '其他银保业务' } as const;

export const callListBancassuranceInputSchema = z
  .object({
    kind: z.literal('call_list_bancassurance'),
    channel: choiceField('业务渠道', BANCASSURANCE_CHANNELS, BANCASSURANCE_CHANNEL_LABELS),
    /** 保单录入系统日 (银保通). */
    policyEntryDate: optionalDateField('保单录入日期'),
    /** 保单打印日. */
    printDate: optionalDateField('保单打印日期'),
    /** 回执录入日; null while the receipt has not come back. */
    receiptEntryDate: optionalDateField('回执录入日期'),
  })
  .superRefine((v, ctx) => {
    if (v.channel === 'yinbaotong') {
      required(ctx, v.policyEntryDate, 'policyEntryDate', '保单录入日期：银保通业务必须填写');
    } else {
      required(ctx, v.printDate, 'printDate', '保单打印日期：必须填写');
      notBefore(ctx, v.receiptEntryDate, v.printDate, 'receiptEntryDate', '回执录入日期', '保单打印日期');
    }
  });

// ——— Working-day deadlines ———

export const problemCaseInputSchema = z.object({
  kind: z.literal('problem_case'),
  workOrderDate: dateField('问题件工单下达日期'),
});

export const followUpCaseInputSchema = z.object({
  kind: z.literal('follow_up_case'),
  listDate: dateField('跟踪件清单下发日期'),
});

// ——— Event-driven visits ———

export const underwritingInputSchema = z.object({
  kind: z.literal('underwriting'),
  underwritingDate: dateField('承保完毕日期'),
});

export const claimClosedInputSchema = z.object({
  kind: z.literal('claim_closed'),
  claimClosedDate: dateField('理赔结案日期'),
});

export const carClaimInputSchema = z.object({
  kind: z.literal('car_claim'),
  paymentDate: dateField('赔款支付日期'),
  /** 拒赔案件 and 零结案件 are removed from the list (华泰 第五条). */
  denied: optionalBooleanField('拒赔案件'),
  zeroSettlement: optionalBooleanField('零结案件'),
});

export const renewalInputSchema = z.object({
  kind: z.literal('renewal'),
  /** 保单到期日 (the last day of cover). */
  expiryDate: dateField('保单到期日期'),
});

export const SERVICE_EVENTS = ['grace_period', 'lapsed', 'surrender', 'claim_payment'] as const;
export const SERVICE_EVENT_LABELS = {
  grace_period: '进入宽限期的续期业务',
  lapsed: '失效保单',
  surrender: '退保',
  claim_payment: '赔付',
} as const;

export const serviceEventInputSchema = z.object({
  kind: z.literal('service_event'),
  event: choiceField('业务类型', SERVICE_EVENTS, SERVICE_EVENT_LABELS),
  eventDate: optionalDateField('业务发生日期'),
});

export const PAYMENT_METHODS = ['cash', 'bank_transfer'] as const;
export const PAYMENT_METHOD_LABELS = { cash: '现金领取', bank_transfer: '银行转账领取' } as const;
export const PAYEES = ['applicant', 'beneficiary'] as const;
export const PAYEE_LABELS = { applicant: '投保人', beneficiary: '受益人' } as const;

export const survivalBenefitInputSchema = z
  .object({
    kind: z.literal('survival_benefit'),
    method: choiceField('领取方式', PAYMENT_METHODS, PAYMENT_METHOD_LABELS),
    amount: numberField('给付金额（元）', { min: 0, max: 1e12, unit: ' 元' }),
    payee: choiceField('领取人', PAYEES, PAYEE_LABELS),
    /** Whether the payee handled it in person; needed for cash only. */
    paidInPerson: optionalBooleanField('领取人亲自办理'),
    juvenilePolicy: optionalBooleanField('少儿险'),
    paymentDate: optionalDateField('给付日期'),
  })
  .superRefine((v, ctx) => {
    if (v.method === 'cash') required(ctx, v.paidInPerson, 'paidInPerson', '领取人亲自办理：现金领取时必须填写');
  });

// ——— Periodic visits ———

const cycleFacts = {
  today: dateField('当前日期'),
  lastVisitDate: optionalDateField('上次回访日期'),
};

function lastVisitNotInFuture(v: { today: string; lastVisitDate: string | null }, ctx: Ctx): void {
  if (isValidIsoDate(v.today) && isValidIsoDate(v.lastVisitDate) && compareDates(v.lastVisitDate, v.today) > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['lastVisitDate'],
      message: `上次回访日期：${v.lastVisitDate} 不能晚于当前日期（${v.today}）`,
    });
  }
}

export const keyClientInputSchema = z.object({ kind: z.literal('key_client'), ...cycleFacts }).superRefine(lastVisitNotInFuture);

export const shareholderClientInputSchema = z
  .object({ kind: z.literal('shareholder_client'), ...cycleFacts })
  .superRefine(lastVisitNotInFuture);

export const VALUE_TIERS = ['high', 'medium', 'low'] as const;
export const VALUE_TIER_LABELS = { high: '高价值客户', medium: '中价值客户', low: '低价值客户' } as const;

export const valueTierInputSchema = z
  .object({
    kind: z.literal('value_tier'),
    tier: choiceField('客户价值等级', VALUE_TIERS, VALUE_TIER_LABELS),
    ...cycleFacts,
  })
  .superRefine(lastVisitNotInFuture);

export const lostCustomerInputSchema = z
  .object({ kind: z.literal('lost_customer'), ...cycleFacts })
  .superRefine(lastVisitNotInFuture);

export const partnerClientInputSchema = z
  .object({ kind: z.literal('partner_client'), ...cycleFacts })
  .superRefine(lastVisitNotInFuture);

// ——— Customer life-cycle visits ———

export const newCustomerInputSchema = z
  .object({
    kind: z.literal('new_customer'),
    /** 开始使用公司产品或服务的日期. */
    startDate: dateField('成为客户日期'),
    firstVisitDate: optionalDateField('初次回访日期'),
    followUpVisitDate: optionalDateField('跟进回访日期'),
    today: optionalDateField('当前日期'),
  })
  .superRefine((v, ctx) => {
    notBefore(ctx, v.firstVisitDate, v.startDate, 'firstVisitDate', '初次回访日期', '成为客户日期');
    if (v.followUpVisitDate !== null && v.firstVisitDate === null) {
      ctx.addIssue({ code: 'custom', path: ['followUpVisitDate'], message: '跟进回访日期：请先填写初次回访日期' });
    }
    notBefore(ctx, v.followUpVisitDate, v.firstVisitDate, 'followUpVisitDate', '跟进回访日期', '初次回访日期', true);
  });

export const complaintCustomerInputSchema = z
  .object({
    kind: z.literal('complaint_customer'),
    /** null while the complaint is unresolved. */
    resolvedDate: optionalDateField('投诉解决日期'),
    visitDate: optionalDateField('解决后回访日期'),
  })
  .superRefine((v, ctx) => {
    if (v.visitDate !== null && v.resolvedDate === null) {
      ctx.addIssue({ code: 'custom', path: ['visitDate'], message: '解决后回访日期：投诉尚未解决，不能填写' });
    }
    notBefore(ctx, v.visitDate, v.resolvedDate, 'visitDate', '解决后回访日期', '投诉解决日期');
  });

// ——— Sales visits ———

const timeField = (label: string) =>
  z
    .preprocess(
      (v) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? null : typeof v === 'string' ? v.trim() : v),
      z
        .string({ error: `${label}：应为 HH:mm 格式（如 14:30）` })
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${label}：应为 HH:mm 格式（如 14:30）`)
        .nullable(),
    )
    // Metadata for generated forms, like the builders in fields.ts.
    .meta({ title: label, fieldType: 'time' });

export const salesCallInputSchema = z.object({
  kind: z.literal('sales_call'),
  visitDate: dateField('外勤拜访日期'),
  visitTime: timeField('拜访时间'),
});

/** All kinds in one union, discriminated by `kind`. */
export const deadlineInputSchema = z.discriminatedUnion('kind', [
  newPolicyInputSchema,
  callListIndividualInputSchema,
  callListBancassuranceInputSchema,
  problemCaseInputSchema,
  followUpCaseInputSchema,
  underwritingInputSchema,
  claimClosedInputSchema,
  carClaimInputSchema,
  renewalInputSchema,
  serviceEventInputSchema,
  survivalBenefitInputSchema,
  keyClientInputSchema,
  shareholderClientInputSchema,
  valueTierInputSchema,
  newCustomerInputSchema,
  complaintCustomerInputSchema,
  lostCustomerInputSchema,
  salesCallInputSchema,
  partnerClientInputSchema,
]);

export type DeadlineInput = z.output<typeof deadlineInputSchema>;
/** What a caller may pass before validation (strings for numbers, '' for unknown dates…). */
export type DeadlineInputRaw = z.input<typeof deadlineInputSchema>;

export type NewPolicyInput = z.output<typeof newPolicyInputSchema>;
export type CallListIndividualInput = z.output<typeof callListIndividualInputSchema>;
export type CallListBancassuranceInput = z.output<typeof callListBancassuranceInputSchema>;
export type ProblemCaseInput = z.output<typeof problemCaseInputSchema>;
export type FollowUpCaseInput = z.output<typeof followUpCaseInputSchema>;
export type UnderwritingInput = z.output<typeof underwritingInputSchema>;
export type ClaimClosedInput = z.output<typeof claimClosedInputSchema>;
export type CarClaimInput = z.output<typeof carClaimInputSchema>;
export type RenewalInput = z.output<typeof renewalInputSchema>;
export type ServiceEventInput = z.output<typeof serviceEventInputSchema>;
export type SurvivalBenefitInput = z.output<typeof survivalBenefitInputSchema>;
export type KeyClientInput = z.output<typeof keyClientInputSchema>;
export type ShareholderClientInput = z.output<typeof shareholderClientInputSchema>;
export type ValueTierInput = z.output<typeof valueTierInputSchema>;
export type NewCustomerInput = z.output<typeof newCustomerInputSchema>;
export type ComplaintCustomerInput = z.output<typeof complaintCustomerInputSchema>;
export type LostCustomerInput = z.output<typeof lostCustomerInputSchema>;
export type SalesCallInput = z.output<typeof salesCallInputSchema>;
export type PartnerClientInput = z.output<typeof partnerClientInputSchema>;

/** The schema for each kind, for forms that know their kind up front. */
export const DEADLINE_INPUT_SCHEMAS = {
  new_policy: newPolicyInputSchema,
  call_list_individual: callListIndividualInputSchema,
  call_list_bancassurance: callListBancassuranceInputSchema,
  problem_case: problemCaseInputSchema,
  follow_up_case: followUpCaseInputSchema,
  underwriting: underwritingInputSchema,
  claim_closed: claimClosedInputSchema,
  car_claim: carClaimInputSchema,
  renewal: renewalInputSchema,
  service_event: serviceEventInputSchema,
  survival_benefit: survivalBenefitInputSchema,
  key_client: keyClientInputSchema,
  shareholder_client: shareholderClientInputSchema,
  value_tier: valueTierInputSchema,
  new_customer: newCustomerInputSchema,
  complaint_customer: complaintCustomerInputSchema,
  lost_customer: lostCustomerInputSchema,
  sales_call: salesCallInputSchema,
  partner_client: partnerClientInputSchema,
} as const;
