import type { FieldIssue } from '../api/envelope';
import type { WorkCalendar } from '../calendar';
import { callListBancassuranceRule, callListIndividualRule } from './call-list';
import {
  complaintCustomerRule,
  keyClientRule,
  lostCustomerRule,
  newCustomerRule,
  shareholderClientRule,
  survivalBenefitRule,
  valueTierRule,
} from './customer-rules';
import { carClaimRule, claimClosedRule, renewalRule, salesCallRule, serviceEventRule, underwritingRule } from './event-rules';
import { toFieldIssues } from './fields';
import { newPolicyRule } from './new-policy';
import { DEADLINE_INPUT_SCHEMAS, type DeadlineInput } from './schemas';
import { type DeadlineResult, VISIT_KIND_LABELS, isVisitKind } from './types';
import { followUpCaseRule, partnerClientRule, problemCaseRule } from './working-day-rules';

export type DeadlineOutcome = { ok: true; value: DeadlineResult } | { ok: false; issues: FieldIssue[] };

export type InputValidation = { ok: true; value: DeadlineInput } | { ok: false; issues: FieldIssue[] };

/** Validates raw input (from a form, an import row, IPC) into a typed DeadlineInput. */
export function validateDeadlineInput(input: unknown): InputValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '', message: '回访事实：应为对象' }] };
  }
  const kind = (input as { kind?: unknown }).kind;
  if (!isVisitKind(kind)) {
    const shown = typeof kind === 'string' && kind !== '' ? `未知的回访项目「${kind}」` : '请选择回访项目';
    return { ok: false, issues: [{ path: 'kind', message: `回访项目：${shown}` }] };
  }
  const r = DEADLINE_INPUT_SCHEMAS[kind].safeParse(input);
  if (!r.success) return { ok: false, issues: toFieldIssues(r.error.issues) };
  return { ok: true, value: r.data };
}

/** Runs the rule for already-validated input. */
export function applyRule(input: DeadlineInput, cal: WorkCalendar): DeadlineResult {
  switch (input.kind) {
    case 'new_policy':
      return newPolicyRule(input, cal);
    case 'call_list_individual':
      return callListIndividualRule(input);
    case 'call_list_bancassurance':
      return callListBancassuranceRule(input);
    case 'problem_case':
      return problemCaseRule(input, cal);
    case 'follow_up_case':
      return followUpCaseRule(input, cal);
    case 'underwriting':
      return underwritingRule(input, cal);
    case 'claim_closed':
      return claimClosedRule(input, cal);
    case 'car_claim':
      return carClaimRule(input, cal);
    case 'renewal':
      return renewalRule(input, cal);
    case 'service_event':
      return serviceEventRule(input);
    case 'survival_benefit':
      return survivalBenefitRule(input);
    case 'key_client':
      return keyClientRule(input, cal);
    case 'shareholder_client':
      return shareholderClientRule(input, cal);
    case 'value_tier':
      return valueTierRule(input, cal);
    case 'new_customer':
      return newCustomerRule(input, cal);
    case 'complaint_customer':
      return complaintCustomerRule(input);
    case 'lost_customer':
      return lostCustomerRule(input, cal);
    case 'sales_call':
      return salesCallRule(input, cal);
    case 'partner_client':
      return partnerClientRule(input, cal);
  }
}

/**
 * The single entry point: validates `input` (a DeadlineInput, or anything from a form or import)
 * and applies its kind's rule with `calendar` (built-in data plus administrator-loaded years).
 * Bad input gives one Chinese reason per field and never a date.
 */
export function computeDeadline(input: unknown, calendar: WorkCalendar): DeadlineOutcome {
  const v = validateDeadlineInput(input);
  if (!v.ok) return v;
  try {
    return { ok: true, value: applyRule(v.value, calendar) };
  } catch (e) {
    // Only arithmetic past the supported date range lands here (e.g. a year near 2199).
    if (e instanceof RangeError) {
      return {
        ok: false,
        issues: [{ path: '', message: `${VISIT_KIND_LABELS[v.value.kind]}：日期超出可计算范围（${e.message}）` }],
      };
    }
    throw e;
  }
}
