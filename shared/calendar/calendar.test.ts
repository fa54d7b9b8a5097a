import { describe, it, expect } from 'vitest';
import {
  BUILT_IN_CALENDAR_YEARS,
  CN_CALENDAR_FIRST_YEAR,
  CN_CALENDAR_LAST_YEAR,
  WorkCalendar,
  builtInCalendar,
  createWorkCalendar,
  mergeWarnings,
  missingYearWarning,
  type CalendarYearData,
} from './index';

const cal = builtInCalendar();
const W2027 = '2027 年节假日安排尚未载入，按周末计算，结果可能不准确';

describe('built-in data', () => {
  it('covers 2004–2026, one entry per year', () => {
    expect(CN_CALENDAR_FIRST_YEAR).toBe(2004);
    expect(CN_CALENDAR_LAST_YEAR).toBe(2026);
    expect(cal.years()).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(cal.hasYear(2026)).toBe(true);
    expect(cal.hasYear(2027)).toBe(false);
    expect(cal.hasYear(2003)).toBe(false);
  });

  it('lists make-up working days only on weekends and never as holidays', () => {
    for (const y of BUILT_IN_CALENDAR_YEARS) {
      const holidayDates = new Set(y.holidays.map((h) => h.date));
      for (const w of y.makeupWorkdays) {
        expect(holidayDates.has(w.date)).toBe(false);
        expect(cal.dayKind(w.date).value.kind).toBe('makeup_workday');
      }
      for (const h of y.holidays) expect(h.date.startsWith(String(y.year))).toBe(true);
    }
  });

  // 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）
  describe('State Council notice for 2026', () => {
    it.each([
      // 元旦：1月1日（周四）至3日放假调休，共3天。1月4日（周日）上班。
      ['2026-01-01', 'holiday', '元旦'],
      ['2026-01-03', 'holiday', '元旦'],
      ['2026-01-04', 'makeup_workday', '元旦'],
      // 春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
      ['2026-02-14', 'makeup_workday', '春节'],
      ['2026-02-15', 'holiday', '春节'],
      ['2026-02-17', 'holiday', '春节'],
      ['2026-02-23', 'holiday', '春节'],
      ['2026-02-24', 'workday', null],
      ['2026-02-28', 'makeup_workday', '春节'],
      // 劳动节：5月1日（周五）至5日放假调休，共5天。5月9日（周六）上班。
      ['2026-05-05', 'holiday', '劳动节'],
      ['2026-05-09', 'makeup_workday', '劳动节'],
      // 中秋节：9月25日（周五）至27日放假，共3天。
      ['2026-09-25', 'holiday', '中秋节'],
      ['2026-09-27', 'holiday', '中秋节'],
      // 国庆节：10月1日（周四）至7日放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
      ['2026-09-20', 'makeup_workday', '国庆节'],
      ['2026-10-01', 'holiday', '国庆节'],
      ['2026-10-07', 'holiday', '国庆节'],
      ['2026-10-08', 'workday', null],
      ['2026-10-09', 'workday', null],
      ['2026-10-10', 'makeup_workday', '国庆节'],
      ['2026-10-11', 'weekend', null],
      ['2026-03-07', 'weekend', null],
    ])('%s is %s (%s)', (date, kind, name) => {
      const r = cal.dayKind(date);
      expect(r.value).toEqual({ date, kind, name, known: true });
      expect(r.warnings).toEqual([]);
    });
  });

  it.each([
    // 2025: 春节 1月28日至2月4日，1月26日（周日）、2月8日（周六）上班；国庆中秋 10月1日至8日，9月28日（周日）、10月11日（周六）上班。
    ['2025-01-26', 'makeup_workday'],
    ['2025-02-04', 'holiday'],
    ['2025-02-08', 'makeup_workday'],
    ['2025-10-08', 'holiday'],
    ['2025-10-11', 'makeup_workday'],
    // 2024: 春节 2月10日至17日，2月4日（周日）、2月18日（周日）上班。
    ['2024-02-04', 'makeup_workday'],
    ['2024-02-17', 'holiday'],
    ['2024-02-18', 'makeup_workday'],
    ['2024-02-29', 'workday'],
    // 2020: 国庆中秋 10月1日至8日，9月27日（周日）、10月10日（周六）上班。
    ['2020-10-10', 'makeup_workday'],
    // 2015: 抗战胜利70周年纪念日 9月3日至5日，9月6日（周日）上班。
    ['2015-09-03', 'holiday'],
    ['2015-09-06', 'makeup_workday'],
  ])('earlier notices: %s is %s', (date, kind) => {
    expect(cal.dayKind(date).value.kind).toBe(kind);
  });

  it('holiday names are the usual full Chinese names', () => {
    expect(cal.dayKind('2026-04-05').value.name).toBe('清明节');
    expect(cal.dayKind('2026-06-19').value.name).toBe('端午节');
    expect(cal.dayKind('2015-09-03').value.name).toBe('抗战胜利70周年纪念日');
  });
});

describe('working / rest days', () => {
  it('a make-up Saturday is a working day, not a rest day', () => {
    expect(cal.isWorkingDay('2026-10-10')).toEqual({ value: true, warnings: [] });
    expect(cal.isRestDay('2026-10-10')).toEqual({ value: false, warnings: [] });
  });
  it('accepts dates with stray spaces, answering in canonical form', () => {
    expect(cal.dayKind(' 2026-10-01 ').value).toEqual({ date: '2026-10-01', kind: 'holiday', name: '国庆节', known: true });
    expect(cal.nextWorkingDayOnOrAfter(' 2026-10-09').value).toBe('2026-10-09');
    expect(cal.addWorkingDays('2026-10-09 ', 0).value).toBe('2026-10-09');
  });
  it('holidays and weekends are rest days', () => {
    expect(cal.isRestDay('2026-10-05').value).toBe(true);
    expect(cal.isRestDay('2026-10-11').value).toBe(true);
    expect(cal.isWorkingDay('2026-10-08').value).toBe(true);
  });
});

describe('addWorkingDays counts working days after the start day', () => {
  it.each([
    // Wednesday → Thursday
    ['2026-03-04', 1, '2026-03-05'],
    // Friday + 1 → Monday
    ['2026-03-06', 1, '2026-03-09'],
    // 3 working days from 2026-09-30 skip the National Day week: 10-08, 10-09, 10-10 (make-up Saturday)
    ['2026-09-30', 3, '2026-10-10'],
    ['2026-09-30', 4, '2026-10-12'],
    // From 2026-02-13 (Fri): 02-14 is a make-up Saturday, then 02-15..23 Spring Festival
    ['2026-02-13', 1, '2026-02-14'],
    ['2026-02-13', 2, '2026-02-24'],
    ['2026-02-13', 3, '2026-02-25'],
    // Start day on a holiday
    ['2026-10-03', 1, '2026-10-08'],
    ['2026-10-03', 0, '2026-10-03'],
    // Backwards
    ['2026-10-08', -1, '2026-09-30'],
    ['2026-10-12', -2, '2026-10-09'],
    // Leap day
    ['2024-02-28', 1, '2024-02-29'],
  ])('%s + %i working days = %s', (date, n, expected) => {
    expect(cal.addWorkingDays(date, n)).toEqual({ value: expected, warnings: [] });
  });

  it('lists the counted days', () => {
    expect(cal.workingDaysFrom('2026-09-30', 3).value).toEqual(['2026-10-08', '2026-10-09', '2026-10-10']);
  });

  it('rejects fractions', () => {
    expect(() => cal.addWorkingDays('2026-03-04', 1.5)).toThrow();
  });
});

describe('next / previous working day', () => {
  it.each([
    ['2026-10-03', '2026-10-08'],
    ['2026-10-10', '2026-10-10'],
    ['2026-10-11', '2026-10-12'],
    ['2026-02-15', '2026-02-24'],
    ['2026-03-07', '2026-03-09'],
  ])('on or after %s → %s', (d, e) => expect(cal.nextWorkingDayOnOrAfter(d).value).toBe(e));
  it('after / before', () => {
    expect(cal.nextWorkingDayAfter('2026-10-10').value).toBe('2026-10-12');
    expect(cal.previousWorkingDayOnOrBefore('2026-10-07').value).toBe('2026-09-30');
    expect(cal.previousWorkingDayOnOrBefore('2026-02-23').value).toBe('2026-02-14');
  });
  it('restDaysBetween / countWorkingDays', () => {
    const rest = cal.restDaysBetween('2026-10-01', '2026-10-11').value;
    expect(rest.map((d) => d.date)).toEqual([
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
      '2026-10-11',
    ]);
    expect(cal.countWorkingDays('2026-10-01', '2026-10-11').value).toBe(3);
  });
});

describe('years without data are never silently weekends-only', () => {
  it('dayKind warns', () => {
    const r = cal.dayKind('2027-01-01');
    expect(r.value).toEqual({ date: '2027-01-01', kind: 'workday', name: null, known: false });
    expect(r.warnings).toEqual([{ code: 'missing_year', year: 2027, message: W2027 }]);
  });
  it('crossing into 2027 warns once', () => {
    const r = cal.addWorkingDays('2026-12-30', 5);
    expect(r.value).toBe('2027-01-06');
    expect(r.warnings.map((w) => w.message)).toEqual([W2027]);
  });
  it('nextWorkingDayOnOrAfter and isRestDay warn', () => {
    expect(cal.nextWorkingDayOnOrAfter('2027-10-02').warnings).toHaveLength(1);
    expect(cal.isRestDay('2027-10-02')).toEqual({ value: true, warnings: [missingYearWarning(2027)] });
  });
  it('coverage lists missing years', () => {
    expect(cal.coverage('2026-06-01', '2028-01-01').map((w) => w.year)).toEqual([2027, 2028]);
    expect(cal.coverage('2026-01-01', '2026-12-31')).toEqual([]);
  });
  it('mergeWarnings deduplicates by year', () => {
    expect(mergeWarnings([missingYearWarning(2027)], [missingYearWarning(2027), missingYearWarning(2028)])).toHaveLength(2);
  });
});

describe('administrator-loaded years', () => {
  const y2027: CalendarYearData = {
    year: 2027,
    holidays: [
      { date: '2027-01-01', name: '元旦' },
      { date: '2027-01-02', name: '元旦' },
      { date: '2027-01-03', name: '元旦' },
    ],
    makeupWorkdays: [{ date: '2027-01-09', name: '元旦' }],
    source: '测试数据',
  };

  it('adds a year and removes the warning', () => {
    const c = createWorkCalendar([y2027]);
    expect(c.hasYear(2027)).toBe(true);
    expect(c.years().at(-1)).toBe(2027);
    expect(c.dayKind('2027-01-01')).toEqual({
      value: { date: '2027-01-01', kind: 'holiday', name: '元旦', known: true },
      warnings: [],
    });
    expect(c.isWorkingDay('2027-01-09').value).toBe(true);
    // The built-in calendar is untouched.
    expect(cal.hasYear(2027)).toBe(false);
  });

  it('a loaded year replaces the shipped one', () => {
    const replaced = WorkCalendar.fromYears([...BUILT_IN_CALENDAR_YEARS, { year: 2026, holidays: [], makeupWorkdays: [] }]);
    expect(replaced.dayKind('2026-10-01').value.kind).toBe('workday');
    expect(replaced.dayKind('2026-10-10').value.kind).toBe('weekend');
    expect(builtInCalendar().dayKind('2026-10-01').value.kind).toBe('holiday');
  });

  it('createWorkCalendar without extra years is the built-in calendar', () => {
    expect(createWorkCalendar()).toBe(builtInCalendar());
  });

  it('rejects malformed dates in year data', () => {
    expect(() => WorkCalendar.fromYears([{ year: 2027, holidays: [{ date: '2027-02-30', name: 'x' }], makeupWorkdays: [] }])).toThrow(
      '2027-02-30 不是有效日期',
    );
  });
});
