import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bareStreamingRead, writeLargeList } from '../data';
import { freshApp, median, OUT, RUNS, timed, type Row } from '../harness';

const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);

interface Measured {
  ms: number;
  peakRss: number;
  created: number;
}

/** Peak resident memory, sampled every 25 ms (and once at the end) while `work` runs. */
async function withPeak(work: () => Promise<number>): Promise<{ ms: number; peakRss: number }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  try {
    const ms = await work();
    return { ms, peakRss: Math.max(peak, process.memoryUsage().rss) };
  } finally {
    clearInterval(sampler);
  }
}

async function importThroughContract(file: string): Promise<Measured> {
  const { app, call, admin, dispose } = freshApp('import');
  const session = await admin();
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
    const { ms, peakRss } = await withPeak(() =>
      timed(async () => {
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
      }),
    );
    // The log is copied back into the file on a second thread after the commit (the app answers
    // meanwhile); the next run must not start beside it.
    await app.checkpoints.idle();
    return { ms, peakRss, created };
  } finally {
    dispose();
  }
}

/**
 * One side of the comparison in a fresh process (see `importChild`): both start alike, and the
 * import's peak memory is its own, not what the exceljs run before it left behind.
 */
function inChild(side: 'import' | 'exceljs', file: string): Measured {
  const script = process.env.BENCH_IMPORT_CHILD;
  if (!script) throw new Error('BENCH_IMPORT_CHILD is not set: run the benchmark with `npm run bench`');
  // Node's default flags, as the app runs (the benchmark itself has a larger heap for its data).
  const r = spawnSync(process.execPath, [script, side, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`${side} run failed (exit ${r.status}): ${r.stdout}`);
  return JSON.parse(line) as Measured;
}

/** The child process's side: measures once and prints the result as one JSON line. */
export async function importChild(side: string, file: string): Promise<void> {
  const m: Measured =
    side === 'import'
      ? await importThroughContract(file)
      : { ...(await withPeak(() => timed(() => bareStreamingRead(file)))), created: 0 };
  console.log(JSON.stringify(m));
}

export async function importCase(): Promise<Row[]> {
  const file = path.join(OUT, `list-${IMPORT_ROWS}.xlsx`);
  if (!fs.existsSync(file)) {
    console.log(`生成 ${IMPORT_ROWS} 行 × 30 列的测试清单…`);
    await writeLargeList(file, IMPORT_ROWS);
  }
  const ours: number[] = [];
  const base: number[] = [];
  let peak = 0;
  for (let i = 0; i < RUNS; i++) {
    base.push(inChild('exceljs', file).ms);
    const r = inChild('import', file);
    if (r.created !== IMPORT_ROWS) throw new Error(`imported ${r.created} of ${IMPORT_ROWS} rows`);
    ours.push(r.ms);
    peak = Math.max(peak, r.peakRss);
    console.log(`  第 ${i + 1} 轮：导入 ${(r.ms / 1000).toFixed(1)} s（内存峰值 ${(r.peakRss / 1048576).toFixed(0)} MB），exceljs 流式读取 ${(base.at(-1)! / 1000).toFixed(1)} s`);
  }
  const ratio = median(ours) / median(base);
  return [
    { case: `导入 ${IMPORT_ROWS} 行×30 列（读取、校验、计算期限、写入）`, ours: median(ours), baseline: median(base), unit: 'ms', ratio, target: '比值 ≤ 1.3', pass: ratio <= 1.3 },
    { case: '导入时进程内存峰值', ours: peak / 1048576, baseline: null, unit: 'MB', ratio: null, target: '≤ 400 MB', pass: peak / 1048576 <= 400 },
  ];
}
