import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type VisitDeskApp } from '../../electron/app/create-app';
import { keyFileBeside } from '../../electron/db/db-key';
import { seededRandom } from '../../electron/demo/random';
import type { VisitView } from '../../shared/api/contract';
import { visibleQuestions } from '../../shared/questionnaire';
import { writeLargeList } from '../bench/data';
import { ADMIN, type TestApp } from '../support/app';
import type { CrashJob } from '../support/crash-child';
import { startHqProcess, type HqProcess } from '../support/hq-process';
import { importFile } from '../support/import-flow';
import { fakeSignature } from '../support/signature';
import { tempDir } from '../support/temp';
import { demoBranch, finaliseThrough, visitedAtBefore, type Api } from '../support/visit-flow';

// Issue 10: a child process doing real work through the contract (a 10,000-row import, visit
// finalisations, countersigns, an outbox upload, a visit being typed) is SIGKILLed at seeded-random
// moments; after each kill the data folder is reopened here and must be intact, every transaction
// all or nothing, drafts resumable, the audit chain verified, and nothing sent twice or lost.
//
// The seed is random per run and printed in every failure; CRASH_SEED=<n> replays its kill points
// (the timing of a live process is never exactly the same, so a replay is close, not identical).
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const rand = seededRandom(SEED);
const BRANCH = '370100';
const ROWS = 10_000;
/** Children really killed per scenario: 60 in all. */
const IMPORT_KILLS = 10;
const FINALISE_KILLS = 14;
const COUNTERSIGN_KILLS = 10;
const OUTBOX_KILLS = 14;
const DRAFT_KILLS = 12;
const bundle = path.resolve('node_modules/.cache/visitdesk-test/crash-child.cjs');

const root = tempDir('vd-crash-safety-');
let base: string;
let cleanupBase: () => void = () => {};
let list: string;
let hq: HqProcess | undefined;
/** CRASH_DEBUG=1 prints where each run was killed and what it left, to see the points covered. */
const debug = (...what: unknown[]) => (process.env.CRASH_DEBUG ? console.error(...what) : undefined);
/** Runs whose child really died of SIGKILL (a child may finish before its kill moment). */
let kills = 0;

/** What the base folder holds for each scenario (ids from the demo branch). */
const plan = { finalise: [] as number[], finaliseTasks: [] as number[], countersign: [] as number[][], countersignTasks: [] as number[], draftTask: 0, outboxOffset: 0 };
let baseFingerprint: Fingerprint;
const baseStatus = new Map<number, string>();

type Fingerprint = ReturnType<typeof fingerprint>;

/** Counts that an import either changes all at once or not at all. */
function fingerprint(app: VisitDeskApp) {
  const n = (sql: string) => app.db.prepare(sql).pluck().get() as number;
  return {
    tasks: n('SELECT count(*) FROM visit_tasks'),
    tasksWithDeadline: n('SELECT count(*) FROM visit_tasks WHERE due_on IS NOT NULL'),
    policies: n('SELECT count(*) FROM policies'),
    customers: n('SELECT count(*) FROM customers'),
    taskEvents: n('SELECT count(*) FROM task_events'),
    batches: n('SELECT count(*) FROM import_batches'),
    mappings: n('SELECT count(*) FROM import_mappings'),
    mappingKinds: n('SELECT count(*) FROM import_mapping_kinds'),
    searchRows: n('SELECT count(*) FROM task_search'),
  };
}

function open(dataDir: string) {
  const app = createApp({ dataDir, transport: 'browser', log: () => {}, autoSyncMs: 0, syncTimeoutMs: 5_000 });
  const api: Api = async (m, input, s) => {
    const r = await app.call(m, input, { sessionToken: s });
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
    return r.value as never;
  };
  const signIn = async (username: string, password = 'demo1234') => (await api('auth.signIn', { username, password })).sessionToken;
  return { app, api, signIn };
}
type Opened = ReturnType<typeof open>;

/** A fresh copy of the base folder (database, WAL, attachments) and its key file beside it. */
function copyOfBase(name: string): string {
  const dir = path.join(root.dir, name);
  fs.cpSync(base, dir, { recursive: true });
  if (fs.existsSync(keyFileBeside(base))) fs.copyFileSync(keyFileBeside(base), keyFileBeside(dir));
  return dir;
}
function remove(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(keyFileBeside(dir), { force: true });
}

/** A moment to kill at: `delayMs` after the child prints `after` (or, if it skips that line, any later one). */
interface KillPoint {
  after: string;
  later: string[];
  delayMs: number;
}

interface ChildRun {
  killed: boolean;
  lines: string[];
  /** Each distinct line once, with when it first came (ms after spawn): a run's timeline. */
  points: { line: string; at: number }[];
  /** For messages: where it was when it died. */
  where: string;
}

/** Runs the child on `dataDir` and SIGKILLs it at `kill` (null: lets it finish, to learn its timeline). */
async function runChild(dataDir: string, job: CrashJob, kill: KillPoint | null): Promise<ChildRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [bundle, JSON.stringify({ ...job, dataDir })], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const points: ChildRun['points'] = [];
  let stderr = '';
  let buffer = '';
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const l = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      lines.push(l);
      if (!points.some((p) => p.line === l)) points.push({ line: l, at: performance.now() - t0 });
      if (kill && !timer && (l === kill.after || kill.later.includes(l))) timer = setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
    }
  });
  let hung = false;
  const watchdog = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, 60_000);
  await exited;
  clearTimeout(timer);
  clearTimeout(watchdog);
  const killed = child.signalCode === 'SIGKILL';
  const error = lines.find((l) => l.startsWith('error'));
  if (error || (!killed && child.exitCode !== 0)) throw new Error(`child failed (${child.exitCode ?? child.signalCode}): ${error ?? ''}\n${lines.slice(-5).join('\n')}\n${stderr}`);
  if (hung) throw new Error(`child hung and was stopped after 60 s:\n${lines.slice(-5).join('\n')}\n${stderr}`);
  if (killed) kills++;
  debug(job.scenario, `${Math.round(performance.now() - t0)} ms`, killed ? 'killed' : 'finished', kill ? `${kill.delayMs} ms after "${kill.after}"` : '', '| last:', lines[lines.length - 1]);
  const where = kill ? `${killed ? 'killed' : 'not killed (it finished first)'} ${kill.delayMs} ms after "${kill.after}", last line "${lines[lines.length - 1] ?? '(none)'}"` : 'ran to the end';
  return { killed, lines, points, where };
}

/**
 * The steps of one kind of work, in the order an uninterrupted run printed them, with the shortest
 * time each took in any run seen so far (the first run starts cold; later ones are quicker, and a
 * kill meant for inside a step must not land after it).
 */
class Timeline {
  private readonly steps: string[];
  private readonly gaps: number[];
  constructor(run: ChildRun) {
    this.steps = run.points.map((p) => p.line);
    this.gaps = run.points.slice(1).map((p, i) => p.at - run.points[i]!.at);
  }

  observe(run: ChildRun): void {
    for (let i = 0; i + 1 < run.points.length; i++) {
      const k = this.steps.indexOf(run.points[i]!.line);
      if (k >= 0 && this.steps[k + 1] === run.points[i + 1]!.line) this.gaps[k] = Math.min(this.gaps[k]!, run.points[i + 1]!.at - run.points[i]!.at);
    }
  }

  /**
   * A seeded-random kill point: one of the steps from `from` on, chosen evenly, and a moment
   * within it. The instant between the last step and `done` is left out when it is only the
   * process closing.
   */
  killPoint(from = 'ready'): KillPoint {
    const start = this.steps.findIndex((l) => l.startsWith(from));
    const steps = this.gaps.map((gap, i) => ({ i, gap })).filter(({ i, gap }) => i >= start && (gap >= 2 || !this.steps[i + 1]!.startsWith('done')));
    const { i, gap } = steps[Math.floor(rand.next() * steps.length)]!;
    return { after: this.steps[i]!, later: this.steps.slice(i + 1, -1), delayMs: Math.floor(rand.next() * gap) };
  }
}

/** Runs `killRun` until `target` children have really been killed (a few may finish first). */
async function killedRuns(target: number, killRun: (run: number) => Promise<ChildRun>): Promise<void> {
  let killed = 0;
  let run = 1;
  for (; killed < target && run <= target + 6; run++) if ((await killRun(run)).killed) killed++;
  expect(killed, `seed ${SEED}: only ${killed} of ${run - 1} runs were killed before they finished`).toBe(target);
}

/** Checks every scenario shares: the file, the search index, the transactional outbox and the audit chain. */
async function checkIntact(o: Opened, label: string): Promise<void> {
  const { db } = o.app;
  expect(db.pragma('integrity_check', { simple: true }), label).toBe('ok');
  expect(db.pragma('foreign_key_check'), label).toEqual([]);
  // Throws on an inconsistent FTS index.
  db.exec("INSERT INTO task_search (task_search) VALUES ('integrity-check')");
  const n = (sql: string) => db.prepare(sql).pluck().get() as number;
  expect(n('SELECT count(*) FROM task_search'), label).toBe(n('SELECT count(*) FROM visit_tasks'));
  // A finalised record is never without its outbox row and its one chain entry; a draft has neither.
  const audited = (action: string) => `(SELECT count(*) FROM audit_log a WHERE a.action = '${action}' AND a.object_type = 'visit' AND a.object_id = v.id)`;
  expect(db.prepare(`SELECT v.id, v.state, ${audited('visit_finalised')} AS chain, (SELECT count(*) FROM outbox o WHERE o.visit_id = v.id) AS queued FROM visits v WHERE NOT (
      (v.state = 'draft' AND ${audited('visit_finalised')} = 0 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.visit_id = v.id))
   OR (v.state != 'draft' AND ${audited('visit_finalised')} = 1 AND EXISTS (SELECT 1 FROM outbox o WHERE o.visit_id = v.id)))`).all(), label).toEqual([]);
  // A countersign is never without its chain entry, nor an entry without its countersign.
  expect(db.prepare(`SELECT v.id FROM visits v WHERE ${audited('visit_countersigned')} != (SELECT count(*) FROM visit_countersigns c WHERE c.visit_id = v.id)`).all(), label).toEqual([]);
  const admin = await o.signIn(ADMIN.adminUsername, ADMIN.adminPassword);
  const report = await o.api('audit.verify', {}, admin);
  expect(report, label).toMatchObject({ ok: true, fileProblem: null, chainBreak: null, recordProblems: [] });
}

const taskStatus = (o: Opened, taskId: number) => o.app.db.prepare('SELECT status FROM visit_tasks WHERE id = ?').pluck().get(taskId) as string;
const visitsOfTask = (o: Opened, taskId: number) =>
  o.app.db.prepare("SELECT id, state FROM visits WHERE task_id = ? AND state != 'superseded' ORDER BY id").all(taskId) as { id: number; state: string }[];

/** Takes a visit up to both signatures (ready to finalise), as staff would. */
async function readyToFinalise(api: Api, session: string, taskId: number): Promise<VisitView> {
  let v = await api('visits.start', { taskId }, session);
  v = await api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: visitedAtBefore(new Date()) }, session);
  for (const q of visibleQuestions(v.template, (v.productType ?? undefined) as never)) {
    v = await api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer: q.expected }, session);
  }
  v = await api('visits.saveSheet', { visitId: v.id, sheet: { interviewee: '投保人本人', summary: '逐项确认' } }, session);
  v = await api('visits.sign', { visitId: v.id, role: 'customer', ...fakeSignature('客户') }, session);
  return api('visits.sign', { visitId: v.id, role: 'staff', ...fakeSignature('回访人') }, session);
}

const msg = (scenario: string, run: number, r: ChildRun) => `seed ${SEED} (CRASH_SEED=${SEED}), ${scenario} run ${run}: ${r.where}`;

beforeAll(async () => {
  const { build } = await import('esbuild');
  await build({ entryPoints: [path.resolve('test/support/crash-child.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['better-sqlite3-multiple-ciphers'], logLevel: 'error' });
  list = path.join(root.dir, 'crash-list.xlsx');
  const [started] = await Promise.all([startHqProcess(BRANCH), writeLargeList(list, ROWS)]);
  hq = started;

  // One base folder for every scenario: the demo branch, with visits at each stage.
  const b = await demoBranch(() => new Date());
  base = b.app.dataDir;
  cleanupBase = b.app.cleanup;
  const api: Api = async (m, input, s) => {
    const r = await b.app.api(m, input, s);
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
    return r.value as never;
  };
  const tasks = b.app.db.prepare("SELECT id FROM visit_tasks WHERE kind = 'new_policy' ORDER BY id").pluck().all() as number[];
  for (const taskId of tasks.slice(0, 6)) {
    plan.finalise.push((await readyToFinalise(api, b.staff, taskId)).id);
    plan.finaliseTasks.push(taskId);
  }
  const signed: number[] = [];
  for (const taskId of tasks.slice(6, 12)) {
    signed.push((await finaliseThrough(api, b.staff, taskId)).id);
    plan.countersignTasks.push(taskId);
  }
  for (let i = 0; i < signed.length; i += 2) plan.countersign.push(signed.slice(i, i + 2));
  plan.draftTask = tasks[12]!;
  plan.outboxOffset = 13;
  for (const t of [...plan.finaliseTasks, ...plan.countersignTasks, plan.draftTask]) baseStatus.set(t, b.app.db.prepare('SELECT status FROM visit_tasks WHERE id = ?').pluck().get(t) as string);
  baseFingerprint = fingerprint(b.app);
  b.app.close();
}, 120_000);

afterAll(async () => {
  await hq?.stop();
  cleanupBase();
  root.cleanup();
});

describe('crash safety: the app process SIGKILLed at random points', () => {
  it('a 10,000-row import is all or nothing, and the list imports cleanly afterwards', async () => {
    const job: CrashJob = { scenario: 'import', file: list, username: ADMIN.adminUsername, password: ADMIN.adminPassword };
    // The whole import once, to know what "all" looks like and the timeline of its steps.
    const first = copyOfBase('import-full');
    const full = await runChild(first, job, null);
    expect(full.lines, full.lines.join('\n')).toContain('commit');
    const timeline = new Timeline(full);
    let all: Fingerprint;
    {
      const o = open(first);
      all = fingerprint(o.app);
      expect(all.tasks).toBe(baseFingerprint.tasks + ROWS);
      expect(all.batches).toBe(baseFingerprint.batches + 1);
      expect(o.app.db.prepare('SELECT rows_created FROM import_batches ORDER BY id DESC LIMIT 1').pluck().get()).toBe(ROWS);
      await checkIntact(o, 'uninterrupted import');
      o.app.close();
      remove(first);
    }
    let recovered = false;
    const outcomes = { all: 0, none: 0 };
    await killedRuns(IMPORT_KILLS, async (run) => {
      const dir = copyOfBase(`import-${run}`);
      // Most kills land in the commit (one transaction over several chunks, yielding between them).
      const r = await runChild(dir, job, timeline.killPoint(rand.next() < 0.25 ? 'ready' : 'commit'));
      timeline.observe(r);
      const label = msg('import', run, r);
      const o = open(dir);
      try {
        const fp = fingerprint(o.app);
        const outcome = JSON.stringify(fp) === JSON.stringify(all) ? 'all' : JSON.stringify(fp) === JSON.stringify(baseFingerprint) ? 'none' : 'partial';
        expect({ outcome, fp }, label).toEqual({ outcome: expect.stringMatching(/^(all|none)$/), fp });
        outcomes[outcome as 'all' | 'none']++;
        debug(label, outcome);
        // The plain staging copy of the list (personal data) does not outlive the crash.
        expect(fs.readdirSync(path.join(dir, 'uploads')), label).toEqual([]);
        await checkIntact(o, label);
        if (outcome === 'none' && !recovered) {
          // Nothing half-written stands in the way of importing the same list whole afterwards.
          const admin = await o.signIn(ADMIN.adminUsername, ADMIN.adminPassword);
          const { summary } = await importFile({ api: (m, input, s) => o.app.call(m, input, { sessionToken: s }) } as TestApp, admin, list);
          expect(summary.created, label).toBe(ROWS);
          expect(fingerprint(o.app), label).toEqual(all);
          recovered = true;
        }
      } finally {
        o.app.close();
        remove(dir);
      }
      return r;
    });
    // Kills before and inside the commit must leave nothing; the window is wrong if none did.
    expect(outcomes.none, `seed ${SEED}`).toBeGreaterThan(0);
  }, 240_000);

  it('a visit finalisation is all or nothing, and an unfinished one resumes as a draft', async () => {
    const job: CrashJob = { scenario: 'finalise', visitIds: plan.finalise };
    const first = copyOfBase('finalise-full');
    const timeline = new Timeline(await runChild(first, job, null));
    const after = new Map<number, string>();
    {
      const o = open(first);
      for (const t of plan.finaliseTasks) after.set(t, taskStatus(o, t));
      await checkIntact(o, 'uninterrupted finalise');
      o.app.close();
      remove(first);
    }
    await killedRuns(FINALISE_KILLS, async (run) => {
      const dir = copyOfBase(`finalise-${run}`);
      const r = await runChild(dir, job, timeline.killPoint());
      timeline.observe(r);
      const label = msg('finalise', run, r);
      const o = open(dir);
      try {
        const states = plan.finalise.map((id) => o.app.db.prepare('SELECT state FROM visits WHERE id = ?').pluck().get(id) as string);
        // The child finalises in order: what is finalised is a prefix of its list, the rest still drafts.
        const k = states.filter((s) => s === 'finalised').length;
        expect(states, label).toEqual(plan.finalise.map((_, i) => (i < k ? 'finalised' : 'draft')));
        const staff = await o.signIn('zhangli');
        for (const [i, id] of plan.finalise.entries()) {
          const taskId = plan.finaliseTasks[i]!;
          expect(taskStatus(o, taskId), `${label}: task ${taskId}`).toBe(i < k ? after.get(taskId) : baseStatus.get(taskId));
          if (i < k) continue;
          // The draft resumes from its task with every answer and both signatures, and finalises.
          const v = await o.api('visits.start', { taskId }, staff);
          expect({ id: v.id, state: v.state, signed: v.signatures.length, blockers: v.blockers }, label).toEqual({ id, state: 'draft', signed: 2, blockers: [] });
          expect((await o.api('visits.finalise', { visitId: id }, staff)).state, label).toBe('finalised');
          expect(taskStatus(o, taskId), label).toBe(after.get(taskId));
        }
        await checkIntact(o, label);
      } finally {
        o.app.close();
        remove(dir);
      }
      return r;
    });
  }, 120_000);

  it('a batch countersign is all or nothing', async () => {
    const job: CrashJob = { scenario: 'countersign', batches: plan.countersign };
    const first = copyOfBase('countersign-full');
    const timeline = new Timeline(await runChild(first, job, null));
    const after = new Map<number, string>();
    {
      const o = open(first);
      for (const t of plan.countersignTasks) after.set(t, taskStatus(o, t));
      expect(o.app.db.prepare('SELECT count(*) FROM visit_countersigns').pluck().get()).toBe(plan.countersign.flat().length);
      await checkIntact(o, 'uninterrupted countersign');
      o.app.close();
      remove(first);
    }
    await killedRuns(COUNTERSIGN_KILLS, async (run) => {
      const dir = copyOfBase(`countersign-${run}`);
      const r = await runChild(dir, job, timeline.killPoint());
      timeline.observe(r);
      const label = msg('countersign', run, r);
      const o = open(dir);
      try {
        const signed = (id: number) => o.app.db.prepare('SELECT count(*) FROM visit_countersigns WHERE visit_id = ?').pluck().get(id) as number;
        const perBatch = plan.countersign.map((ids) => ids.map(signed));
        // Each batch wholly or not at all, and in order.
        const k = perBatch.filter((b) => b.every((n) => n === 1)).length;
        expect(perBatch, label).toEqual(plan.countersign.map((ids, i) => ids.map(() => (i < k ? 1 : 0))));
        for (const [i, taskId] of plan.countersignTasks.entries()) {
          const inBatch = Math.floor(i / 2);
          expect(taskStatus(o, taskId), `${label}: task ${taskId}`).toBe(inBatch < k ? after.get(taskId) : baseStatus.get(taskId));
        }
        // The rest can be countersigned afterwards: nothing half-recorded stands in the way.
        const manager = await o.signIn('liuyang');
        for (const ids of plan.countersign.slice(k)) {
          expect(await o.api('countersign.sign', { visitIds: ids, password: 'demo1234', ...fakeSignature('刘洋') }, manager), label).toEqual({ countersigned: ids.length });
        }
        for (const taskId of plan.countersignTasks) expect(taskStatus(o, taskId), label).toBe(after.get(taskId));
        await checkIntact(o, label);
      } finally {
        o.app.close();
        remove(dir);
      }
      return r;
    });
  }, 120_000);

  it('an outbox upload never loses a record nor delivers one twice', async () => {
    // One folder throughout, like a laptop that keeps crashing mid-sync: each run adds records.
    const dir = copyOfBase('outbox');
    let o = open(dir);
    const admin = await o.signIn(ADMIN.adminUsername, ADMIN.adminPassword);
    const { code } = await hq!.admin<{ code: string }>('POST', '/admin/enrolment-codes', { branchCode: BRANCH });
    await o.api('sync.enrol', { serverUrl: hq!.url, branchCode: BRANCH, enrolmentCode: code, deviceName: '崩溃测试笔记本' }, admin);
    const tasks = o.app.db.prepare("SELECT id FROM visit_tasks WHERE kind = 'new_policy' ORDER BY id").pluck().all() as number[];
    let next = plan.outboxOffset;
    /** Finalises a few more visits, so every run has fresh records (new keys) to send. */
    const moreRecords = async () => {
      const staff = await o.signIn('zhangli');
      for (let i = 0; i < 3; i++) await finaliseThrough(o.api, staff, tasks[next++]!);
    };
    // The countersign scenario's records are queued in the base already: out of the way first, so
    // every run starts with the same three.
    expect(await o.app.sync.runOnce(new AbortController().signal)).toMatchObject({ ok: true, uploaded: plan.countersign.flat().length });
    await moreRecords();
    o.app.close();

    /** After a run: what is delivered is at head office once; the rest is pending; then one sync delivers all, once. */
    const check = async (label: string) => {
      o = open(dir);
      const rows = o.app.db.prepare('SELECT record_key AS key, state, answer FROM outbox ORDER BY id').all() as { key: string; state: string; answer: string | null }[];
      expect(rows.length, label).toBe(o.app.db.prepare("SELECT count(*) FROM visits WHERE state = 'finalised'").pluck().get());
      const atHq = await Promise.all(rows.map((row) => hq!.countRows(row.key)));
      debug(label, rows.map((row, i) => `${row.state}/${atHq[i]}`).slice(-3).join(' '));
      for (const [i, row] of rows.entries()) {
        if (row.state === 'delivered') {
          expect({ key: row.key, answer: row.answer, atHq: atHq[i] }, label).toEqual({ key: row.key, answer: expect.stringMatching(/^(accepted|duplicate)$/), atHq: 1 });
        } else {
          expect({ key: row.key, state: row.state, atMostOnce: atHq[i]! <= 1 }, label).toEqual({ key: row.key, state: 'pending', atMostOnce: true });
        }
      }
      expect(await o.app.sync.runOnce(new AbortController().signal), label).toMatchObject({ ok: true });
      const after = o.app.db.prepare('SELECT record_key AS key, state, answer FROM outbox ORDER BY id').all() as typeof rows;
      // What head office already held comes back as a duplicate (a batch the killed child had on
      // the wire may still land after the count above, so an unseen one may be either).
      expect(after, label).toEqual(
        rows.map((row, i) => ({ key: row.key, state: 'delivered', answer: row.state === 'delivered' ? row.answer : atHq[i] === 1 ? 'duplicate' : expect.stringMatching(/^(accepted|duplicate)$/) })),
      );
      for (const row of after) expect(await hq!.countRows(row.key), `${label}: ${row.key}`).toBe(1);
      await checkIntact(o, label);
    };

    try {
      const full = await runChild(dir, { scenario: 'outbox' }, null);
      const timeline = new Timeline(full);
      await check(msg('outbox', 0, full));
      await moreRecords();
      o.app.close();
      await killedRuns(OUTBOX_KILLS, async (run) => {
        const r = await runChild(dir, { scenario: 'outbox' }, timeline.killPoint());
        timeline.observe(r);
        await check(msg('outbox', run, r));
        await moreRecords();
        o.app.close();
        return r;
      });
    } finally {
      o.app.close();
      remove(dir);
    }
  }, 150_000);

  it('a visit being typed resumes as a draft with every answer and the sheet saved', async () => {
    const visitedAt = visitedAtBefore(new Date());
    const job: CrashJob = { scenario: 'draft', taskId: plan.draftTask, visitedAt };
    const first = copyOfBase('draft-full');
    const timeline = new Timeline(await runChild(first, job, null));
    let inProgress: string;
    {
      const o = open(first);
      inProgress = taskStatus(o, plan.draftTask);
      expect(inProgress).not.toBe(baseStatus.get(plan.draftTask));
      o.app.close();
      remove(first);
    }
    await killedRuns(DRAFT_KILLS, async (run) => {
      const dir = copyOfBase(`draft-${run}`);
      const r = await runChild(dir, job, timeline.killPoint());
      timeline.observe(r);
      const label = msg('draft', run, r);
      const o = open(dir);
      try {
        const visits = visitsOfTask(o, plan.draftTask);
        // At most one visit for the task, and a draft: never a second one started beside it.
        expect(visits.map((v) => v.state), label).toEqual(visits.length ? ['draft'] : []);
        // A task with a visit under way says so on the board: the visit and the status commit together.
        expect(taskStatus(o, plan.draftTask), label).toBe(visits.length ? inProgress : baseStatus.get(plan.draftTask));
        const staff = await o.signIn('zhangli');
        let v = await o.api('visits.start', { taskId: plan.draftTask }, staff);
        if (visits.length) expect(v.id, label).toBe(visits[0]!.id);
        const qs = visibleQuestions(v.template, (v.productType ?? undefined) as never);
        // Answered strictly in order: the saved answers are the first n questions, as given.
        const n = v.answers.length;
        expect(v.answers.map((a) => [a.questionId, a.first]).sort(), label).toEqual(qs.slice(0, n).map((q) => [q.id, q.expected]).sort());
        // The sheet is saved after each answer: it says n, or n - 1 when the kill fell between the two.
        const said = v.sheet.summary ? Number(/已问完前 (\d+) 题/.exec(v.sheet.summary)?.[1]) : 0;
        expect([n - 1, n], `${label}: ${v.sheet.summary}`).toContain(said);
        if (n > 0) expect(v.respondent, label).toEqual({ kind: 'in_person' });
        // Pick up where the child stopped and finish the visit.
        if (!v.respondent) v = await o.api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt }, staff);
        for (const q of qs.slice(n)) v = await o.api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer: q.expected }, staff);
        v = await o.api('visits.saveSheet', { visitId: v.id, sheet: { interviewee: '投保人本人', summary: '中断后续访完成' } }, staff);
        v = await o.api('visits.sign', { visitId: v.id, role: 'customer', ...fakeSignature('客户') }, staff);
        v = await o.api('visits.sign', { visitId: v.id, role: 'staff', ...fakeSignature('回访人') }, staff);
        expect((await o.api('visits.finalise', { visitId: v.id }, staff)).state, label).toBe('finalised');
        await checkIntact(o, label);
      } finally {
        o.app.close();
        remove(dir);
      }
      return r;
    });
  }, 120_000);

  it('killed at least 50 times in all', () => {
    expect(kills, `seed ${SEED}`).toBeGreaterThanOrEqual(IMPORT_KILLS + FINALISE_KILLS + COUNTERSIGN_KILLS + OUTBOX_KILLS + DRAFT_KILLS);
  });
});
