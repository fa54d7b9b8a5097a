import type { Database } from 'better-sqlite3';
import { AppError } from '../../shared/api/envelope';
import type { SessionUser, SignedIn } from '../../shared/api/contract';
import type { Role } from '../../shared/domain/roles';
import { verifyPassword } from './passwords';
import type { SessionStore } from './sessions';

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled: number;
}

// A fixed hash to verify against when the account does not exist, so that timing does not tell
// which account names are real.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function createAuthService(db: Database, sessions: SessionStore) {
  const byName = db.prepare<[string], UserRow>(
    'SELECT id, username, display_name, role, password_hash, disabled FROM users WHERE username = ?',
  );

  return {
    async signIn(username: string, password: string): Promise<SignedIn> {
      const row = byName.get(username);
      const valid = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
      if (!row || !valid) throw new AppError('bad_credentials', '账号或密码不正确');
      if (row.disabled) throw new AppError('forbidden', '该账号已停用，请联系管理员');
      const user: SessionUser = { id: row.id, username: row.username, displayName: row.display_name, role: row.role };
      return { user, sessionToken: sessions.create({ userId: row.id, username: row.username, displayName: row.display_name, role: row.role }) };
    },
  };
}
