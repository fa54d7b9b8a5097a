/**
 * Period counting as 《中华人民共和国民法典》 第二百零一条至第二百零三条 prescribe, with the Chinese
 * sentences that explain each step to the person at the desk:
 * - a period in days or months starts on the day after the event (第二百零一条);
 * - a period in months ends on the same date of the last month, or its last day (第二百零二条);
 * - when the last day is a rest day (weekend or public holiday, but NOT a make-up working day),
 *   the period ends on the next working day (第二百零三条).
 */
import { type CalendarWarning, type DayInfo, type WorkCalendar, mergeWarnings } from '../calendar';
import { type IsoDate, addDays, addMonths, dateParts, weekdayName } from '../dates';

export const CIVIL_CODE_SOURCE = '《中华人民共和国民法典》第二百零一条至第二百零三条';

/** Collects calendar warnings across the steps of one computation. */
export class WarningSink {
  private list: CalendarWarning[] = [];
  add(ws: readonly CalendarWarning[]): void {
    this.list = mergeWarnings(this.list, ws);
  }
  /** Unwraps a calendar answer, keeping its warnings. */
  take<T>(r: { value: T; warnings: readonly CalendarWarning[] }): T {
    this.add(r.warnings);
    return r.value;
  }
  messages(): string[] {
    return this.list.map((w) => w.message);
  }
}

/** 「国庆节假日」, 「春节假日」; a name that already says 假日 is left alone. */
export function holidayPhrase(name: string | null): string {
  if (!name) return '节假日';
  return /假日?$/.test(name) ? name : `${name}假日`;
}

/** How one day reads in an explanation: 「调休工作日（周六，国庆节调休上班）」「国庆节假日」「周六」「工作日」. */
export function describeDay(info: DayInfo): string {
  switch (info.kind) {
    case 'holiday':
      return holidayPhrase(info.name);
    case 'makeup_workday':
      return `调休工作日（${weekdayName(info.date)}，${info.name && info.name !== '调休' ? info.name : ''}调休上班）`;
    case 'weekend':
      return weekdayName(info.date);
    case 'workday':
      return `工作日（${weekdayName(info.date)}）`;
  }
}

export interface PeriodEnd {
  /** The last day before any extension. */
  nominal: IsoDate;
  /** The last day after extension (== nominal unless it was a rest day). */
  end: IsoDate;
  shifted: boolean;
  /** 「末日 2026-10-03 为国庆节假日，顺延至 2026-10-08（首个工作日）」 */
  text: string;
}

/** Applies 第二百零三条 to a nominal last day. */
export function extendToWorkingDay(cal: WorkCalendar, nominal: IsoDate, sink: WarningSink, subject = '末日'): PeriodEnd {
  const info = sink.take(cal.dayKind(nominal));
  if (info.kind === 'workday') {
    return { nominal, end: nominal, shifted: false, text: `${subject} ${nominal} 为${describeDay(info)}` };
  }
  if (info.kind === 'makeup_workday') {
    return { nominal, end: nominal, shifted: false, text: `${subject} ${nominal} 为${describeDay(info)}，不顺延` };
  }
  const end = sink.take(cal.nextWorkingDayOnOrAfter(nominal));
  return {
    nominal,
    end,
    shifted: true,
    text: `${subject} ${nominal} 为${describeDay(info)}，顺延至 ${end}（首个工作日）`,
  };
}

export interface DayPeriod extends PeriodEnd {
  /** First counted day: the day after the event. */
  start: IsoDate;
}

/** A period of `days` days from `event` (the event day itself not counted). */
export function periodInDays(cal: WorkCalendar, event: IsoDate, days: number, sink: WarningSink): DayPeriod {
  const nominal = addDays(event, days);
  return { start: addDays(event, 1), ...extendToWorkingDay(cal, nominal, sink) };
}

/** A period of `months` months from `event`, with 第二百零二条's month-end rule. */
export function periodInMonths(cal: WorkCalendar, event: IsoDate, months: number, sink: WarningSink): DayPeriod & { clamped: boolean } {
  const nominal = addMonths(event, months);
  const clamped = dateParts(nominal).day !== dateParts(event).day;
  return { start: addDays(event, 1), clamped, ...extendToWorkingDay(cal, nominal, sink) };
}

/** Groups rest days into runs: 「2026-10-01 至 2026-10-07（国庆节假日）」「2026-10-11（周日）」. */
export function describeRestRuns(days: readonly DayInfo[]): string[] {
  const runs: { from: IsoDate; to: IsoDate; label: string }[] = [];
  for (const d of days) {
    const label = d.kind === 'holiday' ? holidayPhrase(d.name) : '周末';
    const last = runs[runs.length - 1];
    if (last && last.label === label && addDays(last.to, 1) === d.date) last.to = d.date;
    else runs.push({ from: d.date, to: d.date, label });
  }
  return runs.map((r) =>
    r.from === r.to
      ? `${r.from}（${r.label === '周末' ? weekdayName(r.from) : r.label}）`
      : `${r.from} 至 ${r.to}（${r.label}）`,
  );
}

export interface WorkingDayCount {
  days: IsoDate[];
  end: IsoDate;
  /** 「2026-10-08、2026-10-09、2026-10-10（调休工作日）」 */
  listed: string;
  /** Rest-day runs skipped along the way, as describeRestRuns gives them. */
  skipped: string[];
  /** 「3 个工作日自次日起算：2026-10-08、2026-10-09、2026-10-10（调休工作日）；2026-10-01 至 2026-10-07（国庆节假日）不计」 */
  text: string;
}

/** "N working days" from `event`: counted from the day after, skipping rest days. */
export function countWorkingDays(cal: WorkCalendar, event: IsoDate, n: number, sink: WarningSink): WorkingDayCount {
  const days = sink.take(cal.workingDaysFrom(event, n));
  const end = days[days.length - 1] ?? event;
  const listed = days
    .map((d) => {
      const info = sink.take(cal.dayKind(d));
      return info.kind === 'makeup_workday' ? `${d}（调休工作日）` : d;
    })
    .join('、');
  const skipped = end === event ? [] : describeRestRuns(sink.take(cal.restDaysBetween(addDays(event, 1), end)));
  const skippedText = skipped.length > 0 ? `；其间 ${skipped.join('、')}不计` : '';
  return { days, end, listed, skipped, text: `${n} 个工作日自次日起算，依次为 ${listed}${skippedText}` };
}
