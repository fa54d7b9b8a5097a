import { describe, it, expect } from 'vitest';
import { builtInCalendar } from '../calendar';
import {
  WarningSink,
  countWorkingDays,
  describeDay,
  describeRestRuns,
  extendToWorkingDay,
  holidayPhrase,
  periodInDays,
  periodInMonths,
} from './index';

const cal = builtInCalendar();

describe('holidayPhrase / describeDay', () => {
  it.each([
    ['国庆节', '国庆节假日'],
    ['春节', '春节假日'],
    ['节假日', '节假日'],
    ['法定节假日', '法定节假日'],
    [null, '节假日'],
  ])('%s → %s', (name, phrase) => expect(holidayPhrase(name)).toBe(phrase));

  it.each([
    ['2026-10-03', '国庆节假日'],
    ['2026-10-10', '调休工作日（周六，国庆节调休上班）'],
    ['2026-10-11', '周日'],
    ['2026-10-08', '工作日（周四）'],
  ])('%s → %s', (date, text) => expect(describeDay(cal.dayKind(date).value)).toBe(text));
});

describe('民法典 第二百零一至二百零三条', () => {
  it('a period in days starts the day after the event', () => {
    const sink = new WarningSink();
    const p = periodInDays(cal, '2026-09-25', 15, sink);
    expect(p).toEqual({
      start: '2026-09-26',
      nominal: '2026-10-10',
      end: '2026-10-10',
      shifted: false,
      text: '末日 2026-10-10 为调休工作日（周六，国庆节调休上班），不顺延',
    });
    expect(sink.messages()).toEqual([]);
  });

  it('a last day on a holiday moves to the next working day', () => {
    const sink = new WarningSink();
    expect(extendToWorkingDay(cal, '2026-10-03', sink)).toEqual({
      nominal: '2026-10-03',
      end: '2026-10-08',
      shifted: true,
      text: '末日 2026-10-03 为国庆节假日，顺延至 2026-10-08（首个工作日）',
    });
  });

  it('a period in months ends on the month end when there is no matching date', () => {
    const sink = new WarningSink();
    expect(periodInMonths(cal, '2026-01-31', 1, sink)).toMatchObject({ clamped: true, nominal: '2026-02-28', end: '2026-02-28' });
    expect(periodInMonths(cal, '2024-01-30', 1, sink)).toMatchObject({ clamped: true, nominal: '2024-02-29', end: '2024-02-29' });
    expect(periodInMonths(cal, '2026-01-15', 1, sink)).toMatchObject({ clamped: false, nominal: '2026-02-15', end: '2026-02-24' });
  });

  it('collects one warning per missing year', () => {
    const sink = new WarningSink();
    periodInDays(cal, '2026-12-30', 10, sink);
    periodInDays(cal, '2027-12-30', 10, sink);
    expect(sink.messages()).toEqual([
      '2027 年节假日安排尚未载入，按周末计算，结果可能不准确',
      '2028 年节假日安排尚未载入，按周末计算，结果可能不准确',
    ]);
  });
});

describe('working-day counting text', () => {
  it('lists counted days and skipped runs', () => {
    const sink = new WarningSink();
    expect(countWorkingDays(cal, '2026-09-30', 3, sink)).toEqual({
      days: ['2026-10-08', '2026-10-09', '2026-10-10'],
      end: '2026-10-10',
      listed: '2026-10-08、2026-10-09、2026-10-10（调休工作日）',
      skipped: ['2026-10-01 至 2026-10-07（国庆节假日）'],
      text: '3 个工作日自次日起算，依次为 2026-10-08、2026-10-09、2026-10-10（调休工作日）；其间 2026-10-01 至 2026-10-07（国庆节假日）不计',
    });
  });

  it('groups weekends and holidays separately', () => {
    const days = cal.restDaysBetween('2026-09-19', '2026-10-11').value;
    expect(describeRestRuns(days)).toEqual([
      '2026-09-19（周六）',
      '2026-09-25 至 2026-09-27（中秋节假日）',
      '2026-10-01 至 2026-10-07（国庆节假日）',
      '2026-10-11（周日）',
    ]);
  });
});
