/**
 * Header recognition for head office's lists. Every sender names the columns a little
 * differently (保单号 / 保单号码 / 合同号, 「保险期限（年）」, 「*投保人：」), so headers are
 * normalised first and then looked up in one synonym table. The table is also what the mapping
 * screen shows next to each field.
 */
import { createHash } from 'node:crypto';
import { cleanText } from './text';
import { IMPORT_FIELDS, type ColumnMapping, type ImportField } from './types';

/** The Chinese name of each field on the mapping screen and in messages about a missing column. */
export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  policyNo: '保单号',
  applicantName: '投保人',
  applicantPhone: '投保人电话',
  insuredName: '被保险人',
  beneficiaryName: '受益人',
  idNumber: '证件号码',
  address: '联系地址',
  issueDate: '出单日期',
  printDate: '保单打印日期',
  receiptSignedDate: '回执签署日期',
  receiptEntryDate: '回执录入日期',
  channel: '销售渠道',
  productName: '险种名称',
  productType: '产品类型',
  premium: '保费',
  payYears: '缴费年限',
  coveragePeriod: '保障期间',
  termYears: '保险期限（年）',
  expiryDate: '保单到期日',
  agentName: '业务员',
  agentCode: '业务员工号',
  caseType: '件类型',
  problemDescription: '问题描述',
  branch: '机构',
  eventDate: '业务日期（工单/给付/结案日期）',
  amount: '给付金额',
  paymentMethod: '领取方式',
  lastVisitDate: '上次回访日期',
};

/**
 * Header names seen in head-office lists, per field, as the sender writes them. The first entry
 * of each list is the usual one. Matching is exact after normalisation, never by substring:
 * 「业务员电话」 must not become the applicant's phone.
 */
export const HEADER_SYNONYMS: Record<ImportField, readonly string[]> = {
  policyNo: ['保单号', '保单号码', '合同号', '合同号码', '保险合同号', '保单编号'],
  applicantName: ['投保人', '投保人姓名', '客户姓名', '投保人名称', '客户名称'],
  applicantPhone: [
    '投保人电话',
    '联系电话',
    '手机',
    '手机号码',
    '电话',
    '手机号',
    '电话号码',
    '移动电话',
    '联系方式',
    '客户电话',
    '客户手机',
    '投保人手机',
    '投保人手机号',
    '投保人手机号码',
    '投保人联系电话',
  ],
  insuredName: ['被保险人', '被保人', '被保险人姓名', '被保人姓名'],
  beneficiaryName: ['受益人', '受益人姓名'],
  idNumber: ['证件号码', '身份证号', '身份证号码', '证件号', '身份证', '投保人证件号码', '投保人身份证号', '投保人身份证号码'],
  address: ['地址', '联系地址', '通讯地址', '投保人地址', '投保人联系地址', '家庭地址', '住址', '邮寄地址'],
  issueDate: ['出单日期', '承保日期', '签单日期'],
  printDate: ['打印日期', '保单打印日期'],
  receiptSignedDate: ['回执签署日期', '回执签收日期', '签收日期', '回执签字日期', '客户签收日期'],
  receiptEntryDate: ['回执录入日期', '回执回销日期'],
  channel: ['渠道', '销售渠道', '业务渠道', '渠道类型'],
  productName: ['险种', '产品名称', '险种名称', '产品', '主险名称'],
  productType: ['产品类型', '险种类型', '险种类别', '产品类别'],
  premium: ['保费', '期交保费', '首期保费', '保险费', '首年保费', '年交保费'],
  payYears: ['缴费年限', '缴费期间', '交费年限', '交费期间', '缴费年期', '交费年期', '缴费期限'],
  coveragePeriod: ['保障期间', '保险期间', '保障期限'],
  termYears: ['保险期限', '保险期限（年）', '保险年期'],
  expiryDate: ['满期日', '到期日', '保单到期日', '满期日期', '到期日期', '保单满期日'],
  agentName: ['业务员', '业务员姓名', '营销员', '营销员姓名', '代理人', '代理人姓名'],
  agentCode: ['业务员工号', '业务员代码', '业务员编号', '营销员代码', '营销员工号', '代理人代码'],
  caseType: ['件类型', '回访类型', '任务类型', '案件类型', '清单类型'],
  problemDescription: ['问题描述', '问题件描述', '备注', '问题说明', '失败原因', '不成功原因', '回访失败原因'],
  branch: ['机构', '管理机构', '分支机构', '机构名称', '所属机构'],
  eventDate: ['工单日期', '下发日期', '给付日期', '结案日期', '承保完毕日期', '理赔结案日期', '付费日期', '领取日期'],
  amount: ['给付金额', '金额', '领取金额', '付费金额', '应领金额'],
  paymentMethod: ['领取方式', '给付方式', '付费方式', '支付方式'],
  lastVisitDate: ['上次回访日期', '最近回访日期', '上次拜访日期'],
};

/**
 * Headers that are no field of ours but still tell a header row from a title row
 * (「序号」 is in nearly every list).
 */
export const OTHER_KNOWN_HEADERS: readonly string[] = [
  '序号',
  '编号',
  '性别',
  '年龄',
  '出生日期',
  '证件类型',
  '邮编',
  '邮政编码',
  '回访日期',
  '回访结果',
  '回访人',
  '状态',
  '处理状态',
];

// Brackets whose content is a unit or a remark: 「保费（元）」, 「投保人【必填】」.
const BRACKETS = /[()[\]【】「」〔〕<>《》]/g;
const BRACKETED = /[([【「〔<《][^)\]】」〕>》]*[)\]】」〕>》]/g;

function baseNormalize(text: string): string {
  return cleanText(text)
    .replace(/\s+/g, '')
    .replace(/^[*※]+|[*※]+$/g, '') // required markers, either side
    .replace(/[:：]+$/, '')
    .replace(/^[*※]+|[*※]+$/g, '')
    .toLowerCase();
}

/**
 * The two forms a header is looked up by: brackets dropped but their content kept
 * (「保险期限（年）」 → 保险期限年), and the bracketed part dropped (→ 保险期限).
 */
export function headerKeys(text: string): string[] {
  const base = baseNormalize(text);
  if (base === '') return [];
  const kept = base.replace(BRACKETS, '');
  const dropped = base.replace(BRACKETED, '').replace(BRACKETS, '');
  return kept === dropped || dropped === '' ? [kept] : [kept, dropped];
}

/** The key a header is remembered by in signatures: the first lookup form. */
export function normalizeHeader(text: string): string {
  return headerKeys(text)[0] ?? '';
}

const FIELD_BY_KEY: ReadonlyMap<string, ImportField> = (() => {
  const m = new Map<string, ImportField>();
  for (const field of IMPORT_FIELDS) {
    for (const synonym of HEADER_SYNONYMS[field]) {
      for (const key of headerKeys(synonym)) {
        // A synonym's bracket-less form must not steal an exact name of another field.
        if (!m.has(key)) m.set(key, field);
      }
    }
  }
  return m;
})();

const OTHER_KEYS: ReadonlySet<string> = new Set(OTHER_KNOWN_HEADERS.flatMap(headerKeys));

/** The field a header names, or null. */
export function recognizeHeader(text: string): ImportField | null {
  for (const key of headerKeys(text)) {
    const field = FIELD_BY_KEY.get(key);
    if (field) return field;
  }
  return null;
}

/** Whether a cell reads like a column name we know (a field, or 序号 and friends). */
export function isKnownHeader(text: string): boolean {
  return recognizeHeader(text) !== null || headerKeys(text).some((k) => OTHER_KEYS.has(k));
}

// A group cell above sub-columns names whose they are; 「被保险人」 over 「电话」 is not the applicant's phone.
const OTHER_PERSON = /被保险人|被保人|受益人|业务员|营销员|代理人|领取人/;

/**
 * Recognises the header of one column of a two-row header: 「投保人」 over 「电话」 reads as
 * 投保人电话. Falls back to the lower cell alone unless the group names someone else.
 */
export function recognizeTwoRowHeader(group: string, sub: string): ImportField | null {
  if (group === '' || sub === '') return recognizeHeader(group || sub);
  const joined = recognizeHeader(group + sub) ?? recognizeHeader(group.replace(/(信息|资料)$/, '') + sub);
  if (joined) return joined;
  if (OTHER_PERSON.test(cleanText(group))) return null;
  return recognizeHeader(sub);
}

/** Proposes a column for each field; the first column wins when two name the same field. */
export function suggestMapping(recognized: readonly (ImportField | null)[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  recognized.forEach((field, index) => {
    if (field && mapping[field] === undefined) mapping[field] = index;
  });
  return mapping;
}

/**
 * A stable fingerprint of a header row: the same sender's next list gets the same signature
 * even if a space, a full-width bracket or a trailing empty column differs.
 */
export function headerSignature(headers: readonly string[]): string {
  const keys = headers.map(normalizeHeader);
  while (keys.length > 0 && keys[keys.length - 1] === '') keys.pop();
  return createHash('sha256').update(keys.join('\u0001'), 'utf8').digest('hex').slice(0, 16);
}
