import type { Database } from 'better-sqlite3';
import type { TaskSummary } from '../../shared/api/contract';
import { addDays } from '../../shared/dates';
import { maskPhone } from '../../shared/domain/masking';
import type { Channel, TaskKind, TaskRow, TaskSource, TaskStatus } from '../../shared/domain/tasks';

export interface TaskQuery {
  kind?: TaskKind | undefined;
  status?: TaskStatus | undefined;
  search?: string | undefined;
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
}

/** Statuses in which nothing is owed any more. */
const CLOSED = "'done', 'to_countersign'";

/** Escapes LIKE wildcards so a search for "50%" finds that text, not everything. */
const likeContains = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createTaskService(db: Database) {
  return {
    summary(): TaskSummary {
      const byKind: Record<string, number> = {};
      const byStatus: Record<string, number> = {};
      let total = 0;
      for (const r of db.prepare<[], { kind: string; status: string; n: number }>(
        'SELECT kind, status, count(*) AS n FROM visit_tasks GROUP BY kind, status',
      ).all()) {
        total += r.n;
        byKind[r.kind] = (byKind[r.kind] ?? 0) + r.n;
        byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
      }
      return { total, byKind, byStatus };
    },

    /** `today` is the branch's date: overdue and due-soon are computed here, never stored. */
    list(q: TaskQuery, today: string): { rows: TaskRow[]; total: number } {
      const where: string[] = [];
      const params: unknown[] = [];
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
      if (q.status) {
        where.push('t.status = ?');
        params.push(q.status);
      }
      if (q.search) {
        const digits = q.search.replace(/[\s-]/g, '');
        where.push("(c.name LIKE ? ESCAPE '\\' OR p.policy_no LIKE ? ESCAPE '\\' OR c.phone LIKE ? ESCAPE '\\')");
        params.push(likeContains(q.search), likeContains(q.search), likeContains(digits));
      }
      const from = `FROM visit_tasks t
        JOIN customers c ON c.id = t.customer_id
        LEFT JOIN policies p ON p.id = t.policy_id
        LEFT JOIN users u ON u.id = t.assignee_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
      const total = (db.prepare(`SELECT count(*) AS n ${from}`).get(...params) as { n: number }).n;
      const records = db
        .prepare(
          `SELECT t.id, t.kind, t.source, t.status, c.name AS customer_name, c.phone, p.policy_no, p.product_name,
                  p.channel, u.display_name AS assignee_name, t.opens_on, t.due_on, t.due_explanation, t.due_warnings
           ${from} ORDER BY t.due_on IS NULL, t.due_on, t.id LIMIT ? OFFSET ?`,
        )
        .all(...params, q.limit, q.offset) as TaskRecord[];
      return {
        total,
        rows: records.map((r) => ({
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
        })),
      };
    },
  };
}
