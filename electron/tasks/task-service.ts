import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { ImportBatch, TaskSummary, UserSummary } from '../../shared/api/contract';
import type { Role } from '../../shared/domain/roles';
import { customerCondition, taskCondition, type Scope } from '../auth/scope';
import { DUE_EXPLANATION_SQL } from './deadline-texts';
import { addDays } from '../../shared/dates';
import { maskPhone } from '../../shared/domain/masking';
import type { Channel, TaskKind, TaskRow, TaskSource, TaskStatus } from '../../shared/domain/tasks';

export interface TaskQuery {
  kind?: TaskKind | undefined;
  status?: TaskStatus | undefined;
  search?: string | undefined;
  channel?: Channel | undefined;
  assigneeId?: number | undefined;
  unassigned?: boolean | undefined;
  hasAppointment?: boolean | undefined;
  sort: 'due' | '-due';
  due?: 'overdue' | 'soon' | undefined;
  soonDays: number;
  offset: number;
  limit: number;
}

interface TaskRecord {
  id: number;
  kind: TaskKind;
  source: TaskSource | null;
  status: TaskStatus;
  customer_name: string;
  phone: string | null;
  policy_no: string | null;
  product_name: string | null;
  channel: Channel | null;
  assignee_name: string | null;
  opens_on: string | null;
  due_on: string | null;
  due_explanation: string | null;
  due_warnings: string | null;
  has_appointment: number;
}

const SELECT = `SELECT t.id, t.kind, t.source, t.status, c.name AS customer_name, c.phone, p.policy_no, p.product_name,
  p.channel, u.display_name AS assignee_name, t.opens_on, t.due_on, ${DUE_EXPLANATION_SQL} AS due_explanation, t.due_warnings,
  EXISTS (SELECT 1 FROM appointments a WHERE a.task_id = t.id AND a.status = 'scheduled') AS has_appointment`;
// LEFT JOINs (every task has its customer anyway) keep visit_tasks the outer loop, so a window
// is read along the board-order index instead of sorting the whole table, and an unfiltered
// count(*) skips the joins altogether.
const FROM = `FROM visit_tasks t
  LEFT JOIN customers c ON c.id = t.customer_id
  LEFT JOIN policies p ON p.id = t.policy_id
  LEFT JOIN users u ON u.id = t.assignee_id`;

/** Statuses in which nothing is owed any more. */
const CLOSED = "'done', 'to_countersign'";


export type TaskService = ReturnType<typeof createTaskService>;

export function createTaskService(db: Database) {
  return {
    summary(scope: Scope): TaskSummary {
      const byKind: Record<string, number> = {};
      const byStatus: Record<string, number> = {};
      let total = 0;
      const limit = taskCondition(scope);
      for (const r of db.prepare(
        `SELECT kind, status, count(*) AS n FROM visit_tasks t ${limit ? `WHERE ${limit.sql}` : ''} GROUP BY kind, status`,
      ).all(...(limit?.params ?? [])) as { kind: string; status: string; n: number }[]) {
        total += r.n;
        byKind[r.kind] = (byKind[r.kind] ?? 0) + r.n;
        byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
      }
      return { total, byKind, byStatus };
    },

    /** `today` is the branch's date: overdue and due-soon are computed here, never stored. */
    list(q: TaskQuery, today: string, scope: Scope): { rows: TaskRow[]; total: number } {
      const where: string[] = [];
      const params: unknown[] = [];
      const limit = taskCondition(scope);
      if (limit) {
        where.push(limit.sql);
        params.push(...limit.params);
      }
      if (q.due) {
        where.push(`t.visit_required = 1 AND t.status NOT IN (${CLOSED})`);
        if (q.due === 'overdue') {
          where.push('t.due_on < ?');
          params.push(today);
        } else {
          where.push('t.due_on >= ? AND t.due_on <= ?');
          params.push(today, addDays(today, q.soonDays));
        }
      }
      if (q.kind) {
        where.push('t.kind = ?');
        params.push(q.kind);
      }
      if (q.channel) {
        where.push('t.policy_id IN (SELECT id FROM policies WHERE channel = ?)');
        params.push(q.channel);
      }
      if (q.assigneeId) {
        where.push('t.assignee_id = ?');
        params.push(q.assigneeId);
      }
      if (q.unassigned) where.push('t.assignee_id IS NULL');
      if (q.hasAppointment !== undefined) {
        where.push(`${q.hasAppointment ? '' : 'NOT '}EXISTS (SELECT 1 FROM appointments a WHERE a.task_id = t.id AND a.status = 'scheduled')`);
      }
      if (q.status) {
        where.push('t.status = ?');
        params.push(q.status);
      }
      if (q.search) {
        const term = q.search.replace(/[\s-]/g, '');
        if ([...term].length >= 3) {
          // Trigram FTS: a substring of the name, policy number or phone, quoted as one phrase.
          where.push('t.id IN (SELECT rowid FROM task_search WHERE task_search MATCH ?)');
          params.push(`"${term.replaceAll('"', '""')}"`);
        } else if (term) {
          // Too short for trigrams: names starting with it (a surname, or a two-character name).
          where.push("t.customer_id IN (SELECT id FROM customers WHERE name >= ? AND name < ? || char(1114111))");
          params.push(term, term);
        }
      }
      // Every filter is on visit_tasks itself (others as sub-selects), so the window is cut from
      // the board-order index alone and only its 200 rows are joined — an OFFSET over joined
      // rows would join every skipped row too.
      const filtered = `FROM visit_tasks t ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
      const dir = q.sort === '-due' ? 'DESC' : 'ASC';
      const order = `ORDER BY ifnull(t.due_on, '9999-12-31') ${dir}, t.id ${dir}`;
      const total = db.prepare(`SELECT count(*) ${filtered}`).pluck().get(...params) as number;
      const records = db
        .prepare(`${SELECT} ${FROM} WHERE t.id IN (SELECT t.id ${filtered} ${order} LIMIT ? OFFSET ?) ${order}`)
        .all(...params, q.limit, q.offset) as TaskRecord[];
      return { total, rows: records.map(toRow) };
    },

    /** Customers whose name starts with the text (key clients are found by their company name). */
    searchCustomers(q: string, scope: Scope): { id: number; name: string; phoneMasked: string; address: string | null }[] {
      const limit = customerCondition(scope);
      return (
        db
          .prepare(`SELECT c.id, c.name, c.phone, c.address FROM customers c WHERE c.name >= ? AND c.name < ? || char(1114111) ${limit ? `AND ${limit.sql}` : ''} ORDER BY c.name LIMIT 20`)
          .all(q, q, ...(limit?.params ?? [])) as { id: number; name: string; phone: string | null; address: string | null }[]
      )
        .map((c) => ({ id: c.id, name: c.name, phoneMasked: maskPhone(c.phone), address: c.address }));
    },

    users(): UserSummary[] {
      return db
        .prepare<[], { id: number; display_name: string; role: Role }>('SELECT id, display_name, role FROM users WHERE disabled = 0 ORDER BY role, display_name')
        .all()
        .map((u) => ({ id: u.id, displayName: u.display_name, role: u.role }));
    },

    /** The import log: who imported which file when, with what result. */
    batches(): ImportBatch[] {
      return db
        .prepare(
          `SELECT b.id, b.file_name, b.file_sha256, u.display_name, b.imported_at, b.rows_total, b.rows_created, b.rows_updated,
                  b.rows_unchanged, b.rows_invalid, b.rows_duplicate
           FROM import_batches b JOIN users u ON u.id = b.imported_by ORDER BY b.id DESC LIMIT 200`,
        )
        .all()
        .map((r) => {
          const b = r as Record<string, string | number>;
          return {
            id: b.id as number, fileName: b.file_name as string, fileSha256: b.file_sha256 as string, importedBy: b.display_name as string,
            importedAt: b.imported_at as string, rowsTotal: b.rows_total as number, created: b.rows_created as number,
            updated: b.rows_updated as number, unchanged: b.rows_unchanged as number, invalid: b.rows_invalid as number, duplicates: b.rows_duplicate as number,
          };
        });
    },

    byId(id: number): TaskRow | null {
      const r = db.prepare(`${SELECT} ${FROM} WHERE t.id = ?`).get(id) as TaskRecord | undefined;
      return r ? toRow(r) : null;
    },
  };
}

function toRow(r: TaskRecord): TaskRow {
  return {
    id: r.id,
    kind: r.kind,
    source: r.source,
    status: r.status,
    customerName: r.customer_name,
    phoneMasked: maskPhone(r.phone),
    policyNo: r.policy_no,
    productName: r.product_name,
    channel: r.channel,
    assigneeName: r.assignee_name,
    opensOn: r.opens_on,
    dueOn: r.due_on,
    dueExplanation: r.due_explanation,
    dueWarnings: r.due_warnings ? r.due_warnings.split('\n') : [],
    hasAppointment: r.has_appointment === 1,
  };
}
