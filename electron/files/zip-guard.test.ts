import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api/envelope';
import { COMMITTED_DIR, generateImportFixtures } from '../../test/fixtures/generate-import-fixtures.mjs';
import { tempDir } from '../../test/support/temp';
import { deflateBomb, sheetRow, SHEET_CLOSE, SHEET_OPEN, workbookEntries, zipBytes, type ZipEntrySpec } from '../../test/support/zip-writer';
import { readSmallWorkbook } from './xlsx-rows';
import { guardZipBytes, guardZipFile, XLSX_LIMITS } from './zip-guard';

const NAME = '回访清单.xlsx';
const ROWS = [
  ['保单号', '投保人姓名', '联系电话'],
  ['P2026000001', '张三', '13800138000'],
];

/** The AppError the guard throws for these bytes, or null when it lets them through. */
async function refusal(bytes: Buffer, limits = XLSX_LIMITS): Promise<AppError | null> {
  try {
    await guardZipBytes(bytes, NAME, limits);
    return null;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
}

async function expectRefused(bytes: Buffer, pattern: RegExp, limits = XLSX_LIMITS): Promise<void> {
  const e = await refusal(bytes, limits);
  expect(e, 'must be refused').not.toBeNull();
  expect(e?.code).toBe('invalid_input');
  expect(e?.message).toContain(`「${NAME}」`);
  expect(e?.message).toMatch(pattern);
}

const withSheet = (sheet: Partial<ZipEntrySpec>, extra: Parameters<typeof workbookEntries>[0] = {}) => zipBytes(workbookEntries({ rows: ROWS, sheet, ...extra }));

describe('zip guard: what real workbooks pass', () => {
  const tmp = tempDir('zip-guard-');
  let fixtures: Record<string, string>;
  beforeAll(async () => {
    fixtures = { ...(await generateImportFixtures(tmp.dir, { largeRows: 3000 })) };
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('accepts a minimal hand-written workbook', async () => {
    expect(await refusal(await zipBytes(workbookEntries({ rows: ROWS })))).toBeNull();
  });

  it('accepts every workbook exceljs writes for the import tests, and the one LibreOffice saved', async () => {
    const xlsx = Object.values(fixtures).filter((f) => f.endsWith('.xlsx') && fs.readFileSync(f).readUInt32LE(0) === 0x04034b50);
    const checked: string[] = [];
    for (const f of [...xlsx, path.join(COMMITTED_DIR, 'libreoffice-saved.xlsx')]) {
      const name = path.basename(f);
      // The corrupt and sheetless fixtures are refused on purpose; everything else must pass.
      if (/corrupt|no-sheets|损坏/.test(name)) continue;
      await expect(guardZipFile(f, name), name).resolves.toMatchObject({ entries: expect.any(Number) });
      checked.push(name);
    }
    expect(checked.length).toBeGreaterThanOrEqual(4);
  });

  it('accepts a workbook exceljs streams out with data descriptors, in memory too', async () => {
    const file = path.join(tmp.dir, 'streamed.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
    const ws = wb.addWorksheet('清单');
    for (let i = 0; i < 500; i++) ws.addRow([`P${i}`, '李四', i]).commit();
    await wb.commit();
    expect(await refusal(fs.readFileSync(file))).toBeNull();
  });
});

describe('zip guard: what it refuses', () => {
  it('refuses an OLE compound file (a password-protected workbook) as such', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4096)]);
    await expectRefused(ole, /密码保护|旧版 Excel/);
  });

  it('refuses random bytes and a zip cut short', async () => {
    await expectRefused(Buffer.from('这不是一个工作簿'.repeat(100)), /不是有效的 \.xlsx/);
    const whole = await zipBytes(workbookEntries({ rows: ROWS }));
    await expectRefused(whole.subarray(0, Math.floor(whole.length * 0.7)), /不完整/);
  });

  it('refuses a zip that is not a workbook (no xl/workbook.xml)', async () => {
    await expectRefused(await zipBytes(workbookEntries({ rows: ROWS, omit: ['xl/workbook.xml'] })), /缺少 xl\/workbook\.xml/);
  });

  it('refuses too many entries', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `xl/media/f${i}.bin`, data: 'x', method: 0 }));
    await expectRefused(await zipBytes([...workbookEntries({ rows: ROWS }), ...many]), /压缩条目.*超过上限 20/, { ...XLSX_LIMITS, maxEntries: 20 });
  });

  it('refuses a bomb by its declared size before inflating anything', async () => {
    const bomb = deflateBomb(SHEET_OPEN + '<row r="1">', '<c><v>1</v></c>', 3700, `</row>${SHEET_CLOSE}`);
    const started = Date.now();
    await expectRefused(await withSheet({ raw: bomb }), /解压后超过 1024 MB/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses parts that together declare more than the cap, each of them modest', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => [`P${i}`, `投保人${i}`, `1380013${String(i).padStart(4, '0')}`]);
    const bytes = await zipBytes(workbookEntries({ rows }));
    expect(await refusal(bytes)).toBeNull();
    await expectRefused(bytes, /解压后超过 0\.1 MB/, { ...XLSX_LIMITS, maxTotalBytes: 100 * 1024 });
  });

  it('refuses an entry whose compression ratio is far beyond a workbook’s', async () => {
    const bomb = deflateBomb(SHEET_OPEN + '<row r="1">', '<c><v>1</v></c>', 8, `</row>${SHEET_CLOSE}`);
    await expectRefused(await withSheet({ raw: bomb }), /压缩比高达 [\d,]+:1/);
  });

  it('refuses an entry that inflates past the size its headers declare, stopping there', async () => {
    const bomb = deflateBomb(SHEET_OPEN + '<row r="1">', '<c><v>1</v></c>', 3700, `</row>${SHEET_CLOSE}`);
    const lie = { size: 64 * 1024 };
    const started = Date.now();
    await expectRefused(await withSheet({ raw: bomb, lie: { central: lie, local: lie } }), /超过目录记录的 65,536 字节/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses an entry that inflates to less than declared, or fails its CRC', async () => {
    const sheet = SHEET_OPEN + sheetRow(1, ROWS[0]!) + SHEET_CLOSE;
    const size = Buffer.byteLength(sheet) + 10;
    await expectRefused(await withSheet({ data: sheet, lie: { central: { size }, local: { size } } }), /与目录记录的 [\d,]+ 字节不符/);
    await expectRefused(await withSheet({ data: sheet, lie: { central: { crc: 12345 }, local: { crc: 12345 } } }), /校验值不符/);
  });

  it('refuses local and central headers that disagree, and a data descriptor that disagrees', async () => {
    await expectRefused(await withSheet({ lie: { local: { size: 10 } } }), /本地文件头记录的大小与目录不符/);
    await expectRefused(await withSheet({ descriptor: true, lie: { central: { size: 999_999 } } }), /与目录记录的 999,999 字节不符/);
  });

  it('refuses overlapping entries and a duplicated name', async () => {
    const bytes = await zipBytes(workbookEntries({ rows: ROWS }));
    // Point the second directory entry's local offset back at the first entry.
    const cdOffset = bytes.readUInt32LE(bytes.length - 6);
    const second = cdOffset + 46 + bytes.readUInt16LE(cdOffset + 28);
    const overlapping = Buffer.from(bytes);
    overlapping.writeUInt32LE(0, second + 42);
    await expectRefused(overlapping, /重叠|不符|不明数据/);
    const dup = await zipBytes([...workbookEntries({ rows: ROWS }), { name: 'XL/workbook.xml', data: '<workbook/>' }]);
    await expectRefused(dup, /重复出现/);
  });

  it('refuses an entry hidden from the directory where a streaming reader would still find it', async () => {
    const evil = { name: 'xl/worksheets/sheet1.xml', data: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${SHEET_OPEN.slice(SHEET_OPEN.indexOf('<worksheet'))}${SHEET_CLOSE}`, hidden: true };
    const [types, rels, ...rest] = workbookEntries({ rows: ROWS });
    await expectRefused(await zipBytes([types!, rels!, evil, ...rest]), /之前有不明数据/);
  });

  it('refuses encrypted entries and unknown compression methods', async () => {
    await expectRefused(await withSheet({ flags: 0x1, method: 0 }), /已加密/);
    await expectRefused(await withSheet({ method: 12 }), /不支持的压缩方式（12）/);
  });

  it('refuses DOCTYPE and ENTITY declarations anywhere in an XML part, in UTF-8 or UTF-16', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>`;
    await expectRefused(await zipBytes(workbookEntries({ rows: ROWS, sharedStrings: { data: laughs } })), /xl\/sharedStrings\.xml.*DOCTYPE/);
    // Past the first kilobytes, behind a long comment: still in the prolog, still refused.
    const late = `<?xml version="1.0"?><!--${' '.repeat(200_000)}--><!doctype worksheet SYSTEM "file:///etc/passwd"><worksheet/>`;
    await expectRefused(await withSheet({ data: late }), /DOCTYPE/);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><sst>&e;</sst>', 'utf16le')]);
    await expectRefused(await zipBytes(workbookEntries({ rows: ROWS, sharedStrings: { data: utf16 } })), /DOCTYPE/);
    // A part not named .xml is still XML to a reader that sniffs it.
    await expectRefused(await zipBytes([...workbookEntries({ rows: ROWS }), { name: 'xl/custom/item1.dat', data: '<!DOCTYPE x><x/>' }]), /item1\.dat/);
  });

  it('refuses a worksheet with more row elements than allowed, and accepts one at the limit', async () => {
    const limits = { ...XLSX_LIMITS, maxSheetRows: 1000 };
    const rows = (count: number) => () => (function* () {
      yield SHEET_OPEN;
      // Split mid-tag across chunks, so a row straddling two inflated chunks is counted once.
      for (let r = 1; r <= count; r++) yield `<row r="${r}"><c r="A${r}"><v>${r}</v></c></ro` + 'w>';
      yield SHEET_CLOSE;
    })();
    expect(await refusal(await withSheet({ chunks: rows(1000) }), limits)).toBeNull();
    await expectRefused(await withSheet({ chunks: rows(1001) }), /超过 1,000 行.*200,000 行数据/, limits);
  });

  it('holds the guard to its word on a large honest sheet: every byte inflated once, quickly', async () => {
    const big = () => (function* () {
      yield SHEET_OPEN;
      for (let r = 1; r <= 150_000; r++) yield sheetRow(r, [`P${String(r).padStart(10, '0')}`, '王五', `1380013${String(r % 10000).padStart(4, '0')}`, '北京市朝阳区某某路 1 号']);
      yield SHEET_CLOSE;
    })();
    const bytes = await withSheet({ chunks: big });
    const started = Date.now();
    const summary = await guardZipBytes(bytes, NAME);
    expect(summary.totalBytes).toBeGreaterThan(30_000_000);
    // About half a second on an idle 2-core machine; the margin is for a busy one.
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 60_000);

  it('survives every single-byte truncation of a small workbook with a refusal, never a crash', async () => {
    const bytes = await zipBytes(workbookEntries({ rows: ROWS }));
    for (let cut = 0; cut < bytes.length; cut += 7) {
      const e = await refusal(bytes.subarray(0, cut));
      expect(e?.code, `cut at ${cut}`).toBe('invalid_input');
    }
    // And random byte flips: refused or accepted, but always an AppError or nothing.
    for (let i = 0; i < 200; i++) {
      const flipped = Buffer.from(bytes);
      const at = (i * 7919) % flipped.length;
      flipped[at] = (flipped[at] ?? 0) ^ 0x5a;
      await refusal(flipped);
    }
  });
});

describe('small workbooks read whole (calendar, questionnaire)', () => {
  it('are checked as containers before exceljs loads them into memory', async () => {
    const bomb = deflateBomb(SHEET_OPEN + '<row r="1">', '<c><v>1</v></c>', 1500, `</row>${SHEET_CLOSE}`);
    const started = Date.now();
    await expect(readSmallWorkbook(await withSheet({ raw: bomb }), '2027年日历.xlsx')).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('「2027年日历.xlsx」') });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await readSmallWorkbook(await zipBytes(workbookEntries({ rows: ROWS })), NAME)).toHaveLength(2);
  });
});
