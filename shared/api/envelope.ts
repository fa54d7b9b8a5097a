/**
 * The result envelope every contract call returns, across IPC and HTTP alike.
 * Errors carry a stable machine code and a Chinese message meant for the person at the desk.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'unknown_method'
  | 'unauthenticated'
  | 'forbidden'
  | 'locked'
  | 'not_found'
  | 'conflict'
  | 'setup_required'
  | 'already_setup'
  | 'bad_credentials'
  | 'storage_error'
  | 'tampered'
  | 'cancelled'
  | 'internal';

/** One problem with one field; `path` names where (e.g. "rows.3.policyNo" or "回执签署日期"). */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface ApiError {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Envelope<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, issues?: FieldIssue[]): Envelope<never> => ({
  ok: false,
  error: issues ? { code, message, issues } : { code, message },
});

/** Thrown inside main-process services; the dispatcher turns it into an envelope. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}
