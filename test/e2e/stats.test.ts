import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleQuestions } from '../../shared/questionnaire';
import { bridgeApi, launchChromium, setUpDemoBranch, startBrowserMode, waitForText, watchForErrors, type RunningApp } from '../support/browser-mode';
import { finaliseThrough } from '../support/visit-flow';
import { fakeSignature } from '../support/signature';

let app: RunningApp;
const api: ReturnType<typeof bridgeApi> = (method, input, session) => bridgeApi(app)(method, input, session);
let browser: Browser;

/** A visit where the customer does not confirm the first item even after explanation: a problem case. */
async function problemVisit(session: string, taskId: number): Promise<void> {
  let v = await api('visits.start', { taskId }, session);
  const d = new Date(Date.now() - 60 * 60_000);
  const visitedAt = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  v = await api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt }, session);
  const questions = visibleQuestions(v.template, (v.productType ?? undefined) as never);
  for (const [i, q] of questions.entries()) {
    const answer = i === 0 ? (q.expected === 'yes' ? 'no' : 'yes') : q.expected;
    v = await api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer, ...(i === 0 ? { note: '客户称不清楚' } : {}) }, session);
    if (i === 0) v = await api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'after_explanation', answer, note: '解释后仍不认可' }, session);
  }
  v = await api('visits.saveSheet', { visitId: v.id, sheet: { interviewee: '投保人本人', summary: '第一项未确认', feedback: '客户有异议' } }, session);
  v = await api('visits.sign', { visitId: v.id, role: 'customer', ...fakeSignature('客户') }, session);
  v = await api('visits.sign', { visitId: v.id, role: 'staff', ...fakeSignature('回访人') }, session);
  await api('visits.finalise', { visitId: v.id }, session);
}

beforeAll(async () => {
  app = await startBrowserMode();
  browser = await launchChromium();
  await setUpDemoBranch(api);
  const staff = (await api('auth.signIn', { username: 'zhangli', password: 'demo1234' })).sessionToken;
  const tasks = (await api('tasks.list', { kind: 'new_policy', limit: 3 }, staff)).rows;
  await finaliseThrough(api, staff, tasks[0]!.id);
  await problemVisit(staff, tasks[1]!.id);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('统计报表 in Chromium', () => {
  it('a manager sees the figures with their definitions and the charts, and exports the workbook and a chart', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 820 }, acceptDownloads: true });
    const errors = watchForErrors(page);
    await page.goto(app.url);
    await page.locator('#signin-username').fill('liuyang');
    await page.locator('#signin-password').fill('demo1234');
    await page.getByRole('button', { name: '登录' }).click();
    await waitForText(page.getByTestId('current-user'), '刘洋');
    await page.getByRole('menuitem', { name: '统计报表' }).click();

    // This month by default; the figures come with their definitions.
    await page.getByTestId('stats-figures').waitFor();
    expect(await page.getByTestId('stats-figures').locator('[data-testid$="-value"]').count()).toBe(14);
    await waitForText(page.getByTestId('figure-finalised-value'), '2');
    await waitForText(page.getByTestId('figure-problemRate-value'), '50.0%');
    expect(await page.getByTestId('figure-due').textContent()).toContain('应完成日');
    expect(Number(await page.getByTestId('figure-due-value').textContent())).toBeGreaterThan(0);

    // Charts drawn on canvases: trend, staff, categories and the pie.
    for (const id of ['chart-trend', 'chart-staff', 'chart-categories', 'chart-pie']) {
      await page.getByTestId(id).locator('canvas').first().waitFor();
    }
    await waitForText(page.getByTestId('stats-staff-table'), '张莉');

    // 导出图片: a PNG of the chart.
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('chart-pie-png').click()]);
    expect(png.suggestedFilename()).toMatch(/^问题分类占比_.+\.png$/);
    const pngBytes = fs.readFileSync((await png.path())!);
    expect(pngBytes.subarray(1, 4).toString()).toBe('PNG');

    // 导出 Excel: the workbook through the export job, read back.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stats-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^回访统计报表_\d{4}-\d{2}-01_\d{4}-\d{2}-\d{2}\.xlsx$/);
    const file = path.join(app.dataDir, 'e2e-stats.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '问题分类', '人员', '按周', '按月']);
    const sum = wb.getWorksheet('汇总')!;
    expect(sum.getCell('A8').value).toBe('应访数');
    expect(sum.getCell('B8').value).toBe(Number(await page.getByTestId('figure-due-value').textContent()));
    expect(sum.getCell('A11').value).toBe('定稿回访数');
    expect(sum.getCell('B11').value).toBe(2);
    expect(sum.getCell('B13').value).toBe(0.5);
    expect(sum.getCell('B13').numFmt).toBe('0.0%');
    expect(wb.getWorksheet('问题分类')!.rowCount).toBeGreaterThan(1);

    // A period with nothing in it says so instead of showing zeros.
    await page.getByTestId('stats-range').locator('input').first().click();
    await page.getByTestId('stats-range').locator('input').first().fill('2020-01-01');
    await page.getByTestId('stats-range').locator('input').nth(1).click();
    await page.getByTestId('stats-range').locator('input').nth(1).fill('2020-01-31');
    await page.keyboard.press('Enter');
    await waitForText(page.getByTestId('stats-error'), '没有应访任务、定稿回访记录或问题件');

    expect(errors).toEqual([]);
    await page.close();
  });
});
