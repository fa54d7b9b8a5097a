import { addDays, makeDate } from '../dates';
import { CN_CALENDAR_DATA, CN_CALENDAR_SOURCE } from './cn-calendar-data';
import type { CalendarYearData, CompactCalendarYear, NamedDate } from './types';
import { WorkCalendar } from './work-calendar';

function dateIn(year: number, mmdd: string): string {
  const d = makeDate(year, Number(mmdd.slice(0, 2)), Number(mmdd.slice(3, 5)));
  if (!d) throw new RangeError(`内置节假日数据有误：${year}-${mmdd}`);
  return d;
}

export function expandCompactYear(c: CompactCalendarYear, source = CN_CALENDAR_SOURCE): CalendarYearData {
  const holidays: NamedDate[] = [];
  for (const [name, start, days] of c.h) {
    const first = dateIn(c.y, start);
    for (let i = 0; i < days; i++) holidays.push({ date: addDays(first, i), name });
  }
  const makeupWorkdays = c.w.map(([name, mmdd]) => ({ date: dateIn(c.y, mmdd), name }));
  return { year: c.y, holidays, makeupWorkdays, source };
}

/** The shipped years (2004–2026 at the time of writing), expanded. */
export const BUILT_IN_CALENDAR_YEARS: readonly CalendarYearData[] = CN_CALENDAR_DATA.map((c) => expandCompactYear(c));

let builtIn: WorkCalendar | undefined;

/** The calendar from shipped data only. */
export function builtInCalendar(): WorkCalendar {
  builtIn ??= WorkCalendar.fromYears(BUILT_IN_CALENDAR_YEARS);
  return builtIn;
}

/**
 * The calendar the app should use: shipped data overlaid with administrator-loaded years
 * (which win for the same year, so a corrected or newly published year replaces the shipped one).
 */
export function createWorkCalendar(loadedYears: readonly CalendarYearData[] = []): WorkCalendar {
  return loadedYears.length === 0 ? builtInCalendar() : builtInCalendar().withYears(loadedYears);
}
