// `npm run hq`: bundles test/hq/cli.ts with esbuild (like bench.mjs) and runs the reference
// head-office server. Arguments pass through: `npm run hq -- --port 9000 --branch GZ01`.
import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Under node_modules/.cache: ignored by git already, and `require` of the external native module
// still resolves from there to the project's node_modules.
const out = path.join(root, 'node_modules', '.cache', 'visitdesk-hq', 'cli.cjs');
await build({
  entryPoints: [path.join(root, 'test/hq/cli.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3-multiple-ciphers'],
  logLevel: 'warning',
});

const child = spawn(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit' });
// The server closes its database on SIGINT/SIGTERM; pass them on rather than dying first and
// leaving it running (a terminal's Ctrl+C reaches both, a `kill` only reaches us).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
