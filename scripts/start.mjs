// `npm start`: the desktop app where the Electron runtime is installed; otherwise one line saying
// so, and the very same app in browser mode on 127.0.0.1.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';
import { ensureElectronNative } from './native-electron.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

function electronBinary() {
  try {
    const p = require('electron'); // the package exports the binary's path, or throws if it has none
    return typeof p === 'string' && fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function tryInstallElectron() {
  // Our package.json keeps npm from running Electron's download at install time (it fails offline
  // and would fail the whole install); try it here once, quietly.
  try {
    const script = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
    spawnSync(process.execPath, [script], { stdio: 'ignore', timeout: 120_000 });
  } catch {
    // No electron package at all: browser mode.
  }
  return electronBinary();
}

await build();
const electron = electronBinary() ?? tryInstallElectron();
let native = null;
if (electron) {
  try {
    native = ensureElectronNative();
  } catch (err) {
    console.log(`Electron 版数据库模块不可用（${err.message}），改用浏览器模式。`);
  }
}

const run = (cmd, args) => {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
};

if (electron && native) {
  run(electron, ['.']);
} else {
  if (!electron) console.log('本机无法安装 Electron 运行时，改用浏览器模式启动（Electron runtime not available; starting browser mode).');
  run(process.execPath, [path.join(root, 'dist', 'electron', 'browser-main.cjs')]);
}
