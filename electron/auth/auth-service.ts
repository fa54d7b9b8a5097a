import type { Database } from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/api/envelope';
import type { SessionUser, SignedIn } from '../../shared/api/contract';
import type { Role } from '../../shared/domain/roles';
import type { AuditLog } from '../audit/audit-log';
import { hashPassword, verifyPassword } from './passwords';
import type { SessionStore } from './sessions';

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  failed_signins: number;
  locked_until: string | null;
}

// A fixed hash to verify against when the account does not exist, so that timing does not tell
// which account names are real.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** Five wrong passwords lock the account for a quarter of an hour: enough to stop guessing a PIN. */
export const MAX_FAILED_SIGNINS = 5;
export const LOCKOUT_MINUTES = 15;

const hhmm = (iso: string) => {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

export function createAuthService(db: Database, sessions: SessionStore, audit: AuditLog, now: () => Date) {
  const byName = db.prepare<[string], UserRow>(
    'SELECT id, username, display_name, role, password_hash, disabled, failed_signins, locked_until FROM users WHERE username = ?',
  );

  const byId = db.prepare<[number], UserRow>(
    'SELECT id, username, display_name, role, password_hash, disabled, failed_signins, locked_until FROM users WHERE id = ? AND disabled = 0',
  );

  /** Counts a wrong password; the fifth in a row locks the account. Returns the lock end, if any. */
  function recordFailure(row: UserRow): string | null {
    const failed = row.failed_signins + 1;
    const lock = failed >= MAX_FAILED_SIGNINS ? new Date(now().getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
    db.prepare('UPDATE users SET failed_signins = ?, locked_until = ? WHERE id = ?').run(lock ? 0 : failed, lock, row.id);
    audit.append({ userId: row.id, username: row.username, action: lock ? 'account_locked' : 'sign_in_failed' });
    return lock;
  }

  return {
    /**
     * Re-checks the signed-in person's own password (unlocking the screen, countersigning): wrong
     * guesses count toward the same lockout as sign-in, so a PIN cannot be brute-forced here either.
     */
    async confirmPassword(userId: number, password: string): Promise<void> {
      const row = byId.get(userId);
      if (!row) throw new AppError('forbidden', '账号已停用');
      if (row.locked_until && Date.parse(row.locked_until) > now().getTime()) {
        throw new AppError('forbidden', `该账号因连续 ${MAX_FAILED_SIGNINS} 次密码错误已被锁定，请于 ${hhmm(row.locked_until)} 后重试，或请管理员解锁`);
      }
      if (!(await verifyPassword(password, row.password_hash))) {
        const lock = recordFailure(row);
        if (lock) throw new AppError('forbidden', `密码连续错误 ${MAX_FAILED_SIGNINS} 次，账号已锁定 ${LOCKOUT_MINUTES} 分钟`);
        throw new AppError('bad_credentials', '密码不正确', [{ path: 'password', message: '密码不正确' }]);
      }
      db.prepare('UPDATE users SET failed_signins = 0 WHERE id = ?').run(row.id);
    },

    /** Changes one's own password after proving the current one (which counts toward lockout). */
    async changePassword(userId: number, current: string, next: string): Promise<void> {
      try {
        await this.confirmPassword(userId, current);
      } catch (err) {
        if (err instanceof AppError && err.code === 'bad_credentials') throw new AppError('bad_credentials', '当前密码不正确', [{ path: 'current', message: '当前密码不正确' }]);
        throw err;
      }
      if (current === next) throw new AppError('invalid_input', '新密码不能与当前密码相同', [{ path: 'next', message: '请换一个新密码' }]);
      const hash = await hashPassword(next);
      const row = byId.get(userId);
      db.transaction(() => {
        db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, userId);
        audit.append({ userId, username: row?.username ?? null, action: 'password_changed', objectType: 'user', objectId: userId });
      })();
    },

    async signIn(username: string, password: string): Promise<SignedIn> {
      const row = byName.get(username);
      const t = now();
      if (row?.locked_until && Date.parse(row.locked_until) > t.getTime()) {
        audit.append({ userId: row.id, username: row.username, action: 'sign_in_failed', detail: 'locked' });
        throw new AppError('forbidden', `该账号因连续 ${MAX_FAILED_SIGNINS} 次密码错误已被锁定，请于 ${hhmm(row.locked_until)} 后重试，或请管理员解锁`);
      }
      const valid = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
      if (!row || !valid) {
        if (row) {
          const lock = recordFailure(row);
          if (lock) throw new AppError('forbidden', `密码连续错误 ${MAX_FAILED_SIGNINS} 次，账号已锁定 ${LOCKOUT_MINUTES} 分钟`);
        } else {
          // The typed name is not logged: people type phone or ID numbers into the account box.
          audit.append({ userId: null, username: null, action: 'sign_in_failed', detail: 'unknown_account' });
        }
        throw new AppError('bad_credentials', '账号或密码不正确');
      }
      if (row.disabled) throw new AppError('forbidden', '该账号已停用，请联系管理员');
      db.prepare('UPDATE users SET failed_signins = 0, locked_until = NULL, last_sign_in_at = ? WHERE id = ?').run(t.toISOString(), row.id);
      audit.append({ userId: row.id, username: row.username, action: 'sign_in' });
      const user: SessionUser = { id: row.id, username: row.username, displayName: row.display_name, role: row.role };
      return { user, sessionToken: sessions.create({ userId: row.id, username: row.username, displayName: row.display_name, role: row.role }) };
    },
  };
}
