/**
 * `npm run bench`: speed at branch scale, measured as ratios against a baseline run in the same
 * process, side by side (the machines are shared and noisy). Prints one table and writes
 * .bench/results.json. Not part of `npm test`. Each case lives in cases/<name>.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { boardCase } from './cases/board';
import { boardUiCase } from './cases/board-chromium';
import { exportCase } from './cases/export';
import { finaliseCase } from './cases/finalise';
import { importCase } from './cases/import';
import { searchCase } from './cases/search';
import { startupCase } from './cases/startup';
import { syncCase } from './cases/sync';
import { OUT, type Row } from './harness';

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const rows: Row[] = [];
  const only = process.argv.slice(2);
  const cases: [string, () => Promise<Row[]>][] = [
    ['import', importCase],
    ['search', searchCase],
    ['board', boardCase],
    ['board-ui', boardUiCase],
    ['sync', syncCase],
    ['finalise', finaliseCase],
    ['export', exportCase],
    ['startup', startupCase],
  ];
  // Wall time per case, data generation included: the whole run has to fit in 15 minutes.
  const took: string[] = [];
  const all = performance.now();
  for (const [name, run] of cases) {
    if (only.length && !only.includes(name)) continue;
    console.log(`▶ ${name}`);
    const started = performance.now();
    rows.push(...(await run()));
    took.push(`${name} ${((performance.now() - started) / 1000).toFixed(0)} s`);
    console.log(`  ${name} 用时 ${took[took.length - 1]!.slice(name.length + 1)}`);
  }
  const fmt = (n: number | null, unit = '') => (n === null ? '—' : `${n >= 100 ? n.toFixed(0) : n.toFixed(2)}${unit}`);
  console.log('\n| 用例 | 本程序中位数 | 基线中位数 | 比值 | 目标 | 结果 |\n|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.case} | ${fmt(r.ours, ` ${r.unit}`)} | ${fmt(r.baseline, r.baseline === null ? '' : ` ${r.unit}`)} | ${fmt(r.ratio)} | ${r.target} | ${r.pass ? '达标' : '未达标'}${r.note ? `（${r.note}）` : ''} |`);
  }
  console.log(`\n各用例用时（含生成数据）：${took.join('，')}；合计 ${((performance.now() - all) / 1000).toFixed(0)} s`);
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ at: new Date().toISOString(), rows, took }, null, 2));
  console.log(`\n结果已写入 ${path.join(OUT, 'results.json')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
