/**
 * First look at a head-office list: what the file is, where its header row is, what each column
 * holds, and which field each column probably is. Reads only the top of the file, so probing a
 * 100,000-row list is instant.
 */
import fs from 'node:fs';
import { AppError } from '../../shared/api/envelope';
import { refuseOldExcel, sniffFile } from '../files/file-kind';
import { detectDelimiter, detectEncoding, decoderLabel, looksLikeHtml, readCsvRecords, type CsvEncoding } from './csv';
import { headerSignature, isKnownHeader, recognizeTwoRowHeader, suggestMapping } from './headers';
import { cellToText, displayText, isBlankCell, shorten, visibleText } from './text';
import type { ColumnProbe, ImportField, RawCell, SheetProbe } from './types';
import { corruptWorkbook, hasZipEnd, readXlsxRows, unreadable, type SheetRow, type XlsxContext } from './xlsx-stream';

/** The header must be within this many rows from the top; samples come from the same rows. */
export const PROBE_ROWS = 60;
const SAMPLES_PER_COLUMN = 3;
const SAMPLE_CHARS = 50;
const HEAD_BYTES = 64 * 1024;

async function readHead(filePath: string, fileName: string): Promise<Buffer> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(filePath, 'r');
  } catch (e) {
    throw unreadable(fileName, e as Error);
  }
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** What a file is, by its bytes: the name may say .xls for a CSV or .xlsx for an encrypted workbook. */
export type FileFormat = { format: 'xlsx' } | { format: 'csv'; encoding: CsvEncoding; delimiter: ',' | '\t' };

export async function detectFormat(filePath: string, fileName: string): Promise<FileFormat> {
  const head = await readHead(filePath, fileName);
  if (head.length === 0) throw new AppError('invalid_input', `文件「${fileName}」是空的（0 字节）`, [{ path: 'file', message: '文件为空' }]);
  // UTF-16 text (Excel's 「Unicode 文本」) is full of zero bytes, which the sniffer reads as binary.
  const utf16 = head.length >= 2 && head[0] === 0xff && head[1] === 0xfe;
  const kind = utf16 ? 'text' : sniffFile(head);
  if (kind === 'xls') refuseOldExcel(fileName);
  if (kind === 'unknown') {
    throw new AppError('invalid_input', `文件「${fileName}」既不是 Excel 工作簿（.xlsx），也不是 CSV 文本文件，无法导入`, [
      { path: 'file', message: '文件格式无法识别' },
    ]);
  }
  if (kind === 'xlsx') {
    if (!(await hasZipEnd(filePath))) throw corruptWorkbook(fileName);
    return { format: 'xlsx' };
  }
  const encoding = detectEncoding(head);
  const sample = new TextDecoder(decoderLabel(encoding)).decode(head, { stream: true });
  if (looksLikeHtml(sample)) {
    throw new AppError(
      'invalid_input',
      `文件「${fileName}」实际是网页（HTML）格式的表格，不是真正的 Excel 文件。请用 Excel 打开它，“另存为” .xlsx 后再导入`,
      [{ path: 'file', message: '请另存为 .xlsx' }],
    );
  }
  return { format: 'csv', encoding, delimiter: detectDelimiter(sample) };
}

const LONG_DIGITS = /\d{6,}/;

/** A row that could be a header: only short text, no dates, numbers or long digit runs (data). */
function headerLike(cells: readonly RawCell[]): boolean {
  return cells.every((c) => c === null || c === undefined || (typeof c === 'string' && !LONG_DIGITS.test(c) && c.length <= 60));
}

export function headerText(cell: RawCell | undefined): string {
  return typeof cell === 'string' ? displayText(cell) : cellToText(cell);
}

function knownCount(cells: readonly RawCell[]): number {
  return cells.filter((c) => isKnownHeader(headerText(c))).length;
}

const nonEmpty = (cells: readonly RawCell[]): number => cells.filter((c) => !isBlankCell(c)).length;

export interface HeaderLayout {
  /** The lower (or only) header row. */
  headerRow: number;
  headerRowCount: 1 | 2;
  headers: string[];
  recognized: (ImportField | null)[];
}

/** Joins a two-row header: a group cell spans the sub-columns to its right until the next group. */
export function combineHeaderRows(top: readonly RawCell[], sub: readonly RawCell[]): { headers: string[]; recognized: (ImportField | null)[] } {
  const width = Math.max(top.length, sub.length);
  const headers: string[] = [];
  const recognized: (ImportField | null)[] = [];
  let group = '';
  for (let i = 0; i < width; i++) {
    const t = headerText(top[i]);
    const s = headerText(sub[i]);
    if (t !== '') group = s === '' ? '' : t; // a cell merged down spans no sub-columns
    const g = t !== '' ? t : group;
    if (s === '' || g === s) {
      headers.push(g);
      recognized.push(recognizeTwoRowHeader(g, ''));
    } else if (g === '') {
      headers.push(s);
      recognized.push(recognizeTwoRowHeader('', s));
    } else {
      headers.push(`${g}/${s}`);
      recognized.push(recognizeTwoRowHeader(g, s));
    }
  }
  return { headers, recognized };
}

function isSubHeaderRow(top: readonly RawCell[], sub: readonly RawCell[]): boolean {
  if (!headerLike(sub) || nonEmpty(sub) === 0) return false;
  for (let i = 0; i < sub.length; i++) {
    if (isBlankCell(sub[i])) continue;
    if (isBlankCell(top[i])) return true; // under a group cell merged across
    if (isKnownHeader(headerText(sub[i]))) return true;
  }
  return false;
}

function isGroupRowAbove(above: readonly RawCell[], header: readonly RawCell[]): boolean {
  if (!headerLike(above) || nonEmpty(above) < 2) return false;
  if (above.some((c) => /[:：]$/.test(headerText(c)))) return false; // 「制表单位：」 label/value lines
  for (let j = 0; j + 1 < header.length; j++) {
    if (!isBlankCell(above[j]) && isBlankCell(above[j + 1]) && !isBlankCell(header[j]) && !isBlankCell(header[j + 1])) return true;
  }
  return false;
}

/**
 * Finds the header: the first row where at least two cells are known column names (title rows
 * such as 「2026年11月不成功件清单」 and blank rows above it are skipped), or failing that the first
 * row with one. A group row merged above it, or a sub-header row below it, makes a two-row header.
 */
export function locateHeader(rows: readonly SheetRow[], where: string): HeaderLayout {
  const candidates = rows.filter((r) => headerLike(r.cells) && nonEmpty(r.cells) > 0);
  const found = candidates.find((r) => knownCount(r.cells) >= 2) ?? candidates.find((r) => knownCount(r.cells) >= 1);
  if (!found) {
    throw new AppError(
      'invalid_input',
      `${where}的前 ${PROBE_ROWS} 行中找不到表头：没有一个单元格是可识别的列名（如「保单号」「投保人」「联系电话」）。请确认选对了文件，且表头在前 ${PROBE_ROWS} 行内`,
      [{ path: 'file', message: '找不到表头' }],
    );
  }
  const below = rows.find((r) => r.row === found.row + 1);
  if (below && isSubHeaderRow(found.cells, below.cells)) {
    return { headerRow: below.row, headerRowCount: 2, ...combineHeaderRows(found.cells, below.cells) };
  }
  const above = rows.find((r) => r.row === found.row - 1);
  if (above && isGroupRowAbove(above.cells, found.cells)) {
    return { headerRow: found.row, headerRowCount: 2, ...combineHeaderRows(above.cells, found.cells) };
  }
  const headers = found.cells.map(headerText);
  return { headerRow: found.row, headerRowCount: 1, headers, recognized: headers.map((h) => recognizeTwoRowHeader(h, '')) };
}

/** 文件「x」的工作表「Sheet1」 / 文件「x.csv」: how messages name where the problem is. */
export function describeWhere(fileName: string, sheetName: string | null): string {
  return sheetName === null ? `文件「${fileName}」` : `文件「${fileName}」的工作表「${sheetName}」`;
}

/** The top rows of the file (up to `maxRow`), with what was learnt about it on the way. */
export async function readTopRows(
  filePath: string,
  fileName: string,
  fmt: FileFormat,
  maxRow: number,
): Promise<{ rows: SheetRow[]; sheetName: string | null; date1904: boolean }> {
  const rows: SheetRow[] = [];
  if (fmt.format === 'xlsx') {
    const ctx: XlsxContext = { sheetName: null, date1904: false, sheetCount: null };
    for await (const r of readXlsxRows(filePath, fileName, ctx, { maxRow })) rows.push(r);
    if (ctx.sheetName === null) {
      throw new AppError('invalid_input', `文件「${fileName}」中没有工作表`, [{ path: 'file', message: '没有工作表' }]);
    }
    return { rows, sheetName: ctx.sheetName, date1904: ctx.date1904 };
  }
  for await (const r of readCsvRecords(filePath, { encoding: fmt.encoding, delimiter: fmt.delimiter, maxRow })) rows.push(r);
  return { rows, sheetName: null, date1904: false };
}

export async function probeFile(filePath: string, fileName: string): Promise<SheetProbe> {
  const fmt = await detectFormat(filePath, fileName);
  const { rows, sheetName } = await readTopRows(filePath, fileName, fmt, PROBE_ROWS);
  const where = describeWhere(fileName, sheetName);
  if (!rows.some((r) => nonEmpty(r.cells) > 0)) {
    throw new AppError('invalid_input', `${where}是空的，没有任何内容`, [{ path: 'file', message: '没有内容' }]);
  }
  let layout: HeaderLayout;
  try {
    layout = locateHeader(rows, where);
  } catch (e) {
    // Text in an encoding other than UTF-8 or GB18030 (Big5, Shift_JIS) decodes as GB18030 into
    // garbage, so no header is found; the encoding is the likelier cause and the message says so.
    if (e instanceof AppError && fmt.format === 'csv' && fmt.encoding === 'gb18030') {
      throw new AppError('invalid_input', `${e.message}。如果文件是繁体（Big5）、日文（Shift_JIS）等其他编码，读出来会是乱码：请在 Excel 中另存为「CSV UTF-8（逗号分隔）」后再导入`, e.issues);
    }
    throw e;
  }

  const dataRows = rows.filter((r) => r.row > layout.headerRow && nonEmpty(r.cells) > 0);
  let width = layout.headers.length;
  for (const r of dataRows) width = Math.max(width, r.cells.length);
  const columns: ColumnProbe[] = [];
  for (let i = 0; i < width; i++) {
    const samples: string[] = [];
    for (const r of dataRows) {
      if (samples.length >= SAMPLES_PER_COLUMN) break;
      const c = r.cells[i];
      const t = typeof c === 'string' ? visibleText(c) : cellToText(c);
      if (t !== '') samples.push(shorten(t, SAMPLE_CHARS));
    }
    columns.push({ index: i, header: layout.headers[i] ?? '', samples });
  }
  // Trailing columns with neither a header nor data (formatting only) are not columns.
  while (columns.length > 0 && columns[columns.length - 1]?.header === '' && columns[columns.length - 1]?.samples.length === 0) columns.pop();

  const headers = columns.map((c) => c.header);
  return {
    fileName,
    format: fmt.format,
    encoding: fmt.format === 'csv' ? fmt.encoding : null,
    delimiter: fmt.format === 'csv' ? fmt.delimiter : null,
    sheetName,
    headerRow: layout.headerRow,
    headerRowCount: layout.headerRowCount,
    columns,
    suggested: suggestMapping(layout.recognized.slice(0, columns.length)),
    headerSignature: headerSignature(headers),
  };
}
