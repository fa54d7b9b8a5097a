import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeApi, launchChromium, setUpDemoBranch, startBrowserMode, waitForText, type RunningApp } from '../support/browser-mode';

let app: RunningApp;
const api: ReturnType<typeof bridgeApi> = (method, input, session) => bridgeApi(app)(method, input, session);
let browser: Browser;

beforeAll(async () => {
  app = await startBrowserMode();
  browser = await launchChromium();
  await setUpDemoBranch(api);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('a section whose script cannot be fetched', () => {
  it('says so in Chinese inside the section, keeps the menu working, and the next section loads', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 820 } });
    // As after an update while the page was open: the statistics page's script is gone.
    await page.route(/\/assets\/StatsPage-[\w-]+\.js$/, (route) => route.fulfill({ status: 404, body: '未找到' }));
    await page.goto(app.url);
    await page.locator('#signin-username').fill('liuyang');
    await page.locator('#signin-password').fill('demo1234');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('task-row').first().waitFor();

    await page.getByRole('menuitem', { name: '统计报表' }).click();
    const failed = page.getByTestId('load-failed');
    await waitForText(failed, '这部分界面没能加载出来');
    await waitForText(failed, '已保存的数据不受影响');
    expect(await failed.getByRole('button', { name: '重新加载' }).isVisible()).toBe(true);
    // The shell around it is still there: another section opens.
    await page.getByRole('menuitem', { name: '回访任务' }).click();
    await page.getByTestId('task-row').first().waitFor();
    expect(await failed.count()).toBe(0);
    await page.close();
  });
});
