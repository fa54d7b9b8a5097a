/**
 * Reads the table an administrator types in (or imports from a spreadsheet) when the State
 * Council publishes next year's arrangement: one row per day off (休) or make-up working day (班).
 * Every problem is reported against the row and column the administrator sees.
 */
import type { FieldIssue } from '../api/envelope';
import { type IsoDate, MAX_YEAR, MIN_YEAR, isWeekend, parseLooseDate, weekdayName, yearOf } from '../dates';
import type { CalendarYearData, NamedDate } from './types';

export interface CalendarTableRow {
  date: unknown;
  /** 休 / 班, or the words people actually type: 放假、休息、节假日、上班、补班、调休上班、holiday、workday. */
  kind: unknown;
  name?: unknown;
  /** Row number as the source file shows it; defaults to the 1-based position in `rows`. */
  row?: number;
}

export interface CalendarTableOptions {
  /** The year the table is for; when absent it is inferred from the dates. */
  year?: number;
  /** File name shown in messages, e.g. 「2027节假日.xlsx」. */
  sourceFile?: string;
  /** Stored as CalendarYearData.source (e.g. the notice's title). */
  source?: string;
}

export type CalendarTableResult =
  | { ok: true; value: CalendarYearData; warnings: string[] }
  | { ok: false; issues: FieldIssue[] };

const HOLIDAY_WORDS = new Set(['休', '放', '假', '放假', '休息', '休假', '假日', '节假日', '法定节假日', 'holiday', 'rest', 'off']);
const WORKDAY_WORDS = new Set([
  '班',
  '上班',
  '补班',
  '调班',
  '调休上班',
  '调休工作日',
  '工作日',
  'workday',
  'work',
  'makeup',
  'makeup_workday',
]);

export type CalendarRowKind = 'holiday' | 'makeup_workday';

/** Maps a typed kind to holiday / make-up working day; null when it cannot be told. */
export function normalizeCalendarKind(input: unknown): CalendarRowKind | null {
  if (typeof input !== 'string') return null;
  const t = input.trim().toLowerCase().replace(/\s+/g, '');
  if (HOLIDAY_WORDS.has(t)) return 'holiday';
  if (WORKDAY_WORDS.has(t)) return 'makeup_workday';
  return null;
}

const DEFAULT_HOLIDAY_NAME = '节假日';
const DEFAULT_MAKEUP_NAME = '调休';

// Statutory holidays are 11 days (2008–2024) and 13 days since 2025; every one is listed as 休.
const MIN_PLAUSIBLE_HOLIDAYS = 11;

const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

export function parseCalendarTable(rows: readonly CalendarTableRow[], options: CalendarTableOptions = {}): CalendarTableResult {
  const issues: FieldIssue[] = [];
  const warnings: string[] = [];
  const file = options.sourceFile ? `${options.sourceFile} ` : '';
  const where = (row: number, column: string) => `${file}第 ${row} 行「${column}」列`;

  if (options.year !== undefined && (!Number.isInteger(options.year) || options.year < MIN_YEAR || options.year > MAX_YEAR)) {
    return { ok: false, issues: [{ path: 'year', message: `年份：${options.year} 不是有效年份` }] };
  }

  interface Parsed {
    row: number;
    date: IsoDate;
    kind: CalendarRowKind;
    name: string | null;
  }
  const parsed: Parsed[] = [];

  rows.forEach((r, index) => {
    const row = r.row ?? index + 1;
    if (isBlank(r.date) && isBlank(r.kind) && isBlank(r.name)) return;
    let ok = true;

    const d = parseLooseDate(typeof r.date === 'number' ? String(r.date) : r.date, where(row, '日期'));
    if (!d.ok) {
      issues.push({ path: `rows.${row}.date`, message: d.message });
      ok = false;
    }

    let kind: CalendarRowKind | null = null;
    if (isBlank(r.kind)) {
      issues.push({ path: `rows.${row}.kind`, message: `${where(row, '类型')}：请填写「休」或「班」` });
      ok = false;
    } else {
      kind = normalizeCalendarKind(r.kind);
      if (!kind) {
        const text = String(r.kind).trim();
        const hint = text === '调休' ? '「调休」含义不明确，' : `无法识别「${text}」，`;
        issues.push({ path: `rows.${row}.kind`, message: `${where(row, '类型')}：${hint}应填「休」（放假）或「班」（调休上班）` });
        ok = false;
      }
    }

    let name: string | null = null;
    if (!isBlank(r.name)) {
      if (typeof r.name !== 'string') {
        issues.push({ path: `rows.${row}.name`, message: `${where(row, '名称')}：应为文字` });
        ok = false;
      } else if (r.name.trim().length > 40) {
        issues.push({ path: `rows.${row}.name`, message: `${where(row, '名称')}：不能超过 40 个字` });
        ok = false;
      } else {
        name = r.name.trim();
      }
    }

    if (ok && d.ok && kind) parsed.push({ row, date: d.value, kind, name });
  });

  if (parsed.length === 0 && issues.length === 0) {
    return { ok: false, issues: [{ path: 'rows', message: `${file}表格中没有任何日期`.trim() }] };
  }

  // The year is the one asked for, else the one most rows agree on.
  let year = options.year;
  if (year === undefined) {
    const counts = new Map<number, number>();
    for (const p of parsed) counts.set(yearOf(p.date), (counts.get(yearOf(p.date)) ?? 0) + 1);
    let best = 0;
    for (const [y, c] of counts) {
      if (c > best || (c === best && year !== undefined && y < year)) {
        best = c;
        year = y;
      }
    }
  }

  const byDate = new Map<IsoDate, Parsed>();
  for (const p of parsed) {
    if (year !== undefined && yearOf(p.date) !== year) {
      issues.push({
        path: `rows.${p.row}.date`,
        message: `${where(p.row, '日期')}：${p.date} 不属于 ${year} 年；跨年的安排请放在对应年份的表中`,
      });
      continue;
    }
    if (p.kind === 'makeup_workday' && !isWeekend(p.date)) {
      issues.push({
        path: `rows.${p.row}.kind`,
        message: `${where(p.row, '类型')}：${p.date} 是${weekdayName(p.date)}，本来就是工作日，不能标为「班」`,
      });
      continue;
    }
    const prev = byDate.get(p.date);
    if (prev) {
      if (prev.kind !== p.kind) {
        issues.push({
          path: `rows.${p.row}.date`,
          message: `${where(p.row, '日期')}：${p.date} 与第 ${prev.row} 行重复且类型不同`,
        });
      } else {
        warnings.push(`${file}第 ${p.row} 行与第 ${prev.row} 行日期 ${p.date} 重复，已合并`);
      }
      continue;
    }
    byDate.set(p.date, p);
  }

  if (issues.length > 0 || year === undefined) return { ok: false, issues };

  const sorted = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  const holidays: NamedDate[] = [];
  const makeupWorkdays: NamedDate[] = [];
  for (const p of sorted) {
    if (p.kind === 'holiday') holidays.push({ date: p.date, name: p.name ?? DEFAULT_HOLIDAY_NAME });
    else makeupWorkdays.push({ date: p.date, name: p.name ?? DEFAULT_MAKEUP_NAME });
  }
  if (holidays.length < MIN_PLAUSIBLE_HOLIDAYS) {
    warnings.push(`${year} 年只列出 ${holidays.length} 个放假日，全年法定节假日不少于 ${MIN_PLAUSIBLE_HOLIDAYS} 天，请核对表格是否完整`);
  }
  const value: CalendarYearData = { year, holidays, makeupWorkdays };
  const source = options.source ?? options.sourceFile;
  if (source) value.source = source;
  return { ok: true, value, warnings };
}
