import { describe, expect, it } from 'vitest';
import {
  HEADER_SYNONYMS,
  IMPORT_FIELD_LABELS,
  headerKeys,
  headerSignature,
  isKnownHeader,
  recognizeHeader,
  recognizeTwoRowHeader,
  suggestMapping,
} from './headers';
import { IMPORT_FIELDS, type ImportField } from './types';

// The names the issue lists, field by field: every one must be recognised.
const REQUIRED_SYNONYMS: [ImportField, string[]][] = [
  ['policyNo', ['保单号', '保单号码', '合同号']],
  ['applicantName', ['投保人', '投保人姓名', '客户姓名']],
  ['applicantPhone', ['投保人电话', '联系电话', '手机', '手机号码', '电话']],
  ['insuredName', ['被保险人', '被保人']],
  ['beneficiaryName', ['受益人']],
  ['idNumber', ['证件号码', '身份证号', '身份证号码']],
  ['address', ['地址', '联系地址', '通讯地址']],
  ['issueDate', ['出单日期', '承保日期', '签单日期']],
  ['printDate', ['打印日期', '保单打印日期']],
  ['receiptSignedDate', ['回执签署日期', '回执签收日期', '签收日期']],
  ['receiptEntryDate', ['回执录入日期']],
  ['channel', ['渠道', '销售渠道']],
  ['productName', ['险种', '产品名称', '险种名称']],
  ['productType', ['产品类型', '险种类型']],
  ['premium', ['保费', '期交保费', '首期保费']],
  ['payYears', ['缴费年限', '缴费期间']],
  ['coveragePeriod', ['保障期间', '保险期间']],
  ['termYears', ['保险期限', '保险期限（年）']],
  ['expiryDate', ['满期日', '到期日', '保单到期日']],
  ['agentName', ['业务员', '业务员姓名']],
  ['agentCode', ['业务员工号', '业务员代码']],
  ['caseType', ['件类型', '回访类型', '任务类型']],
  ['problemDescription', ['问题描述', '问题件描述', '备注']],
  ['branch', ['机构', '管理机构', '分支机构']],
  ['eventDate', ['工单日期', '下发日期', '给付日期', '结案日期', '承保完毕日期']],
  ['amount', ['给付金额', '金额']],
  ['paymentMethod', ['领取方式', '给付方式']],
  ['lastVisitDate', ['上次回访日期']],
];

describe('header recognition', () => {
  it.each(REQUIRED_SYNONYMS.flatMap(([field, names]) => names.map((name) => [name, field] as const)))('「%s」 → %s', (name, field) => {
    expect(recognizeHeader(name)).toBe(field);
  });

  it('every synonym in the exported table is recognised as its own field', () => {
    for (const field of IMPORT_FIELDS) {
      for (const name of HEADER_SYNONYMS[field]) expect(recognizeHeader(name), name).toBe(field);
    }
  });

  it('the table lists every name the issue asks for', () => {
    for (const [field, names] of REQUIRED_SYNONYMS) for (const n of names) expect(HEADER_SYNONYMS[field]).toContain(n);
  });

  it.each([
    ['  保单号  ', 'policyNo'],
    ['保 单 号', 'policyNo'],
    ['保单号：', 'policyNo'],
    ['保单号:', 'policyNo'],
    ['*保单号', 'policyNo'],
    ['＊投保人＊', 'applicantName'],
    ['*投保人：', 'applicantName'],
    ['保险期限(年)', 'termYears'],
    ['保险期限（年）', 'termYears'],
    ['保费（元）', 'premium'],
    ['给付金额（万元）', 'amount'],
    ['投保人【必填】', 'applicantName'],
    ['联系电话\u00a0', 'applicantPhone'],
    ['\u200b联系电话', 'applicantPhone'],
    ['回执签署日期\u3000', 'receiptSignedDate'],
  ])('normalises 「%s」 → %s', (name, field) => {
    expect(recognizeHeader(name)).toBe(field);
  });

  it.each(['业务员电话', '被保险人电话', '序号', '日期', '姓名', '', '2026年11月不成功件清单', '投保单号'])('does not guess at 「%s」', (name) => {
    expect(recognizeHeader(name)).toBeNull();
  });

  it('knows 序号 and friends as headers without mapping them', () => {
    expect(isKnownHeader('序号')).toBe(true);
    expect(isKnownHeader('性别')).toBe(true);
    expect(isKnownHeader('保单号')).toBe(true);
    expect(isKnownHeader('2026年11月不成功件清单')).toBe(false);
  });

  it('looks a header up with and without its bracketed part', () => {
    expect(headerKeys('保险期限（年）')).toEqual(['保险期限年', '保险期限']);
    expect(headerKeys('保单号')).toEqual(['保单号']);
    expect(headerKeys('  ')).toEqual([]);
  });
});

describe('two-row headers', () => {
  it.each([
    ['投保人', '姓名', 'applicantName'],
    ['投保人', '电话', 'applicantPhone'],
    ['投保人', '手机号码', 'applicantPhone'],
    ['回执', '签署日期', 'receiptSignedDate'],
    ['回执', '录入日期', 'receiptEntryDate'],
    ['投保人信息', '姓名', 'applicantName'],
    ['客户信息', '联系电话', 'applicantPhone'],
    ['被保险人', '姓名', 'insuredName'],
    ['保单号', '', 'policyNo'],
    ['', '保单号', 'policyNo'],
  ] as const)('「%s」 over 「%s」 → %s', (group, sub, field) => {
    expect(recognizeTwoRowHeader(group, sub)).toBe(field);
  });

  it('does not take another person\'s phone for the applicant\'s', () => {
    expect(recognizeTwoRowHeader('被保险人', '电话')).toBeNull();
    expect(recognizeTwoRowHeader('业务员', '手机')).toBeNull();
  });
});

describe('mapping and signature', () => {
  it('proposes one column per field, the first one winning', () => {
    expect(suggestMapping(['policyNo', null, 'applicantPhone', 'applicantPhone', 'applicantName'])).toEqual({
      policyNo: 0,
      applicantPhone: 2,
      applicantName: 4,
    });
  });

  it('signs a header row stably across spacing, full-width brackets and trailing empty columns', () => {
    const a = headerSignature(['保单号', '投保人', '保险期限（年）']);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(headerSignature([' 保单号', '投保人 ', '保险期限(年)', '', ''])).toBe(a);
    expect(headerSignature(['投保人', '保单号', '保险期限（年）'])).not.toBe(a);
    expect(headerSignature(['保单号', '', '投保人', '保险期限（年）'])).not.toBe(a);
  });

  it('has a Chinese label for every field', () => {
    for (const field of IMPORT_FIELDS) expect(IMPORT_FIELD_LABELS[field]).toMatch(/[\u4e00-\u9fff]/);
    expect(Object.keys(IMPORT_FIELD_LABELS).sort()).toEqual([...IMPORT_FIELDS].sort());
  });
});
