import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, startBrowserMode, waitForText, watchForErrors, type RunningApp } from '../support/browser-mode';

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startBrowserMode();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('first run in Chromium (browser mode)', () => {
  it('sets up the branch, loads the demo branch, sees the task count, and signs in as a demo user', async () => {
    const page = await browser.newPage({ locale: 'zh-CN' });
    const errors = watchForErrors(page);
    await page.goto(app.url);

    await page.getByText('首次使用：设置分公司与管理员').waitFor();
    // The same zod schema as main: an empty submit shows Chinese messages beside the fields.
    await page.getByRole('button', { name: '完成设置' }).click();
    await page.getByText('请填写分公司名称').waitFor();

    await page.locator('#setup-branchName').fill('济南中心支公司');
    await page.locator('#setup-branchCode').fill('370100');
    await page.locator('#setup-adminUsername').fill('admin');
    await page.locator('#setup-adminDisplayName').fill('系统管理员');
    await page.locator('#setup-adminPassword').fill('admin-pass-1');
    await page.locator('#setup-confirmPassword').fill('admin-pass-2');
    await page.getByRole('button', { name: '完成设置' }).click();
    await page.getByText('两次输入的密码不一致').waitFor();
    await page.locator('#setup-confirmPassword').fill('admin-pass-1');
    await page.getByRole('button', { name: '完成设置' }).click();

    // The shell: an administrator's sections (landing on 设置), signed-in user, offline state.
    await page.getByTestId('settings-page').waitFor();
    const sections = (await page.getByRole('menuitem').allTextContents()).map((s) => s.trim());
    expect(sections).toEqual(expect.arrayContaining(['回访任务', '设置', '账号管理', '审计']));
    expect(sections).not.toContain('面访记录');
    await waitForText(page.getByTestId('current-user'), '系统管理员');
    await waitForText(page.getByTestId('online-state'), '离线');
    await page.getByRole('menuitem', { name: '回访任务' }).click();
    await waitForText(page.getByTestId('task-total'), /^0$/);

    await page.getByRole('button', { name: '载入演示数据' }).click();
    await waitForText(page.getByTestId('task-total'), /^200$/, 15_000);
    await page.getByTestId('task-row').first().waitFor();
    // Phones are masked on the board.
    await waitForText(page.getByTestId('task-row').first(), /1\d{2}\*{4}\d{4}/);

    // A reload keeps the session; signing out returns to the sign-in page.
    await page.reload();
    await page.getByRole('menuitem', { name: '回访任务' }).click();
    await waitForText(page.getByTestId('task-total'), /^200$/);
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.locator('#signin-username').fill('zhangli');
    await page.locator('#signin-password').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('账号或密码不正确').waitFor();
    await page.locator('#signin-password').fill('demo1234');
    await page.getByRole('button', { name: '登录' }).click();
    await waitForText(page.getByTestId('current-user'), '张莉（回访专员）');
    await waitForText(page.getByTestId('task-total'), /^200$/);

    expect(errors).toEqual([]);
  });
});
