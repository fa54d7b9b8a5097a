import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { createWorkCalendar, BUILT_IN_CALENDAR_YEARS, type CalendarYearData, type WorkCalendar } from '../../shared/calendar';
import { addDays, yearOf } from '../../shared/dates';
import type { CalendarYearInfo } from '../../shared/api/contract';
import { readCalendarFile } from './calendar-file';

interface DayRow {
  date: string;
  year: number;
  kind: 'holiday' | 'makeup_workday';
  name: string;
}

/**
 * The working-day calendar in force: the shipped years overlaid with the years an administrator
 * loaded (stored in SQLite). Held in memory and rebuilt only when a year is loaded.
 */
export function createCalendarService(db: Database) {
  const loadedYears = (): CalendarYearData[] => {
    const byYear = new Map<number, CalendarYearData>();
    for (const loads of db.prepare<[], { year: number; file_name: string }>('SELECT year, file_name FROM calendar_loads').all()) {
      byYear.set(loads.year, { year: loads.year, holidays: [], makeupWorkdays: [], source: loads.file_name });
    }
    for (const d of db.prepare<[], DayRow>('SELECT date, year, kind, name FROM calendar_days ORDER BY date').all()) {
      const y = byYear.get(d.year);
      if (!y) continue;
      (d.kind === 'holiday' ? y.holidays : y.makeupWorkdays).push({ date: d.date, name: d.name });
    }
    return [...byYear.values()];
  };

  let calendar: WorkCalendar = createWorkCalendar(loadedYears());

  return {
    current: (): WorkCalendar => calendar,

    /** Years a branch needs now: this year and, in its last quarter, the next one. */
    missingYears(today: string): number[] {
      const needed = new Set([yearOf(today), yearOf(addDays(today, 92))]);
      return [...needed].filter((y) => !calendar.hasYear(y));
    },

    years(): CalendarYearInfo[] {
      const loads = new Map(
        db.prepare<[], { year: number; file_name: string; loaded_at: string }>('SELECT year, file_name, loaded_at FROM calendar_loads').all().map((l) => [l.year, l]),
      );
      return calendar
        .years()
        .map((year) => {
          const data = calendar.yearData(year);
          const load = loads.get(year);
          return {
            year,
            source: load ? ('loaded' as const) : ('builtin' as const),
            holidays: data?.holidays.length ?? 0,
            makeupWorkdays: data?.makeupWorkdays.length ?? 0,
            loadedAt: load?.loaded_at ?? null,
            fileName: load?.file_name ?? null,
          };
        })
        .sort((a, b) => b.year - a.year);
    },

    /**
     * Reads and stores one year from a file, replacing what was loaded for that year before.
     * `afterStore` runs in the same transaction (the deadline recomputation), so a failure leaves
     * both the calendar and the tasks as they were.
     */
    async importFile(
      fileName: string,
      bytes: Buffer,
      userId: number,
      now: Date,
      afterStore: (calendar: WorkCalendar) => number,
    ): Promise<{ year: number; holidays: number; makeupWorkdays: number; tasksRecomputed: number; warnings: string[]; replacedBuiltIn: boolean }> {
      const { year, warnings } = await readCalendarFile(fileName, bytes);
      const next = createWorkCalendar([...loadedYears().filter((y) => y.year !== year.year), year]);
      const replacedBuiltIn = BUILT_IN_CALENDAR_YEARS.some((y) => y.year === year.year);
      const tasksRecomputed = db.transaction(() => {
        db.prepare('DELETE FROM calendar_days WHERE year = ?').run(year.year);
        db.prepare(
          `INSERT INTO calendar_loads (year, file_name, file_sha256, loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (year) DO UPDATE SET file_name = excluded.file_name, file_sha256 = excluded.file_sha256,
             loaded_by = excluded.loaded_by, loaded_at = excluded.loaded_at`,
        ).run(year.year, fileName, createHash('sha256').update(bytes).digest('hex'), userId, now.toISOString());
        const insert = db.prepare('INSERT INTO calendar_days (date, year, kind, name) VALUES (?, ?, ?, ?)');
        for (const h of year.holidays) insert.run(h.date, year.year, 'holiday', h.name);
        for (const m of year.makeupWorkdays) insert.run(m.date, year.year, 'makeup_workday', m.name);
        return afterStore(next);
      })();
      calendar = next;
      return { year: year.year, holidays: year.holidays.length, makeupWorkdays: year.makeupWorkdays.length, tasksRecomputed, warnings, replacedBuiltIn };
    },
  };
}
export type CalendarService = ReturnType<typeof createCalendarService>;
