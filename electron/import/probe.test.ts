import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api/envelope';
import { COMMITTED_DIR, generateImportFixtures, type ImportFixtures } from '../../test/fixtures/generate-import-fixtures.mjs';
import { tempDir } from '../../test/support/temp';
import { combineHeaderRows, locateHeader, probeFile } from './probe';

let fx: ImportFixtures;
const tmp = tempDir('visitdesk-probe-');
beforeAll(async () => {
  fx = await generateImportFixtures(tmp.dir, { largeRows: 200 });
});
afterAll(() => tmp.cleanup());

const refused = (code: string, message: string) => expect.objectContaining({ name: 'AppError', code, message });

describe('probeFile on workbooks', () => {
  it('finds a two-row merged header under a title row and a blank row', async () => {
    const p = await probeFile(fx.unreached, '不成功件清单.xlsx');
    expect(p).toMatchObject({
      fileName: '不成功件清单.xlsx',
      format: 'xlsx',
      encoding: null,
      delimiter: null,
      sheetName: '不成功件',
      headerRow: 4,
      headerRowCount: 2,
    });
    expect(p.columns.map((c) => c.header)).toEqual([
      '序号',
      '保单号',
      '投保人/姓名',
      '投保人/电话',
      '回执/签署日期',
      '回执/录入日期',
      '险种名称',
      '保费（元）',
      '渠道',
      '件类型',
      '备注',
      '出单日期',
      '保障期间',
    ]);
    expect(p.suggested).toEqual({
      policyNo: 1,
      applicantName: 2,
      applicantPhone: 3,
      receiptSignedDate: 4,
      receiptEntryDate: 5,
      productName: 6,
      premium: 7,
      channel: 8,
      caseType: 9,
      problemDescription: 10,
      issueDate: 11,
      coveragePeriod: 12,
    });
    expect(p.headerSignature).toMatch(/^[0-9a-f]{16}$/);
  });

  it('lists the first non-empty values of each column as samples, long ones cut', async () => {
    const p = await probeFile(fx.unreached, 'x.xlsx');
    const col = (i: number) => p.columns[i]?.samples;
    expect(col(1)).toEqual(['P2026110001', 'P2026110002', 'P２０２６１１０００３']);
    expect(col(3)).toEqual(['138 1234 5678', '+86 139-0000-1111', '１３７００００２２２２']);
    expect(col(4)).toEqual(['2026-10-20', '2026/9/30', '20261001']);
    // 20261008 typed into a date-formatted cell (Excel shows ####) stays the number it is.
    expect(col(5)).toEqual(['2026-10-22', '2026.10.3', '20261008']);
    expect(col(11)).toEqual(['46300', '2026年9月25日', '2026-09-28']);
    expect(col(10)).toEqual(['多次拨打无人接听', '多次拨打无人接听', '空号']);
    const long = (await probeFile(fx.unreached, 'x.xlsx')).columns[10]?.samples ?? [];
    for (const s of long) expect(Array.from(s).length).toBeLessThanOrEqual(51);
  });

  it('reads the first sheet only', async () => {
    const p = await probeFile(fx.unreached, 'x.xlsx');
    expect(p.columns.flatMap((c) => c.samples)).not.toContain('不应读到');
  });

  it('gives the same signature to the same header, and another to another', async () => {
    const a = await probeFile(fx.unreached, 'a.xlsx');
    const b = await probeFile(fx.unreached, 'b.xlsx');
    const c = await probeFile(fx.survival, 'c.xlsx');
    expect(a.headerSignature).toBe(b.headerSignature);
    expect(c.headerSignature).not.toBe(a.headerSignature);
  });

  it('reads a single header row with units in brackets', async () => {
    const p = await probeFile(fx.survival, '给付清单.xlsx');
    expect(p).toMatchObject({ headerRow: 1, headerRowCount: 1, sheetName: '给付清单' });
    expect(p.columns.map((c) => c.header)).toEqual(['保单号码', '投保人姓名', '受益人', '身份证号码', '手机号码', '给付日期', '给付金额（万元）', '领取方式', '机构', '险种']);
    expect(p.suggested).toEqual({
      policyNo: 0,
      applicantName: 1,
      beneficiaryName: 2,
      idNumber: 3,
      applicantPhone: 4,
      eventDate: 5,
      amount: 6,
      paymentMethod: 7,
      branch: 8,
      productName: 9,
    });
    expect(p.columns[5]?.samples).toEqual(['2026-11-01', '2026-11-01', '2026-11-01']);
  });

  it('reads a workbook saved by LibreOffice', async () => {
    const p = await probeFile(path.join(COMMITTED_DIR, 'libreoffice-saved.xlsx'), 'libreoffice-saved.xlsx');
    expect(p).toMatchObject({ format: 'xlsx', headerRow: 1, headerRowCount: 1 });
    expect(p.columns.map((c) => c.header)).toEqual(['保单号', '投保人', '联系电话', '回执签署日期', '出单日期', '险种名称', '期交保费', '缴费年限', '保险期间', '件类型', '业务员']);
    // LibreOffice typed the phone and dates itself: a number and date cells.
    // Samples mask phone and ID numbers as every quoted cell does.
    expect(p.columns[2]?.samples).toEqual(['135****5678', '0531-****6666']);
    expect(p.columns[3]?.samples).toEqual(['2026-10-12', '2026-10-13']);
    expect(p.columns[8]?.samples).toEqual(['终身', '20年']); // 「20年」 is rich text there
  });
});

describe('probeFile on text files', () => {
  it('reads a UTF-8 CSV with BOM and a title line', async () => {
    const p = await probeFile(fx.problemCsv, '问题件.csv');
    expect(p).toMatchObject({ format: 'csv', encoding: 'utf-8-bom', delimiter: ',', sheetName: null, headerRow: 2, headerRowCount: 1 });
    expect(p.columns.map((c) => c.header)).toEqual(['保单号', '客户姓名', '联系电话', '问题描述', '工单日期', '业务员', '业务员工号']);
    expect(p.columns[3]?.samples).toEqual(['客户称未收到保单, 要求补寄', '多行 描述："代签名"嫌疑']);
    expect(p.columns[6]?.samples).toEqual(['0012345', '0012346', '0012347']);
  });

  it('detects GB18030', async () => {
    const p = await probeFile(fx.keyClientsGb, '重点客户.csv');
    expect(p).toMatchObject({ encoding: 'gb18030', delimiter: ',', headerRow: 1 });
    expect(p.columns.map((c) => c.header)).toEqual(['保单号', '客户名称', '联系电话', '上次回访日期', '业务员', '机构', '件类型']);
    expect(p.suggested).toEqual({ policyNo: 0, applicantName: 1, applicantPhone: 2, lastVisitDate: 3, agentName: 4, branch: 5, caseType: 6 });
  });

  it('detects UTF-8 without BOM', async () => {
    const p = await probeFile(fx.renewalCsv, '续保.csv');
    expect(p).toMatchObject({ encoding: 'utf-8', delimiter: ',' });
    expect(p.suggested).toEqual({ policyNo: 0, applicantName: 1, applicantPhone: 2, expiryDate: 3, productName: 4, caseType: 5, premium: 6 });
  });

  it('reads Excel\'s 「Unicode 文本」 (UTF-16LE, tabs)', async () => {
    const p = await probeFile(fx.claimsText, '理赔.txt');
    expect(p).toMatchObject({ format: 'csv', encoding: 'utf-16le', delimiter: '\t' });
    expect(p.columns.map((c) => c.header)).toEqual(['保单号', '投保人', '电话', '结案日期', '件类型']);
  });
});

describe('probeFile refuses what it cannot read, naming the file', () => {
  it.each([
    ['emptySheet', '空表.xlsx', '文件「空表.xlsx」的工作表「Sheet1」是空的，没有任何内容'],
    [
      'noHeader',
      '纪要.xlsx',
      '文件「纪要.xlsx」的工作表「会议纪要」的前 60 行中找不到表头：没有一个单元格是可识别的列名（如「保单号」「投保人」「联系电话」）。请确认选对了文件，且表头在前 60 行内',
    ],
    ['noSheets', '无表.xlsx', '文件「无表.xlsx」中没有工作表'],
    ['corrupt', '半截.xlsx', '文件「半截.xlsx」不是有效的 .xlsx 工作簿（可能已损坏或没有传完整），请在 Excel 中打开确认后重新保存再导入'],
    ['oldXls', '旧版.xls', '文件「旧版.xls」是旧版 Excel（.xls）格式或受密码保护的工作簿，无法读取。请在 Excel 中去掉密码并“另存为” .xlsx 后再导入。'],
    ['password', '加密.xlsx', '文件「加密.xlsx」是旧版 Excel（.xls）格式或受密码保护的工作簿，无法读取。请在 Excel 中去掉密码并“另存为” .xlsx 后再导入。'],
    ['binary', '照片.png', '文件「照片.png」既不是 Excel 工作簿（.xlsx），也不是 CSV 文本文件，无法导入'],
    ['html', '网页.xls', '文件「网页.xls」实际是网页（HTML）格式的表格，不是真正的 Excel 文件。请用 Excel 打开它，“另存为” .xlsx 后再导入'],
    ['emptyCsv', '空.csv', '文件「空.csv」是空的（0 字节）'],
  ] as const)('%s', async (key, name, message) => {
    await expect(probeFile(fx[key], name)).rejects.toEqual(refused('invalid_input', message));
    await expect(probeFile(fx[key], name)).rejects.toBeInstanceOf(AppError);
  });

  it('a missing file', async () => {
    await expect(probeFile(path.join(tmp.dir, 'nope.xlsx'), 'nope.xlsx')).rejects.toEqual(refused('invalid_input', '无法读取文件「nope.xlsx」：文件不存在或已被移走'));
  });
});

describe('header location', () => {
  const rows = (...lines: (string | number | null)[][]) => lines.map((cells, i) => ({ row: i + 1, cells }));

  it('skips title rows and takes the first row with two known names', () => {
    const l = locateHeader(rows(['2026年11月不成功件清单'], [], ['序号', '保单号', '投保人'], ['1', 'P2026000001', '张三']), 'x');
    expect(l).toEqual({ headerRow: 3, headerRowCount: 1, headers: ['序号', '保单号', '投保人'], recognized: [null, 'policyNo', 'applicantName'] });
  });

  it('does not take a label/value line with dates for the header', () => {
    const l = locateHeader(rows(['机构：', '济南', '下发日期：', new Date(Date.UTC(2026, 10, 2)) as unknown as string], ['保单号', '投保人']), 'x');
    expect(l.headerRow).toBe(2);
  });

  it('settles for one known name when no row has two', () => {
    expect(locateHeader(rows(['清单'], ['保单号', '甲', '乙'], ['P1', 'a', 'b']), 'x').headerRow).toBe(2);
  });

  it('joins a group row above the header', () => {
    const l = locateHeader(rows(['客户信息', null, '保单'], ['姓名', '联系电话', '保单号']), 'x');
    expect(l).toMatchObject({ headerRow: 2, headerRowCount: 2, headers: ['客户信息/姓名', '客户信息/联系电话', '保单/保单号'] });
    expect(l.recognized).toEqual(['applicantName', 'applicantPhone', 'policyNo']);
  });

  it('spreads a merged group cell over its sub-columns, not over cells merged down', () => {
    expect(combineHeaderRows(['保单号', '投保人', null, '险种', null], [null, '姓名', '电话', null, null]).headers).toEqual([
      '保单号',
      '投保人/姓名',
      '投保人/电话',
      '险种',
      '',
    ]);
  });
});
