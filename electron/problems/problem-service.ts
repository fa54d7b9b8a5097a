import type { Database } from 'better-sqlite3-multiple-ciphers';
import type {
  ProblemCaseDetail,
  ProblemCaseRow,
  ProblemEvent,
  ProblemResolution,
  ProblemState,
  ProblemSummary,
  ProblemVisitRef,
} from '../../shared/api/contract';
import { AppError } from '../../shared/api/envelope';
import type { WorkCalendar } from '../../shared/calendar';
import { addDays } from '../../shared/dates';
import { categoryLabel, isProblemCategory, sortCategories, type ProblemCategory } from '../../shared/outcome';
import { computeDeadline } from '../../shared/rules';
import type { AuditAction } from '../audit/audit-log';
import { customerCondition, type Scope } from '../auth/scope';
import { stmt } from '../db/statements';

/**
 * 问题件 from opening to closure (DOMAIN.md, 问题件; 山东…修订的通知 三; 客户回访规范与管理):
 * a handler who is not the policy's sales agent explains to the applicant (by phone with a
 * recording, or in person with a questionnaire the applicant signs), a second visit confirms it,
 * and the case is closed with a resolution. A case not explained within its 3 working days is
 * overdue and escalated to the manager once. Every step is an event in the case's history and an
 * entry in the audit log.
 */

export interface ProblemListFilters {
  state?: ProblemState | undefined;
  due?: 'overdue' | 'soon' | undefined;
  handlerId?: number | undefined;
  category?: ProblemCategory | undefined;
  /** Local calendar dates (YYYY-MM-DD), inclusive. */
  openedFrom?: string | undefined;
  openedTo?: string | undefined;
  offset?: number | undefined;
  /** Omitted: every matching row (the export uses this). */
  limit?: number | undefined;
}

/** States in which the case still waits for its explanation: the deadline applies. */
const WAITING = "('open', 'reopened')";

const RESOLUTION_LABELS: Record<ProblemResolution, string> = {
  explained_accepted: '解释后客户接受',
  surrender_cooling_off: '犹豫期内退保',
  complaint_transferred: '转投诉处理',
  other: '其他',
};

/** The local midnight that starts a calendar date, as the ISO instant opened_at is stored in. */
const startOfLocalDay = (date: string) => new Date(`${date}T00:00:00`).toISOString();

interface CaseRow {
  id: number;
  source: ProblemCaseRow['source'];
  visit_id: number | null;
  task_id: number | null;
  customer_id: number;
  policy_id: number | null;
  state: ProblemState;
  opened_at: string;
  due_on: string | null;
  due_explanation: string | null;
  handler_id: number | null;
  description: string | null;
  explanation_method: 'phone' | 'in_person' | null;
  recording_ref: string | null;
  explanation_note: string | null;
  explanation_visit_id: number | null;
  explained_at: string | null;
  second_visit_id: number | null;
  resolution: ProblemResolution | null;
  resolution_note: string | null;
  closed_at: string | null;
  escalated_at: string | null;
}

const LIST_SELECT = `
  SELECT pc.id, pc.source, pc.customer_id, pc.state, pc.opened_at, pc.due_on, pc.handler_id, pc.escalated_at, pc.closed_at, pc.resolution,
         p.policy_no, p.agent_name, p.agent_code, c.name AS customer_name, h.display_name AS handler_name,
         coalesce(pc.description, t.problem_description, v.sheet_feedback) AS description,
         (SELECT group_concat(category) FROM problem_case_categories WHERE case_id = pc.id) AS categories
  FROM problem_cases pc
  JOIN customers c ON c.id = pc.customer_id
  LEFT JOIN policies p ON p.id = pc.policy_id
  LEFT JOIN users h ON h.id = pc.handler_id
  LEFT JOIN visit_tasks t ON t.id = pc.task_id
  LEFT JOIN visits v ON v.id = pc.visit_id`;

interface ListRow {
  id: number;
  source: ProblemCaseRow['source'];
  customer_id: number;
  state: ProblemState;
  opened_at: string;
  due_on: string | null;
  handler_id: number | null;
  escalated_at: string | null;
  closed_at: string | null;
  resolution: ProblemResolution | null;
  policy_no: string | null;
  agent_name: string | null;
  agent_code: string | null;
  customer_name: string;
  handler_name: string | null;
  description: string | null;
  categories: string | null;
}

function dueStateOf(state: ProblemState, dueOn: string | null, today: string): ProblemCaseRow['dueState'] {
  if (!dueOn || (state !== 'open' && state !== 'reopened')) return null;
  if (dueOn < today) return 'overdue';
  if (dueOn <= addDays(today, 1)) return 'soon';
  return null;
}

function toRow(r: ListRow, today: string): ProblemCaseRow {
  const categories = sortCategories((r.categories ?? '').split(',').filter(isProblemCategory));
  return {
    id: r.id,
    source: r.source,
    policyNo: r.policy_no,
    agentName: r.agent_name,
    agentCode: r.agent_code,
    customerId: r.customer_id,
    customerName: r.customer_name,
    categories,
    categoryLabels: categories.map(categoryLabel),
    description: r.description,
    handlerId: r.handler_id,
    handlerName: r.handler_name,
    state: r.state,
    openedAt: r.opened_at,
    dueOn: r.due_on,
    dueState: dueStateOf(r.state, r.due_on, today),
    escalatedAt: r.escalated_at,
    closedAt: r.closed_at,
    resolution: r.resolution,
  };
}

function scopeWhere(scope: Scope | undefined): { sql: string; params: (string | number)[] } | null {
  if (!scope) return null;
  const c = customerCondition(scope, 'sc');
  if (!c) return null;
  return { sql: `EXISTS (SELECT 1 FROM customers sc WHERE sc.id = pc.customer_id AND ${c.sql})`, params: c.params };
}

/**
 * The 问题件清单: one row per case with policy no, agent, customer, categories, description,
 * handler, state, opened, deadline, due state and closing. Newest first. `scope` limits a sales
 * rep to their own clients; omit it for the whole branch. Without `limit`, every matching row.
 * Reads only: callers who show the list call `escalateOverdue` first.
 */
export function problemListRows(
  db: Database,
  filters: ProblemListFilters,
  opts: { today: string; scope?: Scope | undefined },
): { rows: ProblemCaseRow[]; total: number } {
  const where: string[] = ['1 = 1'];
  const params: (string | number)[] = [];
  const s = scopeWhere(opts.scope);
  if (s) {
    where.push(s.sql);
    params.push(...s.params);
  }
  if (filters.state) {
    where.push('pc.state = ?');
    params.push(filters.state);
  }
  if (filters.due === 'overdue') {
    where.push(`pc.state IN ${WAITING} AND pc.due_on < ?`);
    params.push(opts.today);
  } else if (filters.due === 'soon') {
    where.push(`pc.state IN ${WAITING} AND pc.due_on >= ? AND pc.due_on <= ?`);
    params.push(opts.today, addDays(opts.today, 1));
  }
  if (filters.handlerId !== undefined) {
    where.push('pc.handler_id = ?');
    params.push(filters.handlerId);
  }
  if (filters.category) {
    where.push('EXISTS (SELECT 1 FROM problem_case_categories k WHERE k.case_id = pc.id AND k.category = ?)');
    params.push(filters.category);
  }
  if (filters.openedFrom) {
    where.push('pc.opened_at >= ?');
    params.push(startOfLocalDay(filters.openedFrom));
  }
  if (filters.openedTo) {
    where.push('pc.opened_at < ?');
    params.push(startOfLocalDay(addDays(filters.openedTo, 1)));
  }
  const w = where.join(' AND ');
  const total = db.prepare(`SELECT count(*) FROM problem_cases pc WHERE ${w}`).pluck().get(...params) as number;
  const page = filters.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.trunc(filters.limit))} OFFSET ${Math.max(0, Math.trunc(filters.offset ?? 0))}`;
  const rows = db.prepare(`${LIST_SELECT} WHERE ${w} ORDER BY pc.opened_at DESC, pc.id DESC${page}`).all(...params) as ListRow[];
  return { rows: rows.map((r) => toRow(r, opts.today)), total };
}

type Audit = { append: (e: { userId: number | null; username: string | null; action: AuditAction; objectType?: string; objectId?: number; detail?: string }) => void };

/**
 * Flags cases past their deadline and not yet explained: the first time one is seen overdue, an
 * 'escalated' event (to the manager) is written, once per deadline. Returns how many were escalated now.
 */
export function escalateOverdue(db: Database, audit: Audit, today: string, at: string): number {
  const due = db.prepare(`SELECT id, due_on FROM problem_cases WHERE state IN ${WAITING} AND due_on < ? AND escalated_at IS NULL ORDER BY id`).all(today) as {
    id: number;
    due_on: string;
  }[];
  if (!due.length) return 0;
  db.transaction(() => {
    for (const c of due) {
      db.prepare('UPDATE problem_cases SET escalated_at = ? WHERE id = ?').run(at, c.id);
      db.prepare("INSERT INTO problem_case_events (case_id, at, user_id, event, detail) VALUES (?, ?, NULL, 'escalated', ?)").run(
        c.id,
        at,
        `超过处理期限 ${c.due_on} 仍未解释，已提交主管督办`,
      );
      audit.append({ userId: null, username: null, action: 'problem_escalated', objectType: 'problem_case', objectId: c.id, detail: `due=${c.due_on}` });
    }
  })();
  return due.length;
}

export interface ProblemDeps {
  db: Database;
  audit: Audit;
  calendar: () => WorkCalendar;
  now: () => Date;
  today: () => string;
  /** Closing or reopening a case changes its task's status (问题件 → 已完成 or back). */
  refreshTaskStatus?: (taskId: number) => void;
}

export interface Actor {
  userId: number;
  username: string;
  role: Scope['role'];
}

export function createProblemService(deps: ProblemDeps) {
  const { db, audit } = deps;
  const at = () => deps.now().toISOString();

  function caseRow(id: number): CaseRow {
    const r = stmt(db, 'SELECT * FROM problem_cases WHERE id = ?').get(id) as CaseRow | undefined;
    if (!r) throw new AppError('not_found', '找不到该问题件');
    return r;
  }

  function event(caseId: number, who: Actor | null, ev: ProblemEvent, detail: string | null, action: AuditAction, auditDetail?: string): void {
    const t = at();
    db.prepare('INSERT INTO problem_case_events (case_id, at, user_id, event, detail) VALUES (?, ?, ?, ?, ?)').run(caseId, t, who?.userId ?? null, ev, detail);
    // The audit log carries ids and codes only, never the customer's words.
    audit.append({
      userId: who?.userId ?? null,
      username: who?.username ?? null,
      action,
      objectType: 'problem_case',
      objectId: caseId,
      ...(auditDetail ? { detail: auditDetail } : {}),
    });
  }

  /** The person is the policy's sales agent: never allowed to handle the policy's problem case. */
  function ownPolicyMessage(c: CaseRow, userId: number): string | null {
    if (c.policy_id === null) return null;
    const r = db
      .prepare(
        `SELECT p.policy_no, u.display_name FROM policies p JOIN users u ON u.id = ?
         WHERE p.id = ? AND u.employee_no IS NOT NULL AND u.employee_no != '' AND u.employee_no = p.agent_code`,
      )
      .get(userId, c.policy_id) as { policy_no: string; display_name: string } | undefined;
    return r ? `${r.display_name}是保单 ${r.policy_no} 的销售业务员，不能处理该保单的问题件（须由非本单业务员解释）` : null;
  }

  /** Explaining, linking the second visit and closing: the case's handler, or a manager. */
  function assertMayHandle(c: CaseRow, who: Actor, what: string): void {
    const own = ownPolicyMessage(c, who.userId);
    if (own) throw new AppError('forbidden', own);
    if (who.role === 'manager') return;
    if (c.handler_id === null) throw new AppError('forbidden', `该问题件尚未指派处理人，请主管先指派后再${what}`);
    if (c.handler_id !== who.userId) {
      const name = stmt(db, 'SELECT display_name FROM users WHERE id = ?').pluck().get(c.handler_id) as string;
      throw new AppError('forbidden', `只有本件处理人（${name}）或主管可以${what}`);
    }
  }

  function visitRef(visitId: number | null): ProblemVisitRef | null {
    if (visitId === null) return null;
    const v = db
      .prepare(
        `SELECT v.id, v.record_no, v.version, u.display_name AS visitor, v.visited_at, v.finalised_at, v.outcome,
                (v.respondent_kind = 'in_person' AND EXISTS (SELECT 1 FROM visit_signatures s WHERE s.visit_id = v.id AND s.role = 'customer')) AS signed
         FROM visits v JOIN users u ON u.id = v.visitor_id WHERE v.id = ?`,
      )
      .get(visitId) as { id: number; record_no: string; version: number; visitor: string; visited_at: string | null; finalised_at: string | null; outcome: string | null; signed: number } | undefined;
    if (!v) return null;
    return {
      id: v.id,
      recordNo: v.record_no,
      version: v.version,
      visitorName: v.visitor,
      visitedAt: v.visited_at,
      finalisedAt: v.finalised_at,
      outcome: v.outcome,
      signedByApplicant: v.signed === 1,
    };
  }

  /** The customer's finalised visits since the case opened, other than the one that opened it. */
  function candidates(c: CaseRow): ProblemVisitRef[] {
    const ids = db
      .prepare(
        `SELECT id FROM visits WHERE customer_id = ? AND state = 'finalised' AND finalised_at >= ? AND id != ifnull(?, 0)
         ORDER BY finalised_at DESC, id DESC LIMIT 50`,
      )
      .pluck()
      .all(c.customer_id, c.opened_at, c.visit_id) as number[];
    return ids.map((id) => visitRef(id)!);
  }

  function detail(id: number): ProblemCaseDetail {
    const c = caseRow(id);
    const listed = db.prepare(`${LIST_SELECT} WHERE pc.id = ?`).get(id) as ListRow;
    const history = db
      .prepare(
        `SELECT e.id, e.at, e.event, u.display_name AS user_name, e.detail FROM problem_case_events e LEFT JOIN users u ON u.id = e.user_id
         WHERE e.case_id = ? ORDER BY e.at, e.id`,
      )
      .all(id) as { id: number; at: string; event: ProblemEvent; user_name: string | null; detail: string | null }[];
    return {
      ...toRow(listed, deps.today()),
      taskId: c.task_id,
      policyId: c.policy_id,
      dueExplanation: c.due_explanation,
      explanation:
        c.explanation_method && c.explained_at
          ? { method: c.explanation_method, recordingRef: c.recording_ref, visit: visitRef(c.explanation_visit_id), note: c.explanation_note, at: c.explained_at }
          : null,
      openingVisit: visitRef(c.visit_id),
      secondVisit: visitRef(c.second_visit_id),
      resolutionNote: c.resolution_note,
      history: history.map((h) => ({ id: h.id, at: h.at, event: h.event, userName: h.user_name, detail: h.detail })),
      candidateVisits: candidates(c),
    };
  }

  function finalisedVisitOfCustomer(c: CaseRow, visitId: number, field: string) {
    const v = db
      .prepare(
        `SELECT v.id, v.record_no, v.customer_id, v.state, v.finalised_at, v.respondent_kind,
                EXISTS (SELECT 1 FROM visit_signatures s WHERE s.visit_id = v.id AND s.role = 'customer') AS signed
         FROM visits v WHERE v.id = ?`,
      )
      .get(visitId) as { id: number; record_no: string; customer_id: number; state: string; finalised_at: string | null; respondent_kind: string | null; signed: number } | undefined;
    const fail = (message: string): never => {
      throw new AppError('invalid_input', message, [{ path: field, message }]);
    };
    if (!v) return fail('找不到该面访记录');
    if (v.customer_id !== c.customer_id) return fail(`面访记录 ${v.record_no} 不是本问题件客户的记录`);
    if (v.state !== 'finalised') return fail(`面访记录 ${v.record_no} 尚未定稿（或已被更正），请选择已定稿的记录`);
    return v;
  }

  function assertState(c: CaseRow, allowed: readonly ProblemState[], message: string): void {
    if (!allowed.includes(c.state)) throw new AppError('conflict', message);
  }

  return {
    escalate: () => escalateOverdue(db, audit, deps.today(), at()),

    list(filters: ProblemListFilters, scope: Scope) {
      escalateOverdue(db, audit, deps.today(), at());
      return problemListRows(db, filters, { today: deps.today(), scope });
    },

    summary(scope: Scope): ProblemSummary {
      escalateOverdue(db, audit, deps.today(), at());
      const s = scopeWhere(scope);
      const today = deps.today();
      const r = db
        .prepare(
          `SELECT count(*) AS total,
             sum(pc.state = 'open') AS open, sum(pc.state = 'explained') AS explained, sum(pc.state = 'closed') AS closed, sum(pc.state = 'reopened') AS reopened,
             sum(pc.state IN ${WAITING} AND pc.due_on < ?) AS overdue,
             sum(pc.state IN ${WAITING} AND pc.due_on >= ? AND pc.due_on <= ?) AS soon
           FROM problem_cases pc WHERE ${s ? s.sql : '1 = 1'}`,
        )
        .get(today, today, addDays(today, 1), ...(s?.params ?? [])) as Record<string, number | null>;
      const n = (k: string) => r[k] ?? 0;
      return {
        byState: { open: n('open'), explained: n('explained'), closed: n('closed'), reopened: n('reopened') },
        overdue: n('overdue'),
        soon: n('soon'),
        total: n('total'),
      };
    },

    get(id: number, scope: Scope): ProblemCaseDetail {
      const c = caseRow(id);
      const s = scopeWhere(scope);
      if (s && !db.prepare(`SELECT 1 FROM problem_cases pc WHERE pc.id = ? AND ${s.sql}`).get(c.id, ...s.params)) {
        throw new AppError('forbidden', '该客户不是您本人的客户，业务员只能查看本人客户的问题件');
      }
      return detail(id);
    },

    /** A case registered by hand: from a task, or from a customer and (optionally) one of their policies. */
    open(
      input: { taskId?: number | undefined; customerId?: number | undefined; policyId?: number | undefined; categories: ProblemCategory[]; description: string },
      who: Actor,
    ): ProblemCaseDetail {
      let customerId: number;
      let policyId: number | null;
      let taskId: number | null = null;
      if (input.taskId !== undefined) {
        const t = db.prepare('SELECT id, customer_id, policy_id FROM visit_tasks WHERE id = ?').get(input.taskId) as
          | { id: number; customer_id: number; policy_id: number | null }
          | undefined;
        if (!t) throw new AppError('invalid_input', '找不到该任务', [{ path: 'taskId', message: '找不到该任务' }]);
        customerId = t.customer_id;
        policyId = t.policy_id;
        taskId = t.id;
        const existing = db.prepare("SELECT id FROM problem_cases WHERE task_id = ? AND state != 'closed' ORDER BY id DESC LIMIT 1").pluck().get(t.id) as number | undefined;
        if (existing !== undefined) {
          throw new AppError('conflict', `该任务已有未结案的问题件（编号 ${existing}），请在原问题件上处理`, [{ path: 'taskId', message: `已有未结案的问题件 ${existing}` }]);
        }
      } else {
        customerId = input.customerId!;
        if (!db.prepare('SELECT 1 FROM customers WHERE id = ?').get(customerId)) {
          throw new AppError('invalid_input', '找不到该客户', [{ path: 'customerId', message: '找不到该客户' }]);
        }
        policyId = input.policyId ?? null;
        if (policyId !== null) {
          const owner = db.prepare('SELECT applicant_id FROM policies WHERE id = ?').pluck().get(policyId) as number | undefined;
          if (owner === undefined) throw new AppError('invalid_input', '找不到该保单', [{ path: 'policyId', message: '找不到该保单' }]);
          if (owner !== customerId) throw new AppError('invalid_input', '该保单的投保人不是所选客户', [{ path: 'policyId', message: '该保单的投保人不是所选客户' }]);
        }
      }
      const d = computeDeadline({ kind: 'problem_case', workOrderDate: deps.today() }, deps.calendar());
      const id = db.transaction(() => {
        const caseId = Number(
          db
            .prepare(
              "INSERT INTO problem_cases (source, task_id, customer_id, policy_id, opened_at, due_on, due_explanation, description) VALUES ('manual', ?, ?, ?, ?, ?, ?, ?)",
            )
            .run(taskId, customerId, policyId, at(), d.ok ? d.value.due : null, d.ok ? d.value.explanation : null, input.description).lastInsertRowid,
        );
        const cats = sortCategories(input.categories);
        for (const k of cats) db.prepare('INSERT INTO problem_case_categories (case_id, category) VALUES (?, ?)').run(caseId, k);
        event(caseId, who, 'opened', `手工登记问题件：${cats.map(categoryLabel).join('、')}`, 'problem_opened', `categories=${cats.join(',')}`);
        return caseId;
      })();
      return detail(id);
    },

    assign(caseId: number, handlerId: number, who: Actor): ProblemCaseDetail {
      const c = caseRow(caseId);
      assertState(c, ['open', 'reopened', 'explained'], '问题件已结案，不能再指派处理人；如需继续处理请先重开');
      const u = db.prepare('SELECT id, display_name, role, disabled FROM users WHERE id = ?').get(handlerId) as
        | { id: number; display_name: string; role: string; disabled: number }
        | undefined;
      const refuse = (code: 'invalid_input' | 'forbidden', message: string, field: string): never => {
        throw new AppError(code, message, [{ path: 'handlerId', message: field }]);
      };
      if (!u) return refuse('invalid_input', '找不到该处理人', '请选择处理人');
      const own = ownPolicyMessage(c, u.id);
      if (own) return refuse('forbidden', own, '不能指派给本单业务员');
      if (u.disabled) return refuse('invalid_input', `${u.display_name}的账号已停用，不能指派为处理人`, '该账号已停用');
      if (u.role !== 'staff' && u.role !== 'manager') return refuse('invalid_input', `问题件只能指派给回访专员或主管，${u.display_name}不是`, '请选择回访专员或主管');
      if (c.handler_id === u.id) return detail(caseId);
      db.transaction(() => {
        db.prepare('UPDATE problem_cases SET handler_id = ? WHERE id = ?').run(u.id, caseId);
        event(caseId, who, 'assigned', `指派给 ${u.display_name}`, 'problem_assigned', `handler=${u.id}`);
      })();
      return detail(caseId);
    },

    explain(
      input: { caseId: number; method: 'phone' | 'in_person'; recordingRef?: string | undefined; visitId?: number | undefined; note: string },
      who: Actor,
    ): ProblemCaseDetail {
      const c = caseRow(input.caseId);
      assertState(c, ['open', 'reopened'], c.state === 'closed' ? '问题件已结案；如需重新解释请先重开' : '已记录解释情况');
      assertMayHandle(c, who, '记录解释情况');
      let visitId: number | null = null;
      let detailText: string;
      if (input.method === 'in_person') {
        const v = finalisedVisitOfCustomer(c, input.visitId!, 'visitId');
        if (v.id === c.visit_id || (v.finalised_at ?? '') < c.opened_at) {
          const message = `面访记录 ${v.record_no} 早于问题件登记，不能作为解释记录`;
          throw new AppError('invalid_input', message, [{ path: 'visitId', message }]);
        }
        if (v.respondent_kind !== 'in_person' || !v.signed) {
          const message = `面访记录 ${v.record_no} 不是投保人本人受访并签名的面访问卷，上门解释须由投保人签名确认`;
          throw new AppError('invalid_input', message, [{ path: 'visitId', message }]);
        }
        visitId = v.id;
        detailText = `上门解释，投保人在面访问卷 ${v.record_no} 上签名确认`;
      } else {
        detailText = `电话解释，录音编号 ${input.recordingRef}`;
      }
      db.transaction(() => {
        db.prepare(
          "UPDATE problem_cases SET state = 'explained', explanation_method = ?, recording_ref = ?, explanation_visit_id = ?, explanation_note = ?, explained_at = ? WHERE id = ?",
        ).run(input.method, input.method === 'phone' ? input.recordingRef! : null, visitId, input.note, at(), c.id);
        event(c.id, who, 'explained', `${detailText}；${input.note}`, 'problem_explained', `method=${input.method}${visitId ? ` visit=${visitId}` : ''}`);
      })();
      return detail(c.id);
    },

    linkSecondVisit(caseId: number, visitId: number, who: Actor): ProblemCaseDetail {
      const c = caseRow(caseId);
      if (c.state === 'open' || c.state === 'reopened') {
        throw new AppError('conflict', '请先记录解释情况，再关联二次回访', [{ path: 'visitId', message: '尚未记录解释情况' }]);
      }
      assertState(c, ['explained'], '问题件已结案，不能再关联二次回访');
      assertMayHandle(c, who, '关联二次回访');
      const v = finalisedVisitOfCustomer(c, visitId, 'visitId');
      if (v.id === c.visit_id || (v.finalised_at ?? '') < c.opened_at) {
        const message = `面访记录 ${v.record_no} 早于问题件登记，不能作为二次回访`;
        throw new AppError('invalid_input', message, [{ path: 'visitId', message }]);
      }
      db.transaction(() => {
        db.prepare('UPDATE problem_cases SET second_visit_id = ? WHERE id = ?').run(v.id, c.id);
        event(c.id, who, 'second_visit', `关联二次回访记录 ${v.record_no}`, 'problem_second_visit', `visit=${v.id}`);
      })();
      return detail(c.id);
    },

    close(input: { caseId: number; resolution: ProblemResolution; note?: string | undefined }, who: Actor): ProblemCaseDetail {
      const c = caseRow(input.caseId);
      if (c.state === 'closed') throw new AppError('conflict', '问题件已结案');
      if (c.state !== 'explained') throw new AppError('conflict', '尚未记录解释情况，不能结案：须由非本单业务员向投保人解释后才能结案');
      assertMayHandle(c, who, '结案');
      if (input.resolution === 'explained_accepted' && c.second_visit_id === null) {
        const message = '「解释后客户接受」须先关联二次回访记录';
        throw new AppError('invalid_input', message, [{ path: 'resolution', message }]);
      }
      db.transaction(() => {
        db.prepare("UPDATE problem_cases SET state = 'closed', resolution = ?, resolution_note = ?, closed_at = ? WHERE id = ?").run(
          input.resolution,
          input.note || null,
          at(),
          c.id,
        );
        event(c.id, who, 'closed', `结案：${RESOLUTION_LABELS[input.resolution]}${input.note ? `；${input.note}` : ''}`, 'problem_closed', `resolution=${input.resolution}`);
        if (c.task_id !== null) deps.refreshTaskStatus?.(c.task_id);
      })();
      return detail(c.id);
    },

    /**
     * Reopening starts the handling again: a new explanation and second visit are needed, and the
     * case gets a new 3-working-day deadline from today (escalated again if that one passes too).
     * What was done before stays in the history.
     */
    reopen(caseId: number, reason: string, who: Actor): ProblemCaseDetail {
      const c = caseRow(caseId);
      assertState(c, ['closed', 'explained'], '问题件尚未解释或结案，无需重开');
      const d = computeDeadline({ kind: 'problem_case', workOrderDate: deps.today() }, deps.calendar());
      db.transaction(() => {
        db.prepare(
          `UPDATE problem_cases SET state = 'reopened', explanation_method = NULL, recording_ref = NULL, explanation_visit_id = NULL, explanation_note = NULL,
             explained_at = NULL, second_visit_id = NULL, resolution = NULL, resolution_note = NULL, closed_at = NULL, escalated_at = NULL,
             due_on = ?, due_explanation = ? WHERE id = ?`,
        ).run(d.ok ? d.value.due : c.due_on, d.ok ? d.value.explanation : c.due_explanation, c.id);
        event(c.id, who, 'reopened', `重开：${reason}${d.ok ? `；新的处理期限 ${d.value.due}` : ''}`, 'problem_reopened');
        if (c.task_id !== null) deps.refreshTaskStatus?.(c.task_id);
      })();
      return detail(c.id);
    },
  };
}
export type ProblemService = ReturnType<typeof createProblemService>;
