/** Periodic and life-cycle customer visits, and survival benefit payments. */
import type { WorkCalendar } from '../calendar';
import { type CycleUnit, type IsoDate, addDays, compareDates, cycleOf, nextCycle } from '../dates';
import type { Cycle } from '../dates';
import { WarningSink, describeDay, periodInMonths } from './counting';
import type {
  ComplaintCustomerInput,
  KeyClientInput,
  LostCustomerInput,
  NewCustomerInput,
  ShareholderClientInput,
  SurvivalBenefitInput,
  ValueTierInput,
} from './schemas';
import { PAYMENT_METHOD_LABELS, VALUE_TIER_LABELS } from './schemas';
import { SOURCES } from './sources';
import type { DeadlineResult, VisitKind } from './types';

const ORG_CLIENT_CONTACT = '客户的保险事务负责人、财务经理或行政经理、实际控制人或法定代表人';

interface PeriodicArgs {
  kind: VisitKind;
  unit: CycleUnit;
  today: IsoDate;
  lastVisitDate: IsoDate | null;
  /** The rule in one sentence, ending in 。 */
  head: string;
  source: string;
  visitee?: string;
}

/** A note when a cycle ends on a rest day: the end is not extended into the next cycle. */
function cycleEndNote(cal: WorkCalendar, cycle: Cycle, sink: WarningSink): string {
  const info = sink.take(cal.dayKind(cycle.end));
  if (info.kind !== 'weekend' && info.kind !== 'holiday') return '';
  const last = sink.take(cal.previousWorkingDayOnOrBefore(cycle.end));
  return `周期末日 ${cycle.end} 为${describeDay(info)}，不顺延至下一周期，宜在最后一个工作日 ${last} 前完成。`;
}

function periodicRule(cal: WorkCalendar, a: PeriodicArgs): DeadlineResult {
  const sink = new WarningSink();
  const current = cycleOf(a.today, a.unit);
  const satisfied = a.lastVisitDate !== null && compareDates(a.lastVisitDate, current.start) >= 0;
  const base = { kind: a.kind, source: a.source, ...(a.visitee ? { visitee: a.visitee } : {}) };
  if (satisfied) {
    const next = nextCycle(current);
    const note = cycleEndNote(cal, next, sink);
    return {
      ...base,
      required: false,
      opens: next.start,
      due: next.end,
      cycle: { ...current, satisfied: true },
      explanation: `${a.head}${current.label}已于 ${a.lastVisitDate} 回访，本周期无需再访；下次应在 ${next.label}（${next.start} 至 ${next.end}）内完成。${note}`,
      warnings: sink.messages(),
    };
  }
  const last = a.lastVisitDate ? `上次回访 ${a.lastVisitDate}` : '无回访记录';
  const note = cycleEndNote(cal, current, sink);
  return {
    ...base,
    required: true,
    opens: current.start,
    due: current.end,
    cycle: { ...current, satisfied: false },
    overdue: false,
    explanation: `${a.head}${current.label}（${current.start} 至 ${current.end}）内尚未回访（${last}），应于 ${current.end} 前（含当日）完成。${note}`,
    warnings: sink.messages(),
  };
}

// 《XX保险股份有限公司客户回访管理办法》第7条(1): 重点客户每年至少一次现场回访.
export function keyClientRule(input: KeyClientInput, cal: WorkCalendar): DeadlineResult {
  return periodicRule(cal, {
    kind: 'key_client',
    unit: 'year',
    today: input.today,
    lastVisitDate: input.lastVisitDate,
    head: '重点客户每年至少进行一次现场回访。',
    source: SOURCES.keyAndShareholderClient,
    visitee: ORG_CLIENT_CONTACT,
  });
}

// 《XX保险股份有限公司客户回访管理办法》第7条(1): 股东相关客户每半年至少一次现场回访.
export function shareholderClientRule(input: ShareholderClientInput, cal: WorkCalendar): DeadlineResult {
  return periodicRule(cal, {
    kind: 'shareholder_client',
    unit: 'half',
    today: input.today,
    lastVisitDate: input.lastVisitDate,
    head: '股东相关客户每半年至少进行一次现场回访。',
    source: SOURCES.keyAndShareholderClient,
    visitee: ORG_CLIENT_CONTACT,
  });
}

const TIER_UNITS = { high: 'quarter', medium: 'half', low: 'year' } as const;
const TIER_FREQUENCY = { high: '每季度', medium: '每半年', low: '每年' } as const;

// 《客户回访管理制度》二、管理标准 1.1–1.2: high value quarterly, medium half-yearly, low yearly;
// the plan is made at the start of each quarter and the time confirmed with the client.
export function valueTierRule(input: ValueTierInput, cal: WorkCalendar): DeadlineResult {
  return periodicRule(cal, {
    kind: 'value_tier',
    unit: TIER_UNITS[input.tier],
    today: input.today,
    lastVisitDate: input.lastVisitDate,
    head: `${VALUE_TIER_LABELS[input.tier]}回访频率不少于${TIER_FREQUENCY[input.tier]}一次；回访计划在每季度初订立，并提前与客户确认回访时间。`,
    source: SOURCES.valueTier,
  });
}

// 《公司客户回访管理规定》4: 流失客户至少每年一次.
export function lostCustomerRule(input: LostCustomerInput, cal: WorkCalendar): DeadlineResult {
  return periodicRule(cal, {
    kind: 'lost_customer',
    unit: 'year',
    today: input.today,
    lastVisitDate: input.lastVisitDate,
    head: '流失客户至少每年回访一次，以挽回客户并了解流失原因。',
    source: SOURCES.customerTypes,
  });
}

// 《公司客户回访管理规定》4: a new customer is visited at once, and again at least once within
// the following month. "At once" is taken as no later than the next working day.
export function newCustomerRule(input: NewCustomerInput, cal: WorkCalendar): DeadlineResult {
  const sink = new WarningSink();
  const start = input.startDate;
  const initialDue = sink.take(cal.addWorkingDays(start, 1));
  const month = periodInMonths(cal, start, 1, sink);
  const head =
    `新客户（成为客户日 ${start}）应立即进行初次回访（按不迟于次一工作日 ${initialDue} 掌握），` +
    `并在此后一个月内再回访至少一次：1 个月自次日起算，${month.text}。`;
  const base = { kind: 'new_customer' as const, source: SOURCES.customerTypes };
  const extra: string[] = [];
  const overdueBy = (due: IsoDate): boolean => input.today !== null && compareDates(input.today, due) > 0;

  if (input.firstVisitDate === null) {
    const overdue = overdueBy(initialDue);
    return {
      ...base,
      required: true,
      stage: 'initial',
      opens: start,
      due: initialDue,
      ...(input.today !== null ? { overdue } : {}),
      explanation: `${head}尚未初次回访，应于 ${initialDue} 前（含当日）完成。${overdue ? `今天 ${input.today} 已超过期限。` : ''}`,
      warnings: sink.messages(),
    };
  }
  if (compareDates(input.firstVisitDate, initialDue) > 0) {
    extra.push(`初次回访日 ${input.firstVisitDate} 晚于 ${initialDue}，未做到立即回访`);
  }
  if (input.followUpVisitDate === null) {
    const opens = addDays(input.firstVisitDate, 1);
    const overdue = overdueBy(month.end);
    return {
      ...base,
      required: true,
      stage: 'follow_up',
      opens,
      due: month.end,
      ...(input.today !== null ? { overdue } : {}),
      explanation: `${head}已于 ${input.firstVisitDate} 初次回访，尚需在 ${month.end} 前（含当日）再回访一次。${overdue ? `今天 ${input.today} 已超过期限。` : ''}`,
      warnings: [...sink.messages(), ...extra],
    };
  }
  if (compareDates(input.followUpVisitDate, month.end) > 0) {
    extra.push(`跟进回访日 ${input.followUpVisitDate} 晚于一个月期限 ${month.end}`);
  }
  return {
    ...base,
    required: false,
    stage: 'done',
    opens: start,
    due: month.end,
    explanation: `${head}已于 ${input.firstVisitDate} 初次回访、${input.followUpVisitDate} 跟进回访，两次回访均已完成。`,
    warnings: [...sink.messages(), ...extra],
  };
}

// 《公司客户回访管理规定》4: a complaining customer is visited once after the complaint is resolved.
export function complaintCustomerRule(input: ComplaintCustomerInput): DeadlineResult {
  const base = { kind: 'complaint_customer' as const, source: SOURCES.customerTypes, due: null, warnings: [] };
  if (input.resolvedDate === null) {
    return {
      ...base,
      required: false,
      opens: null,
      explanation: '投诉尚未解决；解决后应进行一次回访，确保客户满意度提升。',
    };
  }
  if (input.visitDate !== null) {
    return {
      ...base,
      required: false,
      opens: input.resolvedDate,
      explanation: `投诉于 ${input.resolvedDate} 解决，已于 ${input.visitDate} 回访，无需再访。`,
    };
  }
  return {
    ...base,
    required: true,
    opens: input.resolvedDate,
    explanation: `投诉于 ${input.resolvedDate} 解决，应进行一次回访，确保客户满意度提升；规定未设回访期限，宜尽快安排。`,
  };
}

export const SURVIVAL_BENEFIT_THRESHOLD_YUAN = 1000;

/** 「1,000.00」 without relying on the runtime's locale data. */
export function formatYuan(amount: number): string {
  const [int = '0', frac = '00'] = Math.abs(amount).toFixed(2).split('.');
  return `${amount < 0 ? '-' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

// 《个险银险保全付费回访管理办法》生存给付回访规则: cash not collected in person by the payee and
// ≥ 1000 yuan, or any bank transfer ≥ 1000 yuan, is visited. The applicant is visited when the
// benefit goes to the applicant; otherwise the beneficiary, or the applicant for a juvenile policy.
export function survivalBenefitRule(input: SurvivalBenefitInput): DeadlineResult {
  const payeeLabel = input.payee === 'applicant' ? '投保人' : '受益人';
  const visitee = input.payee === 'applicant' || input.juvenilePolicy ? '投保人' : '受益人';
  const amount = `${formatYuan(input.amount)} 元`;
  const method = PAYMENT_METHOD_LABELS[input.method];
  const reach = input.amount >= SURVIVAL_BENEFIT_THRESHOLD_YUAN;
  const threshold = `${SURVIVAL_BENEFIT_THRESHOLD_YUAN} 元以上（含 ${SURVIVAL_BENEFIT_THRESHOLD_YUAN} 元）`;

  let required: boolean;
  let why: string;
  if (!reach) {
    required = false;
    why = `${method}，金额 ${amount}，低于 ${SURVIVAL_BENEFIT_THRESHOLD_YUAN} 元，无需回访。`;
  } else if (input.method === 'bank_transfer') {
    required = true;
    why = `银行转账领取，金额 ${amount}，在 ${threshold}，不论是否${payeeLabel}亲自办理均需回访。`;
  } else if (input.paidInPerson) {
    required = false;
    why = `现金领取，由${payeeLabel}亲自办理，无需回访（金额 ${amount}）。`;
  } else {
    required = true;
    why = `现金领取，非${payeeLabel}亲自办理，金额 ${amount}，在 ${threshold}，需回访。`;
  }
  const whom = required
    ? input.payee === 'beneficiary' && input.juvenilePolicy
      ? '少儿险，回访对象为投保人。'
      : `回访对象：${visitee}。`
    : '';
  return {
    kind: 'survival_benefit',
    required,
    opens: required ? input.paymentDate : null,
    due: null,
    explanation: `${why}${whom}${required ? '办法未规定回访期限，按每日回访清单安排。' : ''}`,
    warnings: [],
    source: SOURCES.survivalBenefit,
    ...(required ? { visitee } : {}),
  };
}
