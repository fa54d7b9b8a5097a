/**
 * What a visit recorded (who answered, the answers, the contact attempts) and what it concluded.
 */
import type { FieldIssue } from '../api/envelope';
import type { ProductType, QuestionnaireTemplate } from '../questionnaire/types';
import type { ProblemCategory } from './categories';

export type Answer = 'yes' | 'no' | 'unclear';
export const ANSWER_LABELS: Record<Answer, string> = { yes: '是', no: '否', unclear: '不清楚' };

/**
 * One question's answers. When the first answer is not the expected one, the visitor explains and
 * asks again (重庆…办法 第八条: 得到明确答复后再转入下一个问题); the re-asked answer is the one
 * that counts, and both are kept as evidence.
 */
export interface AnswerRecord {
  first: Answer;
  afterExplanation?: Answer;
  /** What the customer said, in their words. */
  note?: string;
}

/**
 * Why an authorised family member answered instead of the applicant (客户回访规范与管理: 听不懂
 * 普通话或者听力较差等特殊原因).
 */
export const AUTHORISATION_REASONS = [
  { code: 'dialect', label: '方言（听不懂普通话）' },
  { code: 'hearing', label: '听力较差' },
  { code: 'illness', label: '疾病' },
  { code: 'other', label: '其他原因' },
] as const;
export type AuthorisationReason = (typeof AUTHORISATION_REASONS)[number]['code'];

export const FAMILY_RELATIONSHIPS = [
  { code: 'spouse', label: '配偶' },
  { code: 'child', label: '子女' },
  { code: 'parent', label: '父母' },
  { code: 'sibling', label: '兄弟姐妹' },
  { code: 'other', label: '其他家庭成员' },
] as const;
export type FamilyRelationship = (typeof FAMILY_RELATIONSHIPS)[number]['code'];

/** How the applicant authorised the family member; the record is the evidence of it. */
export const AUTHORISATION_METHODS = [
  { code: 'verbal_recorded', label: '投保人在录音电话中口头授权' },
  { code: 'written', label: '投保人书面授权' },
] as const;
export type AuthorisationMethod = (typeof AUTHORISATION_METHODS)[number]['code'];

/**
 * Who answered. `in_person` is the person the visit is for: the applicant for a new policy
 * (山东…修订的通知 一: 回访到投保人本人), the beneficiary or insured for a payment, the client's
 * insurance officer for a key client (XX保险 第9条, whose position goes in `position`).
 */
export type Respondent =
  | { kind: 'in_person'; name?: string; position?: string }
  | {
      kind: 'family_member';
      name?: string;
      relationship: FamilyRelationship;
      /** Required when relationship is 'other'. */
      relationshipNote?: string;
      reason: AuthorisationReason;
      /** Required when reason is 'other'. */
      reasonNote?: string;
      authorisation: AuthorisationMethod;
      authorisationNote?: string;
    };

export const CONTACT_METHODS = [
  { code: 'phone', label: '电话' },
  { code: 'sms', label: '短信' },
  { code: 'letter', label: '信函' },
  { code: 'home_visit', label: '上门' },
] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number]['code'];

export type AttemptOutcome = 'not_answered' | 'wrong_number' | 'refused' | 'dialect' | 'reached' | 'booked';

/**
 * What each outcome means for each method, and which combinations exist: an SMS cannot carry the
 * questionnaire (each item must be asked and answered in turn, 重庆…办法 第八条; the methods are
 * phone, letter and home visit, 第六条), so it can only remind or book; a letter has no dialect
 * and cannot book.
 */
export const ATTEMPT_OUTCOME_LABELS: Record<ContactMethod, Partial<Record<AttemptOutcome, string>>> = {
  phone: {
    not_answered: '无人接听',
    wrong_number: '电话号码错误',
    refused: '拒绝回访',
    dialect: '方言无法沟通',
    reached: '已接通',
    booked: '预约再访',
  },
  sms: {
    not_answered: '未回复',
    wrong_number: '号码错误（发送失败）',
    refused: '拒绝回访',
    booked: '已预约',
  },
  letter: {
    not_answered: '未回函',
    wrong_number: '地址错误（退信）',
    refused: '拒绝回访',
    reached: '已回函',
  },
  home_visit: {
    not_answered: '无人在家',
    wrong_number: '地址错误',
    refused: '拒绝回访',
    dialect: '方言无法沟通',
    reached: '已面访',
    booked: '已预约上门',
  },
};

export interface ContactAttempt {
  method: ContactMethod;
  outcome: AttemptOutcome;
  /** ISO 8601 date-time, e.g. 2024-03-01T09:30:00+08:00. */
  at: string;
  /** The number dialled or texted; tells a corrected number from the same wrong one. */
  phone?: string;
  /** For 'booked': the agreed time (ISO 8601). */
  appointmentAt?: string;
  note?: string;
}

/**
 * A problem the visitor established that no question raises: false information given to avoid
 * the visit (提供虚假信息), a complaint raised during the call, a case handled late.
 */
export interface Finding {
  category: ProblemCategory;
  note: string;
}

export interface OutcomeInput {
  template: QuestionnaireTemplate;
  /** Decides which product-specific questions are asked; unknown means all are asked. */
  productType?: ProductType;
  /** Absent until someone has been reached. */
  respondent?: Respondent;
  /** Keyed by question id. */
  answers: Record<string, AnswerRecord>;
  attempts: ContactAttempt[];
  findings?: Finding[];
  /** Why the visit could not be completed, once every method failed (重庆…办法 第六条). */
  unableReason?: string;
}

export type OutcomeStatus = 'success' | 'problem' | 'not_completed' | 'incomplete';

export const OUTCOME_STATUS_LABELS: Record<OutcomeStatus, string> = {
  success: '回访成功',
  problem: '问题件',
  not_completed: '回访不成功',
  incomplete: '尚未完成',
};

export const NEXT_ACTIONS = [
  { code: 'phone', label: '电话回访' },
  { code: 'phone_again', label: '再次电话回访' },
  { code: 'correct_number_and_phone', label: '补正电话后再次电话回访' },
  { code: 'letter_or_home_visit', label: '信函或上门回访' },
  { code: 'keep_appointment', label: '按预约时间回访' },
  { code: 'record_reason', label: '记录不能完成回访的原因' },
  { code: 'record_respondent', label: '记录受访人' },
  { code: 'continue_questions', label: '继续询问未答题目' },
  { code: 'handle_problem_case', label: '问题件处理' },
] as const;
export type NextAction = (typeof NEXT_ACTIONS)[number]['code'];

export interface NextStep {
  action: NextAction;
  /** Chinese, with the rule it follows. */
  explanation: string;
}

export interface Outcome {
  status: OutcomeStatus;
  /** Deduplicated, in PROBLEM_CATEGORIES order. Always empty for 'success'. */
  categories: ProblemCategory[];
  /** Chinese sentences saying why, for the record and the reviewing manager. */
  reasons: string[];
  nextStep?: NextStep;
  /** Per-question / per-field problems, path like "answers.signed_personally" or "respondent". */
  issues: FieldIssue[];
}
