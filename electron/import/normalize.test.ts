import { describe, expect, it } from 'vitest';
import {
  excelSerialToIso,
  idCheckDigit,
  inferProductType,
  normalizeRow,
  parseAmountCents,
  parseCaseType,
  parseChannel,
  parseDateCell,
  parseIdNumber,
  parsePayYears,
  parsePaymentMethod,
  parsePhone,
  parseProductType,
  parseTermYears,
} from './normalize';
import { toHalfWidth } from './text';
import type { ColumnMapping, RawCell } from './types';

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

describe('dates', () => {
  it.each([
    ['2026-09-30', '2026-09-30'],
    ['2026/9/30', '2026-09-30'],
    ['2026.9.30', '2026-09-30'],
    ['2026年9月30日', '2026-09-30'],
    ['20260930', '2026-09-30'],
    ['２０２６年９月３０日', '2026-09-30'],
    ['２０２６－０９－３０', '2026-09-30'],
    ['2026-09-30 00:00:00', '2026-09-30'],
    ['2026/9/30 14:03', '2026-09-30'],
    ['2026-09-30T08:00:00Z', '2026-09-30'],
    [' 2026 - 9 - 30 ', '2026-09-30'],
  ])('text 「%s」 → %s', (text, iso) => {
    expect(parseDateCell(text)).toEqual({ ok: true, value: iso });
  });

  it('reads Excel serials in the 1900 date system, leap-year bug included', () => {
    expect(parseDateCell(46295)).toEqual({ ok: true, value: '2026-09-30' });
    expect(parseDateCell(46295.75)).toEqual({ ok: true, value: '2026-09-30' }); // a time of day
    expect(excelSerialToIso(1)).toEqual({ ok: true, value: '1900-01-01' });
    expect(excelSerialToIso(59)).toEqual({ ok: true, value: '1900-02-28' });
    expect(excelSerialToIso(60)).toEqual({ ok: false, reason: '1900-02-29 不是有效日期（Excel 把 1900 年误当作闰年）' });
    expect(excelSerialToIso(61)).toEqual({ ok: true, value: '1900-03-01' });
    expect(excelSerialToIso(0)).toEqual({ ok: false, reason: '日期为 0（Excel 显示为 1900-01-00），不是有效日期' });
    expect(excelSerialToIso(200000)).toEqual({ ok: false, reason: 'Excel 日期序号 200000 超出 1900–2199 年范围' });
  });

  it('reads serials in the 1904 date system', () => {
    expect(excelSerialToIso(0, true)).toEqual({ ok: true, value: '1904-01-01' });
    expect(excelSerialToIso(46295 - 1462, true)).toEqual({ ok: true, value: '2026-09-30' });
  });

  it('reads JS Dates by their UTC day, as exceljs builds them', () => {
    expect(parseDateCell(utc(2026, 9, 30))).toEqual({ ok: true, value: '2026-09-30' });
    expect(parseDateCell(new Date(Date.UTC(2026, 8, 30, 23, 59)))).toEqual({ ok: true, value: '2026-09-30' });
    // exceljs turns serial 59 into 1900-02-27 and 60 into 1900-02-28 (it ignores the bug).
    expect(parseDateCell(utc(1900, 2, 27))).toEqual({ ok: true, value: '1900-02-28' });
    expect(parseDateCell(utc(1900, 2, 28))).toEqual({ ok: false, reason: '1900-02-29 不是有效日期（Excel 把 1900 年误当作闰年）' });
    expect(parseDateCell(utc(1900, 3, 1))).toEqual({ ok: true, value: '1900-03-01' });
  });

  it('reads 20260930 typed as a number as a date, not a serial', () => {
    expect(parseDateCell(20260930)).toEqual({ ok: true, value: '2026-09-30' });
  });

  it.each([
    ['2026-02-30', '2026-02-30 不是有效日期'],
    ['11/02/2026', '「11/02/2026」无法识别为日期（应为 YYYY-MM-DD）'],
    ['下周一', '「下周一」无法识别为日期（应为 YYYY-MM-DD）'],
    ['1850-01-01', '1850-01-01 的年份超出 1900–2199 范围'],
  ])('refuses 「%s」', (text, reason) => {
    expect(parseDateCell(text)).toEqual({ ok: false, reason });
  });

  it('keeps messages short for long junk', () => {
    const r = parseDateCell('日'.repeat(5000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeLessThan(60);
  });

  it('reads empty cells and placeholders as no date', () => {
    for (const v of [null, '', '  ', '-', '/', '无']) expect(parseDateCell(v)).toEqual({ ok: true, value: null });
  });
});

describe('phones', () => {
  it.each<[RawCell, string]>([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['+86-13812345678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['１３８１２３４５６７８', '13812345678'],
    [13812345678, '13812345678'],
    ['0531-88886666', '0531-88886666'],
    ['(0531)88886666', '0531-88886666'],
    ['（0531）8888 6666', '0531-88886666'],
    ['053188886666', '0531-88886666'],
    ['010-66668888', '010-66668888'],
    ['0531-88886666-123', '0531-88886666-123'],
    ['0531-88886666转123', '0531-88886666-123'],
    [53188886666, '0531-88886666'], // a landline whose 0 Excel dropped
  ])('%s → %s', (input, phone) => {
    expect(parsePhone(input)).toEqual({ ok: true, value: phone });
  });

  it.each<[RawCell, string]>([
    ['12345', '12345 不是有效的电话号码（手机 11 位，固定电话如 0531-88886666）'],
    ['1381234567', '1381234567 不是有效的电话号码（手机 11 位，固定电话如 0531-88886666）'],
    ['23812345678', '238****5678 不是有效的电话号码（手机 11 位，固定电话如 0531-88886666）'],
    ['138123456789', '138****6789 不是有效的电话号码（手机 11 位，固定电话如 0531-88886666）'],
    ['无人接听', '无人接听 不是有效的电话号码（手机 11 位，固定电话如 0531-88886666）'],
  ])('refuses %s', (input, reason) => {
    expect(parsePhone(input)).toEqual({ ok: false, reason });
  });

  it('keeps the first of several numbers and says so', () => {
    expect(parsePhone('13812345678/0531-88886666')).toEqual({
      ok: true,
      value: '13812345678',
      note: '有多个号码，已取第一个 138****5678，其余（0531-****6666）请另行记录',
    });
  });
});

describe('amounts', () => {
  it.each<[RawCell, number]>([
    [1234.5, 123450],
    [0.1 + 0.2, 30],
    ['1234.5', 123450],
    ['1,234.50', 123450],
    ['1,234.50元', 123450],
    ['¥1,234.50', 123450],
    ['￥3,500元', 350000],
    ['人民币3500元', 350000],
    ['3500元整', 350000],
    ['１２，０００．００元', 1200000],
    ['1.2万元', 1200000],
    ['1.2345万', 1234500],
    ['12 000', 1200000],
    ['0', 0],
  ])('%s → %i cents', (input, cents) => {
    expect(parseAmountCents(input)).toEqual({ ok: true, value: cents });
  });

  it('reads numbers in 万元 when the header says so, but a cell\'s own unit wins', () => {
    expect(parseAmountCents(0.35, true)).toEqual({ ok: true, value: 350000 });
    expect(parseAmountCents('1.2', true)).toEqual({ ok: true, value: 1200000 });
    expect(parseAmountCents('1,234.56元', true)).toEqual({ ok: true, value: 123456 });
  });

  it.each<[RawCell, string]>([
    ['abc', 'abc 不是有效金额'],
    ['1,23', '1,23 不是有效金额'],
    ['-100', '-100 是负数，金额不能为负'],
    [-100, '-100 是负数，金额不能为负'],
    ['12.345', '12.345 的小数位过多，金额只能精确到分'],
    ['99999999999999', '999****9999 超出金额上限'],
  ])('refuses %s', (input, reason) => {
    expect(parseAmountCents(input)).toEqual({ ok: false, reason });
  });
});

describe('ID numbers (GB 11643)', () => {
  it('computes the check digit', () => {
    expect(idCheckDigit('11010519491231002')).toBe('X');
    expect(idCheckDigit('44052419800101001')).toBe('3');
  });

  it.each<[RawCell, string]>([
    ['11010519491231002X', '11010519491231002X'],
    ['11010519491231002x', '11010519491231002X'],
    ['110105 19491231 002X', '11010519491231002X'],
    ['440524198001010013', '440524198001010013'],
    ['370102198512311231', '370102198512311231'],
    ['110105491231002', '110105491231002'],
    ['E12345678', 'E12345678'],
  ])('accepts %s', (input, id) => {
    expect(parseIdNumber(input)).toEqual({ ok: true, value: id });
  });

  it.each<[RawCell, string]>([
    ['110105194912310021', '身份证号 110105********0021 的校验位不对（按前 17 位应为 X），可能有数字抄错'],
    ['110105194913310025', '身份证号 110105********0025 中的出生日期（第 7–14 位）不是有效日期'],
    ['1101051949123100', '身份证号 110105******3100 有 16 位，应为 18 位（或旧版 15 位）'],
    [110105194912310000, '身份证号被存成了数字，末几位已丢失；请把该列设为文本格式后重新导出'],
  ])('refuses %s', (input, reason) => {
    expect(parseIdNumber(input)).toEqual({ ok: false, reason });
  });
});

describe('codes', () => {
  it.each([
    ['个险', 'individual'],
    ['个人营销', 'individual'],
    ['银保', 'bancassurance'],
    ['银行保险', 'bancassurance'],
    ['银保通', 'bank_direct'],
    ['团险', 'group'],
  ])('channel 「%s」 → %s', (text, channel) => {
    expect(parseChannel(text)).toEqual({ ok: true, value: channel });
  });

  it('refuses an unknown channel', () => {
    expect(parseChannel('网销')).toEqual({ ok: false, reason: '「网销」不是可识别的销售渠道（可填：个险、银保、银保通、团险）' });
  });

  it.each([
    ['传统', 'traditional'],
    ['普通型', 'traditional'],
    ['分红', 'participating'],
    ['万能', 'universal'],
    ['投连', 'unit_linked'],
    ['投资连结', 'unit_linked'],
  ])('product type 「%s」 → %s', (text, type) => {
    expect(parseProductType(text)).toEqual({ ok: true, value: type });
  });

  it('infers the product type from the product name', () => {
    expect(inferProductType('鑫福年年分红型两全保险')).toBe('participating');
    expect(inferProductType('金账户万能型终身寿险')).toBe('universal');
    expect(inferProductType('稳进投资连结保险')).toBe('unit_linked');
    expect(inferProductType('安康终身寿险')).toBeNull();
  });

  it.each([
    ['不成功件', 'new_policy', 'unreached'],
    ['未成功件', 'new_policy', 'unreached'],
    ['电话错误件', 'new_policy', 'wrong_number'],
    ['不成功件-电话错误', 'new_policy', 'wrong_number'],
    ['方言件', 'new_policy', 'dialect'],
    ['核实件', 'new_policy', 'verify'],
    ['信函件', 'new_policy', 'letter'],
    ['问题件', 'problem_case', 'problem'],
    ['重点客户', 'key_client', 'plan'],
    ['股东相关客户', 'shareholder_client', 'plan'],
    ['生存给付', 'survival_benefit', 'payment'],
    ['满期给付', 'survival_benefit', 'payment'],
    ['续保', 'renewal', 'plan'],
    ['理赔', 'claim_closed', 'plan'],
    ['理赔结案', 'claim_closed', 'plan'],
    ['承保', 'underwriting', 'plan'],
    ['新契约回访', 'new_policy', null],
  ])('case type 「%s」 → %s + %s', (text, kind, source) => {
    expect(parseCaseType(text)).toEqual({ ok: true, value: { kind, source } });
  });

  it('refuses an unknown case type', () => {
    const r = parseCaseType('投诉件');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^「投诉件」不是可识别的件类型（可填：不成功件、电话错误件/);
  });

  it.each([
    ['现金', 'cash'],
    ['现金领取', 'cash'],
    ['银行转账', 'bank_transfer'],
    ['转账', 'bank_transfer'],
    ['银行卡', 'bank_transfer'],
  ])('payment method 「%s」 → %s', (text, method) => {
    expect(parsePaymentMethod(text)).toEqual({ ok: true, value: method });
  });

  it('reads years to pay and years of cover', () => {
    expect(parsePayYears('20')).toEqual({ ok: true, value: 20 });
    expect(parsePayYears('20年交')).toEqual({ ok: true, value: 20 });
    expect(parsePayYears('趸交')).toEqual({ ok: true, value: 1 });
    expect(parsePayYears(10)).toEqual({ ok: true, value: 10 });
    expect(parsePayYears('交至60周岁')).toEqual({ ok: true, value: null, note: '「交至60周岁」是交费到某一年龄，不是年数，已留空' });
    expect(parsePayYears('很多年')).toEqual({ ok: false, reason: '「很多年」不是有效的缴费年限（如 20、20年、趸交）' });
    expect(parseTermYears('终身')).toEqual({ ok: true, value: 105 });
    expect(parseTermYears('20年')).toEqual({ ok: true, value: 20 });
    expect(parseTermYears('6个月')).toEqual({ ok: true, value: 0.5 });
    expect(parseTermYears(1)).toEqual({ ok: true, value: 1 });
    expect(parseTermYears('至80周岁')).toEqual({ ok: true, value: null, note: '「至80周岁」是保到某一年龄，无法换算成年数，已留空' });
  });
});

describe('normalizeRow', () => {
  const headers = ['保单号', '投保人', '联系电话', '回执签署日期', '保险期限（年）', '件类型', '备注', '证件号码', '保费（元）', '渠道', '险种名称'];
  const mapping: ColumnMapping = {
    policyNo: 0,
    applicantName: 1,
    applicantPhone: 2,
    receiptSignedDate: 3,
    termYears: 4,
    caseType: 5,
    problemDescription: 6,
    idNumber: 7,
    premium: 8,
    channel: 9,
    productName: 10,
  };
  const row = (over: Partial<Record<number, RawCell>> = {}): RawCell[] => {
    const base: RawCell[] = ['P2026000001', '张三', '13812345678', '2026-09-30', 20, '不成功件', null, null, '1,000元', '个险', '鑫福年年分红型两全保险'];
    for (const [k, v] of Object.entries(over)) base[Number(k)] = v ?? null;
    return base;
  };

  it('normalises a good row', () => {
    const r = normalizeRow(row(), 12, mapping, 'new_policy', headers);
    expect(r).toEqual({
      ok: true,
      value: {
        row: 12,
        kind: 'new_policy',
        source: 'unreached',
        policyNo: 'P2026000001',
        applicantName: '张三',
        applicantPhone: '13812345678',
        insuredName: null,
        beneficiaryName: null,
        idNumber: null,
        address: null,
        issueDate: null,
        printDate: null,
        receiptSignedDate: '2026-09-30',
        receiptEntryDate: null,
        channel: 'individual',
        productName: '鑫福年年分红型两全保险',
        productType: 'participating',
        premiumCents: 100000,
        payYears: null,
        coveragePeriod: null,
        termYears: 20,
        expiryDate: null,
        agentName: null,
        agentCode: null,
        problemDescription: null,
        branch: null,
        eventDate: null,
        amountCents: null,
        paymentMethod: null,
        lastVisitDate: null,
        warnings: [],
      },
    });
  });

  it('names the row and the column as the file shows it', () => {
    expect(normalizeRow(row({ 3: '2026-02-30' }), 12, mapping, 'new_policy', headers)).toEqual({
      ok: false,
      row: 12,
      issues: [{ path: 'rows.12.receiptSignedDate', message: '第 12 行「回执签署日期」列：2026-02-30 不是有效日期' }],
    });
  });

  it('reports every problem of a row, not the first only', () => {
    const r = normalizeRow(row({ 0: null, 1: '   ', 2: '12345', 7: '110105194912310021', 8: 'abc', 9: '网销' }), 7, mapping, 'new_policy', headers);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toEqual([
        { path: 'rows.7.policyNo', message: '第 7 行「保单号」列：未填写' },
        { path: 'rows.7.applicantName', message: '第 7 行「投保人」列：未填写' },
        { path: 'rows.7.idNumber', message: '第 7 行「证件号码」列：身份证号 110105********0021 的校验位不对（按前 17 位应为 X），可能有数字抄错' },
        { path: 'rows.7.channel', message: '第 7 行「渠道」列：「网销」不是可识别的销售渠道（可填：个险、银保、银保通、团险）' },
        { path: 'rows.7.premium', message: '第 7 行「保费（元）」列：abc 不是有效金额' },
        { path: 'rows.7.applicantPhone', message: '第 7 行「联系电话」列：12345 不是有效的电话号码（手机 11 位，固定电话如 0531-88886666）' },
      ]);
    }
  });

  it('keeps a new policy without its receipt date, with a warning', () => {
    const r = normalizeRow(row({ 3: null }), 5, mapping, 'new_policy', headers);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.receiptSignedDate).toBeNull();
      expect(r.value.warnings).toEqual([{ path: 'rows.5.receiptSignedDate', message: '第 5 行「回执签署日期」列：未填写，无法计算犹豫期' }]);
    }
  });

  it('says when the list has no column for a fact the deadline needs', () => {
    const { receiptSignedDate: _r, termYears: _t, ...rest } = mapping;
    const r = normalizeRow(row(), 5, rest, 'new_policy', headers);
    expect(r.ok && r.value.warnings).toEqual([
      { path: 'rows.5.receiptSignedDate', message: '第 5 行：未提供「回执签署日期」，无法计算犹豫期' },
      { path: 'rows.5.termYears', message: '第 5 行：未提供「保险期限（年）」，无法判断是否须在犹豫期内回访' },
    ]);
  });

  it('warns per kind about the facts its deadline needs', () => {
    const m: ColumnMapping = { policyNo: 0, applicantName: 1 };
    const warningsFor = (kind: Parameters<typeof normalizeRow>[3]) => {
      const r = normalizeRow(['P1000001', '张三'], 3, m, kind, ['保单号', '投保人']);
      return r.ok ? r.value.warnings.map((w) => w.message) : r.issues.map((i) => i.message);
    };
    expect(warningsFor('problem_case')).toEqual(['第 3 行：未提供「业务日期（工单/给付/结案日期）」，无法计算 3 个工作日的处理期限']);
    expect(warningsFor('survival_benefit')).toEqual([
      '第 3 行：未提供「领取方式」，无法判断是否需要回访',
      '第 3 行：未提供「给付金额」，无法判断是否达到 1000 元的回访标准',
    ]);
    expect(warningsFor('key_client')).toEqual([]);
    expect(warningsFor('renewal')).toEqual(['第 3 行：未提供「保单到期日」，无法计算到期前一个季度的回访时间']);
  });

  it('takes kind and source from the row\'s 件类型, else the chosen kind', () => {
    const a = normalizeRow(row({ 5: '问题件' }), 3, mapping, 'new_policy', headers);
    expect(a.ok && [a.value.kind, a.value.source]).toEqual(['problem_case', 'problem']);
    const b = normalizeRow(row({ 5: null }), 3, mapping, 'survival_benefit', headers);
    expect(b.ok && [b.value.kind, b.value.source]).toEqual(['survival_benefit', 'payment']);
    const c = normalizeRow(row({ 5: '投诉件' }), 3, mapping, 'new_policy', headers);
    expect(!c.ok && c.issues[0]?.path).toBe('rows.3.caseType');
  });

  it('imports a 电话错误件 with an impossible number, leaving the number empty', () => {
    const r = normalizeRow(row({ 2: '12345', 5: '电话错误件' }), 9, mapping, 'new_policy', headers);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.applicantPhone).toBeNull();
      expect(r.value.warnings).toEqual([
        {
          path: 'rows.9.applicantPhone',
          message: '第 9 行「联系电话」列：12345 不是有效的电话号码（手机 11 位，固定电话如 0531-88886666）；电话错误件照常导入，号码留空，请核实后补录',
        },
      ]);
    }
  });

  it('refuses a 10,000-character cell with a length message', () => {
    const r = normalizeRow(row({ 6: '很'.repeat(10_000) }), 4, mapping, 'new_policy', headers);
    expect(r).toEqual({ ok: false, row: 4, issues: [{ path: 'rows.4.problemDescription', message: '第 4 行「备注」列：内容过长（10000 字），最多 2000 字' }] });
  });

  it('reads full-width digits and letters everywhere', () => {
    const r = normalizeRow(row({ 0: 'Ｐ２０２６０００００１', 2: '１３８１２３４５６７８', 4: '２０', 8: '１０００' }), 3, mapping, 'new_policy', headers);
    expect(r.ok && [r.value.policyNo, r.value.applicantPhone, r.value.termYears, r.value.premiumCents]).toEqual(['P2026000001', '13812345678', 20, 100000]);
  });

  it('keeps Chinese punctuation in free text but makes its digits half-width', () => {
    const r = normalizeRow(row({ 6: '客户称：保单第１２页缺失，要求补寄（急）' }), 3, mapping, 'new_policy', headers);
    expect(r.ok && r.value.problemDescription).toBe('客户称：保单第12页缺失，要求补寄（急）');
  });

  it('cleans names: padded Chinese names close up, Latin names keep one space', () => {
    const a = normalizeRow(row({ 1: ' 欧阳  娜娜 ' }), 3, mapping, 'new_policy', headers);
    expect(a.ok && a.value.applicantName).toBe('欧阳娜娜');
    const b = normalizeRow(row({ 1: 'JOHN   SMITH' }), 3, mapping, 'new_policy', headers);
    expect(b.ok && b.value.applicantName).toBe('JOHN SMITH');
    const c = normalizeRow(row({ 1: '买买提•艾力' }), 3, mapping, 'new_policy', headers);
    expect(c.ok && c.value.applicantName).toBe('买买提·艾力');
  });

  it('catches a column mapped to the wrong field', () => {
    const r = normalizeRow(row({ 1: '13812345678' }), 3, mapping, 'new_policy', headers);
    expect(!r.ok && r.issues).toEqual([{ path: 'rows.3.applicantName', message: '第 3 行「投保人」列：「138****5678」全是数字，不像姓名；请检查该列是否对应正确' }]);
  });

  it('refuses a policy number whose digits Excel already lost', () => {
    const r = normalizeRow(row({ 0: Number('880012345678901234') }), 3, mapping, 'new_policy', headers);
    expect(!r.ok && r.issues[0]?.message).toBe('第 3 行「保单号」列：保单号被存成了数字，超过 15 位的部分已丢失；请把该列设为文本格式后重新导出');
    const ok = normalizeRow(row({ 0: 88001234567 }), 3, mapping, 'new_policy', headers);
    expect(ok.ok && ok.value.policyNo).toBe('88001234567');
  });

  it('names a column without a header by its letter', () => {
    const r = normalizeRow(row({ 3: 'x' }), 3, mapping, 'new_policy', ['保单号', '投保人', '联系电话', '']);
    expect(!r.ok && r.issues[0]?.message).toBe('第 3 行「D 列」列：「x」无法识别为日期（应为 YYYY-MM-DD）');
  });

  it('infers 保险期限 from 保障期间 when there is no such column', () => {
    const m: ColumnMapping = { policyNo: 0, applicantName: 1, coveragePeriod: 2, receiptSignedDate: 3 };
    const r = normalizeRow(['P1000001', '张三', '终身', '2026-09-30'], 3, m, 'new_policy', ['保单号', '投保人', '保障期间', '回执签署日期']);
    expect(r.ok && [r.value.coveragePeriod, r.value.termYears, r.value.warnings]).toEqual(['终身', 105, []]);
  });
});

describe('text', () => {
  it('turns full-width ASCII and the ideographic space half-width, and nothing else', () => {
    expect(toHalfWidth('ＡＢＣ１２３（）：，　张')).toBe('ABC123():, 张');
  });
});
