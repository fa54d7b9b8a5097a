/**
 * The mainland China working-day calendar: weekends, public holidays (法定节假日) and make-up
 * working days (调休上班), year by year as the State Council publishes them.
 */
import { type IsoDate, addDays, compareDates, isWeekend, parseIsoDate, yearOf } from '../dates';
import type { CalendarWarning, CalendarYearData, Checked, DayInfo, DayKind } from './types';

export function missingYearWarning(year: number): CalendarWarning {
  return {
    code: 'missing_year',
    year,
    message: `${year} 年节假日安排尚未载入，按周末计算，结果可能不准确`,
  };
}

/** Concatenates warning lists, one warning per year. */
export function mergeWarnings(...lists: ReadonlyArray<readonly CalendarWarning[]>): CalendarWarning[] {
  const seen = new Set<string>();
  const out: CalendarWarning[] = [];
  for (const list of lists) {
    for (const w of list) {
      const key = `${w.code}:${w.year}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(w);
      }
    }
  }
  return out;
}

interface Exception {
  kind: 'holiday' | 'makeup_workday';
  name: string;
}

// No holiday run plus adjacent weekends comes near this; reaching it means corrupt data.
const MAX_CONSECUTIVE_REST_DAYS = 40;

/** The canonical form of a date, or a RangeError for one that cannot exist. */
function canonical(date: IsoDate): IsoDate {
  const r = parseIsoDate(date);
  if (!r.ok) throw new RangeError(r.message);
  return r.value;
}

export class WorkCalendar {
  private readonly byYear: ReadonlyMap<number, CalendarYearData>;
  private readonly exceptions: ReadonlyMap<IsoDate, Exception>;

  private constructor(byYear: Map<number, CalendarYearData>) {
    this.byYear = byYear;
    const ex = new Map<IsoDate, Exception>();
    for (const data of byYear.values()) {
      for (const h of data.holidays) {
        ex.set(canonical(h.date), { kind: 'holiday', name: h.name });
      }
      for (const w of data.makeupWorkdays) {
        ex.set(canonical(w.date), { kind: 'makeup_workday', name: w.name });
      }
    }
    this.exceptions = ex;
  }

  /**
   * Builds a calendar from year data. A later entry for the same year replaces an earlier one,
   * so pass built-in years first and administrator-loaded years after them.
   * Data is expected to have passed `calendarYearDataSchema`; a malformed date throws.
   */
  static fromYears(years: readonly CalendarYearData[]): WorkCalendar {
    const byYear = new Map<number, CalendarYearData>();
    for (const y of years) byYear.set(y.year, y);
    return new WorkCalendar(byYear);
  }

  /** A new calendar with `years` added, replacing any data already held for the same years. */
  withYears(years: readonly CalendarYearData[]): WorkCalendar {
    const byYear = new Map(this.byYear);
    for (const y of years) byYear.set(y.year, y);
    return new WorkCalendar(byYear);
  }

  /** Years with loaded data, ascending. */
  years(): number[] {
    return [...this.byYear.keys()].sort((a, b) => a - b);
  }

  hasYear(year: number): boolean {
    return this.byYear.has(year);
  }

  yearData(year: number): CalendarYearData | undefined {
    return this.byYear.get(year);
  }

  /** Warnings for every year in [fromDate, toDate] that has no data. */
  coverage(fromDate: IsoDate, toDate: IsoDate): CalendarWarning[] {
    const a = yearOf(fromDate);
    const b = yearOf(toDate);
    const out: CalendarWarning[] = [];
    for (let y = Math.min(a, b); y <= Math.max(a, b); y++) {
      if (!this.byYear.has(y)) out.push(missingYearWarning(y));
    }
    return out;
  }

  private info(raw: IsoDate): { info: DayInfo; warning: CalendarWarning | null } {
    const date = canonical(raw);
    const year = yearOf(date);
    const known = this.byYear.has(year);
    const ex = known ? this.exceptions.get(date) : undefined;
    let kind: DayKind;
    let name: string | null = null;
    if (ex) {
      kind = ex.kind;
      name = ex.name;
    } else {
      kind = isWeekend(date) ? 'weekend' : 'workday';
    }
    return { info: { date, kind, name, known }, warning: known ? null : missingYearWarning(year) };
  }

  dayKind(date: IsoDate): Checked<DayInfo> {
    const { info, warning } = this.info(date);
    return { value: info, warnings: warning ? [warning] : [] };
  }

  isWorkingDay(date: IsoDate): Checked<boolean> {
    const { value, warnings } = this.dayKind(date);
    return { value: value.kind === 'workday' || value.kind === 'makeup_workday', warnings };
  }

  /** Weekend or public holiday; a make-up working day is NOT a rest day. */
  isRestDay(date: IsoDate): Checked<boolean> {
    const { value, warnings } = this.isWorkingDay(date);
    return { value: !value, warnings };
  }

  private step(date: IsoDate, direction: 1 | -1, includeStart: boolean): Checked<IsoDate> {
    const warnings: CalendarWarning[] = [];
    let d = includeStart ? canonical(date) : addDays(date, direction);
    for (let i = 0; i <= MAX_CONSECUTIVE_REST_DAYS; i++) {
      const { info, warning } = this.info(d);
      if (warning) warnings.push(warning);
      if (info.kind === 'workday' || info.kind === 'makeup_workday') {
        return { value: d, warnings: mergeWarnings(warnings) };
      }
      d = addDays(d, direction);
    }
    throw new RangeError(`${date} 前后连续 ${MAX_CONSECUTIVE_REST_DAYS} 天都不是工作日，节假日数据有误`);
  }

  nextWorkingDayOnOrAfter(date: IsoDate): Checked<IsoDate> {
    return this.step(date, 1, true);
  }

  nextWorkingDayAfter(date: IsoDate): Checked<IsoDate> {
    return this.step(date, 1, false);
  }

  previousWorkingDayOnOrBefore(date: IsoDate): Checked<IsoDate> {
    return this.step(date, -1, true);
  }

  /**
   * The working days counted by "N working days from `date`": the first is the first working
   * day AFTER `date` (the start day itself never counts). Negative n counts backwards.
   */
  workingDaysFrom(date: IsoDate, n: number): Checked<IsoDate[]> {
    if (!Number.isInteger(n)) throw new RangeError(`工作日数必须是整数：${n}`);
    const direction: 1 | -1 = n < 0 ? -1 : 1;
    const days: IsoDate[] = [];
    let warnings: CalendarWarning[] = [];
    let d = canonical(date);
    for (let i = 0; i < Math.abs(n); i++) {
      const next = this.step(d, direction, false);
      warnings = mergeWarnings(warnings, next.warnings);
      d = next.value;
      days.push(d);
    }
    return { value: days, warnings };
  }

  /** `date` plus n working days; n = 0 returns `date` unchanged even if it is a rest day. */
  addWorkingDays(date: IsoDate, n: number): Checked<IsoDate> {
    const { value, warnings } = this.workingDaysFrom(date, n);
    return { value: value[value.length - 1] ?? canonical(date), warnings };
  }

  /** The rest days (weekends and holidays) between two dates inclusive. */
  restDaysBetween(from: IsoDate, to: IsoDate): Checked<DayInfo[]> {
    const out: DayInfo[] = [];
    const warnings: CalendarWarning[] = [];
    if (compareDates(from, to) > 0) return { value: out, warnings };
    for (let d = from; compareDates(d, to) <= 0; d = addDays(d, 1)) {
      const { info, warning } = this.info(d);
      if (warning) warnings.push(warning);
      if (info.kind === 'weekend' || info.kind === 'holiday') out.push(info);
    }
    return { value: out, warnings: mergeWarnings(warnings) };
  }

  /** Working days from `from` to `to` inclusive. */
  countWorkingDays(from: IsoDate, to: IsoDate): Checked<number> {
    let count = 0;
    const warnings: CalendarWarning[] = [];
    for (let d = from; compareDates(d, to) <= 0; d = addDays(d, 1)) {
      const { info, warning } = this.info(d);
      if (warning) warnings.push(warning);
      if (info.kind === 'workday' || info.kind === 'makeup_workday') count++;
    }
    return { value: count, warnings: mergeWarnings(warnings) };
  }
}
