import { create } from 'zustand';
import type { AppStatus, SessionUser } from '../../../shared/api/contract';
import { call, setLockedListener, setSessionToken } from '../api/client';
import { en, zhCN, type MessageKey } from '../i18n/messages';

export type Locale = 'zh-CN' | 'en';

interface AppState {
  status: AppStatus | null;
  user: SessionUser | null;
  locale: Locale;
  loadError: string | null;
  /** Idle too long: customer data is hidden until the same person types their password. */
  locked: boolean;
  unlocked: () => void;
  refreshStatus: () => Promise<void>;
  signedIn: (user: SessionUser, token: string) => void;
  signOut: () => Promise<void>;
  setLocale: (l: Locale) => void;
}

export const useAppStore = create<AppState>((set) => ({
  status: null,
  user: null,
  locale: (localStorage.getItem('visitdesk.locale') as Locale | null) ?? 'zh-CN',
  loadError: null,
  locked: false,
  unlocked: () => set({ locked: false }),
  refreshStatus: async () => {
    const r = await call('app.status', {});
    if (!r.ok) return set({ loadError: r.error.message });
    set({ status: r.value, loadError: null });
    // A reload keeps the session token in sessionStorage; ask who it belongs to.
    const me = await call('auth.me', {});
    if (me.ok) set({ user: me.value });
    else if (me.error.code !== 'locked') set({ user: null });
  },
  signedIn: (user, token) => {
    setSessionToken(token);
    set({ user });
  },
  signOut: async () => {
    await call('auth.signOut', {});
    setSessionToken(null);
    // Sign-out clears everything the renderer held about the branch's customers.
    set({ user: null });
    window.location.reload();
  },
  setLocale: (locale) => {
    localStorage.setItem('visitdesk.locale', locale);
    set({ locale });
  },
}));

setLockedListener(() => useAppStore.setState({ locked: true }));

export function useT(): (key: MessageKey, vars?: Record<string, string | number>) => string {
  const locale = useAppStore((s) => s.locale);
  const table = locale === 'en' ? en : zhCN;
  return (key, vars) => table[key].replace(/\{(\w+)\}/g, (_m, k: string) => String(vars?.[k] ?? ''));
}
