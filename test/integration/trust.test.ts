import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../electron/audit/audit-log';
import { startTestApp, type TestApp } from '../support/app';

let app: TestApp;
afterEach(() => app?.cleanup());

describe('sign-in lockout', () => {
  it('locks an account for 15 minutes after five wrong passwords, even for the right one, then lets it in', async () => {
    let clock = new Date('2026-11-25T09:00:00+08:00');
    app = startTestApp(() => clock);
    await app.setUp();
    for (let i = 1; i <= 4; i++) {
      const r = await app.api('auth.signIn', { username: 'admin', password: `guess-${i}` });
      expect(r.ok ? '' : r.error.code).toBe('bad_credentials');
    }
    const fifth = await app.api('auth.signIn', { username: 'admin', password: 'guess-5' });
    expect(fifth.ok ? '' : fifth.error.message).toContain('已锁定 15 分钟');
    const right = await app.api('auth.signIn', { username: 'admin', password: 'admin-pass-1' });
    expect(right.ok ? '' : right.error.message).toMatch(/已被锁定，请于 \d\d:\d\d 后重试/);
    clock = new Date(clock.getTime() + 16 * 60_000);
    expect((await app.api('auth.signIn', { username: 'admin', password: 'admin-pass-1' })).ok).toBe(true);
  });
});

describe('the audit log', () => {
  it('chains sign-ins and finalised records, refuses edits, and verify() finds a removed or changed entry', async () => {
    app = startTestApp();
    await app.setUp();
    await app.api('auth.signIn', { username: 'admin', password: 'wrong-one' });
    await app.api('auth.signIn', { username: 'nobody-here', password: 'x' });
    await app.api('auth.signIn', { username: 'admin', password: 'admin-pass-1' });
    const audit = createAuditLog(app.db, () => new Date());
    const rows = app.db.prepare('SELECT action, username FROM audit_log ORDER BY id').all();
    expect(rows).toEqual([
      { action: 'sign_in', username: 'admin' },
      { action: 'sign_in_failed', username: 'admin' },
      { action: 'sign_in_failed', username: null },
      { action: 'sign_in', username: 'admin' },
    ]);
    expect(audit.verify()).toBeNull();
    expect(() => app.db.prepare("UPDATE audit_log SET action = 'x' WHERE id = 2").run()).toThrow(/append-only/);
    expect(() => app.db.prepare('DELETE FROM audit_log WHERE id = 2').run()).toThrow(/append-only/);

    // Someone with the file drops the triggers and edits an entry: the chain shows where.
    app.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    app.db.prepare("UPDATE audit_log SET username = 'someone' WHERE id = 2").run();
    expect(audit.verify()).toEqual({ id: 2, message: '审计日志第 2 条的内容被改动' });
    app.db.prepare("UPDATE audit_log SET username = 'admin' WHERE id = 2").run();
    app.db.prepare('DELETE FROM audit_log WHERE id = 2').run();
    expect(audit.verify()).toEqual({ id: 3, message: '审计日志第 3 条之前的记录被删除或改动（链接断开）' });
  });
});

describe('idle auto-lock', () => {
  it('locks a session after the idle time; only the same person\'s password unlocks it; polls do not keep it awake', async () => {
    let clock = new Date('2026-11-25T09:00:00+08:00');
    app = startTestApp(() => clock);
    const admin = await app.setUp();
    await app.api('demo.load', {}, admin);
    const s = await app.api('auth.signIn', { username: 'zhangli', password: 'demo1234' });
    if (!s.ok) throw new Error(s.error.message);
    const staff = s.value.sessionToken;
    const minutes = (m: number) => (clock = new Date(clock.getTime() + m * 60_000));

    minutes(4);
    expect((await app.api('tasks.summary', {}, staff)).ok).toBe(true);
    // Polling the session (as the renderer does) is not activity.
    for (let i = 0; i < 6; i++) {
      minutes(1);
      await app.api('auth.me', {}, staff);
    }
    const locked = await app.api('tasks.list', {}, staff);
    expect(locked.ok ? '' : locked.error.code).toBe('locked');
    expect((await app.api('auth.me', {}, staff)).ok).toBe(false);
    expect((await app.api('visits.list', {}, staff)).ok).toBe(false);

    const wrong = await app.api('auth.unlock', { password: 'not-mine' }, staff);
    expect(wrong.ok ? '' : wrong.error.code).toBe('bad_credentials');
    const unlocked = await app.api('auth.unlock', { password: 'demo1234' }, staff);
    expect(unlocked.ok && unlocked.value.username).toBe('zhangli');
    expect((await app.api('tasks.list', {}, staff)).ok).toBe(true);

    // The administrator (idle too, so locked as well) unlocks and shortens the idle time to one minute.
    expect((await app.api('settings.setIdleLock', { minutes: 1 }, admin)).ok).toBe(false);
    expect((await app.api('auth.unlock', { password: 'admin-pass-1' }, admin)).ok).toBe(true);
    expect((await app.api('settings.setIdleLock', { minutes: 1 }, admin)).ok).toBe(true);
    minutes(2);
    const again = await app.api('tasks.list', {}, staff);
    expect(again.ok ? '' : again.error.code).toBe('locked');
  });

  it('counts wrong unlock passwords toward the lockout', async () => {
    const clock = new Date('2026-11-25T09:00:00+08:00');
    let now = clock;
    app = startTestApp(() => now);
    const admin = await app.setUp();
    now = new Date(clock.getTime() + 10 * 60_000);
    for (let i = 0; i < 4; i++) await app.api('auth.unlock', { password: `guess-${i}` }, admin);
    const fifth = await app.api('auth.unlock', { password: 'guess-5' }, admin);
    expect(fifth.ok ? '' : fifth.error.message).toContain('已锁定');
    const right = await app.api('auth.unlock', { password: 'admin-pass-1' }, admin);
    expect(right.ok ? '' : right.error.message).toContain('已被锁定');
  });
});
