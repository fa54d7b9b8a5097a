import ExcelJS from 'exceljs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { ListKind, ListPage, ProblemCaseRow } from '../../shared/api/contract';
import { AppError } from '../../shared/api/envelope';
import type { WorkCalendar } from '../../shared/calendar';
import { addDays } from '../../shared/dates';
import { maskPhone } from '../../shared/domain/masking';
import { TASK_KIND_LABELS, TASK_SOURCE_LABELS, TASK_STATUS_LABELS, type TaskKind, type TaskSource, type TaskStatus } from '../../shared/domain/tasks';
import { ATTEMPT_OUTCOME_LABELS, CONTACT_METHODS, OUTCOME_STATUS_LABELS, type AttemptOutcome, type ContactMethod, type OutcomeStatus } from '../../shared/outcome';
import { localIsoDate } from '../app/clock';
import { problemListRows } from '../problems/problem-service';
import type { JobContext } from '../jobs/job-runner';
import { DUE_EXPLANATION_SQL } from '../tasks/deadline-texts';
import { LIST_COLUMNS, LIST_TITLES } from './columns';
import { cellsOf, nextTurn, NUM_FMT, openOutput, styleHeader } from './xlsx-out';

/** Rows written between progress reports, cancel checks and turns of the event loop. */
export const EXPORT_CHUNK_ROWS = 2000;

/** Statuses in which the branch owes nothing more on a task (a failed task is on the 不成功件清单). */
const CLOSED = "'done', 'to_countersign', 'failed'";

type Row = Record<string, string | number | null>;
type Values = Record<string, string | null>;

interface Query {
  /** Ordered SELECT of every row of the list. */
  sql: string;
  params: (string | number | null)[];
  key: (r: Row) => string;
  values: (r: Row) => Values;
  scope: string;
}

const str = (v: string | number | null | undefined): string | null => (v === null || v === undefined ? null : String(v));
const kindLabel = (k: unknown) => (typeof k === 'string' ? (TASK_KIND_LABELS[k as TaskKind] ?? k) : null);
const statusLabel = (s: unknown) => (typeof s === 'string' ? (TASK_STATUS_LABELS[s as TaskStatus] ?? s) : null);
const methodLabel = (m: unknown) => CONTACT_METHODS.find((c) => c.code === m)?.label ?? str(m as string | null);
const outcomeLabel = (m: unknown, o: unknown) =>
  typeof m === 'string' && typeof o === 'string' ? (ATTEMPT_OUTCOME_LABELS[m as ContactMethod]?.[o as AttemptOutcome] ?? o) : null;
const PROBLEM_STATE_LABELS: Record<string, string> = { open: '待处理', explained: '已解释待二次回访', closed: '已结案', reopened: '已重开' };

/** An instant stored as ISO UTC, as the branch's wall-clock 'YYYY-MM-DD HH:MM'. */
export function localDateTime(iso: string | null): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${localIsoDate(d)} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export interface ListServiceDeps {
  db: Database;
  /** A second, read-only use connection for exports: a long export never holds the main one busy. */
  openReader: () => Database;
  calendar: () => WorkCalendar;
  now: () => Date;
}

export function createListService(deps: ListServiceDeps) {
  const { db } = deps;
  const today = () => localIsoDate(deps.now());

  /** The branch's day as ISO instants, for columns stored in UTC. */
  function dayBounds(day: string): { start: string; end: string } {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return { start: new Date(y, m - 1, d).toISOString(), end: new Date(y, m - 1, d + 1).toISOString() };
  }

  function tracking(): Query {
    const from = today();
    const to = deps.calendar().addWorkingDays(from, 2).value;
    return {
      sql: `SELECT t.id, p.policy_no, c.name AS customer_name, c.phone, p.product_name, t.kind, t.source, u.display_name AS assignee, t.due_on, t.status
            FROM visit_tasks t
            LEFT JOIN customers c ON c.id = t.customer_id
            LEFT JOIN policies p ON p.id = t.policy_id
            LEFT JOIN users u ON u.id = t.assignee_id
            WHERE t.visit_required = 1 AND t.status NOT IN (${CLOSED}) AND t.due_on >= ? AND t.due_on <= ?
            ORDER BY t.due_on, t.id`,
      params: [from, to],
      key: (r) => `t${r.id}`,
      values: (r) => ({
        policyNo: str(r.policy_no),
        customerName: str(r.customer_name),
        phone: maskPhone(r.phone as string | null),
        productName: str(r.product_name),
        kind: kindLabel(r.kind),
        source: r.source ? (TASK_SOURCE_LABELS[r.source as TaskSource] ?? String(r.source)) : null,
        assignee: str(r.assignee) ?? '未分配',
        dueOn: str(r.due_on),
        status: statusLabel(r.status),
      }),
      scope: `回访期限 ${from} 至 ${to}（今天起 2 个工作日内）、尚未办结的任务`,
    };
  }

  function failed(): Query {
    return {
      sql: `SELECT t.id, p.policy_no, c.name AS customer_name, c.phone, t.kind, u.display_name AS assignee, t.unable_reason,
                   a.id AS attempt_id, a.attempted_at, a.method, a.outcome, a.note, au.display_name AS attempt_by
            FROM visit_tasks t
            LEFT JOIN customers c ON c.id = t.customer_id
            LEFT JOIN policies p ON p.id = t.policy_id
            LEFT JOIN users u ON u.id = t.assignee_id
            LEFT JOIN contact_attempts a ON a.task_id = t.id
            LEFT JOIN users au ON au.id = a.user_id
            WHERE t.status = 'failed'
            ORDER BY t.id, a.attempted_at, a.id`,
      params: [],
      key: (r) => `t${r.id}a${r.attempt_id ?? 0}`,
      values: (r) => ({
        policyNo: str(r.policy_no),
        customerName: str(r.customer_name),
        phone: maskPhone(r.phone as string | null),
        kind: kindLabel(r.kind),
        assignee: str(r.assignee) ?? '未分配',
        attemptedAt: str(r.attempted_at),
        method: r.method ? methodLabel(r.method) : null,
        outcome: outcomeLabel(r.method, r.outcome),
        attemptBy: str(r.attempt_by),
        note: str(r.note),
        unableReason: str(r.unable_reason),
      }),
      scope: '回访不成功的任务，每次联系一行（联系记录是未能回访的凭据）',
    };
  }

  function dailyUnion(): { sql: string; params: (string | number | null)[] } {
    const day = today();
    const { start, end } = dayBounds(day);
    return {
      sql: `SELECT a.user_id AS staff_id, u.display_name AS staff_name, 1 AS ord, 'appointment' AS item, a.starts_at AS at, a.id AS sub,
                   c.name AS customer_name, c.phone, p.policy_no, t.kind, t.status AS state, a.place || '（' || a.contact_person || '）' AS detail
            FROM appointments a JOIN users u ON u.id = a.user_id JOIN visit_tasks t ON t.id = a.task_id
            LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN policies p ON p.id = t.policy_id
            WHERE a.status != 'cancelled' AND a.starts_at >= ? AND a.starts_at < ?
            UNION ALL
            SELECT t.assignee_id, u.display_name, 2, 'due', NULL, t.id,
                   c.name, c.phone, p.policy_no, t.kind, t.status, ${DUE_EXPLANATION_SQL}
            FROM visit_tasks t LEFT JOIN users u ON u.id = t.assignee_id
            LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN policies p ON p.id = t.policy_id
            WHERE t.due_on = ? AND t.visit_required = 1 AND t.status NOT IN (${CLOSED})
            UNION ALL
            SELECT v.visitor_id, u.display_name, 3, 'finalised', v.finalised_at, v.id,
                   coalesce(c.name, v.sheet_customer_name), c.phone, coalesce(p.policy_no, v.sheet_policy_no), v.kind, v.outcome, '记录 ' || v.record_no
            FROM visits v JOIN users u ON u.id = v.visitor_id
            LEFT JOIN customers c ON c.id = v.customer_id LEFT JOIN policies p ON p.id = v.policy_id
            WHERE v.state = 'finalised' AND v.finalised_at >= ? AND v.finalised_at < ?`,
      params: [day, addDays(day, 1), day, start, end],
    };
  }

  function daily(staffId?: number): Query {
    const u = dailyUnion();
    const filter = staffId ? 'WHERE staff_id = ?' : '';
    const ITEM: Record<string, string> = { appointment: '预约', due: '今日到期', finalised: '今日定稿' };
    return {
      sql: `SELECT * FROM (${u.sql}) ${filter} ORDER BY staff_id IS NULL, staff_name, staff_id, ord, at, sub`,
      params: [...u.params, ...(staffId ? [staffId] : [])],
      key: (r) => `${r.item}${r.sub}`,
      values: (r) => ({
        staff: str(r.staff_name) ?? '未分配',
        item: ITEM[r.item as string] ?? str(r.item),
        at: r.item === 'finalised' ? localDateTime(r.at as string) : str(r.at),
        customerName: str(r.customer_name),
        phone: maskPhone(r.phone as string | null),
        policyNo: str(r.policy_no),
        kind: kindLabel(r.kind),
        status: r.item === 'finalised' ? (OUTCOME_STATUS_LABELS[r.state as OutcomeStatus] ?? str(r.state)) : statusLabel(r.state),
        detail: str(r.detail),
      }),
      scope: `${today()} 的预约、今日到期的任务和今日定稿的记录，按回访人员分组`,
    };
  }

  function dailyGroups(conn: Database, staffId?: number): ListPage['groups'] {
    const u = dailyUnion();
    const filter = staffId ? 'WHERE staff_id = ?' : '';
    return (
      conn
        .prepare(
          `SELECT staff_id, staff_name, sum(item = 'appointment') AS appointments, sum(item = 'due') AS due, sum(item = 'finalised') AS finalised
           FROM (${u.sql}) ${filter} GROUP BY staff_id ORDER BY staff_id IS NULL, staff_name, staff_id`,
        )
        .all(...u.params, ...(staffId ? [staffId] : [])) as { staff_id: number | null; staff_name: string | null; appointments: number; due: number; finalised: number }[]
    ).map((g) => ({ staffId: g.staff_id, staffName: g.staff_name ?? '未分配', appointments: g.appointments, due: g.due, finalised: g.finalised }));
  }

  function queryOf(list: Exclude<ListKind, 'problems'>, staffId?: number): Query {
    switch (list) {
      case 'tracking':
        return tracking();
      case 'failed':
        return failed();
      case 'daily':
        return daily(staffId);
    }
  }

  /**
   * 问题件清单, for the sales-quality supervisor (客户回访规范与管理, 问题件 1–6): the problem-case
   * module's own list (whole branch), so the export says exactly what its screen says.
   */
  function problemValues(r: ProblemCaseRow): Values {
    return {
      policyNo: r.policyNo,
      customerName: r.customerName,
      agentCode: r.agentCode,
      agentName: r.agentName,
      category: r.categoryLabels.join('、') || null,
      description: r.description,
      handler: r.handlerName,
      state: PROBLEM_STATE_LABELS[r.state] ?? r.state,
      dueState: r.dueState === 'overdue' ? '已逾期' : r.dueState === 'soon' ? '即将到期' : null,
      openedOn: localDateTime(r.openedAt)?.slice(0, 10) ?? null,
      dueOn: r.dueOn,
    };
  }
  const PROBLEMS_SCOPE = '全部问题件，最新登记在前（问题件应在工单下达后 3 个工作日内处理）';

  return {
    /** One page of a list, for the screen. */
    page(input: { list: ListKind; offset: number; limit: number; staffId?: number | undefined }): ListPage {
      const head = { list: input.list, title: LIST_TITLES[input.list], columns: [...LIST_COLUMNS[input.list]] };
      if (input.list === 'problems') {
        const p = problemListRows(db, { offset: input.offset, limit: input.limit }, { today: today() });
        return { ...head, rows: p.rows.map((r) => ({ key: `p${r.id}`, values: problemValues(r) })), total: p.total, scope: PROBLEMS_SCOPE, groups: [] };
      }
      const q = queryOf(input.list, input.staffId);
      const total = db.prepare(`SELECT count(*) FROM (${q.sql})`).pluck().get(...q.params) as number;
      const rows = (db.prepare(`${q.sql} LIMIT ? OFFSET ?`).all(...q.params, input.limit, input.offset) as Row[]).map((r) => ({ key: q.key(r), values: q.values(r) }));
      return {
        ...head,
        rows,
        total,
        scope: q.scope,
        groups: input.list === 'daily' ? dailyGroups(db, input.staffId) : [],
      };
    },

    fileName(list: ListKind): string {
      return `${LIST_TITLES[list]}_${today()}.xlsx`;
    },

    /**
     * Streams a whole list into a workbook: rows are read one at a time from SQLite (`iterate`)
     * on a connection of its own, inside one read transaction (a consistent snapshot), and
     * written and flushed as they come, so 100,000 rows take no more memory than 100.
     */
    async exportList(file: string, input: { list: ListKind; staffId?: number | undefined }, ctx: JobContext): Promise<{ rows: number }> {
      const reader = deps.openReader();
      let out: Awaited<ReturnType<typeof openOutput>> | null = null;
      try {
        reader.exec('BEGIN');
        const columns = LIST_COLUMNS[input.list];
        let total: number;
        let source: Iterable<Values>;
        if (input.list === 'problems') {
          // Problem cases are a few hundred a year: the problem module's list, read whole.
          const rows = problemListRows(reader, {}, { today: today() }).rows;
          total = rows.length;
          source = rows.map(problemValues);
        } else {
          const q = queryOf(input.list, input.staffId);
          total = reader.prepare(`SELECT count(*) FROM (${q.sql})`).pluck().get(...q.params) as number;
          const rows = reader.prepare(q.sql);
          const names = rows.columns().map((c) => c.name);
          source = (function* () {
            // Rows come as arrays and become objects here: better-sqlite3 builds its row objects
            // a property at a time, which cost nearly as much as writing the cells.
            for (const a of rows.raw().iterate(...q.params) as IterableIterator<Row[string][]>) {
              const r: Row = {};
              for (let i = 0; i < names.length; i++) r[names[i]!] = a[i] ?? null;
              yield q.values(r);
            }
          })();
        }
        const groups = input.list === 'daily' ? dailyGroups(reader, input.staffId) : [];
        ctx.progress(0, total, '正在导出');
        out = await openOutput(file);
        const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out.stream, useStyles: true, useSharedStrings: false });
        wb.creator = '回访台';
        const ws = wb.addWorksheet(LIST_TITLES[input.list], { views: [{ state: 'frozen', ySplit: 1 }] });
        ws.columns = columns.map((c) => ({ header: c.title, key: c.key, width: c.width, ...(NUM_FMT[c.type] ? { style: { numFmt: NUM_FMT[c.type] } } : {}) }));
        styleHeader(ws.getRow(1), columns.length);
        ws.getRow(1).commit();
        // One style object per column, shared by its cells: exceljs caches a style's id by object
        // and otherwise gives each new cell a fresh one, rendering the style again for every cell.
        const cellStyles: Partial<ExcelJS.Style>[] = columns.map((c) => (NUM_FMT[c.type] ? { numFmt: NUM_FMT[c.type] } : {}));
        let n = 0;
        for (const values of source) {
          const row = ws.addRow(cellsOf(columns, values));
          for (let c = 0; c < cellStyles.length; c++) row.getCell(c + 1).style = cellStyles[c]!;
          row.commit();
          n++;
          if (n % EXPORT_CHUNK_ROWS === 0) {
            ctx.progress(n, total, '正在导出');
            const failure = out.failure();
            if (failure) throw failure;
            await nextTurn();
            // Leaving the loop closes the statement; the export service deletes the partial file.
            if (ctx.signal.aborted) throw new AppError('cancelled', '已取消导出，未生成文件');
          }
        }
        ws.commit();
        if (groups.length > 0) {
          const sum = wb.addWorksheet('按人员汇总', { views: [{ state: 'frozen', ySplit: 1 }] });
          sum.columns = [
            { header: '回访人员', key: 'staff', width: 12 },
            { header: '今日预约', key: 'appointments', width: 10 },
            { header: '今日到期', key: 'due', width: 10 },
            { header: '今日定稿', key: 'finalised', width: 10 },
          ];
          styleHeader(sum.getRow(1), 4);
          sum.getRow(1).commit();
          for (const g of groups) sum.addRow([g.staffName, g.appointments, g.due, g.finalised]).commit();
          sum.commit();
        }
        await wb.commit();
        await out.closed();
        ctx.progress(n, total, '已完成');
        return { rows: n };
      } catch (err) {
        // Close the half-written file before the export service deletes it.
        if (out) await out.abandon();
        throw err;
      } finally {
        if (reader.inTransaction) reader.exec('COMMIT');
        reader.close();
      }
    },
  };
}
export type ListService = ReturnType<typeof createListService>;
