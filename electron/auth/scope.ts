import type { Database } from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/api/envelope';
import type { Role } from '../../shared/domain/roles';
import { stmt } from '../db/statements';

/**
 * What part of the branch's data a person may see. Staff, managers and administrators work the
 * whole branch; a sales rep sees only their own clients: customers holding a policy that carries
 * the rep's agent code (their 工号), plus any task handed to them.
 */
export interface Scope {
  userId: number;
  role: Role;
  /** The sales rep's agent code; null for everyone else (and for a rep without one: sees only tasks handed to them). */
  agentCode: string | null;
}

export function scopeOf(db: Database, session: { userId: number; role: Role }): Scope {
  const agentCode = session.role === 'sales' ? ((stmt(db, 'SELECT employee_no FROM users WHERE id = ?').pluck().get(session.userId) as string | null) ?? null) : null;
  return { userId: session.userId, role: session.role, agentCode };
}

/** A WHERE condition on visit_tasks (aliased) limiting it to the scope; null when nothing is limited. */
export function taskCondition(scope: Scope, alias = 't'): { sql: string; params: (string | number)[] } | null {
  if (scope.role !== 'sales') return null;
  return {
    sql: `(${alias}.assignee_id = ? OR ${alias}.customer_id IN (SELECT applicant_id FROM policies WHERE agent_code = ?))`,
    params: [scope.userId, scope.agentCode ?? ''],
  };
}

/** A WHERE condition on customers (aliased) limiting it to the scope. */
export function customerCondition(scope: Scope, alias = 'c'): { sql: string; params: (string | number)[] } | null {
  if (scope.role !== 'sales') return null;
  return {
    sql: `(${alias}.id IN (SELECT applicant_id FROM policies WHERE agent_code = ?) OR ${alias}.id IN (SELECT customer_id FROM visit_tasks WHERE assignee_id = ?))`,
    params: [scope.agentCode ?? '', scope.userId],
  };
}

const OUTSIDE = '该客户不是您本人的客户，业务员只能查看和拜访本人客户';

export function assertCustomerInScope(db: Database, scope: Scope, customerId: number): void {
  const c = customerCondition(scope);
  if (!c) return;
  if (!db.prepare(`SELECT 1 FROM customers c WHERE c.id = ? AND ${c.sql}`).get(customerId, ...c.params)) throw new AppError('forbidden', OUTSIDE);
}

export function assertTaskInScope(db: Database, scope: Scope, taskId: number): void {
  const c = taskCondition(scope);
  if (!c) return;
  if (!db.prepare(`SELECT 1 FROM visit_tasks t WHERE t.id = ? AND ${c.sql}`).get(taskId, ...c.params)) throw new AppError('forbidden', OUTSIDE);
}

/** A sales rep sees their own visits and the visits of their own clients. */
export function assertVisitInScope(db: Database, scope: Scope, visitId: number): void {
  if (scope.role !== 'sales') return;
  const v = stmt(db, 'SELECT visitor_id, customer_id FROM visits WHERE id = ?').get(visitId) as { visitor_id: number; customer_id: number } | undefined;
  if (!v) return; // the service answers not_found
  if (v.visitor_id !== scope.userId) assertCustomerInScope(db, scope, v.customer_id);
}

/**
 * A problem case must be explained by someone who did not sell the policy (DOMAIN.md, 问题件):
 * refuses when the person is the policy's sales agent.
 */
export function assertNotOwnPolicyProblem(db: Database, taskId: number, userId: number): void {
  const r = db
    .prepare(
      `SELECT p.policy_no, u.display_name FROM visit_tasks t JOIN policies p ON p.id = t.policy_id JOIN users u ON u.id = ?
       WHERE t.id = ? AND (t.source = 'problem' OR t.status = 'problem') AND u.employee_no IS NOT NULL AND u.employee_no = p.agent_code`,
    )
    .get(userId, taskId) as { policy_no: string; display_name: string } | undefined;
  if (r) {
    throw new AppError('forbidden', `${r.display_name}是保单 ${r.policy_no} 的销售业务员，不能处理该保单的问题件（须由非本单业务员解释）`, [
      { path: 'assigneeId', message: '不能指派给本单业务员' },
    ]);
  }
}
