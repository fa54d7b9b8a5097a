import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api/envelope';
import {
  COMMITTED_DIR,
  KEY_CLIENT_ROWS,
  LARGE_ROWS,
  generateImportFixtures,
  keyClientName,
  largeAddress,
  type ImportFixtures,
} from '../../test/fixtures/generate-import-fixtures.mjs';
import { tempDir } from '../../test/support/temp';
import { probeFile } from './probe';
import { isTotalsRow, mappingIssues, MAX_IMPORT_ROWS, readRows } from './read';
import type { NormalizedRow, ReadOptions, RowResult, SheetProbe } from './types';

let fx: ImportFixtures;
const tmp = tempDir('visitdesk-read-');
beforeAll(async () => {
  fx = await generateImportFixtures(tmp.dir);
}, 60_000);
afterAll(() => tmp.cleanup());

interface ReadAll {
  probe: SheetProbe;
  results: RowResult[];
  skipped: [number, string][];
  progress: [number, number][];
}

async function readAll(file: string, name: string, options: Partial<ReadOptions> = {}): Promise<ReadAll> {
  const probe = await probeFile(file, name);
  const results: RowResult[] = [];
  const skipped: [number, string][] = [];
  const progress: [number, number][] = [];
  for await (const r of readRows(file, name, probe, {
    mapping: probe.suggested,
    defaultKind: 'new_policy',
    onSkip: (row, why) => skipped.push([row, why]),
    onProgress: (done, total) => progress.push([done, total]),
    ...options,
  })) {
    results.push(r);
  }
  return { probe, results, skipped, progress };
}

const valid = (results: RowResult[]): NormalizedRow[] => results.flatMap((r) => (r.ok ? [r.value] : []));
const byRow = (results: RowResult[], row: number) => results.find((r) => (r.ok ? r.value.row : r.row) === row);

describe('the 不成功件 workbook (title, merged header, every oddity)', () => {
  let out: ReadAll;
  beforeAll(async () => {
    out = await readAll(fx.unreached, '不成功件清单.xlsx');
  });

  it('yields the data rows in order, skipping blank rows, the duplicate, the totals and the footer', () => {
    expect(out.results.map((r) => (r.ok ? r.value.row : -r.row))).toEqual([5, 7, 8, -9, 11, -12, 13, -14, 15, -16]);
    expect(out.skipped).toEqual([
      [10, '与第 5 行完全相同（重复行）'],
      [17, '合计行或表尾'],
      [19, '合计行或表尾'],
    ]);
  });

  it('reads date cells, a bare serial, a formula result, text dates and full-width digits', () => {
    const rows = valid(out.results);
    const pick = (v: NormalizedRow) => [v.row, v.policyNo, v.applicantName, v.applicantPhone, v.receiptSignedDate, v.receiptEntryDate, v.issueDate];
    expect(rows.map(pick)).toEqual([
      [5, 'P2026110001', '张三', '13812345678', '2026-10-20', '2026-10-22', '2026-10-05'],
      [7, 'P2026110002', '李四', '13900001111', '2026-09-30', '2026-10-03', '2026-09-25'],
      [8, 'P2026110003', '王五', '13700002222', '2026-10-01', '2026-10-08', '2026-09-28'],
      [11, 'P2026110005', '孙七', null, '2026-10-21', null, '2026-10-09'],
      [13, 'P2026110007', '吴九', '13600001234', '2026-10-15', null, '2026-10-01'],
      [15, 'P2026110009', '冯十一', '13800005678', null, null, '2026-10-09'],
    ]);
  });

  it('reads amounts with 元, ¥ and separators, and a formula premium, in cents', () => {
    expect(valid(out.results).map((v) => [v.row, v.premiumCents])).toEqual([
      [5, 1_200_000],
      [7, 880_000],
      [8, 350_000],
      [11, 600_000],
      [13, 1_200_000],
      [15, 600_000],
    ]);
  });

  it('takes kind and source from 件类型, channel codes, product types from names, terms from 保障期间', () => {
    expect(valid(out.results).map((v) => [v.row, v.kind, v.source, v.channel, v.productType, v.termYears])).toEqual([
      [5, 'new_policy', 'unreached', 'individual', 'participating', 20],
      [7, 'new_policy', 'dialect', 'bancassurance', null, 105],
      [8, 'new_policy', 'wrong_number', 'bank_direct', 'universal', 105],
      [11, 'new_policy', 'wrong_number', 'individual', null, 105],
      [13, 'new_policy', 'verify', 'individual', null, 105],
      [15, 'new_policy', 'letter', 'group', null, 1],
    ]);
  });

  it('gives the whole first row exactly', () => {
    expect(byRow(out.results, 5)).toEqual({
      ok: true,
      value: {
        row: 5,
        kind: 'new_policy',
        source: 'unreached',
        policyNo: 'P2026110001',
        applicantName: '张三',
        applicantPhone: '13812345678',
        insuredName: null,
        beneficiaryName: null,
        idNumber: null,
        address: null,
        issueDate: '2026-10-05',
        printDate: null,
        receiptSignedDate: '2026-10-20',
        receiptEntryDate: '2026-10-22',
        channel: 'individual',
        productName: '鑫福年年分红型两全保险',
        productType: 'participating',
        premiumCents: 1_200_000,
        payYears: null,
        coveragePeriod: '20年',
        termYears: 20,
        expiryDate: null,
        agentName: null,
        agentCode: null,
        problemDescription: '多次拨打无人接听',
        branch: null,
        eventDate: null,
        amountCents: null,
        paymentMethod: null,
        lastVisitDate: null,
        warnings: [],
      },
    });
  });

  it('refuses rows with Chinese messages naming the row and the column', () => {
    expect(out.results.filter((r) => !r.ok)).toEqual([
      { ok: false, row: 9, issues: [{ path: 'rows.9.receiptSignedDate', message: '第 9 行「回执/签署日期」列：2026-02-30 不是有效日期' }] },
      {
        ok: false,
        row: 12,
        issues: [{ path: 'rows.12.applicantPhone', message: '第 12 行「投保人/电话」列：1381234567 不是有效的电话号码（手机 11 位，固定电话如 0531-88886666）' }],
      },
      { ok: false, row: 14, issues: [{ path: 'rows.14.problemDescription', message: '第 14 行「备注」列：内容过长（10000 字），最多 2000 字' }] },
      {
        ok: false,
        row: 16,
        issues: [{ path: 'rows.16.policyNo', message: '第 16 行：保单号 P2026110001 在第 5 行已有同类任务，但两行内容不同；请核对后只保留一行' }],
      },
    ]);
  });

  it('keeps rows that only lack something, with warnings', () => {
    expect(valid(out.results).flatMap((v) => v.warnings)).toEqual([
      {
        path: 'rows.11.applicantPhone',
        message: '第 11 行「投保人/电话」列：12345 不是有效的电话号码（手机 11 位，固定电话如 0531-88886666）；电话错误件照常导入，号码留空，请核实后补录',
      },
      { path: 'rows.15.receiptSignedDate', message: '第 15 行「回执/签署日期」列：未填写，无法计算犹豫期' },
    ]);
  });

  it('reports progress in bytes, ending at the file size', () => {
    const size = fs.statSync(fx.unreached).size;
    expect(out.progress.at(-1)).toEqual([size, size]);
    for (const [done, total] of out.progress) {
      expect(total).toBe(size);
      expect(done).toBeLessThanOrEqual(size);
    }
  });
});

describe('the 生存给付 workbook (万元, ID numbers, the 1900 leap-year bug)', () => {
  it('reads each row exactly', async () => {
    const { results } = await readAll(fx.survival, '给付清单.xlsx', { defaultKind: 'survival_benefit' });
    expect(valid(results).map((v) => [v.row, v.kind, v.source, v.idNumber, v.applicantPhone, v.eventDate, v.amountCents, v.paymentMethod, v.beneficiaryName, v.branch, v.warnings])).toEqual([
      [2, 'survival_benefit', 'payment', '11010519491231002X', '13912345678', '2026-11-01', 350_000, 'bank_transfer', '陈小一', '济南中心支公司', []],
      [6, 'survival_benefit', 'payment', 'E12345678', '13912345672', '1900-02-28', 123_456, 'bank_transfer', null, '济南中心支公司', []],
    ]);
    expect(results.filter((r) => !r.ok)).toEqual([
      {
        ok: false,
        row: 3,
        issues: [{ path: 'rows.3.idNumber', message: '第 3 行「身份证号码」列：身份证号 110105********0021 的校验位不对（按前 17 位应为 X），可能有数字抄错' }],
      },
      {
        ok: false,
        row: 4,
        issues: [{ path: 'rows.4.idNumber', message: '第 4 行「身份证号码」列：身份证号被存成了数字，末几位已丢失；请把该列设为文本格式后重新导出' }],
      },
      { ok: false, row: 5, issues: [{ path: 'rows.5.eventDate', message: '第 5 行「给付日期」列：1900-02-29 不是有效日期（Excel 把 1900 年误当作闰年）' }] },
      {
        ok: false,
        row: 7,
        issues: [
          { path: 'rows.7.amount', message: '第 7 行「给付金额（万元）」列：abc 不是有效金额' },
          { path: 'rows.7.paymentMethod', message: '第 7 行「领取方式」列：「支票」不是可识别的领取方式（可填：现金、银行转账）' },
        ],
      },
    ]);
  });
});

describe('CSV files', () => {
  it('reads the UTF-8 BOM 问题件 list: quoted commas, line breaks and quotes, ="…" codes, a totals line', async () => {
    const { results, skipped } = await readAll(fx.problemCsv, '问题件.csv', { defaultKind: 'problem_case' });
    expect(valid(results).map((v) => [v.row, v.kind, v.source, v.policyNo, v.applicantName, v.applicantPhone, v.problemDescription, v.eventDate, v.agentCode])).toEqual([
      [3, 'problem_case', 'problem', 'P2026200001', '刘一', '13511112222', '客户称未收到保单, 要求补寄', '2026-11-02', '0012345'],
      [4, 'problem_case', 'problem', 'P2026200002', '陈二', '0531-88886666', '多行\n描述："代签名"嫌疑', '2026-11-02', '0012346'],
    ]);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, row: 6, issues: [{ path: 'rows.6.eventDate', message: '第 6 行「工单日期」列：「11/02/2026」无法识别为日期（应为 YYYY-MM-DD）' }] },
    ]);
    expect(skipped).toEqual([[7, '合计行或表尾']]);
  });

  it('reads the GB18030 重点客户 list whole, characters across read boundaries included', async () => {
    const { results, progress } = await readAll(fx.keyClientsGb, '重点客户.csv', { defaultKind: 'key_client' });
    expect(results).toHaveLength(KEY_CLIENT_ROWS);
    const rows = valid(results);
    expect(rows).toHaveLength(KEY_CLIENT_ROWS);
    rows.forEach((v, i) => expect(v.applicantName).toBe(keyClientName(i + 1)));
    expect(rows[0]).toMatchObject({ row: 2, policyNo: 'KC00000001', applicantPhone: '13900000001', lastVisitDate: '2025-06-30', kind: 'key_client', source: 'plan', agentName: '王强' });
    expect(rows[1]).toMatchObject({ row: 3, lastVisitDate: '2025-12-03', kind: 'key_client' });
    expect(rows[9]).toMatchObject({ row: 11, kind: 'shareholder_client', source: 'plan' });
    const size = fs.statSync(fx.keyClientsGb).size;
    expect(progress.at(-1)).toEqual([size, size]);
  });

  it('reads a UTF-8 CSV without BOM', async () => {
    const { results } = await readAll(fx.renewalCsv, '续保.csv');
    expect(valid(results).map((v) => [v.row, v.kind, v.applicantName, v.applicantPhone, v.expiryDate, v.premiumCents, v.warnings])).toEqual([
      [2, 'renewal', '钱一', '13600000001', '2027-01-31', 120_000, []],
      [3, 'renewal', 'JOHN SMITH', '13600000002', '2027-02-28', 120_050, []],
    ]);
  });

  it('reads UTF-16LE tab-separated text', async () => {
    const { results } = await readAll(fx.claimsText, '理赔.txt');
    expect(valid(results).map((v) => [v.row, v.kind, v.source, v.policyNo, v.applicantName, v.eventDate])).toEqual([
      [2, 'claim_closed', 'plan', 'C2026000001', '孙一', '2026-10-30'],
    ]);
  });
});

describe('a workbook saved by LibreOffice', () => {
  it('reads numbers it typed, its date cells and its rich text', async () => {
    const file = path.join(COMMITTED_DIR, 'libreoffice-saved.xlsx');
    const { results } = await readAll(file, 'libreoffice-saved.xlsx');
    expect(results.every((r) => r.ok)).toBe(true);
    expect(valid(results).map((v) => [v.row, v.source, v.policyNo, v.applicantName, v.applicantPhone, v.receiptSignedDate, v.issueDate, v.premiumCents, v.payYears, v.termYears, v.productType, v.agentName])).toEqual([
      [2, 'verify', 'V2026000001', '韩梅梅', '13512345678', '2026-10-12', '2026-10-08', 360_050, 10, 105, null, '李雷'],
      [3, 'verify', 'V2026000002', '李雷', '0531-88886666', '2026-10-13', '2026-10-09', 1_200_000, 1, 20, 'participating', '韩梅梅'],
    ]);
  });
});

describe('streaming a large workbook', () => {
  it('reads every row, Chinese text whole across exceljs\'s 16 KB chunks, with progress along the way', async () => {
    const { results, progress } = await readAll(fx.large, '大清单.xlsx');
    expect(results).toHaveLength(LARGE_ROWS);
    const rows = valid(results);
    expect(rows).toHaveLength(LARGE_ROWS);
    rows.forEach((v, i) => {
      expect(v.row).toBe(i + 2);
      expect(v.address).toBe(largeAddress(i + 1));
    });
    const size = fs.statSync(fx.large).size;
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThan(progress[i - 1]![0]);
    expect(progress.at(-1)).toEqual([size, size]);
  });

  it('stops with 「导入已取消」 as soon as the signal aborts', async () => {
    const probe = await probeFile(fx.large, '大清单.xlsx');
    const ac = new AbortController();
    let n = 0;
    const run = async () => {
      for await (const _ of readRows(fx.large, '大清单.xlsx', probe, { mapping: probe.suggested, defaultKind: 'new_policy', signal: ac.signal })) {
        if (++n === 10) ac.abort();
      }
    };
    await expect(run()).rejects.toEqual(new AppError('cancelled', '导入已取消'));
    expect(n).toBe(10);
  });

  it('stops while exceljs is still unpacking, not only between rows', async () => {
    const probe = await probeFile(fx.large, '大清单.xlsx');
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 5);
    const run = async () => {
      for await (const _ of readRows(fx.large, '大清单.xlsx', probe, { mapping: probe.suggested, defaultKind: 'new_policy', signal: ac.signal })) {
        // keep reading
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'cancelled', message: '导入已取消' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses to start when already cancelled', async () => {
    const probe = await probeFile(fx.renewalCsv, 'r.csv');
    const ac = new AbortController();
    ac.abort();
    const it = readRows(fx.renewalCsv, 'r.csv', probe, { mapping: probe.suggested, defaultKind: 'new_policy', signal: ac.signal });
    await expect(it.next()).rejects.toMatchObject({ code: 'cancelled', message: '导入已取消' });
  });

  it('lets the caller stop early without hanging', async () => {
    const probe = await probeFile(fx.large, '大清单.xlsx');
    const rows: RowResult[] = [];
    for await (const r of readRows(fx.large, '大清单.xlsx', probe, { mapping: probe.suggested, defaultKind: 'new_policy' })) {
      rows.push(r);
      if (rows.length === 3) break;
    }
    expect(rows).toHaveLength(3);
  });
});

describe('guards before and during reading', () => {
  it('refuses a mapping without the required fields or with a column used twice', async () => {
    expect(mappingIssues({ policyNo: 0, applicantName: 0, applicantPhone: 9 }, 3)).toEqual([
      { path: 'mapping.applicantName', message: '「投保人」和「保单号」选了同一列' },
      { path: 'mapping.applicantPhone', message: '「投保人电话」对应的列不存在' },
    ]);
    const probe = await probeFile(fx.renewalCsv, 'r.csv');
    const it = readRows(fx.renewalCsv, 'r.csv', probe, { mapping: { policyNo: 0 }, defaultKind: 'renewal' });
    await expect(it.next()).rejects.toMatchObject({ code: 'invalid_input', message: '列的对应关系有误：请为「投保人」选择一列（必填）' });
  });

  it('notices the file changed after it was probed', async () => {
    const file = path.join(tmp.dir, 'changed.csv');
    fs.writeFileSync(file, '保单号,投保人\nP1000001,张三\n');
    const probe = await probeFile(file, '清单.csv');
    fs.writeFileSync(file, '投保人,保单号\n张三,P1000001\n');
    const it = readRows(file, '清单.csv', probe, { mapping: probe.suggested, defaultKind: 'new_policy' });
    await expect(it.next()).rejects.toMatchObject({ code: 'invalid_input', message: '文件「清单.csv」在预览之后被改动过（第 1 行的表头与预览时不同），请重新选择文件' });
  });

  it('skips a repeated header row', async () => {
    const file = path.join(tmp.dir, 'repeat.csv');
    fs.writeFileSync(file, '保单号,投保人\nP1000001,张三\n保单号,投保人\nP1000002,李四\n');
    const { results, skipped } = await readAll(file, 'repeat.csv', { defaultKind: 'key_client' });
    expect(valid(results).map((v) => v.row)).toEqual([2, 4]);
    expect(skipped).toEqual([[3, '重复的表头行']]);
  });

  it.each([
    [['合计', null, 64800], true],
    [['总计：', '', ''], true],
    [['  小 计', 12], true],
    [['共计3件'], true],
    [['制表人：张丽'], true],
    [[null, null, 64800, '1,200元'], true],
    [['P1000001', '张三', 64800], false],
    [[null, '张三', 64800], false],
  ] as const)('totals row %j → %s', (cells, expected) => {
    expect(isTotalsRow([...cells], { policyNo: 0, applicantName: 1 })).toBe(expected);
  });
});

describe('the row limit', () => {
  it(`refuses a list of more than ${MAX_IMPORT_ROWS.toLocaleString('en-US')} data rows, naming the file and the row`, async () => {
    const file = path.join(tmp.dir, 'too-many.csv');
    const lines = ['保单号,投保人'];
    for (let i = 1; i <= MAX_IMPORT_ROWS + 1; i++) lines.push(`P${String(i).padStart(10, '0')},客户${i}`);
    fs.writeFileSync(file, lines.join('\n'));
    const probe = await probeFile(file, '超大清单.csv');
    let n = 0;
    const read = async () => {
      for await (const _ of readRows(file, '超大清单.csv', probe, { mapping: probe.suggested, defaultKind: 'new_policy' })) n++;
    };
    await expect(read()).rejects.toThrow(`文件「超大清单.csv」的数据超过 200,000 行（第 ${MAX_IMPORT_ROWS + 2} 行已超出）`);
    expect(n).toBe(MAX_IMPORT_ROWS);
  }, 60_000);
});
