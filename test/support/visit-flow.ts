import type { AppOptions } from '../../electron/app/create-app';
import type { MethodInput, MethodName, MethodOutput, VisitView } from '../../shared/api/contract';
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

/** Any caller of the contract that answers with the value or throws with main's message. */
export type Api = <M extends MethodName>(method: M, input: MethodInput<M>, session?: string) => Promise<MethodOutput<M>>;

/** The branch's (UTC+8) wall-clock time half an hour before `now`, as the visit form takes it. */
export function visitedAtBefore(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000 - 30 * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** A complete, successful visit on `taskId`, finalised by whoever `session` is, through any transport. */
export async function finaliseThrough(api: Api, session: string, taskId: number, now = new Date(), pngs: { customer?: string; staff?: string } = {}): Promise<VisitView> {
  let v = await api('visits.start', { taskId }, session);
  v = await api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: visitedAtBefore(now) }, session);
  for (const q of visibleQuestions(v.template, (v.productType ?? undefined) as never)) {
    v = await api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer: q.expected }, session);
  }
  v = await api('visits.saveSheet', { visitId: v.id, sheet: { interviewee: '投保人本人', summary: '逐项确认' } }, session);
  v = await api('visits.sign', { visitId: v.id, role: 'customer', ...fakeSignature('客户'), ...(pngs.customer ? { png: pngs.customer } : {}) }, session);
  v = await api('visits.sign', { visitId: v.id, role: 'staff', ...fakeSignature('回访人'), ...(pngs.staff ? { png: pngs.staff } : {}) }, session);
  return api('visits.finalise', { visitId: v.id }, session);
}

/** The same on the n-th new-policy task on the board, through any transport (the e2e tests' bridge). */
export async function finaliseNthNewPolicy(api: Api, session: string, offset = 0): Promise<VisitView> {
  const taskId = (await api('tasks.list', { kind: 'new_policy', offset, limit: 1 }, session)).rows[0]!.id;
  return finaliseThrough(api, session, taskId);
}

/** The same on the n-th new-policy task of an in-process app, at the app's own clock. */
export async function finalisedVisit(app: TestApp, session: string, offset = 0, now = DEMO_NOW()): Promise<VisitView> {
  const taskId = app.db.prepare("SELECT id FROM visit_tasks WHERE kind = 'new_policy' ORDER BY id LIMIT 1 OFFSET ?").pluck().get(offset) as number;
  const api: Api = async (m, input, s) => ok(await app.api(m, input, s));
  return finaliseThrough(api, session, taskId, now);
}
