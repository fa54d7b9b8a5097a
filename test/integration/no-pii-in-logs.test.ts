import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/envelope';
import { PROTOCOL } from '../../shared/sync/protocol';
import { DATABASE_FILE_NAME, openDatabase } from '../../electron/db/database';
import { resolveDatabaseKey } from '../../electron/db/db-key';
import type { TestApp } from '../support/app';
import { startBrowserMode, type RunningApp } from '../support/browser-mode';
import { startHqProcess, type HqProcess } from '../support/hq-process';
import { commitImport, previewImport } from '../support/import-flow';
import { tempDir } from '../support/temp';
import { DEMO_NOW, demoBranch, finaliseThrough, type Api } from '../support/visit-flow';

// One customer whose identifiers are distinctive enough to be found anywhere they leak.
const NAME = '闻人秘测';
const ID_NUMBER = '370102198605124937';
const PHONE = '13987654321';
const BRANCH = '370100';

/** What must never be written to a log or quoted in an error: the numbers whole, or the parts masking hides. */
const FRAGMENTS: [string, string][] = [
  ['the ID number', ID_NUMBER],
  ['the ID number without its check digit', ID_NUMBER.slice(0, 17)],
  ['the phone', PHONE],
  ['the phone\'s hidden middle digits with its prefix', PHONE.slice(0, 7)],
  ['the phone\'s hidden middle digits with its end', PHONE.slice(3)],
];
const NAME_FRAGMENT: [string, string] = ['the name', NAME];

function leaks(texts: string[], fragments = [...FRAGMENTS, NAME_FRAGMENT]): string[] {
  const found: string[] = [];
  for (const t of texts) for (const [what, f] of fragments) if (t.includes(f)) found.push(`${what} in: ${t}`);
  return found;
}

const HEADER = '保单号,投保人,证件号码,联系电话,回执签署日期,险种名称,件类型,保险期限,联系地址';
const row = (policy: string, id: string, phone: string, date = '2026-11-20') => `${policy},${NAME},${id},${phone},${date},安康终身寿险,承保,30,济南市历下区泉城路 1 号`;

/** A head-office list: the good row seeds the customer, the others are wrong in ways that tempt a message to quote the cell. */
function listWithBadRows(dir: string, prefix: string): string {
  const file = path.join(dir, `${prefix}-list.csv`);
  const lines = [
    HEADER,
    row(`${prefix}0001`, ID_NUMBER, PHONE),
    row(`${prefix}0002`, `${ID_NUMBER}0`, PHONE), // 19 digits
    row(`${prefix}0003`, `${ID_NUMBER.slice(0, 17)}1`, PHONE), // wrong check digit
    row(`${prefix}0004`, `${ID_NUMBER.slice(0, 10)}13${ID_NUMBER.slice(12)}`, PHONE), // month 13
  ];
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** The same customer in cells whose values are wrong: a phone one digit too long, a phone in the date column. */
function listWithBadPhones(dir: string, prefix: string): string {
  const file = path.join(dir, `${prefix}-phones.csv`);
  const lines = [HEADER, row(`${prefix}0005`, ID_NUMBER, `${PHONE}9`), row(`${prefix}0006`, ID_NUMBER, PHONE, PHONE), row(`${prefix}0007`, `${ID_NUMBER.slice(0, 9)}A${ID_NUMBER.slice(10)}`, PHONE)];
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** A server that answers everything after enrolment with the customer's data echoed back in a body that is not ours. */
type Mode = 'html200' | 'text500' | 'json500' | 'json400' | 'garbageJson200';
async function startEchoingServer(): Promise<{ url: string; mode: (m: Mode) => void; close: () => Promise<void> }> {
  let mode: Mode = 'text500';
  const echo = `客户 ${NAME} 证件 ${ID_NUMBER} 电话 ${PHONE}`;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      switch (mode) {
        case 'html200':
          res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>请登录 Wi-Fi：${echo}</body></html>`);
          break;
        case 'text500':
          res.writeHead(500, { 'content-type': 'text/plain' }).end(`Internal Server Error: ${echo}`);
          break;
        case 'json500':
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: echo, stack: `at handler (${echo})` }));
          break;
        case 'json400':
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, message: echo }));
          break;
        case 'garbageJson200':
          res.writeHead(200, { 'content-type': 'application/json' }).end(`{"protocol":"${PROTOCOL}","ok":true,"results":"${echo}"`);
          break;
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    mode: (m) => (mode = m),
    close: () => new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

let files: { dir: string; cleanup: () => void };
let echoing: Awaited<ReturnType<typeof startEchoingServer>>;
let hq: HqProcess;

beforeAll(async () => {
  files = tempDir('vd-pii-');
  echoing = await startEchoingServer();
  hq = await startHqProcess(BRANCH);
}, 60_000);
afterAll(async () => {
  await hq?.stop();
  await echoing?.close();
  files?.cleanup();
});

describe('no personal data in logs or error messages', () => {
  let app: TestApp;
  let staff: string;
  let admin: string;
  const logs: string[] = [];
  /** The message of every call that failed, and of every failed job. */
  const errors: string[] = [];
  let importMessages: string[] = [];

  const api: Api = async (method, input, session) => {
    const r = await app.api(method, input, session);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value;
  };
  /** A call that is meant to fail: its message is kept for the check. */
  async function failing<M extends MethodName>(method: M, input: MethodInput<M>, session?: string): Promise<string> {
    const r = await app.api(method, input, session);
    expect(r.ok, `${method} should have failed`).toBe(false);
    const message = r.ok ? '' : `${r.error.message} ${JSON.stringify(r.error.issues ?? [])}`;
    errors.push(message);
    return message;
  }

  beforeAll(async () => {
    const b = await demoBranch(DEMO_NOW, { log: (m) => logs.push(m) });
    ({ app, staff, admin } = b);
  });
  afterAll(() => app?.cleanup());

  it('imports with bad rows: the messages name the row and column, never the numbers', async () => {
    const { preview, jobId } = await previewImport(app, staff, listWithBadRows(files.dir, 'PA'));
    expect(preview.invalid).toBe(3);
    const messages = [...preview.issues, ...preview.warnings].map((i) => i.message);
    expect(messages.join('\n')).toMatch(/第 3 行「证件号码」列/);
    importMessages = messages;
    expect(leaks(messages, FRAGMENTS)).toEqual([]);
    const summary = await commitImport(app, staff, jobId);
    expect(summary.created).toBe(1);
    expect(app.db.prepare('SELECT count(*) FROM customers WHERE id_number = ? AND phone = ?').pluck().get(ID_NUMBER, PHONE)).toBe(1);
  });

  it('a contract call refused for a bad phone does not quote it', async () => {
    const taskId = app.db.prepare("SELECT t.id FROM visit_tasks t JOIN policies p ON p.id = t.policy_id WHERE p.policy_no = 'PA0001'").pluck().get() as number;
    const message = await failing('tasks.correctPhone', { taskId, newPhone: `${PHONE}9`, reason: '客户来电更正' }, staff);
    expect(message).toMatch(/电话|号码/);
  });

  it('an internal error in a handler is logged by its class, not its message', async () => {
    const taskId = app.db.prepare("SELECT t.id FROM visit_tasks t JOIN policies p ON p.id = t.policy_id WHERE p.policy_no = 'PA0001'").pluck().get() as number;
    // A database error whose message quotes the customer, as a constraint or a bad row can.
    app.db.exec(`CREATE TRIGGER pii_attempt BEFORE INSERT ON contact_attempts BEGIN SELECT RAISE(ABORT, '客户 ${NAME} ${ID_NUMBER} ${PHONE}'); END`);
    const before = logs.length;
    const message = await failing('attempts.log', { taskId, method: 'phone', attemptedAt: '2026-11-25 08:00', outcome: 'not_answered', note: `拨打 ${PHONE}` }, staff);
    app.db.exec('DROP TRIGGER pii_attempt');
    expect(message).toContain('系统内部错误');
    expect(logs.slice(before).join('\n')).toMatch(/\[attempts\.log\] internal error: SqliteError/);
  });

  it('a background job that fails is logged by its kind, and its error says nothing of the rows', async () => {
    const { jobId } = await previewImport(app, staff, listWithBadRows(files.dir, 'PB'));
    app.db.exec(`CREATE TRIGGER pii_task BEFORE INSERT ON visit_tasks BEGIN SELECT RAISE(ABORT, '客户 ${NAME} ${ID_NUMBER} ${PHONE}'); END`);
    const before = logs.length;
    const commit = await commitImport(app, staff, jobId).then(
      () => 'committed',
      (err: Error) => err.message,
    );
    app.db.exec('DROP TRIGGER pii_task');
    expect(commit).not.toBe('committed');
    errors.push(commit);
    expect(logs.slice(before).join('\n')).toMatch(/\[job [\w.]+\] failed: SqliteError/);
  });

  it('sync against a server that echoes the customer back: neither the log nor the error shown quotes it', async () => {
    // Enrol against the real head-office server, finalise the customer's visit, then let the link go bad.
    const { code } = await hq.admin<{ code: string }>('POST', '/admin/enrolment-codes', { branchCode: BRANCH });
    await api('sync.enrol', { serverUrl: hq.url, branchCode: BRANCH, enrolmentCode: code, deviceName: '测试笔记本' }, admin);
    const taskId = app.db.prepare("SELECT t.id FROM visit_tasks t JOIN policies p ON p.id = t.policy_id WHERE p.policy_no = 'PA0001'").pluck().get() as number;
    await finaliseThrough(api, staff, taskId, DEMO_NOW());
    app.db.prepare('UPDATE sync_state SET server_url = ? WHERE id = 1').run(echoing.url);
    for (const mode of ['html200', 'text500', 'json500', 'json400', 'garbageJson200'] as const) {
      echoing.mode(mode);
      const r = await app.sync.runOnce(new AbortController().signal);
      expect(r.ok, mode).toBe(false);
      errors.push(`${mode}: ${r.error}`);
      const status = await api('sync.status', {}, admin);
      errors.push(`${mode} status: ${status.lastError}`);
    }
    // Enrolling against it fails too, with a message of ours.
    errors.push(await failing('sync.enrol', { serverUrl: echoing.url, branchCode: BRANCH, enrolmentCode: 'ABCDEFGH', deviceName: '测试笔记本' }, admin));

    // Back to head office, where an unexpected error (not a link failure) strikes while recording its answer.
    app.db.prepare('UPDATE sync_state SET server_url = ?, retry_at = NULL WHERE id = 1').run(hq.url);
    app.db.exec(`CREATE TRIGGER pii_outbox BEFORE UPDATE ON outbox BEGIN SELECT RAISE(ABORT, '客户 ${NAME} ${ID_NUMBER} ${PHONE}'); END`);
    const before = logs.length;
    const r = await app.sync.runOnce(new AbortController().signal);
    app.db.exec('DROP TRIGGER pii_outbox');
    expect(r.ok).toBe(false);
    errors.push(`unexpected: ${r.error}`);
    expect(logs.slice(before).join('\n')).toMatch(/\[sync\] SqliteError/);
    // And it still gets there once the fault is gone.
    expect((await app.sync.runOnce(new AbortController().signal)).ok).toBe(true);
  });

  it('after all that: no log line, error message or failed job quotes the ID number, the phone or the name', () => {
    expect(logs.length).toBeGreaterThanOrEqual(3);
    expect(errors.length).toBeGreaterThanOrEqual(10);
    expect(leaks(logs)).toEqual([]);
    expect(leaks(errors)).toEqual([]);
    expect(importMessages.length).toBeGreaterThan(0);
  });

  // A wrong phone cell, or a phone in a date column, is quoted masked ("139****4321 不是有效日期").
  it('a phone or ID cell that is wrong is not quoted whole in the preview', async () => {
    const { preview } = await previewImport(app, staff, listWithBadPhones(files.dir, 'PC'));
    const messages = [...preview.issues, ...preview.warnings].map((i) => i.message);
    expect(messages.length).toBeGreaterThanOrEqual(3);
    expect(leaks(messages, FRAGMENTS)).toEqual([]);
  });
});

describe('no personal data on browser mode\'s stdout and stderr', () => {
  let running: RunningApp;
  let output = '';
  const errors: string[] = [];

  async function call<M extends MethodName>(method: M, input: MethodInput<M>, session?: string): Promise<Envelope<MethodOutput<M>>> {
    const { origin, searchParams } = new URL(running.url);
    const res = await fetch(`${origin}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${searchParams.get('token')}` },
      body: JSON.stringify({ input, session: session ?? null }),
    });
    const body = (await res.json()) as Envelope<MethodOutput<M>>;
    if (!body.ok) errors.push(`${method}: ${body.error.message} ${JSON.stringify(body.error.issues ?? [])}`);
    return body;
  }
  const must = <T,>(r: Envelope<T>): T => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  beforeAll(async () => {
    running = await startBrowserMode();
    running.process.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    running.process.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  }, 180_000);
  afterAll(async () => {
    await running?.stop();
    fs.rmSync(running.dataDir, { recursive: true, force: true });
    fs.rmSync(`${running.dataDir}.key`, { force: true });
  });

  it('imports with bad rows, an internal error and a failing enrolment print nothing of the customer', async () => {
    const admin = must(await call('setup.init', { branchName: '济南中心支公司', branchCode: BRANCH, adminUsername: 'admin', adminDisplayName: '系统管理员', adminPassword: 'admin-pass-1' })).sessionToken;
    must(await call('demo.load', {}, admin));
    const staff = must(await call('auth.signIn', { username: 'zhangli', password: 'demo1234' })).sessionToken;

    // The list, uploaded in one chunk as the renderer would for a small file.
    const bytes = fs.readFileSync(listWithBadRows(files.dir, 'PD'));
    const { uploadId } = must(await call('uploads.begin', { fileName: 'pii-list.csv', size: bytes.length }, staff));
    must(await call('uploads.chunk', { uploadId, offset: 0, dataBase64: bytes.toString('base64') }, staff));
    must(await call('uploads.finish', { uploadId }, staff));
    const probe = must(await call('import.probe', { uploadId }, staff));
    const { jobId } = must(await call('import.preview', { uploadId, mapping: probe.mapping, defaultKind: 'new_policy' }, staff));
    while (must(await call('jobs.get', { jobId }, staff)).state === 'running') await new Promise((r) => setTimeout(r, 50));
    const preview = must(await call('import.previewResult', { jobId }, staff));
    expect(preview.invalid).toBe(3);
    const commit = must(await call('import.commit', { previewJobId: jobId }, staff));
    while (must(await call('jobs.get', { jobId: commit.jobId }, staff)).state === 'running') await new Promise((r) => setTimeout(r, 50));

    // An internal error, raised by the database with the customer in its message (set up beside the running app).
    const file = path.join(running.dataDir, DATABASE_FILE_NAME);
    const side = openDatabase({ file, key: resolveDatabaseKey({ dataDir: running.dataDir, databaseFile: file }).key });
    const taskId = side.prepare("SELECT t.id FROM visit_tasks t JOIN policies p ON p.id = t.policy_id WHERE p.policy_no = 'PD0001'").pluck().get() as number;
    side.exec(`CREATE TRIGGER pii_attempt BEFORE INSERT ON contact_attempts BEGIN SELECT RAISE(ABORT, '客户 ${NAME} ${ID_NUMBER} ${PHONE}'); END`);
    const attempt = await call('attempts.log', { taskId, method: 'phone', attemptedAt: '2026-11-25 08:00', outcome: 'not_answered', note: `拨打 ${PHONE}` }, staff);
    side.exec('DROP TRIGGER pii_attempt');
    side.close();
    expect(attempt.ok).toBe(false);

    // Enrolling against a server that echoes the customer back in a 500.
    echoing.mode('text500');
    expect((await call('sync.enrol', { serverUrl: echoing.url, branchCode: BRANCH, enrolmentCode: 'ABCDEFGH', deviceName: PHONE }, admin)).ok).toBe(false);
    echoing.mode('json400');
    expect((await call('sync.enrol', { serverUrl: echoing.url, branchCode: BRANCH, enrolmentCode: 'ABCDEFGH', deviceName: NAME }, admin)).ok).toBe(false);

    // The internal error did reach the log, by its class only.
    await new Promise((r) => setTimeout(r, 200));
    expect(output).toMatch(/\[attempts\.log\] internal error: SqliteError/);
    expect(leaks([output])).toEqual([]);
    expect(leaks(errors)).toEqual([]);
  }, 60_000);
});
