import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/envelope';
import { build } from '../../scripts/build.mjs';
import { CHROMIUM_ARGS, NO_CHROMIUM_MESSAGE, findChromium } from './chromium';
import { browserModeUrl } from './browser-mode-url';
import { tempDir } from './temp';

const root = path.resolve(__dirname, '..', '..');

export interface RunningApp {
  url: string;
  dataDir: string;
  process: ChildProcess;
  stop: () => Promise<void>;
}

/** Starts the built app in browser mode, as `npm start` does, on a fresh data folder. */
export async function startBrowserMode(dataDir = tempDir('vd-e2e-').dir): Promise<RunningApp> {
  await build({ quiet: true });
  const child = spawn(process.execPath, [path.join(root, 'dist/electron/browser-main.cjs')], {
    env: { ...process.env, VISITDESK_DATA: dataDir, VISITDESK_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await browserModeUrl(child, 20_000);
  return {
    url,
    dataDir,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(NO_CHROMIUM_MESSAGE);
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** Collects page errors and CSP violations so a test can assert there were none. */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return errors;
}

/** Waits until the locator's text matches (playwright-core has no expect; vitest's cannot wait). */
export async function waitForText(locator: Locator, expected: string | RegExp, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.first().textContent({ timeout }).catch(() => '')) ?? '';
    if (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected text ${String(expected)}, last seen "${last}"`);
}

/** A contract call over the loopback bridge, authorised by the run's token as the browser is. */
export function bridgeApi(app: RunningApp) {
  return async <M extends MethodName>(method: M, input: MethodInput<M>, session?: string): Promise<MethodOutput<M>> => {
    const { origin, searchParams } = new URL(app.url);
    const res = await fetch(`${origin}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${searchParams.get('token')}` },
      body: JSON.stringify({ input, session: session ?? null }),
    });
    const body = (await res.json()) as Envelope<MethodOutput<M>>;
    if (!body.ok) throw new Error(`${method}: ${body.error.message}`);
    return body.value;
  };
}

/** First run plus the demo branch, through the bridge; returns the administrator's sign-in. */
export async function setUpDemoBranch(api: ReturnType<typeof bridgeApi>) {
  const admin = await api('setup.init', {
    branchName: '济南中心支公司',
    branchCode: '370100',
    adminUsername: 'admin',
    adminDisplayName: '系统管理员',
    adminPassword: 'admin-pass-1',
  });
  await api('demo.load', {}, admin.sessionToken);
  return admin;
}
