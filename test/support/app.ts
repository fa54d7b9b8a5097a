import { createApp, type AppOptions, type VisitDeskApp } from '../../electron/app/create-app';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/envelope';
import { tempDir } from './temp';

export interface TestApp extends VisitDeskApp {
  cleanup: () => void;
  /** Typed call with an optional session token. */
  api: <M extends MethodName>(method: M, input: MethodInput<M>, session?: string) => Promise<Envelope<MethodOutput<M>>>;
  /** Completes first-run setup and returns the admin's session token. */
  setUp: () => Promise<string>;
}

export const ADMIN = { adminUsername: 'admin', adminDisplayName: '系统管理员', adminPassword: 'admin-pass-1' } as const;

/** A real app over a real SQLite file in a temp folder. */
export function startTestApp(now?: () => Date, extra: Partial<AppOptions> = {}): TestApp {
  const { dir, cleanup } = tempDir();
  const app = createApp({ dataDir: dir, transport: 'browser', log: () => {}, autoSyncMs: 0, ...(now ? { now } : {}), ...extra });
  const api: TestApp['api'] = (method, input, session) =>
    app.call(method, input, { sessionToken: session }) as Promise<Envelope<never>>;
  return {
    ...app,
    api,
    cleanup: () => {
      app.close();
      cleanup();
    },
    setUp: async () => {
      const r = await api('setup.init', { branchName: '济南中心支公司', branchCode: '370100', ...ADMIN });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.sessionToken;
    },
  };
}

/** Unwraps an envelope in a test, failing with main's Chinese message when it is an error. */
export const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
