import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, VisitView } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/envelope';
import { DATABASE_FILE_NAME, openDatabase } from '../../electron/db/database';
import { resolveDatabaseKey } from '../../electron/db/db-key';
import { bridgeApi, setUpDemoBranch, launchChromium, startBrowserMode, waitForText, watchForErrors, type RunningApp } from '../support/browser-mode';
import { finaliseNthNewPolicy } from '../support/visit-flow';

let app: RunningApp;
const api: ReturnType<typeof bridgeApi> = (method, input, session) => bridgeApi(app)(method, input, session);
let browser: Browser;
let staff: string;
let visit: VisitView;

/** The raw envelope, for calls that are meant to be refused. */
async function rawCall<M extends MethodName>(method: M, input: MethodInput<M>, session: string | null): Promise<Envelope<unknown>> {
  const { origin, searchParams } = new URL(app.url);
  const res = await fetch(`${origin}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${searchParams.get('token')}` },
    body: JSON.stringify({ input, session }),
  });
  return (await res.json()) as Envelope<unknown>;
}

const finalisedVisit = (session: string) => finaliseNthNewPolicy(api, session);

/**
 * What someone with the database file and its key could do behind the desk's back: change one
 * character of a finalised record, straight in SQLite (a second connection beside the running app).
 */
function tamperWithRecord(visitId: number): void {
  const file = path.join(app.dataDir, DATABASE_FILE_NAME);
  const db = openDatabase({ file, key: resolveDatabaseKey({ dataDir: app.dataDir, databaseFile: file }).key });
  try {
    const changed = db.prepare("UPDATE visits SET sheet_summary = replace(sheet_summary, '逐项', '逐頁') WHERE id = ?").run(visitId).changes;
    expect(changed).toBe(1);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  app = await startBrowserMode();
  browser = await launchChromium();
  await setUpDemoBranch(api);
  staff = (await api('auth.signIn', { username: 'zhangli', password: 'demo1234' })).sessionToken;
  visit = await finalisedVisit(staff);
  expect(visit.state).toBe('finalised');
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 820 } });
  return { page, errors: watchForErrors(page) };
}

async function signIn(page: Page, username: string, password: string, name: string): Promise<void> {
  await page.goto(app.url);
  await page.locator('#signin-username').fill(username);
  await page.locator('#signin-password').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await waitForText(page.getByTestId('current-user'), name);
}

async function menuItems(page: Page): Promise<string[]> {
  await page.getByRole('menuitem').first().waitFor();
  return (await page.getByRole('menuitem').allTextContents()).map((s) => s.trim());
}

describe('账号管理 and 审计 in Chromium (browser mode)', () => {
  it('shows each role only its own sections, and main refuses a staff member the account list', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'zhangli', 'demo1234', '张莉');
    expect(await menuItems(page)).toEqual(['回访任务', '面访记录', '问题件', '清单', '数据同步', '统计报表']);
    await page.getByTestId('task-row').first().waitFor();

    // Hiding the menu is a courtesy; the refusal is main's.
    const refused = await rawCall('accounts.list', {}, staff);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: '当前账号无权执行此操作' } });
    expect(await rawCall('audit.list', { offset: 0, limit: 10 }, staff)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await rawCall('audit.verify', {}, staff)).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    expect(errors).toEqual([]);
    await page.close();

    const sales = await newPage();
    await signIn(sales.page, 'wangqiang', 'demo1234', '王强');
    expect(await menuItems(sales.page)).toEqual(['回访任务', '面访记录']);
    expect(sales.errors).toEqual([]);
    await sales.page.close();

    // A manager runs the integrity check but does not read the log.
    const manager = await newPage();
    await signIn(manager.page, 'liuyang', 'demo1234', '刘洋');
    expect(await menuItems(manager.page)).toEqual(['回访任务', '面访记录', '问题件', '清单', '主管会签', '数据同步', '统计报表', '设置', '审计']);
    await manager.page.getByRole('menuitem', { name: '审计' }).click();
    await manager.page.getByTestId('audit-verify').waitFor();
    expect(await manager.page.getByTestId('audit-table').count()).toBe(0);
    expect(manager.errors).toEqual([]);
    await manager.page.close();
  });

  it('an administrator creates a sales rep (工号 required), disables an account, and resets a locked one\'s password', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'admin', 'admin-pass-1', '系统管理员');
    // An administrator lands on 设置 and has no visit sections.
    await page.getByTestId('settings-page').waitFor();
    const sections = await menuItems(page);
    expect(sections).toEqual(expect.arrayContaining(['回访任务', '设置', '账号管理', '审计']));
    for (const visitWork of ['面访记录', '问题件', '主管会签', '统计报表']) expect(sections).not.toContain(visitWork);

    await page.getByRole('menuitem', { name: '账号管理' }).click();
    const table = page.getByTestId('accounts-table');
    await waitForText(table.locator('.ant-table-row', { hasText: 'zhangli' }), '回访专员');
    await waitForText(table.locator('.ant-table-row', { hasText: 'wangqiang' }), 'YW2033');

    // 新建账号: the schema's own messages first, then main's — a sales rep without 工号.
    await page.getByTestId('account-create').click();
    const form = page.getByTestId('account-create-form');
    await form.getByRole('button', { name: '创建' }).click();
    await waitForText(form, '请填写姓名');
    await page.locator('#account-username').fill('zhaomin');
    await page.locator('#account-displayName').fill('赵敏');
    await page.locator('#account-role').click();
    await page.locator('.ant-select-item-option[title="业务员"]').click();
    await page.locator('#account-password').fill('sales-pass-1');
    await form.getByRole('button', { name: '创建' }).click();
    await waitForText(form.locator('.ant-form-item', { has: page.locator('#account-employeeNo') }), '请填写工号');
    await waitForText(page.getByTestId('account-form-error'), '业务员必须填写工号');
    await page.locator('#account-employeeNo').fill('YW3001');
    await form.getByRole('button', { name: '创建' }).click();
    await form.waitFor({ state: 'detached' });
    const zhaomin = table.locator('.ant-table-row', { hasText: 'zhaomin' });
    await waitForText(zhaomin, '赵敏');
    await waitForText(zhaomin, '业务员');
    await waitForText(zhaomin, 'YW3001');
    await waitForText(zhaomin.getByTestId('account-status'), /^启用$/);
    const zhaominSession = (await api('auth.signIn', { username: 'zhaomin', password: 'sales-pass-1' })).sessionToken;

    // 编辑: clearing a sales rep's 工号 is refused beside the field.
    await zhaomin.getByRole('button', { name: '编辑' }).click();
    const edit = page.getByTestId('account-edit-form');
    await page.locator('#edit-employeeNo').fill('');
    await edit.getByRole('button', { name: '保存' }).click();
    await waitForText(edit, '请填写工号');
    await page.locator('#edit-displayName').fill('赵敏（个险）');
    await page.locator('#edit-employeeNo').fill('YW3001');
    await edit.getByRole('button', { name: '保存' }).click();
    await edit.waitFor({ state: 'detached' });
    await waitForText(zhaomin, '赵敏（个险）');

    // 停用, with a confirm: the open session ends and signing in is refused in Chinese.
    await zhaomin.getByRole('button', { name: '停用' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '停用' }).click();
    await waitForText(zhaomin.getByTestId('account-status'), /^停用$/);
    await zhaomin.getByRole('button', { name: '启用' }).waitFor();
    expect(await rawCall('auth.me', {}, zhaominSession)).toMatchObject({ ok: false });
    const other = await newPage();
    await other.page.goto(app.url);
    await other.page.locator('#signin-username').fill('zhaomin');
    await other.page.locator('#signin-password').fill('sales-pass-1');
    await other.page.getByRole('button', { name: '登录' }).click();
    await other.page.getByText('该账号已停用，请联系管理员').waitFor();
    expect(other.errors).toEqual([]);
    await other.page.close();

    // One's own account cannot be disabled from here.
    expect(await table.locator('.ant-table-row', { hasText: 'admin' }).getByRole('button', { name: '停用' }).isDisabled()).toBe(true);

    // Five wrong passwords lock 王强 out; a reset lifts the lock and sets the new password.
    for (let i = 0; i < 5; i++) await rawCall('auth.signIn', { username: 'wangqiang', password: 'wrong-password' }, null);
    await page.getByRole('button', { name: '刷新' }).click();
    const wangqiang = table.locator('.ant-table-row', { hasText: 'wangqiang' });
    await waitForText(wangqiang.getByTestId('account-status'), /^已锁定至 \d{2}:\d{2}$/);
    await wangqiang.getByRole('button', { name: '重置密码' }).click();
    const reset = page.getByTestId('reset-password-form');
    await page.locator('#reset-password').fill('short');
    await reset.getByRole('button', { name: '重置密码' }).click();
    await waitForText(reset, '密码至少 8 位');
    await page.locator('#reset-password').fill('new-pass-123');
    await page.locator('#reset-confirm').fill('new-pass-124');
    await reset.getByRole('button', { name: '重置密码' }).click();
    await waitForText(reset, '两次输入的密码不一致');
    await page.locator('#reset-confirm').fill('new-pass-123');
    await reset.getByRole('button', { name: '重置密码' }).click();
    await reset.waitFor({ state: 'detached' });
    await waitForText(wangqiang.getByTestId('account-status'), /^启用$/);
    expect(await rawCall('auth.signIn', { username: 'wangqiang', password: 'demo1234' }, null)).toMatchObject({ ok: false, error: { message: '账号或密码不正确' } });
    expect((await api('auth.signIn', { username: 'wangqiang', password: 'new-pass-123' })).user.displayName).toBe('王强');

    expect(errors).toEqual([]);
    await page.close();
  });

  it('anyone changes their own password from the header', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'liuyang', 'demo1234', '刘洋');
    await page.getByTestId('change-password').click();
    const form = page.getByTestId('change-password-form');
    await page.locator('#change-current').fill('not-my-password');
    await page.locator('#change-next').fill('manager-pass-2');
    await page.locator('#change-confirm').fill('manager-pass-2');
    await form.getByRole('button', { name: '确认修改' }).click();
    await waitForText(form.locator('.ant-form-item', { has: page.locator('#change-current') }), '密码不正确');
    await page.locator('#change-current').fill('demo1234');
    await form.getByRole('button', { name: '确认修改' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByText('密码已修改').waitFor();
    expect((await api('auth.signIn', { username: 'liuyang', password: 'manager-pass-2' })).user.role).toBe('manager');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the integrity check is all good, then names the record changed behind the desk\'s back; the log reads in Chinese', async () => {
    const { page, errors } = await newPage();
    await signIn(page, 'admin', 'admin-pass-1', '系统管理员');
    await page.getByRole('menuitem', { name: '审计' }).click();

    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('verify-result');
    await waitForText(result, '完好：审计日志与面访记录均未发现改动');
    expect(await result.getAttribute('data-ok')).toBe('true');
    await waitForText(result, /已核对审计日志 \d+ 条、已定稿面访记录 1 份/);

    // The log: newest first, times at +08:00, actions in Chinese; the check itself is on top.
    const log = page.getByTestId('audit-table');
    const first = log.locator('.ant-table-row').first();
    await waitForText(first, '完整性校验');
    await waitForText(first, '完好');
    expect(await first.locator('td').first().textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    await waitForText(log, '停用账号');
    await waitForText(log, '面访记录定稿');

    // Filtered to one action: only those entries, with the account they concern.
    await page.locator('#audit-action').click();
    await page.locator('#audit-action').fill('停用');
    await page.locator('.ant-select-item-option[title="停用账号"]').click();
    await waitForText(page.locator('.ant-pagination-total-text'), '共 1 条');
    await waitForText(log.locator('.ant-table-row').first(), 'zhaomin（赵敏（个险））');
    expect(await log.locator('.ant-table-row').count()).toBe(1);

    tamperWithRecord(visit.id);
    await page.getByTestId('audit-verify').click();
    await waitForText(result, '发现问题');
    expect(await result.getAttribute('data-ok')).toBe('false');
    await waitForText(page.getByTestId('verify-chain'), '审计日志的哈希链完整');
    const problem = page.getByTestId('verify-problems').locator('.ant-table-row', { hasText: visit.recordNo });
    await waitForText(problem, 'v1');
    await waitForText(problem, '记录内容与审计日志中定稿时的哈希不一致');
    await page.screenshot({ path: '/tmp/audit-problems.png' });

    expect(errors).toEqual([]);
    await page.close();
  });
});
