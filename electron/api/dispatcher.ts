import type { z } from 'zod';
import { contract, isMethodName, type MethodName, type MethodOutput } from '../../shared/api/contract';
import type { Access } from '../../shared/api/define';
import { AppError, fail, ok, type Envelope } from '../../shared/api/envelope';
import { summariseIssues, toFieldIssues } from '../../shared/api/zod-issues';
import type { Session, SessionStore } from '../auth/sessions';
import { storageFailureMessage } from '../db/storage-error';

export interface CallMeta {
  sessionToken?: unknown;
  /** Transport-specific handle (the calling window in the desktop); opaque to services. */
  caller?: unknown;
}

export interface CallContext {
  session: Session | null;
  sessionToken: string | null;
  caller: unknown;
}

type Parsed<M extends MethodName> = z.output<(typeof contract)[M]['input']>;

export type Handlers = {
  [M in MethodName]: (input: Parsed<M>, ctx: CallContext) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

export type Call = (method: unknown, input: unknown, meta?: CallMeta) => Promise<Envelope<unknown>>;

function allowed(access: Access, session: Session | null): Envelope<never> | null {
  if (access === 'public') return null;
  if (!session) return fail('unauthenticated', '请先登录');
  if (access === 'signed_in' || access.includes(session.role)) return null;
  return fail('forbidden', '当前账号无权执行此操作');
}

function storageFailure(err: unknown): Envelope<never> | null {
  const message = storageFailureMessage(err);
  return message === null ? null : fail('storage_error', message);
}

/**
 * The single entry point for both transports. It validates the method name and payload against
 * the contract, checks access, runs the handler, and always answers with an envelope: nothing
 * thrown in a service crosses the process boundary.
 */
export function createDispatcher(handlers: Handlers, sessions: SessionStore, log: (msg: string) => void): Call {
  return async (method, input, meta = {}) => {
    if (!isMethodName(method)) {
      const shown = typeof method === 'string' ? method.slice(0, 60) : typeof method;
      return fail('invalid_input', `未知的接口方法「${shown}」`, [{ path: 'method', message: '不是本程序提供的接口方法' }]);
    }
    const spec = contract[method];
    // Who may call comes before what they sent: a refused caller learns nothing about the payload.
    const session = sessions.get(meta.sessionToken) ?? null;
    if (session && !sessions.admit(session, method)) {
      return fail('locked', '长时间未操作，已自动锁定，客户资料已隐藏。请输入本人密码解锁。');
    }
    const refused = allowed(spec.access, session);
    if (refused) return refused;
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      const issues = toFieldIssues(parsed.error);
      return fail('invalid_input', summariseIssues(issues), issues);
    }
    try {
      const handler = handlers[method] as (i: unknown, c: CallContext) => unknown;
      const value = await handler(parsed.data, {
        session,
        sessionToken: session ? (meta.sessionToken as string) : null,
        caller: meta.caller,
      });
      return ok(value);
    } catch (err) {
      if (err instanceof AppError) return fail(err.code, err.message, err.issues);
      const storage = storageFailure(err);
      if (storage) return storage;
      // Only the method name and error class are logged: messages may quote customer data.
      log(`[${method}] internal error: ${(err as Error)?.name ?? 'unknown'} ${(err as { code?: string }).code ?? ''}`);
      return fail('internal', '系统内部错误，操作未完成。请重试；如仍失败请联系管理员。');
    }
  };
}
