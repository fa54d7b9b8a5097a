// Builds the renderer (Vite) and the main-process entries (esbuild) into dist/.
// Skips work when nothing under the sources changed since the last build (`--force` to rebuild).
import { build as esbuild } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
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

/**
 * Brotli and gzip copies beside every text file of the renderer, made once here so that browser
 * mode's bridge sends a quarter of the bytes without compressing per request (the desktop reads
 * the plain files from disk and ignores these).
 */
function precompress(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) precompress(file);
    else if (/\.(js|css|html|svg|json)$/.test(entry.name)) {
      const bytes = fs.readFileSync(file);
      if (bytes.length < 1024) continue;
      fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
      fs.writeFileSync(`${file}.gz`, zlib.gzipSync(bytes, { level: 9 }));
    }
  }
}

export async function build({ force = false, quiet = false } = {}) {
  const sources = ['renderer', 'shared', 'electron', 'package.json', 'vite.config.mts'].map((p) => path.join(root, p));
  const newest = Math.max(...sources.map(newestMtime));
  if (!force && fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= newest) return;

  // Always React's and antd's production code, also when the build is started from the e2e tests
  // (vitest sets NODE_ENV=test): that used to make a development bundle (several times slower,
  // and antd's style names differ) which later runs, the benchmark included, then reused.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await viteBuild({ configFile: path.join(root, 'vite.config.mts'), logLevel: quiet ? 'error' : 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  precompress(path.join(dist, 'renderer'));
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
