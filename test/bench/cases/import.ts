import fs from 'node:fs';
import path from 'node:path';
import { bareStreamingRead, writeLargeList } from '../data';

const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
import { freshApp, median, OUT, RUNS, timed, type Row } from '../harness';

async function importThroughContract(file: string): Promise<{ ms: number; peakRss: number; created: number }> {
  const { call, admin, dispose } = freshApp('import');
  const session = await admin();
  // The baseline's garbage is collected first, so the peak is the import's own.
  (globalThis as { gc?: () => void }).gc?.();
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

