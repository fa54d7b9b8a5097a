import { afterEach, describe, expect, it } from 'vitest';
import { ok, startTestApp, type TestApp } from '../support/app';

const NOW = () => new Date('2026-11-25T09:00:00+08:00');
let app: TestApp;
afterEach(() => app?.cleanup());

async function demoBranch() {
  app = startTestApp(NOW);
  const admin = await app.setUp();
  await app.api('demo.load', {}, admin);
  const sign = async (username: string) => {
    const r = await app.api('auth.signIn', { username, password: 'demo1234' });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.sessionToken;
  };
  return { admin, staff: await sign('zhangli'), manager: await sign('liuyang') };
}


describe('the task board', () => {
  it('assigns in bulk (managers only) and derives 待分配 → 待联系', async () => {
    const { staff, manager } = await demoBranch();
    const unassigned = ok(await app.api('tasks.list', { unassigned: true, limit: 5 }, manager));
    expect(unassigned.rows.every((r) => r.status === 'unassigned')).toBe(true);
    const users = ok(await app.api('users.list', {}, manager)).users;
    const zhang = users.find((u) => u.displayName === '张莉')!;
    const ids = unassigned.rows.map((r) => r.id);

    const refused = await app.api('tasks.assign', { taskIds: ids, assigneeId: zhang.id }, staff);
    expect(refused.ok ? '' : refused.error.code).toBe('forbidden');
    expect(ok(await app.api('tasks.assign', { taskIds: ids, assigneeId: zhang.id }, manager)).updated).toBe(ids.length);
    for (const id of ids) {
      const d = ok(await app.api('tasks.get', { id }, staff));
      expect(d.task.status).toBe('to_contact');
      expect(d.task.assigneeName).toBe('张莉');
      expect(d.history[0]?.summary).toBe('分配给 张莉');
    }
    const mine = ok(await app.api('tasks.list', { assigneeId: zhang.id, limit: 500 }, staff));
    expect(mine.rows.every((r) => r.assigneeName === '张莉')).toBe(true);
  });

  it('books an appointment: 已预约 on the board, in the week view, and cancelling returns the status', async () => {
    const { staff } = await demoBranch();
    const task = ok(await app.api('tasks.list', { status: 'to_contact', limit: 1 }, staff)).rows[0]!;
    const bad = await app.api('appointments.create', { taskId: task.id, date: '2026-11-27', time: '25:00', place: '', contactPerson: '本人' }, staff);
    expect(bad.ok ? [] : bad.error.issues?.map((i) => i.path).sort()).toEqual(['place', 'time']);
    const d = ok(await app.api('appointments.create', { taskId: task.id, date: '2026-11-27', time: '14:30', place: '客户家中（历下区泉城路 12 号）', contactPerson: '本人' }, staff));
    expect(d.task.status).toBe('booked');
    expect(d.appointments[0]).toMatchObject({ startsAt: '2026-11-27 14:30', status: 'scheduled' });
    const booked = ok(await app.api('tasks.list', { hasAppointment: true, limit: 500 }, staff));
    expect(booked.rows.map((r) => r.id)).toContain(task.id);
    expect(booked.rows.every((r) => r.hasAppointment)).toBe(true);
    expect(d.policy?.coolingOffDays).toBeGreaterThanOrEqual(10);
    const week = ok(await app.api('appointments.week', { weekStart: '2026-11-23' }, staff)).appointments;
    expect(week.map((a) => a.taskId)).toContain(task.id);
    const after = ok(await app.api('appointments.cancel', { id: d.appointments[0]!.id, reason: '客户出差' }, staff));
    expect(after.task.status).toBe('to_contact');
  });

  it('logs attempts, suggests the next fallback, corrects a wrong number keeping the old one, and records why a visit failed', async () => {
    const { staff } = await demoBranch();
    const task = ok(await app.api('tasks.list', { status: 'to_contact', kind: 'new_policy', limit: 1 }, staff)).rows[0]!;
    let d = ok(await app.api('attempts.log', { taskId: task.id, method: 'phone', attemptedAt: '2026-11-24 10:00', outcome: 'wrong_number', note: '空号' }, staff));
    expect(d.task.status).toBe('in_progress');
    expect(d.nextStep?.action).toBe('correct_number_and_phone');
    expect(d.attempts[0]?.phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);

    const badPhone = await app.api('tasks.correctPhone', { taskId: task.id, newPhone: '12345', reason: '业务员提供' }, staff);
    expect(badPhone.ok ? '' : badPhone.error.issues?.[0]?.path).toBe('newPhone');
    d = ok(await app.api('tasks.correctPhone', { taskId: task.id, newPhone: '139-0000-1234', reason: '业务员提供新号码' }, staff));
    expect(d.customer.phoneMasked).toBe('139****1234');
    const changes = app.db.prepare('SELECT old_phone, new_phone FROM customer_phone_changes').all() as { old_phone: string; new_phone: string }[];
    expect(changes).toHaveLength(1);
    expect(changes[0]!.new_phone).toBe('13900001234');
    expect(changes[0]!.old_phone).not.toBe('13900001234');

    const tooEarly = await app.api('tasks.recordUnable', { taskId: task.id, reason: '联系不上' }, staff);
    expect(tooEarly.ok ? '' : tooEarly.error.code).toBe('conflict');
    for (const at of ['2026-11-24 15:00', '2026-11-24 17:00', '2026-11-25 08:30']) {
      d = ok(await app.api('attempts.log', { taskId: task.id, method: 'phone', attemptedAt: at, outcome: 'not_answered' }, staff));
    }
    expect(['letter_or_home_visit', 'letter', 'home_visit']).toContain(d.nextStep?.action);
    const sms = await app.api('attempts.log', { taskId: task.id, method: 'sms', attemptedAt: '2026-11-25 08:40', outcome: 'reached' }, staff);
    expect(sms.ok ? '' : sms.error.code).toBe('invalid_input');
    const future = await app.api('attempts.log', { taskId: task.id, method: 'phone', attemptedAt: '2026-12-25 08:40', outcome: 'reached' }, staff);
    expect(future.ok ? '' : future.error.issues?.[0]?.path).toBe('attemptedAt');
    d = ok(await app.api('attempts.log', { taskId: task.id, method: 'home_visit', attemptedAt: '2026-11-25 08:50', outcome: 'not_answered', note: '家中无人' }, staff));
    expect(d.nextStep?.action).toBe('record_reason');
    d = ok(await app.api('tasks.recordUnable', { taskId: task.id, reason: '电话、上门均无法联系，邻居称已搬离' }, staff));
    expect(d.task.status).toBe('failed');
    expect(d.unableReason).toContain('搬离');
    expect(d.history.map((h) => h.summary).join('\n')).toMatch(/联系记录：2026-11-24 10:00 电话/);
  });
});
