import type { Channel } from '../../shared/domain/tasks';

/** The facts a task's deadline is computed from, by kind. */
export type TaskFacts =
  | { kind: 'new_policy'; receiptSignedDate: string; channel: Channel }
  | { kind: 'problem_case'; workOrderDate: string }
  | { kind: 'key_client' | 'shareholder_client'; today: string; lastVisitDate: string | null }
  | { kind: 'survival_benefit'; paymentDate: string; amountYuan: number; method: 'cash' | 'bank_transfer'; collectedInPerson: boolean }
  | { kind: 'renewal'; expiryDate: string }
  | { kind: 'claim_closed'; closedDate: string }
  | { kind: 'underwriting'; underwritingDate: string };

export interface TaskDeadline {
  cycle: string;
  opens: string | null;
  due: string | null;
  explanation: string;
  warnings: string[];
}

export function taskDeadline(facts: TaskFacts): TaskDeadline {
  // Placeholder until the rule engine lands (issue 3).
  void facts;
  return { cycle: '', opens: null, due: null, explanation: '', warnings: [] };
}
