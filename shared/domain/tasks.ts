/**
 * Visit tasks as the branch sees them. Kinds follow DOMAIN.md's table; `source` says how the
 * case reached the branch (the call centre's 件类型).
 */
export const TASK_KINDS = [
  'new_policy',
  'problem_case',
  'key_client',
  'shareholder_client',
  'survival_benefit',
  'renewal',
  'claim_closed',
  'underwriting',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export const TASK_KIND_LABELS: Record<TaskKind, string> = {
  new_policy: '新契约回访',
  problem_case: '问题件处理',
  key_client: '重点客户回访',
  shareholder_client: '股东相关客户回访',
  survival_benefit: '生存给付回访',
  renewal: '续保回访',
  claim_closed: '理赔结案回访',
  underwriting: '承保后回访',
};

export const TASK_SOURCES = ['unreached', 'wrong_number', 'dialect', 'problem', 'verify', 'letter', 'plan', 'payment'] as const;
export type TaskSource = (typeof TASK_SOURCES)[number];

export const TASK_SOURCE_LABELS: Record<TaskSource, string> = {
  unreached: '不成功件',
  wrong_number: '电话错误件',
  dialect: '方言件',
  problem: '问题件',
  verify: '核实件',
  letter: '信函件',
  plan: '年度计划',
  payment: '给付清单',
};

export const TASK_STATUSES = ['unassigned', 'to_contact', 'booked', 'in_progress', 'to_countersign', 'done', 'problem', 'failed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TASK_STATUS_LABELS: Record<TaskStatus, string> = {
  unassigned: '待分配',
  to_contact: '待联系',
  booked: '已预约',
  in_progress: '进行中',
  to_countersign: '待会签',
  done: '已完成',
  problem: '问题件',
  failed: '不成功',
};

export const CHANNELS = ['individual', 'bancassurance', 'bank_direct', 'group'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, string> = {
  individual: '个险',
  bancassurance: '银保',
  bank_direct: '银保通',
  group: '团险',
};

export const PRODUCT_TYPES = ['traditional', 'participating', 'universal', 'unit_linked'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];
export const PRODUCT_TYPE_LABELS: Record<ProductType, string> = {
  traditional: '传统险',
  participating: '分红险',
  universal: '万能险',
  unit_linked: '投连险',
};

/** One row of the task board: customer data arrives masked unless a reason was given. */
export interface TaskRow {
  id: number;
  kind: TaskKind;
  source: TaskSource | null;
  status: TaskStatus;
  customerName: string;
  phoneMasked: string;
  policyNo: string | null;
  productName: string | null;
  channel: Channel | null;
  assigneeName: string | null;
  opensOn: string | null;
  dueOn: string | null;
  dueExplanation: string | null;
  /** E.g. the calendar year the due date falls in is not loaded yet. */
  dueWarnings: string[];
  /** A scheduled (not cancelled or done) appointment exists, whatever the status. */
  hasAppointment: boolean;
}

/**
 * Cooling-off days when the policy does not say: at least 10 (重庆…办法 第四条); bancassurance
 * products commonly set 15.
 */
export function defaultCoolingOffDays(channel: Channel | null): number {
  return channel === 'bancassurance' || channel === 'bank_direct' ? 15 : 10;
}
