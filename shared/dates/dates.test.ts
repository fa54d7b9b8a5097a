import { describe, it, expect } from 'vitest';
import {
  addDays,
  addMonths,
  addYears,
  compareDates,
  cycleOf,
  daysInMonth,
  diffDays,
  eachDate,
  formatChineseDate,
  fromDayNumber,
  halfYearKey,
  isLeapYear,
  isValidIsoDate,
  makeDate,
  maxDate,
  minDate,
  monthKey,
  nextCycle,
  parseIsoDate,
  parseLooseDate,
  parseMonthKey,
  previousCycle,
  quarterBefore,
  quarterKey,
  toDayNumber,
  weekday,
  weekdayName,
  yearKey,
} from './index';

describe('parseIsoDate', () => {
  it.each([
    ['2026-02-28', '2026-02-28'],
    ['2024-02-29', '2024-02-29'],
    [' 2026-10-10 ', '2026-10-10'],
  ])('accepts %s', (input, expected) => {
    expect(parseIsoDate(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['2026-02-30', '回执签署日期：2026-02-30 不是有效日期'],
    ['2025-02-29', '回执签署日期：2025-02-29 不是有效日期'],
    ['2026-13-01', '回执签署日期：2026-13-01 不是有效日期'],
    ['2026-04-31', '回执签署日期：2026-04-31 不是有效日期'],
    ['2026/02/03', '回执签署日期：「2026/02/03」不是 YYYY-MM-DD 格式的日期'],
    ['', '回执签署日期：请填写日期（格式 YYYY-MM-DD）'],
    ['0001-01-01', '回执签署日期：0001-01-01 的年份超出 1900–2199 范围'],
  ])('rejects %s with a Chinese message naming the field', (input, message) => {
    expect(parseIsoDate(input, '回执签署日期')).toEqual({ ok: false, message });
  });

  it('rejects non-strings', () => {
    expect(parseIsoDate(20260101).ok).toBe(false);
    expect(isValidIsoDate(null)).toBe(false);
    expect(isValidIsoDate('2026-01-01')).toBe(true);
  });
});

describe('parseLooseDate', () => {
  it.each([
    ['2027-2-3', '2027-02-03'],
    ['2027/02/03', '2027-02-03'],
    ['2027.2.3', '2027-02-03'],
    ['2027年2月3日', '2027-02-03'],
    ['20270203', '2027-02-03'],
  ])('normalises %s', (input, expected) => {
    expect(parseLooseDate(input)).toEqual({ ok: true, value: expected });
  });
  it('still rejects impossible days', () => {
    expect(parseLooseDate('2027/2/30', '日期')).toEqual({ ok: false, message: '日期：2027/2/30 不是有效日期' });
    expect(parseLooseDate('下周一').ok).toBe(false);
  });
});

describe('leap years and month lengths', () => {
  it.each([
    [2024, true],
    [2025, false],
    [2000, true],
    [1900, false],
    [2100, false],
  ])('%i leap = %s', (y, leap) => expect(isLeapYear(y)).toBe(leap));
  it('February lengths', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(makeDate(2026, 2, 29)).toBeNull();
    expect(makeDate(2024, 2, 29)).toBe('2024-02-29');
  });
});

describe('day numbers', () => {
  it('epoch and round trips', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1969-12-31')).toBe(-1);
    expect(toDayNumber('2000-03-01')).toBe(11017);
    for (const d of ['1900-01-01', '2024-02-29', '2026-12-31', '2199-12-31']) {
      expect(fromDayNumber(toDayNumber(d))).toBe(d);
    }
  });
  it('agrees with UTC Date for every day of 2004–2030', () => {
    const start = Date.UTC(2004, 0, 1);
    for (let i = 0; i < 9862; i += 1) {
      const iso = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
      expect(toDayNumber(iso)).toBe(Math.round((start + i * 86_400_000) / 86_400_000));
    }
  });
  it('tolerates surrounding spaces the way parseIsoDate does', () => {
    expect(addDays(' 2026-10-10 ', 1)).toBe('2026-10-11');
    expect(toDayNumber(' 1970-01-02')).toBe(1);
  });
  it('throws on arithmetic with an invalid date', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow('2026-02-30 不是有效日期');
    expect(() => addDays('2026-02-01', 1.5)).toThrow();
  });
});

describe('addDays / diffDays / compare', () => {
  it.each([
    ['2026-09-25', 15, '2026-10-10'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-01', 0, '2026-01-01'],
  ])('%s + %i = %s', (d, n, e) => expect(addDays(d, n)).toBe(e));
  it('diffDays', () => {
    expect(diffDays('2026-01-01', '2027-01-01')).toBe(365);
    expect(diffDays('2024-01-01', '2025-01-01')).toBe(366);
    expect(diffDays('2026-10-10', '2026-09-25')).toBe(-15);
  });
  it('compare / min / max', () => {
    expect(compareDates('2026-01-02', '2026-01-10')).toBe(-1);
    expect(compareDates('2026-01-10', '2026-01-10')).toBe(0);
    expect(compareDates('2026-02-01', '2026-01-10')).toBe(1);
    expect(minDate('2026-03-01', '2026-02-28')).toBe('2026-02-28');
    expect(maxDate('2026-03-01', '2026-02-28')).toBe('2026-03-01');
  });
  it('eachDate', () => {
    expect(eachDate('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(eachDate('2026-03-02', '2026-03-01')).toEqual([]);
  });
});

describe('addMonths (民法典 第二百零二条)', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-01-15', 1, '2026-02-15'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-12-31', -3, '2026-09-30'],
    ['2026-05-31', -3, '2026-02-28'],
    ['2026-01-10', -1, '2025-12-10'],
  ])('%s + %i months = %s', (d, n, e) => expect(addMonths(d, n)).toBe(e));
  it('addYears on 29 February', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });
  it('quarterBefore', () => {
    expect(quarterBefore('2026-05-31')).toBe('2026-02-28');
    expect(quarterBefore('2027-01-15')).toBe('2026-10-15');
  });
});

describe('weekday', () => {
  it.each([
    ['1970-01-01', 4, '周四'],
    ['2026-10-10', 6, '周六'],
    ['2026-02-28', 6, '周六'],
    ['2026-10-08', 4, '周四'],
    ['2024-02-29', 4, '周四'],
    ['2026-02-15', 7, '周日'],
    ['1969-12-29', 1, '周一'],
  ])('%s is %i %s', (d, w, name) => {
    expect(weekday(d)).toBe(w);
    expect(weekdayName(d)).toBe(name);
  });
  it('formats Chinese dates', () => {
    expect(formatChineseDate('2026-10-01')).toBe('2026年10月1日');
  });
});

describe('cycles', () => {
  it('keys', () => {
    expect(yearKey('2026-10-10')).toBe('2026');
    expect(halfYearKey('2026-06-30')).toBe('2026H1');
    expect(halfYearKey('2026-07-01')).toBe('2026H2');
    expect(quarterKey('2026-10-10')).toBe('2026Q4');
    expect(quarterKey('2026-03-31')).toBe('2026Q1');
    expect(monthKey('2026-10-10')).toBe('2026-10');
  });
  it.each([
    ['2026-10-10', 'year', '2026', '2026-01-01', '2026-12-31', '2026 年'],
    ['2026-10-10', 'half', '2026H2', '2026-07-01', '2026-12-31', '2026 年下半年'],
    ['2026-02-10', 'half', '2026H1', '2026-01-01', '2026-06-30', '2026 年上半年'],
    ['2026-10-10', 'quarter', '2026Q4', '2026-10-01', '2026-12-31', '2026 年第四季度'],
    ['2024-02-10', 'quarter', '2024Q1', '2024-01-01', '2024-03-31', '2024 年第一季度'],
    ['2024-02-10', 'month', '2024-02', '2024-02-01', '2024-02-29', '2024 年 2 月'],
  ] as const)('%s %s → %s', (d, unit, key, start, end, label) => {
    expect(cycleOf(d, unit)).toEqual({ unit, key, start, end, label });
  });
  it('next / previous', () => {
    expect(nextCycle(cycleOf('2026-12-01', 'quarter')).key).toBe('2027Q1');
    expect(previousCycle(cycleOf('2026-01-01', 'half')).key).toBe('2025H2');
    expect(nextCycle(cycleOf('2026-12-01', 'month')).key).toBe('2027-01');
  });
  it('parseMonthKey', () => {
    expect(parseMonthKey('2026-10')).toBe('2026-10-01');
    expect(parseMonthKey('2026-13')).toBeNull();
    expect(parseMonthKey('2026/10')).toBeNull();
  });
});
