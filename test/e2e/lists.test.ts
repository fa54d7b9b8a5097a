import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeApi, launchChromium, setUpDemoBranch, startBrowserMode, waitForText, watchForErrors, type RunningApp } from '../support/browser-mode';

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

describe('清单 in Chromium', () => {
  it('staff open the lists on the demo branch and export the 跟踪件清单; the download reads back', async () => {
    const staff = (await api('auth.signIn', { username: 'zhangli', password: 'demo1234' })).sessionToken;
    const expected = await api('lists.get', { list: 'tracking', offset: 0, limit: 500 }, staff);
    expect(expected.total).toBeGreaterThan(0);

    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 820 }, acceptDownloads: true });
    const errors = watchForErrors(page);
    await page.goto(app.url);
    await page.locator('#signin-username').fill('zhangli');
    await page.locator('#signin-password').fill('demo1234');
    await page.getByRole('button', { name: '登录' }).click();
    await waitForText(page.getByTestId('current-user'), '张莉');
    await page.getByRole('menuitem', { name: '清单' }).click();

    const list = page.getByTestId('list-tracking');
    await waitForText(list, `共 ${expected.total} 行`);
    await waitForText(list.getByTestId('list-table'), expected.rows[0]!.values.policyNo!);
    // Phones are masked on screen.
    expect(await list.getByTestId('list-table').textContent()).toMatch(/1\d{2}\*{4}\d{4}/);

    const [download] = await Promise.all([page.waitForEvent('download'), list.getByTestId('list-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^跟踪件清单_\d{4}-\d{2}-\d{2}\.xlsx$/);
    const file = path.join(app.dataDir, 'e2e-tracking.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('跟踪件清单')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(expected.columns.map((c) => c.title));
    expect(ws.rowCount).toBe(expected.total + 1);
    expect(ws.getCell('A2').value).toBe(expected.rows[0]!.values.policyNo);
    expect(ws.getCell('B2').value).toBe(expected.rows[0]!.values.customerName);
    expect(String(ws.getCell('C2').value)).toMatch(/^1\d{2}\*{4}\d{4}$/);
    const due = ws.getCell('H2').value;
    expect(due).toBeInstanceOf(Date);
    expect((due as Date).toISOString().slice(0, 10)).toBe(expected.rows[0]!.values.dueOn);
    await waitForText(page.locator('.ant-message'), '已导出');

    // The daily list has its staff filter.
    await page.getByTestId('list-tab-daily').click();
    await page.getByTestId('list-daily').getByTestId('list-staff-filter').waitFor();

    expect(errors).toEqual([]);
    await page.close();
  });
});
