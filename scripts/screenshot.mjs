// Takes the README screenshots: starts browser mode on a fresh data folder, sets up a branch with
// the demo data through the contract, and photographs the task board and the rule try-out in
// headless Chromium.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from './build.mjs';
import { CHROMIUM_ARGS, NO_CHROMIUM_MESSAGE, findChromium } from './chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const executablePath = findChromium();
if (!executablePath) throw new Error(NO_CHROMIUM_MESSAGE);
await build();

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-shot-'));
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
  if (!body.ok) throw new Error(body.error.message);
  return body.value;
};

const out = path.join(root, 'docs');
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 820 }, locale: 'zh-CN' });
  await page.goto(url);
  await page.getByText('首次使用').waitFor();
  await page.screenshot({ path: path.join(out, 'screenshot-setup.png') });

  const admin = await api('setup.init', { branchName: '济南中心支公司', branchCode: '370100', adminUsername: 'admin', adminDisplayName: '系统管理员', adminPassword: 'admin-pass-1' });
  await api('demo.load', {}, admin.sessionToken);
  await page.goto(url);
  await page.locator('#signin-username').fill('zhangli');
  await page.locator('#signin-password').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.ant-table-row').first().waitFor();
  await page.screenshot({ path: path.join(out, 'screenshot-tasks.png') });

  // 设置 → 规则与日历 → 试算: why a problem case handed down before National Day is due on the make-up Saturday.
  await page.getByRole('menuitem', { name: '设置' }).click();
  await page.getByRole('tab', { name: '试算' }).click();
  await page.locator('#try-kind').click();
  await page.locator('#try-kind').fill('问题件处理');
  await page.locator('.ant-select-item-option[title="问题件处理"]').click();
  await page.locator('#try-workOrderDate').fill('2026-09-30');
  await page.getByTestId('try-form').getByRole('button', { name: '试算' }).click();
  await page.getByTestId('try-explanation').waitFor();
  await page.mouse.move(0, 0); // no hover highlight on the button
  await page.screenshot({ path: path.join(out, 'screenshot-rules.png') });
  console.log('截图已保存到 docs/');
} finally {
  await browser.close();
  server.kill();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
