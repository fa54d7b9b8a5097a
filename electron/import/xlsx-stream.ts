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

interface SheetParts {
  strings: string[];
  dates: boolean[];
  date1904: boolean;
}

// The sheet is scanned with indexOf and charCodeAt rather than RegExps: one pass over each tag,
// no substring per attribute, and no second scan of a row's or cell's text. Each step below
// finds exactly what the RegExp it replaces would (noted beside it), and hands anything unusual
// (other quoting, non-ASCII, whitespace inside values, prefixed <v>) to that RegExp, so odd
// files read exactly as before and only the common shape takes the fast path.

const VALUE = /<(?:\w+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?v>/;

/** ASCII characters in RegExp `\s` (tab, newline, vertical tab, form feed, return, space). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** RegExp `\w`; NaN (past the end of the text) is not a word character, as `\b` sees it. */
function isWord(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/**
 * Where `<(?:\w+:)?name\b` matches at `lt` (a '<'), the end of the tag name, else -1. The
 * prefixed reading is tried first, as the RegExp's greedy `?` does.
 */
function tagNameEnd(text: string, lt: number, name: string): number {
  let j = lt + 1;
  while (isWord(text.charCodeAt(j))) j++;
  if (j > lt + 1 && text.charCodeAt(j) === 58 && text.startsWith(name, j + 1) && !isWord(text.charCodeAt(j + 1 + name.length))) return j + 1 + name.length;
  if (text.startsWith(name, lt + 1) && !isWord(text.charCodeAt(lt + 1 + name.length))) return lt + 1 + name.length;
  return -1;
}

/**
 * The first closing tag `</(?:\w+:)?name>` at or after `from` that ends by `end`: where it
 * starts, and its length in closeLength; -1 when there is none. It looks for the name's last
 * letter and '>' ("w>" for a row), which the markup of cells hardly has; looking for "</", or
 * for the "r" of "row" (every cell has r="…"), would stop at every cell.
 */
let closeLength = 0;
function closingTag(text: string, from: number, end: number, name: string): number {
  const needle = `${name.charAt(name.length - 1)}>`;
  const head = name.slice(0, -1);
  for (let q = text.indexOf(needle, from); q >= 0 && q + 2 <= end; q = text.indexOf(needle, q + 1)) {
    const at = q - head.length;
    if (at < from || !text.startsWith(head, at)) continue;
    const before = text.charCodeAt(at - 1);
    if (before === 47 && text.charCodeAt(at - 2) === 60 && at - 2 >= from) {
      closeLength = q + 2 - (at - 2);
      return at - 2;
    }
    if (before === 58) {
      let k = at - 2;
      while (k >= from && isWord(text.charCodeAt(k))) k--;
      if (k < at - 2 && k - 1 >= from && text.charCodeAt(k) === 47 && text.charCodeAt(k - 1) === 60) {
        closeLength = q + 2 - (k - 1);
        return k - 1;
      }
    }
  }
  return -1;
}

// Value spans found by scanAttrs: the first r, t and s attributes, -1 when absent.
let rAt = -1;
let rEnd = -1;
let tAt = -1;
let tEnd = -1;
let sAt = -1;
let sEnd = -1;

/**
 * Reads the r, t and s attributes of a tag in one pass. Returns false unless the text is plain
 * ASCII ` name="value"` pairs with no whitespace in a value; for those attr()'s RegExp finds
 * the same first r, t and s, while for the rest it could also match inside a value, so the
 * caller falls back to it.
 */
function scanAttrs(text: string, i: number, end: number): boolean {
  rAt = tAt = sAt = -1;
  while (i < end) {
    let c = text.charCodeAt(i);
    if (!isSpace(c)) return false;
    while (++i < end && isSpace((c = text.charCodeAt(i))));
    if (i === end) return true;
    const nameAt = i;
    while (c !== 61 && !isSpace(c)) {
      if (c <= 32 || c > 126 || c === 34 || c === 39) return false;
      if (++i === end) return false;
      c = text.charCodeAt(i);
    }
    const nameEnd = i;
    while (isSpace(c) && ++i < end) c = text.charCodeAt(i);
    if (c !== 61 || i === end || nameEnd === nameAt) return false;
    while (++i < end && isSpace((c = text.charCodeAt(i))));
    if (i === end || (c !== 34 && c !== 39)) return false;
    const quote = c;
    const valueAt = i + 1;
    for (;;) {
      if (++i === end) return false;
      c = text.charCodeAt(i);
      if (c === quote) break;
      if (c <= 32 || c > 126) return false;
    }
    i++;
    if (nameEnd - nameAt === 1) {
      const n = text.charCodeAt(nameAt);
      if (n === 114 && rAt < 0) {
        rAt = valueAt;
        rEnd = i - 1;
      } else if (n === 116 && tAt < 0) {
        tAt = valueAt;
        tEnd = i - 1;
      } else if (n === 115 && sAt < 0) {
        sAt = valueAt;
        sEnd = i - 1;
      }
    }
  }
  return true;
}

/** Number(text.slice(at, end)), without the substring when it is a plain run of digits. */
function numberAt(text: string, at: number, end: number): number {
  if (end > at && end - at <= 15) {
    let n = 0;
    let i = at;
    for (; i < end; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i === end) return n;
  }
  return Number(text.slice(at, end));
}

/** "AB12" → 27 (0-based column index of AB), or -1 when there is no column reference. */
function columnAt(text: string, at: number, end: number): number {
  let col = 0;
  let i = at;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return i === at ? -1 : col - 1;
}

// A cell's t attribute as a number, so the common cells need no substring for it.
const T_NUMBER = 0; // no t, "n", or any other value
const T_SHARED = 1; // "s"
const T_STR = 2; // "str"
const T_BOOL = 3; // "b"
const T_ERROR = 4; // "e"
const T_DATE = 5; // "d"
const T_INLINE = 6; // "inlineStr"

function typeCode(t: string | undefined): number {
  switch (t) {
    case 's':
      return T_SHARED;
    case 'str':
      return T_STR;
    case 'b':
      return T_BOOL;
    case 'e':
      return T_ERROR;
    case 'd':
      return T_DATE;
    case 'inlineStr':
      return T_INLINE;
    default:
      return T_NUMBER;
  }
}

/** typeCode(text.slice(at, end)) without the substring. */
function typeCodeAt(text: string, at: number, end: number): number {
  const n = end - at;
  if (n === 1) return typeCode(text.charAt(at));
  if (n === 3) return text.startsWith('str', at) ? T_STR : T_NUMBER;
  if (n === 9) return text.startsWith('inlineStr', at) ? T_INLINE : T_NUMBER;
  return T_NUMBER;
}

// The current cell's t and s attributes, from scanAttrs or, for odd ones, from attr().
let cellType = T_NUMBER;
/** The s attribute's value span, or for odd attributes its text in cellStyleText. */
let cellStyleAt = -1;
let cellStyleEnd = -1;
let cellStyleText: string | undefined;

/** Whether text[at] starts `</v>`. */
function isValueClose(text: string, at: number): boolean {
  return text.charCodeAt(at) === 60 && text.charCodeAt(at + 1) === 47 && text.charCodeAt(at + 2) === 118 && text.charCodeAt(at + 3) === 62;
}

/** Whether text[at] starts `</c>`. */
function isCellClose(text: string, at: number): boolean {
  return text.charCodeAt(at) === 60 && text.charCodeAt(at + 1) === 47 && text.charCodeAt(at + 2) === 99 && text.charCodeAt(at + 3) === 62;
}

/**
 * A cell's value, src[at, end), as a plain value by the cell's type: text, number, boolean, or
 * a Date for a date-formatted number. An error value is empty. (text is the sheet's text, where
 * the s attribute's span points.)
 */
function typedValue(src: string, at: number, end: number, text: string, parts: SheetParts): RawCell {
  switch (cellType) {
    case T_SHARED:
      return parts.strings[numberAt(src, at, end)] ?? null;
    case T_STR:
      return xmlText(src.slice(at, end));
    case T_BOOL: {
      const b = src.slice(at, end).trim();
      return b === '1' || b === 'true';
    }
    case T_ERROR:
      return null;
    case T_DATE: {
      const d = new Date(xmlText(src.slice(at, end)).trim());
      return Number.isNaN(d.getTime()) ? null : d;
    }
    default: {
      const n = numberAt(src, at, end);
      // Number() reads a blank value as 0; only then can the text be blank.
      if (!Number.isFinite(n) || (n === 0 && src.slice(at, end).trim() === '')) return null;
      const s = cellStyleText !== undefined ? Number(cellStyleText) : cellStyleAt >= 0 ? numberAt(text, cellStyleAt, cellStyleEnd) : undefined;
      if (s !== undefined && parts.dates[s] === true) return serialToCell(n, parts.date1904);
      return n;
    }
  }
}

/**
 * One cell, its content text[at, end), as a plain value. Formulas give their cached result; a
 * formula never calculated is empty.
 */
function cellValue(text: string, at: number, end: number, parts: SheetParts): RawCell {
  if (cellType === T_INLINE) return runsText(text.slice(at, end));
  // VALUE's match when the content opens with a bare <v> and the next tag closes it.
  const lt = text.startsWith('<v>', at) ? text.indexOf('<', at + 3) : -1;
  if (lt >= 0 && lt + 4 <= end && isValueClose(text, lt)) return typedValue(text, at + 3, lt, text, parts);
  const v = VALUE.exec(text.slice(at, end))?.[1];
  return v === undefined ? null : typedValue(v, 0, v.length, text, parts);
}

/**
 * The row whose start tag's attributes are text[attrsAt, attrsEnd) and whose content is
 * text[at, end) (at < 0 for a self-closing row). Cells are found as
 * /<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g over the content would find them.
 */
function parseRow(text: string, attrsAt: number, attrsEnd: number, at: number, end: number, previous: number, parts: SheetParts, fileName: string): SheetRow {
  let row: number;
  if (scanAttrs(text, attrsAt, attrsEnd)) row = rAt >= 0 ? numberAt(text, rAt, rEnd) : previous + 1;
  else {
    const r = attr(text.slice(attrsAt, attrsEnd), 'r');
    row = r !== undefined ? Number(r) : previous + 1;
  }
  if (!Number.isInteger(row) || row < 1 || row > MAX_ROWS) throw corruptWorkbook(fileName);
  const cells: RawCell[] = [];
  if (at < 0) return { row, cells };
  let next = 0;
  // Once one cell finds no closing tag, no later one will either: only self-closing cells remain.
  let unclosed = false;
  for (let p = at; ; ) {
    const lt = text.indexOf('<', p);
    if (lt < 0 || lt >= end) break;
    const nameEnd = tagNameEnd(text, lt, 'c');
    if (nameEnd < 0) {
      p = lt + 1;
      continue;
    }
    const gt = text.indexOf('>', nameEnd);
    // Every later cell needs a '>' too.
    if (gt < 0 || gt >= end) break;
    const selfClosing = gt > nameEnd && text.charCodeAt(gt - 1) === 47;
    let close = -1;
    let closeEnd = -1;
    // The usual cell, <c ...><v>…</v></c>: the value and the cell's end are found together.
    let valueEnd = -1;
    if (!selfClosing) {
      if (text.charCodeAt(gt + 1) === 60 && text.charCodeAt(gt + 2) === 118 && text.charCodeAt(gt + 3) === 62) {
        const vClose = text.indexOf('<', gt + 4);
        if (vClose >= 0 && vClose + 8 <= end && isValueClose(text, vClose) && isCellClose(text, vClose + 4)) {
          valueEnd = vClose;
          close = vClose + 4;
          closeEnd = vClose + 8;
        }
      }
      if (close < 0 && !unclosed) {
        close = closingTag(text, gt + 1, end, 'c');
        closeEnd = close + closeLength;
      }
      if (close < 0) {
        // As the RegExp does: no match here, try from the next character.
        unclosed = true;
        p = lt + 1;
        continue;
      }
    }
    const attrsEndAt = selfClosing ? gt - 1 : gt;
    let col: number;
    if (scanAttrs(text, nameEnd, attrsEndAt)) {
      col = rAt >= 0 ? columnAt(text, rAt, rEnd) : next;
      cellType = tAt >= 0 ? typeCodeAt(text, tAt, tEnd) : T_NUMBER;
      cellStyleAt = sAt;
      cellStyleEnd = sEnd;
      cellStyleText = undefined;
    } else {
      const cellAttrs = text.slice(nameEnd, attrsEndAt);
      const ref = attr(cellAttrs, 'r');
      col = ref !== undefined ? columnAt(ref, 0, ref.length) : next;
      cellType = typeCode(attr(cellAttrs, 't'));
      cellStyleAt = -1;
      cellStyleText = attr(cellAttrs, 's');
    }
    if (col < 0 || col >= MAX_COLUMNS) throw corruptWorkbook(fileName);
    next = col + 1;
    if (selfClosing) {
      p = gt + 1;
      continue;
    }
    p = closeEnd;
    const value = valueEnd >= 0 && cellType !== T_INLINE ? typedValue(text, gt + 4, valueEnd, text, parts) : cellValue(text, gt + 1, close, parts);
    if (value !== null) {
      while (cells.length < col) cells.push(null);
      cells[col] = value;
    }
  }
  return { row, cells };
}

/**
 * The rows complete in text from `from` on (after row number `previous`), found as
 * /<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g would find them, pushed onto
 * rows; returns where the last of them ends (`from` when none does): an unfinished row waits for
 * more text. With `strict`, stops at the first place the RegExp would fail and returns -1 there.
 */
function completeRows(text: string, from: number, previous: number, rows: SheetRow[], parts: SheetParts, fileName: string, strict: boolean): number {
  let consumed = from;
  let unclosed = false;
  for (let p = from; ; ) {
    const lt = text.indexOf('<', p);
    if (lt < 0) break;
    const nameEnd = tagNameEnd(text, lt, 'row');
    if (nameEnd < 0) {
      p = lt + 1;
      continue;
    }
    const gt = text.indexOf('>', nameEnd);
    if (gt < 0) return strict ? -1 : consumed;
    let row: SheetRow;
    if (gt > nameEnd && text.charCodeAt(gt - 1) === 47) {
      row = parseRow(text, nameEnd, gt - 1, -1, -1, previous, parts, fileName);
      p = gt + 1;
    } else {
      const close = unclosed ? -1 : closingTag(text, gt + 1, text.length, 'row');
      if (close < 0) {
        if (strict) return -1;
        unclosed = true;
        p = lt + 1;
        continue;
      }
      const after = close + closeLength;
      row = parseRow(text, nameEnd, gt, gt + 1, close, previous, parts, fileName);
      p = after;
    }
    previous = row.row;
    consumed = p;
    rows.push(row);
  }
  return consumed;
}

/**
 * The rows complete in rest + fresh (the text left unused so far and the newly decoded text),
 * pushed onto rows, and the text left after them. Joining the two copies the whole chunk once
 * more, so rest is joined only to fresh's first "row>" when that finishes rest's row: a match
 * there is one the whole text has too, as long as nothing failed on the way, and the scan then
 * goes on in fresh alone. Otherwise (a row longer than a chunk, say) the two are joined whole.
 */
function rowsAcross(rest: string, fresh: string, previous: number, rows: SheetRow[], parts: SheetParts, fileName: string): string {
  const firstEnd = rest.length > 0 ? fresh.indexOf('row>') : -1;
  if (firstEnd >= 0) {
    const before = rows.length;
    const joined = rest + fresh.slice(0, firstEnd + 4);
    const used = completeRows(joined, 0, previous, rows, parts, fileName, true);
    if (used >= rest.length) {
      const consumed = completeRows(fresh, used - rest.length, rows[rows.length - 1]?.row ?? previous, rows, parts, fileName, false);
      return fresh.slice(consumed);
    }
    rows.length = before;
  }
  const text = rest + fresh;
  const consumed = completeRows(text, 0, previous, rows, parts, fileName, false);
  return consumed > 0 ? text.slice(consumed) : text;
}

/**
 * The rows of the first worksheet (in tab order), each with its cells as plain values: text,
 * numbers, booleans, and Dates for date-formatted cells.
 */
export async function* readXlsxRows(filePath: string, fileName: string, ctx: XlsxContext, opts: XlsxReadOptions = {}): AsyncGenerator<SheetRow> {
  for await (const batch of sheetBatches(filePath, fileName, ctx, opts)) {
    for (const row of batch.rows) {
      yield row;
      if (batch.checkCancel && opts.signal?.aborted) throw cancelledError();
    }
  }
}

/**
 * The same rows as readXlsxRows, those of each 256 KB of the sheet's text (a few hundred) at a
 * time: one promise turn per chunk rather than per row, for callers that can take them so.
 */
export async function* readXlsxRowBatches(filePath: string, fileName: string, ctx: XlsxContext, opts: XlsxReadOptions = {}): AsyncGenerator<SheetRow[]> {
  for await (const batch of sheetBatches(filePath, fileName, ctx, opts)) {
    yield batch.rows;
    if (batch.checkCancel && opts.signal?.aborted) throw cancelledError();
  }
}

/**
 * The rows parsed from each chunk of the sheet's text, cut at maxRow. A chunk's rows are all
 * parsed before any is handed out, so a damaged row fails its whole chunk as it always has.
 * checkCancel is false for the rows left at the end of the text: cancellation was never checked
 * between those.
 */
async function* sheetBatches(filePath: string, fileName: string, ctx: XlsxContext, opts: XlsxReadOptions): AsyncGenerator<{ rows: SheetRow[]; checkCancel: boolean }> {
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
    /** The rows up to maxRow, and whether any were cut off (the sheet is then done). */
    const upToMax = (rows: SheetRow[]): { rows: SheetRow[]; cut: boolean } => {
      const max = opts.maxRow;
      const over = max === undefined ? -1 : rows.findIndex((r) => r.row > max);
      return over < 0 ? { rows, cut: false } : { rows: rows.slice(0, over), cut: true };
    };
    /** The last row's number, which a row without r follows. */
    let previous = 0;
    /** The text after the last complete row: the unfinished row, or the sheet's head. */
    let rest = '';
    let checkedHead = false;
    for await (const chunk of streamEntry(filePath, sheetEntry, { maxBytes: MAX_SHEET_XML, onBytes: (n) => opts.onBytes?.(before + n) })) {
      if (signal?.aborted) throw cancelledError();
      let fresh = decoder.decode(chunk, { stream: true });
      if (!checkedHead) {
        rest += fresh;
        fresh = '';
        if (rest.length < 4096 && chunk.length > 0) continue;
        assertNoDoctype(rest.slice(0, 4096), fileName);
        checkedHead = true;
      }
      const found: SheetRow[] = [];
      rest = rowsAcross(rest, fresh, previous, found, parts, fileName);
      previous = found[found.length - 1]?.row ?? previous;
      const { rows, cut } = upToMax(found);
      if (rows.length > 0) yield { rows, checkCancel: true };
      if (cut) return;
      // A row never completes past </sheetData>: the rest of the part is not needed.
      if (rest.includes('</sheetData>') || /<(?:\w+:)?sheetData\s*\/>/.test(rest)) break;
    }
    let fresh = decoder.decode();
    if (!checkedHead) {
      rest += fresh;
      fresh = '';
      assertNoDoctype(rest.slice(0, 4096), fileName);
    }
    const found: SheetRow[] = [];
    rowsAcross(rest, fresh, previous, found, parts, fileName);
    const { rows } = upToMax(found);
    if (rows.length > 0) yield { rows, checkCancel: false };
  } catch (e) {
    if (e instanceof AppError) throw e;
    if (e instanceof ZipError) throw fromZipError(fileName, e);
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('E')) throw unreadable(fileName, e as Error);
    throw corruptWorkbook(fileName);
  }
}
