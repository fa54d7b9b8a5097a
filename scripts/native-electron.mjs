// Builds better-sqlite3-multiple-ciphers for the Electron runtime into native/electron-<version>/, apart from the
// Node build in node_modules that tests and browser mode use. The desktop main process loads it
// through better-sqlite3's `nativeBinding` option, so `npm test` and `npm start` both work after
// one install, in either order, without rebuilding node_modules back and forth.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

export function electronNativePath(version) {
  return path.join(root, 'native', `electron-${version}`, 'better_sqlite3.node');
}

export function ensureElectronNative() {
  const version = require('electron/package.json').version;
  const out = electronNativePath(version);
  if (fs.existsSync(out)) return out;

  const src = path.dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'visitdesk-native-'));
  try {
    fs.cpSync(src, work, { recursive: true, filter: (p) => !p.startsWith(path.join(src, 'build')) });
    const run = (args) => spawnSync(process.execPath, args, { cwd: work, stdio: 'inherit' }).status === 0;
    const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
    const common = [`--target=${version}`, `--arch=${process.arch}`];
    // A prebuilt binary when one can be downloaded, else a compile against Electron's headers.
    if (!run([require.resolve('prebuild-install/bin.js'), '--runtime=electron', ...common]) || !fs.existsSync(built)) {
      const gyp = require.resolve('node-gyp/bin/node-gyp.js');
      if (!run([gyp, 'rebuild', '--release', '--runtime=electron', '--dist-url=https://electronjs.org/headers', ...common])) {
        throw new Error(`无法为 Electron ${version} 编译 better-sqlite3-multiple-ciphers（需要网络下载 Electron 头文件）`);
      }
    }
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.copyFileSync(built, out);
    return out;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`Electron 版 better-sqlite3-multiple-ciphers：${ensureElectronNative()}`);
}
