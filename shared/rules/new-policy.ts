/**
 * New policies (新契约/新单) of term over one year with an individual applicant must be visited
 * 100% within the cooling-off period (犹豫期).
 * Source: 《重庆市人身保险新单回访管理办法》第三条、第四条; 山东保监局 鲁保监发〔2013〕18号 二.
 */
import type { WorkCalendar } from '../calendar';
import { type IsoDate, compareDates } from '../dates';
import { WarningSink, periodInDays } from './counting';
import type { NewPolicyInput } from './schemas';
import { SOURCES } from './sources';
import type { DeadlineResult, NewPolicyVisitAssessment } from './types';

/** 重庆 第四条: not fewer than 10 days. */
export const DEFAULT_COOLING_OFF_DAYS = 10;
/** 重庆 第四条: a surrender within 7 days after a late visit counts as within cooling-off. */
export const LATE_VISIT_SURRENDER_DAYS = 7;

export interface CoolingOffFacts {
  /** null while the receipt is not yet signed. */
  receiptSignedDate: IsoDate | null;
  visitDate: IsoDate;
  coolingOffDays?: number | undefined;
}

/**
 * Classifies a new-policy visit against the cooling-off period (重庆 第四条):
 * - before: the visit came before the receipt was signed → a re-visit (补访) is due inside the period;
 * - within: the visit satisfies the rule;
 * - after: record that a surrender requested within 7 days after the visit is treated as within
 *   cooling-off (山东 二 makes such a visit count as a successful in-period visit only if the company
 *   has that rule).
 * A visit on the signing day itself counts as within: the customer's rights run from the signing,
 * and Civil Code counting only decides where the period ends.
 */
export function classifyNewPolicyVisit(facts: CoolingOffFacts, cal: WorkCalendar): NewPolicyVisitAssessment {
  const sink = new WarningSink();
  const extraWarnings: string[] = [];
  const days = facts.coolingOffDays ?? DEFAULT_COOLING_OFF_DAYS;
  const { receiptSignedDate: signed, visitDate: visit } = facts;

  if (signed === null) {
    return {
      timing: 'before',
      coolingOff: null,
      revisitRequired: true,
      revisitDue: null,
      surrenderWindow: null,
      explanation: `回访日 ${visit} 时回执尚未签署，犹豫期尚未开始，属犹豫期前回访；须在回执签署后的 ${days} 日犹豫期内补访。`,
      warnings: [],
    };
  }

  const period = periodInDays(cal, signed, days, sink);
  const range = `${period.start} 至 ${period.end}`;

  if (compareDates(visit, signed) < 0) {
    return {
      timing: 'before',
      coolingOff: { start: period.start, end: period.end },
      revisitRequired: true,
      revisitDue: period.end,
      surrenderWindow: null,
      explanation: `回访日 ${visit} 早于回执签署日 ${signed}，属犹豫期前回访，须在犹豫期内（${range}）补访，最迟 ${period.end}。`,
      warnings: sink.messages(),
    };
  }

  if (compareDates(visit, period.end) <= 0) {
    if (compareDates(visit, signed) === 0) {
      extraWarnings.push('回访与回执签署在同一天，请确认回访发生在签署之后；若在签署之前，应在犹豫期内补访');
    }
    return {
      timing: 'within',
      coolingOff: { start: period.start, end: period.end },
      revisitRequired: false,
      revisitDue: null,
      surrenderWindow: null,
      explanation: `回访日 ${visit} 在犹豫期内（${range}），满足犹豫期内回访要求。`,
      warnings: [...sink.messages(), ...extraWarnings],
    };
  }

  const window = periodInDays(cal, visit, LATE_VISIT_SURRENDER_DAYS, sink);
  const windowEnd = window.shifted ? `，${window.text}` : '';
  return {
    timing: 'after',
    coolingOff: { start: period.start, end: period.end },
    revisitRequired: false,
    revisitDue: null,
    surrenderWindow: { from: window.start, to: window.end },
    explanation:
      `回访日 ${visit} 已过犹豫期（${range}），属犹豫期后回访：投保人在回访后 ${LATE_VISIT_SURRENDER_DAYS} 日内` +
      `（${window.start} 至 ${window.end}${windowEnd}）申请退保的，应视同犹豫期内撤单处理，请在回访记录中载明。`,
    warnings: sink.messages(),
  };
}

// 重庆 第三条/第四条; 山东 鲁保监发〔2013〕18号 二.
export function newPolicyRule(input: NewPolicyInput, cal: WorkCalendar): DeadlineResult {
  const sink = new WarningSink();
  const days = input.coolingOffDays ?? DEFAULT_COOLING_OFF_DAYS;
  const individual = input.individualApplicant ?? true;
  const base = { kind: 'new_policy' as const, source: SOURCES.newPolicy, visitee: '投保人' };

  if (!(input.termYears > 1) || !individual) {
    const why = !individual
      ? '投保人不是个人，不属于个人新契约'
      : `保险期限 ${input.termYears} 年，不属于保险期限超过一年的新单`;
    return { ...base, required: false, opens: null, due: null, explanation: `${why}，不要求在犹豫期内回访。`, warnings: [] };
  }

  const head = '保险期限超过一年、投保人为个人的新契约，须在犹豫期内 100% 完成回访。';
  let result: DeadlineResult;
  if (input.receiptSignedDate === null) {
    result = {
      ...base,
      required: true,
      opens: null,
      due: null,
      explanation: `${head}回执尚未签署，犹豫期尚未开始；回执签署后，犹豫期 ${days} 日自签署次日起算。`,
      warnings: [],
    };
  } else {
    const signed = input.receiptSignedDate;
    const period = periodInDays(cal, signed, days, sink);
    result = {
      ...base,
      required: true,
      opens: signed,
      due: period.end,
      explanation: `${head}回执签署日 ${signed}，犹豫期 ${days} 日自次日起算，${period.text}，应于 ${period.end} 前（含当日）完成回访。`,
      warnings: sink.messages(),
    };
  }

  if (input.visitDate !== null) {
    const assessment = classifyNewPolicyVisit(
      { receiptSignedDate: input.receiptSignedDate, visitDate: input.visitDate, coolingOffDays: days },
      cal,
    );
    result.newPolicyVisit = assessment;
    result.explanation += assessment.explanation;
    result.warnings = [...new Set([...result.warnings, ...assessment.warnings])];
    // A visit inside the period (or a late one, whose consequence is the surrender window) leaves
    // nothing owed; a visit before the period leaves the re-visit owed in the same window.
    result.required = assessment.timing === 'before';
  }
  return result;
}
