import type { Database } from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/api/envelope';
import type { AuditLog } from '../audit/audit-log';
import { assertCustomerInScope, type Scope } from '../auth/scope';

const COLUMN = { phone: 'phone', idNumber: 'id_number' } as const;
const LABEL = { phone: '电话', idNumber: '证件号码' } as const;

/**
 * Shows one customer's full phone or ID number, once, to someone allowed to see that customer.
 * The viewing is logged with its reason before the value leaves main (PIPL: access to sensitive
 * personal information is recorded); the value itself never goes into the log.
 */
export function revealCustomerField(
  db: Database,
  audit: AuditLog,
  scope: Scope,
  by: { username: string },
  input: { customerId: number; field: keyof typeof COLUMN; reason: string },
): { value: string | null } {
  if (!db.prepare('SELECT 1 FROM customers WHERE id = ?').get(input.customerId)) throw new AppError('not_found', '找不到该客户');
  assertCustomerInScope(db, scope, input.customerId);
  return db.transaction(() => {
    audit.append({
      userId: scope.userId,
      username: by.username,
      action: 'pii_revealed',
      objectType: 'customer',
      objectId: input.customerId,
      detail: `${LABEL[input.field]}；原因：${input.reason}`,
    });
    const value = db.prepare(`SELECT ${COLUMN[input.field]} FROM customers WHERE id = ?`).pluck().get(input.customerId) as string | null;
    return { value };
  })();
}
