/**
 * `npm run bench`: speed at branch scale, measured as ratios against a baseline run in the same
 * process, side by side (the machines are shared and noisy). Prints one table and writes
 * .bench/results.json. Not part of `npm test`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../../electron/app/create-app';
import type { MethodInput, MethodName } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/envelope';
import { randomBytes } from 'node:crypto';
import type { VisitView } from '../../shared/api/contract';
import { visibleQuestions } from '../../shared/questionnaire';
import { MAX_BATCH_RECORDS } from '../../shared/sync/protocol';
import { buildSyncRecord } from '../../electron/sync/record-payload';
import { startHqServer } from '../hq/hq-server';
import { bareStreamingRead, fillTasks, writeLargeList } from './data';

const OUT = path.resolve('.bench');
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const SEARCH_TASKS = Number(process.env.BENCH_SEARCH_TASKS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SYNC_RECORDS = Number(process.env.BENCH_SYNC_RECORDS ?? 10_000);

interface Row {
  case: string;
  ours: number;
  baseline: number | null;
  unit: string;
  ratio: number | null;
  target: string;
  pass: boolean;
  note?: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? NaN;

async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function freshApp(name: string) {
  const dir = path.join(OUT, `${name}-${process.pid}-${Date.now()}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const app = createApp({ dataDir: dir, transport: 'browser', log: () => {} });
  const call = async <M extends MethodName>(m: M, input: MethodInput<M>, session?: string) => {
    const r = (await app.call(m, input, { sessionToken: session })) as Envelope<never>;
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
    return r.value as never;
  };
  const admin = async (): Promise<string> => {
    const r: { sessionToken: string } = await call('setup.init', { branchName: '基准测试', branchCode: 'BENCH', adminUsername: 'admin', adminDisplayName: '管理员', adminPassword: 'bench-pass-1' });
    return r.sessionToken;
  };
  return {
    app,
    call,
    admin,
    dispose: () => {
      app.close();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(`${dir}.key`, { force: true });
    },
  };
}

async function importThroughContract(file: string): Promise<{ ms: number; peakRss: number; created: number }> {
  const { call, admin, dispose } = freshApp('import');
  const session = await admin();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  const waitJob = async (jobId: string) => {
    for (;;) {
      const v: { state: string; error: { message: string } | null } = await call('jobs.get', { jobId }, session);
      if (v.state === 'done') return;
      if (v.state !== 'running') throw new Error(v.error?.message);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  try {
    let created = 0;
    const ms = await timed(async () => {
      const bytes = fs.readFileSync(file);
      const { uploadId, chunkSize }: { uploadId: string; chunkSize: number } = await call('uploads.begin', { fileName: path.basename(file), size: bytes.length }, session);
      for (let o = 0; o < bytes.length; o += chunkSize) {
        await call('uploads.chunk', { uploadId, offset: o, dataBase64: bytes.subarray(o, o + chunkSize).toString('base64') }, session);
      }
      await call('uploads.finish', { uploadId }, session);
      const probe: { mapping: Record<string, number> } = await call('import.probe', { uploadId }, session);
      const { jobId }: { jobId: string } = await call('import.preview', { uploadId, mapping: probe.mapping, defaultKind: 'new_policy' }, session);
      await waitJob(jobId);
      const commit: { jobId: string } = await call('import.commit', { previewJobId: jobId }, session);
      await waitJob(commit.jobId);
      created = ((await call('import.commitResult', { jobId: commit.jobId }, session)) as { created: number }).created;
    });
    return { ms, peakRss: peak, created };
  } finally {
    clearInterval(sampler);
    dispose();
  }
}

async function importCase(): Promise<Row[]> {
  const file = path.join(OUT, `list-${IMPORT_ROWS}.xlsx`);
  if (!fs.existsSync(file)) {
    console.log(`生成 ${IMPORT_ROWS} 行 × 30 列的测试清单…`);
    await writeLargeList(file, IMPORT_ROWS);
  }
  const ours: number[] = [];
  const base: number[] = [];
  let peak = 0;
  for (let i = 0; i < RUNS; i++) {
    base.push(await timed(() => bareStreamingRead(file)));
    const r = await importThroughContract(file);
    if (r.created !== IMPORT_ROWS) throw new Error(`imported ${r.created} of ${IMPORT_ROWS} rows`);
    ours.push(r.ms);
    peak = Math.max(peak, r.peakRss);
    console.log(`  第 ${i + 1} 轮：导入 ${(r.ms / 1000).toFixed(1)} s，exceljs 流式读取 ${(base.at(-1)! / 1000).toFixed(1)} s`);
  }
  const ratio = median(ours) / median(base);
  return [
    { case: `导入 ${IMPORT_ROWS} 行×30 列（读取、校验、计算期限、写入）`, ours: median(ours), baseline: median(base), unit: 'ms', ratio, target: '比值 ≤ 1.3', pass: ratio <= 1.3 },
    { case: '导入时进程内存峰值', ours: peak / 1048576, baseline: null, unit: 'MB', ratio: null, target: '≤ 400 MB', pass: peak / 1048576 <= 400 },
  ];
}

async function searchCase(): Promise<Row[]> {
  const { app, call, admin, dispose } = freshApp('search');
  try {
    const session = await admin();
    console.log(`写入 ${SEARCH_TASKS} 个任务…`);
    fillTasks(app.db, SEARCH_TASKS);
    const samples = app.db.prepare('SELECT c.name, c.phone, p.policy_no FROM customers c JOIN policies p ON p.applicant_id = c.id WHERE c.id % 9973 = 1 LIMIT 40').all() as { name: string; phone: string; policy_no: string }[];
    const queries = samples.flatMap((s) => [s.name, s.phone.slice(3, 9), s.policy_no.slice(-7)]);
    const rawFts = app.db.prepare('SELECT rowid FROM task_search WHERE task_search MATCH ? LIMIT 100');
    const rawName = app.db.prepare('SELECT id FROM customers WHERE name >= ? AND name < ? || char(1114111) LIMIT 100');
    const ours: number[] = [];
    const base: number[] = [];
    for (const q of queries) {
      base.push(await timed(() => ([...q].length >= 3 ? rawFts.all(`"${q}"`) : rawName.all(q, q))));
      ours.push(await timed(() => call('tasks.list', { search: q, limit: 100 }, session)));
    }
    return [
      { case: `搜索 ${SEARCH_TASKS} 个任务（经接口，p95）`, ours: p95(ours), baseline: p95(base), unit: 'ms', ratio: p95(ours) / p95(base), target: 'p95 ≤ 15 ms，比值 ≤ 3', pass: p95(ours) <= 15 && p95(ours) / p95(base) <= 3, note: '基线为裸 FTS5 查询（两字姓名为姓名索引前缀查询）' },
    ];
  } finally {
    dispose();
  }
}

/** The board's scrolling: windows of 200 rows at random offsets, as the virtual table asks for them. */
async function boardCase(): Promise<Row[]> {
  const { app, call, admin, dispose } = freshApp('board');
  try {
    const session = await admin();
    fillTasks(app.db, 100_000);
    const raw = app.db.prepare("SELECT id FROM visit_tasks ORDER BY ifnull(due_on, '9999-12-31'), id LIMIT 200 OFFSET ?");
    const ours: number[] = [];
    const base: number[] = [];
    const overdue: number[] = [];
    for (let i = 0; i < 60; i++) {
      const offset = Math.floor(((i * 7919) % 100) * 998);
      base.push(await timed(() => raw.all(offset)));
      ours.push(await timed(() => call('tasks.list', { offset, limit: 200 }, session)));
      if (i < 20) overdue.push(await timed(() => call('tasks.list', { due: 'overdue', offset: 0, limit: 200 }, session)));
    }
    return [
      { case: '任务列表取一屏 200 行（100,000 任务，经接口，p95）', ours: p95(ours), baseline: p95(base), unit: 'ms', ratio: p95(ours) / p95(base), target: '≤ 150 ms', pass: p95(ours) <= 150, note: '基线为同序裸 SQL' },
      { case: '筛选「已逾期」后取首屏（100,000 任务，p95）', ours: p95(overdue), baseline: null, unit: 'ms', ratio: null, target: '≤ 150 ms', pass: p95(overdue) <= 150 },
    ];
  } finally {
    dispose();
  }
}

/**
 * Upload of SYNC_RECORDS finalised records with two ~15 KB signatures each to the reference
 * server on loopback, through the real client (outbox, payloads built from the database, batches,
 * validated answers, outbox updates), versus POSTing the same batch bodies with bare fetch to a
 * second, fresh reference server (so both pay the same server-side work).
 */
async function syncCase(): Promise<Row[]> {
  const n = SYNC_RECORDS;
  const { app, call, admin, dispose } = freshApp('sync');
  const session = await admin();
  await call('demo.load', {}, session);
  const staff: { sessionToken: string } = await call('auth.signIn', { username: 'zhangli', password: 'demo1234' });
  const template = await finaliseOne(call, app, staff.sessionToken);
  cloneFinalised(app.db, template, n - 1);
  const installId = app.sync.installId();
  const dirs = [path.join(OUT, `hq-a-${process.pid}`), path.join(OUT, `hq-b-${process.pid}`)];
  const seed = { branches: [{ code: 'BENCH', name: '基准测试' }], enrolmentCodes: [{ branchCode: 'BENCH', code: 'BENCH-A-0001' }, { branchCode: 'BENCH', code: 'BENCH-B-0001' }] };
  const [a, b] = await Promise.all(dirs.map((d) => startHqServer({ dataDir: d, port: 0, seed })));
  try {
    // Baseline: the same bodies, pre-built, POSTed with bare fetch.
    const enrol = await (await fetch(`${a!.url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ branchCode: 'BENCH', enrolmentCode: 'BENCH-A-0001', deviceName: 'bench', installId }) })).json() as { deviceToken: string };
    const rows = app.db.prepare('SELECT visit_id, record_key FROM outbox ORDER BY id').all() as { visit_id: number; record_key: string }[];
    const bodies: string[] = [];
    for (let i = 0; i < rows.length; i += MAX_BATCH_RECORDS) {
      bodies.push(JSON.stringify({ records: rows.slice(i, i + MAX_BATCH_RECORDS).map((r) => buildSyncRecord(app.db, r.visit_id, r.record_key, installId)) }));
    }
    const base = await timed(async () => {
      for (const body of bodies) {
        const res = await fetch(`${a!.url}/v1/records/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${enrol.deviceToken}` }, body });
        await res.text();
      }
    });
    bodies.length = 0;
    await call('sync.enrol', { serverUrl: b!.url, branchCode: 'BENCH', enrolmentCode: 'BENCH-B-0001', deviceName: 'bench' }, session);
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    let result: Awaited<ReturnType<typeof app.sync.runOnce>> | null = null;
    const ours = await timed(async () => {
      result = await app.sync.runOnce(new AbortController().signal);
    });
    clearInterval(sampler);
    if (!result || !(result as { ok: boolean }).ok) throw new Error(`sync failed: ${JSON.stringify(result)}`);
    const delivered = app.db.prepare("SELECT count(*) FROM outbox WHERE state = 'delivered'").pluck().get() as number;
    return [
      { case: `同步上传 ${n} 份定稿记录（各含两个约 15 KB 签名）`, ours, baseline: base, unit: 'ms', ratio: ours / base, target: '比值 ≤ 1.5', pass: ours / base <= 1.5 && delivered === n, note: `基线为裸 fetch 逐批 POST 相同内容；送达 ${delivered} 份` },
      { case: '同步上传时进程内存增量峰值', ours: (peak - rss0) / 1048576, baseline: null, unit: 'MB', ratio: null, target: '平稳（≤ 200 MB，不整体载入发件箱）', pass: (peak - rss0) / 1048576 <= 200 },
    ];
  } finally {
    await Promise.all([a!.close(), b!.close()]);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    dispose();
  }
}

async function finaliseOne(call: ReturnType<typeof freshApp>['call'], app: ReturnType<typeof freshApp>['app'], s: string): Promise<number> {
  const taskId = app.db.prepare("SELECT id FROM visit_tasks WHERE kind = 'new_policy' ORDER BY id LIMIT 1").pluck().get() as number;
  let v: VisitView = await call('visits.start', { taskId }, s);
  v = await call('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: localMinute(new Date(Date.now() - 3_600_000)) }, s);
  for (const q of visibleQuestions(v.template, (v.productType ?? undefined) as never)) v = await call('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer: q.expected }, s);
  v = await call('visits.saveSheet', { visitId: v.id, sheet: { interviewee: '投保人本人', summary: '逐项确认' } }, s);
  const stroke = (y0: number) => Array.from({ length: 30 }, (_, i) => ({ x: 20 + i * 7, y: y0 + Math.sin(i / 2) * 12, t: i * 15 }));
  const sig = (name: string) => ({ signerName: name, strokes: [stroke(40), stroke(70)], png: `data:image/png;base64,${realisticPng().toString('base64')}` });
  v = await call('visits.sign', { visitId: v.id, role: 'customer', ...sig('客户') }, s);
  v = await call('visits.sign', { visitId: v.id, role: 'staff', ...sig('回访人') }, s);
  v = await call('visits.finalise', { visitId: v.id }, s);
  return v.id;
}

/** A PNG-headed blob the size of a real handwritten signature (~15 KB). */
function realisticPng(): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(15_000)]);
}

const localMinute = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** Copies one finalised record (answers, signatures) n times, each queued in the outbox, in one transaction. */
function cloneFinalised(db: ReturnType<typeof freshApp>['app']['db'], visitId: number, n: number): void {
  const installId = db.prepare('SELECT install_id FROM sync_state').pluck().get() as string;
  const cols = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('visits') as string[]).filter((c) => c !== 'id' && c !== 'record_no');
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const recordNo = `BENCH-${String(i).padStart(6, '0')}`;
      const id = Number(db.prepare(`INSERT INTO visits (record_no, ${cols.join(', ')}) SELECT ?, ${cols.join(', ')} FROM visits WHERE id = ?`).run(recordNo, visitId).lastInsertRowid);
      db.prepare('INSERT INTO visit_answers SELECT ?, question_id, first_answer, after_explanation, note, answered_at FROM visit_answers WHERE visit_id = ?').run(id, visitId);
      db.prepare('INSERT INTO visit_signatures (visit_id, role, signer_name, signed_at, png, content_hash, signature_hash) SELECT ?, role, signer_name, signed_at, ?, content_hash, signature_hash FROM visit_signatures WHERE visit_id = ?').run(id, realisticPng(), visitId);
      db.prepare('INSERT INTO outbox (visit_id, record_key, queued_at) VALUES (?, ?, ?)').run(id, `${installId}/${recordNo}/1`, new Date().toISOString());
    }
  })();
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const rows: Row[] = [];
  const only = process.argv.slice(2);
  const cases: [string, () => Promise<Row[]>][] = [
    ['import', importCase],
    ['search', searchCase],
    ['board', boardCase],
    ['sync', syncCase],
  ];
  for (const [name, run] of cases) {
    if (only.length && !only.includes(name)) continue;
    console.log(`▶ ${name}`);
    rows.push(...(await run()));
  }
  const fmt = (n: number | null, unit = '') => (n === null ? '—' : `${n >= 100 ? n.toFixed(0) : n.toFixed(2)}${unit}`);
  console.log('\n| 用例 | 本程序中位数 | 基线中位数 | 比值 | 目标 | 结果 |\n|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.case} | ${fmt(r.ours, ` ${r.unit}`)} | ${fmt(r.baseline, r.baseline === null ? '' : ` ${r.unit}`)} | ${fmt(r.ratio)} | ${r.target} | ${r.pass ? '达标' : '未达标'}${r.note ? `（${r.note}）` : ''} |`);
  }
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ at: new Date().toISOString(), rows }, null, 2));
  console.log(`\n结果已写入 ${path.join(OUT, 'results.json')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
