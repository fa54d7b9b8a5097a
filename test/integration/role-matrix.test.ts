import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, type MethodName } from '../../shared/api/contract';
import { ok, type TestApp } from '../support/app';
import { demoBranch } from '../support/visit-flow';

/**
 * Who may call what, written out by hand from the issue's rules — not derived from the contract,
 * so a wrong `access` in the contract fails here. `public` works before sign-in; `all` is any
 * signed-in person. The work of the branch (tasks, visits, customers) is staff, sales and
 * managers; administrators manage people, calendar, templates and the audit trail.
 */
type Who = 'public' | 'all' | readonly ('staff' | 'sales' | 'manager' | 'admin')[];
const WORK = ['staff', 'sales', 'manager'] as const;
const EXPECTED: Record<MethodName, Who> = {
  'app.status': 'public',
  'setup.init': 'public',
  'auth.signIn': 'public',
  'auth.signOut': 'all',
  'auth.me': 'all',
  'auth.unlock': 'all',
  'auth.changePassword': 'all',
  'settings.setIdleLock': ['admin'],
  'demo.load': ['admin'],
  'accounts.list': ['admin'],
  'accounts.create': ['admin'],
  'accounts.update': ['admin'],
  'accounts.resetPassword': ['admin'],
  'audit.list': ['admin'],
  'audit.verify': ['admin', 'manager'],
  'audit.notePrint': WORK,
  'calendar.years': 'all',
  'calendar.import': ['admin'],
  'rules.list': 'all',
  'rules.try': 'all',
  'questionnaire.list': 'all',
  'questionnaire.get': 'all',
  'questionnaire.import': ['admin'],
  'jobs.get': 'all',
  'jobs.cancel': 'all',
  'uploads.begin': 'all',
  'uploads.chunk': 'all',
  'uploads.finish': 'all',
  // Head office's lists are loaded by staff, managers or the branch administrator (内勤); never by sales.
  'import.probe': ['staff', 'manager', 'admin'],
  'import.preview': ['staff', 'manager', 'admin'],
  'import.previewResult': ['staff', 'manager', 'admin'],
  'import.commit': ['staff', 'manager', 'admin'],
  'import.commitResult': ['staff', 'manager', 'admin'],
  'import.batches': 'all',
  // The board and a task's (masked) details: everyone, a sales rep scoped to their own clients.
  'tasks.summary': 'all',
  'tasks.list': 'all',
  'tasks.get': 'all',
  'tasks.assign': ['manager'],
  'tasks.correctPhone': ['staff', 'manager'],
  'tasks.recordUnable': WORK,
  'users.list': 'all',
  'appointments.create': WORK,
  'appointments.cancel': WORK,
  'appointments.week': 'all',
  'attempts.log': WORK,
  'customers.search': WORK,
  'customers.reveal': WORK,
  'visits.start': WORK,
  'visits.get': WORK,
  'visits.list': WORK,
  'visits.setup': WORK,
  'visits.answer': WORK,
  'visits.saveSheet': WORK,
  'visits.sign': WORK,
  'visits.clearSignature': WORK,
  'visits.finalise': WORK,
  'visits.correct': WORK,
  'visits.attach': WORK,
  'visits.attachment': WORK,
  'countersign.queue': ['manager', 'admin'],
  'countersign.sign': ['manager'],
  'countersign.return': ['manager'],
  'print.savePdf': 'all',
  'exports.result': 'all',
  'exports.read': 'all',
  // 清单 (跟踪件、不成功件、每日回访、问题件) and their exports: the branch's office work, not sales.
  'lists.get': ['staff', 'manager'],
  'lists.export': ['staff', 'manager'],
  // The period's record sheets with signatures: a manager's archive export.
  'visits.exportSheets': ['manager'],
  // 统计报表: managers judge by it; staff see the branch's figures too. Not sales, not the administrator.
  'stats.compute': ['staff', 'manager'],
  'stats.export': ['staff', 'manager'],
  // Everyone sees the sync state and may press "sync now"; only an administrator enrols the PC.
  'sync.status': 'all',
  'sync.enrol': ['admin'],
  'sync.run': 'all',
  'sync.cancel': 'all',
  'sync.requeue': ['staff', 'sales', 'manager', 'admin'],
  // 问题件: the list and a case are read by staff, managers and a sales rep (own clients only); staff
  // and managers open and work cases; only a manager designates the handler.
  'problems.list': WORK,
  'problems.summary': WORK,
  'problems.get': WORK,
  'problems.open': ['staff', 'manager'],
  'problems.assign': ['manager'],
  'problems.explain': ['staff', 'manager'],
  'problems.linkSecondVisit': ['staff', 'manager'],
  'problems.close': ['staff', 'manager'],
  'problems.reopen': ['staff', 'manager'],
};

const ROLES = ['staff', 'sales', 'manager', 'admin'] as const;
let app: TestApp;
const sessions: Record<(typeof ROLES)[number], string> = { staff: '', sales: '', manager: '', admin: '' };

beforeAll(async () => {
  const b = await demoBranch();
  app = b.app;
  Object.assign(sessions, { staff: b.staff, sales: b.sales, manager: b.manager, admin: b.admin });
});
afterAll(() => app?.cleanup());

const REFUSED = new Set(['forbidden', 'unauthenticated']);

describe('the role matrix: every contract method × every role, enforced in main', () => {
  it('lists every method of the contract, and nothing else', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it.each([...METHOD_NAMES].filter((m) => m !== 'auth.signOut'))('%s', async (method) => {
    const who = EXPECTED[method];
    const anonymous = await app.call(method, {}, {});
    if (who === 'public') expect(anonymous.ok ? 'ok' : anonymous.error.code).not.toBe('unauthenticated');
    else expect(anonymous.ok ? 'ok' : anonymous.error.code, 'before sign-in').toBe('unauthenticated');

    for (const role of ROLES) {
      const r = await app.call(method, {}, { sessionToken: sessions[role] });
      const code = r.ok ? 'ok' : r.error.code;
      const allowed = who === 'public' || who === 'all' || who.includes(role);
      if (allowed) expect(REFUSED.has(code), `${role} may call ${method} (got ${code})`).toBe(false);
      else {
        expect(code, `${role} must be refused ${method}`).toBe('forbidden');
        // Refused before the payload is looked at: nothing in the answer about the input.
        expect(r.ok ? [] : (r.error.issues ?? [])).toEqual([]);
      }
    }
  });

  it('auth.signOut works for every role and ends only that session', async () => {
    for (const role of ROLES) {
      const fresh = ok(await app.api('auth.signIn', role === 'admin' ? { username: 'admin', password: 'admin-pass-1' } : { username: { staff: 'zhangli', sales: 'wangqiang', manager: 'liuyang' }[role], password: 'demo1234' }));
      ok(await app.api('auth.signOut', {}, fresh.sessionToken));
      const after = await app.api('auth.me', {}, fresh.sessionToken);
      expect(after.ok ? 'ok' : after.error.code).toBe('unauthenticated');
      expect((await app.api('auth.me', {}, sessions[role])).ok).toBe(true);
    }
  });
});
