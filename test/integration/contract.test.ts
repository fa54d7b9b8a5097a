import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { METHOD_NAMES, contract } from '../../shared/api/contract';
import { defineContract, method } from '../../shared/api/define';
import { ADMIN, startTestApp, type TestApp } from '../support/app';

let app: TestApp;
afterEach(() => app?.cleanup());

describe('the API contract', () => {
  it('names every method domain.verb and fails at start-up on a duplicate', () => {
    for (const name of METHOD_NAMES) expect(name).toMatch(/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/);
    expect(() => defineContract([method<null>()('a.b', z.object({}), 'public'), method<null>()('a.b', z.object({}), 'public')])).toThrow(/duplicate/);
    expect(() => defineContract([method<null>()('nodot', z.object({}), 'public')])).toThrow(/domain\.verb/);
    expect(Object.isFrozen(contract)).toBe(true);
  });
});

describe('the dispatcher', () => {
  it('rejects an unknown method with invalid_input and never throws', async () => {
    app = startTestApp();
    for (const bad of ['tasks.dropAll', '__proto__', 'constructor', 42, null, undefined, { toString: 'x' }]) {
      const r = await app.call(bad, {});
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid_input');
    }
  });

  it('rejects a malformed payload with invalid_input and the field paths, in Chinese', async () => {
    app = startTestApp();
    const r = await app.call('setup.init', { branchName: '', branchCode: 'a b', adminUsername: 'x', adminDisplayName: '张', adminPassword: '1' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_input');
    expect(r.error.issues?.map((i) => i.path).sort()).toEqual(['adminPassword', 'adminUsername', 'branchCode', 'branchName']);
    expect(r.error.message).toMatch(/请填写分公司名称/);
    const session = await app.setUp();
    for (const payload of ['a string', 42, [1, 2], { offset: -1 }, { limit: 10_000 }]) {
      const l = await app.call('tasks.list', payload, { sessionToken: session });
      expect(l.ok ? 'ok' : l.error.code).toBe('invalid_input');
      // Without a session the caller is refused before its payload is looked at.
      const anonymous = await app.call('tasks.list', payload, {});
      expect(anonymous.ok ? 'ok' : anonymous.error.code).toBe('unauthenticated');
    }
    // Unexpected keys on a strict input are refused, not silently passed to a service.
    const s = await app.call('app.status', { drop: 'tables' });
    expect(s.ok ? 'ok' : s.error.code).toBe('invalid_input');
  });

  it('refuses signed-in methods without a session and admin methods for other roles', async () => {
    app = startTestApp();
    const none = await app.api('tasks.summary', {});
    expect(none.ok ? 'ok' : none.error.code).toBe('unauthenticated');
    const forged = await app.api('tasks.summary', {}, 'not-a-real-session');
    expect(forged.ok ? 'ok' : forged.error.code).toBe('unauthenticated');

    const admin = await app.setUp();
    expect((await app.api('demo.load', {}, admin)).ok).toBe(true);
    const staff = await app.api('auth.signIn', { username: 'zhangli', password: 'demo1234' });
    if (!staff.ok) throw new Error(staff.error.message);
    const refused = await app.api('demo.load', {}, staff.value.sessionToken);
    expect(refused.ok ? 'ok' : refused.error.code).toBe('forbidden');
  });
});

describe('first run, sign-in and the demo branch', () => {
  it('sets up the branch once, signs in with the scrypt-hashed password, and loads ~200 demo tasks', async () => {
    app = startTestApp();
    expect(await app.api('app.status', {})).toMatchObject({ ok: true, value: { setupDone: false, branch: null } });
    const early = await app.api('auth.signIn', { username: 'admin', password: 'whatever' });
    expect(early.ok ? 'ok' : early.error.code).toBe('setup_required');

    const token = await app.setUp();
    expect(await app.api('app.status', {})).toMatchObject({ ok: true, value: { setupDone: true, branch: { code: '370100', name: '济南中心支公司' } } });
    const again = await app.api('setup.init', { branchName: '另一个', branchCode: '9999', ...ADMIN });
    expect(again.ok ? 'ok' : again.error.code).toBe('already_setup');

    const hash = app.db.prepare('SELECT password_hash FROM users WHERE username = ?').pluck().get('admin') as string;
    expect(hash).toMatch(/^scrypt\$/);
    expect(hash).not.toContain(ADMIN.adminPassword);

    const wrong = await app.api('auth.signIn', { username: 'admin', password: 'wrong-password' });
    expect(wrong.ok ? 'ok' : wrong.error.code).toBe('bad_credentials');
    const unknown = await app.api('auth.signIn', { username: 'nobody', password: 'wrong-password' });
    expect(unknown.ok ? 'ok' : unknown.error).toEqual(wrong.ok ? 'ok' : wrong.error);

    const demo = await app.api('demo.load', {}, token);
    expect(demo).toMatchObject({ ok: true, value: { tasks: 200, users: 3 } });
    const twice = await app.api('demo.load', {}, token);
    expect(twice.ok ? 'ok' : twice.error.code).toBe('conflict');

    const summary = await app.api('tasks.summary', {}, token);
    if (!summary.ok) throw new Error(summary.error.message);
    expect(summary.value.total).toBe(200);
    expect(Object.keys(summary.value.byKind).length).toBeGreaterThanOrEqual(6);

    const page = await app.api('tasks.list', { limit: 10 }, token);
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.total).toBe(200);
    expect(page.value.rows).toHaveLength(10);
    for (const row of page.value.rows) expect(row.phoneMasked).toMatch(/^\d{3}\*+\d{4}$/);

    for (const role of ['zhangli', 'wangqiang', 'liuyang']) {
      expect((await app.api('auth.signIn', { username: role, password: 'demo1234' })).ok).toBe(true);
    }
    await app.api('auth.signOut', {}, token);
    const after = await app.api('tasks.summary', {}, token);
    expect(after.ok ? 'ok' : after.error.code).toBe('unauthenticated');
  });

  it('finds tasks by customer name, policy number and phone fragment, treating % and _ literally', async () => {
    app = startTestApp();
    const token = await app.setUp();
    await app.api('demo.load', {}, token);
    const row = app.db.prepare('SELECT c.name, c.phone, p.policy_no FROM visit_tasks t JOIN customers c ON c.id = t.customer_id JOIN policies p ON p.id = t.policy_id LIMIT 1').get() as { name: string; phone: string; policy_no: string };
    for (const search of [row.name, row.policy_no, row.phone.slice(3, 8)]) {
      const r = await app.api('tasks.list', { search }, token);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.total).toBeGreaterThanOrEqual(1);
    }
    const wildcard = await app.api('tasks.list', { search: '%' }, token);
    expect(wildcard.ok && wildcard.value.total).toBe(0);
  });
});
