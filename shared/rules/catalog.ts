/** The rules in force, described for the settings page. */
import { CIVIL_CODE_SOURCE } from './counting';
import { SOURCES } from './sources';
import { VISIT_KIND_LABELS, type VisitKind } from './types';

export interface RuleDescription {
  kind: VisitKind;
  name: string;
  description: string;
  source: string;
}

const D = (kind: VisitKind, description: string, source: string): RuleDescription => ({
  kind,
  name: VISIT_KIND_LABELS[kind],
  description,
  source,
});

export const RULES_IN_FORCE: readonly RuleDescription[] = [
  D(
    'new_policy',
    '保险期限超过一年、投保人为个人的新契约，须在犹豫期内 100% 回访。犹豫期自回执签署日次日起算，不少于 10 日（可按产品或渠道设为 15 日）；末日为休息日的顺延至首个工作日。犹豫期前回访的须在犹豫期内补访；犹豫期后回访的，投保人在回访后 7 日内申请退保视同犹豫期内撤单。',
    SOURCES.newPolicy,
  ),
  D('call_list_individual', '个险新契约在出单之日后 10 天抽取回访清单。', SOURCES.callListIndividual),
  D(
    'call_list_bancassurance',
    '银保通业务以保单录入系统日的次日抽取；其他银保业务取回执录入日次日与保单打印日加 7 天中较早者。',
    SOURCES.callListBancassurance,
  ),
  D('problem_case', '问题件须在工单下达后 3 个工作日内处理，否则列入问题件清单。', SOURCES.problemCase),
  D('follow_up_case', '跟踪件清单下发后，相关岗位在 2 个工作日内处理。', SOURCES.followUpCase),
  D('underwriting', '承保完毕后 1 个月内进行首次电话回访。', SOURCES.underwritingAndClaim),
  D('claim_closed', '理赔结案后一周（7 日）内回访。', SOURCES.underwritingAndClaim),
  D('car_claim', '车险赔款支付后第 10 日起、15 日内回访；拒赔、零结案件不回访。', SOURCES.carClaim),
  D('renewal', '保单到期前一个季度（3 个月）内进行续保回访。', SOURCES.renewal),
  D('service_event', '进入宽限期的续期业务、失效保单、退保及赔付业务须回访（山东辖区，其他地区可参照）。', SOURCES.serviceEvent),
  D(
    'survival_benefit',
    '生存给付：现金领取非领取人亲自办理且金额 1000 元（含）以上，或银行转账金额 1000 元（含）以上，须回访；回访领取的投保人或受益人，少儿险回访投保人。',
    SOURCES.survivalBenefit,
  ),
  D('key_client', '重点客户每年至少现场回访一次。', SOURCES.keyAndShareholderClient),
  D('shareholder_client', '股东相关客户每半年至少现场回访一次。', SOURCES.keyAndShareholderClient),
  D('value_tier', '高价值客户每季度、中价值客户每半年、低价值客户每年至少回访一次；每季度初订立回访计划。', SOURCES.valueTier),
  D('new_customer', '新客户立即初次回访（按次一工作日掌握），并在此后一个月内至少再回访一次。', SOURCES.customerTypes),
  D('complaint_customer', '投诉客户在问题解决后回访一次。', SOURCES.customerTypes),
  D('lost_customer', '流失客户至少每年回访一次。', SOURCES.customerTypes),
  D('sales_call', '外勤拜访后 24 小时内由客户回访专员电话回访。', SOURCES.salesCallAndPartner),
  D('partner_client', '合作客户每月电话回访一次，在每月前 3 个工作日内完成。', SOURCES.salesCallAndPartner),
];

/** How every period is counted, shown once above the list. */
export const COUNTING_RULE_DESCRIPTION = {
  name: '期间计算',
  description:
    '按日、月计算的期间，开始的当日不计入，自次日起算；按月计算的，到期月的对应日为末日，没有对应日的以月末日为末日；末日为周末或法定节假日的，顺延至其后第一个工作日，调休上班日按工作日对待。“N 个工作日”自次日起计工作日。',
  source: CIVIL_CODE_SOURCE,
} as const;
