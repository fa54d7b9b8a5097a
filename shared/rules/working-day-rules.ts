/** Deadlines counted in working days (工作日), skipping weekends and holidays but not make-up days. */
import type { WorkCalendar } from '../calendar';
import { type Cycle, addDays, compareDates, cycleOf, nextCycle } from '../dates';
import { WarningSink, countWorkingDays } from './counting';
import type { FollowUpCaseInput, PartnerClientInput, ProblemCaseInput } from './schemas';
import { SOURCES } from './sources';
import type { DeadlineResult } from './types';

export const PROBLEM_CASE_WORKING_DAYS = 3;
export const FOLLOW_UP_WORKING_DAYS = 2;
export const PARTNER_WORKING_DAYS = 3;

// 《客户回访规范与管理》回访问题件第6项: a problem case not handled within three working days of
// the work order (and with no special-circumstance report) is itself listed as a quality breach.
export function problemCaseRule(input: ProblemCaseInput, cal: WorkCalendar): DeadlineResult {
  const sink = new WarningSink();
  const count = countWorkingDays(cal, input.workOrderDate, PROBLEM_CASE_WORKING_DAYS, sink);
  return {
    kind: 'problem_case',
    required: true,
    opens: input.workOrderDate,
    due: count.end,
    explanation:
      `问题件工单下达日 ${input.workOrderDate}，${count.text}；应于 ${count.end} 前（含当日）处理完毕，` +
      `逾期未处理且未上报特殊情况申明的，列入问题件清单。`,
    warnings: sink.messages(),
    source: SOURCES.problemCase,
    visitee: '投保人',
  };
}

// 《个险银险保全付费回访管理办法》回访流程: the follow-up list (跟踪件清单) goes to the responsible
// post, which acts within two working days.
export function followUpCaseRule(input: FollowUpCaseInput, cal: WorkCalendar): DeadlineResult {
  const sink = new WarningSink();
  const count = countWorkingDays(cal, input.listDate, FOLLOW_UP_WORKING_DAYS, sink);
  return {
    kind: 'follow_up_case',
    required: true,
    opens: input.listDate,
    due: count.end,
    explanation: `跟踪件清单下发日 ${input.listDate}，${count.text}；相关岗位应于 ${count.end} 前（含当日）处理完毕。`,
    warnings: sink.messages(),
    source: SOURCES.followUpCase,
  };
}

interface PartnerWindow {
  cycle: Cycle;
  opens: string;
  due: string;
  text: string;
}

function partnerWindow(cal: WorkCalendar, cycle: Cycle, sink: WarningSink): PartnerWindow {
  const count = countWorkingDays(cal, addDays(cycle.start, -1), PARTNER_WORKING_DAYS, sink);
  const opens = count.days[0] ?? cycle.start;
  return {
    cycle,
    opens,
    due: count.end,
    text: `${cycle.label}的前 ${PARTNER_WORKING_DAYS} 个工作日为 ${count.listed}`,
  };
}

// 《客户回访管理制度》五 2: partner clients are phoned once a month, starting on the first working
// day and finished within the first three working days.
export function partnerClientRule(input: PartnerClientInput, cal: WorkCalendar): DeadlineResult {
  const sink = new WarningSink();
  const current = cycleOf(input.today, 'month');
  const satisfied = input.lastVisitDate !== null && compareDates(input.lastVisitDate, current.start) >= 0;
  const head = `合作客户每月电话回访一次，自每月第一个工作日开始，前 ${PARTNER_WORKING_DAYS} 个工作日内完成。`;
  const base = {
    kind: 'partner_client' as const,
    source: SOURCES.salesCallAndPartner,
    visitee: '合作客户联系人',
  };
  if (satisfied) {
    const next = partnerWindow(cal, nextCycle(current), sink);
    return {
      ...base,
      required: false,
      opens: next.opens,
      due: next.due,
      cycle: { ...current, satisfied: true },
      explanation: `${head}本月已于 ${input.lastVisitDate} 回访；下次：${next.text}，应于 ${next.due} 前（含当日）完成。`,
      warnings: sink.messages(),
    };
  }
  const w = partnerWindow(cal, current, sink);
  const overdue = compareDates(input.today, w.due) > 0;
  return {
    ...base,
    required: true,
    opens: w.opens,
    due: w.due,
    cycle: { ...current, satisfied: false },
    overdue,
    explanation:
      `${head}${w.text}，应于 ${w.due} 前（含当日）完成` + (overdue ? `；今天 ${input.today} 已超过期限。` : '。'),
    warnings: sink.messages(),
  };
}
