/**
 * Problem-case categories (问题件分类). A visit whose answers are not all affirmative is a
 * problem case (山东…修订的通知 一); the category says why, feeds the problem-case list sent to
 * the sales-quality supervisor (客户回访规范与管理, 问题件清单) and the category statistics the
 * visit system must produce (保险公司客户回访工作指引 八).
 *
 * The list order is the order categories are reported in (most serious first), so that the same
 * set of problems always reads the same way on screen, in print and in statistics.
 */

/** How categories roll up in statistics. */
export type ProblemCategoryGroup =
  | 'sales_quality' // 契约品质: did the customer really buy and sign (代签名, 不知投保…)
  | 'misleading' // 误导客户 (客户回访规范与管理: 缴费年限、保障期间、保险利益、退保)
  | 'documents' // 单证送达: policy / terms not delivered
  | 'rights' // 不清楚保险权益 (山东 三; 重庆 第八条)
  | 'information' // 客户信息 (信息错误, 提供虚假信息)
  | 'complaint' // 投诉/诉求
  | 'payment' // 给付/赔款 (保全付费, 理赔)
  | 'service' // 服务评价 (XX保险 第5、6、8条)
  | 'follow_up' // needs follow-up but is not a fault (新的需求与建议)
  | 'process'; // the handling of the case itself (逾期未处理)

export const PROBLEM_CATEGORY_GROUP_LABELS: Record<ProblemCategoryGroup, string> = {
  sales_quality: '契约品质',
  misleading: '误导客户',
  documents: '单证送达',
  rights: '客户权益',
  information: '客户信息',
  complaint: '投诉/诉求',
  payment: '给付/赔款',
  service: '服务评价',
  follow_up: '需求跟进',
  process: '处理时效',
};

export interface ProblemCategoryInfo {
  readonly code: string;
  /** Chinese name as it appears on the problem-case list. */
  readonly label: string;
  readonly group: ProblemCategoryGroup;
  /**
   * Listed among the problem cases the branch operations department reports to the bank-channel
   * sales-quality supervisor for penalties (客户回访规范与管理, 问题件 1–6).
   */
  readonly reportToQuality: boolean;
  /** What the handler should do, shown in the next-step explanation. */
  readonly handling: string;
  /** The document the category comes from. */
  readonly source: string;
}

export const PROBLEM_CATEGORIES = [
  {
    code: 'unaware_of_purchase',
    label: '不知投保',
    group: 'sales_quality',
    reportToQuality: true,
    handling: '核实投保过程及投保意愿，必要时按撤单/退保处理',
    source: '客户回访规范与管理 二 1（确定客户了解自己购买了保险）',
  },
  {
    code: 'proxy_signature',
    label: '代签名',
    group: 'sales_quality',
    reportToQuality: true,
    handling: '作为核实件核实签名情况，由投保人、被保险人本人补签或按规定处理',
    source: '客户回访规范与管理 问题件 4；二 3',
  },
  {
    code: 'not_own_will',
    label: '非本人投保意愿',
    group: 'sales_quality',
    reportToQuality: true,
    handling: '核实投保意愿是否由客户本人作出',
    source: 'XX保险客户回访管理办法 第5条（投保意愿是否自己作出）',
  },
  {
    code: 'false_info',
    label: '提供虚假信息',
    group: 'information',
    reportToQuality: true,
    handling: '查明为躲避回访而提供的虚假客户信息，取得真实联系方式后重新回访',
    source: '客户回访规范与管理 问题件 2',
  },
  {
    // The seed names four kinds of misleading (缴费年限、保障期间、保险利益、退保). The premium
    // amount is asked on its own (客户回访规范与管理 二 4), so a "no" to it needs a category of
    // its own; it rolls up under 误导客户 like the other four.
    code: 'misleading_premium',
    label: '误导-缴费金额',
    group: 'misleading',
    reportToQuality: true,
    handling: '向客户说明保单载明的缴费金额，核查销售过程',
    source: '客户回访规范与管理 二 4（扩展分类，归入误导客户）',
  },
  {
    code: 'misleading_payment_years',
    label: '误导-缴费年限',
    group: 'misleading',
    reportToQuality: true,
    handling: '向客户说明保单载明的缴费年限，核查销售过程',
    source: '客户回访规范与管理 问题件 3',
  },
  {
    code: 'misleading_coverage_period',
    label: '误导-保障期间',
    group: 'misleading',
    reportToQuality: true,
    handling: '向客户说明保单载明的保障期间，核查销售过程',
    source: '客户回访规范与管理 问题件 3',
  },
  {
    code: 'misleading_benefits',
    label: '误导-保险利益',
    group: 'misleading',
    reportToQuality: true,
    handling: '向客户说明保险利益（含分红不保证、新型产品收益不确定），核查销售过程',
    source: '客户回访规范与管理 问题件 3',
  },
  {
    code: 'misleading_surrender',
    label: '误导-退保',
    group: 'misleading',
    reportToQuality: true,
    handling: '向客户说明犹豫期后退保的损失，核查销售过程',
    source: '客户回访规范与管理 问题件 3',
  },
  {
    code: 'policy_not_received',
    label: '未收到保单',
    group: 'documents',
    reportToQuality: false,
    handling: '核查保单送达及回执签收情况，补送保单',
    source: '客户回访规范与管理 二 2（确认客户是否收到保单）',
  },
  {
    code: 'terms_not_provided',
    label: '未配条款',
    group: 'documents',
    reportToQuality: true,
    handling: '补送保险条款并向客户说明',
    source: '客户回访规范与管理 问题件 5',
  },
  {
    code: 'unclear_rights',
    label: '不清楚保险权益',
    group: 'rights',
    reportToQuality: false,
    handling: '向投保人沟通解释保险责任、责任免除、犹豫期、费用收取等权益内容',
    source: '山东保监局…修订的通知 三；重庆…办法 第八条；保险公司客户回访工作指引 五',
  },
  {
    code: 'wrong_info',
    label: '信息错误',
    group: 'information',
    reportToQuality: true,
    handling: '核实并更正客户联系电话、通信地址',
    source: '客户回访规范与管理 问题件 1（电话错误和地址错误）',
  },
  {
    code: 'complaint',
    label: '投诉/诉求',
    group: 'complaint',
    reportToQuality: false,
    handling: '记录客户诉求，按投诉转工单规定上报责任部门处理',
    source: 'XX保险客户回访管理办法 第5条（投诉转工单）；客户回访管理制度 第六条（二）',
  },
  {
    code: 'overdue_handling',
    label: '问题件逾期未处理',
    group: 'process',
    reportToQuality: true,
    handling: '立即处理并说明逾期原因',
    source: '客户回访规范与管理 问题件 6（工单下达三个工作日内未处理）',
  },
  {
    code: 'unaware_of_payment',
    label: '不知悉给付',
    group: 'payment',
    reportToQuality: false,
    handling: '核实给付申请是否由投保人/受益人本人办理或授权，交保全岗追踪',
    source: '个险银险保全付费回访管理办法（非本人亲自办理的给付须回访）',
  },
  {
    code: 'payment_not_received',
    label: '未收到款项',
    group: 'payment',
    reportToQuality: false,
    handling: '核查付费/转账是否成功，打印问题件清单交保全岗/理赔岗追踪',
    source: '个险银险保全付费回访管理办法（付费/转账是否成功确认）',
  },
  {
    code: 'liability_unclear',
    label: '定责定损不清楚',
    group: 'service',
    reportToQuality: false,
    handling: '向客户说明定责、定损结果及依据',
    source: 'XX保险客户回访管理办法 第5条（理赔时是否清楚定责定损情况）',
  },
  {
    code: 'service_dissatisfied',
    label: '服务不满意',
    group: 'service',
    reportToQuality: false,
    handling: '了解不满意的原因，反馈相关部门改进',
    source: 'XX保险客户回访管理办法 第5条、第6条、第8条',
  },
  {
    code: 'coverage_gap',
    label: '保障需求未满足',
    group: 'follow_up',
    reportToQuality: false,
    handling: '了解客户保障需求，安排业务人员跟进',
    source: 'XX保险客户回访管理办法 第6条、第8条（保险保障需求满足情况）',
  },
  {
    code: 'risk_control_concern',
    label: '风控隐患',
    group: 'follow_up',
    reportToQuality: false,
    handling: '记录风险隐患，安排风控或业务人员跟进',
    source: 'XX保险客户回访管理办法 第8条（保险风控情况）',
  },
  {
    code: 'new_need',
    label: '新的需求与建议',
    group: 'follow_up',
    reportToQuality: false,
    handling: '记录客户新的需求与建议，交相关部门跟进并回复',
    source: 'XX保险客户回访管理办法 第8条（客户新的需求与建议）',
  },
] as const satisfies readonly ProblemCategoryInfo[];

export type ProblemCategory = (typeof PROBLEM_CATEGORIES)[number]['code'];

export const PROBLEM_CATEGORY_CODES = PROBLEM_CATEGORIES.map((c) => c.code) as [
  ProblemCategory,
  ...ProblemCategory[],
];

const BY_CODE: ReadonlyMap<string, ProblemCategoryInfo> = new Map(PROBLEM_CATEGORIES.map((c) => [c.code, c]));
const ORDER: ReadonlyMap<string, number> = new Map(PROBLEM_CATEGORIES.map((c, i) => [c.code, i]));

export function isProblemCategory(code: unknown): code is ProblemCategory {
  return typeof code === 'string' && BY_CODE.has(code);
}

export function categoryInfo(code: ProblemCategory): ProblemCategoryInfo {
  // Every ProblemCategory is in the map by construction.
  return BY_CODE.get(code) as ProblemCategoryInfo;
}

export function categoryLabel(code: ProblemCategory): string {
  return categoryInfo(code).label;
}

/** Deduplicates and puts categories in list order. */
export function sortCategories(codes: Iterable<ProblemCategory>): ProblemCategory[] {
  return [...new Set(codes)].sort((a, b) => (ORDER.get(a) ?? 0) - (ORDER.get(b) ?? 0));
}
