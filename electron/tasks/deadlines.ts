import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { WorkCalendar } from '../../shared/calendar';
import { defaultCoolingOffDays, type Channel, type TaskKind } from '../../shared/domain/tasks';
import { computeDeadline } from '../../shared/rules';
import { deadlineTextIds } from './deadline-texts';

/** The stored facts of one task (and its policy) that its deadline is computed from. */
export interface TaskFactsRow {
  id: number;
  kind: TaskKind;
  event_date: string | null;
  amount_cents: number | null;
  payment_method: 'cash' | 'bank_transfer' | null;
  payee: 'applicant' | 'beneficiary' | null;
  paid_in_person: number | null;
  juvenile_policy: number | null;
  last_visit_date: string | null;
  receipt_signed_date: string | null;
  issue_date: string | null;
  term_years: number | null;
  cooling_off_days: number | null;
  channel: Channel | null;
  expiry_date: string | null;
}

const bool = (v: number | null) => (v === null ? undefined : v === 1);

/** Maps stored facts to the rule engine's input for the task's kind. */
export function deadlineInput(row: TaskFactsRow, today: string): Record<string, unknown> {
  switch (row.kind) {
    case 'new_policy':
      return {
        kind: row.kind,
        receiptSignedDate: row.receipt_signed_date,
        coolingOffDays: row.cooling_off_days ?? defaultCoolingOffDays(row.channel),
        termYears: row.term_years,
        individualApplicant: row.channel !== 'group',
        issueDate: row.issue_date,
      };
    case 'problem_case':
      return { kind: row.kind, workOrderDate: row.event_date };
    case 'underwriting':
      return { kind: row.kind, underwritingDate: row.event_date };
    case 'claim_closed':
      return { kind: row.kind, claimClosedDate: row.event_date };
    case 'renewal':
      return { kind: row.kind, expiryDate: row.expiry_date ?? row.event_date };
    case 'survival_benefit':
      return {
        kind: row.kind,
        method: row.payment_method,
        amount: row.amount_cents === null ? null : row.amount_cents / 100,
        payee: row.payee,
        paidInPerson: bool(row.paid_in_person),
        juvenilePolicy: bool(row.juvenile_policy),
        paymentDate: row.event_date,
      };
    case 'key_client':
    case 'shareholder_client':
      return { kind: row.kind, today, lastVisitDate: row.last_visit_date };
  }
}

export interface StoredDeadline {
  required: boolean;
  opens: string | null;
  due: string | null;
  explanation: string;
  warnings: string[];
  source: string | null;
}

/** Runs the rule; facts that are missing or impossible become a Chinese explanation, not a date. */
export function taskDeadline(row: TaskFactsRow, calendar: WorkCalendar, today: string): StoredDeadline {
  const r = computeDeadline(deadlineInput(row, today), calendar);
  if (!r.ok) {
    return {
      required: true,
      opens: null,
      due: null,
      explanation: `无法计算期限：${r.issues.map((i) => i.message).join('；')}`,
      warnings: ['任务资料不全或有误，请核对后再计算期限'],
      source: null,
    };
  }
  const v = r.value;
  return { required: v.required, opens: v.opens, due: v.due, explanation: v.explanation, warnings: v.warnings, source: v.source };
}

const FACTS_SQL = `
  SELECT t.id, t.kind, t.event_date, t.amount_cents, t.payment_method, t.payee, t.paid_in_person, t.juvenile_policy,
         t.last_visit_date, p.receipt_signed_date, p.issue_date, p.term_years, p.cooling_off_days, p.channel, p.expiry_date
  FROM visit_tasks t LEFT JOIN policies p ON p.id = t.policy_id`;

/**
 * Recomputes and stores the deadlines of the given tasks (all when `ids` is absent). Call inside
 * the transaction that changed the facts or the calendar. Returns how many tasks were updated.
 */
export function recomputeDeadlines(db: Database, calendar: WorkCalendar, today: string, now: Date, ids?: readonly number[]): number {
  // The texts go to deadline_texts; a row's own copy from before migration 017 is cleared.
  const update = db.prepare(
    `UPDATE visit_tasks SET visit_required = ?, opens_on = ?, due_on = ?, due_explanation = NULL, due_explanation_id = ?, due_warnings = ?,
       deadline_source = NULL, deadline_source_id = ?, deadline_computed_at = ? WHERE id = ?`,
  );
  const textId = deadlineTextIds(db);
  const caseDue = db.prepare("UPDATE problem_cases SET due_on = ?, due_explanation = ? WHERE task_id = ? AND source = 'import' AND state IN ('open', 'reopened')");
  // all(), not iterate(): the connection cannot run the UPDATEs while a read is open.
  const rows = ids
    ? (db.prepare(`${FACTS_SQL} WHERE t.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as TaskFactsRow[])
    : db.prepare<[], TaskFactsRow>(FACTS_SQL).all();
  const at = now.toISOString();
  let n = 0;
  for (const row of rows) {
    const d = taskDeadline(row, calendar, today);
    update.run(d.required ? 1 : 0, d.opens, d.due, textId(d.explanation), d.warnings.length ? d.warnings.join('\n') : null, textId(d.source), at, row.id);
    // A problem case handed down by head office runs on its task's deadline while it is open.
    if (row.kind === 'problem_case') caseDue.run(d.due, d.explanation, row.id);
    n++;
  }
  return n;
}
