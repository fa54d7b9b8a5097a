import { CHANNEL_LABELS, PRODUCT_TYPE_LABELS, type Channel, type ProductType, type TaskStatus } from '../../../../shared/domain/tasks';
import { ATTEMPT_OUTCOME_LABELS, CONTACT_METHODS, type AttemptOutcome, type ContactMethod } from '../../../../shared/outcome/types';

/** Status tag colours: grey before anyone owns it, blues while being worked, green when done, red when it went wrong. */
export const STATUS_COLORS: Record<TaskStatus, string> = {
  unassigned: 'default',
  to_contact: 'blue',
  booked: 'cyan',
  in_progress: 'geekblue',
  to_countersign: 'purple',
  done: 'green',
  problem: 'volcano',
  failed: 'red',
};

export const methodLabel = (m: ContactMethod): string => CONTACT_METHODS.find((c) => c.code === m)?.label ?? m;

/** The outcome as that method words it (a letter is 未回函, a call 无人接听). */
export const outcomeLabel = (m: ContactMethod, o: AttemptOutcome): string => ATTEMPT_OUTCOME_LABELS[m][o] ?? o;

/** Only outcomes that exist for the method: an SMS cannot be 已接通, a letter cannot book. */
export function outcomesFor(m: ContactMethod): { value: AttemptOutcome; label: string }[] {
  return (Object.entries(ATTEMPT_OUTCOME_LABELS[m]) as [AttemptOutcome, string][]).map(([value, label]) => ({ value, label }));
}

export const channelLabel = (c: string | null | undefined): string => (c ? (CHANNEL_LABELS[c as Channel] ?? c) : '');
export const productTypeLabel = (p: string | null | undefined): string => (p ? (PRODUCT_TYPE_LABELS[p as ProductType] ?? p) : '');

/** ¥12,345.00 from cents, without floating-point rounding on the way. */
export function formatYuan(cents: number | null): string {
  if (cents === null) return '';
  const yuan = Math.trunc(cents / 100).toLocaleString('zh-CN');
  return `¥${yuan}.${String(Math.abs(cents % 100)).padStart(2, '0')}`;
}

/** The stored column names a history entry's changes use (see the import writer), in Chinese. */
const CHANGE_FIELDS: Record<string, string> = {
  'customer.name': '投保人',
  'customer.phone': '联系电话',
  'customer.id_number': '证件号码',
  'customer.address': '联系地址',
  'policy.insured_name': '被保险人',
  'policy.beneficiary_name': '受益人',
  'policy.product_name': '险种名称',
  'policy.product_type': '产品类型',
  'policy.channel': '销售渠道',
  'policy.premium_cents': '保费（分）',
  'policy.pay_years': '缴费年限',
  'policy.coverage_period': '保障期间',
  'policy.term_years': '保险期限（年）',
  'policy.issue_date': '出单日期',
  'policy.print_date': '保单打印日期',
  'policy.receipt_signed_date': '回执签署日期',
  'policy.receipt_entry_date': '回执录入日期',
  'policy.expiry_date': '保单到期日',
  'policy.agent_code': '业务员工号',
  'policy.agent_name': '业务员',
  'policy.branch_org': '机构',
  'task.source': '件类型',
  'task.event_date': '业务日期',
  'task.amount_cents': '给付金额（分）',
  'task.payment_method': '领取方式',
  'task.problem_description': '问题描述',
  'task.last_visit_date': '上次回访日期',
};
export const changeFieldLabel = (field: string): string => CHANGE_FIELDS[field] ?? field;

export { columnLetter } from '../../../../shared/domain/spreadsheet';
