// Starts the built app in browser mode on a fresh data folder for the screenshot scripts, and
// calls the contract over its loopback bridge with the run's token.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from './build.mjs';
import { CHROMIUM_ARGS, NO_CHROMIUM_MESSAGE, findChromium } from './chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function startSession(prefix = 'vd-shot-') {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(NO_CHROMIUM_MESSAGE);
  await build();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const server = spawn(process.execPath, [path.join(root, 'dist/electron/browser-main.cjs')], {
    env: { ...process.env, VISITDESK_DATA: dataDir, VISITDESK_PORT: '0' },
  });
  const url = await new Promise((resolve) => {
    let out = '';
    server.stdout.on('data', (c) => {
      out += c;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) resolve(m[1]);
    });
  });
  const { origin, searchParams } = new URL(url);
  const api = async (method, input, session) => {
    const res = await fetch(`${origin}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${searchParams.get('token')}` },
      body: JSON.stringify({ input, session }),
    });
    const body = await res.json();
    if (!body.ok) throw new Error(`${method}: ${body.error.message}`);
    return body.value;
  };
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  return {
    root,
    dataDir,
    url,
    api,
    browser,
    close: async () => {
      await browser.close();
      server.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
