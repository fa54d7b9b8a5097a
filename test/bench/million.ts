/**
 * The branch at a million: a data folder with n finalised records (answers, signatures, audit
 * chain, outbox, a photo each) on n new-policy tasks, the demo branch beside them, and spare tasks for new
 * visits. Building it takes minutes, so it is kept in .bench/cache/ and reused while the filler
 * (FILL_VERSION) stays the same; a later schema migrates it as an upgrade would; BENCH_FRESH=1
 * rebuilds it. Cases work on a copy, never on the kept folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createApp } from '../../electron/app/create-app';
import { LATEST_VERSION } from '../../electron/db/migrations';
import type { MethodInput, MethodName, VisitView } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/envelope';
import { visibleQuestions } from '../../shared/questionnaire';
import { bulkFill, fillFinalisedRecords, fillTasksSql } from './data';
import { OUT } from './harness';

/** Bump when the filler writes different data, so kept folders are rebuilt. */
const FILL_VERSION = 3;
/**
 * The tables the fill writes a million rows into: their secondary indexes and triggers are built
 * once after the fill instead of kept row by row (see bulkFill); the result has the same schema.
 */
const BULK_TABLES = ['customers', 'policies', 'visit_tasks', 'visits', 'visit_answers', 'visit_signatures', 'visit_attachments', 'outbox', 'audit_log'];
export const SPARE_TASKS = 100;
export const ADMIN = { username: 'admin', password: 'bench-pass-1' };
export const STAFF = { username: 'zhangli', password: 'demo1234' };

export interface MillionBranch {
  /** The data folder (its key file is `${dir}.key`). */
  dir: string;
  records: number;
  /** The first of SPARE_TASKS new-policy tasks with no visit yet. */
  firstSpareTask: number;
}

export type Call = <M extends MethodName>(m: M, input: MethodInput<M>, session?: string) => Promise<never>;

/** The contract of an app, answering the value or throwing with main's message. */
export function caller(app: ReturnType<typeof createApp>): Call {
  return async (m, input, session) => {
    const r = (await app.call(m, input, { sessionToken: session })) as Envelope<never>;
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
    return r.value;
  };
}

/** The kept folder for n records: built first if missing, migrated if kept by an older schema. */
export async function millionBranch(records: number): Promise<MillionBranch> {
  const cache = path.join(OUT, 'cache');
  const stem = `branch-${records}-f${FILL_VERSION}-v`;
  const name = `${stem}${LATEST_VERSION}`;
  const dir = path.join(cache, name);
  const facts = path.join(cache, `${name}.json`);
  fs.mkdirSync(cache, { recursive: true });
  if (process.env.BENCH_FRESH === '1') for (const f of fs.readdirSync(cache)) if (f.startsWith(stem)) fs.rmSync(path.join(cache, f), { recursive: true, force: true });
  const older = fs.readdirSync(cache).find((f) => f.startsWith(stem) && f.endsWith('.json') && Number(f.slice(stem.length, -5)) < LATEST_VERSION);
  if (!fs.existsSync(facts) && older) {
    // Migrations are additive, as on a user's PC: upgrading the kept folder is what an upgrade does.
    const from = path.join(cache, older.slice(0, -5));
    console.log(`升级保存的数据 ${older.slice(0, -5)} → 数据版本 ${LATEST_VERSION}…`);
    createApp({ dataDir: from, transport: 'browser', log: () => {}, autoSyncMs: 0 }).close();
    fs.renameSync(`${from}.key`, `${dir}.key`);
    fs.renameSync(from, dir);
    fs.renameSync(`${from}.json`, facts);
  }
  if (fs.existsSync(facts) && fs.existsSync(dir)) return { dir, ...(JSON.parse(fs.readFileSync(facts, 'utf8')) as Omit<MillionBranch, 'dir'>) };

  // Kept folders of other fillers or newer schemas go, and half-built ones of runs that died.
  for (const f of fs.readdirSync(cache)) {
    const builder = /\.building-(\d+)/.exec(f)?.[1];
    if (f.startsWith(`branch-${records}-`) && (!builder || !alive(Number(builder)))) fs.rmSync(path.join(cache, f), { recursive: true, force: true });
  }
  const building = path.join(cache, `${name}.building-${process.pid}`);
  console.log(`生成 ${records} 份定稿记录的数据（只在首次或结构变化时生成，保存在 ${cache}）…`);
  const started = performance.now();
  const app = createApp({ dataDir: building, transport: 'browser', log: () => {}, autoSyncMs: 0 });
  let firstSpareTask: number;
  try {
    const call = caller(app);
    const admin: { sessionToken: string } = await call('setup.init', { branchName: '基准测试', branchCode: 'BENCH', adminUsername: ADMIN.username, adminDisplayName: '管理员', adminPassword: ADMIN.password });
    await call('demo.load', {}, admin.sessionToken);
    const staff: { sessionToken: string } = await call('auth.signIn', STAFF);
    const demoTask = app.db.prepare("SELECT id FROM visit_tasks WHERE kind = 'new_policy' ORDER BY id LIMIT 1").pluck().get() as number;
    const template: VisitView = await call('visits.finalise', { visitId: (await signedDraft(call, staff.sessionToken, demoTask)).id }, staff.sessionToken);
    const tasks = bulkFill(
      app.db,
      () => {
        const t = fillTasksSql(app.db, records + SPARE_TASKS, { log: console.log });
        fillFinalisedRecords(app.db, template.id, records, t, console.log);
        return t;
      },
      { tables: BULK_TABLES, log: console.log },
    );
    firstSpareTask = tasks.task + records;
  } finally {
    app.close();
  }
  flushFolder(building);
  fs.renameSync(`${building}.key`, `${dir}.key`);
  fs.renameSync(building, dir);
  const kept = { records, firstSpareTask };
  fs.writeFileSync(facts, JSON.stringify(kept));
  console.log(`  生成用时 ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { dir, ...kept };
}

/** A working copy of the kept folder (and its key), removed by dispose. */
export function copyBranch(b: MillionBranch, label: string): { dir: string; dispose: () => void } {
  const dir = path.join(OUT, `${label}-${process.pid}-${Date.now()}`);
  // A copy-on-write clone where the file system can (btrfs, XFS, APFS); a plain copy elsewhere.
  fs.cpSync(b.dir, dir, { recursive: true, mode: fs.constants.COPYFILE_FICLONE });
  fs.copyFileSync(`${b.dir}.key`, `${dir}.key`);
  flushFolder(dir);
  return { dir, dispose: () => removeFolder(dir) };
}

/**
 * Writes the folder's files out to disk now. A fill or copy leaves gigabytes of dirty pages in the
 * OS cache; written back later, they sat in front of every fsync of the timed calls (a finalise's
 * p95 went from ~15 ms to 40 ms right after a fresh build), which a PC in use does not have.
 */
function flushFolder(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const fd = fs.openSync(path.join(e.parentPath, e.name), 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function removeFolder(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(`${dir}.key`, { force: true });
}

/**
 * A draft on the task, answered, with the record sheet filled, a photo of the visit (~120 KB) and
 * both signatures (~15 KB images), as real ones are.
 */
export async function signedDraft(call: Call, s: string, taskId: number): Promise<VisitView> {
  let v: VisitView = await call('visits.start', { taskId }, s);
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(120_000)]);
  const up: { uploadId: string } = await call('uploads.begin', { fileName: '现场照片.jpg', size: photo.length }, s);
  await call('uploads.chunk', { uploadId: up.uploadId, offset: 0, dataBase64: photo.toString('base64') }, s);
  await call('uploads.finish', { uploadId: up.uploadId }, s);
  v = await call('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: localMinute(new Date(Date.now() - 3_600_000)) }, s);
  for (const q of visibleQuestions(v.template, (v.productType ?? undefined) as never)) v = await call('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer: q.expected }, s);
  v = await call('visits.saveSheet', { visitId: v.id, sheet: { interviewee: '投保人本人', summary: '逐项确认' } }, s);
  v = await call('visits.attach', { visitId: v.id, uploadId: up.uploadId, kind: 'photo' }, s);
  const stroke = (y0: number) => Array.from({ length: 30 }, (_, i) => ({ x: 20 + i * 7, y: y0 + Math.sin(i / 2) * 12, t: i * 15 }));
  const png = () => `data:image/png;base64,${Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(15_000)]).toString('base64')}`;
  v = await call('visits.sign', { visitId: v.id, role: 'customer', signerName: '客户', strokes: [stroke(40), stroke(70)], png: png() }, s);
  v = await call('visits.sign', { visitId: v.id, role: 'staff', signerName: '回访人', strokes: [stroke(40), stroke(70)], png: png() }, s);
  return v;
}

/** The branch's (UTC+8) wall-clock minute, as the visit form takes it. */
const localMinute = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
