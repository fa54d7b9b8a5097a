// `npm run bench`: bundles test/bench/run.ts with esbuild (the benchmark runs our TypeScript for
// real, outside vitest) and runs it. Arguments pick cases: `npm run bench -- import`.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// One bundle per run: two runs at once (or a run beside a rebuild) must not swap each other's script.
const out = path.join(root, '.bench', `run-${process.pid}.cjs`);
// The import is measured in processes of its own, holding only the app's code (see cases/import.ts).
const child = path.join(root, '.bench', `import-child-${process.pid}.cjs`);
const bundle = (entry, outfile) =>
  build({
    entryPoints: [path.join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3-multiple-ciphers', 'exceljs'],
    logLevel: 'warning',
  });
await Promise.all([bundle('test/bench/run.ts', out), bundle('test/bench/import-child.ts', child)]);
const r = spawnSync(process.execPath, ['--max-old-space-size=4096', '--expose-gc', out, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, BENCH_IMPORT_CHILD: child },
});
fs.rmSync(out, { force: true });
fs.rmSync(child, { force: true });
process.exit(r.status ?? 1);
