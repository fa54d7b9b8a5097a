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

/** Nothing to change (frozen: shared by every row that compares nothing). */
const NO_DIFF: { set: Cols; changes: FieldChange[] } = Object.freeze({ set: Object.freeze({}), changes: Object.freeze([]) as unknown as FieldChange[] });

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

/**
 * The facts a new task's deadline depends on, as they will be stored: the file's value where it
 * has one (a blank never erases), else the stored policy's.
 */
function taskFacts(row: NormalizedRow, policy: Cols | undefined): TaskFactsRow {
  const str = (v: string | number | null | undefined) => (v === null || v === undefined ? null : String(v));
  const num = (v: string | number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return {
    id: 0,
    kind: row.kind,
    event_date: row.eventDate,
    amount_cents: row.amountCents,
    payment_method: row.paymentMethod,
    payee: null,
    paid_in_person: null,
    juvenile_policy: null,
    last_visit_date: row.lastVisitDate,
    receipt_signed_date: row.receiptSignedDate ?? str(policy?.receipt_signed_date),
    issue_date: row.issueDate ?? str(policy?.issue_date),
    term_years: row.termYears ?? num(policy?.term_years),
    cooling_off_days: num(policy?.cooling_off_days),
    channel: row.channel ?? (str(policy?.channel) as TaskFactsRow['channel']) ?? 'individual',
    expiry_date: row.expiryDate ?? str(policy?.expiry_date),
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
 * Rows per multi-row INSERT: at most 23 parameters a row here, so 1,000 rows stay well under
 * SQLite's 32,766 parameters a statement.
 */
const ROWS_PER_INSERT = 1000;

type Value = string | number | null;

/** What a queue's rows hold, in this order: values the writer gives, the row's own fields, more values the writer gives. */
interface QueueShape {
  table: 'customers' | 'policies' | 'visit_tasks';
  head: readonly string[];
  /** The file's fields, as the table names them; a null field takes `defaults` (or NULL). */
  fields: readonly [keyof NormalizedRow, string][];
  /**
   * Values for columns with a DEFAULT in the schema: every row names every column, and an
   * explicit NULL would not take the default.
   */
  defaults?: Cols;
  tail?: readonly string[];
}

const CUSTOMER_ROWS: QueueShape = { table: 'customers', head: ['id'], fields: CUSTOMER, tail: ['created_at'] };
const POLICY_ROWS: QueueShape = {
  table: 'policies',
  head: ['id', 'policy_no', 'applicant_id', 'created_at'],
  fields: POLICY,
  defaults: { product_name: '（未注明）', product_type: 'traditional', channel: 'individual' },
};
/** A new task's deadline columns, in the order deadlineFor gives them. */
const DEADLINE_COLUMNS = ['visit_required', 'opens_on', 'due_on', 'due_explanation_id', 'due_warnings', 'deadline_source_id', 'deadline_computed_at'] as const;
/** A task whose deadline recomputeDeadlines sets later: visit_required is the schema's DEFAULT 1 (migration 002). */
const DEADLINE_LATER: readonly Value[] = [1, null, null, null, null, null, null];
const TASK_ROWS: QueueShape = {
  table: 'visit_tasks',
  head: ['id', 'customer_id', 'policy_id', 'kind', 'cycle', 'status', 'batch_id', 'created_batch_id', 'created_at', 'updated_at'],
  fields: TASK,
  tail: DEADLINE_COLUMNS,
};

/**
 * Rows for one table, written ROWS_PER_INSERT to a statement (the full-size statement prepared
 * once). Values go straight into one flat list in column order: looking each column up in a
 * few objects per row was a twentieth of a 100,000-row import.
 */
function rowQueue(db: Database, shape: QueueShape) {
  const columns = [...shape.head, ...shape.fields.map(([, c]) => c), ...(shape.tail ?? [])];
  const fields = shape.fields.map(([f]) => f);
  const fallback = shape.fields.map(([, c]) => shape.defaults?.[c] ?? null);
  const values: Value[] = [];
  let rows = 0;
  /** The full-size statement, prepared once (building its text per flush was a tenth of a second per 100,000 rows). */
  let full: Statement | undefined;
  const sql = (n: number) => `INSERT INTO ${shape.table} (${columns.join(', ')}) VALUES ${Array.from({ length: n }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')}`;
  return {
    get size(): number {
      return rows;
    },
    /**
     * Queues one row: `head` and `tail` values for those columns of the shape, the file's fields
     * from `row`. The writer flushes every queue, in order, before any reaches ROWS_PER_INSERT + 1.
     */
    push(head: readonly Value[], row: NormalizedRow, tail: readonly Value[] = []): void {
      if (head.length !== shape.head.length || tail.length !== (shape.tail?.length ?? 0)) throw new Error(`${shape.table}: values do not match the columns`);
      for (const v of head) values.push(v);
      for (let i = 0; i < fields.length; i++) values.push((row[fields[i]!] as Value | undefined) ?? fallback[i]!);
      for (const v of tail) values.push(v);
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
  /** The first task id handed out since the new tasks were last indexed: they run from here to the last one allocated. */
  let firstTaskId: number | undefined;
  const allocate = (table: 'customers' | 'policies' | 'visit_tasks'): number => {
    const id = nextId.get(table) ?? (db.prepare(`SELECT ifnull(max(id), 0) + 1 FROM ${table}`).pluck().get() as number);
    nextId.set(table, id + 1);
    if (table === 'visit_tasks') firstTaskId ??= id;
    return id;
  };
  const customers = rowQueue(db, CUSTOMER_ROWS);
  const policies = rowQueue(db, POLICY_ROWS);
  const tasks = rowQueue(db, TASK_ROWS);
  /** Policy numbers queued but not yet written: a later row of the same policy must find them. */
  const queuedPolicyNos = new Set<string>();

  /** Writes whatever is queued, parents before children (foreign keys are checked per statement). */
  function flush(): void {
    customers.flush();
    policies.flush();
    tasks.flush();
    queuedPolicyNos.clear();
  }

  /**
   * The tasks this writer created enter the search index here, in one statement (migration 019:
   * the insert trigger leaves tasks from a list alone). Their ids are one run, handed out by
   * `allocate`; an id left unused (a row that failed) simply matches no task.
   */
  function indexCreatedTasks(): void {
    if (firstTaskId === undefined) return;
    stmt(
      db,
      `INSERT INTO task_search (rowid, name, policy_no, phone)
         SELECT t.id, c.name, p.policy_no, c.phone FROM visit_tasks t JOIN customers c ON c.id = t.customer_id LEFT JOIN policies p ON p.id = t.policy_id
         WHERE t.id BETWEEN ? AND ?`,
    ).run(firstTaskId, nextId.get('visit_tasks')! - 1);
    firstTaskId = undefined;
  }

  const replacedPhone = db.prepare<[number, string], { n: number }>('SELECT 1 AS n FROM customer_phone_changes WHERE customer_id = ? AND old_phone = ?');

  /**
   * Policy numbers known to have no policy yet (see `prefetch`). A number leaves the set when a row
   * creates its policy, so the set never claims a policy is missing after it was written.
   */
  const absent = new Set<string>();
  const presentOf = db.prepare<[string], string>('SELECT policy_no FROM policies WHERE policy_no IN (SELECT value FROM json_each(?))').pluck();

  /** A row whose policy is known to be new: nothing stored to look up or compare. */
  const isNewPolicy = (row: NormalizedRow) => absent.has(row.policyNo) && !queuedPolicyNos.has(row.policyNo);
  const NOTHING_STORED = { policy: undefined, customer: undefined, task: undefined, c: NO_DIFF, p: NO_DIFF, t: NO_DIFF, action: 'create' } as const;

  function plan(row: NormalizedRow) {
    // Most rows of a new list: skipping the comparisons spares the commit their garbage.
    if (isNewPolicy(row)) return NOTHING_STORED;
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
  const deadlines = new Map<string, readonly Value[]>();
  // Made on first use: a writer that computes no deadline (the preview's) writes nothing here.
  let textIds: ((text: string | null) => number | null) | null = null;
  const textId = (text: string | null) => (textIds ??= deadlineTextIds(db))(text);
  /** A new task's DEADLINE_COLUMNS values (shared between tasks with the same facts: read only). */
  const deadlineFor = (facts: TaskFactsRow, at: string): readonly Value[] => {
    let key = at;
    for (const k of FACT_KEYS) key += `\u0001${facts[k] ?? '\u0000'}`;
    let cols = deadlines.get(key);
    if (!cols) {
      const d = deadlineOf!(facts);
      cols = [d.required ? 1 : 0, d.opens, d.due, textId(d.explanation), d.warnings.length ? d.warnings.join('\n') : null, textId(d.source), at];
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
    classify: (row: NormalizedRow): RowAction => plan(row).action,

    /** Writes the tasks still queued; call before reading tasks back. */
    flush,

    /**
     * Writes what is still queued and adds the new tasks to the search index: call once, after the
     * last row and before committing (until then the new tasks are written but not searchable).
     */
    finish(): void {
      flush();
      indexCreatedTasks();
    },

    /** Applies one row; returns the task id touched (null when unchanged) and what happened. */
    apply(row: NormalizedRow, ctx: { batchId: number; userId: number; at: string }): { action: RowAction; taskId: number | null; deadlineDone: boolean } {
      const { policy, customer, task, c, p, t, action } = plan(row);
      if (action === 'unchanged') return { action, taskId: null, deadlineDone: false };
      let deadlineDone = false;
      let customerId = customer ? Number(customer.id) : 0;
      if (customer) update('customers', customerId, c.set);
      else {
        customerId = allocate('customers');
        customers.push([customerId], row, [ctx.at]);
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
        policies.push([policyId, row.policyNo, customerId, ctx.at], row);
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
        const head = [taskId, customerId, policyId, row.kind, cycleFor(row, today), 'unassigned', ctx.batchId, ctx.batchId, ctx.at, ctx.at];
        // The deadline is computed from the same facts recomputeDeadlines would read back, and
        // written with the row, so the task's indexes are written once.
        deadlineDone = deadlineOf !== undefined && row.kind !== 'problem_case';
        tasks.push(head, row, deadlineDone ? deadlineFor(taskFacts(row, policy), ctx.at) : DEADLINE_LATER);
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
