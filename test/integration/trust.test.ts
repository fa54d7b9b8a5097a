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
