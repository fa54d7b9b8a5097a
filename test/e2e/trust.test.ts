import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryView } from '../../shared/api/contract';
import { bridgeApi, setUpDemoBranch, launchChromium, startBrowserMode, waitForText, watchForErrors, type RunningApp } from '../support/browser-mode';
import { finaliseNthNewPolicy } from '../support/visit-flow';

let app: RunningApp;
const api: ReturnType<typeof bridgeApi> = (method, input, session) => bridgeApi(app)(method, input, session);
let browser: Browser;
let admin: string;
let staff: string;
let sales: string;
// Set VISITDESK_TRUST_SHOTS=/tmp to keep a screenshot of the reveal dialog and the revealed number (trust-*.png).
const SHOTS = process.env.VISITDESK_TRUST_SHOTS;

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `trust-${name}.png`) });
}

beforeAll(async () => {
  app = await startBrowserMode();
  browser = await launchChromium();
  admin = (await setUpDemoBranch(api)).sessionToken;
  staff = (await api('auth.signIn', { username: 'zhangli', password: 'demo1234' })).sessionToken;
  sales = (await api('auth.signIn', { username: 'wangqiang', password: 'demo1234' })).sessionToken;
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 820 } });
  return { page, errors: watchForErrors(page) };
}

async function signIn(page: Page, username: string, name: string): Promise<void> {
  await page.goto(app.url);
  await page.locator('#signin-username').fill(username);
  await page.locator('#signin-password').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await waitForText(page.getByTestId('current-user'), name);
}

/** Every entry of the audit log, as the administrator reads it. */
async function wholeAuditLog(): Promise<AuditEntryView[]> {
  const all: AuditEntryView[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await api('audit.list', { offset, limit: 500 }, admin);
    all.push(...page.entries);
    if (all.length >= page.total || page.entries.length === 0) return all;
  }
}

const finalisedVisit = (session: string, offset: number) => finaliseNthNewPolicy(api, session, offset);

const MASKED_PHONE = /^1\d{2}\*{4}\d{4}$/;

/** The 查看原因 dialog (closed ones may linger in the DOM while they fade out). */
const revealModal = (page: Page) => page.locator('.ant-modal').filter({ has: page.getByTestId('reveal-modal') });

describe('customer data: masked, revealed with a reason, gone at sign-out (Chromium)', () => {
  it('shows the phone masked; 查看 asks why, logs the reason (never the number) and shows it for this view only', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'zhangli', '张莉');
    await page.getByTestId('task-row').first().click();
    const phone = page.getByTestId('detail-phone');
    await waitForText(phone, MASKED_PHONE);
    const masked = (await phone.textContent())!;
    const idMasked = (await page.getByTestId('detail-id-number').textContent())!;
    expect(idMasked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);

    // No reason, no number: the modal says what is missing and main is not asked.
    await page.getByTestId('detail-phone-reveal').click();
    const modal = revealModal(page);
    await waitForText(modal, masked);
    await modal.getByRole('button', { name: '查看' }).click();
    await waitForText(modal, '请填写查看原因');
    await page.locator('#reveal-reason').fill('客户来电要求核对预留手机号');
    await shot(page, '1-reason');
    await modal.getByRole('button', { name: '查看' }).click();
    await modal.waitFor({ state: 'detached' });
    await waitForText(phone, /^1\d{10}$/);
    const full = (await phone.textContent())!;
    expect(`${full.slice(0, 3)}****${full.slice(-4)}`).toBe(masked);
    await waitForText(page.getByTestId('task-detail'), '60 秒后自动隐藏');
    await shot(page, '2-revealed');

    // The ID number with one of the usual reasons.
    await page.getByTestId('detail-id-number-reveal').click();
    await modal.getByText('核实客户身份').click();
    await modal.getByRole('button', { name: '查看' }).click();
    const idNumber = page.getByTestId('detail-id-number');
    await waitForText(idNumber, /^\d{17}[\dX]$/);
    const fullId = (await idNumber.textContent())!;
    expect(fullId.slice(0, 6)).toBe(idMasked.slice(0, 6));

    // 隐藏 masks it again; so does closing the drawer: reopened, it is masked.
    await page.getByTestId('detail-id-number-hide').click();
    await waitForText(idNumber, idMasked);
    await page.locator('.ant-drawer').filter({ has: page.getByTestId('task-detail') }).locator('.ant-drawer-close').click();
    await page.getByTestId('task-detail').waitFor({ state: 'hidden' });
    await page.getByTestId('task-row').first().click();
    await waitForText(phone, masked);
    expect(await page.locator('body').innerText()).not.toContain(full);

    // The log has who, which field and why — and neither number.
    const reveals = (await api('audit.list', { action: 'pii_revealed' }, admin)).entries;
    expect(reveals.map((e) => [e.username, e.objectType, e.detail])).toEqual(
      expect.arrayContaining([
        ['zhangli', 'customer', '电话；原因：客户来电要求核对预留手机号'],
        ['zhangli', 'customer', '证件号码；原因：核实客户身份'],
      ]),
    );
    const log = JSON.stringify(await wholeAuditLog());
    expect(log).not.toContain(full);
    expect(log).not.toContain(fullId);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reports a browser print to the audit log before the print dialog opens', async () => {
    const visit = await finalisedVisit(staff, 5);
    const { page, errors } = await newPage();
    await signIn(page, 'zhangli', '张莉');
    const order: string[] = [];
    await page.exposeFunction('notePrinted', () => order.push('window.print'));
    page.on('requestfinished', (r) => {
      if (r.url().endsWith('/api/audit.notePrint')) order.push('audit.notePrint');
    });
    await page.evaluate(() => {
      window.print = () => void (window as unknown as { notePrinted: () => void }).notePrinted();
    });
    await page.getByRole('menuitem', { name: '面访记录' }).click();
    await page.getByTestId('visit-records').locator('.ant-table-row', { hasText: visit.recordNo }).click();
    await waitForText(page.getByTestId('visit-workspace'), visit.recordNo);
    // A finalised sheet shows the phone masked, with 查看 beside it.
    await page.locator('.ant-steps-item', { hasText: '回访记录表' }).click();
    await waitForText(page.getByTestId('sheet-phone'), MASKED_PHONE);
    await page.getByTestId('visit-print-button').click();
    await waitForText(page.getByTestId('visit-print'), '客户回访记录表');
    await expect.poll(() => order).toEqual(['audit.notePrint', 'window.print']);
    const printed = (await api('audit.list', { action: 'record_printed' }, admin)).entries;
    expect(printed.map((e) => [e.username, e.objectType, e.objectId])).toContainEqual(['zhangli', 'visit', visit.id]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sign-out leaves the sign-in screen and nothing of the customers, not even one step back in history', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'zhangli', '张莉');
    await page.getByTestId('task-row').nth(4).waitFor();
    const names = (await page.getByTestId('task-row').locator('.vt-customer').allTextContents()).filter(Boolean);
    expect(names.length).toBeGreaterThan(4);
    // A number revealed just before signing out goes too.
    await page.getByTestId('task-row').first().click();
    await page.getByTestId('detail-phone-reveal').click();
    await revealModal(page).getByText('联系客户').click();
    await revealModal(page).getByRole('button', { name: '查看' }).click();
    await waitForText(page.getByTestId('detail-phone'), /^1\d{10}$/);
    const full = (await page.getByTestId('detail-phone').textContent())!;
    await page.locator('.ant-drawer').filter({ has: page.getByTestId('task-detail') }).locator('.ant-drawer-close').click();
    await page.getByTestId('task-detail').waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.locator('#signin-username').waitFor();
    const noCustomerData = async (where: string) => {
      const text = await page.evaluate(() => document.body?.innerText ?? '');
      for (const n of [...names, full]) expect(text, `${where}: ${n}`).not.toContain(n);
    };
    await noCustomerData('after sign-out');
    expect(await page.evaluate(() => sessionStorage.getItem('visitdesk.session'))).toBeNull();
    expect(await page.getByTestId('current-user').count()).toBe(0);

    // Back (and forward again) shows no board either: the session is over, not just hidden.
    await page.goBack();
    await noCustomerData('one step back');
    await page.goForward();
    await page.locator('#signin-username').waitFor();
    await noCustomerData('forward again');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a sales rep sees only their own clients, and is refused another agent's customer's number", async () => {
    const branch = (await api('tasks.list', { limit: 500 }, staff)).rows;
    const own = await api('tasks.list', { limit: 500 }, sales);
    expect(own.total).toBeGreaterThan(0);
    expect(own.total).toBeLessThan(branch.length);

    const { page, errors } = await newPage();
    await signIn(page, 'wangqiang', '王强');
    await waitForText(page.getByTestId('task-total'), new RegExp(`^${own.total}$`));
    await waitForText(page.getByTestId('board-count'), `共 ${own.total} 条`);
    const ownNames = new Set(own.rows.map((r) => r.customerName));
    const shown = (await page.getByTestId('task-row').locator('.vt-customer').allTextContents()).filter(Boolean);
    expect(shown.length).toBeGreaterThan(0);
    for (const n of shown) expect(ownNames.has(n), n).toBe(true);

    // Their own client's number, with a reason, from the task.
    await page.getByTestId('task-row').first().click();
    await waitForText(page.getByTestId('detail-phone'), MASKED_PHONE);
    await page.getByTestId('detail-phone-reveal').click();
    await page.locator('#reveal-reason').fill('预约上门回访');
    await revealModal(page).getByRole('button', { name: '查看' }).click();
    await waitForText(page.getByTestId('detail-phone'), /^1\d{10}$/);
    expect(errors).toEqual([]);
    await page.close();

    // Someone else's client: not on the board, not found by name, and refused by id.
    const other = branch.find((r) => !ownNames.has(r.customerName))!;
    const found = (await api('customers.search', { q: other.customerName }, staff)).customers.find((c) => c.name === other.customerName)!;
    expect((await api('customers.search', { q: other.customerName }, sales)).customers.map((c) => c.id)).not.toContain(found.id);
    await expect(api('customers.reveal', { customerId: found.id, field: 'phone', reason: '核实客户身份' }, sales)).rejects.toThrow(/不是您本人的客户/);
    const refusedLogged = (await api('audit.list', { action: 'pii_revealed' }, admin)).entries.filter((e) => e.username === 'wangqiang');
    expect(refusedLogged.map((e) => e.objectId)).not.toContain(found.id);
  });
});
