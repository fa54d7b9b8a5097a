/** Visits owed after a single event: underwriting, claim close, car claim payment, renewal, sales call. */
import type { WorkCalendar } from '../calendar';
import { addDays, quarterBefore } from '../dates';
import { WarningSink, describeDay, extendToWorkingDay, periodInDays, periodInMonths } from './counting';
import type {
  CarClaimInput,
  ClaimClosedInput,
  RenewalInput,
  SalesCallInput,
  ServiceEventInput,
  UnderwritingInput,
} from './schemas';
import { SERVICE_EVENT_LABELS } from './schemas';
import { SOURCES } from './sources';
import type { DeadlineResult } from './types';

const INSURED_CONTACT = '自然人被保险人本人，或非自然人被保险人的保险事务负责人；必要时回访企业法定代表人';

export const CLAIM_CLOSED_DAYS = 7;
export const CAR_CLAIM_FIRST_DAY = 10;
export const CAR_CLAIM_DAYS = 15;

// 《XX保险股份有限公司客户回访管理办法》第5条(1): 承保完毕一个月内.
export function underwritingRule(input: UnderwritingInput, cal: WorkCalendar): DeadlineResult {
  const sink = new WarningSink();
  const p = periodInMonths(cal, input.underwritingDate, 1, sink);
  const clampNote = p.clamped ? '到期月没有对应日，以该月末日为末日；' : '';
  return {
    kind: 'underwriting',
    required: true,
    opens: input.underwritingDate,
    due: p.end,
    explanation: `承保完毕日 ${input.underwritingDate}，1 个月自次日起算，${clampNote}${p.text}，应于 ${p.end} 前（含当日）完成首次电话回访。`,
    warnings: sink.messages(),
    source: SOURCES.underwritingAndClaim,
    visitee: INSURED_CONTACT,
  };
}

// 《XX保险股份有限公司客户回访管理办法》第5条(1): 理赔结束一周内.
export function claimClosedRule(input: ClaimClosedInput, cal: WorkCalendar): DeadlineResult {
  const sink = new WarningSink();
  const p = periodInDays(cal, input.claimClosedDate, CLAIM_CLOSED_DAYS, sink);
  return {
    kind: 'claim_closed',
    required: true,
    opens: input.claimClosedDate,
    due: p.end,
    explanation: `理赔结案日 ${input.claimClosedDate}，一周（${CLAIM_CLOSED_DAYS} 日）自次日起算，${p.text}，应于 ${p.end} 前（含当日）完成回访。`,
    warnings: sink.messages(),
    source: SOURCES.underwritingAndClaim,
    visitee: INSURED_CONTACT,
  };
}

// 《华泰财产保险有限公司回访业务管理制度》第五条: all paid car claims within 15 days of payment,
// the team starting on day 10; denied and zero-settlement cases are removed from the list.
export function carClaimRule(input: CarClaimInput, cal: WorkCalendar): DeadlineResult {
  const base = {
    kind: 'car_claim' as const,
    source: SOURCES.carClaim,
    visitee: '被保险人、驾驶员或其他事故当事人',
  };
  if (input.denied || input.zeroSettlement) {
    const what = input.denied ? '拒赔案件' : '零结案件';
    return {
      ...base,
      required: false,
      opens: null,
      due: null,
      explanation: `${what}从车险已决回访清单中删除，不需回访。`,
      warnings: [],
    };
  }
  const sink = new WarningSink();
  const opens = addDays(input.paymentDate, CAR_CLAIM_FIRST_DAY);
  const p = periodInDays(cal, input.paymentDate, CAR_CLAIM_DAYS, sink);
  return {
    ...base,
    required: true,
    opens,
    due: p.end,
    explanation:
      `赔款支付日 ${input.paymentDate}，支付后 ${CAR_CLAIM_DAYS} 日内回访，自第 ${CAR_CLAIM_FIRST_DAY} 日（${opens}）开始；` +
      `${CAR_CLAIM_DAYS} 日自次日起算，${p.text}，应于 ${p.end} 前（含当日）完成回访。`,
    warnings: sink.messages(),
  };
}

// 《XX保险股份有限公司客户回访管理办法》第6条(1): 保单到期前一个季度.
export function renewalRule(input: RenewalInput, cal: WorkCalendar): DeadlineResult {
  const sink = new WarningSink();
  const opens = quarterBefore(input.expiryDate);
  const info = sink.take(cal.dayKind(input.expiryDate));
  let restNote = '';
  if (info.kind === 'weekend' || info.kind === 'holiday') {
    // Extending past expiry would put the visit after the cover ended, so the last working day is named instead.
    const last = sink.take(cal.previousWorkingDayOnOrBefore(input.expiryDate));
    restNote = `到期日为${describeDay(info)}，不顺延，宜在最后一个工作日 ${last} 前完成。`;
  }
  return {
    kind: 'renewal',
    required: true,
    opens,
    due: input.expiryDate,
    explanation:
      `保单到期日 ${input.expiryDate}，续保回访在到期前一个季度（3 个月）内进行：自 ${opens} 起，至 ${input.expiryDate} 止。` +
      restNote,
    warnings: sink.messages(),
    source: SOURCES.renewal,
    visitee: INSURED_CONTACT,
  };
}

// 《客户回访管理制度》五 1: after each field visit logged on a 外勤单, the visit specialist phones
// the client within 24 hours.
export function salesCallRule(input: SalesCallInput, cal: WorkCalendar): DeadlineResult {
  const sink = new WarningSink();
  const nominal = addDays(input.visitDate, 1);
  const end = extendToWorkingDay(cal, nominal, sink, '24 小时届满日');
  const at = input.visitTime ? ` ${input.visitTime}` : '';
  const tail = end.shifted
    ? `${end.text}，应于 ${end.end} 前（含当日）完成。`
    : input.visitTime
      ? `${end.text}，应于 ${nominal} ${input.visitTime} 前完成。`
      : `${end.text}，应于 ${nominal} 前（含当日）完成。`;
  return {
    kind: 'sales_call',
    required: true,
    opens: input.visitDate,
    due: end.end,
    explanation: `外勤拜访日 ${input.visitDate}${at}，由客户回访专员在拜访后 24 小时内电话回访；${tail}`,
    warnings: sink.messages(),
    source: SOURCES.salesCallAndPartner,
    visitee: '外勤单所列客户联系人',
  };
}

const SERVICE_EVENT_VISITEES = {
  grace_period: '投保人',
  lapsed: '投保人',
  surrender: '投保人',
  claim_payment: '被保险人或受益人',
} as const;

// 《保险公司客户回访工作指引》（山东）第一章 四: renewals in the grace period, lapsed policies,
// surrenders and claim payments are visit items; the guideline sets no deadline.
export function serviceEventRule(input: ServiceEventInput): DeadlineResult {
  const what = SERVICE_EVENT_LABELS[input.event];
  const when = input.eventDate ? `（发生日 ${input.eventDate}）` : '';
  return {
    kind: 'service_event',
    required: true,
    opens: input.eventDate,
    due: null,
    explanation: `${what}${when}属客户回访项目，须回访；指引未规定回访期限。本指引适用于山东辖区人身保险公司，其他地区可参照执行。`,
    warnings: [],
    source: SOURCES.serviceEvent,
    visitee: SERVICE_EVENT_VISITEES[input.event],
  };
}
