import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { halfYearKey, yearKey } from '../../shared/dates';
import type { TaskKind } from '../../shared/domain/tasks';
import { maskIdNumber, maskPhone } from '../../shared/domain/masking';
import { stmt } from '../db/statements';
import { deadlineTextIds } from '../tasks/deadline-texts';
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

/**
 * The incoming values that differ from what is stored, and — only when they will be recorded (the
 * task exists, so an 'updated' event lists them) — the changes as shown in its history. A new
 * task's rows skip building those: they were most of an import's garbage.
 */
function diff(existing: Cols, row: NormalizedRow, map: [keyof NormalizedRow, string][], prefix: string, recorded: boolean): { set: Cols; changes: FieldChange[] } {
  const set: Cols = {};
  const changes: FieldChange[] = [];
  for (const [field, column] of map) {
    const v = row[field] as string | number | null;
    if (v === null || v === undefined) continue;
    if (existing[column] !== v) {
      set[column] = v;
      if (recorded) changes.push({ field: `${prefix}.${column}`, oldValue: shown(column, existing[column] ?? null), newValue: shown(column, v) });
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

/** Every fact a deadline depends on (all but the task's id, which no rule reads). */
const FACT_KEYS = [
  'kind', 'event_date', 'amount_cents', 'payment_method', 'payee', 'paid_in_person', 'juvenile_policy', 'last_visit_date',
  'receipt_signed_date', 'issue_date', 'term_years', 'cooling_off_days', 'channel', 'expiry_date',
] as const satisfies readonly Exclude<keyof TaskFactsRow, 'id'>[];
// A fact added to TaskFactsRow and missing here would let two tasks with different facts share a
// deadline: this line stops the build instead.
type MissingFact = Exclude<keyof TaskFactsRow, (typeof FACT_KEYS)[number] | 'id'>;
const allFactsKeyed: [MissingFact] extends [never] ? true : MissingFact = true;
void allFactsKeyed;

/**
 * Rows per multi-row INSERT: at most 22 parameters a row here, so 1,000 rows stay well under
 * SQLite's 32,766 parameters a statement.
 */
const ROWS_PER_INSERT = 1000;

const POLICY_COLUMNS = ['id', 'policy_no', 'applicant_id', 'created_at', ...POLICY.map(([, c]) => c)];
/** Columns a new policy gets when the file does not say (a policy row needs them). */
const POLICY_DEFAULTS: Cols = { product_name: '（未注明）', product_type: 'traditional', channel: 'individual' };
const TASK_COLUMNS = [
  'id', 'customer_id', 'policy_id', 'kind', 'cycle', 'status', 'batch_id', 'created_batch_id', 'created_at', 'updated_at', ...TASK.map(([, c]) => c),
  'visit_required', 'opens_on', 'due_on', 'due_explanation_id', 'due_warnings', 'deadline_source_id', 'deadline_computed_at',
];

/**
 * Rows for one table, written ROWS_PER_INSERT to a statement (the full-size statement prepared
 * once). Every row names every column, so a column a row leaves out is NULL — or, for a column with
 * a DEFAULT in the schema, the value given in `defaults` (an explicit NULL would not take the default).
 */
function rowQueue(db: Database, table: string, columns: readonly string[], defaults: Cols = {}) {
  const values: (string | number | null)[] = [];
  let rows = 0;
  /** The full-size statement, prepared once (building its text per flush was a tenth of a second per 100,000 rows). */
  let full: Statement | undefined;
  const sql = (n: number) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: n }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')}`;
  return {
    get size(): number {
      return rows;
    },
    /**
     * Queues one row, each column from the first source that has it (no source names a column
     * another does, bar the defaults); the writer flushes every queue, in order, before any
     * reaches ROWS_PER_INSERT + 1. Separate sources rather than one object spread together: the
     * spreads were a fifth of the commit's own time.
     */
    push(...sources: Cols[]): void {
      for (const c of columns) {
        let v: string | number | null | undefined;
        for (let i = 0; i < sources.length && v === undefined; i++) v = sources[i]![c];
        values.push(v ?? defaults[c] ?? null);
      }
      rows++;
    },
    flush(): void {
      if (rows === 0) return;
      // The odd-sized remainder is prepared for the occasion, not cached: its size varies.
      (rows === ROWS_PER_INSERT ? (full ??= db.prepare(sql(rows))) : db.prepare(sql(rows))).run(values);
      values.length = 0;
      rows = 0;
    },
  };
}

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

  /**
   * New customers, policies and tasks wait here and go in by ROWS_PER_INSERT rows per
   * statement. One statement per row cost a few microseconds of statement overhead each, several
   * times per row; and each statement that inserts into visit_tasks
   * fires the search-index trigger inside a statement savepoint, where FTS5 writes out its pending
   * terms: one task per statement left a tiny index segment per task and made the search index
   * cost five times the rest of the import. Ids are handed out here — the caller holds the write
   * transaction — so a policy can name its customer and a task its policy before either is written.
   */
  const nextId = new Map<string, number>();
  const allocate = (table: 'customers' | 'policies' | 'visit_tasks'): number => {
    const id = nextId.get(table) ?? (db.prepare(`SELECT ifnull(max(id), 0) + 1 FROM ${table}`).pluck().get() as number);
    nextId.set(table, id + 1);
    return id;
  };
  const customers = rowQueue(db, 'customers', ['id', 'name', 'phone', 'id_number', 'address', 'created_at']);
  const policies = rowQueue(db, 'policies', POLICY_COLUMNS, POLICY_DEFAULTS);
  // visit_required: the schema's DEFAULT 1 (migration 002), for tasks whose deadline recomputeDeadlines sets later.
  const tasks = rowQueue(db, 'visit_tasks', TASK_COLUMNS, { visit_required: 1 });
  /** Policy numbers queued but not yet written: a later row of the same policy must find them. */
  const queuedPolicyNos = new Set<string>();

  /** Writes whatever is queued, parents before children (foreign keys are checked per statement). */
  function flush(): void {
    customers.flush();
    policies.flush();
    tasks.flush();
    queuedPolicyNos.clear();
  }

  const replacedPhone = db.prepare<[number, string], { n: number }>('SELECT 1 AS n FROM customer_phone_changes WHERE customer_id = ? AND old_phone = ?');

  /**
   * Policy numbers known to have no policy yet (see `prefetch`). A number leaves the set when a row
   * creates its policy, so the set never claims a policy is missing after it was written.
   */
  const absent = new Set<string>();
  const presentOf = db.prepare<[string], string>('SELECT policy_no FROM policies WHERE policy_no IN (SELECT value FROM json_each(?))').pluck();

  function plan(row: NormalizedRow) {
    // Rare (one policy in the file under two kinds): write the queue so the SELECTs below see it.
    if (queuedPolicyNos.has(row.policyNo)) flush();
    const policy = absent.has(row.policyNo) ? undefined : policyByNo.get(row.policyNo);
    const customer = policy ? customerById.get(policy.applicant_id) : undefined;
    // A number staff already corrected (the old one was wrong) must not come back with the next list.
    if (customer && row.applicantPhone && replacedPhone.get(Number(customer.id), row.applicantPhone)) row = { ...row, applicantPhone: null };
    const task = policy && customer ? taskByIdentity.get(policy.applicant_id, policy.id, row.kind, cycleFor(row, today)) : undefined;
    const recorded = task !== undefined;
    const c = diff(customer ?? {}, row, CUSTOMER, 'customer', recorded);
    const p = diff(policy ?? {}, row, POLICY, 'policy', recorded);
    const t = diff(task ?? {}, row, TASK, 'task', recorded);
    const action: RowAction = !task ? 'create' : c.changes.length + p.changes.length + t.changes.length ? 'update' : 'unchanged';
    return { policy, customer, task, c, p, t, action };
  }

  /**
   * Deadlines by the facts they are computed from: a list's new policies share a handful of
   * signing dates and channels, so most rows reuse an earlier row's result instead of running
   * (and validating) the rules again.
   */
  const deadlines = new Map<string, Cols>();
  // Made on first use: a writer that computes no deadline (the preview's) writes nothing here.
  let textIds: ((text: string | null) => number | null) | null = null;
  const textId = (text: string | null) => (textIds ??= deadlineTextIds(db))(text);
  /** A new task's deadline columns (shared between tasks with the same facts: read only). */
  const deadlineFor = (facts: TaskFactsRow, at: string): Cols => {
    let key = at;
    for (const k of FACT_KEYS) key += `\u0001${facts[k] ?? '\u0000'}`;
    let cols = deadlines.get(key);
    if (!cols) {
      const d = deadlineOf!(facts);
      cols = {
        visit_required: d.required ? 1 : 0, opens_on: d.opens, due_on: d.due, due_explanation_id: textId(d.explanation),
        due_warnings: d.warnings.length ? d.warnings.join('\n') : null, deadline_source_id: textId(d.source), deadline_computed_at: at,
      };
      deadlines.set(key, cols);
    }
    return cols;
  };

  return {
    /**
     * Looks up, in one statement, which of these rows' policies exist; call before classifying or
     * applying them (a new list's rows are mostly new policies, and one lookup per row was a
     * fifth of the import). Rows not prefetched are looked up one by one, as before.
     */
    prefetch(rows: readonly NormalizedRow[]): void {
      absent.clear();
      const nos = rows.map((r) => r.policyNo);
      const present = new Set(presentOf.all(JSON.stringify(nos)));
      // A policy queued by an earlier row is not written yet, but it is not missing either.
      for (const no of nos) if (!present.has(no) && !queuedPolicyNos.has(no)) absent.add(no);
    },

    /** What applying the row would do, without writing (for the preview). */
    classify: (row: NormalizedRow): RowAction => (absent.has(row.policyNo) && !queuedPolicyNos.has(row.policyNo) ? 'create' : plan(row).action),

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
        customerId = allocate('customers');
        customers.push({ id: customerId, name: row.applicantName, phone: row.applicantPhone, id_number: row.idNumber, address: row.address, created_at: ctx.at });
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
        policyId = allocate('policies');
        policies.push({ id: policyId, policy_no: row.policyNo, applicant_id: customerId, created_at: ctx.at }, p.set);
        queuedPolicyNos.add(row.policyNo);
        absent.delete(row.policyNo);
      }
      let taskId: number;
      if (task) {
        taskId = task.id;
        update('visit_tasks', taskId, { ...t.set, batch_id: ctx.batchId, updated_at: ctx.at });
        recordTaskEvent(db, { taskId, at: ctx.at, userId: ctx.userId, event: 'updated', batchId: ctx.batchId, summary: '总公司清单更新了任务资料', changes: [...c.changes, ...p.changes, ...t.changes] });
      } else {
        taskId = allocate('visit_tasks');
        // Its history shows its creation from the list it came from (created_batch_id): no 'created' row.
        const cols: Cols = {
          id: taskId, customer_id: customerId, policy_id: policyId, kind: row.kind, cycle: cycleFor(row, today), status: 'unassigned',
          batch_id: ctx.batchId, created_batch_id: ctx.batchId, created_at: ctx.at, updated_at: ctx.at,
        };
        // The deadline is computed from the same facts recomputeDeadlines would read back, and
        // written with the row, so the task's indexes are written once.
        if (deadlineOf && row.kind !== 'problem_case') {
          tasks.push(cols, t.set, deadlineFor(taskFacts(row, policy ? { ...policy, ...p.set } : p.set, t.set), ctx.at));
          deadlineDone = true;
        } else tasks.push(cols, t.set);
        // A problem case from head office's list is a case to work to closure, not only a visit;
        // its deadline follows the task's (see recomputeDeadlines). It names its task, so the
        // queue is written first.
        if (row.kind === 'problem_case') {
          flush();
          stmt(db, "INSERT INTO problem_cases (source, task_id, customer_id, policy_id, state, opened_at, description) VALUES ('import', ?, ?, ?, 'open', ?, ?)").run(
            taskId, customerId, policyId, ctx.at, row.problemDescription,
          );
        }
      }
      if (tasks.size >= ROWS_PER_INSERT || customers.size >= ROWS_PER_INSERT) flush();
      return { action, taskId, deadlineDone };
    },
  };
}
