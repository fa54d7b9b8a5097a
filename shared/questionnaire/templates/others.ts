import type { QuestionnaireTemplate } from '../types';

/** Key-client and shareholder-related-client on-site visit (XX保险客户回访管理办法 第7–10条). */
export const KEY_CLIENT_V1: QuestionnaireTemplate = {
  id: 'key_client',
  version: 1,
  name: '重点客户现场回访问卷',
  appliesTo: ['key_client', 'shareholder_client'],
  source: 'XX保险客户回访管理办法 第8条',
  questions: [
    {
      id: 'risk_control',
      text: '贵单位目前的保险风控情况是否良好，没有需要我司协助处理的风险隐患？',
      expected: 'yes',
      category: 'risk_control_concern',
      required: true,
      hint: '客户提到的风险隐患写入《客户回访记录表》“客户反馈问题”。',
      source: 'XX保险 第8条（保险风控情况）',
    },
    {
      id: 'coverage_meets_needs',
      text: '贵单位现有的保险保障是否满足需求？',
      expected: 'yes',
      category: 'coverage_gap',
      required: true,
      source: 'XX保险 第8条（保险保障需求满足情况）',
    },
    {
      id: 'claims_service',
      text: '贵单位对我司的理赔服务是否满意？',
      expected: 'yes',
      category: 'service_dissatisfied',
      required: false,
      hint: '回访周期内有理赔时询问。',
      source: 'XX保险 第8条（理赔服务情况）',
    },
    {
      id: 'new_needs',
      text: '贵单位是否有新的保险需求，或对我司的意见与建议？',
      expected: 'no',
      category: 'new_need',
      required: true,
      hint: '有需求或建议的如实记录，交相关部门跟进（XX保险 第16条 谁的问题谁负责处理）。',
      source: 'XX保险 第8条（客户新的需求与建议）',
    },
  ],
};

/** Visit after a claim is closed (XX保险 第5条: within a week; 华泰 第五条 for car claims). */
export const CLAIM_V1: QuestionnaireTemplate = {
  id: 'claim',
  version: 1,
  name: '理赔回访问卷',
  appliesTo: ['claim_closed'],
  source: 'XX保险客户回访管理办法 第5条；华泰财产保险…回访业务管理制度 第五条',
  questions: [
    {
      id: 'liability_clear',
      text: '理赔过程中，我司工作人员是否向您讲清楚了定责（责任认定）和定损（损失核定）的情况？',
      expected: 'yes',
      category: 'liability_unclear',
      required: true,
      source: 'XX保险 第5条（理赔时是否清楚定责定损情况）',
    },
    {
      id: 'payment_received',
      text: '本次赔款{claimAmount}元您是否已经收到？',
      expected: 'yes',
      category: 'payment_not_received',
      required: true,
      source: '华泰…回访业务管理制度 第五条（车险已决回访：赔款支付后）',
    },
    {
      id: 'staff_attitude',
      text: '您对我司工作人员在理赔过程中的服务态度是否满意？',
      expected: 'yes',
      category: 'service_dissatisfied',
      required: true,
      source: 'XX保险 第5条（员工服务态度是否令其满意）',
    },
    {
      id: 'other_concerns',
      text: '请问您对本次理赔还有其他意见、建议或投诉吗？',
      expected: 'no',
      category: 'complaint',
      required: true,
      source: 'XX保险 第5条（投诉转工单）',
    },
  ],
};

/**
 * Survival-benefit / maturity payment visit (个险银险保全付费回访管理办法): the applicant (or the
 * beneficiary; for juvenile policies the applicant) confirms the payment was theirs and arrived.
 */
export const SURVIVAL_BENEFIT_V1: QuestionnaireTemplate = {
  id: 'survival_benefit',
  version: 1,
  name: '生存给付回访问卷',
  appliesTo: ['survival_benefit'],
  source: '个险银险保全付费回访管理办法',
  questions: [
    {
      id: 'knows_payment',
      text: '您的保单{policyNo}近期办理了生存金（满期金）领取，请问您是否知悉并同意本次领取？',
      expected: 'yes',
      category: 'unaware_of_payment',
      required: true,
      explanationCanResolve: false,
      hint: '现金领取非本人亲自办理、或银行转账领取，金额1000元（含）以上的须回访。',
      source: '个险银险保全付费回访管理办法（回访规则）',
    },
    {
      id: 'payment_received',
      text: '本次给付金额{benefitAmount}元，您是否已经收到（现金或转入您的账户）？',
      expected: 'yes',
      category: 'payment_not_received',
      required: true,
      hint: '客户未收到的，经解释后请客户另行确认；仍未收到的打印问题件清单交保全岗追踪。',
      source: '个险银险保全付费回访管理办法（付费/转账是否成功确认）',
    },
    {
      id: 'other_concerns',
      text: '请问您对本次领取还有其他疑问、意见或投诉吗？',
      expected: 'no',
      category: 'complaint',
      required: true,
      source: '个险银险保全付费回访管理办法（是否需善后处理）',
    },
  ],
};

/** Renewal visit, one quarter before the policy expires (XX保险 第6条). */
export const RENEWAL_V1: QuestionnaireTemplate = {
  id: 'renewal',
  version: 1,
  name: '续保回访问卷',
  appliesTo: ['renewal'],
  source: 'XX保险客户回访管理办法 第6条',
  questions: [
    {
      id: 'coverage_satisfied',
      text: '您的保单将于{expiryDate}到期，请问您对目前的保险保障内容是否满意？',
      expected: 'yes',
      category: 'coverage_gap',
      required: true,
      source: 'XX保险 第6条（保险保障内容的满意度）',
    },
    {
      id: 'claims_service',
      text: '保险期间内您办理过理赔，请问您对理赔服务是否满意？',
      expected: 'yes',
      category: 'service_dissatisfied',
      required: false,
      hint: '保险期限内有理赔记录时询问。',
      source: 'XX保险 第6条（理赔服务满意度）',
    },
    {
      id: 'other_concerns',
      text: '请问您还有其他意见、建议或投诉吗？',
      expected: 'no',
      category: 'complaint',
      required: true,
      source: 'XX保险 第5条、第6条',
    },
  ],
};

/** First phone visit within a month of underwriting (XX保险 第5条). */
export const UNDERWRITING_V1: QuestionnaireTemplate = {
  id: 'underwriting',
  version: 1,
  name: '承保回访问卷',
  appliesTo: ['underwriting'],
  source: 'XX保险客户回访管理办法 第5条',
  questions: [
    {
      id: 'terms_understood',
      text: '请问您是否了解所投保险的保险条款？',
      expected: 'yes',
      category: 'unclear_rights',
      required: true,
      source: 'XX保险 第5条（客户对保险条款是否了解）',
    },
    {
      id: 'own_will',
      text: '这次投保是否是您（贵单位）自己的意愿？',
      expected: 'yes',
      category: 'not_own_will',
      required: true,
      explanationCanResolve: false,
      source: 'XX保险 第5条（投保意愿是否自己作出）',
    },
    {
      id: 'staff_attitude',
      text: '您对我司工作人员在投保过程中的服务态度是否满意？',
      expected: 'yes',
      category: 'service_dissatisfied',
      required: true,
      source: 'XX保险 第5条',
    },
    {
      id: 'other_concerns',
      text: '请问您还有其他意见、建议或投诉吗？',
      expected: 'no',
      category: 'complaint',
      required: true,
      source: 'XX保险 第5条（投诉转工单）',
    },
  ],
};
