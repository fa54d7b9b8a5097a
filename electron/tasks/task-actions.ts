import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { AppointmentView, AttemptView, TaskDetail } from '../../shared/api/contract';
import { AppError } from '../../shared/api/envelope';
import { maskIdNumber, maskPhone } from '../../shared/domain/masking';
import { defaultCoolingOffDays, type Channel } from '../../shared/domain/tasks';
import { deriveTaskStatus } from '../../shared/domain/task-status';
import { ATTEMPT_OUTCOME_LABELS, CONTACT_METHODS, nextContactStep, type ContactAttempt } from '../../shared/outcome';
import { DEADLINE_SOURCE_SQL } from './deadline-texts';
import type { TaskService } from './task-service';
import { CREATED_FROM_LIST, recordTaskEvent } from './task-events';

type AttemptRow = { id: number; method: AttemptView['method']; attempted_at: string; outcome: AttemptView['outcome']; phone_dialled: string | null; note: string | null; user_name: string };

/** '2026-11-25 09:30' (branch local time) → ISO with the +08:00 offset the outcome rules expect. */
const toIso = (local: string) => `${local.replace(' ', 'T')}:00+08:00`;

/**
 * What staff do to a task on the board: assign, book, log attempts, correct a number, record why
 * a visit cannot be done. Each step is recorded in the task's history and the status re-derived.
 */
export function createTaskActions(db: Database, tasks: TaskService, now: () => Date) {
  const attemptsOf = (taskId: number) =>
    db
      .prepare<[number], AttemptRow>(
        `SELECT a.id, a.method, a.attempted_at, a.outcome, a.phone_dialled, a.note, u.display_name AS user_name
         FROM contact_attempts a JOIN users u ON u.id = a.user_id WHERE a.task_id = ? ORDER BY a.attempted_at, a.id`,
      )
      .all(taskId);
  const asContactAttempts = (rows: AttemptRow[]): ContactAttempt[] =>
    rows.map((a) => ({ method: a.method, outcome: a.outcome, at: toIso(a.attempted_at), ...(a.phone_dialled ? { phone: a.phone_dialled } : {}) }));

  const taskRow = (id: number) => {
    const t = db
      .prepare<[number], { id: number; assignee_id: number | null; unable_reason: string | null; customer_id: number }>(
        'SELECT id, assignee_id, unable_reason, customer_id FROM visit_tasks WHERE id = ?',
      )
      .get(id);
    if (!t) throw new AppError('not_found', '找不到该任务（可能已被删除或无权查看）');
    return t;
  };

  function problemCaseState(taskId: number): 'open' | 'closed' | undefined {
    const c = db.prepare("SELECT count(*) AS n, sum(state != 'closed') AS open FROM problem_cases WHERE task_id = ?").get(taskId) as { n: number; open: number | null };
    return c.n === 0 ? undefined : (c.open ?? 0) > 0 ? 'open' : 'closed';
  }

  /** Re-derives and stores the status from the facts; never from a hand-set value. */
  function refreshStatus(taskId: number): void {
    // Problem cases opened by hand may have no task.
    if (!db.prepare('SELECT 1 FROM visit_tasks WHERE id = ?').get(taskId)) return;
    const t = taskRow(taskId);
    const scheduled = db.prepare("SELECT count(*) FROM appointments WHERE task_id = ? AND status = 'scheduled'").pluck().get(taskId) as number;
    const visit = db
      .prepare<[number], { state: string; outcome: 'success' | 'problem' | 'not_completed' | 'incomplete' | null; countersigned: number; returned: number }>(
        `SELECT v.state, v.outcome, EXISTS (SELECT 1 FROM visit_countersigns c WHERE c.visit_id = v.id) AS countersigned,
                EXISTS (SELECT 1 FROM visit_returns r WHERE r.visit_id = v.id) AS returned
         FROM visits v WHERE v.task_id = ? AND v.state != 'superseded' ORDER BY v.id DESC LIMIT 1`,
      )
      .get(taskId);
    const status = deriveTaskStatus({
      assigned: t.assignee_id !== null,
      scheduledAppointments: scheduled,
      attempts: asContactAttempts(attemptsOf(taskId)),
      unableReason: t.unable_reason,
      // A returned record is back with its visitor: the task is in progress until corrected.
      visit: visit && { finalised: visit.state === 'finalised' && !visit.returned, outcome: visit.outcome ?? 'incomplete', countersigned: visit.countersigned === 1 },
      problemCase: problemCaseState(taskId),
    });
    db.prepare('UPDATE visit_tasks SET status = ?, updated_at = ? WHERE id = ?').run(status, now().toISOString(), taskId);
  }

  function appointmentsOf(where: string, ...params: unknown[]): AppointmentView[] {
    return db
      .prepare(
        `SELECT a.id, a.task_id, c.name AS customer_name, a.starts_at, a.place, a.contact_person, a.note, a.status, u.display_name AS user_name
         FROM appointments a JOIN visit_tasks t ON t.id = a.task_id JOIN customers c ON c.id = t.customer_id JOIN users u ON u.id = a.user_id
         WHERE ${where} ORDER BY a.starts_at`,
      )
      .all(...params)
      .map((r) => {
        const a = r as { id: number; task_id: number; customer_name: string; starts_at: string; place: string; contact_person: string; note: string | null; status: AppointmentView['status']; user_name: string };
        return { id: a.id, taskId: a.task_id, customerName: a.customer_name, startsAt: a.starts_at, place: a.place, contactPerson: a.contact_person, note: a.note, status: a.status, userName: a.user_name };
      });
  }

  function detail(id: number): TaskDetail {
    const row = tasks.byId(id);
    if (!row) throw new AppError('not_found', '找不到该任务（可能已被删除或无权查看）');
    const t = db
      .prepare(
        `SELECT t.visit_required, ${DEADLINE_SOURCE_SQL} AS deadline_source, t.problem_description, t.unable_reason, t.customer_id, c.name, c.phone, c.id_number, c.address,
                p.policy_no, p.product_name, p.product_type, p.channel, p.insured_name, p.premium_cents, p.pay_years, p.coverage_period,
                p.issue_date, p.receipt_signed_date, p.agent_name, p.cooling_off_days, p.expiry_date
         FROM visit_tasks t JOIN customers c ON c.id = t.customer_id LEFT JOIN policies p ON p.id = t.policy_id WHERE t.id = ?`,
      )
      .get(id) as Record<string, string | number | null>;
    const attempts = attemptsOf(id);
    const history = db
      .prepare<[number, string, number], { id: number; at: string; user_name: string | null; summary: string }>(
        // A task created by a list has no 'created' row (migration 018): its creation is read from
        // the list, id 0 so it comes after anything else at the same moment.
        `SELECT e.id, e.at, u.display_name AS user_name, e.summary FROM task_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.task_id = ?
         UNION ALL
         SELECT 0, t.created_at, u.display_name, ? FROM visit_tasks t JOIN import_batches b ON b.id = t.created_batch_id LEFT JOIN users u ON u.id = b.imported_by WHERE t.id = ?
         ORDER BY 2 DESC, 1 DESC`,
      )
      .all(id, CREATED_FROM_LIST, id);
    const changes = db.prepare<[number], { field: string; old_value: string | null; new_value: string | null }>(
      'SELECT field, old_value, new_value FROM task_event_changes WHERE event_id = ?',
    );
    const reachedOrClosed = row.status === 'done' || row.status === 'to_countersign' || row.status === 'problem';
    const next = reachedOrClosed ? undefined : nextContactStep(asContactAttempts(attempts), (t.unable_reason as string | null) ?? undefined);
    return {
      task: row,
      visitRequired: t.visit_required === 1,
      deadlineSource: t.deadline_source as string | null,
      problemDescription: t.problem_description as string | null,
      unableReason: t.unable_reason as string | null,
      customer: { id: t.customer_id as number, name: t.name as string, phoneMasked: maskPhone(t.phone as string | null), idNumberMasked: maskIdNumber(t.id_number as string | null), address: t.address as string | null },
      policy: t.policy_no
        ? {
            policyNo: t.policy_no as string,
            productName: t.product_name as string,
            productType: t.product_type as string,
            channel: t.channel as string,
            insuredName: t.insured_name as string | null,
            premiumCents: t.premium_cents as number | null,
            payYears: t.pay_years as number | null,
            coveragePeriod: t.coverage_period as string | null,
            issueDate: t.issue_date as string | null,
            receiptSignedDate: t.receipt_signed_date as string | null,
            agentName: t.agent_name as string | null,
            coolingOffDays: (t.cooling_off_days as number | null) ?? defaultCoolingOffDays(t.channel as Channel),
            expiryDate: t.expiry_date as string | null,
          }
        : null,
      attempts: attempts.map((a) => ({ id: a.id, method: a.method, attemptedAt: a.attempted_at, outcome: a.outcome, phoneMasked: maskPhone(a.phone_dialled), note: a.note, userName: a.user_name })),
      appointments: appointmentsOf('a.task_id = ?', id),
      history: history.map((h) => ({ at: h.at, userName: h.user_name, summary: h.summary, changes: changes.all(h.id).map((c) => ({ field: c.field, oldValue: c.old_value, newValue: c.new_value })) })),
      nextStep: next ?? null,
    };
  }

  const at = () => now().toISOString();

  return {
    detail,
    refreshStatus,

    assign(taskIds: readonly number[], assigneeId: number, userId: number): number {
      const assignee = db.prepare<[number], { display_name: string; role: string; disabled: number }>('SELECT display_name, role, disabled FROM users WHERE id = ?').get(assigneeId);
      if (!assignee || assignee.disabled) throw new AppError('invalid_input', '经办人不存在或已停用', [{ path: 'assigneeId', message: '请选择有效的经办人' }]);
      if (assignee.role === 'admin') throw new AppError('invalid_input', '不能把回访任务分配给管理员账号', [{ path: 'assigneeId', message: '请选择回访专员、业务员或主管' }]);
      return db.transaction(() => {
        let n = 0;
        for (const id of taskIds) {
          const t = taskRow(id);
          if (t.assignee_id === assigneeId) continue;
          db.prepare('UPDATE visit_tasks SET assignee_id = ? WHERE id = ?').run(assigneeId, id);
          recordTaskEvent(db, { taskId: id, at: at(), userId, event: 'assigned', summary: `分配给 ${assignee.display_name}` });
          refreshStatus(id);
          n++;
        }
        return n;
      })();
    },

    book(input: { taskId: number; date: string; time: string; place: string; contactPerson: string; note?: string | undefined }, userId: number): TaskDetail {
      taskRow(input.taskId);
      const startsAt = `${input.date} ${input.time}`;
      db.transaction(() => {
        db.prepare('INSERT INTO appointments (task_id, user_id, starts_at, place, contact_person, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
          input.taskId, userId, startsAt, input.place, input.contactPerson, input.note ?? null, at(),
        );
        recordTaskEvent(db, { taskId: input.taskId, at: at(), userId, event: 'booked', summary: `预约 ${startsAt} 于 ${input.place}（联系人 ${input.contactPerson}）` });
        refreshStatus(input.taskId);
      })();
      return detail(input.taskId);
    },

    cancelAppointment(id: number, reason: string, userId: number): TaskDetail {
      const a = db.prepare<[number], { task_id: number; starts_at: string; status: string }>('SELECT task_id, starts_at, status FROM appointments WHERE id = ?').get(id);
      if (!a) throw new AppError('not_found', '找不到该预约');
      if (a.status !== 'scheduled') throw new AppError('conflict', '该预约已取消或已完成');
      db.transaction(() => {
        db.prepare("UPDATE appointments SET status = 'cancelled' WHERE id = ?").run(id);
        recordTaskEvent(db, { taskId: a.task_id, at: at(), userId, event: 'appointment_cancelled', summary: `取消 ${a.starts_at} 的预约：${reason}` });
        refreshStatus(a.task_id);
      })();
      return detail(a.task_id);
    },

    week(weekStart: string, userId: number): AppointmentView[] {
      const end = new Date(`${weekStart}T00:00:00Z`);
      end.setUTCDate(end.getUTCDate() + 7);
      return appointmentsOf("a.user_id = ? AND a.status = 'scheduled' AND a.starts_at >= ? AND a.starts_at < ?", userId, weekStart, end.toISOString().slice(0, 10));
    },

    logAttempt(input: { taskId: number; method: AttemptView['method']; attemptedAt: string; outcome: AttemptView['outcome']; note?: string | undefined }, userId: number): TaskDetail {
      const t = taskRow(input.taskId);
      const outcomeLabel = ATTEMPT_OUTCOME_LABELS[input.method][input.outcome];
      if (!outcomeLabel) {
        // e.g. an SMS cannot carry the questionnaire, so it is never 已接通; a letter cannot book.
        throw new AppError('invalid_input', `${methodLabel(input.method)}联系不能记为该结果`, [{ path: 'outcome', message: `${methodLabel(input.method)}不能选择此结果` }]);
      }
      // A few minutes of leeway for a PC clock that runs slightly behind the phone's.
      if (Date.parse(toIso(input.attemptedAt)) > now().getTime() + 10 * 60_000) {
        throw new AppError('invalid_input', '联系时间不能晚于现在', [{ path: 'attemptedAt', message: '联系时间不能晚于现在' }]);
      }
      const phone = input.method === 'phone' || input.method === 'sms' ? (db.prepare('SELECT phone FROM customers WHERE id = ?').pluck().get(t.customer_id) as string | null) : null;
      db.transaction(() => {
        db.prepare('INSERT INTO contact_attempts (task_id, user_id, method, attempted_at, outcome, phone_dialled, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
          input.taskId, userId, input.method, input.attemptedAt, input.outcome, phone, input.note ?? null, at(),
        );
        recordTaskEvent(db, { taskId: input.taskId, at: at(), userId, event: 'attempt', summary: `联系记录：${input.attemptedAt} ${methodLabel(input.method)} · ${outcomeLabel}` });
        refreshStatus(input.taskId);
      })();
      return detail(input.taskId);
    },

    correctPhone(taskId: number, newPhone: string, reason: string, userId: number): TaskDetail {
      const t = taskRow(taskId);
      const old = db.prepare('SELECT phone FROM customers WHERE id = ?').pluck().get(t.customer_id) as string | null;
      if (old === newPhone) throw new AppError('invalid_input', '新号码与原号码相同', [{ path: 'newPhone', message: '新号码与原号码相同' }]);
      db.transaction(() => {
        db.prepare('INSERT INTO customer_phone_changes (customer_id, old_phone, new_phone, reason, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)').run(t.customer_id, old, newPhone, reason, userId, at());
        db.prepare('UPDATE customers SET phone = ? WHERE id = ?').run(newPhone, t.customer_id);
        recordTaskEvent(db, {
          taskId, at: at(), userId, event: 'phone_corrected', summary: `更正联系电话：${reason}`,
          changes: [{ field: 'customer.phone', oldValue: maskPhone(old), newValue: maskPhone(newPhone) }],
        });
      })();
      return detail(taskId);
    },

    recordUnable(taskId: number, reason: string, userId: number): TaskDetail {
      taskRow(taskId);
      const attempts = asContactAttempts(attemptsOf(taskId));
      if (nextContactStep(attempts, reason) !== undefined) {
        throw new AppError('conflict', '还有未尝试的联系方式：电话、补正号码、信函或上门均未能完成后，才能记录不能完成回访的原因（重庆…办法 第六条）', [
          { path: 'reason', message: '请先按建议的下一步继续联系' },
        ]);
      }
      db.transaction(() => {
        db.prepare('UPDATE visit_tasks SET unable_reason = ? WHERE id = ?').run(reason, taskId);
        recordTaskEvent(db, { taskId, at: at(), userId, event: 'unable_recorded', summary: `记录不能完成回访的原因：${reason}` });
        refreshStatus(taskId);
      })();
      return detail(taskId);
    },
  };
}

const methodLabel = (m: AttemptView['method']) => CONTACT_METHODS.find((c) => c.code === m)?.label ?? m;
