import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitView } from '../../shared/api/contract';
import { bridgeApi, setUpDemoBranch, launchChromium, startBrowserMode, waitForText, watchForErrors, type RunningApp } from '../support/browser-mode';
import { finaliseNthNewPolicy } from '../support/visit-flow';
import { signOn } from '../support/handwriting';

let app: RunningApp;
const api: ReturnType<typeof bridgeApi> = (method, input, session) => bridgeApi(app)(method, input, session);
let browser: Browser;
let staff: string;
let manager: string;
let visit: VisitView;

const finalisedVisit = (session: string) => finaliseNthNewPolicy(api, session);

beforeAll(async () => {
  app = await startBrowserMode();
  browser = await launchChromium();
  await setUpDemoBranch(api);
  staff = (await api('auth.signIn', { username: 'zhangli', password: 'demo1234' })).sessionToken;
  manager = (await api('auth.signIn', { username: 'liuyang', password: 'demo1234' })).sessionToken;
  visit = await finalisedVisit(staff);
  expect(visit.state).toBe('finalised');
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function signIn(page: Page, username: string, name: string): Promise<void> {
  await page.goto(app.url);
  await page.locator('#signin-username').fill(username);
  await page.locator('#signin-password').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await waitForText(page.getByTestId('current-user'), name);
}

describe('主管会签 in Chromium', () => {
  it('staff are not offered 主管会签: only managers countersign', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 820 } });
    const errors = watchForErrors(page);
    await signIn(page, 'zhangli', '张莉');
    await page.getByRole('menuitem', { name: '面访记录' }).waitFor();
    expect(await page.getByRole('menuitem', { name: '主管会签' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a manager reads the queue, is refused with a wrong password, then countersigns with password and handwriting', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 820 } });
    const errors = watchForErrors(page);
    await signIn(page, 'liuyang', '刘洋');
    await page.getByRole('menuitem', { name: '主管会签' }).click();
    const queue = page.getByTestId('countersign-queue');
    const row = queue.locator('.ant-table-row', { hasText: visit.recordNo });
    await waitForText(row, visit.sheet.customerName ?? '');
    await waitForText(row, '张莉');
    await waitForText(row, '成功');

    // A click on the row opens the record read-only; closing it comes back to the queue.
    await row.click();
    const ws = page.getByTestId('visit-workspace');
    await waitForText(ws, visit.recordNo);
    await page.getByTestId('visit-close').click();
    await ws.waitFor({ state: 'detached' });

    const button = page.getByTestId('countersign-button');
    expect(await button.isDisabled()).toBe(true);
    await row.locator('.ant-checkbox-input').check();
    await waitForText(button, '会签（1 份）');
    // Ticking the box selects; it does not open the record.
    expect(await ws.count()).toBe(0);
    await button.click();
    const modal = page.getByTestId('countersign-modal');
    await waitForText(modal, visit.recordNo);

    const ok = page.locator('.ant-modal').getByRole('button', { name: /确认会签/ });
    await page.locator('#countersign-password').fill('wrong-password');
    await signOn(page, page.getByTestId('countersign-pad'));
    await ok.click();
    await waitForText(page.getByTestId('countersign-error'), '密码不正确');
    await page.screenshot({ path: '/tmp/countersign.png' });
    expect((await api('countersign.queue', {}, manager)).total).toBe(1);

    await page.locator('#countersign-password').fill('demo1234');
    await ok.click();
    await modal.waitFor({ state: 'detached' });
    await waitForText(queue, '没有待会签的记录');

    const signed = await api('visits.get', { id: visit.id }, manager);
    expect(signed.countersign?.managerName).toBe('刘洋');
    expect(signed.countersign?.png).toMatch(/^data:image\/png;base64,/);
    expect((await api('tasks.get', { id: signed.taskId! }, staff)).task.status).toBe('done');

    // The printed sheet carries the countersign under the signatures.
    await page.evaluate(() => {
      window.print = () => undefined;
    });
    await page.getByRole('menuitem', { name: '面访记录' }).click();
    await page.getByTestId('visit-records').locator('.ant-table-row', { hasText: visit.recordNo }).click();
    await waitForText(ws, visit.recordNo);
    await page.getByTestId('visit-print-button').click();
    const countersign = page.getByTestId('print-countersign');
    await waitForText(countersign, '主管会签');
    await waitForText(countersign, '刘洋');
    expect(await countersign.locator('img').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
