import path from 'node:path';
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

const REASON = '受访人职务未写明，请补充后重新签名';
// Set VISITDESK_RETURN_SHOTS=/tmp to keep a screenshot of each step (return-*.png).
const SHOTS = process.env.VISITDESK_RETURN_SHOTS;

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `return-${name}.png`) });
}

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

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 820 } });
  return { page, errors: watchForErrors(page) };
}

describe('退回 and correction, end to end in Chromium', () => {
  it('a manager returns a record with a reason; its visitor sees why, corrects it as a new version, re-signs and finalises; the manager countersigns that one', async () => {
    // ——— The manager reads the queue and returns the record, with the reason required. ———
    const boss = await newPage();
    await signIn(boss.page, 'liuyang', '刘洋');
    await boss.page.getByRole('menuitem', { name: '主管会签' }).click();
    const queue = boss.page.getByTestId('countersign-queue');
    const row = queue.locator('.ant-table-row', { hasText: visit.recordNo });
    await waitForText(row, '张莉');
    await boss.page.getByTestId(`return-${visit.id}`).click();
    const returnModal = boss.page.locator('.ant-modal').filter({ hasText: `退回记录 ${visit.recordNo}` });
    await boss.page.locator('#return-reason').waitFor();
    await returnModal.getByRole('button', { name: '确认退回' }).click();
    await waitForText(returnModal, '请填写退回原因');
    await boss.page.locator('#return-reason').fill(REASON);
    await shot(boss.page, '1-return');
    await returnModal.getByRole('button', { name: '确认退回' }).click();
    await waitForText(queue, '没有待会签的记录');
    const returned = await api('visits.get', { id: visit.id }, staff);
    expect(returned.returned).toMatchObject({ managerName: '刘洋', reason: REASON });
    // Back with its visitor: the task is in progress again, not waiting for a countersign.
    expect((await api('tasks.get', { id: visit.taskId! }, staff)).task.status).toBe('in_progress');

    // ——— The visitor finds it on the task, with the reason, and opens the record. ———
    const { page, errors } = await newPage();
    await signIn(page, 'zhangli', '张莉');
    await page.getByRole('textbox', { name: '搜索客户姓名、保单号或电话' }).fill(visit.sheet.policyNo!);
    await page.getByRole('textbox', { name: '搜索客户姓名、保单号或电话' }).press('Enter');
    await waitForText(page.getByTestId('board-count'), '共 1 条');
    await page.getByTestId('task-row').first().click();
    await waitForText(page.getByTestId('detail-status'), '进行中');
    await waitForText(page.getByTestId('task-returned'), '刘洋');
    await waitForText(page.getByTestId('task-return-reason'), REASON);
    await shot(page, '2-task');
    // Corrected on its record, not visited afresh under a new record number.
    expect(await page.getByTestId('start-visit').count()).toBe(0);
    await waitForText(page.getByTestId('task-returned-open'), '打开记录更正');
    await page.getByTestId('task-returned-open').click();
    const ws = page.getByTestId('visit-workspace');
    await waitForText(ws, visit.recordNo);
    await waitForText(page.getByTestId('return-notice'), '已被主管刘洋');
    await waitForText(page.getByTestId('return-reason'), REASON);
    await shot(page, '3-record');

    // ——— 更正: the manager's reason is offered as the correction's; a new draft version opens. ———
    await page.getByTestId('return-correct').click();
    expect(await page.locator('#correct-reason').inputValue()).toContain(REASON);
    await page.locator('.ant-modal').getByRole('button', { name: '新建更正版本' }).click();
    await waitForText(page.getByTestId('visit-state'), '草稿');
    await waitForText(ws, '第 2 版');
    await waitForText(page.getByTestId('return-notice'), '更正被主管刘洋退回的第 1 版');
    await waitForText(page.getByTestId('version-chain'), '第 1 版 · 已定稿');
    await shot(page, '4-correction');

    // What the manager asked for, on the sheet.
    await page.locator('.ant-steps-item', { hasText: '回访记录表' }).click();
    await page.locator('#sheet-interviewee').fill('投保人本人，鲁信机械制造有限公司财务主管');
    await page.locator('#sheet-remarks').click();
    await waitForText(page.getByTestId('save-indicator'), '已保存');

    // Signed again by both over the corrected content, then finalised.
    await page.locator('.ant-steps-item', { hasText: '结果与签名' }).click();
    await page.getByTestId('outcome-step').waitFor();
    await waitForText(page.getByTestId('finalise-blockers'), '缺少客户（或授权家属）签名');
    await signOn(page, page.getByTestId('pad-customer'), 0);
    await page.getByTestId('pad-save-customer').click();
    await page.getByTestId('signature-saved-customer').waitFor();
    await signOn(page, page.getByTestId('pad-staff'), 1);
    await page.getByTestId('pad-save-staff').click();
    await page.getByTestId('signature-saved-staff').waitFor();
    await page.getByTestId('finalise').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '定稿' }).click();
    await waitForText(page.getByTestId('visit-state'), '已定稿');
    await waitForText(page.getByTestId('version-chain'), '第 1 版 · 已更正');
    const corrected = Number(await ws.getAttribute('data-visit-id'));
    expect(corrected).not.toBe(visit.id);
    await page.getByTestId('visit-close').click();
    await ws.waitFor({ state: 'detached' });

    // In 面访记录 the old version reads 已更正, the new one 已定稿.
    await page.getByRole('menuitem', { name: '面访记录' }).click();
    const records = page.getByTestId('visit-records');
    await waitForText(records.locator('.ant-table-row', { hasText: visit.recordNo }).filter({ hasText: 'v1' }), '已更正');
    await waitForText(records.locator('.ant-table-row', { hasText: visit.recordNo }).filter({ hasText: 'v2' }), '已定稿');
    expect(errors).toEqual([]);

    // ——— The manager countersigns the corrected version. ———
    await boss.page.getByRole('button', { name: '刷新' }).click();
    const v2 = queue.locator('.ant-table-row', { hasText: visit.recordNo });
    await waitForText(v2, 'v2');
    await v2.click();
    const bossWs = boss.page.getByTestId('visit-workspace');
    await waitForText(bossWs, '第 2 版');
    await waitForText(boss.page.getByTestId('return-notice'), REASON);
    await boss.page.getByTestId('visit-close').click();
    await bossWs.waitFor({ state: 'detached' });
    await v2.locator('.ant-checkbox-input').check();
    await boss.page.getByTestId('countersign-button').click();
    await boss.page.locator('#countersign-password').fill('demo1234');
    await signOn(boss.page, boss.page.getByTestId('countersign-pad'));
    await boss.page.locator('.ant-modal').getByRole('button', { name: /确认会签/ }).click();
    await boss.page.getByTestId('countersign-modal').waitFor({ state: 'detached' });
    await waitForText(queue, '没有待会签的记录');
    expect(boss.errors).toEqual([]);

    const [old, latest] = [await api('visits.get', { id: visit.id }, manager), await api('visits.get', { id: corrected }, manager)];
    expect(old.state).toBe('superseded');
    expect(latest).toMatchObject({ state: 'finalised', version: 2, previousId: visit.id, tampered: null, countersign: { managerName: '刘洋' } });
    expect(latest.sheet.interviewee).toContain('财务主管');
    expect((await api('tasks.get', { id: visit.taskId! }, staff)).task.status).toBe('done');

    // The old version, opened, says it was returned and corrected since.
    await page.getByTestId('visit-records').locator('.ant-table-row', { hasText: visit.recordNo }).filter({ hasText: 'v1' }).click();
    await waitForText(ws, '本版本已被更正');
    await waitForText(page.getByTestId('return-notice'), '已另行更正');
    expect(errors).toEqual([]);
    await page.close();
    await boss.page.close();
  });
});
