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
import { bareStreamingRead, fillTasks, writeLargeList } from './data';

const OUT = path.resolve('.bench');
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const SEARCH_TASKS = Number(process.env.BENCH_SEARCH_TASKS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

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
  return { app, call, admin, dispose: () => (app.close(), fs.rmSync(dir, { recursive: true, force: true })) };
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

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const rows: Row[] = [];
  const only = process.argv.slice(2);
  const cases: [string, () => Promise<Row[]>][] = [
    ['import', importCase],
    ['search', searchCase],
    ['board', boardCase],
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
