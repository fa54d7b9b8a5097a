import { useCallback } from 'react';
import { create } from 'zustand';
import type { AppStatus, SessionUser } from '../../../shared/api/contract';
import { call, hasSessionToken, setLockedListener, setSessionGoneListener, setSessionToken } from '../api/client';
import { en, zhCN, type MessageKey } from '../i18n/messages';
import { clearSessionState } from './session';

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
    // A reload keeps the session token in sessionStorage; ask who it belongs to at the same time
    // as the status (one round trip before the first screen, not two). Without a token there is
    // nobody to ask about.
    const [r, me] = await Promise.all([call('app.status', {}), hasSessionToken() ? call('auth.me', {}) : null]);
    if (!r.ok) return set({ loadError: r.error.message });
    const loaded = { status: r.value, loadError: null };
    if (me?.ok) set({ ...loaded, user: me.value });
    // A locked session keeps its user: the lock screen asks for their password.
    else if (me && me.error.code !== 'locked') set({ ...loaded, user: null });
    else set(loaded);
  },
  signedIn: (user, token) => {
    // Whoever signs in starts from nothing, whatever an earlier session may have left behind.
    clearSessionState();
    setSessionToken(token);
    set({ user, locked: false });
  },
  signOut: async () => {
    await endSession();
    // The reload is the last word: whatever React, antd (toasts, confirm dialogs) or a closure
    // may still hold of the previous person's customers goes with the page's memory.
    reloadPage();
  },
  setLocale: (locale) => {
    localStorage.setItem('visitdesk.locale', locale);
    set({ locale });
  },
}));

setLockedListener(() => useAppStore.setState({ locked: true }));
// Only while someone is signed in here: at start-up a stale token is simply not signed in (refreshStatus).
setSessionGoneListener(() => {
  if (useAppStore.getState().user) void useAppStore.getState().signOut();
});

/** How long sign-out waits for main to drop the session before forgetting it here anyway. */
const SIGN_OUT_WAIT_MS = 3000;

/**
 * Everything sign-out does short of reloading the page: the screen goes to sign-in at once (the
 * shell, its drawers and modals unmount), every session store and cache is reset, main drops the
 * session, and the token leaves sessionStorage. Separate from signOut so that it can be tested.
 */
export async function endSession(): Promise<void> {
  useAppStore.setState({ user: null, locked: false });
  clearSessionState();
  // The token is still set: main needs it to know which session ends.
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([call('auth.signOut', {}), new Promise((resolve) => (timer = setTimeout(resolve, SIGN_OUT_WAIT_MS)))]);
  clearTimeout(timer);
  setSessionToken(null);
}

let reloadPage = (): void => window.location.reload();
/** For tests: jsdom cannot navigate. */
export function setReloadForTests(reload: () => void): void {
  reloadPage = reload;
}

/** The translator for the current language; the same function until the language changes (safe in effect dependencies). */
export function useT(): (key: MessageKey, vars?: Record<string, string | number>) => string {
  const locale = useAppStore((s) => s.locale);
  return useCallback(
    (key: MessageKey, vars?: Record<string, string | number>) =>
      (locale === 'en' ? en : zhCN)[key].replace(/\{(\w+)\}/g, (_m, k: string) => String(vars?.[k] ?? '')),
    [locale],
  );
}
