import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeApi, setUpDemoBranch, launchChromium, startBrowserMode, waitForText, watchForErrors, type RunningApp } from '../support/browser-mode';
import { tempDir } from '../support/temp';

let app: RunningApp;
const api: ReturnType<typeof bridgeApi> = (method, input, session) => bridgeApi(app)(method, input, session);
let browser: Browser;
const files = tempDir('vd-e2e-files-');

beforeAll(async () => {
  app = await startBrowserMode();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  files.cleanup();
});


/** A calendar table as an administrator would type it: 日期 | 类型 | 名称. */
async function calendarWorkbook(name: string, rows: [string, string, string][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('2027年');
  ws.addRow(['日期', '类型', '名称']);
  for (const r of rows) ws.addRow(r);
  const file = path.join(files.dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

// 国务院办公厅关于2027年部分节假日安排的通知 is not out when this test was written: these rows
// are a plausible year, enough to tell a loaded calendar from weekends-only counting.
const GOOD_2027: [string, string, string][] = [
  ['2027-01-01', '休', '元旦'],
  ...['2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-02-13'].map(
    (d): [string, string, string] => [d, '休', '春节'],
  ),
  ['2027-02-20', '班', '春节'],
  ['2027-04-05', '休', '清明节'],
  ['2027-05-01', '休', '劳动节'],
  ['2027-06-09', '休', '端午节'],
  ['2027-09-15', '休', '中秋节'],
  ['2027-10-01', '休', '国庆节'],
];

async function pickKind(page: Page, label: string): Promise<void> {
  await page.locator('#try-kind').click();
  // The list is virtual: type to bring the option into it.
  await page.locator('#try-kind').fill(label);
  await page.locator(`.ant-select-item-option[title="${label}"]`).click();
}

async function tryProblemCase(page: Page, workOrderDate: string): Promise<void> {
  await page.locator('#try-workOrderDate').fill(workOrderDate);
  await page.getByTestId('try-form').getByRole('button', { name: '试算' }).click();
  await waitForText(page.getByTestId('try-explanation'), `问题件工单下达日 ${workOrderDate}`);
}

describe('设置 → 规则与日历 in Chromium (browser mode)', () => {
  it('shows the rules, tries a rule, loads a calendar year and refuses a broken one', async () => {
    const admin = await setUpDemoBranch(api);
    const status = await api('app.status', {});
    const had2027 = (await api('calendar.years', {}, admin.sessionToken)).years.some((y) => y.year === 2027);
    // A task whose deadline falls in a year without holiday data carries a warning on the board.
    const warned = (await api('tasks.list', { limit: 500 }, admin.sessionToken)).rows.find((r) => r.dueWarnings.length > 0);

    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 820 } });
    const errors = watchForErrors(page);
    await page.goto(app.url);
    await page.locator('#signin-username').fill('admin');
    await page.locator('#signin-password').fill('admin-pass-1');
    await page.getByRole('button', { name: '登录' }).click();
    await waitForText(page.getByTestId('current-user'), '系统管理员');

    // An administrator lands on 设置; the board is one click away.
    await page.getByTestId('settings-page').waitFor();
    await page.getByRole('menuitem', { name: '回访任务' }).click();
    if (warned?.policyNo) {
      await page.getByPlaceholder('搜索客户姓名、保单号或电话').fill(warned.policyNo);
      await page.getByPlaceholder('搜索客户姓名、保单号或电话').press('Enter');
      await waitForText(page.getByTestId('task-row').first(), warned.policyNo);
      await page.getByTestId('due-warning').first().hover();
      await waitForText(page.getByRole('tooltip').last(), warned.dueWarnings[0]!);
    }

    // The banner appears exactly when main says a needed year is missing (2027 on 2026-11-25).
    const banner = page.getByTestId('calendar-banner');
    if (status.calendarWarnings.length > 0) {
      await waitForText(banner, status.calendarWarnings[0]!);
      expect(status.calendarWarnings.some((w) => w.includes('2027'))).toBe(!had2027);
    } else {
      expect(await banner.count()).toBe(0);
    }

    // 规则: the counting rule once, then every rule with its source.
    await page.getByRole('menuitem', { name: '设置' }).click();
    await page.getByText('规则与日历').first().waitFor();
    await waitForText(page.getByTestId('counting-rule'), '民法典');
    await waitForText(page.getByTestId('rules-table'), '新契约回访');
    await waitForText(page.getByTestId('rules-table'), '问题件须在工单下达后 3 个工作日内处理');

    // 试算: a form generated from the kind's schema, with the engine's messages beside the fields.
    await page.getByRole('tab', { name: '试算' }).click();
    await pickKind(page, '问题件处理');
    await page.getByTestId('try-form').getByRole('button', { name: '试算' }).click();
    await page.getByText('问题件工单下达日期：请填写日期（格式 YYYY-MM-DD）').waitFor();
    await page.locator('#try-workOrderDate').fill('2026-02-30');
    await page.getByTestId('try-form').getByRole('button', { name: '试算' }).click();
    await page.getByText('问题件工单下达日期：2026-02-30 不是有效日期').waitFor();

    // Three working days over National Day 2026 (10-01…10-07 off): 10-08, 10-09 and the make-up
    // Saturday 10-10 (国办发明电〔2025〕7号).
    await tryProblemCase(page, '2026-09-30');
    await waitForText(page.getByTestId('try-due'), /^2026-10-10$/);
    await waitForText(page.getByTestId('try-required'), '是');
    await waitForText(page.getByTestId('try-explanation'), '2026-10-10（调休工作日）');
    await waitForText(page.getByTestId('try-explanation'), '国庆节假日');
    expect(await page.getByTestId('try-warning').count()).toBe(0);

    // Across the new year, before 2027 is loaded: weekends only, with a warning.
    await tryProblemCase(page, '2026-12-29');
    if (!had2027) {
      await waitForText(page.getByTestId('try-due'), /^2027-01-01$/);
      await waitForText(page.getByTestId('try-warning'), '2027 年节假日安排尚未载入');
    }

    // 日历: load 2027 from a spreadsheet. The banner's button leads straight to this tab.
    if (status.calendarWarnings.length > 0) await banner.getByRole('button', { name: '去载入日历' }).click();
    else await page.getByRole('tab', { name: '日历' }).click();
    await page.getByRole('tab', { name: '日历', selected: true }).waitFor();
    const years = page.getByTestId('calendar-years');
    if (!had2027) await waitForText(years.locator('tr', { hasText: '2027' }), '未载入');
    const good = await calendarWorkbook('2027年节假日安排.xlsx', GOOD_2027);
    await page.getByTestId('calendar-upload').locator('input[type=file]').setInputFiles(good);
    await waitForText(page.getByTestId('calendar-import-result'), '已载入 2027 年节假日安排', 20_000);
    await waitForText(page.getByTestId('calendar-import-result'), '放假 14 天，调休上班 1 天');
    await waitForText(page.getByTestId('calendar-import-result'), '个任务的应完成日已重新计算');
    await waitForText(years.locator('tr', { hasText: '2027年节假日安排.xlsx' }), '已载入');
    // The banner goes once the year is there (app.status is asked again after the import).
    if (status.calendarWarnings.every((w) => w.includes('2027'))) await banner.waitFor({ state: 'detached' });

    // The rule now sees 2027-01-01 as 元旦: 12-30, 12-31, then Monday 2027-01-04.
    await page.getByRole('tab', { name: '试算' }).click();
    await tryProblemCase(page, '2026-12-29');
    await waitForText(page.getByTestId('try-due'), /^2027-01-04$/);
    expect(await page.getByTestId('try-warning').count()).toBe(0);

    // A broken file names the row and column, and changes nothing.
    await page.getByRole('tab', { name: '日历' }).click();
    const broken = await calendarWorkbook('2027年节假日安排（有误）.xlsx', [
      ['2027-01-01', '休', '元旦'],
      ['2027-02-30', '休', '春节'],
    ]);
    await page.getByTestId('calendar-upload').locator('input[type=file]').setInputFiles(broken);
    const error = page.getByTestId('calendar-import-error');
    await waitForText(error, '第 3 行「日期」列：2027-02-30 不是有效日期', 20_000);
    await waitForText(error.locator('li').first(), '第 3 行「日期」列');
    expect(await page.getByTestId('calendar-import-result').count()).toBe(0);
    await waitForText(years.locator('tr', { hasText: '2027' }), '2027年节假日安排.xlsx');

    // 问卷模板: the built-in templates, and one's questions.
    await page.getByRole('tab', { name: '问卷模板' }).click();
    const templates = page.getByTestId('templates-table');
    await waitForText(templates, '个人新契约回访问卷');
    await templates.locator('tr', { hasText: '个人新契约回访问卷' }).getByRole('button', { name: '查看题目' }).click();
    const questions = page.getByTestId('template-questions');
    await waitForText(questions, '本人亲笔签署');
    // Product-specific questions say for which products they are asked.
    await waitForText(questions.locator('tr', { hasText: '分红是不保证的' }), '分红型');
    await page.locator('.ant-drawer-close').click();
    await questions.waitFor({ state: 'hidden' });

    // Deadlines were recomputed with the loaded year: the board's warning is gone.
    if (warned?.policyNo) {
      await page.getByRole('menuitem', { name: '回访任务' }).click();
      await page.getByPlaceholder('搜索客户姓名、保单号或电话').fill(warned.policyNo);
      await page.getByPlaceholder('搜索客户姓名、保单号或电话').press('Enter');
      await waitForText(page.getByTestId('task-row').first(), warned.policyNo);
      expect(await page.getByTestId('due-warning').count()).toBe(0);
    }

    expect(errors).toEqual([]);
  });
});
