/**
 * One row of a head-office list → one normalised task row, or the reasons it cannot be one.
 * Tolerant of how people fill spreadsheets (full-width digits, 2026年9月30日, ¥1,234.00元,
 * 138 1234 5678) and strict about what would make a wrong task (an impossible date or phone,
 * an ID number whose check digit is wrong). Every message names the row and the column as the
 * file shows it: 「第 12 行「回执签署日期」列：2026-02-30 不是有效日期」.
 */
import type { FieldIssue } from '../../shared/api/envelope';
import { fromDayNumber, makeDate, MAX_YEAR, MIN_YEAR, parseLooseDate, toDayNumber } from '../../shared/dates';
import { maskIdNumber, maskPhone } from '../../shared/domain/masking';
import { TASK_KIND_LABELS, type Channel, type ProductType, type TaskKind, type TaskSource } from '../../shared/domain/tasks';
import { IMPORT_FIELD_LABELS } from './headers';
import { cellToText, charLength, cleanProse, columnLetter, dateToIso, maskDigitRuns, numberToText, shorten, toHalfWidth } from './text';
import type { ColumnMapping, ImportField, NormalizedRow, RawCell, RowResult } from './types';

/** What a single cell parses to: a value (null when empty) or the reason it is wrong. */
export type Parsed<T> = { ok: true; value: T | null; note?: string } | { ok: false; reason: string };

const okValue = <T>(value: T | null, note?: string): Parsed<T> => (note ? { ok: true, value, note } : { ok: true, value });
const bad = (reason: string): Parsed<never> => ({ ok: false, reason });

/** Fillers people put in cells that have nothing to say. */
const PLACEHOLDERS = new Set(['-', '--', '---', '—', '——', '/', '\\', '无', '暂无', 'null', 'n/a', '#n/a']);
// Lower-casing never shortens a string, nor does toHalfWidth: longer text cannot be a placeholder.
const PLACEHOLDER_MAX = Math.max(...Array.from(PLACEHOLDERS, (p) => p.length));

/** The text of a cell, with placeholders read as empty. */
export function cellValueText(cell: RawCell | undefined): string {
  const t = cellToText(cell);
  return t.length <= PLACEHOLDER_MAX && PLACEHOLDERS.has(t.toLowerCase()) ? '' : t;
}

/** Like cellValueText, but Chinese punctuation in free text stays as written. */
function proseValueText(cell: RawCell | undefined): string {
  if (typeof cell !== 'string') return cellValueText(cell);
  const t = cleanProse(cell);
  return t.length <= PLACEHOLDER_MAX && PLACEHOLDERS.has(toHalfWidth(t).toLowerCase()) ? '' : t;
}

/** Whether `text` has a character `\s` matches (the regex is the slow way to find out). */
function hasSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20) {
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
    } else if (c >= 0xa0) {
      if (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff) {
        return true;
      }
    }
  }
  return false;
}

/** `text` with whitespace runs made one space (`/\s+/g` → ' '). */
const oneSpaced = (text: string): string => (hasSpace(text) ? text.replace(/\s+/g, ' ') : text);
/** `text` with all whitespace removed (`/\s+/g` → ''). */
const unspaced = (text: string): string => (hasSpace(text) ? text.replace(/\s+/g, '') : text);

/**
 * A pure parser of short code cells (件类型, 渠道…) remembered by its input: a list repeats a
 * handful of values over thousands of rows. Bounded, so a column of distinct values costs little.
 */
function memoized<R>(parse: (text: string) => R): (text: string) => R {
  const known = new Map<string, R>();
  return (text) => {
    let r = known.get(text);
    if (r === undefined) {
      r = parse(text);
      if (known.size >= 1024) known.clear();
      known.set(text, r);
    }
    return r;
  };
}

// ——— Dates ———

// Serial 61 and later count from 1899-12-30 (two days before 1900-01-01, which the date module's range starts at).
const EXCEL_1900_EPOCH = toDayNumber('1900-01-01') - 2;
const EXCEL_1904_EPOCH = toDayNumber('1904-01-01');
const MS_PER_DAY = 86_400_000;

/**
 * An Excel serial day number to an ISO date. The 1900 system counts a 29 February 1900 that never
 * was (Lotus 1-2-3's bug, kept by Excel): serial 60 is that day, and serials 1–59 are one day
 * later than a plain count from 1899-12-30 would say.
 */
export function excelSerialToIso(serial: number, date1904 = false): Parsed<string> {
  if (!Number.isFinite(serial) || serial < 0) return bad(`${shorten(numberToText(serial))} 不是有效日期`);
  const day = Math.floor(serial);
  let n: number;
  if (date1904) n = EXCEL_1904_EPOCH + day;
  else if (day === 0) return bad('日期为 0（Excel 显示为 1900-01-00），不是有效日期');
  else if (day === 60) return bad('1900-02-29 不是有效日期（Excel 把 1900 年误当作闰年）');
  else n = EXCEL_1900_EPOCH + day + (day < 60 ? 1 : 0);
  try {
    return okValue(fromDayNumber(n));
  } catch {
    return bad(`Excel 日期序号 ${shorten(numberToText(serial))} 超出 ${MIN_YEAR}–${MAX_YEAR} 年范围`);
  }
}

/** Dates as Excel serials, JS Dates (exceljs: the UTC day), or text in the usual Chinese forms. */
export function parseDateCell(cell: RawCell | undefined, date1904 = false): Parsed<string> {
  if (cell instanceof Date) {
    const iso = dateToIso(cell);
    if (iso === null) return bad('不是有效日期');
    // exceljs counts from 1899-12-30 for every serial, so days before 1900-03-01 come out a day early.
    if (!date1904 && iso < '1900-03-01') return excelSerialToIso(Math.round(cell.getTime() / MS_PER_DAY) - EXCEL_1900_EPOCH, false);
    return okValue(iso);
  }
  if (typeof cell === 'number') {
    // 20260930 typed as a number is a date written without separators, not serial 20 million.
    if (Number.isInteger(cell) && cell >= 19000101 && cell <= 21991231) return parseDateText(String(cell));
    return excelSerialToIso(cell, date1904);
  }
  const text = cellValueText(cell);
  if (text === '') return okValue(null);
  return parseDateText(text);
}

function parseDateText(raw: string): Parsed<string> {
  if (raw.length > 40) return bad(`「${shorten(raw)}」无法识别为日期`);
  // A time after the date (2026-09-30 00:00:00, 2026-09-30T08:00) says nothing about the day.
  const text = oneSpaced(raw).replace(/(?:[ T]\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$/, '');
  const r = parseLooseDate(text);
  // The message quotes the cell: a phone in a date column is masked like any quoted value.
  return r.ok ? okValue(r.value) : bad(maskDigitRuns(r.message));
}

// ——— Phones ———

const MOBILE = /^1[3-9]\d{9}$/;

/** Formats a landline as 0531-88886666 (two- and three-digit area codes after the 0). */
function landline(digits: string, ext: string | undefined): string | null {
  if (!/^0\d{9,11}$/.test(digits)) return null;
  const areaLen = /^0(10|2\d)/.test(digits) ? 3 : 4;
  const local = digits.slice(areaLen);
  if (!/^[2-9]\d{6,7}$/.test(local)) return null;
  return `${digits.slice(0, areaLen)}-${local}${ext ? `-${ext}` : ''}`;
}

function onePhone(text: string, fromNumberCell: boolean): string | null {
  let s = text.replace(/[\s\-–—.()（）]/g, '');
  let ext: string | undefined;
  const e = /(?:转|分机|ext|#)(\d{1,6})$/i.exec(s);
  if (e) {
    ext = e[1];
    s = s.slice(0, e.index);
  }
  s = s.replace(/^(?:\+|00)?86(?=1[3-9]\d{9}$)/, '');
  if (MOBILE.test(s) && !ext) return s;
  const fixed = landline(s, ext);
  if (fixed) return fixed;
  // 0531-88886666-123 written with dashes only: the last group is an extension.
  const parts = /^\(?(0\d{2,3})\)?[\s-]*(\d{7,8})[\s-]+(\d{1,6})$/.exec(text.trim());
  if (parts) return landline(`${parts[1]}${parts[2]}`, parts[3]);
  // Excel dropped the leading 0 of a landline typed into a number cell (53188886666).
  if (fromNumberCell && /^[2-9]\d{9,10}$/.test(s)) return landline(`0${s}`, undefined);
  return null;
}

/**
 * A mobile becomes its 11 digits (spaces, dashes and +86 removed); a landline keeps its area code
 * as 0531-88886666. A cell with several numbers keeps the first and says so.
 */
export function parsePhone(cell: RawCell | undefined): Parsed<string> {
  if (cell instanceof Date) return bad('是一个日期，不是电话号码');
  const text = cellValueText(cell);
  if (text === '') return okValue(null);
  // The usual cell: one mobile, nothing around it.
  if (text.length === 11 && MOBILE.test(text)) return okValue(text);
  const parts = text.split(/[/,;、；，|]|\s{2,}|或/).map((p) => p.trim()).filter((p) => p !== '');
  const phones = parts.map((p) => onePhone(p, typeof cell === 'number'));
  const first = phones[0];
  if (parts.length === 1 || first === null || first === undefined) {
    const whole = parts.length === 1 ? first : onePhone(text, typeof cell === 'number');
    if (whole) return okValue(whole);
    return bad(`${shorten(text)} 不是有效的电话号码（手机 11 位，固定电话如 0531-88886666）`);
  }
  const others = parts.slice(1).join('、');
  return okValue(first, `有多个号码，已取第一个 ${maskPhone(first)}，其余（${shorten(others)}）请另行记录`);
}

// ——— Money ———

/**
 * An amount in cents. Accepts 1,234.50, ¥1234.5, 1234.50元, 人民币1234元, 1.2万元 and numbers
 * (in 万元 when the column header says so). Never goes through floating point for text.
 */
export function parseAmountCents(cell: RawCell | undefined, headerInWan = false): Parsed<number> {
  if (cell instanceof Date) return bad('是一个日期，不是金额');
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return bad('不是有效金额');
    if (cell < 0) return bad(`${numberToText(cell)} 是负数，金额不能为负`);
    const cents = Math.round(cell * (headerInWan ? 1_000_000 : 100));
    return cents > 1e14 ? bad(`${shorten(numberToText(cell))} 超出金额上限`) : okValue(cents);
  }
  const text = cellValueText(cell);
  if (text === '') return okValue(null);
  let s = unspaced(text).replace(/[￥¥]|^(?:RMB|CNY|人民币)/gi, '');
  let wan = headerInWan;
  const unit = /(万元|万|元整|元)$/.exec(s);
  if (unit) {
    s = s.slice(0, unit.index);
    // The cell's own unit wins over the header's: 1,234.56元 under 「金额（万元）」 is yuan.
    wan = unit[1]?.startsWith('万') === true;
  }
  s = s.replace(/[￥¥]/g, '');
  if (s.startsWith('-')) return bad(`${shorten(text)} 是负数，金额不能为负`);
  // Thousands separators only in their places, so 1,23 is not silently read as 123.
  if (/,/.test(s) && !/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) return bad(`${shorten(text)} 不是有效金额`);
  s = s.replace(/,/g, '');
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return bad(`${shorten(text)} 不是有效金额`);
  const intPart = m[1] ?? '0';
  const frac = (m[2] ?? '').replace(/0+$/, '');
  const multiplier = wan ? 1_000_000 : 100;
  const maxDecimals = wan ? 6 : 2;
  if (frac.length > maxDecimals) return bad(`${shorten(text)} 的小数位过多，金额只能精确到分`);
  if (intPart.length > 13) return bad(`${shorten(text)} 超出金额上限`);
  const cents = Number(intPart) * multiplier + (frac === '' ? 0 : Number(frac) * (multiplier / 10 ** frac.length));
  return cents > 1e14 ? bad(`${shorten(text)} 超出金额上限`) : okValue(cents);
}

// ——— ID numbers (GB 11643-1999) ———

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The check character an 18-digit ID number must end with, from its first 17 digits. */
export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] ?? '';
}

/**
 * Resident ID numbers: 18 characters with a valid check digit and birth date, or the old
 * 15-digit form. Passport and other document numbers (with letters) are kept as written.
 */
export function parseIdNumber(cell: RawCell | undefined): Parsed<string> {
  if (typeof cell === 'number') {
    // Excel keeps 15 significant digits: an 18-digit number has already lost its last digits.
    if (!Number.isSafeInteger(cell) || numberToText(cell).length > 15) {
      return bad('身份证号被存成了数字，末几位已丢失；请把该列设为文本格式后重新导出');
    }
  }
  if (cell instanceof Date) return bad('是一个日期，不是证件号码');
  const text = unspaced(cellValueText(cell)).toUpperCase();
  if (text === '') return okValue(null);
  if (/^\d{17}[\dX]$/.test(text)) {
    const birth = makeDate(Number(text.slice(6, 10)), Number(text.slice(10, 12)), Number(text.slice(12, 14)));
    if (!birth) return bad(`身份证号 ${maskIdNumber(text)} 中的出生日期（第 7–14 位）不是有效日期`);
    const expected = idCheckDigit(text.slice(0, 17));
    if (text[17] !== expected) return bad(`身份证号 ${maskIdNumber(text)} 的校验位不对（按前 17 位应为 ${expected}），可能有数字抄错`);
    return okValue(text);
  }
  if (/^\d{15}$/.test(text)) {
    const birth = makeDate(1900 + Number(text.slice(6, 8)), Number(text.slice(8, 10)), Number(text.slice(10, 12)));
    if (!birth) return bad(`旧版 15 位身份证号 ${maskIdNumber(text)} 中的出生日期不是有效日期`);
    return okValue(text);
  }
  if (/^\d+X?$/.test(text)) return bad(`身份证号 ${maskIdNumber(text)} 有 ${text.length} 位，应为 18 位（或旧版 15 位）`);
  if (text.length <= 30 && /^[A-Z0-9][A-Z0-9()-]*$/.test(text)) return okValue(text); // passport, 港澳台 permits…
  return bad(`「${shorten(text)}」不是有效的证件号码`);
}

// ——— Codes ———

export function parseChannel(text: string): Parsed<Channel> {
  const t = unspaced(text);
  if (t === '') return okValue(null);
  if (/银保通/.test(t)) return okValue('bank_direct');
  if (/银保|银行保险|银代|银行代理/.test(t) || t === 'bancassurance') return okValue('bancassurance');
  if (/团险|团体|团单/.test(t) || t === 'group') return okValue('group');
  if (/个险|个人营销|个人业务|个代|营销/.test(t) || t === 'individual') return okValue('individual');
  if (t === 'bank_direct') return okValue('bank_direct');
  return bad(`「${shorten(t)}」不是可识别的销售渠道（可填：个险、银保、银保通、团险）`);
}

export function parseProductType(text: string): Parsed<ProductType> {
  const t = unspaced(text);
  if (t === '') return okValue(null);
  const inferred = inferProductType(t);
  if (inferred) return okValue(inferred);
  if (/传统|普通/.test(t) || t === 'traditional') return okValue('traditional');
  return bad(`「${shorten(t)}」不是可识别的产品类型（可填：传统、分红、万能、投连）`);
}

/** From a product name: 「XX分红型两全保险」 is participating. Null when the name does not say. */
export function inferProductType(name: string): ProductType | null {
  if (/投连|投资连结|unit_linked/.test(name)) return 'unit_linked';
  if (/万能|universal/.test(name)) return 'universal';
  if (/分红|participating/.test(name)) return 'participating';
  return null;
}

export interface CaseType {
  kind: TaskKind;
  source: TaskSource | null;
}

/** The source a list of a kind has when it carries no 件类型 column. */
export const DEFAULT_SOURCE: Record<TaskKind, TaskSource | null> = {
  new_policy: null,
  problem_case: 'problem',
  key_client: 'plan',
  shareholder_client: 'plan',
  survival_benefit: 'payment',
  renewal: 'plan',
  claim_closed: 'plan',
  underwriting: 'plan',
};

// Order matters: 电话错误 before 不成功 (「不成功件-电话错误」), 理赔结案 before 承保.
const CASE_TYPES: readonly [RegExp, CaseType][] = [
  [/电话错误|号码错误|错号|空号/, { kind: 'new_policy', source: 'wrong_number' }],
  [/方言/, { kind: 'new_policy', source: 'dialect' }],
  [/核实/, { kind: 'new_policy', source: 'verify' }],
  [/信函/, { kind: 'new_policy', source: 'letter' }],
  [/不成功|未成功|未接通|无人接听/, { kind: 'new_policy', source: 'unreached' }],
  [/问题件|问题/, { kind: 'problem_case', source: 'problem' }],
  [/股东/, { kind: 'shareholder_client', source: 'plan' }],
  [/重点客户/, { kind: 'key_client', source: 'plan' }],
  [/生存给付|满期给付|生存金|满期金|年金给付/, { kind: 'survival_benefit', source: 'payment' }],
  [/续保/, { kind: 'renewal', source: 'plan' }],
  [/理赔/, { kind: 'claim_closed', source: 'plan' }],
  [/承保/, { kind: 'underwriting', source: 'plan' }],
];

const KIND_BY_LABEL = new Map((Object.entries(TASK_KIND_LABELS) as [TaskKind, string][]).map(([kind, label]) => [label, kind]));

export function parseCaseType(text: string): Parsed<CaseType> {
  const t = unspaced(text);
  if (t === '') return okValue(null);
  const kind = KIND_BY_LABEL.get(t);
  if (kind !== undefined) return okValue({ kind, source: DEFAULT_SOURCE[kind] });
  for (const [re, ct] of CASE_TYPES) if (re.test(t)) return okValue(ct);
  return bad(`「${shorten(t)}」不是可识别的件类型（可填：不成功件、电话错误件、方言件、核实件、信函件、问题件、重点客户、股东相关客户、生存给付、满期给付、续保、理赔结案、承保）`);
}

export function parsePaymentMethod(text: string): Parsed<'cash' | 'bank_transfer'> {
  const t = unspaced(text);
  if (t === '') return okValue(null);
  if (/现金/.test(t)) return okValue('cash');
  if (/转账|银行|划款|划账|代发|卡/.test(t)) return okValue('bank_transfer');
  return bad(`「${shorten(t)}」不是可识别的领取方式（可填：现金、银行转账）`);
}

// ——— Years ———

/** 缴费年限: 20, 20年, 20年交; 趸交 / 一次交清 is one payment, recorded as 1 year as policy systems do. */
export function parsePayYears(cell: RawCell | undefined): Parsed<number> {
  if (typeof cell === 'number') {
    return Number.isInteger(cell) && cell >= 1 && cell <= 100 ? okValue(cell) : bad(`${shorten(numberToText(cell))} 不是有效的缴费年限（1–100 年）`);
  }
  const t = unspaced(cellValueText(cell));
  if (t === '') return okValue(null);
  if (/^(趸交|趸缴|一次(性)?(交|缴)(清|费)?|一次性)$/.test(t)) return okValue(1);
  const m = /^(\d{1,3})(年)?(期)?(交|缴)?(费)?$/.exec(t);
  if (m) {
    const n = Number(m[1]);
    return n >= 1 && n <= 100 ? okValue(n) : bad(`${t} 不是有效的缴费年限（1–100 年）`);
  }
  if (/(至|到)\d{1,3}(周)?岁/.test(t)) return okValue(null, `「${t}」是交费到某一年龄，不是年数，已留空`);
  return bad(`「${shorten(t)}」不是有效的缴费年限（如 20、20年、趸交）`);
}

/** Whole-life cover is entered as 105 years, as the new-policy rule expects (保险期限 ≥ 105). */
export const WHOLE_LIFE_YEARS = 105;

/** 保险期限（年）: 20, 20年, 终身, 6个月. Age-bound terms (至80周岁) cannot be counted here. */
export function parseTermYears(cell: RawCell | undefined): Parsed<number> {
  if (typeof cell === 'number') {
    return cell > 0 && cell <= 200 ? okValue(cell) : bad(`${shorten(numberToText(cell))} 不是有效的保险期限（0–200 年）`);
  }
  const t = unspaced(cellValueText(cell));
  if (t === '') return okValue(null);
  if (/^(保)?终身$|^终生$/.test(t)) return okValue(WHOLE_LIFE_YEARS);
  let m = /^(\d{1,3}(?:\.\d+)?)(年)?(期)?$/.exec(t);
  if (m) {
    const n = Number(m[1]);
    return n > 0 && n <= 200 ? okValue(n) : bad(`${t} 不是有效的保险期限（0–200 年）`);
  }
  m = /^(\d{1,3})个?月$/.exec(t);
  if (m) return Number(m[1]) > 0 ? okValue(Math.round((Number(m[1]) / 12) * 1000) / 1000) : bad(`${t} 不是有效的保险期限`);
  m = /^(\d{1,4})(天|日)$/.exec(t);
  if (m) return Number(m[1]) > 0 ? okValue(Math.round((Number(m[1]) / 365) * 1000) / 1000) : bad(`${t} 不是有效的保险期限`);
  if (/(至|到)\d{1,3}(周)?岁/.test(t)) return okValue(null, `「${t}」是保到某一年龄，无法换算成年数，已留空`);
  return bad(`「${shorten(t)}」不是有效的保险期限（如 20、20年、终身）`);
}

// ——— Text ———

const TEXT_LIMITS = {
  policyNo: 40,
  applicantName: 50,
  insuredName: 50,
  beneficiaryName: 50,
  address: 200,
  productName: 100,
  coveragePeriod: 50,
  agentName: 50,
  agentCode: 40,
  problemDescription: 2000,
  branch: 100,
} as const satisfies Partial<Record<ImportField, number>>;

/** Names written 张  三 (padded by the exporting system) are 张三; Latin names keep one space. */
function cleanName(text: string): string {
  const t = text.includes('•') || text.includes('・') ? text.replace(/[•・]/g, '·') : text;
  // Without whitespace both branches below leave the name as it is.
  if (!hasSpace(t)) return t;
  return /^[\p{Script=Han}·\s]+$/u.test(t) ? t.replace(/\s+/g, '') : t.replace(/\s+/g, ' ');
}

function plainText(field: ImportField, raw: string): string {
  if (field === 'problemDescription') {
    if (!raw.includes('\r') && !raw.includes('\t') && !raw.includes('  ')) return raw.trim();
    return raw.replace(/\r\n?/g, '\n').replace(/[ \t]+/g, ' ').trim();
  }
  if (field === 'applicantName' || field === 'insuredName' || field === 'beneficiaryName' || field === 'agentName') return cleanName(raw);
  return oneSpaced(raw);
}

// ——— The row ———

export interface NormalizeOptions {
  /** The workbook counts dates from 1904 (old Mac Excel): serials mean other days. */
  date1904?: boolean;
}

// The code columns of a list repeat a few values row after row.
const caseTypeOf = memoized(parseCaseType);
const channelOf = memoized(parseChannel);
const productTypeOf = memoized(parseProductType);
const paymentMethodOf = memoized(parsePaymentMethod);
const inferProductTypeOf = memoized(inferProductType);

/**
 * Normalises one data row. `columnHeaders[i]` is the header of column i as the file shows it,
 * for messages. Rows that cannot become a task come back with every problem found, not the first.
 */
export function normalizeRow(
  cells: readonly RawCell[],
  row: number,
  mapping: ColumnMapping,
  defaultKind: TaskKind,
  columnHeaders: readonly string[],
  options: NormalizeOptions = {},
): RowResult {
  const issues: FieldIssue[] = [];
  const warnings: FieldIssue[] = [];
  const date1904 = options.date1904;

  const header = (field: ImportField): string => {
    const col = mapping[field];
    if (col === undefined) return IMPORT_FIELD_LABELS[field];
    const h = columnHeaders[col] ?? '';
    return h === '' ? `${columnLetter(col)} 列` : h;
  };
  const where = (field: ImportField): string =>
    mapping[field] === undefined ? `第 ${row} 行` : `第 ${row} 行「${header(field)}」列`;
  const issue = (field: ImportField, reason: string) => issues.push({ path: `rows.${row}.${field}`, message: `${where(field)}：${reason}` });
  const warn = (field: ImportField, reason: string) => warnings.push({ path: `rows.${row}.${field}`, message: `${where(field)}：${reason}` });
  // Columns are read as mapping.policyNo and so on, not mapping[field]: a fixed property is
  // much cheaper than a lookup by a name that changes from call to call.
  const at = (col: number | undefined): RawCell | undefined => (col === undefined ? undefined : cells[col]);
  const take = <T>(field: ImportField, parsed: Parsed<T>): T | null => {
    if (!parsed.ok) {
      issue(field, parsed.reason);
      return null;
    }
    if (parsed.note) warn(field, parsed.note);
    return parsed.value;
  };

  const text = (field: keyof typeof TEXT_LIMITS, c: RawCell | undefined): string | null => {
    if (c instanceof Date && field !== 'problemDescription' && field !== 'coveragePeriod') {
      issue(field, `${dateToIso(c) ?? ''} 是一个日期，请检查该列是否对应正确`);
      return null;
    }
    const t = plainText(field, field === 'policyNo' ? cellValueText(c) : proseValueText(c));
    if (t === '') return null;
    const limit = TEXT_LIMITS[field];
    // A text has at most as many characters as code units: only a long one needs counting.
    if (t.length > limit) {
      const n = charLength(t);
      if (n > limit) {
        issue(field, `内容过长（${n} 字），最多 ${limit} 字`);
        return null;
      }
    }
    return t;
  };

  // Required: policy number and applicant.
  let policyNo: string | null = null;
  const policyCell = at(mapping.policyNo);
  if (typeof policyCell === 'number' && !Number.isSafeInteger(policyCell)) {
    issue('policyNo', '保单号被存成了数字，超过 15 位的部分已丢失；请把该列设为文本格式后重新导出');
  } else {
    const p = text('policyNo', policyCell);
    if (p !== null) {
      const compact = unspaced(p).toUpperCase();
      if (/^[A-Z0-9][A-Z0-9_/-]{2,39}$/.test(compact)) policyNo = compact;
      else issue('policyNo', `「${shorten(p)}」不是有效的保单号（只能有字母、数字和 -，至少 3 位）`);
    } else if (!issues.some((i) => i.path === `rows.${row}.policyNo`)) {
      issue('policyNo', mapping.policyNo === undefined ? '缺少保单号（没有对应的列）' : '未填写');
    }
  }

  let applicantName = text('applicantName', at(mapping.applicantName));
  if (applicantName === null) {
    if (!issues.some((i) => i.path === `rows.${row}.applicantName`)) {
      issue('applicantName', mapping.applicantName === undefined ? '缺少投保人（没有对应的列）' : '未填写');
    }
  } else if (/^[\d\s+\-()]+$/.test(applicantName)) {
    issue('applicantName', `「${shorten(applicantName)}」全是数字，不像姓名；请检查该列是否对应正确`);
    applicantName = null;
  }

  // Kind and source: the row's 件类型, else what the user chose for the whole file.
  let kind: TaskKind = defaultKind;
  let source: TaskSource | null = DEFAULT_SOURCE[defaultKind];
  const caseType = take('caseType', caseTypeOf(cellValueText(at(mapping.caseType))));
  if (caseType) {
    kind = caseType.kind;
    source = caseType.source;
  }

  // In this order, the order of their messages.
  const issueDate = take('issueDate', parseDateCell(at(mapping.issueDate), date1904));
  const printDate = take('printDate', parseDateCell(at(mapping.printDate), date1904));
  const receiptSignedDate = take('receiptSignedDate', parseDateCell(at(mapping.receiptSignedDate), date1904));
  const receiptEntryDate = take('receiptEntryDate', parseDateCell(at(mapping.receiptEntryDate), date1904));
  const expiryDate = take('expiryDate', parseDateCell(at(mapping.expiryDate), date1904));
  const eventDate = take('eventDate', parseDateCell(at(mapping.eventDate), date1904));
  const lastVisitDate = take('lastVisitDate', parseDateCell(at(mapping.lastVisitDate), date1904));

  const amountHeaderWan = (f: ImportField, col: number | undefined) => col !== undefined && header(f).includes('万元');
  const productName = text('productName', at(mapping.productName));
  const productTypeCell = cellValueText(at(mapping.productType));
  const productType =
    productTypeCell !== '' ? take('productType', productTypeOf(productTypeCell)) : productName ? inferProductTypeOf(productName) : null;
  const coveragePeriod = text('coveragePeriod', at(mapping.coveragePeriod));
  const termCell = at(mapping.termYears);
  let termYears = take('termYears', parseTermYears(termCell));
  if (termYears === null && coveragePeriod !== null && cellValueText(termCell) === '') {
    // 保障期间 often says it (20年, 终身) when there is no 保险期限 column.
    const inferred = parseTermYears(coveragePeriod);
    if (inferred.ok) termYears = inferred.value;
  }

  const value: NormalizedRow = {
    row,
    kind,
    source,
    policyNo: policyNo ?? '',
    applicantName: applicantName ?? '',
    applicantPhone: null,
    insuredName: text('insuredName', at(mapping.insuredName)),
    beneficiaryName: text('beneficiaryName', at(mapping.beneficiaryName)),
    idNumber: take('idNumber', parseIdNumber(at(mapping.idNumber))),
    address: text('address', at(mapping.address)),
    issueDate,
    printDate,
    receiptSignedDate,
    receiptEntryDate,
    channel: take('channel', channelOf(cellValueText(at(mapping.channel)))),
    productName,
    productType,
    premiumCents: take('premium', parseAmountCents(at(mapping.premium), amountHeaderWan('premium', mapping.premium))),
    payYears: take('payYears', parsePayYears(at(mapping.payYears))),
    coveragePeriod,
    termYears,
    expiryDate,
    agentName: text('agentName', at(mapping.agentName)),
    agentCode: text('agentCode', at(mapping.agentCode)),
    problemDescription: text('problemDescription', at(mapping.problemDescription)),
    branch: text('branch', at(mapping.branch)),
    eventDate,
    amountCents: take('amount', parseAmountCents(at(mapping.amount), amountHeaderWan('amount', mapping.amount))),
    paymentMethod: take('paymentMethod', paymentMethodOf(cellValueText(at(mapping.paymentMethod)))),
    lastVisitDate,
    warnings,
  };

  // Phone: a 电话错误件 is in the list because its number is wrong, so a bad number there is
  // expected — the task still comes in, with the number left for the visit staff to correct.
  const phone = parsePhone(at(mapping.applicantPhone));
  if (phone.ok) {
    value.applicantPhone = phone.value;
    if (phone.note) warn('applicantPhone', phone.note);
  } else if (source === 'wrong_number') {
    warn('applicantPhone', `${phone.reason}；电话错误件照常导入，号码留空，请核实后补录`);
  } else {
    issue('applicantPhone', phone.reason);
  }

  if (issues.length > 0) return { ok: false, row, issues };
  missingFacts(value, mapping, warn);
  return { ok: true, value };
}

/**
 * The facts a kind's deadline is computed from. Missing ones do not stop the task (head office
 * may not have them yet); the deadline will say why it cannot be computed, and so does the
 * import, here.
 */
function missingFacts(v: NormalizedRow, mapping: ColumnMapping, warn: (field: ImportField, reason: string) => void): void {
  const need = (field: ImportField, present: boolean, why: string) => {
    if (present) return;
    warn(field, mapping[field] === undefined ? `未提供「${IMPORT_FIELD_LABELS[field]}」，${why}` : `未填写，${why}`);
  };
  switch (v.kind) {
    case 'new_policy':
      need('receiptSignedDate', v.receiptSignedDate !== null, '无法计算犹豫期');
      need('termYears', v.termYears !== null, '无法判断是否须在犹豫期内回访');
      break;
    case 'problem_case':
      need('eventDate', v.eventDate !== null, '无法计算 3 个工作日的处理期限');
      break;
    case 'underwriting':
      need('eventDate', v.eventDate !== null, '无法计算承保后一个月的回访期限');
      break;
    case 'claim_closed':
      need('eventDate', v.eventDate !== null, '无法计算结案后一周的回访期限');
      break;
    case 'renewal':
      need('expiryDate', v.expiryDate !== null || v.eventDate !== null, '无法计算到期前一个季度的回访时间');
      break;
    case 'survival_benefit':
      need('paymentMethod', v.paymentMethod !== null, '无法判断是否需要回访');
      need('amount', v.amountCents !== null, '无法判断是否达到 1000 元的回访标准');
      break;
    case 'key_client':
    case 'shareholder_client':
      break; // no last visit date means never visited: due now
  }
}
