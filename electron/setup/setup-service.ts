import type { Database } from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/api/envelope';
import type { Branch, SetupInput } from '../../shared/api/contract';
import { hashPassword } from '../auth/passwords';

/** First run: the branch and its first administrator, created together or not at all. */
export function createSetupService(db: Database, now: () => Date) {
  const getBranch = db.prepare<[], Branch>('SELECT code, name FROM branch WHERE id = 1');

  return {
    branch(): Branch | null {
      return getBranch.get() ?? null;
    },

    async init(input: SetupInput): Promise<number> {
      if (getBranch.get()) throw new AppError('already_setup', '本机已完成初始设置，请直接登录');
      const hash = await hashPassword(input.adminPassword);
      const at = now().toISOString();
      return db.transaction(() => {
        // Re-checked inside the transaction: two first-run forms submitted at once create one branch.
        if (getBranch.get()) throw new AppError('already_setup', '本机已完成初始设置，请直接登录');
        db.prepare('INSERT INTO branch (id, code, name, created_at) VALUES (1, ?, ?, ?)').run(input.branchCode, input.branchName, at);
        const info = db
          .prepare("INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES (?, ?, 'admin', ?, ?)")
          .run(input.adminUsername, input.adminDisplayName, hash, at);
        return Number(info.lastInsertRowid);
      })();
    },
  };
}
