import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../electron/app/create-app';
import { DATABASE_FILE_NAME, openDatabase } from '../../electron/db/database';
import { StorageError } from '../../electron/db/storage-error';
import { ok, type TestApp } from '../support/app';
import { upload } from '../support/import-flow';
import { fakeSignature } from '../support/signature';
import { tempDir } from '../support/temp';
import { demoBranch, finalisedVisit } from '../support/visit-flow';

let app: TestApp | undefined;
const cleanups: (() => void)[] = [];
afterEach(() => {
  app?.cleanup();
  app = undefined;
  for (const c of cleanups.splice(0)) c();
});

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const filesIn = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesIn(path.join(dir, e.name)) : [path.join(dir, e.name)]));

function storageProblem(fn: () => unknown): StorageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StorageError);
    return err as StorageError;
  }
  throw new Error('expected a StorageError');
}

describe('encryption at rest', () => {
  it('keeps a seeded ID number and phone out of the bytes of the database, its WAL and attachment files', async () => {
    const b = await demoBranch();
    app = b.app;
    const taskId = app.db.prepare("SELECT id FROM visit_tasks WHERE kind = 'new_policy' ORDER BY id LIMIT 1").pluck().get() as number;
    const c = app.db.prepare('SELECT c.id, c.phone, c.id_number FROM customers c JOIN visit_tasks t ON t.customer_id = c.id WHERE t.id = ?').get(taskId) as {
      id: number;
      phone: string;
      id_number: string;
    };
    expect(c.id_number).toMatch(/^\d{17}[\dX]$/);
    // An attachment whose bytes carry the ID number (a photographed ID card, say), on the visit
    // that finalisedVisit() then resumes and finalises.
    const v = ok(await app.api('visits.start', { taskId }, b.staff));
    const outside = tempDir('vd-attach-');
    cleanups.push(outside.cleanup);
    const png = path.join(outside.dir, 'id-card.png');
    fs.writeFileSync(png, Buffer.concat([Buffer.from(fakeSignature('x').png.split(',')[1]!, 'base64'), Buffer.from(`ID:${c.id_number}`)]));
    const session = b.staff;
    const withPhoto = ok(await app.api('visits.attach', { visitId: v.id, uploadId: await upload(app, session, png), kind: 'scan' }, session));
    expect(withPhoto.attachments).toHaveLength(1);
    const done = await finalisedVisit(app, b.staff, 0);
    expect(done.id).toBe(v.id);

    const db = path.join(app.dataDir, DATABASE_FILE_NAME);
    const wal = `${db}-wal`;
    expect(fs.existsSync(wal) && fs.statSync(wal).size > 0, 'the WAL holds recent writes').toBe(true);
    for (const file of filesIn(app.dataDir)) {
      const bytes = fs.readFileSync(file);
      expect(bytes.includes(c.id_number), `${path.basename(file)} must not contain the ID number`).toBe(false);
      expect(bytes.includes(c.phone), `${path.basename(file)} must not contain the phone`).toBe(false);
      expect(bytes.includes(Buffer.from(c.id_number, 'utf16le')), `${path.basename(file)} (UTF-16)`).toBe(false);
    }
    // The attachment still opens, whole, through the app.
    const back = ok(await app.api('visits.attachment', { id: withPhoto.attachments[0]!.id }, session));
    expect(Buffer.from(back.dataBase64, 'base64').equals(fs.readFileSync(png))).toBe(true);
  });

  it('cannot be opened by stock SQLite without the key', async () => {
    const b = await demoBranch();
    app = b.app;
    const file = path.join(app.dataDir, DATABASE_FILE_NAME);
    app.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(fs.readFileSync(file).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    let stderr = '';
    try {
      execFileSync('sqlite3', [file, 'SELECT count(*) FROM customers;'], { stdio: 'pipe' });
    } catch (err) {
      stderr = String((err as { stderr?: Buffer }).stderr ?? (err as Error).message);
    }
    expect(stderr).toMatch(/file is not a database|encrypted/i);
  });

  it('refuses a wrong or missing key with a clear message, never a new empty database, and touches nothing', async () => {
    const b = await demoBranch();
    const dataDir = b.app.dataDir;
    const keyFile = `${dataDir}.key`;
    b.app.close();
    cleanups.push(() => b.app.cleanup());
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    const before = Object.fromEntries(filesIn(dataDir).map((f) => [f, sha(f)]));

    const wrong = storageProblem(() => createApp({ dataDir, transport: 'browser', log: () => {}, env: { VISITDESK_DB_KEY: 'ab'.repeat(32) } }));
    expect(wrong.problem).toBe('wrong_key');
    expect(wrong.message).toContain(file);
    expect(wrong.message).toContain('密钥不正确');
    const malformed = storageProblem(() => createApp({ dataDir, transport: 'browser', log: () => {}, env: { VISITDESK_DB_KEY: 'not-a-key' } }));
    expect(malformed.problem).toBe('bad_key');

    fs.renameSync(keyFile, `${keyFile}.away`);
    const missing = storageProblem(() => createApp({ dataDir, transport: 'browser', log: () => {}, env: {} }));
    expect(missing.problem).toBe('key_missing');
    expect(missing.message).toContain('不会新建空数据库');
    expect(fs.existsSync(keyFile), 'no new key is made for an existing database').toBe(false);
    expect(Object.fromEntries(filesIn(dataDir).map((f) => [f, sha(f)]))).toEqual(before);

    fs.renameSync(`${keyFile}.away`, keyFile);
    const again = createApp({ dataDir, transport: 'browser', log: () => {}, env: {} });
    expect(again.db.prepare('SELECT count(*) FROM visit_tasks').pluck().get()).toBe(200);
    again.close();
  });

  it('encrypts a database from before encryption in place, keeping its data', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = path.join(dir, DATABASE_FILE_NAME);
    const plain = openDatabase({ file, key: null });
    plain.prepare("INSERT INTO customers (name, id_number, created_at) VALUES ('旧客户', '110101199001011234', 'now')").run();
    plain.close();
    expect(fs.readFileSync(file).includes('110101199001011234')).toBe(true);

    const opened = createApp({ dataDir: dir, transport: 'browser', log: () => {}, env: {} });
    expect(opened.db.prepare('SELECT id_number FROM customers').pluck().get()).toBe('110101199001011234');
    opened.db.pragma('wal_checkpoint(TRUNCATE)');
    opened.close();
    expect(fs.readFileSync(file).includes('110101199001011234')).toBe(false);
    expect(fs.readFileSync(file).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
  });

  it('reports an attachment changed on disk as tampered', async () => {
    const b = await demoBranch();
    app = b.app;
    const v = ok(await app.api('visits.start', { taskId: app.db.prepare("SELECT id FROM visit_tasks WHERE kind = 'new_policy' LIMIT 1").pluck().get() as number }, b.staff));
    const outside = tempDir('vd-attach-');
    cleanups.push(outside.cleanup);
    const png = path.join(outside.dir, 'receipt.png');
    fs.writeFileSync(png, Buffer.from(fakeSignature('x').png.split(',')[1]!, 'base64'));
    const attached = ok(await app.api('visits.attach', { visitId: v.id, uploadId: await upload(app, b.staff, png), kind: 'scan' }, b.staff));
    await finalisedVisit(app, b.staff, 0);
    const stored = path.join(app.dataDir, 'attachments', attached.attachments[0]!.sha256);
    const bytes = fs.readFileSync(stored);
    bytes[bytes.length - 3]! ^= 0x01;
    fs.writeFileSync(stored, bytes);
    const read = await app.api('visits.attachment', { id: attached.attachments[0]!.id }, b.staff);
    expect(read.ok ? '' : read.error.code).toBe('tampered');
    const report = ok(await app.api('audit.verify', {}, b.admin));
    expect(report.recordProblems[0]?.message).toContain('附件');
  });

  it('reports one byte changed anywhere in the database file, even in pages no record check reads', async () => {
    const b = await demoBranch();
    await finalisedVisit(b.app, b.staff, 0);
    const dir = b.app.dataDir;
    b.app.db.pragma('wal_checkpoint(TRUNCATE)');
    b.app.close();
    cleanups.push(() => b.app.cleanup());
    const file = path.join(dir, DATABASE_FILE_NAME);
    const bytes = fs.readFileSync(file);
    // Page 1 holds the schema (opening would fail outright); flip a byte in the middle instead.
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    fs.writeFileSync(file, bytes);
    const again = createApp({ dataDir: dir, transport: 'browser', log: () => {}, autoSyncMs: 0, env: {} });
    try {
      const signIn = await again.call('auth.signIn', { username: 'admin', password: 'admin-pass-1' });
      const token = ok(signIn as never as { ok: true; value: { sessionToken: string } }).sessionToken;
      const r = await again.call('audit.verify', {}, { sessionToken: token });
      const report = ok(r as never as { ok: true; value: { ok: boolean; fileProblem: string | null } });
      expect(report.ok).toBe(false);
      expect(report.fileProblem).toMatch(/数据库文件/);
    } finally {
      again.close();
    }
  });
});
