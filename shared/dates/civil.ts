/**
 * Civil-date arithmetic on ISO strings 'YYYY-MM-DD'.
 *
 * Dates are calendar days, not instants: no time zone may ever shift a deadline by a day,
 * so everything is computed from day numbers (days since 1970-01-01) with integer arithmetic.
 */

/** A civil date 'YYYY-MM-DD'. Kept a plain string so it travels through IPC, JSON and SQLite unchanged. */
export type IsoDate = string;

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export type DateParseResult = { ok: true; value: IsoDate } | { ok: false; message: string };

/** Years outside this range are almost certainly typing mistakes in an insurance desk. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  switch (month) {
    case 2:
      return isLeapYear(year) ? 29 : 28;
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    default:
      return 31;
  }
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Builds an ISO date from parts, or null when the parts name no real day (e.g. 2026-02-30). */
export function makeDate(year: number, month: number, day: number): IsoDate | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  if (month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/**
 * Strict parse of 'YYYY-MM-DD'. The message is Chinese and, when `label` is given, names the
 * field the way the form shows it: 「回执签署日期：2026-02-30 不是有效日期」.
 */
export function parseIsoDate(input: unknown, label?: string): DateParseResult {
  const prefix = label ? `${label}：` : '';
  if (typeof input !== 'string' || input.trim() === '') {
    return { ok: false, message: `${prefix}请填写日期（格式 YYYY-MM-DD）` };
  }
  const text = input.trim();
  const m = ISO_RE.exec(text);
  if (!m) return { ok: false, message: `${prefix}「${text}」不是 YYYY-MM-DD 格式的日期` };
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < MIN_YEAR || year > MAX_YEAR) {
    return { ok: false, message: `${prefix}${text} 的年份超出 ${MIN_YEAR}–${MAX_YEAR} 范围` };
  }
  const value = makeDate(year, month, day);
  if (!value) return { ok: false, message: `${prefix}${text} 不是有效日期` };
  return { ok: true, value };
}

/**
 * Liberal parse for dates typed or pasted from spreadsheets: 2027-2-3, 2027/02/03, 2027.2.3,
 * 2027年2月3日, 20270203. Always returns the canonical 'YYYY-MM-DD'.
 */
export function parseLooseDate(input: unknown, label?: string): DateParseResult {
  const prefix = label ? `${label}：` : '';
  if (typeof input !== 'string' || input.trim() === '') {
    return { ok: false, message: `${prefix}请填写日期（格式 YYYY-MM-DD）` };
  }
  const text = input.trim();
  const m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return { ok: false, message: `${prefix}「${text}」无法识别为日期（应为 YYYY-MM-DD）` };
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const value = makeDate(year, month, day);
  if (!value) {
    if (year < MIN_YEAR || year > MAX_YEAR) {
      return { ok: false, message: `${prefix}${text} 的年份超出 ${MIN_YEAR}–${MAX_YEAR} 范围` };
    }
    return { ok: false, message: `${prefix}${text} 不是有效日期` };
  }
  return { ok: true, value };
}

export function isValidIsoDate(input: unknown): input is IsoDate {
  return parseIsoDate(input).ok;
}

/** Parses or throws; arithmetic on an invalid date is a programming error, never a silent wrong answer. */
export function dateParts(date: IsoDate): DateParts {
  const r = parseIsoDate(date);
  if (!r.ok) throw new RangeError(r.message);
  const d = r.value;
  return {
    year: Number(d.slice(0, 4)),
    month: Number(d.slice(5, 7)),
    day: Number(d.slice(8, 10)),
  };
}

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(n: number): DateParts {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** Days since 1970-01-01 (negative before). */
export function toDayNumber(date: IsoDate): number {
  const { year, month, day } = dateParts(date);
  return daysFromCivil(year, month, day);
}

export function fromDayNumber(n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`日序号必须是整数：${n}`);
  const { year, month, day } = civilFromDays(n);
  const d = makeDate(year, month, day);
  if (!d) throw new RangeError(`日期超出 ${MIN_YEAR}–${MAX_YEAR} 范围`);
  return d;
}

export function addDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`天数必须是整数：${n}`);
  return fromDayNumber(toDayNumber(date) + n);
}

/**
 * Adds calendar months the way 民法典 第二百零二条 counts a period in months: the period ends on
 * the same date of the target month, or on that month's last day when it has no such date
 * (2026-01-31 + 1 month → 2026-02-28; 2024-01-31 + 1 → 2024-02-29). Negative n counts back the same way.
 */
export function addMonths(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`月数必须是整数：${n}`);
  const { year, month, day } = dateParts(date);
  const total = year * 12 + (month - 1) + n;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  const d = Math.min(day, daysInMonth(y, m));
  const out = makeDate(y, m, d);
  if (!out) throw new RangeError(`日期超出 ${MIN_YEAR}–${MAX_YEAR} 范围`);
  return out;
}

export function addYears(date: IsoDate, n: number): IsoDate {
  return addMonths(date, n * 12);
}

/** -1, 0 or 1. ISO strings of valid dates order lexically, but validation keeps typos from comparing quietly. */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  const d = toDayNumber(a) - toDayNumber(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

export const isBefore = (a: IsoDate, b: IsoDate): boolean => compareDates(a, b) < 0;
export const isAfter = (a: IsoDate, b: IsoDate): boolean => compareDates(a, b) > 0;
export const isSameDate = (a: IsoDate, b: IsoDate): boolean => compareDates(a, b) === 0;

/** Whole days from `from` to `to` (positive when `to` is later). */
export function diffDays(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareDates(a, b) <= 0 ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareDates(a, b) >= 0 ? a : b;
}

/** True when from <= date <= to. */
export function isBetweenInclusive(date: IsoDate, from: IsoDate, to: IsoDate): boolean {
  return compareDates(date, from) >= 0 && compareDates(date, to) <= 0;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekday(date: IsoDate): 1 | 2 | 3 | 4 | 5 | 6 | 7 {
  // 1970-01-01 was a Thursday (ISO 4).
  const n = toDayNumber(date);
  const w = (((n + 3) % 7) + 7) % 7; // 0 = Monday
  return (w + 1) as 1 | 2 | 3 | 4 | 5 | 6 | 7;
}

export function isWeekend(date: IsoDate): boolean {
  return weekday(date) >= 6;
}

const WEEKDAY_NAMES = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const;

/** 「周一」…「周日」. */
export function weekdayName(date: IsoDate): string {
  return WEEKDAY_NAMES[weekday(date) - 1] ?? '';
}

/** 「2026年10月10日」, for printed forms. */
export function formatChineseDate(date: IsoDate): string {
  const { year, month, day } = dateParts(date);
  return `${year}年${month}月${day}日`;
}

/** Every date from `from` to `to` inclusive (empty when to < from). */
export function eachDate(from: IsoDate, to: IsoDate): IsoDate[] {
  const a = toDayNumber(from);
  const b = toDayNumber(to);
  const out: IsoDate[] = [];
  for (let n = a; n <= b; n++) out.push(fromDayNumber(n));
  return out;
}

export function yearOf(date: IsoDate): number {
  return dateParts(date).year;
}
