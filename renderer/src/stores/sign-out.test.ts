// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TaskDetail, VisitView } from '../../../shared/api/contract';
import { call } from '../api/client';
import { attachmentData } from '../pages/visit/AttachmentsStep';
import { openVisit, useVisitStore } from '../pages/visit/open-visit';
import { endSession, setReloadForTests, useAppStore } from './app-store';

/** What the renderer sent to main: the method and the session token it carried. */
let sent: { method: string; session: string | null }[] = [];
/** Answers held back until the test lets them through (a slow main). */
let held: Map<string, (value: unknown) => void>;
let holdMethods: Set<string>;
/** Envelopes main answers with instead of success, by method. */
let failures: Map<string, { code: string; message: string }>;

const CUSTOMER = '罗芳伟';
const VIEW = { id: 5, state: 'draft', version: 1, taskId: null, sheet: { customerName: CUSTOMER, phone: '18570707285' }, respondent: null, visitedAt: null, answers: [], blockers: [] } as unknown as VisitView;
const DETAIL = { customer: { name: CUSTOMER, phoneMasked: '185****7285' } } as unknown as TaskDetail;

beforeEach(() => {
  sent = [];
  held = new Map();
  holdMethods = new Set();
  failures = new Map();
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const method = decodeURIComponent(url.split('/api/')[1]!);
      const body = JSON.parse(String(init.body)) as { session: string | null };
      sent.push({ method, session: body.session });
      const value = method === 'visits.get' ? VIEW : method === 'visits.attachment' ? { mime: 'image/png', dataBase64: 'AAAA' } : null;
      if (holdMethods.has(method)) await new Promise((resolve) => held.set(method, resolve));
      const error = failures.get(method);
      return new Response(JSON.stringify(error ? { ok: false, error } : { ok: true, value }));
    }),
  );
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

function signIn(): void {
  useAppStore.getState().signedIn({ id: 7, username: 'zhangli', displayName: '张莉', role: 'staff' }, 'token-of-zhangli');
}

describe('sign-out', () => {
  it('resets every store that held customer data, drops the attachment cache and the token, tells main, then reloads', async () => {
    const initialVisit = useVisitStore.getState();
    signIn();
    expect(sessionStorage.getItem('visitdesk.session')).toBe('token-of-zhangli');
    useVisitStore.setState({ open: true, view: VIEW, detail: DETAIL, step: 'sheet', questionIndex: 3, revision: 4 });
    useAppStore.setState({ locked: true });
    await attachmentData(9);
    await attachmentData(9);
    expect(sent.filter((s) => s.method === 'visits.attachment')).toHaveLength(1);

    const reload = vi.fn();
    setReloadForTests(reload);
    await useAppStore.getState().signOut();

    // Main was told, with the session that ends; then the token is gone from memory and storage.
    expect(sent.at(-1)).toEqual({ method: 'auth.signOut', session: 'token-of-zhangli' });
    expect(sessionStorage.getItem('visitdesk.session')).toBeNull();
    expect(reload).toHaveBeenCalledTimes(1);
    expect(useAppStore.getState()).toMatchObject({ user: null, locked: false });
    expect(useVisitStore.getState()).toEqual(initialVisit);
    const everything = JSON.stringify([useAppStore.getState(), useVisitStore.getState()]);
    expect(everything).not.toContain(CUSTOMER);
    expect(everything).not.toContain('张莉');

    // The next person's first photo is fetched again (and with no session but their own).
    await attachmentData(9);
    expect(sent.filter((s) => s.method === 'visits.attachment')).toHaveLength(2);
    expect(sent.at(-1)?.session).toBeNull();
  });

  it('drops a record that was still loading for the previous person', async () => {
    signIn();
    holdMethods.add('visits.get');
    const opening = openVisit(5);
    await vi.waitFor(() => expect(held.has('visits.get')).toBe(true));
    expect(useVisitStore.getState().loading).toBe(true);

    await endSession();
    held.get('visits.get')!(undefined);
    await opening;
    expect(useVisitStore.getState()).toMatchObject({ open: false, loading: false, view: null, detail: null });
  });

  it('does not wait for ever on a main that does not answer', async () => {
    vi.useFakeTimers();
    signIn();
    holdMethods.add('auth.signOut');
    const ending = endSession();
    // The screen is already the sign-in page while main is asked.
    expect(useAppStore.getState().user).toBeNull();
    await vi.advanceTimersByTimeAsync(3000);
    await ending;
    expect(sessionStorage.getItem('visitdesk.session')).toBeNull();
  });

  it('signs out here too when main has ended the session (account disabled, role changed)', async () => {
    signIn();
    useVisitStore.setState({ open: true, view: VIEW, detail: DETAIL });
    const reload = vi.fn();
    setReloadForTests(reload);
    failures.set('tasks.list', { code: 'unauthenticated', message: '请先登录' });
    failures.set('auth.signOut', { code: 'unauthenticated', message: '请先登录' });
    await call('tasks.list', {});
    await vi.waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
    expect(useAppStore.getState().user).toBeNull();
    expect(useVisitStore.getState().view).toBeNull();
    expect(sessionStorage.getItem('visitdesk.session')).toBeNull();
    // Not signed in at all (a stale token at start-up): nothing to sign out of, no reload loop.
    await call('tasks.list', {});
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('starts whoever signs in from empty stores', () => {
    useVisitStore.setState({ open: true, view: VIEW, detail: DETAIL });
    signIn();
    expect(useVisitStore.getState()).toMatchObject({ open: false, view: null, detail: null });
  });

  it('leaves no zustand store outside the reset: every store is made through createSessionStore', () => {
    const sources = import.meta.glob<string>(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts'], { query: '?raw', import: 'default', eager: true });
    expect(Object.keys(sources)).toContain('../pages/visit/open-visit.ts');
    const usingZustand = Object.entries(sources)
      .filter(([, text]) => /from 'zustand'/.test(text))
      .map(([file]) => file)
      .sort();
    // The app store is reset field by field in endSession (it keeps the branch status and the language).
    expect(usingZustand).toEqual(['./app-store.ts', './session.ts']);
  });
});
