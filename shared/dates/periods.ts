/**
 * Calendar cycles used by periodic visits: key clients yearly, shareholder clients half-yearly,
 * value tiers quarterly, partner clients monthly. A cycle key is stable text that the main process
 * can store beside a visit to say which cycle it satisfied.
 */
import { type IsoDate, addDays, addMonths, dateParts, daysInMonth, makeDate } from './civil';

export type CycleUnit = 'year' | 'half' | 'quarter' | 'month';

export interface Cycle {
  unit: CycleUnit;
  /** '2026', '2026H2', '2026Q4', '2026-10'. */
  key: string;
  start: IsoDate;
  end: IsoDate;
  /** 「2026 年」「2026 年下半年」「2026 年第四季度」「2026 年 10 月」. */
  label: string;
}

export const CYCLE_UNIT_LABELS: Readonly<Record<CycleUnit, string>> = {
  year: '每年',
  half: '每半年',
  quarter: '每季度',
  month: '每月',
};

const QUARTER_NAMES = ['一', '二', '三', '四'] as const;

export function quarterOf(date: IsoDate): 1 | 2 | 3 | 4 {
  return (Math.floor((dateParts(date).month - 1) / 3) + 1) as 1 | 2 | 3 | 4;
}

export function halfOf(date: IsoDate): 1 | 2 {
  return dateParts(date).month <= 6 ? 1 : 2;
}

export const yearKey = (date: IsoDate): string => String(dateParts(date).year);
export const halfYearKey = (date: IsoDate): string => `${dateParts(date).year}H${halfOf(date)}`;
export const quarterKey = (date: IsoDate): string => `${dateParts(date).year}Q${quarterOf(date)}`;
export const monthKey = (date: IsoDate): string => {
  const { year, month } = dateParts(date);
  return `${year}-${String(month).padStart(2, '0')}`;
};

function mustMake(y: number, m: number, d: number): IsoDate {
  const out = makeDate(y, m, d);
  if (!out) throw new RangeError(`日期超出范围：${y}-${m}-${d}`);
  return out;
}

const unitMonths: Readonly<Record<CycleUnit, number>> = { year: 12, half: 6, quarter: 3, month: 1 };

/** The cycle of the given unit that contains `date`. */
export function cycleOf(date: IsoDate, unit: CycleUnit): Cycle {
  const { year, month } = dateParts(date);
  const len = unitMonths[unit];
  const firstMonth = Math.floor((month - 1) / len) * len + 1;
  const lastMonth = firstMonth + len - 1;
  const start = mustMake(year, firstMonth, 1);
  const end = mustMake(year, lastMonth, daysInMonth(year, lastMonth));
  switch (unit) {
    case 'year':
      return { unit, key: String(year), start, end, label: `${year} 年` };
    case 'half': {
      const h = firstMonth === 1 ? 1 : 2;
      return { unit, key: `${year}H${h}`, start, end, label: `${year} 年${h === 1 ? '上' : '下'}半年` };
    }
    case 'quarter': {
      const q = (firstMonth - 1) / 3 + 1;
      return { unit, key: `${year}Q${q}`, start, end, label: `${year} 年第${QUARTER_NAMES[q - 1] ?? q}季度` };
    }
    case 'month':
      return { unit, key: start.slice(0, 7), start, end, label: `${year} 年 ${firstMonth} 月` };
  }
}

export function nextCycle(cycle: Cycle): Cycle {
  return cycleOf(addDays(cycle.end, 1), cycle.unit);
}

export function previousCycle(cycle: Cycle): Cycle {
  return cycleOf(addDays(cycle.start, -1), cycle.unit);
}

export const quarterStart = (date: IsoDate): IsoDate => cycleOf(date, 'quarter').start;
export const quarterEnd = (date: IsoDate): IsoDate => cycleOf(date, 'quarter').end;
export const halfYearStart = (date: IsoDate): IsoDate => cycleOf(date, 'half').start;
export const halfYearEnd = (date: IsoDate): IsoDate => cycleOf(date, 'half').end;
export const yearStart = (date: IsoDate): IsoDate => cycleOf(date, 'year').start;
export const yearEnd = (date: IsoDate): IsoDate => cycleOf(date, 'year').end;
export const monthStart = (date: IsoDate): IsoDate => cycleOf(date, 'month').start;
export const monthEnd = (date: IsoDate): IsoDate => cycleOf(date, 'month').end;

/** One quarter (three months) earlier, clamped to month end as 民法典 第二百零二条 does. */
export const quarterBefore = (date: IsoDate): IsoDate => addMonths(date, -3);

/** Parses a month key 'YYYY-MM' to its first day, or null. */
export function parseMonthKey(key: string): IsoDate | null {
  const m = /^(\d{4})-(\d{2})$/.exec(key.trim());
  if (!m) return null;
  return makeDate(Number(m[1]), Number(m[2]), 1);
}
