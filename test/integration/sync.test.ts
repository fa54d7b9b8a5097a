import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { VisitView } from '../../shared/api/contract';
import type { SyncTask } from '../../shared/sync/protocol';
import { ok, type TestApp } from '../support/app';
import { startFaultProxy, type FaultMode, type FaultProxy } from '../support/fault-proxy';
import { startHqProcess, type HqProcess } from '../support/hq-process';
import { upload } from '../support/import-flow';
import { fakeSignature } from '../support/signature';
import { tempDir } from '../support/temp';
import { demoBranch, finalisedVisit } from '../support/visit-flow';
import { DUE_EXPLANATION_SQL } from '../../electron/tasks/deadline-texts';

// The reference head-office server runs in its own process; the branch app runs here, behind a
// fault-injecting proxy on loopback.
const BRANCH = '370100';
let hq: HqProcess;
let proxy: FaultProxy;
beforeAll(async () => {
  hq = await startHqProcess(BRANCH);
  proxy = await startFaultProxy(hq.url);
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await hq?.stop();
});

let app: TestApp | undefined;
afterEach(async () => {
  await proxy.pass();
  await hq.admin('DELETE', '/admin/rejections');
  app?.cleanup();
  app = undefined;
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface HqRecord {
  key: string;
  version: number;
  previousKey: string | null;
  contentHash: string;
  signatures: { role: string; sha256: string }[];
  attachments: { sha256: string; size: number }[];
  decisions: unknown[];
}

async function enrolledBranch(options: { timeoutMs?: number } = {}) {
  const b = await demoBranch(undefined, { autoSyncMs: 0, syncTimeoutMs: options.timeoutMs ?? 5_000 });
  app = b.app;
  const { code } = await hq.admin<{ code: string }>('POST', '/admin/enrolment-codes', { branchCode: BRANCH });
  ok(await app.api('sync.enrol', { serverUrl: proxy.url, branchCode: BRANCH, enrolmentCode: code, deviceName: '测试笔记本' }, b.admin));
  return b;
}

const keyOf = (a: TestApp, visitId: number) => a.db.prepare('SELECT record_key FROM outbox WHERE visit_id = ?').pluck().get(visitId) as string;
const outboxStates = (a: TestApp) => a.db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state ORDER BY state').all();

async function syncNow(a: TestApp) {
  return a.sync.runOnce(new AbortController().signal);
}

describe('sync with head office (reference server in its own process)', () => {
  it('enrols, uploads finalised records byte-identical, then brings down tasks and decisions exactly once', async () => {
    const b = await demoBranch(undefined, { autoSyncMs: 0 });
    app = b.app;
    const refused = await app.api('sync.enrol', { serverUrl: proxy.url, branchCode: BRANCH, enrolmentCode: 'WRONG-CODE', deviceName: 'x' }, b.admin);
    expect(refused.ok ? '' : refused.error.message).toMatch(/登记失败/);
    const plainHttp = await app.api('sync.enrol', { serverUrl: 'http://hq.example.com', branchCode: BRANCH, enrolmentCode: 'ABCDEFG', deviceName: 'x' }, b.admin);
    expect(plainHttp.ok ? '' : plainHttp.error.message).toContain('https');
    const { code } = await hq.admin<{ code: string }>('POST', '/admin/enrolment-codes', { branchCode: BRANCH });
    expect(ok(await app.api('sync.enrol', { serverUrl: proxy.url, branchCode: BRANCH, enrolmentCode: code, deviceName: '测试笔记本' }, b.admin)).enrolled).toBe(true);

    // One record carries a photo; finalising queues it in the same transaction.
    const taskId = app.db.prepare("SELECT id FROM visit_tasks WHERE kind = 'new_policy' ORDER BY id LIMIT 1").pluck().get() as number;
    const draft = ok(await app.api('visits.start', { taskId }, b.staff));
    const outside = tempDir('vd-photo-');
    const photo = path.join(outside.dir, 'receipt.png');
    // Bigger than one chunk, so the upload really goes in pieces.
    fs.writeFileSync(photo, Buffer.concat([Buffer.from(fakeSignature('x').png.split(',')[1]!, 'base64'), Buffer.alloc(1_300_000, 7)]));
    ok(await app.api('visits.attach', { visitId: draft.id, uploadId: await upload(app, b.staff, photo), kind: 'scan' }, b.staff));
    outside.cleanup();
    const visits: VisitView[] = [await finalisedVisit(app, b.staff, 0), await finalisedVisit(app, b.staff, 1), await finalisedVisit(app, b.staff, 2)];
    expect(ok(await app.api('sync.status', {}, b.staff)).pending).toBe(3);

    const first = await syncNow(app);
    expect(first).toMatchObject({ ok: true, uploaded: 3 });
    const status = ok(await app.api('sync.status', {}, b.staff));
    expect(status).toMatchObject({ pending: 0, delivered: 3, lastError: null, reachable: true });

    for (const v of visits) {
      const key = keyOf(app, v.id);
      const { records } = await hq.admin<{ records: HqRecord[] }>('GET', `/admin/records?key=${encodeURIComponent(key)}`);
      expect(records).toHaveLength(1);
      const local = app.db.prepare('SELECT role, png FROM visit_signatures WHERE visit_id = ? ORDER BY role').all(v.id) as { role: string; png: Buffer }[];
      expect(records[0]!.signatures.map((s) => [s.role, s.sha256])).toEqual(local.map((s) => [s.role, sha(s.png)]));
      for (const a of records[0]!.attachments) {
        const bytes = await hq.blob(a.sha256);
        expect(sha(bytes)).toBe(a.sha256);
        expect(bytes.length).toBe(a.size);
      }
    }
    expect((await hq.admin<{ records: HqRecord[] }>('GET', `/admin/records?key=${encodeURIComponent(keyOf(app, visits[0]!.id))}`)).records[0]!.attachments).toHaveLength(1);

    // Nothing is sent twice.
    const before = proxy.counters().requests;
    expect(await syncNow(app)).toMatchObject({ ok: true, uploaded: 0 });
    expect(proxy.log().slice(-(proxy.counters().requests - before)).some((l) => l.path.includes('/records/batch'))).toBe(false);

    // Head office hands down tasks and decides on two records.
    const task: SyncTask = {
      hqTaskId: 'HQ-T-0001', kind: 'new_policy', source: 'unreached', cycle: '', policyNo: 'P2026HQ000001', productName: '鑫享年金', productType: 'participating',
      channel: 'individual', issueDate: '2026-11-10', receiptSignedDate: '2026-11-18', agentCode: 'YW2051', agentName: '李娜', customerName: '周晓梅',
      phone: '13912345678', idNumber: '370102198805061234', address: '济南市历下区泉城路 8 号', note: '电话三次未接通',
    };
    await hq.addTasks([task]);
    const k0 = keyOf(app, visits[0]!.id);
    const k1 = keyOf(app, visits[1]!.id);
    await hq.admin('POST', '/admin/decisions', { recordKey: k0, decision: 'returned', reason: '签名与投保单不一致，请重新面访' });
    await hq.admin('POST', '/admin/decisions', { recordKey: k1, decision: 'problem_opened', reason: '客户反映缴费年限与销售时所述不符', categories: ['misleading_payment_years'] });
    expect(await syncNow(app)).toMatchObject({ ok: true, downloaded: 3 });
    const hqTask = app.db.prepare(`SELECT t.id, ${DUE_EXPLANATION_SQL} AS due_explanation, c.name FROM visit_tasks t JOIN customers c ON c.id = t.customer_id WHERE t.hq_task_id = 'HQ-T-0001'`).get() as { id: number; due_explanation: string | null; name: string };
    expect(hqTask.name).toBe('周晓梅');
    // Found by search like any other task (the download indexes the tasks it created, see import-writer's finish).
    expect(app.db.prepare('SELECT rowid FROM task_search WHERE task_search MATCH ?').pluck().all('"周晓梅"')).toContain(hqTask.id);
    // Its deadline is computed by the rule engine like any imported task's.
    expect(hqTask.due_explanation).toBeTruthy();
    expect(ok(await app.api('visits.get', { id: visits[0]!.id }, b.staff)).returned).toMatchObject({ managerName: '总公司', reason: '签名与投保单不一致，请重新面访' });
    const problem = app.db.prepare("SELECT p.source, p.due_on, group_concat(c.category) AS cats FROM problem_cases p JOIN problem_case_categories c ON c.case_id = p.id WHERE p.visit_id = ?").get(visits[1]!.id) as { source: string; due_on: string; cats: string };
    expect(problem).toMatchObject({ source: 'import', cats: 'misleading_payment_years' });
    expect(problem.due_on).toMatch(/^2026-/);

    // The same page again applies nothing twice.
    app.db.prepare("UPDATE sync_state SET cursor = '0'").run();
    await syncNow(app);
    expect(app.db.prepare('SELECT count(*) FROM hq_decisions').pluck().get()).toBe(2);
    expect(app.db.prepare('SELECT count(*) FROM problem_cases WHERE visit_id = ?').pluck().get(visits[1]!.id)).toBe(1);
    expect(app.db.prepare("SELECT count(*) FROM visit_tasks WHERE hq_task_id = 'HQ-T-0001'").pluck().get()).toBe(1);

    // A correction is a new version, queued on finalising and sent with the link to the old one.
    let c = ok(await app.api('visits.correct', { visitId: visits[0]!.id, reason: '按总公司意见重新面访' }, b.staff));
    c = ok(await app.api('visits.saveSheet', { visitId: c.id, sheet: { summary: '重新面访，客户本人签名' } }, b.staff));
    c = ok(await app.api('visits.sign', { visitId: c.id, role: 'customer', ...fakeSignature('客户') }, b.staff));
    c = ok(await app.api('visits.sign', { visitId: c.id, role: 'staff', ...fakeSignature('回访人') }, b.staff));
    c = ok(await app.api('visits.finalise', { visitId: c.id }, b.staff));
    expect(await syncNow(app)).toMatchObject({ ok: true, uploaded: 1 });
    const v2 = (await hq.admin<{ records: HqRecord[] }>('GET', `/admin/records?key=${encodeURIComponent(keyOf(app, c.id))}`)).records[0]!;
    expect(v2).toMatchObject({ version: 2, previousKey: k0 });
  });

  it('one refused record never blocks the others; it is shown with head office reason and can be sent again', async () => {
    const b = await enrolledBranch();
    const vs = [await finalisedVisit(app!, b.staff, 0), await finalisedVisit(app!, b.staff, 1), await finalisedVisit(app!, b.staff, 2)];
    const bad = keyOf(app!, vs[1]!.id);
    await hq.admin('POST', '/admin/rejections', { key: bad, code: 'policy_unknown', message: '总公司查无此保单号，请核对保单号码' });
    await syncNow(app!);
    const status = ok(await app!.api('sync.status', {}, b.staff));
    expect(status).toMatchObject({ pending: 0, delivered: 2 });
    expect(status.rejected).toEqual([expect.objectContaining({ visitId: vs[1]!.id, code: 'policy_unknown', message: '总公司查无此保单号，请核对保单号码' })]);
    await hq.admin('DELETE', '/admin/rejections');
    ok(await app!.api('sync.requeue', { outboxId: status.rejected[0]!.outboxId }, b.staff));
    await syncNow(app!);
    expect(ok(await app!.api('sync.status', {}, b.staff))).toMatchObject({ pending: 0, delivered: 3, rejected: [] });
    for (const v of vs) expect(await hq.countRows(keyOf(app!, v.id))).toBe(1);
  });

  const faults: [string, FaultMode, RegExp][] = [
    ['the server is down', { kind: 'down' }, /无法连接/],
    ['a captive portal answers 200 with HTML', { kind: 'captive_portal' }, /不是总公司服务器/],
    ['a 5xx storm', { kind: 'unavailable' }, /HTTP 503/],
    ['the server is slow (held past the timeout)', { kind: 'delay', ms: 3_000 }, /秒内没有响应/],
  ];
  it.each(faults)('%s: nothing is marked delivered, the error is in Chinese, and the next run delivers once', async (_name, mode, message) => {
    const b = await enrolledBranch({ timeoutMs: 1_000 });
    const v = await finalisedVisit(app!, b.staff, 0);
    await proxy.setMode(mode);
    const failed = await syncNow(app!);
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(message);
    const status = ok(await app!.api('sync.status', {}, b.staff));
    expect(status).toMatchObject({ pending: 1, delivered: 0 });
    expect(status.lastError).toMatch(message);
    expect(Date.parse(status.retryAt!)).toBeGreaterThan(Date.parse(status.lastAttemptAt!));
    await proxy.pass();
    expect(await syncNow(app!)).toMatchObject({ ok: true });
    expect(await hq.countRows(keyOf(app!, v.id))).toBe(1);
  });

  it('honours Retry-After when head office is overloaded', async () => {
    const b = await enrolledBranch();
    await finalisedVisit(app!, b.staff, 0);
    await proxy.setMode({ kind: 'unavailable', retryAfter: '120' });
    await syncNow(app!);
    const status = ok(await app!.api('sync.status', {}, b.staff));
    expect(Date.parse(status.retryAt!) - Date.parse(status.lastAttemptAt!)).toBeGreaterThanOrEqual(119_000);
    // Automatic sync waits; "sync now" does not.
    expect(app!.sync.start('auto')).toBe(false);
    await proxy.pass();
    expect(app!.sync.start('manual')).toBe(true);
    await app!.sync.idle();
    expect(ok(await app!.api('sync.status', {}, b.staff)).delivered).toBe(1);
  });

  it('an answer lost after head office stored the batch, or a batch delivered twice, still leaves exactly one copy', async () => {
    const b = await enrolledBranch();
    const v = await finalisedVisit(app!, b.staff, 0);
    await proxy.setMode({ kind: 'reset_after_forward' }, { match: { path: /records\/batch/ }, requests: 1 });
    expect((await syncNow(app!)).ok).toBe(false);
    expect(await hq.countRows(keyOf(app!, v.id))).toBe(1);
    expect(ok(await app!.api('sync.status', {}, b.staff)).pending).toBe(1);
    await syncNow(app!);
    expect(app!.db.prepare('SELECT answer FROM outbox WHERE visit_id = ?').pluck().get(v.id)).toBe('duplicate');

    const w = await finalisedVisit(app!, b.staff, 1);
    await proxy.setMode({ kind: 'duplicate', concurrent: true }, { match: { path: /records\/batch/ }, requests: 1 });
    await syncNow(app!);
    expect(await hq.countRows(keyOf(app!, w.id))).toBe(1);
    expect(ok(await app!.api('sync.status', {}, b.staff))).toMatchObject({ pending: 0, delivered: 2 });
  });

  it('exactly once over many randomised runs of faults', async () => {
    const b = await enrolledBranch({ timeoutMs: 800 });
    const modes: FaultMode[] = [
      { kind: 'pass' },
      { kind: 'refuse' },
      { kind: 'reset_after_forward' },
      { kind: 'unavailable' },
      { kind: 'captive_portal' },
      { kind: 'duplicate' },
      { kind: 'delay', ms: 1_200, phase: 'before_response' },
    ];
    let seed = 20261125;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const finalised: number[] = [];
    for (let run = 0; run < 24; run++) {
      if (run % 3 === 0 && finalised.length < 8) finalised.push((await finalisedVisit(app!, b.staff, finalised.length)).id);
      await proxy.setMode(modes[Math.floor(rand() * modes.length)]!, { requests: 1 + Math.floor(rand() * 3) });
      await syncNow(app!);
    }
    await proxy.pass();
    await syncNow(app!);
    expect(outboxStates(app!)).toEqual([{ state: 'delivered', n: finalised.length }]);
    for (const id of finalised) expect(await hq.countRows(keyOf(app!, id)), `record ${id}`).toBe(1);
  }, 120_000);

  it('works with the PC clock a year off', async () => {
    let skew = 0;
    const b = await demoBranch(() => new Date(Date.parse('2026-11-25T09:00:00+08:00') + skew), { autoSyncMs: 0 });
    app = b.app;
    const { code } = await hq.admin<{ code: string }>('POST', '/admin/enrolment-codes', { branchCode: BRANCH });
    ok(await app.api('sync.enrol', { serverUrl: proxy.url, branchCode: BRANCH, enrolmentCode: code, deviceName: '时钟错误的电脑' }, b.admin));
    const v = await finalisedVisit(app, b.staff, 0);
    skew = 365 * 86_400_000;
    expect(await syncNow(app)).toMatchObject({ ok: true, uploaded: 1 });
    expect(await hq.countRows(keyOf(app, v.id))).toBe(1);
  });
});

describe('the client killed at every step of an upload', () => {
  const bundle = path.resolve('node_modules/.cache/visitdesk-test/sync-child.cjs');
  beforeAll(async () => {
    const { build } = await import('esbuild');
    await build({ entryPoints: [path.resolve('test/support/sync-child.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['better-sqlite3-multiple-ciphers'], logLevel: 'error' });
  });

  // in_flight: the batch is on the wire and stored by head office, the answer not yet back.
  it.each(['before_send', 'in_flight', 'answer_received', 'after_answer'] as const)('killed %s: the database is intact, nothing is lost, and the record reaches head office once', async (step) => {
    const b = await enrolledBranch();
    const v = await finalisedVisit(app!, b.staff, 0);
    const key = keyOf(app!, v.id);
    const dataDir = app!.dataDir;
    app!.close();

    const { spawn } = await import('node:child_process');
    if (step === 'in_flight') await proxy.setMode({ kind: 'delay', ms: 20_000, phase: 'before_response' }, { match: { path: /records\/batch/ } });
    const child = spawn(process.execPath, [bundle, dataDir, step, '30000'], { stdio: 'pipe' });
    const exited = new Promise((r) => child.once('exit', r));
    if (step === 'in_flight') {
      while ((await hq.countRows(key)) === 0) await new Promise((r) => setTimeout(r, 50));
      child.kill('SIGKILL');
    }
    await exited;
    await proxy.pass();
    expect(child.signalCode).toBe('SIGKILL');

    const { createApp } = await import('../../electron/app/create-app');
    const again = createApp({ dataDir, transport: 'browser', log: () => {}, autoSyncMs: 0, syncTimeoutMs: 5_000 });
    try {
      expect(again.db.pragma('integrity_check', { simple: true })).toBe('ok');
      // Never marked delivered by the killed process, whatever head office got.
      expect(again.db.prepare('SELECT state FROM outbox WHERE record_key = ?').pluck().get(key)).toBe('pending');
      expect(await hq.countRows(key)).toBe(step === 'before_send' ? 0 : 1);
      expect(await again.sync.runOnce(new AbortController().signal)).toMatchObject({ ok: true });
      expect(again.db.prepare('SELECT state, answer FROM outbox WHERE record_key = ?').get(key)).toEqual({
        state: 'delivered',
        answer: step === 'before_send' ? 'accepted' : 'duplicate',
      });
      expect(await hq.countRows(key)).toBe(1);
    } finally {
      again.close();
    }
  });
});
