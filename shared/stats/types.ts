import type { Channel, TaskKind } from '../domain/tasks';
import type { Role } from '../domain/roles';

/**
 * 统计报表: what main computes for a period and hands to the page and the workbook. Every figure
 * carries its own Chinese definition (what is counted, which date decides the period), so the
 * number never travels without saying what it means.
 */

export interface StatsFilters {
  /** First day of the period, inclusive (YYYY-MM-DD, the branch's calendar date). */
  from: string;
  /** Last day of the period, inclusive. */
  to: string;
  channel?: Channel | undefined;
  kind?: TaskKind | undefined;
  staffId?: number | undefined;
}

export const STATS_FIGURE_KEYS = [
  'due',
  'success',
  'successRate',
  'finalised',
  'problem',
  'problemRate',
  'coolingOffDue',
  'coolingOffOnTime',
  'coolingOffRate',
  'overdueOpen',
  'overdueLate',
  'casesOpened',
  'casesClosedIn3',
  'casesClosedIn3Rate',
] as const;
export type StatsFigureKey = (typeof STATS_FIGURE_KEYS)[number];

export interface StatsFigure {
  key: StatsFigureKey;
  label: string;
  format: 'count' | 'rate';
  /** A count, or a rate as a fraction (0.125 = 12.5%); null when it cannot be computed (see `note`). */
  value: number | null;
  /** For a rate: what was divided by what. */
  numerator?: number;
  denominator?: number;
  definition: string;
  /** Why the value is missing or what to keep in mind reading it. */
  note?: string;
}

export interface StatsCategoryRow {
  code: string;
  label: string;
  group: string;
  /** Problem visits in the period carrying this category. */
  count: number;
  /** count / problem visits in the period (a visit may carry several categories). */
  share: number;
}

export interface StatsStaffRow {
  userId: number;
  name: string;
  role: Role;
  due: number;
  success: number;
  successRate: number | null;
  finalised: number;
  problem: number;
  notCompleted: number;
  attempts: number;
  overdueOpen: number;
}

export interface StatsTrendRow {
  /** '2026-W47' or '2026-11'. */
  key: string;
  /** The bucket's days inside the period (a first or last week/month may be partial). */
  start: string;
  end: string;
  partial: boolean;
  due: number;
  success: number;
  successRate: number | null;
  finalised: number;
  problem: number;
  problemRate: number | null;
}

export interface StatsResult {
  filters: StatsFilters & { channelLabel: string | null; kindLabel: string | null; staffName: string | null };
  /** The day "overdue" and "so far" are measured at. */
  asOf: string;
  warnings: string[];
  figures: StatsFigure[];
  /** Definitions of the breakdown tables, for the page and the workbook. */
  tableDefinitions: { categories: string; staff: string; trends: string };
  categories: StatsCategoryRow[];
  staff: StatsStaffRow[];
  weeks: StatsTrendRow[];
  months: StatsTrendRow[];
}
