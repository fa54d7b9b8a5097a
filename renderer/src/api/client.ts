import type { MethodInput, MethodName, MethodOutput } from '../../../shared/api/contract';
import type { ApiError, Envelope } from '../../../shared/api/envelope';

type Bridge = Record<string, (input: unknown, sessionToken: string | null) => Promise<Envelope<unknown>>>;

declare global {
  interface Window {
    /** Present only in the desktop window: one function per contract method (see preload). */
    visitdesk?: Bridge;
  }
}

const SESSION_KEY = 'visitdesk.session';
let sessionToken: string | null = sessionStorage.getItem(SESSION_KEY);

export function setSessionToken(token: string | null): void {
  sessionToken = token;
  if (token) sessionStorage.setItem(SESSION_KEY, token);
  else sessionStorage.removeItem(SESSION_KEY);
}

/** Whether this tab holds a session from before a reload (whose owner start-up asks main for). */
export function hasSessionToken(): boolean {
  return sessionToken !== null;
}

export const transport: 'electron' | 'browser' = window.visitdesk ? 'electron' : 'browser';

async function overHttp(method: string, input: unknown): Promise<Envelope<unknown>> {
  let res: Response;
  try {
    res = await fetch(`./api/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ input, session: sessionToken }),
    });
  } catch {
    return { ok: false, error: { code: 'internal', message: '无法连接回访台后台服务，请确认程序仍在运行' } };
  }
  try {
    return (await res.json()) as Envelope<unknown>;
  } catch {
    return { ok: false, error: { code: 'internal', message: `后台服务返回了无法识别的内容（HTTP ${res.status}）` } };
  }
}

let onLocked: () => void = () => {};
/** The app store hides everything behind the lock screen when main says the session is locked. */
export function setLockedListener(listener: () => void): void {
  onLocked = listener;
}

let onSessionGone: () => void = () => {};
/**
 * Main ended the session (the account was disabled, its role changed, the app restarted): the
 * app store signs out here too, so the screen does not keep showing customers to nobody.
 */
export function setSessionGoneListener(listener: () => void): void {
  onSessionGone = listener;
}

/** Calls one contract method over whichever transport this window has. Never throws. */
export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Envelope<MethodOutput<M>>> {
  const bridge = window.visitdesk;
  const sent = sessionToken;
  const result = bridge ? await bridge[method]!(input, sent) : await overHttp(method, input);
  if (!result.ok && result.error.code === 'locked') onLocked();
  if (!result.ok && result.error.code === 'unauthenticated' && sent !== null) onSessionGone();
  return result as Envelope<MethodOutput<M>>;
}

export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/** For code that prefers exceptions: unwraps the envelope or throws ApiCallError. */
export async function request<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const r = await call(method, input);
  if (!r.ok) throw new ApiCallError(r.error);
  return r.value;
}
