import type { Database } from 'better-sqlite3-multiple-ciphers';
import { halfYearKey, yearKey } from '../../shared/dates';
import type { TaskKind } from '../../shared/domain/tasks';
import { maskIdNumber, maskPhone } from '../../shared/domain/masking';
import { stmt } from '../db/statements';
import type { StoredDeadline, TaskFactsRow } from '../tasks/deadlines';
import { recordTaskEvent, type FieldChange } from '../tasks/task-events';
import type { NormalizedRow } from './types';

/**
 * The visit cycle a row belongs to: one task per (policy, kind, cycle), so the same list sent
 * twice updates its tasks, while next year's key-client visit is a new task.
 */
export function cycleFor(row: Pick<NormalizedRow, 'kind' | 'eventDate' | 'expiryDate'>, today: string): string {
  const k: TaskKind = row.kind;
  switch (k) {
    case 'key_client':
      return yearKey(today);
    case 'shareholder_client':
      return halfYearKey(today);
    case 'renewal':
      return row.expiryDate ?? '';
    case 'problem_case':
    case 'survival_benefit':
    case 'claim_closed':
      // A new work order / payment / claim is a new task; the same one re-sent is not.
      return row.eventDate ?? '';
    case 'new_policy':
    case 'underwriting':
      return '';
  }
}

export const identityKey = (row: NormalizedRow, today: string) => `${row.policyNo}|${row.kind}|${cycleFor(row, today)}`;

type Cols = Record<string, string | number | null>;

/** Which incoming values go to which table and column; a blank incoming value never erases data. */
const CUSTOMER: [keyof NormalizedRow, string][] = [
  ['applicantName', 'name'],
  ['applicantPhone', 'phone'],
  ['idNumber', 'id_number'],
  ['address', 'address'],
];
const POLICY: [keyof NormalizedRow, string][] = [
  ['insuredName', 'insured_name'],
  ['beneficiaryName', 'beneficiary_name'],
  ['productName', 'product_name'],
  ['productType', 'product_type'],
  ['channel', 'channel'],
  ['premiumCents', 'premium_cents'],
  ['payYears', 'pay_years'],
  ['coveragePeriod', 'coverage_period'],
  ['termYears', 'term_years'],
  ['issueDate', 'issue_date'],
  ['printDate', 'print_date'],
  ['receiptSignedDate', 'receipt_signed_date'],
  ['receiptEntryDate', 'receipt_entry_date'],
  ['expiryDate', 'expiry_date'],
  ['agentCode', 'agent_code'],
  ['agentName', 'agent_name'],
  ['branch', 'branch_org'],
];
const TASK: [keyof NormalizedRow, string][] = [
  ['source', 'source'],
  ['eventDate', 'event_date'],
  ['amountCents', 'amount_cents'],
  ['paymentMethod', 'payment_method'],
  ['problemDescription', 'problem_description'],
  ['lastVisitDate', 'last_visit_date'],
];

// Personal data in the history is stored masked, as it is shown.
const shown = (column: string, v: string | number | null) =>
  v === null ? null : column === 'phone' ? maskPhone(String(v)) : column === 'id_number' ? maskIdNumber(String(v)) : String(v);

function diff(existing: Cols, row: NormalizedRow, map: [keyof NormalizedRow, string][], prefix: string): { set: Cols; changes: FieldChange[] } {
  const set: Cols = {};
  const changes: FieldChange[] = [];
  for (const [field, column] of map) {
    const v = row[field] as string | number | null;
    if (v === null || v === undefined) continue;
    if (existing[column] !== v) {
      set[column] = v;
      changes.push({ field: `${prefix}.${column}`, oldValue: shown(column, existing[column] ?? null), newValue: shown(column, v) });
    }
  }
  return { set, changes };
}

/** The facts a new task's deadline depends on, as they will be stored (policy columns merged with the file's). */
function taskFacts(row: NormalizedRow, policy: Cols, task: Cols): TaskFactsRow {
  const str = (v: string | number | null | undefined) => (v === null || v === undefined ? null : String(v));
  const num = (v: string | number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return {
    id: 0,
    kind: row.kind,
    event_date: str(task.event_date),
    amount_cents: num(task.amount_cents),
    payment_method: (str(task.payment_method) as TaskFactsRow['payment_method']) ?? null,
    payee: null,
    paid_in_person: null,
    juvenile_policy: null,
    last_visit_date: str(task.last_visit_date),
    receipt_signed_date: str(policy.receipt_signed_date),
    issue_date: str(policy.issue_date),
    term_years: num(policy.term_years),
    cooling_off_days: num(policy.cooling_off_days),
    channel: (str(policy.channel) as TaskFactsRow['channel']) ?? 'individual',
    expiry_date: str(policy.expiry_date),
  };
}

const TASKS_PER_INSERT = 1000;

export type RowAction = 'create' | 'update' | 'unchanged';

/**
 * Writes head-office rows: customer and policy upserted by policy number, the task by its
 * identity. Prepared once; `classify` answers without writing (for the preview).
 */
export function createImportWriter(db: Database, today: string, deadlineOf?: (facts: TaskFactsRow) => StoredDeadline) {
  const policyByNo = db.prepare<[string], Cols & { id: number; applicant_id: number }>('SELECT * FROM policies WHERE policy_no = ?');
  const customerById = db.prepare<[number], Cols>('SELECT * FROM customers WHERE id = ?');
  const taskByIdentity = db.prepare<[number, number, string, string], Cols & { id: number }>(
    'SELECT * FROM visit_tasks WHERE customer_id = ? AND ifnull(policy_id, 0) = ? AND kind = ? AND cycle = ?',
  );
  const update = (table: string, id: number, set: Cols) => {
    const cols = Object.keys(set);
    if (cols.length) stmt(db, `UPDATE ${table} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...Object.values(set), id);
  };

  const insert = (table: string, cols: Cols): number => {
    const names = Object.keys(cols);
    return Number(stmt(db, `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...Object.values(cols)).lastInsertRowid);
  };

  /**
   * New tasks wait here and go in by TASKS_PER_INSERT rows per statement (22 parameters a row,
   * well under SQLite's 32,766 a statement). Each statement that
   * inserts into visit_tasks fires the search-index trigger inside a statement savepoint, and
   * FTS5 writes out its pending terms at every savepoint: one row per statement left a tiny index
   * segment per task and made the search index cost five times the rest of the import. Ids are
   * handed out here (the caller holds the write transaction), so events can name their task.
   */
  const queuedTasks: Cols[] = [];
  const queuedEvents: Parameters<typeof recordTaskEvent>[1][] = [];
  let nextTaskId = 0;
  const queueTask = (cols: Cols): number => {
    if (nextTaskId === 0) nextTaskId = (db.prepare('SELECT ifnull(max(id), 0) + 1 FROM visit_tasks').pluck().get() as number);
    const id = nextTaskId++;
    queuedTasks.push({ id, ...cols });
    if (queuedTasks.length >= TASKS_PER_INSERT) flush();
    return id;
  };
  const TASK_COLUMNS = [
    'id', 'customer_id', 'policy_id', 'kind', 'cycle', 'status', 'batch_id', 'created_at', 'updated_at', ...TASK.map(([, c]) => c),
    'visit_required', 'opens_on', 'due_on', 'due_explanation', 'due_warnings', 'deadline_source', 'deadline_computed_at',
  ];
  function flush(): void {
    for (let i = 0; i < queuedTasks.length; i += TASKS_PER_INSERT) {
      const rows = queuedTasks.slice(i, i + TASKS_PER_INSERT);
      const one = `(${TASK_COLUMNS.map(() => '?').join(', ')})`;
      stmt(db, `INSERT INTO visit_tasks (${TASK_COLUMNS.join(', ')}) VALUES ${Array.from(rows, () => one).join(', ')}`).run(
        ...rows.flatMap((r) => TASK_COLUMNS.map((c) => r[c] ?? null)),
      );
    }
    queuedTasks.length = 0;
    for (const e of queuedEvents) recordTaskEvent(db, e);
    queuedEvents.length = 0;
  }

  const replacedPhone = db.prepare<[number, string], { n: number }>('SELECT 1 AS n FROM customer_phone_changes WHERE customer_id = ? AND old_phone = ?');

  function plan(row: NormalizedRow) {
    const policy = policyByNo.get(row.policyNo);
    const customer = policy ? customerById.get(policy.applicant_id) : undefined;
    // A number staff already corrected (the old one was wrong) must not come back with the next list.
    if (customer && row.applicantPhone && replacedPhone.get(Number(customer.id), row.applicantPhone)) row = { ...row, applicantPhone: null };
    const task = policy && customer ? taskByIdentity.get(policy.applicant_id, policy.id, row.kind, cycleFor(row, today)) : undefined;
    const c = diff(customer ?? {}, row, CUSTOMER, 'customer');
    const p = diff(policy ?? {}, row, POLICY, 'policy');
    const t = diff(task ?? {}, row, TASK, 'task');
    const action: RowAction = !task ? 'create' : c.changes.length + p.changes.length + t.changes.length ? 'update' : 'unchanged';
    return { policy, customer, task, c, p, t, action };
  }

  return {
    classify: (row: NormalizedRow): RowAction => plan(row).action,

    /** Writes the tasks still queued; call before reading tasks back and before committing. */
    flush,

    /** Applies one row; returns the task id touched (null when unchanged) and what happened. */
    apply(row: NormalizedRow, ctx: { batchId: number; userId: number; at: string }): { action: RowAction; taskId: number | null; deadlineDone: boolean } {
      const { policy, customer, task, c, p, t, action } = plan(row);
      if (action === 'unchanged') return { action, taskId: null, deadlineDone: false };
      let deadlineDone = false;
      let customerId = customer ? Number(customer.id) : 0;
      if (customer) update('customers', customerId, c.set);
      else {
        customerId = Number(
          stmt(db, 'INSERT INTO customers (name, phone, id_number, address, created_at) VALUES (?, ?, ?, ?, ?)').run(row.applicantName, row.applicantPhone, row.idNumber, row.address, ctx.at).lastInsertRowid,
        );
      }
      if (customer && c.set.phone !== undefined) {
        stmt(db, 'INSERT INTO customer_phone_changes (customer_id, old_phone, new_phone, reason, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)').run(
          customerId, customer.phone, c.set.phone, '总公司清单更新', ctx.userId, ctx.at,
        );
      }
      let policyId = policy ? policy.id : 0;
      if (policy) update('policies', policyId, p.set);
      else {
        // One INSERT with every column: an INSERT then an UPDATE rewrote the row and its indexes.
        const cols: Cols = { policy_no: row.policyNo, applicant_id: customerId, product_name: '（未注明）', product_type: 'traditional', channel: 'individual', created_at: ctx.at, ...p.set };
        policyId = insert('policies', cols);
      }
      let taskId: number;
      if (task) {
        taskId = task.id;
        update('visit_tasks', taskId, { ...t.set, batch_id: ctx.batchId, updated_at: ctx.at });
        recordTaskEvent(db, { taskId, at: ctx.at, userId: ctx.userId, event: 'updated', batchId: ctx.batchId, summary: '总公司清单更新了任务资料', changes: [...c.changes, ...p.changes, ...t.changes] });
      } else {
        const cols: Cols = { customer_id: customerId, policy_id: policyId, kind: row.kind, cycle: cycleFor(row, today), status: 'unassigned', batch_id: ctx.batchId, created_at: ctx.at, updated_at: ctx.at, ...t.set };
        // The deadline is computed from the same facts recomputeDeadlines would read back, and
        // written with the row, so the task's indexes are written once.
        let inline = false;
        if (deadlineOf && row.kind !== 'problem_case') {
          const d = deadlineOf(taskFacts(row, policy ? { ...policy, ...p.set } : p.set, t.set));
          Object.assign(cols, {
            visit_required: d.required ? 1 : 0, opens_on: d.opens, due_on: d.due, due_explanation: d.explanation,
            due_warnings: d.warnings.length ? d.warnings.join('\n') : null, deadline_source: d.source, deadline_computed_at: ctx.at,
          });
          inline = true;
        }
        if (inline) {
          taskId = queueTask(cols);
          queuedEvents.push({ taskId, at: ctx.at, userId: ctx.userId, event: 'created', batchId: ctx.batchId, summary: '由总公司清单导入' });
        } else {
          flush();
          taskId = insert('visit_tasks', cols);
          recordTaskEvent(db, { taskId, at: ctx.at, userId: ctx.userId, event: 'created', batchId: ctx.batchId, summary: '由总公司清单导入' });
        }
        deadlineDone = inline;
        // A problem case from head office's list is a case to work to closure, not only a visit;
        // its deadline follows the task's (see recomputeDeadlines).
        if (row.kind === 'problem_case') {
          stmt(db, "INSERT INTO problem_cases (source, task_id, customer_id, policy_id, state, opened_at, description) VALUES ('import', ?, ?, ?, 'open', ?, ?)").run(
            taskId, customerId, policyId, ctx.at, row.problemDescription,
          );
        }
      }
      return { action, taskId, deadlineDone };
    },
  };
}
