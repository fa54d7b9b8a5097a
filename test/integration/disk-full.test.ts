import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../electron/app/create-app';
import { StorageError } from '../../electron/db/storage-error';
import type { VisitView } from '../../shared/api/contract';
import { visibleQuestions } from '../../shared/questionnaire';
import { ok, startTestApp, type TestApp } from '../support/app';
import { upload, waitForJob } from '../support/import-flow';
import { fakeSignature } from '../support/signature';
import { mountExt4, mountTmpfs, whyNotMountable, type SmallFs } from '../support/small-fs';
import { tempDir } from '../support/temp';
import { DEMO_NOW, demoBranch, visitedAtBefore } from '../support/visit-flow';

// Everything here mounts real small file systems, which needs root (as on the development
// machines and in CI). Elsewhere the whole file is skipped, saying why.
const cannotMount = whyNotMountable();
if (cannotMount) console.warn(`disk-full.test.ts skipped: ${cannotMount}`);

const DISK_FULL = /磁盘空间已满/;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** PNG magic then noise: sniffed as a PNG, and incompressible, so it really takes its size on disk. */
const pngOf = (bytes: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(bytes - 8)]);
const integrity = (app: TestApp) => app.db.pragma('integrity_check', { simple: true });
const expectStorageError = (r: { ok: boolean; error?: { code: string; message: string } }, message: RegExp) => {
  expect(r.ok).toBe(false);
  expect(r.error?.code).toBe('storage_error');
  expect(r.error?.message).toMatch(message);
};
/** The app still answers, and its database is whole. */
const stillWhole = async (app: TestApp, session: string) => {
  expect(integrity(app)).toBe('ok');
  expect(ok(await app.api('app.status', {})).setupDone).toBe(true);
  expect(ok(await app.api('tasks.summary', {}, session))).toBeTruthy();
};
const filesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

describe.skipIf(cannotMount !== null)('a full disk under the data folder', () => {
  let vol: SmallFs;
  let app: TestApp;
  let staff: string;
  let manager: string;
  let work: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    work = tempDir('vd-disk-full-src-');
    vol = mountTmpfs(12);
    // The key file (data.key) sits beside the data folder, on the same small volume.
    const dataDir = path.join(vol.dir, 'data');
    ({ app, staff, manager } = await demoBranch(DEMO_NOW, { dataDir }));
  }, 60_000);
  afterAll(() => {
    try {
      app?.cleanup();
    } finally {
      vol?.unmount();
      work?.cleanup();
    }
  });
  afterEach(() => vol?.unfill());

  /**
   * Fills the volume. The WAL is checkpointed and truncated first: SQLite reuses a WAL's space,
   * so without this a small commit could still land in room the WAL took earlier, and whether a
   * write fails would depend on what ran before it.
   */
  const fill = (leave = 0) => {
    app.db.pragma('wal_checkpoint(TRUNCATE)');
    vol.fill(leave);
  };

  /** A new-policy task's visit, answered and with its sheet, ready to sign. */
  const draftVisit = async (offset: number): Promise<VisitView> => {
    const taskId = app.db.prepare("SELECT id FROM visit_tasks WHERE kind = 'new_policy' ORDER BY id LIMIT 1 OFFSET ?").pluck().get(offset) as number;
    let v = ok(await app.api('visits.start', { taskId }, staff));
    v = ok(await app.api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: visitedAtBefore(DEMO_NOW()) }, staff));
    for (const q of visibleQuestions(v.template, (v.productType ?? undefined) as never)) {
      v = ok(await app.api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer: q.expected }, staff));
    }
    return ok(await app.api('visits.saveSheet', { visitId: v.id, sheet: { interviewee: '投保人本人', summary: '逐项确认' } }, staff));
  };

  it('signing and finalising a visit: refused in Chinese, the draft kept whole, and done once space is freed', async () => {
    const v = await draftVisit(0);
    const answers = v.answers;
    // A large handwritten signature (600 KB) does not fit in 64 KB.
    const big = { ...fakeSignature('客户'), png: `data:image/png;base64,${pngOf(600_000).toString('base64')}` };
    fill(64 * 1024);
    expectStorageError(await app.api('visits.sign', { visitId: v.id, role: 'customer', ...big }, staff), DISK_FULL);
    let now = ok(await app.api('visits.get', { id: v.id }, staff));
    expect(now.state).toBe('draft');
    expect(now.answers).toEqual(answers);
    expect(now.signatures).toEqual([]);
    await stillWhole(app, staff);

    vol.unfill();
    now = ok(await app.api('visits.sign', { visitId: v.id, role: 'customer', ...big }, staff));
    now = ok(await app.api('visits.sign', { visitId: v.id, role: 'staff', ...fakeSignature('回访人') }, staff));
    expect(now.signatures.map((x) => x.role).sort()).toEqual(['customer', 'staff']);

    // Finalising writes little, but nothing at all fits.
    const statusBefore = app.db.prepare('SELECT status FROM visit_tasks WHERE id = ?').pluck().get(v.taskId);
    fill(0);
    expectStorageError(await app.api('visits.finalise', { visitId: v.id }, staff), DISK_FULL);
    now = ok(await app.api('visits.get', { id: v.id }, staff));
    expect(now.state).toBe('draft');
    expect(now.answers).toEqual(answers);
    expect(now.signatures.find((x) => x.role === 'customer')?.signerName).toBe('客户');
    expect(app.db.prepare('SELECT status FROM visit_tasks WHERE id = ?').pluck().get(v.taskId)).toBe(statusBefore);
    expect(app.db.prepare('SELECT count(*) FROM outbox WHERE visit_id = ?').pluck().get(v.id)).toBe(0);
    expect(app.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'visit_finalised' AND object_id = ?").pluck().get(v.id)).toBe(0);
    await stillWhole(app, staff);

    vol.unfill();
    expect(ok(await app.api('visits.finalise', { visitId: v.id }, staff)).state).toBe('finalised');
    expect(integrity(app)).toBe('ok');
  });

  it('an attachment that does not fit: refused, and no sealed file or temporary file left in attachments/', async () => {
    const v = await draftVisit(1);
    const photo = pngOf(300_000);
    const src = path.join(work.dir, 'photo.png');
    fs.writeFileSync(src, photo);
    const attachments = path.join(app.dataDir, 'attachments');
    const before = filesIn(attachments);
    const uploadId = await upload(app, staff, src);

    // Too little room for the sealed file itself.
    fill(100 * 1024);
    expectStorageError(await app.api('visits.attach', { visitId: v.id, uploadId, kind: 'photo' }, staff), DISK_FULL);
    expect(filesIn(attachments)).toEqual(before);
    vol.unfill();

    // Room for the sealed file (its bytes plus 32 of seal) but not for the row that records it:
    // the file written first must not stay behind without its row.
    fill(Math.ceil((photo.length + 32) / 4096) * 4096);
    expectStorageError(await app.api('visits.attach', { visitId: v.id, uploadId, kind: 'photo' }, staff), DISK_FULL);
    expect(filesIn(attachments)).toEqual(before);
    expect(ok(await app.api('visits.get', { id: v.id }, staff)).attachments).toEqual([]);
    await stillWhole(app, staff);
    vol.unfill();

    // The same upload, once there is room.
    const done = ok(await app.api('visits.attach', { visitId: v.id, uploadId, kind: 'photo' }, staff));
    expect(done.attachments).toHaveLength(1);
    expect(filesIn(attachments)).toEqual([...before, sha(photo)].sort());
    const back = ok(await app.api('visits.attachment', { id: done.attachments[0]!.id }, staff));
    expect(Buffer.from(back.dataBase64, 'base64').equals(photo)).toBe(true);
  });

  it('an upload chunk that does not fit: refused, and the same chunk sent again after freeing space gives the exact file', async () => {
    const v = await draftVisit(2);
    const photo = pngOf(1_000_000);
    const { uploadId } = ok(await app.api('uploads.begin', { fileName: 'scan.png', size: photo.length }, staff));
    const half = 600_000;
    // The first chunk runs out of room part-way through.
    fill(256 * 1024);
    expectStorageError(
      await app.api('uploads.chunk', { uploadId, offset: 0, dataBase64: photo.subarray(0, half).toString('base64') }, staff),
      DISK_FULL,
    );
    await stillWhole(app, staff);
    vol.unfill();

    expect(ok(await app.api('uploads.chunk', { uploadId, offset: 0, dataBase64: photo.subarray(0, half).toString('base64') }, staff)).received).toBe(half);
    ok(await app.api('uploads.chunk', { uploadId, offset: half, dataBase64: photo.subarray(half).toString('base64') }, staff));
    expect(ok(await app.api('uploads.finish', { uploadId }, staff)).sha256).toBe(sha(photo));
    // The staged bytes are what was sent, not a half chunk followed by the whole one.
    const done = ok(await app.api('visits.attach', { visitId: v.id, uploadId, kind: 'photo' }, staff));
    const back = ok(await app.api('visits.attachment', { id: done.attachments[0]!.id }, staff));
    expect(Buffer.from(back.dataBase64, 'base64').equals(photo)).toBe(true);
  });

  it('an import commit that runs out of space part-way: refused in Chinese, no task imported, and the same list imports once space is freed', async () => {
    const rows = 2000;
    const csv = path.join(work.dir, 'big-list.csv');
    const lines = ['保单号,投保人,联系电话,回执签署日期,险种名称,件类型,保险期限'];
    for (let i = 0; i < rows; i++) lines.push(`P2026${String(500000 + i)},客户${i},139${String(10000000 + i)},2026-11-20,安康终身寿险,方言件,30`);
    fs.writeFileSync(csv, `${lines.join('\n')}\n`);
    const count = () => app.db.prepare('SELECT count(*) FROM visit_tasks').pluck().get() as number;
    const batches = async () => ok(await app.api('import.batches', {}, staff)).batches.length;
    const tasksBefore = count();
    const batchesBefore = await batches();

    const preview = async () => {
      const uploadId = await upload(app, staff, csv);
      const probe = ok(await app.api('import.probe', { uploadId }, staff));
      const { jobId } = ok(await app.api('import.preview', { uploadId, mapping: probe.mapping, defaultKind: probe.defaultKind ?? 'new_policy' }, staff));
      expect((await waitForJob(app, staff, jobId)).state).toBe('done');
      expect(ok(await app.api('import.previewResult', { jobId }, staff)).create).toBe(rows);
      return jobId;
    };
    const commit = async (previewJobId: string) => {
      const { jobId } = ok(await app.api('import.commit', { previewJobId }, staff));
      return { job: await waitForJob(app, staff, jobId), jobId };
    };

    const first = await preview();
    // Some room, far less than 2,000 tasks with their customers, policies and search index take.
    fill(256 * 1024);
    const { job } = await commit(first);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('storage_error');
    expect(job.error?.message).toMatch(DISK_FULL);
    expect(count()).toBe(tasksBefore);
    expect(await batches()).toBe(batchesBefore);
    await stillWhole(app, staff);
    vol.unfill();

    const second = await commit(await preview());
    expect(second.job.state).toBe('done');
    expect(ok(await app.api('import.commitResult', { jobId: second.jobId }, staff)).created).toBe(rows);
    expect(count()).toBe(tasksBefore + rows);
    expect(integrity(app)).toBe('ok');
  }, 60_000);

  it('an export to the full volume: refused in Chinese with no file left in exports/, and done once space is freed', async () => {
    const exportsDir = path.join(app.dataDir, 'exports');
    const before = filesIn(exportsDir);
    fill(0);
    const { jobId } = ok(await app.api('lists.export', { list: 'daily' }, staff));
    const job = await waitForJob(app, staff, jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('storage_error');
    expect(job.error?.message).toMatch(DISK_FULL);
    expect(filesIn(exportsDir)).toEqual(before);
    await stillWhole(app, staff);
    vol.unfill();

    const again = ok(await app.api('lists.export', { list: 'daily' }, staff));
    expect((await waitForJob(app, staff, again.jobId)).state).toBe('done');
    expect(ok(await app.api('exports.result', { jobId: again.jobId }, staff)).size).toBeGreaterThan(0);
    expect(filesIn(exportsDir)).toHaveLength(before.length + 1);
  });

  it('a record-sheet export that runs out of space part-way through the workbook: refused, and no half-written workbook left', async () => {
    // A finalised record whose signature (800 KB) makes the workbook far bigger than the room left.
    const v = await draftVisit(3);
    ok(await app.api('visits.sign', { visitId: v.id, role: 'customer', ...fakeSignature('客户'), png: `data:image/png;base64,${pngOf(800_000).toString('base64')}` }, staff));
    ok(await app.api('visits.sign', { visitId: v.id, role: 'staff', ...fakeSignature('回访人') }, staff));
    ok(await app.api('visits.finalise', { visitId: v.id }, staff));
    const exportsDir = path.join(app.dataDir, 'exports');
    const before = filesIn(exportsDir);
    const period = { from: '2026-11-01', to: '2026-11-30' };

    fill(128 * 1024);
    const { jobId } = ok(await app.api('visits.exportSheets', period, manager));
    const job = await waitForJob(app, manager, jobId);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('storage_error');
    expect(job.error?.message).toMatch(/^磁盘空间已满，导出未完成，未生成文件/);
    expect(filesIn(exportsDir)).toEqual(before);
    await stillWhole(app, staff);
    vol.unfill();

    const again = ok(await app.api('visits.exportSheets', period, manager));
    expect((await waitForJob(app, manager, again.jobId)).state).toBe('done');
    expect(ok(await app.api('exports.result', { jobId: again.jobId }, manager)).size).toBeGreaterThan(800_000);
  });
});

describe.skipIf(cannotMount !== null)('a read-only data folder at start-up', () => {
  let vol: ReturnType<typeof mountTmpfs>;
  let dataDir: string;
  const bundle = path.resolve('node_modules/.cache/visitdesk-test/browser-main-disk-full.cjs');

  beforeAll(async () => {
    vol = mountTmpfs(8);
    dataDir = path.join(vol.dir, 'data');
    const app = startTestApp(undefined, { dataDir });
    await app.setUp();
    app.close();
    // Root ignores permission bits, so a read-only mount it is, as a write-protected USB stick
    // or a share mounted read-only would be.
    vol.remountReadOnly();
    // Browser mode's entry, bundled from source as `node scripts/build.mjs` bundles it into dist/
    // (building dist/ here could swap files under the e2e tests running beside this one).
    const { build } = await import('esbuild');
    await build({ entryPoints: [path.resolve('electron/browser-main.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['electron', 'better-sqlite3-multiple-ciphers'], logLevel: 'error' });
  }, 60_000);
  afterAll(() => vol?.unmount());

  it('createApp refuses with a StorageError naming the folder and saying the disk is read-only', () => {
    let thrown: unknown;
    try {
      createApp({ dataDir, transport: 'browser', log: () => {}, autoSyncMs: 0 }).close();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(StorageError);
    expect((thrown as StorageError).problem).toBe('not_writable');
    expect((thrown as StorageError).message).toBe(
      `数据文件夹 ${dataDir} 位于只读磁盘，无法写入。请换一个可写的文件夹（浏览器模式可设置环境变量 VISITDESK_DATA），或请管理员检查磁盘与权限。`,
    );
  });

  it('browser mode prints that message and exits non-zero, without a stack trace', async () => {
    const child = spawn(process.execPath, [bundle], {
      env: { ...process.env, VISITDESK_DATA: dataDir, VISITDESK_PORT: '0', VISITDESK_DB_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(out.trim()).toBe(`回访台无法启动：数据文件夹 ${dataDir} 位于只读磁盘，无法写入。请换一个可写的文件夹（浏览器模式可设置环境变量 VISITDESK_DATA），或请管理员检查磁盘与权限。`);
    expect(out).not.toMatch(/\n\s+at /);
  });
});

describe.skipIf(cannotMount !== null)('the disk going read-only while the app runs', () => {
  let disk: Exclude<ReturnType<typeof mountExt4>, string> | null = null;
  let app: TestApp | null = null;

  afterAll(() => {
    try {
      app?.close();
    } finally {
      disk?.unmount();
    }
  });

  it('a write is refused with a Chinese storage_error, reads still answer, and nothing half-written', async (t) => {
    const made = mountExt4(24);
    if (typeof made === 'string') {
      t.skip(made);
      return;
    }
    disk = made;
    app = startTestApp(undefined, { dataDir: path.join(disk.dir, 'data') });
    const admin = await app.setUp();
    ok(await app.api('accounts.create', { username: 'before1', displayName: '赵一', role: 'staff', password: 'pass-1234' }, admin));

    // ext4's own reaction to a failing disk (errors=remount-ro): every write refused from now on,
    // to the database file and WAL already open too.
    disk.failReadOnly();
    const r = await app.api('accounts.create', { username: 'after1', displayName: '钱二', role: 'staff', password: 'pass-1234' }, admin);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('storage_error');
      expect(r.error.message).toMatch(/只读|读写.*磁盘时出错/);
      expect(r.error.message).toMatch(/本次操作未保存/);
    }
    // What was saved is still there to read, and the one refused is not half there.
    const names = ok(await app.api('accounts.list', {}, admin)).accounts.map((a) => a.username);
    expect(names).toContain('before1');
    expect(names).not.toContain('after1');
    expect(ok(await app.api('app.status', {})).setupDone).toBe(true);
  });
});
