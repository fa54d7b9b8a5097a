/**
 * Streams the data rows of a probed head-office list as normalised task rows. Blank rows, totals
 * and repeated header rows are left out; duplicates within the file are caught here, where the
 * whole file passes by. Progress is reported in bytes read; an aborted signal stops it at once.
 */
import fs from 'node:fs';
import { AppError, type FieldIssue } from '../../shared/api/envelope';
import { cancelledError, readCsvRecords } from './csv';
import { headerSignature, IMPORT_FIELD_LABELS } from './headers';
import { normalizeRow } from './normalize';
import { combineHeaderRows, describeWhere, headerText } from './probe';
import { cellToText, isBlankCell } from './text';
import { ROW_FIELDS, type ColumnMapping, type ImportField, type NormalizedRow, type RawCell, type ReadOptions, type RowResult, type SheetProbe } from './types';
import { readXlsxRows, unreadable, type SheetRow, type XlsxContext } from './xlsx-stream';

const REQUIRED: readonly ImportField[] = ['policyNo', 'applicantName'];
/**
 * The most data rows one list may carry. Head office's largest lists are about 100,000 rows; a
 * sheet filled to Excel's 1,048,576 rows is a mistake or an attack, and would hold the preview's
 * rows in memory for nothing.
 */
export const MAX_IMPORT_ROWS = 200_000;

/** Problems with a mapping before any row is read: a required field without a column, a column used twice. */
export function mappingIssues(mapping: ColumnMapping, columnCount: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const f of REQUIRED) {
    if (mapping[f] === undefined) issues.push({ path: `mapping.${f}`, message: `请为「${IMPORT_FIELD_LABELS[f]}」选择一列（必填）` });
  }
  const used = new Map<number, ImportField>();
  for (const [f, col] of Object.entries(mapping) as [ImportField, number | undefined][]) {
    if (col === undefined) continue;
    if (!Number.isInteger(col) || col < 0 || col >= columnCount) {
      issues.push({ path: `mapping.${f}`, message: `「${IMPORT_FIELD_LABELS[f]}」对应的列不存在` });
      continue;
    }
    const other = used.get(col);
    if (other) {
      issues.push({ path: `mapping.${f}`, message: `「${IMPORT_FIELD_LABELS[f]}」和「${IMPORT_FIELD_LABELS[other]}」选了同一列` });
    } else used.set(col, f);
  }
  return issues;
}

const TOTAL_WORDS = /^(合计|总计|小计|共计|累计|总数|汇总)/;
const FOOTER_WORDS = /^(制表人|制表日期|制表|打印人|审核人|复核人)[:：]?/;

/**
 * A totals or footer line: its first filled cell says 合计/总计/小计/共计 (or 制表人…), or the
 * policy number's place is empty and everything else in the row is a number (sums under columns).
 */
export function isTotalsRow(cells: readonly RawCell[], mapping: ColumnMapping): boolean {
  const first = cells.find((c) => !isBlankCell(c));
  if (first === undefined) return false;
  const firstText = cellToText(first).replace(/\s+/g, '');
  if (TOTAL_WORDS.test(firstText) || FOOTER_WORDS.test(firstText)) return true;
  const policyCol = mapping.policyNo;
  if (policyCol === undefined || !isBlankCell(cells[policyCol])) return false;
  const filled = cells.filter((c) => !isBlankCell(c));
  return filled.every((c) => typeof c === 'number' || /^[-+]?[\d,，]+(\.\d+)?(元|万元|件|笔)?$/.test(cellToText(c)));
}

/**
 * The same fields as another row, apart from the row number and warnings' row numbers, as a
 * 53-bit hash: it is held for every row of the file until the end (a 100,000-row list's rows as
 * JSON were tens of megabytes) and only ever compared between rows with the same policy number
 * and kind, so two different rows pass for one with odds of about 1 in 2^53 per such pair. Hashed
 * in place: JSON plus SHA-1 per row was a second of a 100,000-row preview.
 */
function contentKey(v: NormalizedRow): number {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  const mix = (c: number) => {
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  };
  for (const field of ROW_FIELDS) {
    if (field === 'row') continue;
    const x = v[field];
    // A type mark before each value, so null, 12 and '12' differ; it also separates the fields.
    mix(x === null ? 0x10000 : typeof x === 'number' ? 0x10001 : 0x10002);
    if (x === null) continue;
    const text = typeof x === 'string' ? x : String(x);
    for (let i = 0; i < text.length; i++) mix(text.charCodeAt(i));
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/**
 * Reads the rows after the header. Each data row yields either a normalised row or its issues.
 * Throws AppError 'invalid_input' when the mapping lacks a required field or the file changed
 * since it was probed, and AppError 'cancelled' (「导入已取消」) when `options.signal` aborts.
 */
export async function* readRows(filePath: string, fileName: string, probe: SheetProbe, options: ReadOptions): AsyncGenerator<RowResult> {
  const { signal, mapping } = options;
  if (signal?.aborted) throw cancelledError();
  const mapIssues = mappingIssues(mapping, probe.columns.length);
  if (mapIssues.length > 0) {
    throw new AppError('invalid_input', `列的对应关系有误：${mapIssues.map((i) => i.message).join('；')}`, mapIssues);
  }

  let total: number;
  try {
    total = (await fs.promises.stat(filePath)).size;
  } catch (e) {
    throw unreadable(fileName, e as Error);
  }
  let lastReported = -1;
  const progress = (done: number) => {
    // Now and then: every 256 KB is plenty for a progress bar and cheap for IPC.
    if (options.onProgress && (done - lastReported >= 256 * 1024 || done === total)) {
      lastReported = done;
      options.onProgress(done, total);
    }
  };

  const ctx: XlsxContext = { sheetName: null, date1904: false, sheetCount: null };
  const source: AsyncGenerator<SheetRow> =
    probe.format === 'xlsx'
      ? readXlsxRows(filePath, fileName, ctx, { onBytes: progress, signal })
      : readCsvRecords(filePath, { encoding: toCsvEncoding(probe.encoding), delimiter: probe.delimiter ?? ',', onBytes: progress, signal });

  const headers = probe.columns.map((c) => c.header);
  const firstHeaderRow = probe.headerRow - probe.headerRowCount + 1;
  const headerRows: SheetRow[] = [];
  let headerChecked = false;
  const checkHeader = () => {
    headerChecked = true;
    const top = headerRows.find((r) => r.row === firstHeaderRow)?.cells ?? [];
    const bottom = headerRows.find((r) => r.row === probe.headerRow)?.cells ?? [];
    const now = probe.headerRowCount === 2 ? combineHeaderRows(top, bottom).headers : bottom.map(headerText);
    const padded = headers.map((_, i) => now[i] ?? '');
    if (headerSignature(padded) !== probe.headerSignature || now.slice(headers.length).some((h) => h !== '')) {
      throw new AppError('invalid_input', `${describeWhere(fileName, probe.sheetName)}在预览之后被改动过（第 ${probe.headerRow} 行的表头与预览时不同），请重新选择文件`, [
        { path: 'file', message: '文件已改动' },
      ]);
    }
  };

  const squash = (text: string) => text.replace(/\s+/g, '');
  const headerKey = headers.map(squash).join('\u0001');
  // A repeated header row: every cell reads as its column's header. The first labelled column is
  // compared alone first — a data row differs there, and building the whole row's text for every
  // row of a 100,000-row list cost more than a second.
  const firstLabelled = headers.findIndex((h) => squash(h) !== '');
  const firstLabel = firstLabelled >= 0 ? squash(headers[firstLabelled]!) : '';
  const repeatsHeader = (cells: readonly RawCell[]): boolean =>
    (firstLabelled < 0 || squash(cellToText(cells[firstLabelled])) === firstLabel) &&
    headers.map((_, i) => squash(cellToText(cells[i]))).join('\u0001') === headerKey;
  const seen = new Map<string, { row: number; content: number }>();
  const kindLabel = (v: NormalizedRow) => v.source ?? v.kind;

  let dataRows = 0;
  for await (const r of source) {
    if (signal?.aborted) throw cancelledError();
    if (r.row <= probe.headerRow) {
      if (r.row >= firstHeaderRow) headerRows.push(r);
      continue;
    }
    if (!headerChecked) checkHeader();
    if (r.cells.every((c) => isBlankCell(c))) continue;
    // A NUL character is never text a person typed: the file is damaged or not a text file at all.
    const nul = r.cells.findIndex((c) => typeof c === 'string' && c.includes('\u0000'));
    if (nul >= 0) {
      const column = headers[nul] ? `「${headers[nul]}」列` : `第 ${nul + 1} 列`;
      throw new AppError('invalid_input', `${describeWhere(fileName, ctx.sheetName)}第 ${r.row} 行${column}含有空字符（NUL），文件可能已损坏或不是文本文件，请重新导出后再导入`, [
        { path: `rows.${r.row}.${nul}`, message: '含有空字符' },
      ]);
    }
    if (isTotalsRow(r.cells, mapping)) {
      options.onSkip?.(r.row, '合计行或表尾');
      continue;
    }
    if (probe.headerRowCount === 1 && repeatsHeader(r.cells)) {
      options.onSkip?.(r.row, '重复的表头行');
      continue;
    }
    if (++dataRows > MAX_IMPORT_ROWS) {
      throw new AppError(
        'invalid_input',
        `${describeWhere(fileName, ctx.sheetName)}的数据超过 ${MAX_IMPORT_ROWS.toLocaleString('en-US')} 行（第 ${r.row} 行已超出），一次最多导入 ${MAX_IMPORT_ROWS.toLocaleString('en-US')} 行。请按月份或件类型拆分后分别导入。`,
        [{ path: `rows.${r.row}`, message: '行数超过上限' }],
      );
    }
    const result = normalizeRow(r.cells, r.row, mapping, options.defaultKind, headers, { date1904: ctx.date1904 });
    if (result.ok) {
      const v = result.value;
      const key = `${v.policyNo}\u0001${v.kind}\u0001${kindLabel(v)}`;
      const content = contentKey(v);
      const earlier = seen.get(key);
      if (earlier) {
        if (earlier.content === content) {
          options.onSkip?.(r.row, `与第 ${earlier.row} 行完全相同（重复行）`);
          continue;
        }
        yield {
          ok: false,
          row: r.row,
          issues: [
            {
              path: `rows.${r.row}.policyNo`,
              message: `第 ${r.row} 行：保单号 ${v.policyNo} 在第 ${earlier.row} 行已有同类任务，但两行内容不同；请核对后只保留一行`,
            },
          ],
        };
        continue;
      }
      seen.set(key, { row: r.row, content });
    }
    yield result;
  }
  if (!headerChecked) checkHeader();
  if (signal?.aborted) throw cancelledError();
  if (lastReported !== total) options.onProgress?.(total, total);
}

function toCsvEncoding(encoding: string | null): 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le' {
  return encoding === 'utf-8-bom' || encoding === 'gb18030' || encoding === 'utf-16le' ? encoding : 'utf-8';
}
