import { randomBytes } from 'node:crypto';
import type { Role } from '../../shared/domain/roles';

export interface Session {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  createdAt: number;
  lastActiveAt: number;
  /** Idle too long: every call but unlock and sign-out is refused until the same person unlocks. */
  locked: boolean;
}

/** Calls the renderer makes on its own (polls): they do not count as someone at the keyboard. */
const PASSIVE = new Set(['app.status', 'auth.me', 'jobs.get', 'sync.status']);
const ALLOWED_WHILE_LOCKED = new Set(['auth.unlock', 'auth.signOut', 'app.status']);

export const DEFAULT_IDLE_LOCK_MINUTES = 5;

/** Signed-in sessions live only in the main process's memory: a restart signs everyone out. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly idleLockMinutes: () => number = () => DEFAULT_IDLE_LOCK_MINUTES,
  ) {}

  create(user: Omit<Session, 'createdAt' | 'lastActiveAt' | 'locked'>): string {
    const token = randomBytes(32).toString('base64url');
    const t = this.now();
    this.sessions.set(token, { ...user, createdAt: t, lastActiveAt: t, locked: false });
    return token;
  }

  get(token: unknown): Session | undefined {
    if (typeof token !== 'string' || token.length > 100) return undefined;
    return this.sessions.get(token);
  }

  /**
   * Called for each contract call with a session: locks it after the idle time, and answers
   * whether the call may go ahead. Only calls a person makes keep the session awake.
   */
  admit(session: Session, method: string): boolean {
    const t = this.now();
    if (!session.locked && t - session.lastActiveAt > this.idleLockMinutes() * 60_000) session.locked = true;
    if (session.locked) return ALLOWED_WHILE_LOCKED.has(method);
    if (!PASSIVE.has(method)) session.lastActiveAt = t;
    return true;
  }

  unlock(session: Session): void {
    session.locked = false;
    session.lastActiveAt = this.now();
  }

  /** Ends every session of one person (account disabled, role changed, password reset). */
  deleteUser(userId: number): void {
    for (const [token, s] of this.sessions) if (s.userId === userId) this.sessions.delete(token);
  }

  delete(token: unknown): void {
    if (typeof token === 'string') this.sessions.delete(token);
  }
}
