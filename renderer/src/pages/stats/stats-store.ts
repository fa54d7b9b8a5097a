import dayjs from 'dayjs';
import type { MethodInput } from '../../../../shared/api/contract';
import type { StatsResult } from '../../../../shared/stats/types';
import { call } from '../../api/client';
import { createSessionStore } from '../../stores/session';

export type StatsQuery = MethodInput<'stats.compute'>;

interface StatsState {
  query: StatsQuery;
  result: StatsResult | null;
  /** main's Chinese message (a bad or empty period), shown instead of zeros. */
  error: string | null;
  loading: boolean;
  setQuery: (patch: Partial<StatsQuery>) => void;
  load: () => Promise<void>;
}

/** This month, the period the page opens on. */
export function thisMonth(): Pick<StatsQuery, 'from' | 'to'> {
  return { from: dayjs().startOf('month').format('YYYY-MM-DD'), to: dayjs().endOf('month').format('YYYY-MM-DD') };
}

let sequence = 0;

/** The period and filters chosen on 统计报表 and the figures last computed for them. */
export const useStatsStore = createSessionStore<StatsState>((set, get) => ({
  query: thisMonth(),
  result: null,
  error: null,
  loading: false,
  setQuery: (patch) => {
    const next = { ...get().query, ...patch };
    for (const k of Object.keys(next) as (keyof StatsQuery)[]) if (next[k] === undefined || next[k] === null) delete next[k];
    set({ query: next });
    void get().load();
  },
  load: async () => {
    const mine = ++sequence;
    set({ loading: true });
    const r = await call('stats.compute', get().query);
    if (mine !== sequence) return; // a newer request is on its way
    if (r.ok) set({ result: r.value, error: null, loading: false });
    else set({ result: null, error: r.error.message, loading: false });
  },
}));
