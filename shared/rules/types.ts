import type { Cycle, IsoDate } from '../dates';

/** Every visit kind the rule engine knows, with the name the desk uses. Order is display order. */
export const VISIT_KINDS = [
  { kind: 'new_policy', label: '新契约回访（犹豫期内）' },
  { kind: 'call_list_individual', label: '个险新契约回访清单抽取' },
  { kind: 'call_list_bancassurance', label: '银保新契约回访清单抽取' },
  { kind: 'problem_case', label: '问题件处理' },
  { kind: 'follow_up_case', label: '跟踪件处理' },
  { kind: 'underwriting', label: '承保后首次回访' },
  { kind: 'claim_closed', label: '理赔结案后回访' },
  { kind: 'car_claim', label: '车险已决赔案回访' },
  { kind: 'renewal', label: '续保回访' },
  { kind: 'service_event', label: '续期宽限期、失效、退保及赔付回访' },
  { kind: 'survival_benefit', label: '生存给付回访' },
  { kind: 'key_client', label: '重点客户现场回访' },
  { kind: 'shareholder_client', label: '股东相关客户现场回访' },
  { kind: 'value_tier', label: '分级客户定期回访' },
  { kind: 'new_customer', label: '新客户回访' },
  { kind: 'complaint_customer', label: '投诉客户回访' },
  { kind: 'lost_customer', label: '流失客户回访' },
  { kind: 'sales_call', label: '外勤拜访后回访' },
  { kind: 'partner_client', label: '合作客户月度回访' },
] as const;

export type VisitKind = (typeof VISIT_KINDS)[number]['kind'];

export const VISIT_KIND_CODES = VISIT_KINDS.map((k) => k.kind) as unknown as readonly [VisitKind, ...VisitKind[]];

export const VISIT_KIND_LABELS = Object.fromEntries(VISIT_KINDS.map((k) => [k.kind, k.label])) as Readonly<
  Record<VisitKind, string>
>;

export function isVisitKind(v: unknown): v is VisitKind {
  return typeof v === 'string' && (VISIT_KIND_CODES as readonly string[]).includes(v);
}

/** Where the new-policy visit fell relative to the cooling-off period (犹豫期). */
export type CoolingOffTiming = 'before' | 'within' | 'after';

export const COOLING_OFF_TIMING_LABELS: Readonly<Record<CoolingOffTiming, string>> = {
  before: '犹豫期前回访',
  within: '犹豫期内回访',
  after: '犹豫期后回访',
};

export interface NewPolicyVisitAssessment {
  timing: CoolingOffTiming;
  /** The cooling-off period (start = day after receipt signing, end after extension); null if the receipt is unsigned. */
  coolingOff: { start: IsoDate; end: IsoDate } | null;
  /** A visit before the period needs a re-visit (补访) inside it. */
  revisitRequired: boolean;
  revisitDue: IsoDate | null;
  /** After the period: a surrender requested up to `to` is treated as within cooling-off. */
  surrenderWindow: { from: IsoDate; to: IsoDate } | null;
  explanation: string;
  warnings: string[];
}

/**
 * What a rule says about one case.
 * - `required`: a visit is owed under this rule for these facts (false when the case is out of
 *   scope or the owed visit is already done).
 * - `opens`/`due` (inclusive): when required, the window of the owed visit; when not required,
 *   the next cycle's window for periodic kinds, the window the facts were measured against for
 *   one-off kinds, or null. `due` is null where the source sets no deadline, and already includes
 *   the rest-day extension of 民法典 第二百零三条.
 * - `warnings`: what the user must see (calendar years not loaded, doubtful facts).
 */
export interface DeadlineResult {
  kind: VisitKind;
  required: boolean;
  opens: IsoDate | null;
  due: IsoDate | null;
  explanation: string;
  warnings: string[];
  /** The source document (and article) the rule comes from. */
  source: string;
  /** Whom to visit, when the source says (回访对象). */
  visitee?: string;
  /** Periodic kinds: the cycle that `today` falls in, and whether it is already satisfied. */
  cycle?: Cycle & { satisfied: boolean };
  /** Set when the facts include today's date and `due` has passed without the visit. */
  overdue?: boolean;
  /** new_policy with a visit date: how that visit relates to the cooling-off period. */
  newPolicyVisit?: NewPolicyVisitAssessment;
  /** new_customer: which of the two visits is owed. */
  stage?: 'initial' | 'follow_up' | 'done';
}
