import type { AppOptions } from '../../electron/app/create-app';
import type { VisitView } from '../../shared/api/contract';
import { visibleQuestions } from '../../shared/questionnaire';
import { ok, startTestApp, type TestApp } from './app';
import { fakeSignature } from './signature';

export const DEMO_NOW = () => new Date('2026-11-25T09:00:00+08:00');

/** A real app with the demo branch loaded and its people signed in (password demo1234). */
export async function demoBranch(now = DEMO_NOW, extra: Partial<AppOptions> = {}) {
  const app = startTestApp(now, extra);
  const admin = await app.setUp();
  ok(await app.api('demo.load', {}, admin));
  const sign = async (u: string) => ok(await app.api('auth.signIn', { username: u, password: 'demo1234' })).sessionToken;
  return { app, admin, staff: await sign('zhangli'), sales: await sign('wangqiang'), manager: await sign('liuyang') };
}

/** A complete, successful visit on a new-policy task (the n-th), finalised by whoever `session` is. */
export async function finalisedVisit(app: TestApp, session: string, offset = 0): Promise<VisitView> {
  const taskId = app.db.prepare("SELECT id FROM visit_tasks WHERE kind = 'new_policy' ORDER BY id LIMIT 1 OFFSET ?").pluck().get(offset) as number;
  let v = ok(await app.api('visits.start', { taskId }, session));
  v = ok(await app.api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: '2026-11-25 08:30' }, session));
  for (const q of visibleQuestions(v.template, (v.productType ?? undefined) as never)) {
    v = ok(await app.api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer: q.expected }, session));
  }
  v = ok(await app.api('visits.saveSheet', { visitId: v.id, sheet: { interviewee: '投保人本人', summary: '逐项确认' } }, session));
  v = ok(await app.api('visits.sign', { visitId: v.id, role: 'customer', ...fakeSignature('客户') }, session));
  v = ok(await app.api('visits.sign', { visitId: v.id, role: 'staff', ...fakeSignature('回访人') }, session));
  return ok(await app.api('visits.finalise', { visitId: v.id }, session));
}
