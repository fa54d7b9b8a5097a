/**
 * The JSON form of one year's calendar, as stored by the main process and exchanged between
 * offices. Everything that reaches `WorkCalendar.fromYears` from outside the shipped data should
 * pass through `parseCalendarYearJson` first.
 */
import { z } from 'zod';
import type { FieldIssue } from '../api/envelope';
import { MAX_YEAR, MIN_YEAR, isWeekend, parseIsoDate, weekdayName, yearOf } from '../dates';
import type { CalendarYearData } from './types';

const isoDateString = (label: string) =>
  z.string({ error: `${label}：必须是 YYYY-MM-DD 格式的日期` }).superRefine((s, ctx) => {
    const r = parseIsoDate(s, label);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
  });

const namedDateSchema = (label: string) =>
  z.object(
    {
      date: isoDateString(`${label}日期`),
      name: z
        .string({ error: `${label}名称：必须是文字` })
        .trim()
        .min(1, `${label}名称：不能为空`)
        .max(40, `${label}名称：不能超过 40 个字`),
    },
    { error: `${label}：应为 { date, name } 对象` },
  );

export const calendarYearDataSchema = z
  .object(
    {
      year: z
        .number({ error: '年份：必须是数字' })
        .int('年份：必须是整数')
        .min(MIN_YEAR, `年份：不能早于 ${MIN_YEAR}`)
        .max(MAX_YEAR, `年份：不能晚于 ${MAX_YEAR}`),
      holidays: z.array(namedDateSchema('放假日'), { error: '放假日：必须是列表' }),
      makeupWorkdays: z.array(namedDateSchema('调休上班日'), { error: '调休上班日：必须是列表' }),
      source: z.string({ error: '来源：必须是文字' }).max(200, '来源：不能超过 200 个字').optional(),
    },
    { error: '节假日数据：应为对象' },
  )
  .superRefine((v, ctx) => {
    const seen = new Map<string, string>();
    const check = (list: CalendarYearData['holidays'], field: 'holidays' | 'makeupWorkdays', label: string) => {
      list.forEach((item, i) => {
        if (!parseIsoDate(item.date).ok) return;
        if (yearOf(item.date) !== v.year) {
          ctx.addIssue({
            code: 'custom',
            path: [field, i, 'date'],
            message: `${label}日期：${item.date} 不属于 ${v.year} 年`,
          });
        }
        if (field === 'makeupWorkdays' && !isWeekend(item.date)) {
          ctx.addIssue({
            code: 'custom',
            path: [field, i, 'date'],
            message: `${label}日期：${item.date} 是${weekdayName(item.date)}，本来就是工作日，不能列为调休上班`,
          });
        }
        const prev = seen.get(item.date);
        if (prev) {
          ctx.addIssue({
            code: 'custom',
            path: [field, i, 'date'],
            message: `${label}日期：${item.date} 重复（已列为${prev}）`,
          });
        } else {
          seen.set(item.date, label);
        }
      });
    };
    check(v.holidays, 'holidays', '放假日');
    check(v.makeupWorkdays, 'makeupWorkdays', '调休上班日');
  });

export type CalendarYearJson = z.infer<typeof calendarYearDataSchema>;

/** Zod issues → the envelope's FieldIssue list (path joined with dots). */
export function zodIssuesToFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export function parseCalendarYearJson(
  input: unknown,
): { ok: true; value: CalendarYearData } | { ok: false; issues: FieldIssue[] } {
  const r = calendarYearDataSchema.safeParse(input);
  if (!r.success) return { ok: false, issues: zodIssuesToFieldIssues(r.error.issues) };
  const value: CalendarYearData = {
    year: r.data.year,
    holidays: [...r.data.holidays].sort((a, b) => (a.date < b.date ? -1 : 1)),
    makeupWorkdays: [...r.data.makeupWorkdays].sort((a, b) => (a.date < b.date ? -1 : 1)),
  };
  if (r.data.source !== undefined) value.source = r.data.source;
  return { ok: true, value };
}
