export {
  type DayKind,
  type NamedDate,
  type CalendarYearData,
  type CompactCalendarYear,
  type CalendarWarning,
  type Checked,
  type DayInfo,
  DAY_KIND_LABELS,
} from './types';
export { WorkCalendar, missingYearWarning, mergeWarnings } from './work-calendar';
export { BUILT_IN_CALENDAR_YEARS, builtInCalendar, createWorkCalendar, expandCompactYear } from './builtin';
export { CN_CALENDAR_SOURCE, CN_CALENDAR_FIRST_YEAR, CN_CALENDAR_LAST_YEAR } from './cn-calendar-data';
export { calendarYearDataSchema, type CalendarYearJson, parseCalendarYearJson, zodIssuesToFieldIssues } from './schema';
export {
  type CalendarTableRow,
  type CalendarTableOptions,
  type CalendarTableResult,
  type CalendarRowKind,
  normalizeCalendarKind,
  parseCalendarTable,
} from './table';
