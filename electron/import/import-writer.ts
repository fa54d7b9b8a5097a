import type { Database } from 'better-sqlite3-multiple-ciphers';
import { halfYearKey, yearKey } from '../../shared/dates';
import type { TaskKind } from '../../shared/domain/tasks';
import { maskIdNumber, maskPhone } from '../../shared/domain/masking';
import { stmt } from '../db/statements';
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

export type RowAction = 'create' | 'update' | 'unchanged';

/**
 * Writes head-office rows: customer and policy upserted by policy number, the task by its
 * identity. Prepared once; `classify` answers without writing (for the preview).
 */
export function createImportWriter(db: Database, today: string) {
  const policyByNo = db.prepare<[string], Cols & { id: number; applicant_id: number }>('SELECT * FROM policies WHERE policy_no = ?');
  const customerById = db.prepare<[number], Cols>('SELECT * FROM customers WHERE id = ?');
  const taskByIdentity = db.prepare<[number, number, string, string], Cols & { id: number }>(
    'SELECT * FROM visit_tasks WHERE customer_id = ? AND ifnull(policy_id, 0) = ? AND kind = ? AND cycle = ?',
  );
  const update = (table: string, id: number, set: Cols) => {
    const cols = Object.keys(set);
    if (cols.length) stmt(db, `UPDATE ${table} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...Object.values(set), id);
  };

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

    /** Applies one row; returns the task id touched (null when unchanged) and what happened. */
    apply(row: NormalizedRow, ctx: { batchId: number; userId: number; at: string }): { action: RowAction; taskId: number | null } {
      const { policy, customer, task, c, p, t, action } = plan(row);
      if (action === 'unchanged') return { action, taskId: null };
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
        policyId = Number(
          stmt(db, 'INSERT INTO policies (policy_no, applicant_id, product_name, product_type, channel, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(row.policyNo, customerId, row.productName ?? '（未注明）', row.productType ?? 'traditional', row.channel ?? 'individual', ctx.at).lastInsertRowid,
        );
        update('policies', policyId, p.set);
      }
      let taskId: number;
      if (task) {
        taskId = task.id;
        update('visit_tasks', taskId, { ...t.set, batch_id: ctx.batchId, updated_at: ctx.at });
        recordTaskEvent(db, { taskId, at: ctx.at, userId: ctx.userId, event: 'updated', batchId: ctx.batchId, summary: '总公司清单更新了任务资料', changes: [...c.changes, ...p.changes, ...t.changes] });
      } else {
        taskId = Number(
          stmt(db, "INSERT INTO visit_tasks (customer_id, policy_id, kind, cycle, status, batch_id, created_at, updated_at) VALUES (?, ?, ?, ?, 'unassigned', ?, ?, ?)").run(customerId, policyId, row.kind, cycleFor(row, today), ctx.batchId, ctx.at, ctx.at).lastInsertRowid,
        );
        update('visit_tasks', taskId, t.set);
        recordTaskEvent(db, { taskId, at: ctx.at, userId: ctx.userId, event: 'created', batchId: ctx.batchId, summary: '由总公司清单导入' });
        // A problem case from head office's list is a case to work to closure, not only a visit;
        // its deadline follows the task's (see recomputeDeadlines).
        if (row.kind === 'problem_case') {
          stmt(db, "INSERT INTO problem_cases (source, task_id, customer_id, policy_id, state, opened_at, description) VALUES ('import', ?, ?, ?, 'open', ?, ?)").run(
            taskId, customerId, policyId, ctx.at, row.problemDescription,
          );
        }
      }
      return { action, taskId };
    },
  };
}
