// Builds the renderer (Vite) and the main-process entries (esbuild) into dist/.
// Skips work when nothing under the sources changed since the last build (`--force` to rebuild).
import { build as esbuild } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as viteBuild } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.build-stamp');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function newestMtime(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, name)));
  return newest;
}

export async function build({ force = false, quiet = false } = {}) {
  const sources = ['renderer', 'shared', 'electron', 'package.json', 'vite.config.mts'].map((p) => path.join(root, p));
  const newest = Math.max(...sources.map(newestMtime));
  if (!force && fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= newest) return;

  await viteBuild({ configFile: path.join(root, 'vite.config.mts'), logLevel: quiet ? 'error' : 'warn' });
  await esbuild({
    entryPoints: {
      main: path.join(root, 'electron/shell/main.ts'),
      preload: path.join(root, 'electron/shell/preload.ts'),
      'browser-main': path.join(root, 'electron/browser-main.ts'),
    },
    outdir: path.join(dist, 'electron'),
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    external: ['electron', 'better-sqlite3-multiple-ciphers'],
    define: { __APP_VERSION__: JSON.stringify(pkg.version) },
    logLevel: 'warning',
  });
  fs.writeFileSync(stamp, new Date().toISOString());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build({ force: process.argv.includes('--force') });
  console.log('构建完成：dist/renderer 与 dist/electron');
}
