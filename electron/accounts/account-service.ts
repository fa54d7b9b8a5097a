import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { AccountCreateInput, AccountView } from '../../shared/api/contract';
import { AppError } from '../../shared/api/envelope';
import type { Role } from '../../shared/domain/roles';
import type { AuditLog } from '../audit/audit-log';
import { hashPassword } from '../auth/passwords';
import type { SessionStore } from '../auth/sessions';

interface AccountRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  employee_no: string | null;
  disabled: number;
  locked_until: string | null;
  created_at: string;
  last_sign_in_at: string | null;
}

const COLUMNS = 'id, username, display_name, role, employee_no, disabled, locked_until, created_at, last_sign_in_at';

/**
 * Administrators create, change, disable and reset accounts. Nothing is ever deleted: visits,
 * countersigns and the audit log keep pointing at the person who did the work.
 */
export function createAccountService(db: Database, sessions: SessionStore, audit: AuditLog, now: () => Date) {
  const toView = (r: AccountRow): AccountView => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    employeeNo: r.employee_no,
    disabled: r.disabled === 1,
    lockedUntil: r.locked_until && Date.parse(r.locked_until) > now().getTime() ? r.locked_until : null,
    createdAt: r.created_at,
    lastSignInAt: r.last_sign_in_at,
  });

  const get = (id: number): AccountRow => {
    const r = db.prepare<[number], AccountRow>(`SELECT ${COLUMNS} FROM users WHERE id = ?`).get(id);
    if (!r) throw new AppError('not_found', '找不到该账号');
    return r;
  };

  const activeAdmins = () => db.prepare("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").pluck().get() as number;

  function checkEmployeeNo(role: Role, employeeNo: string | null, exceptId: number): void {
    if (role === 'sales' && !employeeNo) {
      throw new AppError('invalid_input', '业务员必须填写工号（即保单上的业务员代码），否则无法确定其本人客户', [{ path: 'employeeNo', message: '请填写工号' }]);
    }
    if (!employeeNo) return;
    const other = db.prepare<[string, number], { display_name: string }>('SELECT display_name FROM users WHERE employee_no = ? AND id != ?').get(employeeNo, exceptId);
    if (other) throw new AppError('conflict', `工号 ${employeeNo} 已属于「${other.display_name}」`, [{ path: 'employeeNo', message: '工号重复' }]);
  }

  return {
    list(): AccountView[] {
      return db.prepare<[], AccountRow>(`SELECT ${COLUMNS} FROM users ORDER BY disabled, role, display_name`).all().map(toView);
    },

    async create(input: AccountCreateInput, by: { userId: number; username: string }): Promise<AccountView> {
      const employeeNo = input.employeeNo || null;
      checkEmployeeNo(input.role, employeeNo, 0);
      if (db.prepare('SELECT 1 FROM users WHERE username = ?').get(input.username)) {
        throw new AppError('conflict', `账号「${input.username}」已存在（已停用的账号也保留，不能重名）`, [{ path: 'username', message: '账号已存在' }]);
      }
      const hash = await hashPassword(input.password);
      const id = db.transaction(() => {
        const newId = Number(
          db
            .prepare('INSERT INTO users (username, display_name, role, employee_no, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
            .run(input.username, input.displayName, input.role, employeeNo, hash, now().toISOString()).lastInsertRowid,
        );
        audit.append({ userId: by.userId, username: by.username, action: 'account_created', objectType: 'user', objectId: newId, detail: `role=${input.role}` });
        return newId;
      })();
      return toView(get(id));
    },

    update(input: { id: number; displayName?: string | undefined; role?: Role | undefined; employeeNo?: string | undefined; disabled?: boolean | undefined }, by: { userId: number; username: string }): AccountView {
      const before = get(input.id);
      const role = input.role ?? before.role;
      const employeeNo = input.employeeNo === undefined ? before.employee_no : input.employeeNo || null;
      const disabled = input.disabled ?? before.disabled === 1;
      if (input.id === by.userId && (disabled || role !== 'admin')) {
        throw new AppError('conflict', '不能停用本人账号或取消本人的管理员角色，请由另一位管理员操作');
      }
      if (before.role === 'admin' && before.disabled === 0 && (disabled || role !== 'admin') && activeAdmins() <= 1) {
        throw new AppError('conflict', '这是唯一启用的管理员账号，不能停用或改为其他角色');
      }
      checkEmployeeNo(role, employeeNo, input.id);
      const changes: string[] = [];
      if (input.displayName !== undefined && input.displayName !== before.display_name) changes.push('display_name');
      if (role !== before.role) changes.push(`role=${before.role}->${role}`);
      if (employeeNo !== before.employee_no) changes.push('employee_no');
      if (disabled !== (before.disabled === 1)) changes.push(disabled ? 'disabled' : 'enabled');
      if (changes.length === 0) return toView(before);
      db.transaction(() => {
        db.prepare('UPDATE users SET display_name = ?, role = ?, employee_no = ?, disabled = ? WHERE id = ?').run(
          input.displayName ?? before.display_name, role, employeeNo, disabled ? 1 : 0, input.id,
        );
        audit.append({ userId: by.userId, username: by.username, action: disabled && before.disabled === 0 ? 'account_disabled' : 'account_updated', objectType: 'user', objectId: input.id, detail: changes.join(',') });
      })();
      // A disabled account or a changed role must not keep working through a session opened before.
      if (disabled || role !== before.role) sessions.deleteUser(input.id);
      return toView(get(input.id));
    },

    async resetPassword(id: number, password: string, by: { userId: number; username: string }): Promise<AccountView> {
      const row = get(id);
      const hash = await hashPassword(password);
      db.transaction(() => {
        db.prepare('UPDATE users SET password_hash = ?, failed_signins = 0, locked_until = NULL WHERE id = ?').run(hash, id);
        audit.append({ userId: by.userId, username: by.username, action: 'password_reset', objectType: 'user', objectId: id });
      })();
      if (id !== by.userId) sessions.deleteUser(id);
      return toView(get(row.id));
    },

  };
}
export type AccountService = ReturnType<typeof createAccountService>;
