import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api/envelope';
import { COMMITTED_DIR, generateImportFixtures } from '../../test/fixtures/generate-import-fixtures.mjs';
import { tempDir } from '../../test/support/temp';
import { plainCell } from '../files/xlsx-rows';
import type { RawCell } from './types';
import { isDateFormatCode, readXlsxRows, xmlText, type SheetRow, type XlsxContext } from './xlsx-stream';

const tmp = tempDir('visitdesk-xlsx-');
let files: string[] = [];
beforeAll(async () => {
  await generateImportFixtures(tmp.dir);
  files = [...fs.readdirSync(tmp.dir).map((f) => path.join(tmp.dir, f)), path.join(COMMITTED_DIR, 'libreoffice-saved.xlsx')].filter((f) => f.endsWith('.xlsx'));
}, 60_000);
afterAll(() => tmp.cleanup());

async function ours(file: string): Promise<{ rows: SheetRow[]; ctx: XlsxContext } | AppError> {
  const ctx: XlsxContext = { sheetName: null, date1904: false, sheetCount: null };
  const rows: SheetRow[] = [];
  try {
    for await (const r of readXlsxRows(file, path.basename(file), ctx)) rows.push(r);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  return { rows, ctx };
}

/** exceljs's whole-workbook reader, as the reference for what each cell holds. */
async function reference(file: string): Promise<{ rows: SheetRow[]; sheetName: string } | null> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(file);
  } catch {
    return null;
  }
  const ws = wb.worksheets[0];
  if (!ws) return null;
  const rows: SheetRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const cells: RawCell[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      // The whole-workbook reader copies a merged range's value into every cell of it; the file holds it once.
      if (cell.isMerged && cell.master.address !== cell.address) return;
      let v = cell.value;
      // A number in a date cell that is no real day (Excel shows ####) is kept as the number.
      if (v instanceof Date && v.getUTCFullYear() > 2199) v = Math.round((v.getTime() / 86_400_000 + 25_569) * 1e6) / 1e6;
      cells[col - 1] = v !== null && typeof v === 'object' && !(v instanceof Date) && 'formula' in v && (v.result === undefined || v.result === null) ? null : plainCell(v);
    });
    if (cells.length === 0) return;
    rows.push({ row: row.number, cells: Array.from(cells, (c) => (typeof c === 'number' && !Number.isFinite(c) ? null : (c ?? null))) });
  });
  return { rows, sheetName: ws.name };
}

describe('the worksheet reader', () => {
  it('reads every fixture workbook cell for cell as exceljs does (text, numbers, dates, booleans, formulas)', async () => {
    expect(files.length).toBeGreaterThan(5);
    let compared = 0;
    for (const file of files) {
      const ref = await reference(file);
      const got = await ours(file);
      if (ref === null) {
        // Unreadable, or a workbook without a worksheet (the probe says so in Chinese).
        if (!(got instanceof AppError)) expect(got.ctx.sheetName, path.basename(file)).toBeNull();
        continue;
      }
      if (got instanceof AppError) throw new Error(`${path.basename(file)}: ${got.message}`);
      expect(got.ctx.sheetName, path.basename(file)).toBe(ref.sheetName);
      // exceljs leaves out rows with no values; blank rows carry no data for anyone.
      const filled = got.rows.filter((r) => r.cells.some((c) => c !== null));
      expect(filled, path.basename(file)).toEqual(ref.rows);
      compared += filled.length;
    }
    expect(compared).toBeGreaterThan(1000);
  }, 120_000);

  it('decodes the XML entities and character references, and nothing else', () => {
    expect(xmlText('a &lt;b&gt; &amp; &quot;c&quot; &apos; &#20013;&#x6587; &unknown;')).toBe('a <b> & "c" \' 中文 &unknown;');
  });

  it('tells date formats from number formats as Excel does', () => {
    for (const f of ['yyyy/m/d', 'yyyy"年"m"月"d"日"', '[$-804]yyyy-mm-dd', 'm/d/yy h:mm', '[h]:mm:ss', 'yyyy-mm-dd;@']) expect(isDateFormatCode(f), f).toBe(true);
    for (const f of ['0.00', '#,##0"元"', '0.00%', '@', 'General', '[Red]#,##0', '0.00_);(0.00)', '"Day"0']) expect(isDateFormatCode(f), f).toBe(false);
  });
});
