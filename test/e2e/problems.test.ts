import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitView } from '../../shared/api/contract';
import { visibleQuestions } from '../../shared/questionnaire';
import { bridgeApi, launchChromium, setUpDemoBranch, startBrowserMode, waitForText, watchForErrors, type RunningApp } from '../support/browser-mode';
import { fakeSignature } from '../support/signature';

let app: RunningApp;
const api: ReturnType<typeof bridgeApi> = (method, input, session) => bridgeApi(app)(method, input, session);
let browser: Browser;
let staff: string;
let manager: string;
let taskId: number;
let policyNo: string;
let opening: VisitView;

/** A finalised in-person visit on the task; `misleading` answers the payment-years question wrongly (误导-缴费年限). */
async function visitOn(session: string, misleading: boolean): Promise<VisitView> {
  let v = await api('visits.start', { taskId }, session);
  v = await api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: nowMinute() }, session);
  const payYears = v.template.questions.find((q) => q.category === 'misleading_payment_years')!;
  for (const q of visibleQuestions(v.template, (v.productType ?? undefined) as never)) {
    const answer = misleading && q.id === payYears.id ? (q.expected === 'yes' ? 'no' : 'yes') : q.expected;
    v = await api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer }, session);
  }
  v = await api('visits.saveSheet', { visitId: v.id, sheet: { interviewee: '投保人本人', summary: '逐项确认', feedback: misleading ? '对缴费年限有疑问' : '' } }, session);
  v = await api('visits.sign', { visitId: v.id, role: 'customer', ...fakeSignature('客户') }, session);
  v = await api('visits.sign', { visitId: v.id, role: 'staff', ...fakeSignature('张莉') }, session);
  return api('visits.finalise', { visitId: v.id }, session);
}

/** The local "YYYY-MM-DD HH:MM" a few minutes ago: a visit time main accepts (not in the future, not before issue). */
function nowMinute(): string {
  const d = new Date(Date.now() - 5 * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

beforeAll(async () => {
  app = await startBrowserMode();
  browser = await launchChromium();
  await setUpDemoBranch(api);
  staff = (await api('auth.signIn', { username: 'zhangli', password: 'demo1234' })).sessionToken;
  manager = (await api('auth.signIn', { username: 'liuyang', password: 'demo1234' })).sessionToken;
  // A new-policy task on one of 王强's own policies (agent code YW2033).
  const rows = (await api('tasks.list', { kind: 'new_policy', limit: 60 }, staff)).rows;
  for (const r of rows) {
    const d = await api('tasks.get', { id: r.id }, staff);
    if (d.policy?.agentName === '王强') {
      taskId = r.id;
      policyNo = d.policy.policyNo;
      break;
    }
  }
  expect(taskId).toBeGreaterThan(0);
  opening = await visitOn(staff, true);
  expect(opening.problemCaseId).not.toBeNull();
}, 120_000);
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

async function pick(page: Page, select: Locator, label: string): Promise<void> {
  await select.click();
  await page.locator(`.ant-select-item-option:visible`, { hasText: label }).first().click();
}

async function openCase(page: Page): Promise<Locator> {
  await page.getByRole('menuitem', { name: '问题件' }).click();
  const row = page.getByTestId('problem-list').locator('.ant-table-row', { hasText: policyNo });
  await waitForText(row, '误导-缴费年限');
  await row.click();
  const drawer = page.getByTestId('problem-drawer');
  await waitForText(drawer, policyNo);
  return drawer;
}

describe('问题件 in Chromium', () => {
  it('a manager finds the case opened by the visit and is refused 王强 as handler on his own policy, then designates 张莉', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
    const errors = watchForErrors(page);
    await signIn(page, 'liuyang', '刘洋');
    const drawer = await openCase(page);
    await waitForText(drawer, '王强（YW2033）');
    await waitForText(page.getByTestId('problem-state'), '待处理');
    await waitForText(page.getByTestId('problem-history'), '登记');

    await pick(page, page.locator('#problem-handler'), '王强');
    await page.getByTestId('problem-assign-form').getByRole('button', { name: '指派' }).click();
    await waitForText(page.getByTestId('problem-assign-error'), `王强是保单 ${policyNo} 的销售业务员，不能处理该保单的问题件`);
    await waitForText(page.getByTestId('problem-assign-form'), '不能指派给本单业务员');

    await pick(page, page.locator('#problem-handler'), '张莉');
    await page.getByTestId('problem-assign-form').getByRole('button', { name: '指派' }).click();
    await waitForText(page.getByTestId('problem-handler'), '张莉');
    await waitForText(page.getByTestId('problem-history'), '指派给 张莉');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the handler records the explanation by phone, links the second visit and closes the case', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
    const errors = watchForErrors(page);
    await signIn(page, 'zhangli', '张莉');
    let drawer = await openCase(page);

    const explain = page.getByTestId('problem-explain-form');
    await page.locator('#problem-explain-note').fill('已电话向投保人说明缴费年限为 10 年，客户表示理解');
    await explain.getByRole('button', { name: '保存解释情况' }).click();
    await waitForText(explain, '电话解释须填写录音编号');
    await page.locator('#problem-recording').fill('REC-20261125-0031');
    await explain.getByRole('button', { name: '保存解释情况' }).click();
    await waitForText(page.getByTestId('problem-state'), '已解释');

    // 解释后客户接受 needs the second visit: main says so on the field.
    const close = page.getByTestId('problem-close-form');
    await pick(page, page.locator('#problem-resolution'), '解释后客户接受');
    await close.getByRole('button', { name: '结案' }).click();
    await waitForText(close, '须先关联二次回访记录');

    // The second visit: the applicant visited again and confirms every item.
    const second = await visitOn(staff, false);
    expect(second.outcome.status).toBe('success');
    // Closed with its × button: Escape no longer reaches this drawer once its forms have focus
    // (noticed this session, not yet explained).
    await page.locator('.ant-drawer-close').last().click();
    await drawer.waitFor({ state: 'detached' });
    drawer = await openCase(page);
    await pick(page, page.locator('#problem-second-visit'), second.recordNo);
    await page.getByTestId('problem-second-form').getByRole('button', { name: '关联' }).click();
    await waitForText(drawer, second.recordNo);
    await waitForText(page.getByTestId('problem-history'), '关联二次回访记录');

    await pick(page, page.locator('#problem-resolution'), '解释后客户接受');
    await page.locator('#problem-close-note').fill('客户接受解释');
    await page.getByTestId('problem-close-form').getByRole('button', { name: '结案' }).click();
    await waitForText(page.getByTestId('problem-state'), '已结案');
    const history = page.getByTestId('problem-history');
    for (const step of ['登记', '指派', '解释', '二次回访', '结案']) await waitForText(history, step);
    await page.screenshot({ path: '/tmp/problems.png' });

    const d = await api('problems.get', { id: opening.problemCaseId! }, manager);
    expect(d).toMatchObject({ state: 'closed', resolution: 'explained_accepted', handlerName: '张莉' });
    expect(d.explanation?.recordingRef).toBe('REC-20261125-0031');
    expect(d.history.map((h) => h.event)).toEqual(['opened', 'assigned', 'explained', 'second_visit', 'closed']);

    // For the sales-quality supervisor: the closed case is on the exported 问题件清单.
    await page.locator('.ant-drawer-close').last().click();
    await page.getByRole('menuitem', { name: '清单' }).click();
    await page.getByTestId('list-tab-problems').click();
    const list = page.getByTestId('list-problems');
    await waitForText(list.getByTestId('list-table'), d.policyNo!);
    const [download] = await Promise.all([page.waitForEvent('download'), list.getByTestId('list-export').click()]);
    const file = path.join(app.dataDir, 'e2e-problems.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('问题件清单')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const row = ws.getRows(2, ws.rowCount - 1)!.find((r) => r.getCell(1).value === d.policyNo)!;
    const cell = (title: string) => String(row.getCell(header.indexOf(title) + 1).value ?? '');
    expect(cell('处理人')).toBe('张莉');
    expect(cell('处理状态')).toContain('结案');
    expect(cell('问题类别')).toContain('误导');
    expect(cell('业务员代码')).toBe('YW2033');
    expect(errors).toEqual([]);
    await page.close();
  });
});
