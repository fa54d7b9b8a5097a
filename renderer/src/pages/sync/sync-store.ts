import dayjs from 'dayjs';
import type { SyncStatus } from '../../../../shared/api/contract';
import { call } from '../../api/client';
import { useAppStore } from '../../stores/app-store';
import { createSessionStore } from '../../stores/session';

interface SyncState {
  status: SyncStatus | null;
  /** Why the last `sync.status` call failed (the page shows it; the badge just keeps its count). */
  loadError: string | null;
  setStatus: (status: SyncStatus) => void;
  refresh: () => Promise<void>;
}

/**
 * The last sync status seen, shared by the 数据同步 page and the header badge, so that a sync run
 * from the page moves the badge's count at once. It also keeps the header's 在线/离线 current:
 * app.status is read once at start, sync.status every time either of them polls.
 */
export const useSyncStore = createSessionStore<SyncState>((set) => ({
  status: null,
  loadError: null,
  setStatus: (status) => {
    set({ status, loadError: null });
    const app = useAppStore.getState().status;
    if (app && app.hqReachable !== status.reachable) useAppStore.setState({ status: { ...app, hqReachable: status.reachable } });
  },
  refresh: async () => {
    const r = await call('sync.status', {});
    if (r.ok) useSyncStore.getState().setStatus(r.value);
    else set({ loadError: r.error.message });
  },
}));

/** Poll intervals: every second while a run is going (its progress), otherwise now and then. */
export const RUNNING_POLL_MS = 1000;
export const IDLE_POLL_MS = 10_000;
export const BADGE_POLL_MS = 30_000;

/** "2026-11-25T01:02:03.000Z" → "2026-11-25 09:02:03" in the PC's time zone; '' for none. */
export function syncTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : iso;
}
