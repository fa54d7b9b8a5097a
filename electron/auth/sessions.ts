import { randomBytes } from 'node:crypto';
import type { Role } from '../../shared/domain/roles';

export interface Session {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  createdAt: number;
  lastSeenAt: number;
}

/** Signed-in sessions live only in the main process's memory: a restart signs everyone out. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  create(user: Omit<Session, 'createdAt' | 'lastSeenAt'>): string {
    const token = randomBytes(32).toString('base64url');
    const t = this.now();
    this.sessions.set(token, { ...user, createdAt: t, lastSeenAt: t });
    return token;
  }

  get(token: unknown): Session | undefined {
    if (typeof token !== 'string' || token.length > 100) return undefined;
    const s = this.sessions.get(token);
    if (s) s.lastSeenAt = this.now();
    return s;
  }

  delete(token: unknown): void {
    if (typeof token === 'string') this.sessions.delete(token);
  }
}
