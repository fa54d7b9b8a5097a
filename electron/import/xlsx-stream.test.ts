import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api/envelope';
import { COMMITTED_DIR, generateImportFixtures } from '../../test/fixtures/generate-import-fixtures.mjs';
import { tempDir } from '../../test/support/temp';
import { writeZip } from '../../test/support/zip-writer';
import { plainCell } from '../files/xlsx-rows';
import type { RawCell } from './types';
import { isDateFormatCode, readXlsxRowBatches, readXlsxRows, xmlText, type SheetRow, type XlsxContext } from './xlsx-stream';

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

/** A workbook with the given sheet XML, stored (not deflated) so the XML is exactly as written. */
async function workbookWith(sheetXml: string, name: string): Promise<string> {
  const parts: [string, string][] = [
    ['xl/workbook.xml', '<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'],
    ['xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'],
    ['xl/styles.xml', '<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'],
    ['xl/sharedStrings.xml', '<sst><si><t>shared</t></si></sst>'],
    ['xl/worksheets/sheet1.xml', sheetXml],
  ];
  const file = path.join(tmp.dir, name);
  await writeZip(file, parts.map(([entry, data]) => ({ name: entry, data, method: 0 })));
  return file;
}

describe('the worksheet reader on hand-written XML', () => {
  it('reads prefixes, odd quoting and spacing, self-closing tags and missing references as before', async () => {
    const file = await workbookWith(
      '<x:worksheet><x:sheetData>' +
        '<x:row r="1"><x:c r="B1" t="s"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:t>in</x:t><x:r><x:t>line</x:t></x:r></x:is></x:c></x:row>' +
        "<row r = '3' ><c\ts='1'  r = \"A3\"><v>45000</v></c><c r=\"C3\"/><c t=\"b\"><v> true </v></c><c r=\"E3\" t=\"str\"><v xml:space=\"preserve\"> a &amp; b </v></c></row>" +
        '<row/><row><c r="A5" t="e"><v>#N/A</v></c><c r="B5"><f>1+1</f><v>2</v></c><c r="C5"><f>1+1</f></c><c r="D5"><v>  </v></c></row>' +
        '<row r="7"><c foo="x r=\'C7\'" r="A7"><v>1</v></c></row>' +
        '</x:sheetData></x:worksheet>',
      'odd.xlsx',
    );
    const got = await ours(file);
    if (got instanceof AppError) throw got;
    expect(got.rows).toEqual([
      { row: 1, cells: [null, 'shared', 'inline'] },
      { row: 3, cells: [new Date(Date.UTC(2023, 2, 15)), null, null, true, ' a & b '] },
      { row: 4, cells: [] },
      { row: 5, cells: [null, 2] },
      // The attribute RegExp finds r="C7" inside foo's value, as it always has.
      { row: 7, cells: [null, null, 1] },
    ]);
  });

  it('gives the same rows one at a time and in batches, across chunks and rows longer than a chunk', async () => {
    const rows: string[] = [];
    const expected: SheetRow[] = [];
    for (let r = 1; r <= 3000; r++) {
      const long = r === 1500 ? 'x'.repeat(300_000) : `文本${r}`;
      // Every third row leaves out r, and so follows the row before it.
      rows.push(`<row${r % 3 === 0 ? '' : ` r="${r}"`}><c r="A${r}"><v>${r}</v></c><c t="str"><v>${long}</v></c><c r="D${r}" s="1"><v>${40_000 + r}</v></c></row>`);
      expected.push({ row: r, cells: [r, long, null, new Date(Date.UTC(1970, 0, 1) + (40_000 + r - 25_569) * 86_400_000)] });
    }
    const file = await workbookWith(`<worksheet><sheetData>${rows.join('')}</sheetData></worksheet>`, 'chunks.xlsx');
    const got = await ours(file);
    if (got instanceof AppError) throw got;
    expect(got.rows).toEqual(expected);
    const batched: SheetRow[] = [];
    let batches = 0;
    for await (const batch of readXlsxRowBatches(file, 'chunks.xlsx', { sheetName: null, date1904: false, sheetCount: null }, { maxRow: 2500 })) {
      batched.push(...batch);
      batches++;
    }
    expect(batched).toEqual(expected.slice(0, 2500));
    expect(batches).toBeGreaterThan(1);
  });
});
