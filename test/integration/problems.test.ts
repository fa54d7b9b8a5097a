import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../electron/app/create-app';
import type { VisitView } from '../../shared/api/contract';
import { visibleQuestions } from '../../shared/questionnaire';
import { ok, type TestApp } from '../support/app';
import { fakeSignature } from '../support/signature';
import { demoBranch } from '../support/visit-flow';

/**
 * 问题件 to closure: opened by a visit whose answers are not all affirmative, handled by someone
 * who is not the policy's sales agent, explained (recording or signed questionnaire), confirmed
 * by a second visit, closed with a resolution; overdue cases escalated once; reopening.
 */

let clock = new Date('2026-11-25T09:00:00+08:00');
const now = () => clock;
let app: TestApp;
afterEach(() => {
  app?.cleanup();
  clock = new Date('2026-11-25T09:00:00+08:00');
});

let sessions: string[] = [];
async function branch() {
  const b = await demoBranch(now);
  app = b.app;
  sessions = [b.staff, b.sales, b.manager];
  return b;
}

/** Moves the clock; the idle lock that follows is lifted with each person's password. */
async function advance(to: string) {
  clock = new Date(to);
  for (const s of sessions) ok(await app.api('auth.unlock', { password: 'demo1234' }, s));
}

/** A new-policy task on one of 王强's (YW2033) policies. */
function wangqiangTask(offset = 0): number {
  return app.db
    .prepare("SELECT t.id FROM visit_tasks t JOIN policies p ON p.id = t.policy_id WHERE t.kind = 'new_policy' AND p.agent_code = 'YW2033' ORDER BY t.id LIMIT 1 OFFSET ?")
    .pluck()
    .get(offset) as number;
}

/** A finalised in-person visit on the task, signed by the applicant; `misleading` answers the payment-years question wrongly. */
async function visitOn(session: string, taskId: number, misleading: boolean): Promise<VisitView> {
  let v = ok(await app.api('visits.start', { taskId }, session));
  v = ok(await app.api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: '2026-11-25 08:30' }, session));
  const payYears = v.template.questions.find((q) => q.category === 'misleading_payment_years')!;
  for (const q of visibleQuestions(v.template, (v.productType ?? undefined) as never)) {
    const answer = misleading && q.id === payYears.id ? (q.expected === 'yes' ? 'no' : 'yes') : q.expected;
    v = ok(await app.api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer }, session));
  }
  v = ok(await app.api('visits.saveSheet', { visitId: v.id, sheet: { interviewee: '投保人本人', summary: '逐项确认', feedback: misleading ? '对缴费年限有疑问' : '' } }, session));
  v = ok(await app.api('visits.sign', { visitId: v.id, role: 'customer', ...fakeSignature('客户') }, session));
  v = ok(await app.api('visits.sign', { visitId: v.id, role: 'staff', ...fakeSignature('张莉') }, session));
  return ok(await app.api('visits.finalise', { visitId: v.id }, session));
}

const userId = (username: string) => app.db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as number;

describe('问题件 lifecycle', () => {
  it('opens from a visit, refuses the sales agent as handler, explains, links the second visit, closes, reopens — with its history', async () => {
    const { staff, manager, sales, admin } = await branch();
    const taskId = wangqiangTask();
    const opening = await visitOn(staff, taskId, true);
    const caseId = opening.problemCaseId!;
    expect(caseId).toBeGreaterThan(0);

    const list = ok(await app.api('problems.list', {}, manager));
    expect(list.total).toBe(1);
    const policyNo = app.db.prepare('SELECT p.policy_no FROM visit_tasks t JOIN policies p ON p.id = t.policy_id WHERE t.id = ?').pluck().get(taskId) as string;
    expect(list.rows[0]).toMatchObject({
      id: caseId,
      source: 'visit',
      policyNo,
      agentName: '王强',
      agentCode: 'YW2033',
      categories: ['misleading_payment_years'],
      categoryLabels: ['误导-缴费年限'],
      description: '对缴费年限有疑问',
      handlerId: null,
      state: 'open',
      dueOn: '2026-11-30',
      dueState: null,
      closedAt: null,
    });

    // Nobody designated yet: staff may not explain.
    const early = await app.api('problems.explain', { caseId, method: 'phone', recordingRef: 'REC-1', note: '已解释' }, staff);
    expect(early.ok ? '' : early.error.message).toContain('尚未指派处理人');

    // The policy's sales agent is never the handler, named with the policy.
    const refused = await app.api('problems.assign', { caseId, handlerId: userId('wangqiang') }, manager);
    expect(refused.ok ? '' : refused.error.code).toBe('forbidden');
    expect(refused.ok ? '' : refused.error.message).toBe(`王强是保单 ${policyNo} 的销售业务员，不能处理该保单的问题件（须由非本单业务员解释）`);
    expect(refused.ok ? [] : refused.error.issues).toEqual([{ path: 'handlerId', message: '不能指派给本单业务员' }]);
    const notWorker = await app.api('problems.assign', { caseId, handlerId: userId('admin') }, manager);
    expect(notWorker.ok ? '' : notWorker.error.message).toContain('只能指派给回访专员或主管');
    // Disabled accounts are refused too.
    const extra = ok(await app.api('accounts.create', { username: 'zhaoyun', displayName: '赵云', role: 'staff', password: 'password-123' }, admin));
    ok(await app.api('accounts.update', { id: extra.id, disabled: true }, admin));
    const disabled = await app.api('problems.assign', { caseId, handlerId: extra.id }, manager);
    expect(disabled.ok ? '' : disabled.error.message).toContain('已停用');
    expect((await app.api('problems.assign', { caseId, handlerId: userId('zhangli') }, staff)).ok).toBe(false);

    let d = ok(await app.api('problems.assign', { caseId, handlerId: userId('zhangli') }, manager));
    expect(d).toMatchObject({ handlerId: userId('zhangli'), handlerName: '张莉' });

    const notYet = await app.api('problems.close', { caseId, resolution: 'other', note: '直接结案' }, staff);
    expect(notYet.ok ? '' : notYet.error.message).toContain('尚未记录解释情况');

    const noRecording = await app.api('problems.explain', { caseId, method: 'phone', note: '已解释缴费年限' }, staff);
    expect(noRecording.ok ? [] : noRecording.error.issues).toEqual([{ path: 'recordingRef', message: '电话解释须填写录音编号' }]);
    const openingAsExplanation = await app.api('problems.explain', { caseId, method: 'in_person', visitId: opening.id, note: '已解释' }, staff);
    expect(openingAsExplanation.ok ? '' : openingAsExplanation.error.issues?.[0]?.path).toBe('visitId');

    d = ok(await app.api('problems.explain', { caseId, method: 'phone', recordingRef: 'REC-20261125-001', note: '已向投保人解释缴费年限为 10 年' }, staff));
    expect(d.state).toBe('explained');
    expect(d.explanation).toMatchObject({ method: 'phone', recordingRef: 'REC-20261125-001', note: '已向投保人解释缴费年限为 10 年' });
    const again = await app.api('problems.explain', { caseId, method: 'phone', recordingRef: 'REC-2', note: 'x' }, staff);
    expect(again.ok ? '' : again.error.code).toBe('conflict');

    const needsSecond = await app.api('problems.close', { caseId, resolution: 'explained_accepted' }, staff);
    expect(needsSecond.ok ? [] : needsSecond.error.issues).toEqual([{ path: 'resolution', message: '「解释后客户接受」须先关联二次回访记录' }]);
    const wrongVisit = await app.api('problems.linkSecondVisit', { caseId, visitId: opening.id }, staff);
    expect(wrongVisit.ok ? '' : wrongVisit.error.message).toContain('早于问题件登记');
    // Another customer's visit is not this case's second visit.
    const other = await visitOn(staff, wangqiangTask(1), false);
    const otherCustomer = await app.api('problems.linkSecondVisit', { caseId, visitId: other.id }, staff);
    expect(otherCustomer.ok ? '' : otherCustomer.error.message).toContain('不是本问题件客户的记录');

    await advance('2026-11-26T10:00:00+08:00');
    const second = await visitOn(staff, taskId, false);
    expect(second.outcome.status).toBe('success');
    d = ok(await app.api('problems.get', { id: caseId }, staff));
    expect(d.candidateVisits.map((v) => v.id)).toEqual([second.id]);
    expect(d.candidateVisits[0]?.signedByApplicant).toBe(true);
    d = ok(await app.api('problems.linkSecondVisit', { caseId, visitId: second.id }, staff));
    expect(d.secondVisit?.recordNo).toBe(second.recordNo);
    d = ok(await app.api('problems.close', { caseId, resolution: 'explained_accepted', note: '客户理解并接受' }, staff));
    expect(d).toMatchObject({ state: 'closed', resolution: 'explained_accepted', resolutionNote: '客户理解并接受' });
    expect(d.closedAt).toBe(clock.toISOString());
    expect(d.history.map((h) => [h.event, h.userName])).toEqual([
      ['opened', '张莉'],
      ['assigned', '刘洋'],
      ['explained', '张莉'],
      ['second_visit', '张莉'],
      ['closed', '张莉'],
    ]);
    expect(d.history[2]?.detail).toContain('REC-20261125-001');
    // The task leaves 问题件 once its case is closed (to be countersigned, then 已完成) …
    const taskStatus = () => (d.taskId === null ? null : app.db.prepare('SELECT status FROM visit_tasks WHERE id = ?').pluck().get(d.taskId));
    if (d.taskId !== null) expect(taskStatus()).not.toBe('problem');

    // Reopening needs a reason, starts a new deadline and needs the whole handling again.
    const noReason = await app.api('problems.reopen', { caseId, reason: ' ' }, staff);
    expect(noReason.ok ? [] : noReason.error.issues?.map((i) => i.path)).toEqual(['reason']);
    d = ok(await app.api('problems.reopen', { caseId, reason: '客户来电仍有异议' }, staff));
    expect(d).toMatchObject({ state: 'reopened', explanation: null, secondVisit: null, resolution: null, closedAt: null, dueOn: '2026-12-01' });
    expect(d.history.at(-1)).toMatchObject({ event: 'reopened', userName: '张莉' });
    expect(d.history.at(-1)?.detail).toContain('客户来电仍有异议');
    // … and goes back to it when the case is reopened.
    if (d.taskId !== null) expect(taskStatus()).toBe('problem');

    // Every step is in the audit log, by id only.
    const actions = app.db.prepare("SELECT action FROM audit_log WHERE object_type = 'problem_case' AND object_id = ? ORDER BY id").pluck().all(caseId);
    expect(actions).toEqual(['problem_assigned', 'problem_explained', 'problem_second_visit', 'problem_closed', 'problem_reopened']);

    // The sales rep sees the case on his own client but may not work it.
    expect(ok(await app.api('problems.list', {}, sales)).rows.map((r) => r.id)).toContain(caseId);
    const salesExplain = await app.api('problems.explain', { caseId, method: 'phone', recordingRef: 'R', note: 'x' }, sales);
    expect(salesExplain.ok ? '' : salesExplain.error.code).toBe('forbidden');
  });

  it('a manual case has a 3-working-day deadline, is flagged soon, then overdue and escalated once (also at start)', async () => {
    const { staff, manager, sales } = await branch();
    // A problem-case task handed down by head office, on a policy that is not 王强's.
    const taskId = app.db
      .prepare("SELECT t.id FROM visit_tasks t JOIN policies p ON p.id = t.policy_id WHERE t.kind = 'problem_case' AND p.agent_code != 'YW2033' ORDER BY t.id LIMIT 1")
      .pluck()
      .get() as number;
    const bad = await app.api('problems.open', { taskId, categories: [], description: '' }, staff);
    expect(bad.ok ? [] : bad.error.issues?.map((i) => i.path).sort()).toEqual(['categories', 'description']);
    const d = ok(await app.api('problems.open', { taskId, categories: ['terms_not_provided', 'proxy_signature'], description: '客户称投保单非本人签名' }, staff));
    expect(d).toMatchObject({ source: 'manual', state: 'open', dueOn: '2026-11-30', description: '客户称投保单非本人签名' });
    expect(d.history).toEqual([expect.objectContaining({ event: 'opened', userName: '张莉' })]);
    const dup = await app.api('problems.open', { taskId, categories: ['proxy_signature'], description: '再登记一次' }, staff);
    expect(dup.ok ? '' : dup.error.code).toBe('conflict');
    expect((await app.api('problems.open', { taskId, categories: ['proxy_signature'], description: 'x' }, sales)).ok).toBe(false);

    // Not on 王强's list: outside his scope.
    expect(ok(await app.api('problems.list', {}, sales)).rows.map((r) => r.id)).not.toContain(d.id);
    const peek = await app.api('problems.get', { id: d.id }, sales);
    expect(peek.ok ? '' : peek.error.code).toBe('forbidden');

    await advance('2026-11-30T09:00:00+08:00');
    expect(ok(await app.api('problems.list', { due: 'soon' }, manager)).rows.map((r) => r.dueState)).toEqual(['soon']);
    expect(ok(await app.api('problems.summary', {}, manager))).toMatchObject({ overdue: 0, soon: 1, total: 1, byState: { open: 1 } });

    await advance('2026-12-01T09:00:00+08:00');
    const overdue = ok(await app.api('problems.list', { due: 'overdue' }, manager));
    expect(overdue.rows.map((r) => [r.id, r.dueState])).toEqual([[d.id, 'overdue']]);
    expect(overdue.rows[0]?.escalatedAt).toBe(clock.toISOString());
    ok(await app.api('problems.list', {}, staff));
    expect(ok(await app.api('problems.summary', {}, manager))).toMatchObject({ overdue: 1, soon: 0 });
    const h = ok(await app.api('problems.get', { id: d.id }, manager)).history;
    expect(h.filter((e) => e.event === 'escalated')).toEqual([expect.objectContaining({ userName: null, detail: expect.stringContaining('2026-11-30') })]);
    expect(app.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'problem_escalated'").pluck().get()).toBe(1);

    // Filters: handler, category, opened dates, state.
    expect(ok(await app.api('problems.list', { category: 'proxy_signature' }, manager)).total).toBe(1);
    expect(ok(await app.api('problems.list', { category: 'misleading_payment_years' }, manager)).total).toBe(0);
    expect(ok(await app.api('problems.list', { openedFrom: '2026-11-25', openedTo: '2026-11-25' }, manager)).total).toBe(1);
    expect(ok(await app.api('problems.list', { openedFrom: '2026-11-26' }, manager)).total).toBe(0);
    expect(ok(await app.api('problems.list', { state: 'closed' }, manager)).total).toBe(0);
    ok(await app.api('problems.assign', { caseId: d.id, handlerId: userId('zhangli') }, manager));
    expect(ok(await app.api('problems.list', { handlerId: userId('zhangli') }, manager)).total).toBe(1);

    // A second case goes overdue while the app is closed: escalated when it starts again.
    ok(await app.api('problems.open', { taskId: taskId + 1, categories: ['complaint'], description: '客户投诉' }, manager));
    const dataDir = app.dataDir;
    app.close();
    clock = new Date('2026-12-08T09:00:00+08:00');
    const again = createApp({ dataDir, transport: 'browser', log: () => {}, autoSyncMs: 0, now });
    const escalated = again.db.prepare("SELECT case_id FROM problem_case_events WHERE event = 'escalated' ORDER BY case_id").pluck().all();
    expect(escalated).toEqual([d.id, d.id + 1]);
    again.close();
  });
});
