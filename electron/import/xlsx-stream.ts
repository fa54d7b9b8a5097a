/**
 * Streams the rows of the first worksheet of an .xlsx straight from its XML: the zip's parts are
 * inflated as they are read (zip-entries.ts) and each `<row>` is cut out of the text as soon as
 * it is complete, so a 100,000-row list never sits in memory whole. This replaced exceljs's
 * streaming reader here, which built an object per cell and a style per cell and took three to
 * four times as long as everything else the import does together. Reports bytes read from the
 * file and stops at once when the import is cancelled.
 */
import fs from 'node:fs';
import { AppError } from '../../shared/api/envelope';
import { cancelledError } from './csv';
import type { RawCell } from './types';
import { readZipDirectory, streamEntry, ZipError, type ZipEntry } from './zip-entries';

export { hasZipEnd } from './zip-entries';

export interface SheetRow {
  /** 1-based row number as the spreadsheet shows it. */
  row: number;
  cells: RawCell[];
}

/** Filled in as the workbook is read: which sheet the rows come from and its date system. */
export interface XlsxContext {
  sheetName: string | null;
  date1904: boolean;
  /** How many worksheets the workbook has (from workbook.xml), or null when that part was never seen. */
  sheetCount: number | null;
}

export interface XlsxReadOptions {
  /** Stop after this row number (the probe reads only the top of the sheet). */
  maxRow?: number;
  onBytes?: (bytesRead: number) => void;
  signal?: AbortSignal;
}

/** The most a worksheet's XML may inflate to: 200,000 rows × 30 columns is about 250 MB. */
const MAX_SHEET_XML = 1024 * 1024 * 1024;
/** Shared strings, styles and the workbook part are held whole, so they get a tighter cap. */
const MAX_HELD_PART = 256 * 1024 * 1024;
const MAX_COLUMNS = 16_384;
const MAX_ROWS = 1_048_576;

export function corruptWorkbook(fileName: string): AppError {
  return new AppError('invalid_input', `文件「${fileName}」不是有效的 .xlsx 工作簿（可能已损坏或没有传完整），请在 Excel 中打开确认后重新保存再导入`, [
    { path: 'file', message: '工作簿已损坏' },
  ]);
}

function refused(fileName: string, why: string): AppError {
  return new AppError('invalid_input', `文件「${fileName}」无法导入：${why}`, [{ path: 'file', message: why }]);
}

function fromZipError(fileName: string, e: ZipError): AppError {
  switch (e.reason) {
    case 'encrypted':
      return refused(fileName, '工作簿设置了密码（已加密），请在 Excel 中取消密码后另存再导入');
    case 'too_large':
      return refused(fileName, '工作簿解压后的内容过大（超过 1 GB，或与文件声明的大小不符），可能是损坏或恶意的文件');
    default:
      return corruptWorkbook(fileName);
  }
}

export function unreadable(fileName: string, e: Error): AppError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? '文件不存在或已被移走' : code === 'EACCES' || code === 'EPERM' ? '没有读取权限' : code === 'EBUSY' ? '文件正被其他程序占用' : '读取出错';
  return new AppError('invalid_input', `无法读取文件「${fileName}」：${why}`, [{ path: 'file', message: why }]);
}

// ---------------------------------------------------------------------------------------------
// XML text

const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five XML entities and character references; anything else is left as written (no DTDs). */
export function xmlText(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (m, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return NAMED[name] ?? m;
    const cp = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16);
    return Number.isInteger(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

/** Text runs `<t>` of a string item or inline string, leaving out phonetic guides (`<rPh>`). */
function runsText(xml: string): string {
  const body = xml.includes('rPh') ? xml.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '') : xml;
  let out = '';
  const t = /<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g;
  for (let m = t.exec(body); m; m = t.exec(body)) out += m[1];
  return xmlText(out);
}

const ATTRS = new Map<string, RegExp>();
function attr(attrs: string, name: string): string | undefined {
  let re = ATTRS.get(name);
  if (!re) ATTRS.set(name, (re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)));
  const m = re.exec(attrs);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Refuses DTDs: an entity declaration is how "billion laughs" and external-entity attacks start. */
function assertNoDoctype(head: string, fileName: string): void {
  if (/<!DOCTYPE|<!ENTITY/i.test(head)) throw refused(fileName, '工作簿中含有不允许的 DTD/实体声明，可能是恶意构造的文件');
}

async function readWholePart(filePath: string, entry: ZipEntry, fileName: string): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  for await (const chunk of streamEntry(filePath, entry, { maxBytes: MAX_HELD_PART })) text += decoder.decode(chunk, { stream: true });
  text += decoder.decode();
  assertNoDoctype(text.slice(0, 4096), fileName);
  return text;
}

// ---------------------------------------------------------------------------------------------
// Workbook parts

/** Built-in number formats that show a date or time (Excel's list, with the CJK ones 27–36 and 50–58). */
function isBuiltinDateFormat(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/** A custom format shows a date when, outside quoted text, escapes and [colour] sections, it has y/m/d/h/s. */
export function isDateFormatCode(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?:h+|m+|s+)\]/gi, 'h')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/_.|\*./g, '');
  // Only the first section (positive numbers) decides, as Excel does for the cell's type.
  const first = bare.split(';')[0] ?? '';
  return /[ymdhs]/i.test(first) && !/^(general|@)$/i.test(first.trim());
}

/** Which cell styles (by index) are date formats. */
function dateStyles(stylesXml: string): boolean[] {
  const custom = new Map<number, string>();
  const numFmt = /<(?:\w+:)?numFmt\b([^>]*)\/?>/g;
  for (let m = numFmt.exec(stylesXml); m; m = numFmt.exec(stylesXml)) {
    const id = Number(attr(m[1] ?? '', 'numFmtId'));
    const code = attr(m[1] ?? '', 'formatCode');
    if (Number.isInteger(id) && code !== undefined) custom.set(id, xmlText(code));
  }
  const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(stylesXml)?.[1] ?? '';
  const out: boolean[] = [];
  const xf = /<(?:\w+:)?xf\b([^>]*)>/g;
  for (let m = xf.exec(xfs); m; m = xf.exec(xfs)) {
    const id = Number(attr(m[1] ?? '', 'numFmtId') ?? 0);
    const code = custom.get(id);
    out.push(code !== undefined ? isDateFormatCode(code) : isBuiltinDateFormat(id));
  }
  return out;
}

function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  const si = /<(?:\w+:)?si\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?si>)/g;
  for (let m = si.exec(xml); m; m = si.exec(xml)) out.push(m[1] === undefined ? '' : runsText(m[1]));
  return out;
}

/** Resolves a relationship target (relative to xl/) to the zip entry name. */
function partName(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = `xl/${target}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

// ---------------------------------------------------------------------------------------------
// Cells and rows

const MS_PER_DAY = 86_400_000;
const SERIAL_OF_1970 = 25_569;

/** A serial day number in a date-formatted cell; one beyond 2199 is no real day (Excel shows ####) and stays a number. */
function serialToCell(serial: number, date1904: boolean): RawCell {
  const ms = Math.round((serial - SERIAL_OF_1970 + (date1904 ? 1462 : 0)) * MS_PER_DAY);
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (Number.isNaN(year)) return null;
  if (year > 2199) return Math.round(serial * 1e6) / 1e6;
  return d;
}

/** "AB12" → 27 (0-based column index of AB), or -1 when there is no column reference. */
function columnOf(ref: string): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return i === 0 ? -1 : col - 1;
}

interface SheetParts {
  strings: string[];
  dates: boolean[];
  date1904: boolean;
}

const CELL = /<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g;
const VALUE = /<(?:\w+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?v>/;

/**
 * One cell as a plain value: text, number, boolean, or a Date for a date-formatted number.
 * Formulas give their cached result; a formula never calculated, or an error value, is empty.
 */
function cellValue(attrs: string, inner: string | undefined, parts: SheetParts): RawCell {
  if (inner === undefined) return null;
  const t = attr(attrs, 't');
  if (t === 'inlineStr') return runsText(inner);
  const v = VALUE.exec(inner)?.[1];
  if (v === undefined) return null;
  switch (t) {
    case 's':
      return parts.strings[Number(v)] ?? null;
    case 'str':
      return xmlText(v);
    case 'b':
      return v.trim() === '1' || v.trim() === 'true';
    case 'e':
      return null;
    case 'd': {
      const d = new Date(xmlText(v).trim());
      return Number.isNaN(d.getTime()) ? null : d;
    }
    default: {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) return null;
      const s = attr(attrs, 's');
      if (s !== undefined && parts.dates[Number(s)] === true) return serialToCell(n, parts.date1904);
      return n;
    }
  }
}

function parseRow(rowAttrs: string, inner: string | undefined, previous: number, parts: SheetParts, fileName: string): SheetRow {
  const r = attr(rowAttrs, 'r');
  const row = r !== undefined ? Number(r) : previous + 1;
  if (!Number.isInteger(row) || row < 1 || row > MAX_ROWS) throw corruptWorkbook(fileName);
  const cells: RawCell[] = [];
  if (inner !== undefined) {
    let next = 0;
    CELL.lastIndex = 0;
    for (let m = CELL.exec(inner); m; m = CELL.exec(inner)) {
      const cellAttrs = m[1] ?? '';
      const ref = attr(cellAttrs, 'r');
      const col = ref !== undefined ? columnOf(ref) : next;
      if (col < 0 || col >= MAX_COLUMNS) throw corruptWorkbook(fileName);
      next = col + 1;
      const value = cellValue(cellAttrs, m[2], parts);
      if (value !== null) {
        while (cells.length < col) cells.push(null);
        cells[col] = value;
      }
    }
  }
  return { row, cells };
}

/**
 * The rows of the first worksheet (in tab order), each with its cells as plain values: text,
 * numbers, booleans, and Dates for date-formatted cells.
 */
export async function* readXlsxRows(filePath: string, fileName: string, ctx: XlsxContext, opts: XlsxReadOptions = {}): AsyncGenerator<SheetRow> {
  const { signal } = opts;
  if (signal?.aborted) throw cancelledError();
  try {
    await fs.promises.access(filePath, fs.constants.R_OK);
  } catch (e) {
    throw unreadable(fileName, e as Error);
  }
  try {
    const entries = await readZipDirectory(filePath);
    const workbookEntry = entries.get('xl/workbook.xml');
    if (!workbookEntry) throw corruptWorkbook(fileName);
    const workbook = await readWholePart(filePath, workbookEntry, fileName);
    const pr = /<(?:\w+:)?workbookPr\b([^>]*)>/.exec(workbook)?.[1] ?? '';
    const d1904 = attr(pr, 'date1904');
    ctx.date1904 = d1904 === '1' || d1904 === 'true';
    const sheets = [...workbook.matchAll(/<(?:\w+:)?sheet\b([^>]*?)\/?>/g)].map((m) => m[1] ?? '');
    ctx.sheetCount = sheets.length;
    const first = sheets[0];
    if (first === undefined) return;
    const relId = attr(first, 'r:id') ?? /\s[\w]+:id\s*=\s*"([^"]*)"/.exec(first)?.[1];
    const relsEntry = entries.get('xl/_rels/workbook.xml.rels');
    const rels = relsEntry ? await readWholePart(filePath, relsEntry, fileName) : '';
    let target: string | undefined;
    for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b([^>]*?)\/?>/g)) {
      if (attr(m[1] ?? '', 'Id') === relId) target = attr(m[1] ?? '', 'Target');
    }
    const sheetEntry = target !== undefined ? entries.get(partName(xmlText(target))) : undefined;
    if (!sheetEntry) throw corruptWorkbook(fileName);
    ctx.sheetName = xmlText(attr(first, 'name') ?? '');

    const stringsEntry = entries.get('xl/sharedStrings.xml');
    const stylesEntry = entries.get('xl/styles.xml');
    const parts: SheetParts = {
      strings: stringsEntry ? sharedStrings(await readWholePart(filePath, stringsEntry, fileName)) : [],
      dates: stylesEntry ? dateStyles(await readWholePart(filePath, stylesEntry, fileName)) : [],
      date1904: ctx.date1904,
    };

    // Progress counts the compressed bytes of the sheet, placed as if the other parts were read first.
    const before = sheetEntry.localHeaderOffset;
    const decoder = new TextDecoder('utf-8');
    const ROW = /<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g;
    let previous = 0;
    /** The rows complete in the text so far, and how much of it they used (an unfinished row waits for more). */
    const completeRows = (text: string): { rows: SheetRow[]; consumed: number } => {
      const rows: SheetRow[] = [];
      ROW.lastIndex = 0;
      let consumed = 0;
      for (let m = ROW.exec(text); m; m = ROW.exec(text)) {
        const row = parseRow(m[1] ?? '', m[2], previous, parts, fileName);
        previous = row.row;
        consumed = ROW.lastIndex;
        rows.push(row);
      }
      return { rows, consumed };
    };
    let buffer = '';
    let checkedHead = false;
    for await (const chunk of streamEntry(filePath, sheetEntry, { maxBytes: MAX_SHEET_XML, onBytes: (n) => opts.onBytes?.(before + n) })) {
      if (signal?.aborted) throw cancelledError();
      buffer += decoder.decode(chunk, { stream: true });
      if (!checkedHead) {
        if (buffer.length < 4096 && chunk.length > 0) continue;
        assertNoDoctype(buffer.slice(0, 4096), fileName);
        checkedHead = true;
      }
      const { rows, consumed } = completeRows(buffer);
      for (const row of rows) {
        if (opts.maxRow !== undefined && row.row > opts.maxRow) return;
        yield row;
        if (signal?.aborted) throw cancelledError();
      }
      buffer = consumed > 0 ? buffer.slice(consumed) : buffer;
      // A row never completes past </sheetData>: the rest of the part is not needed.
      if (buffer.includes('</sheetData>') || /<(?:\w+:)?sheetData\s*\/>/.test(buffer)) break;
    }
    buffer += decoder.decode();
    if (!checkedHead) assertNoDoctype(buffer.slice(0, 4096), fileName);
    for (const row of completeRows(buffer).rows) {
      if (opts.maxRow !== undefined && row.row > opts.maxRow) return;
      yield row;
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (e instanceof ZipError) throw fromZipError(fileName, e);
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('E')) throw unreadable(fileName, e as Error);
    throw corruptWorkbook(fileName);
  }
}
