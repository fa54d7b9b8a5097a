import type { IsoDate } from '../dates';

/** How the State Council's yearly notice classes one day. */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup_workday';

export const DAY_KIND_LABELS: Readonly<Record<DayKind, string>> = {
  workday: '工作日',
  weekend: '周末',
  holiday: '法定节假日',
  makeup_workday: '调休工作日',
};

export interface NamedDate {
  date: IsoDate;
  /** 「春节」「国庆节」…; for a make-up working day, the holiday it makes up for. */
  name: string;
}

/**
 * One year's arrangement, as built in or as loaded by an administrator (and stored by the main
 * process). Only exceptions are listed: every other Monday–Friday is a working day and every other
 * Saturday/Sunday a weekend.
 */
export interface CalendarYearData {
  year: number;
  /** Days off (放假), including the weekends that fall inside a holiday run. */
  holidays: NamedDate[];
  /** Saturdays/Sundays that are working days (调休上班). */
  makeupWorkdays: NamedDate[];
  /** Where the data came from, e.g. 「国务院办公厅关于2027年部分节假日安排的通知」 or 'chinese-days@1.5.7'. */
  source?: string;
}

/**
 * Compact form used only by the generated built-in data file: holiday runs as
 * [name, 'MM-DD' of first day, length in days] and make-up days as [name, 'MM-DD'].
 */
export interface CompactCalendarYear {
  y: number;
  h: ReadonlyArray<readonly [name: string, start: string, days: number]>;
  w: ReadonlyArray<readonly [name: string, date: string]>;
}

export interface CalendarWarning {
  code: 'missing_year';
  year: number;
  message: string;
}

/**
 * A calendar answer. Whenever a date in a year without loaded data was consulted the answer is a
 * guess (weekends only) and `warnings` says so; the wrapper makes callers unwrap `value` and so
 * see that the warnings exist.
 */
export interface Checked<T> {
  value: T;
  warnings: CalendarWarning[];
}

export interface DayInfo {
  date: IsoDate;
  kind: DayKind;
  /** Holiday name for 'holiday' and 'makeup_workday', else null. */
  name: string | null;
  /** False when the year has no loaded data and the kind was guessed from the weekday. */
  known: boolean;
}
