import type { Database } from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/api/envelope';
import type { WorkCalendar } from '../../shared/calendar';
import { addDays, compareDates, dateParts, diffDays, isValidIsoDate, maxDate, minDate, monthEnd, monthStart, weekday, yearOf } from '../../shared/dates';
import { ROLE_LABELS, type Role } from '../../shared/domain/roles';
import { CHANNEL_LABELS, TASK_KIND_LABELS } from '../../shared/domain/tasks';
import { PROBLEM_CATEGORY_GROUP_LABELS, categoryInfo, isProblemCategory, sortCategories, type ProblemCategory } from '../../shared/outcome';
import { computeDeadline } from '../../shared/rules';
import type { StatsCategoryRow, StatsFigure, StatsFilters, StatsResult, StatsStaffRow, StatsTrendRow } from '../../shared/stats/types';
import { localIsoDate } from '../app/clock';

/** A period longer than this is refused: yearly reports are the longest the branch makes. */
export const MAX_PERIOD_DAYS = 366;

/**
 * The definitions, word for word as the page and the workbook show them. Change a computation
 * only together with its definition here.
 */
export const DEFINITIONS = {
  due: '应访数：需要回访（visit_required = 1）且应完成日（回访期限 due_on）落在统计期内的回访任务数。以应完成日定期间；没有应完成日的任务不计入。',
  success:
    '成功数：上述应访任务中，截至统计日已有一份现行定稿记录（不含被更正替代的旧版本）的回访结果为“成功”（本人或经授权家属接听、逐项告知、全部答复肯定）的任务数，不论定稿在哪天。',
  successRate: '回访成功率 = 成功数 ÷ 应访数。',
  finalised:
    '定稿回访数：首次定稿日期落在统计期内的回访记录数（每份记录按现行版本计一次；更正不改变记录所属期间）。“已退回待更正”的记录按原结果计入。',
  problem: '问题件数：上述定稿回访记录中，现行版本结果为“问题件”（接通但有答复不肯定）的记录数。',
  problemRate: '问题件率 = 问题件数 ÷ 定稿回访数（分母含成功、问题件、未完成等全部定稿记录）。',
  coolingOffDue:
    '犹豫期内应访数：新契约回访任务中，应完成日（即犹豫期末日，遇节假日顺延至其后第一个工作日）落在统计期内的任务数。',
  coolingOffOnTime:
    '犹豫期内完成数：上述新契约任务中，回访结果为“成功”或“问题件”（客户已接通并完成问卷）且该记录首次定稿日不晚于应完成日的任务数。',
  coolingOffRate: '犹豫期内回访完成率 = 犹豫期内完成数 ÷ 犹豫期内应访数。',
  overdueOpen:
    '逾期未完成数：应访任务中，应完成日早于统计日、截至统计日仍没有“成功”或“问题件”结果的定稿记录的任务数（含已登记无法完成的任务）。',
  overdueLate: '逾期完成数：应访任务中，回访已完成（成功或问题件）但首次定稿日晚于应完成日的任务数。',
  casesOpened: '问题件立案数：立案日期（opened_at 所在日）落在统计期内的问题件数。',
  casesClosedIn3:
    '3 个工作日内处理完毕数：上述问题件中，结案日期不晚于其处理期限（立案时按法定节假日及调休计算的第 3 个工作日）的件数。',
  casesClosedIn3Rate: '3 个工作日内处理率 = 3 个工作日内处理完毕数 ÷ 问题件立案数。',
} as const;

const TABLE_DEFINITIONS = {
  categories:
    '问题分类：统计期内定稿、结果为“问题件”的回访记录按问题类别计数；一份记录可有多个类别，故占比之和可超过 100%。占比 = 该类别记录数 ÷ 问题件数。',
  staff:
    '人员统计：应访数、成功数、逾期未完成数按任务经办人计；定稿回访数、问题件数、未完成数按记录首次定稿时的回访人计；联系次数为联系时间落在统计期内、由该人员登记的联系尝试次数。',
  trends:
    '趋势：按 ISO 周（周一至周日）或自然月分组。应访数、成功数按任务应完成日所在周/月计；定稿回访数、问题件数按记录首次定稿日所在周/月计。首尾不完整的周/月只计统计期内的日子。',
} as const;

const LABELS = {
  due: '应访数',
  success: '成功数',
  successRate: '回访成功率',
  finalised: '定稿回访数',
  problem: '问题件数',
  problemRate: '问题件率',
  coolingOffDue: '犹豫期内应访数',
  coolingOffOnTime: '犹豫期内完成数',
  coolingOffRate: '犹豫期内回访完成率',
  overdueOpen: '逾期未完成数',
  overdueLate: '逾期完成数',
  casesOpened: '问题件立案数',
  casesClosedIn3: '3 个工作日内处理完毕数',
  casesClosedIn3Rate: '3 个工作日内处理率',
} as const;

/** 'YYYY-MM-DD' stays as it is; an ISO instant becomes the branch's calendar date. */
function dayOf(stamp: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(stamp)) return stamp;
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(stamp)) return stamp.slice(0, 10);
  return localIsoDate(new Date(stamp));
}

const inPeriod = (d: string, f: StatsFilters) => compareDates(d, f.from) >= 0 && compareDates(d, f.to) <= 0;
const rate = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** ISO-8601 week of a date: '2026-W48' and its Monday. */
export function isoWeek(date: string): { key: string; monday: string } {
  const monday = addDays(date, 1 - weekday(date));
  const thursday = addDays(monday, 3);
  const year = yearOf(thursday);
  const week = Math.floor(diffDays(`${year}-01-01`, thursday) / 7) + 1;
  return { key: `${year}-W${String(week).padStart(2, '0')}`, monday };
}

function checkFilters(f: StatsFilters): void {
  if (!isValidIsoDate(f.from) || !isValidIsoDate(f.to)) throw new AppError('invalid_input', '统计期间的日期无效，请重新选择', [{ path: 'from', message: '日期无效' }]);
  if (compareDates(f.from, f.to) > 0) {
    throw new AppError('invalid_input', `统计期间的开始日期（${f.from}）晚于结束日期（${f.to}），请重新选择`, [{ path: 'from', message: '开始日期不能晚于结束日期' }]);
  }
  const days = diffDays(f.from, f.to) + 1;
  if (days > MAX_PERIOD_DAYS) {
    throw new AppError('invalid_input', `统计期间为 ${days} 天，超过上限 ${MAX_PERIOD_DAYS} 天。请分段统计（例如按年度）`, [{ path: 'to', message: `期间不能超过 ${MAX_PERIOD_DAYS} 天` }]);
  }
}

interface TaskRow {
  id: number;
  kind: string;
  assignee_id: number | null;
  due_on: string;
}
interface VersionRow {
  task_id: number;
  record_no: string;
  outcome: string | null;
  state: 'finalised' | 'superseded';
  finalised_at: string;
}
interface RecordRow {
  id: number;
  record_no: string;
  outcome: 'success' | 'problem' | 'not_completed' | 'incomplete';
  visitor_id: number;
  first_at: string;
}
interface CaseRow {
  id: number;
  opened_at: string;
  due_on: string | null;
  closed_at: string | null;
}

/** What a task's visits say: succeeded (as of today) and the day it was first completed, if ever. */
interface TaskResult {
  success: boolean;
  completedOn: string | null;
}

/**
 * 统计报表 for a period. Dates are the branch's calendar dates; `today` is the day overdue is
 * measured at. Throws a Chinese AppError for a bad period or a period with nothing to count.
 */
export function computeStats(db: Database, filters: StatsFilters, today: string, calendar: WorkCalendar): StatsResult {
  checkFilters(filters);
  const f = filters;

  // ---- the tasks due in the period (应访) -------------------------------------------------
  const taskWhere = ['t.visit_required = 1', 't.due_on IS NOT NULL', 't.due_on BETWEEN @from AND @to'];
  if (f.channel) taskWhere.push('p.channel = @channel');
  if (f.kind) taskWhere.push('t.kind = @kind');
  if (f.staffId) taskWhere.push('t.assignee_id = @staffId');
  const params = { from: f.from, to: f.to, channel: f.channel ?? null, kind: f.kind ?? null, staffId: f.staffId ?? null };
  const taskFrom = `FROM visit_tasks t LEFT JOIN policies p ON p.id = t.policy_id WHERE ${taskWhere.join(' AND ')}`;
  const tasks = db.prepare(`SELECT t.id, t.kind, t.assignee_id, t.due_on ${taskFrom}`).all(params) as TaskRow[];
  const versions = db
    .prepare(
      `SELECT v.task_id, v.record_no, v.outcome, v.state, v.finalised_at FROM visits v
       WHERE v.state IN ('finalised', 'superseded') AND v.finalised_at IS NOT NULL AND v.task_id IN (SELECT t.id ${taskFrom})`,
    )
    .all(params) as VersionRow[];

  const results = new Map<number, TaskResult>();
  {
    // Per record: the outcome of its current version and the day it was first finalised.
    const records = new Map<string, { taskId: number; outcome: string | null; first: string }>();
    for (const v of versions) {
      const r = records.get(v.record_no) ?? { taskId: v.task_id, outcome: null, first: v.finalised_at };
      if (v.finalised_at < r.first) r.first = v.finalised_at;
      if (v.state === 'finalised') r.outcome = v.outcome;
      records.set(v.record_no, r);
    }
    for (const r of records.values()) {
      const t = results.get(r.taskId) ?? { success: false, completedOn: null };
      if (r.outcome === 'success') t.success = true;
      if (r.outcome === 'success' || r.outcome === 'problem') {
        const day = dayOf(r.first);
        if (t.completedOn === null || compareDates(day, t.completedOn) < 0) t.completedOn = day;
      }
      results.set(r.taskId, t);
    }
  }
  const resultOf = (id: number): TaskResult => results.get(id) ?? { success: false, completedOn: null };
  const isOverdueOpen = (t: TaskRow) => resultOf(t.id).completedOn === null && compareDates(t.due_on, today) < 0;
  const isLate = (t: TaskRow) => {
    const c = resultOf(t.id).completedOn;
    return c !== null && compareDates(c, t.due_on) > 0;
  };

  // ---- the visit records first finalised in the period ----------------------------------
  const recWhere = ["cur.state = 'finalised'", 'first.finalised_at >= @lo', 'first.finalised_at < @hi'];
  if (f.channel) recWhere.push('p.channel = @channel');
  if (f.kind) recWhere.push('cur.kind = @kind');
  if (f.staffId) recWhere.push('first.visitor_id = @staffId');
  const records = (
    db
      .prepare(
        `SELECT cur.id, cur.record_no, cur.outcome, first.visitor_id, first.finalised_at AS first_at
         FROM visits cur JOIN visits first ON first.record_no = cur.record_no AND first.version = 1
         LEFT JOIN policies p ON p.id = cur.policy_id
         WHERE ${recWhere.join(' AND ')}`,
      )
      // A day's margin either side in UTC; the branch's own date is decided below.
      .all({ ...params, lo: `${addDays(f.from, -1)}T00:00`, hi: `${addDays(f.to, 2)}T00:00` }) as RecordRow[]
  ).filter((r) => inPeriod(dayOf(r.first_at), f));
  const problemRecords = records.filter((r) => r.outcome === 'problem');

  // ---- categories of the problem records --------------------------------------------------
  const categoryCounts = new Map<ProblemCategory, number>();
  {
    const stmt = db.prepare('SELECT category FROM visit_outcome_categories WHERE visit_id = ?').pluck();
    for (const r of problemRecords) {
      for (const c of stmt.all(r.id) as string[]) {
        if (isProblemCategory(c)) categoryCounts.set(c, (categoryCounts.get(c) ?? 0) + 1);
      }
    }
  }
  const categories: StatsCategoryRow[] = sortCategories(categoryCounts.keys()).map((code) => {
    const info = categoryInfo(code);
    const count = categoryCounts.get(code) ?? 0;
    return { code, label: info.label, group: PROBLEM_CATEGORY_GROUP_LABELS[info.group], count, share: count / problemRecords.length };
  });

  // ---- problem cases opened in the period -------------------------------------------------
  const caseColumns = new Set((db.prepare("SELECT name FROM pragma_table_info('problem_cases')").pluck().all() as string[]));
  const hasClosedAt = caseColumns.has('closed_at');
  const caseWhere = ['pc.opened_at >= @lo', 'pc.opened_at < @hi'];
  if (f.channel) caseWhere.push('p.channel = @channel');
  if (f.kind) caseWhere.push('COALESCE(v.kind, t.kind) = @kind');
  if (f.staffId) caseWhere.push('COALESCE(first.visitor_id, t.assignee_id) = @staffId');
  const cases = (
    db
      .prepare(
        `SELECT pc.id, pc.opened_at, pc.due_on, ${hasClosedAt ? 'pc.closed_at' : 'NULL'} AS closed_at
         FROM problem_cases pc
         LEFT JOIN policies p ON p.id = pc.policy_id
         LEFT JOIN visits v ON v.id = pc.visit_id
         LEFT JOIN visits first ON first.record_no = v.record_no AND first.version = 1
         LEFT JOIN visit_tasks t ON t.id = pc.task_id
         WHERE ${caseWhere.join(' AND ')}`,
      )
      .all({ ...params, lo: `${addDays(f.from, -1)}T00:00`, hi: `${addDays(f.to, 2)}T00:00` }) as CaseRow[]
  ).filter((c) => inPeriod(dayOf(c.opened_at), f));
  let closedIn3 = 0;
  for (const c of cases) {
    if (!c.closed_at) continue;
    let deadline = c.due_on;
    if (!deadline) {
      const d = computeDeadline({ kind: 'problem_case', workOrderDate: dayOf(c.opened_at) }, calendar);
      deadline = d.ok ? d.value.due : null;
    }
    if (deadline && compareDates(dayOf(c.closed_at), deadline) <= 0) closedIn3++;
  }

  if (tasks.length === 0 && records.length === 0 && cases.length === 0) {
    throw new AppError(
      'not_found',
      `${f.from} 至 ${f.to}${describeFilters(db, f)}没有应访任务、定稿回访记录或问题件，无法计算统计指标。请换一个统计期间或放宽筛选条件。`,
    );
  }

  // ---- the headline figures -----------------------------------------------------------------
  const success = tasks.filter((t) => resultOf(t.id).success).length;
  const newPolicy = f.kind && f.kind !== 'new_policy' ? null : tasks.filter((t) => t.kind === 'new_policy');
  const onTime = newPolicy?.filter((t) => {
    const c = resultOf(t.id).completedOn;
    return c !== null && compareDates(c, t.due_on) <= 0;
  }).length;
  const count = (key: keyof typeof LABELS, value: number | null, note?: string): StatsFigure => ({
    key,
    label: LABELS[key],
    format: 'count',
    value,
    definition: DEFINITIONS[key],
    ...(note ? { note } : {}),
  });
  const ratio = (key: keyof typeof LABELS, n: number | null | undefined, d: number | null | undefined, emptyNote: string, note?: string): StatsFigure => {
    if (n === null || n === undefined || d === null || d === undefined) return { key, label: LABELS[key], format: 'rate', value: null, definition: DEFINITIONS[key], note: note ?? emptyNote };
    const v = rate(n, d);
    return { key, label: LABELS[key], format: 'rate', value: v, numerator: n, denominator: d, definition: DEFINITIONS[key], ...(v === null ? { note: emptyNote } : note ? { note } : {}) };
  };
  const notNewPolicy = '筛选的回访项目不是新契约回访，不适用犹豫期指标';
  const noClosedAt = '本机数据尚未记录问题件结案日期（需升级数据库），暂不能统计';
  const figures: StatsFigure[] = [
    count('due', tasks.length),
    count('success', success),
    ratio('successRate', success, tasks.length, '统计期内没有应访任务，无法计算成功率'),
    count('finalised', records.length),
    count('problem', problemRecords.length),
    ratio('problemRate', problemRecords.length, records.length, '统计期内没有定稿回访记录，无法计算问题件率'),
    newPolicy ? count('coolingOffDue', newPolicy.length) : count('coolingOffDue', null, notNewPolicy),
    newPolicy ? count('coolingOffOnTime', onTime ?? 0) : count('coolingOffOnTime', null, notNewPolicy),
    newPolicy ? ratio('coolingOffRate', onTime, newPolicy.length, '统计期内没有到期的新契约回访任务，无法计算') : ratio('coolingOffRate', null, null, notNewPolicy),
    count('overdueOpen', tasks.filter(isOverdueOpen).length),
    count('overdueLate', tasks.filter(isLate).length),
    count('casesOpened', cases.length),
    hasClosedAt ? count('casesClosedIn3', closedIn3) : count('casesClosedIn3', null, noClosedAt),
    hasClosedAt
      ? ratio('casesClosedIn3Rate', closedIn3, cases.length, '统计期内没有立案的问题件，无法计算')
      : ratio('casesClosedIn3Rate', null, null, noClosedAt),
  ];

  // ---- per staff ----------------------------------------------------------------------------
  const users = db
    .prepare("SELECT id, display_name, role, disabled FROM users WHERE role != 'admin' ORDER BY id")
    .all() as { id: number; display_name: string; role: Role; disabled: number }[];
  const attemptWhere = ['a.attempted_at >= @from', 'a.attempted_at < @toNext'];
  if (f.channel) attemptWhere.push('p.channel = @channel');
  if (f.kind) attemptWhere.push('t.kind = @kind');
  if (f.staffId) attemptWhere.push('a.user_id = @staffId');
  const attempts = new Map(
    (
      db
        .prepare(
          `SELECT a.user_id, count(*) AS n FROM contact_attempts a JOIN visit_tasks t ON t.id = a.task_id LEFT JOIN policies p ON p.id = t.policy_id
           WHERE ${attemptWhere.join(' AND ')} GROUP BY a.user_id`,
        )
        .all({ ...params, toNext: addDays(f.to, 1) }) as { user_id: number; n: number }[]
    ).map((r) => [r.user_id, r.n]),
  );
  const staff: StatsStaffRow[] = [];
  for (const u of users) {
    if (f.staffId && u.id !== f.staffId) continue;
    const mine = tasks.filter((t) => t.assignee_id === u.id);
    const recs = records.filter((r) => r.visitor_id === u.id);
    const row: StatsStaffRow = {
      userId: u.id,
      name: u.display_name,
      role: u.role,
      due: mine.length,
      success: mine.filter((t) => resultOf(t.id).success).length,
      successRate: null,
      finalised: recs.length,
      problem: recs.filter((r) => r.outcome === 'problem').length,
      notCompleted: recs.filter((r) => r.outcome === 'not_completed' || r.outcome === 'incomplete').length,
      attempts: attempts.get(u.id) ?? 0,
      overdueOpen: mine.filter(isOverdueOpen).length,
    };
    row.successRate = rate(row.success, row.due);
    // A disabled account appears only if it did or was given work in the period.
    if (u.disabled && row.due + row.finalised + row.attempts === 0) continue;
    staff.push(row);
  }

  // ---- trends ---------------------------------------------------------------------------------
  const bucketRows = (buckets: { key: string; start: string; end: string; fullStart: string; fullEnd: string }[]): StatsTrendRow[] =>
    buckets.map((b) => {
      const due = tasks.filter((t) => compareDates(t.due_on, b.start) >= 0 && compareDates(t.due_on, b.end) <= 0);
      const recs = records.filter((r) => {
        const d = dayOf(r.first_at);
        return compareDates(d, b.start) >= 0 && compareDates(d, b.end) <= 0;
      });
      const succ = due.filter((t) => resultOf(t.id).success).length;
      const prob = recs.filter((r) => r.outcome === 'problem').length;
      return {
        key: b.key,
        start: b.start,
        end: b.end,
        partial: b.start !== b.fullStart || b.end !== b.fullEnd,
        due: due.length,
        success: succ,
        successRate: rate(succ, due.length),
        finalised: recs.length,
        problem: prob,
        problemRate: rate(prob, recs.length),
      };
    });
  const weeks: { key: string; start: string; end: string; fullStart: string; fullEnd: string }[] = [];
  for (let monday = isoWeek(f.from).monday; compareDates(monday, f.to) <= 0; monday = addDays(monday, 7)) {
    const sunday = addDays(monday, 6);
    weeks.push({ key: isoWeek(monday).key, start: maxDate(monday, f.from), end: minDate(sunday, f.to), fullStart: monday, fullEnd: sunday });
  }
  const months: typeof weeks = [];
  for (let first = monthStart(f.from); compareDates(first, f.to) <= 0; first = addDays(monthEnd(first), 1)) {
    const last = monthEnd(first);
    const p = dateParts(first);
    months.push({ key: `${p.year}-${String(p.month).padStart(2, '0')}`, start: maxDate(first, f.from), end: minDate(last, f.to), fullStart: first, fullEnd: last });
  }

  // ---- warnings -------------------------------------------------------------------------------
  const warnings: string[] = [];
  // Deadlines of cases opened near the end of the period run into the next weeks.
  const lastDay = addDays(f.to, 20);
  for (let y = yearOf(f.from); y <= yearOf(lastDay); y++) {
    if (!calendar.hasYear(y)) {
      warnings.push(
        `${y} 年节假日安排尚未载入：涉及该年的应完成日与“3 个工作日内处理”期限按普通周末计算，相关指标可能不准。请管理员在「设置 → 规则与日历」载入该年日历。`,
      );
    }
  }
  if (compareDates(f.to, today) > 0) warnings.push(`统计期间延伸到今天（${today}）之后：未来的应访任务尚未到期，成功率等指标会随回访推进而变化。`);

  return {
    filters: {
      ...f,
      channelLabel: f.channel ? CHANNEL_LABELS[f.channel] : null,
      kindLabel: f.kind ? TASK_KIND_LABELS[f.kind] : null,
      staffName: f.staffId ? ((db.prepare('SELECT display_name FROM users WHERE id = ?').pluck().get(f.staffId) as string | undefined) ?? null) : null,
    },
    asOf: today,
    warnings,
    figures,
    tableDefinitions: TABLE_DEFINITIONS,
    categories,
    staff,
    weeks: bucketRows(weeks),
    months: bucketRows(months),
  };
}

function describeFilters(db: Database, f: StatsFilters): string {
  const parts: string[] = [];
  if (f.channel) parts.push(`渠道“${CHANNEL_LABELS[f.channel]}”`);
  if (f.kind) parts.push(`回访项目“${TASK_KIND_LABELS[f.kind]}”`);
  if (f.staffId) {
    const u = db.prepare('SELECT display_name, role FROM users WHERE id = ?').get(f.staffId) as { display_name: string; role: Role } | undefined;
    parts.push(u ? `人员“${u.display_name}（${ROLE_LABELS[u.role]}）”` : `人员编号 ${f.staffId}`);
  }
  return parts.length ? `（${parts.join('、')}）` : '';
}
