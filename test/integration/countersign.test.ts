import { afterEach, describe, expect, it } from 'vitest';
import { ok, type TestApp } from '../support/app';
import { fakeSignature } from '../support/signature';
import { demoBranch, finalisedVisit as finalisedVisit_ } from '../support/visit-flow';

const NOW = () => new Date('2026-11-25T09:00:00+08:00');
let app: TestApp;
afterEach(() => app?.cleanup());


async function branch() {
  const b = await demoBranch(NOW);
  app = b.app;
  return b;
}

const finalisedVisit = (session: string, offset = 0) => finalisedVisit_(app, session, offset);

describe('主管会签', () => {
  it('queues finalised records oldest first; only managers countersign, with their own password, never their own visit', async () => {
    const { staff, manager } = await branch();
    const a = await finalisedVisit(staff, 0);
    const b = await finalisedVisit(staff, 1);
    const own = await finalisedVisit(manager, 2);
    const queue = ok(await app.api('countersign.queue', {}, manager));
    expect(queue.visits.map((v) => v.id)).toEqual([a.id, b.id, own.id]);

    const sig = fakeSignature('刘洋');
    const byStaff = await app.api('countersign.sign', { visitIds: [a.id], password: 'demo1234', ...sig }, staff);
    expect(byStaff.ok ? '' : byStaff.error.code).toBe('forbidden');
    const wrong = await app.api('countersign.sign', { visitIds: [a.id], password: 'nope', ...sig }, manager);
    expect(wrong.ok ? '' : wrong.error.code).toBe('bad_credentials');
    const fourEyes = await app.api('countersign.sign', { visitIds: [a.id, own.id], password: 'demo1234', ...sig }, manager);
    expect(fourEyes.ok ? '' : fourEyes.error.message).toContain('本人回访');
    // All or none: the refused batch countersigned nothing.
    expect(ok(await app.api('countersign.queue', {}, manager)).total).toBe(3);

    expect(ok(await app.api('countersign.sign', { visitIds: [a.id, b.id], password: 'demo1234', ...sig }, manager)).countersigned).toBe(2);
    const signed = ok(await app.api('visits.get', { id: a.id }, manager));
    expect(signed.countersign?.managerName).toBe('刘洋');
    expect(signed.tampered).toBeNull();
    expect(ok(await app.api('tasks.get', { id: signed.taskId! }, staff)).task.status).toBe('done');
    expect(ok(await app.api('countersign.queue', {}, manager)).visits.map((v) => v.id)).toEqual([own.id]);

    // A later change breaks the staff's signatures and the countersign alike.
    app.db.prepare("UPDATE visits SET sheet_summary = '改过' WHERE id = ?").run(a.id);
    expect(ok(await app.api('visits.get', { id: a.id }, manager)).tampered).toBeTruthy();
    const auditActions = app.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'visit_%'").pluck().all();
    expect(auditActions.filter((x) => x === 'visit_countersigned')).toHaveLength(2);
  });

  it('returns a record with a reason; the staff member sees it and corrects it as a new version', async () => {
    const { staff, manager } = await branch();
    const v = await finalisedVisit(staff);
    const r = ok(await app.api('countersign.return', { visitId: v.id, reason: '受访人职务未填写完整' }, manager));
    expect(r.returned).toMatchObject({ managerName: '刘洋', reason: '受访人职务未填写完整' });
    expect(ok(await app.api('tasks.get', { id: v.taskId! }, staff)).task.status).toBe('in_progress');
    expect(ok(await app.api('countersign.queue', {}, manager)).total).toBe(0);
    const again = await app.api('countersign.sign', { visitIds: [v.id], password: 'demo1234', ...fakeSignature('刘洋') }, manager);
    expect(again.ok ? '' : again.error.message).toContain('已退回');
    const correction = ok(await app.api('visits.correct', { visitId: v.id, reason: '按主管意见补充' }, staff));
    expect(correction.returned?.reason).toBe('受访人职务未填写完整');
  });
});
