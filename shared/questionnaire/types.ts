/**
 * Types of the questionnaire (回访问卷) data. A template is plain JSON-compatible data so an
 * administrator can import a new version from a file (保险公司客户回访工作指引 八 asks the visit
 * system for 回访问卷设计); a visit record keeps the (id, version) it was asked with.
 */
import type { ProblemCategory } from '../outcome/categories';

/**
 * Visit kinds (回访项目) that have a questionnaire. See DOMAIN.md, "Visit kinds". The codes are
 * the task kinds of shared/domain/tasks.ts (a test keeps them in step), so a task's kind can be
 * passed to selectTemplate as it is.
 */
export const VISIT_KINDS = [
  { code: 'new_policy', label: '新契约回访', source: '山东保监局…修订的通知 二；重庆…办法 第三条' },
  // The second visit that closes a problem case asks the new-policy script again (山东 三).
  { code: 'problem_case', label: '问题件二次回访', source: '山东保监局…修订的通知 三' },
  { code: 'underwriting', label: '承保回访', source: 'XX保险客户回访管理办法 第5条（承保完毕一个月内）' },
  { code: 'claim_closed', label: '理赔结案回访', source: 'XX保险客户回访管理办法 第5条；华泰…回访业务管理制度 第五条' },
  { code: 'survival_benefit', label: '生存给付回访', source: '个险银险保全付费回访管理办法' },
  { code: 'renewal', label: '续保回访', source: 'XX保险客户回访管理办法 第6条' },
  { code: 'key_client', label: '重点客户现场回访', source: 'XX保险客户回访管理办法 第7–9条' },
  { code: 'shareholder_client', label: '股东相关客户现场回访', source: 'XX保险客户回访管理办法 第7条' },
] as const;
export type VisitKind = (typeof VISIT_KINDS)[number]['code'];
export const VISIT_KIND_CODES = VISIT_KINDS.map((k) => k.code) as [VisitKind, ...VisitKind[]];

/**
 * Product types that change the script. Participating products get the "dividends are not
 * guaranteed" question; new-type products (万能, 投连) get "returns are uncertain" and "fees
 * charged" (客户回访规范与管理 二 7; 重庆…办法 第八条).
 */
export const PRODUCT_TYPES = [
  { code: 'traditional', label: '传统型（普通型）' },
  { code: 'participating', label: '分红型' },
  { code: 'universal', label: '万能型' },
  { code: 'unit_linked', label: '投资连结型' },
] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number]['code'];
export const PRODUCT_TYPE_CODES = PRODUCT_TYPES.map((p) => p.code) as [ProductType, ...ProductType[]];

/** 新型产品 (万能, 投连) — 重庆…办法 第八条 "新型产品收益不确定性". */
export const NEW_TYPE_PRODUCTS: readonly ProductType[] = ['universal', 'unit_linked'];

/** The answer a question expects for the visit to count as affirmative. */
export type ExpectedAnswer = 'yes' | 'no';

/** When a question is asked. Only product type for now; an object so it can grow without breaking files. */
export interface ShowWhen {
  /** Ask only for these product types. */
  readonly productTypes: readonly ProductType[];
}

export interface Question {
  /** Stable within the template, lower_snake_case; answers are keyed by it. */
  readonly id: string;
  /** What the visitor reads aloud, in Chinese. May contain placeholders like {productName}. */
  readonly text: string;
  readonly expected: ExpectedAnswer;
  /** The problem category a non-expected answer raises. */
  readonly category: ProblemCategory;
  readonly showWhen?: ShowWhen;
  /** The visit is incomplete until a required visible question is answered. */
  readonly required: boolean;
  /**
   * Whether an explanation during the visit may turn a non-expected first answer into an
   * accepted one. Defaults to true (the re-asked answer counts). False for facts an explanation
   * cannot change — a proxy signature stays a proxy signature however it is explained.
   */
  readonly explanationCanResolve?: boolean;
  /** Note for the visitor (not read aloud). */
  readonly hint?: string;
  /** The rule the question comes from. */
  readonly source?: string;
}

export interface QuestionnaireTemplate {
  /** lower_snake_case, e.g. 'new_policy'. */
  readonly id: string;
  /** Positive integer; an imported file must carry a version greater than any existing one. */
  readonly version: number;
  /** Chinese name. */
  readonly name: string;
  readonly appliesTo: readonly VisitKind[];
  /** If set, the template is only proposed for these product types. */
  readonly productTypes?: readonly ProductType[];
  readonly source?: string;
  readonly questions: readonly Question[];
}

/**
 * Placeholders a question text may use; the renderer fills them from the policy. A missing value
 * is shown as 【label】 so the visitor reads it from the policy screen instead.
 */
export const PLACEHOLDERS = {
  applicantName: '投保人姓名',
  companyName: '公司名称',
  productName: '产品名称',
  policyNo: '保单号码',
  premium: '保费',
  paymentYears: '缴费年限',
  coveragePeriod: '保障期间',
  coolingOffDays: '犹豫期天数',
  address: '通信地址',
  phone: '联系电话',
  benefitAmount: '给付金额',
  claimAmount: '赔款金额',
  expiryDate: '保单到期日',
} as const;
export type PlaceholderKey = keyof typeof PLACEHOLDERS;
