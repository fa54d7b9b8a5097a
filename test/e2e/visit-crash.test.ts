import { afterAll, describe, expect, it } from 'vitest';
import { visibleQuestions } from '../../shared/questionnaire';
import { bridgeApi, startBrowserMode, type RunningApp } from '../support/browser-mode';
import { tempDir } from '../support/temp';
import { visitedAtBefore } from '../support/visit-flow';

const data = tempDir('vd-crash-');
afterAll(() => data.cleanup());

describe('a power cut in the middle of a visit', () => {
  it('kills the app process with SIGKILL mid-visit; on restart the draft resumes with every answer saved', async () => {
    let app: RunningApp = await startBrowserMode(data.dir);
    let api = bridgeApi(app);
    const admin = await api('setup.init', { branchName: '济南中心支公司', branchCode: '370100', adminUsername: 'admin', adminDisplayName: '管理员', adminPassword: 'admin-pass-1' });
    await api('demo.load', {}, admin.sessionToken);
    const staff = (await api('auth.signIn', { username: 'zhangli', password: 'demo1234' })).sessionToken;
    const taskId = (await api('tasks.list', { kind: 'new_policy', limit: 1 }, staff)).rows[0]!.id;
    let v = await api('visits.start', { taskId }, staff);
    v = await api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: visitedAtBefore(new Date()) }, staff);
    const qs = visibleQuestions(v.template, (v.productType ?? undefined) as never);
    for (const q of qs.slice(0, 4)) await api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer: q.expected }, staff);
    await api('visits.saveSheet', { visitId: v.id, sheet: { summary: '已问完前四题，客户接电话中断' } }, staff);

    app.process.kill('SIGKILL');
    await new Promise((r) => app.process.once('exit', r));

    // The lock left by the dead process is taken over; sessions are gone, so sign in again.
    app = await startBrowserMode(data.dir);
    api = bridgeApi(app);
    try {
      const again = (await api('auth.signIn', { username: 'zhangli', password: 'demo1234' })).sessionToken;
      const resumed = await api('visits.start', { taskId }, again);
      expect(resumed.id).toBe(v.id);
      expect(resumed.state).toBe('draft');
      expect(resumed.answers.map((a) => a.questionId).sort()).toEqual(qs.slice(0, 4).map((q) => q.id).sort());
      expect(resumed.sheet.summary).toBe('已问完前四题，客户接电话中断');
      expect(resumed.respondent).toEqual({ kind: 'in_person' });
    } finally {
      await app.stop();
    }
  });
});
