import { browserModeUrl } from '../../support/browser-mode-url';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Playwright from 'playwright-core';
import { CHROMIUM_ARGS, NO_CHROMIUM_MESSAGE, findChromium } from '../../../scripts/chromium.mjs';
import { freshApp, median, OUT, RUNS, type Row } from '../harness';
import { ADMIN, copyBranch, millionBranch } from '../million';

const TASKS = Number(process.env.BENCH_STARTUP_TASKS ?? 1_000_000);

// playwright-core cannot be bundled by esbuild (it reads its own package.json at run time); loaded
// only when this case runs.
const playwright = () => createRequire(__filename)('playwright-core') as typeof Playwright;

/**
 * Start-up of browser mode with a big data folder (the kept branch of TASKS tasks with as many
 * finalised records, see ../million.ts), from spawning `node browser-main.cjs`:
 * 1. to the first usable screen: the bridge has answered `app.status` and the sign-in form is
 *    painted in headless Chromium (a fresh browser context each time, nothing cached; the
 *    browser itself already running, as a user's is);
 * 2. to the first data: over HTTP, `app.status`, a sign-in and the board's first window.
 * Baseline: the same on a data folder with only the first run's setup done. The target is the
 * absolute time; migrations and start-up checks must not scan tables.
 */
export async function startupCase(): Promise<Row[]> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(NO_CHROMIUM_MESSAGE);
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('构建失败');
  // Copies of the built app, so a rebuild of dist/ by someone else during the run changes nothing here.
  const appDir = path.join(OUT, `startup-app-${process.pid}`);
  fs.mkdirSync(appDir, { recursive: true });
  fs.copyFileSync(path.resolve('dist/electron/browser-main.cjs'), path.join(appDir, 'browser-main.cjs'));
  fs.cpSync(path.resolve('dist/renderer'), path.join(appDir, 'renderer'), { recursive: true });

  const branch = await millionBranch(TASKS);
  console.log('复制数据文件夹…');
  const big = copyBranch(branch, 'startup');
  const empty = freshApp('startup-empty');
  await empty.admin();
  empty.app.close();
  let browser: Playwright.Browser | undefined;
  try {
    browser = await playwright().chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    const page = { ours: [] as number[], base: [] as number[], listening: [] as number[], baseListening: [] as number[] };
    const window = { ours: [] as number[], base: [] as number[] };
    // Untimed first starts: the file cache warm, as on a PC in use.
    await startToSignIn(browser, appDir, big.dir);
    await startToSignIn(browser, appDir, empty.app.dataDir);
    for (let i = 0; i < RUNS; i++) {
      const b = await startToSignIn(browser, appDir, empty.app.dataDir);
      page.base.push(b.total);
      page.baseListening.push(b.listening);
      const o = await startToSignIn(browser, appDir, big.dir);
      page.ours.push(o.total);
      page.listening.push(o.listening);
      window.base.push((await startToFirstWindow(appDir, empty.app.dataDir)).total);
      window.ours.push((await startToFirstWindow(appDir, big.dir)).total);
    }
    const row = (name: string, r: { ours: number[]; base: number[] }, note: string): Row => ({
      case: name,
      ours: median(r.ours),
      baseline: median(r.base),
      unit: 'ms',
      ratio: median(r.ours) / median(r.base),
      target: '≤ 2 s',
      pass: Math.max(...r.ours) <= 2000,
      note: `${RUNS} 次，最慢 ${Math.max(...r.ours).toFixed(0)} ms；${note}`,
    });
    return [
      row(
        `浏览器模式启动到登录页可用（${TASKS} 个任务及同数定稿记录；app.status 应答且无缓存的新页面绘出登录表单）`,
        page,
        `进程启动到监听 ${median(page.listening).toFixed(0)} ms（空库 ${median(page.baseListening).toFixed(0)} ms），其余为页面加载；基线为空数据库（仅完成初始设置）`,
      ),
      row(`浏览器模式启动到首屏数据（同上数据；经 HTTP：app.status、登录、任务列表首屏 200 行）`, window, '基线为空数据库（仅完成初始设置，首屏为空）'),
    ];
  } finally {
    await browser?.close();
    big.dispose();
    empty.dispose();
    fs.rmSync(appDir, { recursive: true, force: true });
  }
}

type Api = (method: string, input: unknown, session?: string) => Promise<unknown>;

/**
 * Spawns browser mode on the folder, waits for its address, runs `probe` (given the address and
 * a contract caller over HTTP) and stops it. Returns the time from spawn to the end of the probe,
 * and to the address being printed (the server listening).
 */
async function timedStart(appDir: string, dataDir: string, probe: (url: string, api: Api) => Promise<void>): Promise<{ total: number; listening: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(appDir, 'browser-main.cjs')], {
    env: { ...process.env, VISITDESK_DATA: dataDir, VISITDESK_PORT: '0', VISITDESK_STATIC: path.join(appDir, 'renderer') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await browserModeUrl(child, 60_000);
    const listening = performance.now() - t0;
    const { origin, searchParams } = new URL(url);
    const api: Api = async (method, input, session) => {
      const res = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${searchParams.get('token')}` },
        body: JSON.stringify({ input, session: session ?? null }),
      });
      const body = (await res.json()) as { ok: boolean; value?: unknown };
      if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body)}`);
      return body.value;
    };
    await probe(url, api);
    return { total: performance.now() - t0, listening };
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}

/** Until the bridge has answered app.status and the sign-in form is painted (a fresh browser context, nothing cached). */
async function startToSignIn(browser: Playwright.Browser, appDir: string, dataDir: string): Promise<{ total: number; listening: number }> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
  try {
    return await timedStart(appDir, dataDir, async (url, api) => {
      const status = async () => {
        const s = (await api('app.status', {})) as { setupDone: boolean };
        if (!s.setupDone) throw new Error('app.status: setup not done');
      };
      const signInForm = async () => {
        const page = await context.newPage();
        await page.goto(url);
        await page.locator('#signin-username').waitFor({ state: 'visible', timeout: 60_000 });
      };
      await Promise.all([status(), signInForm()]);
    });
  } finally {
    await context.close();
  }
}

/** Until, over HTTP, app.status has answered, the administrator has signed in and the board's first window of 200 rows has come back. */
async function startToFirstWindow(appDir: string, dataDir: string): Promise<{ total: number; listening: number }> {
  return timedStart(appDir, dataDir, async (_url, api) => {
    await api('app.status', {});
    const { sessionToken } = (await api('auth.signIn', ADMIN)) as { sessionToken: string };
    await api('tasks.list', { offset: 0, limit: 200 }, sessionToken);
  });
}
