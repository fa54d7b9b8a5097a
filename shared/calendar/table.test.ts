import { describe, it, expect } from 'vitest';
import { builtInCalendar, normalizeCalendarKind, parseCalendarTable, parseCalendarYearJson, type CalendarTableRow } from './index';

// A plausible 2027 table (dates invented for the test, not a published notice).
const rows2027: CalendarTableRow[] = [
  { date: '2027-01-01', kind: '休', name: '元旦' },
  { date: '2027-01-02', kind: '休', name: '元旦' },
  { date: '2027-01-03', kind: '休', name: '元旦' },
  { date: '2027/2/6', kind: '放假', name: '春节' },
  { date: '2027-02-07', kind: '休息', name: '春节' },
  { date: '2027-02-08', kind: '节假日', name: '春节' },
  { date: '2027-02-09', kind: 'holiday', name: '春节' },
  { date: '2027-02-10', kind: '休', name: '春节' },
  { date: '2027-02-11', kind: '休', name: '春节' },
  { date: '2027-02-12', kind: '休', name: '春节' },
  { date: '2027-02-13', kind: '休', name: '春节' },
  { date: '2027-02-14', kind: '休' },
  { date: '2027-02-20', kind: '班', name: '春节' },
  { date: '2027年10月9日', kind: '调休上班', name: '国庆节' },
  { date: '20270925', kind: '补班' },
  { date: '2027-09-26', kind: 'workday', name: '国庆节' },
  { date: '', kind: '', name: '' },
];

describe('normalizeCalendarKind', () => {
  it.each([
    ['休', 'holiday'],
    [' 放假 ', 'holiday'],
    ['休息', 'holiday'],
    ['节假日', 'holiday'],
    ['Holiday', 'holiday'],
    ['班', 'makeup_workday'],
    ['上班', 'makeup_workday'],
    ['补班', 'makeup_workday'],
    ['调休上班', 'makeup_workday'],
    ['workday', 'makeup_workday'],
    ['调休', null],
    ['x', null],
    [3, null],
  ] as const)('%s → %s', (input, expected) => expect(normalizeCalendarKind(input)).toBe(expected));
});

describe('parseCalendarTable', () => {
  it('accepts a liberal table and yields usable year data', () => {
    const r = parseCalendarTable(rows2027, { sourceFile: '2027节假日.xlsx' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.year).toBe(2027);
    expect(r.value.source).toBe('2027节假日.xlsx');
    expect(r.value.holidays).toHaveLength(12);
    expect(r.value.holidays[0]).toEqual({ date: '2027-01-01', name: '元旦' });
    expect(r.value.holidays.find((h) => h.date === '2027-02-14')?.name).toBe('节假日');
    expect(r.value.makeupWorkdays).toEqual([
      { date: '2027-02-20', name: '春节' },
      { date: '2027-09-25', name: '调休' },
      { date: '2027-09-26', name: '国庆节' },
      { date: '2027-10-09', name: '国庆节' },
    ]);
    expect(r.warnings).toEqual([]);
    const c = builtInCalendar().withYears([r.value]);
    expect(c.dayKind('2027-02-08')).toEqual({
      value: { date: '2027-02-08', kind: 'holiday', name: '春节', known: true },
      warnings: [],
    });
    expect(c.addWorkingDays('2027-02-05', 1).value).toBe('2027-02-15');
    // And the result passes the JSON schema used for storage.
    expect(parseCalendarYearJson(r.value).ok).toBe(true);
  });

  it('reports each bad cell by row and column', () => {
    const r = parseCalendarTable(
      [
        { date: '2027-01-02', kind: '休', name: '元旦', row: 2 },
        { date: '2027-02-30', kind: '休', name: '春节', row: 5 },
        { date: '2027-02-10', kind: '放', name: '春节', row: 6 },
        { date: '2027-02-11', kind: '调休', row: 7 },
        { date: '2027-02-12', kind: '', row: 8 },
        { date: '2027-02-17', kind: '班', row: 9 },
        { date: '2026-12-31', kind: '休', row: 10 },
        { date: '2027-01-02', kind: '班', row: 11 },
        { date: '2027-02-13', kind: '休', name: 12, row: 12 },
      ],
      { year: 2027 },
    );
    expect(r).toEqual({
      ok: false,
      issues: [
        { path: 'rows.5.date', message: '第 5 行「日期」列：2027-02-30 不是有效日期' },
        { path: 'rows.7.kind', message: '第 7 行「类型」列：「调休」含义不明确，应填「休」（放假）或「班」（调休上班）' },
        { path: 'rows.8.kind', message: '第 8 行「类型」列：请填写「休」或「班」' },
        { path: 'rows.12.name', message: '第 12 行「名称」列：应为文字' },
        { path: 'rows.9.kind', message: '第 9 行「类型」列：2027-02-17 是周三，本来就是工作日，不能标为「班」' },
        { path: 'rows.10.date', message: '第 10 行「日期」列：2026-12-31 不属于 2027 年；跨年的安排请放在对应年份的表中' },
        { path: 'rows.11.date', message: '第 11 行「日期」列：2027-01-02 与第 2 行重复且类型不同' },
      ],
    });
  });

  it('names the file in messages when given', () => {
    const r = parseCalendarTable([{ date: 'abc', kind: '休' }], { sourceFile: 'a.csv' });
    expect(r).toEqual({
      ok: false,
      issues: [{ path: 'rows.1.date', message: 'a.csv 第 1 行「日期」列：「abc」无法识别为日期（应为 YYYY-MM-DD）' }],
    });
  });

  it('merges exact duplicates with a warning, and warns on a thin table', () => {
    const r = parseCalendarTable([
      { date: '2027-01-01', kind: '休', name: '元旦' },
      { date: '2027-01-01', kind: '放假', name: '元旦' },
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.holidays).toHaveLength(1);
    expect(r.warnings).toEqual([
      '第 2 行与第 1 行日期 2027-01-01 重复，已合并',
      '2027 年只列出 1 个放假日，全年法定节假日不少于 11 天，请核对表格是否完整',
    ]);
  });

  it('an empty table is an error', () => {
    expect(parseCalendarTable([{ date: '', kind: '' }])).toEqual({
      ok: false,
      issues: [{ path: 'rows', message: '表格中没有任何日期' }],
    });
  });

  it('rejects an impossible year option', () => {
    expect(parseCalendarTable(rows2027, { year: 27 }).ok).toBe(false);
  });
});

describe('calendarYearDataSchema / parseCalendarYearJson', () => {
  it('accepts and sorts valid data', () => {
    const r = parseCalendarYearJson({
      year: 2027,
      holidays: [
        { date: '2027-01-02', name: '元旦' },
        { date: '2027-01-01', name: '元旦' },
      ],
      makeupWorkdays: [],
    });
    expect(r).toEqual({
      ok: true,
      value: {
        year: 2027,
        holidays: [
          { date: '2027-01-01', name: '元旦' },
          { date: '2027-01-02', name: '元旦' },
        ],
        makeupWorkdays: [],
      },
    });
  });

  it('gives Chinese reasons per field', () => {
    const r = parseCalendarYearJson({
      year: 2027,
      holidays: [
        { date: '2027-02-30', name: '春节' },
        { date: '2027-01-02', name: '元旦' },
        { date: '2027-01-01', name: '' },
      ],
      makeupWorkdays: [{ date: '2027-01-09', name: '元旦' }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      { path: 'holidays.0.date', message: '放假日日期：2027-02-30 不是有效日期' },
      { path: 'holidays.2.name', message: '放假日名称：不能为空' },
    ]);
  });

  it('cross-field checks run once fields are well-formed', () => {
    const r = parseCalendarYearJson({
      year: 2027,
      holidays: [
        { date: '2026-12-31', name: '元旦' },
        { date: '2027-01-01', name: '元旦' },
      ],
      makeupWorkdays: [
        { date: '2027-01-06', name: '元旦' },
        { date: '2027-01-01', name: '元旦' },
      ],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      { path: 'holidays.0.date', message: '放假日日期：2026-12-31 不属于 2027 年' },
      { path: 'makeupWorkdays.0.date', message: '调休上班日日期：2027-01-06 是周三，本来就是工作日，不能列为调休上班' },
      { path: 'makeupWorkdays.1.date', message: '调休上班日日期：2027-01-01 是周五，本来就是工作日，不能列为调休上班' },
      { path: 'makeupWorkdays.1.date', message: '调休上班日日期：2027-01-01 重复（已列为放假日）' },
    ]);
  });

  it('rejects wrong types', () => {
    const r = parseCalendarYearJson({ year: '2027', holidays: 'x', makeupWorkdays: [] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.message)).toEqual(['年份：必须是数字', '放假日：必须是列表']);
    expect(parseCalendarYearJson(null).ok).toBe(false);
  });
});
