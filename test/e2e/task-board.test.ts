import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/dates';
import { bridgeApi, setUpDemoBranch, launchChromium, startBrowserMode, waitForText, watchForErrors, type RunningApp } from '../support/browser-mode';
import { tempDir } from '../support/temp';

let app: RunningApp;
const api: ReturnType<typeof bridgeApi> = (method, input, session) => bridgeApi(app)(method, input, session);
let browser: Browser;
const files = tempDir('vd-e2e-board-');

beforeAll(async () => {
  app = await startBrowserMode();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  files.cleanup();
});


/** The PC's date, as the board counts it. */
function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A date cell as Excel holds it (exceljs reads and writes the UTC day). */
const excelDate = (iso: string) => new Date(`${iso}T00:00:00Z`);

const NAMES = ['赵丽娟', '钱国强', '孙海燕', '李建华', '周晓梅', '吴志刚', '郑秀英', '王德明', '冯雪', '陈立新', '褚玉兰', '卫东', '蒋红梅', '沈建国', '韩冬梅', '杨志强', '朱丽', '秦海', '尤桂芳', '许文'];
const OVERDUE = 8;
const FILE_NAME = '2026年11月新契约回访不成功件清单.xlsx';

interface ListRow {
  policyNo: string;
  name: string;
  phone: string;
  receipt: Date | string;
  caseType: string;
}

/**
 * A head-office list as the call centre sends it: a title row above the header, the usual column
 * names plus one the recogniser does not know (「投保人联系方式」 for the phone), 20 unreached and
 * dialect cases — the first 8 signed long ago, so overdue — and two broken rows.
 */
async function headOfficeList(): Promise<{ file: string; rows: ListRow[]; badDateRow: number; noNameRow: number }> {
  const today = localToday();
  const rows: ListRow[] = NAMES.map((name, i) => ({
    policyNo: `HB2026${880001 + i}`,
    name,
    phone: `1380000${String(i + 1).padStart(4, '0')}`,
    // Overdue: signed 31–38 days ago. The rest: signed 0–7 days ago, so the 10-day period still runs.
    receipt: excelDate(addDays(today, i < OVERDUE ? -(31 + i) : -((i - OVERDUE) % 8))),
    caseType: i % 2 === 0 ? '不成功件' : '方言件',
  }));
  // Two rows that cannot become tasks, among the good ones.
  rows.splice(4, 0, { policyNo: 'HB2026889901', name: '何平', phone: '13800009901', receipt: '2026-02-30', caseType: '不成功件' });
  rows.splice(12, 0, { policyNo: 'HB2026889902', name: '', phone: '13800009902', receipt: excelDate(addDays(today, -2)), caseType: '方言件' });

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('不成功件');
  ws.addRow(['2026年11月 新契约回访不成功件清单（分公司处理）']);
  ws.mergeCells('A1:J1');
  ws.addRow(['序号', '保单号', '投保人', '投保人联系方式', '险种名称', '保险期限', '销售渠道', '回执签署日期', '件类型', '业务员']);
  rows.forEach((r, i) => ws.addRow([i + 1, r.policyNo, r.name, r.phone, '鑫福年年两全保险（分红型）', 20, '个险', r.receipt, r.caseType, '王强']));
  const file = path.join(files.dir, FILE_NAME);
  await wb.xlsx.writeFile(file);
  // Title row 1, header row 2: data row i is spreadsheet row i + 3.
  return { file, rows, badDateRow: 4 + 3, noNameRow: 12 + 3 };
}

/** Picks an option of an antd Select by its (searchable) label. */
async function pick(page: Page, select: ReturnType<Page['locator']>, label: string, typed?: string): Promise<void> {
  await select.click();
  if (typed) await select.fill(typed);
  await page.locator(`.ant-select-item-option[title="${label}"]:visible`).click();
}

/** Closes the drawer holding the element with this test id (others may still be fading out). */
async function closeDrawer(page: Page, testId: string): Promise<void> {
  await page.locator('.ant-drawer').filter({ has: page.getByTestId(testId) }).locator('.ant-drawer-close').click();
  await page.getByTestId(testId).waitFor({ state: 'hidden' });
}

async function uploadList(page: Page, file: string): Promise<void> {
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-wizard').locator('input[type=file]').setInputFiles(file);
  await page.getByTestId('import-mapping').waitFor({ timeout: 20_000 });
}

describe('回访任务 in Chromium (browser mode)', () => {
  it('imports a head-office list, works the board, books, logs attempts, and re-imports idempotently', async () => {
    await setUpDemoBranch(api);
    const list = await headOfficeList();

    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 820 } });
    const errors = watchForErrors(page);
    await page.goto(app.url);
    await page.locator('#signin-username').fill('liuyang');
    await page.locator('#signin-password').fill('demo1234');
    await page.getByRole('button', { name: '登录' }).click();
    await waitForText(page.getByTestId('current-user'), '刘洋（主管）');
    await waitForText(page.getByTestId('task-total'), /^200$/);
    await page.getByTestId('task-row').first().waitFor();

    // ——— 导入清单: upload, then the column the recogniser could not name is fixed by hand. ———
    await uploadList(page, list.file);
    await page.getByTestId('mapping-recognised').waitFor();
    const phoneRow = page.locator('.mapping-row-applicantPhone');
    await waitForText(phoneRow, '不导入');
    await waitForText(page.getByTestId('unmapped-columns'), '投保人联系方式');
    await pick(page, page.locator('#map-applicantPhone'), 'D 列「投保人联系方式」', '联系方式');
    await waitForText(phoneRow, '138****0001'); // samples mask phone numbers
    expect(await page.getByTestId('unmapped-columns').textContent()).not.toContain('投保人联系方式');
    // The list has a 件类型 column; the list kind covers rows without one.
    await waitForText(page.getByTestId('import-mapping').locator('.mapping-kind'), '新契约回访');

    await page.getByTestId('start-preview').click();
    const counts = page.getByTestId('preview-counts');
    await waitForText(counts, '共 22 行：有效 20 / 有误 2 / 重复 0 / 新增 20 / 更新 0 / 无变化 0', 20_000);
    const issues = page.getByTestId('preview-issues');
    await waitForText(issues, `第 ${list.badDateRow} 行「回执签署日期」列：2026-02-30 不是有效日期`);
    await waitForText(issues, `第 ${list.noNameRow} 行「投保人」列：未填写`);
    await waitForText(page.getByTestId('preview-sample'), 'HB2026880001');
    await page.getByTestId('commit-import').getByText('导入有效的 20 行').waitFor();
    await page.getByTestId('commit-import').click();
    await waitForText(page.getByTestId('import-summary'), '新增 20 个任务，更新 0 个，无变化 0 个；跳过 2 行', 20_000);
    await page.getByTestId('import-finish').click();
    await waitForText(page.getByTestId('task-total'), /^220$/);

    // ——— The board: search (debounced as one types), masked phones, bulk assignment. ———
    await page.getByPlaceholder('搜索客户姓名、保单号或电话').fill('HB2026880');
    await waitForText(page.getByTestId('board-count'), '共 20 条');
    await waitForText(page.getByTestId('task-row').first(), /138\*{4}00\d\d/);
    await waitForText(page.getByTestId('task-row').first(), '待分配');
    const firstTwo = page.getByTestId('task-row');
    await firstTwo.nth(0).locator('.vt-check .ant-checkbox').click();
    await firstTwo.nth(1).locator('.vt-check .ant-checkbox').click();
    await waitForText(page.getByTestId('bulk-assign'), '批量分配（2）');
    await page.getByTestId('bulk-assign').click();
    await pick(page, page.locator('#assign-user'), '张莉（回访专员）');
    await page.getByRole('button', { name: '确认分配' }).click();
    await page.getByText('已将 2 个任务分配给 张莉').waitFor();
    await waitForText(firstTwo.nth(0), '张莉');
    await waitForText(firstTwo.nth(1), '待联系');

    // ——— 期限 → 已逾期: only overdue tasks, every badge says so. ———
    await pick(page, page.getByRole('combobox', { name: '期限' }), '已逾期');
    await waitForText(page.getByTestId('board-count'), `共 ${OVERDUE} 条`);
    await page.getByTestId('task-row').nth(OVERDUE - 1).waitFor();
    const badges = await page.getByTestId('countdown').allTextContents();
    expect(badges).toHaveLength(OVERDUE);
    for (const b of badges) expect(b).toMatch(/^已逾期 \d+ 天$/);
    const overdueName = (await page.getByTestId('task-row').first().locator('.vt-customer').textContent()) ?? '';
    expect(NAMES.slice(0, OVERDUE)).toContain(overdueName);

    // ——— The detail pane: facts and deadline, then book an appointment. ———
    await page.getByTestId('task-row').first().click();
    const detail = page.getByTestId('task-detail');
    await waitForText(page.getByTestId('detail-status'), '待联系');
    await waitForText(page.getByTestId('detail-explanation'), '犹豫期');
    await waitForText(page.getByTestId('detail-phone'), /^138\*{4}00\d\d$/);
    await waitForText(page.getByTestId('next-step'), '电话回访');

    await detail.getByRole('tab', { name: /预约/ }).click();
    const today = localToday();
    await page.locator('#appt-date').fill(today);
    await page.locator('#appt-date').press('Tab');
    await page.locator('#appt-time').fill('16:30');
    await page.locator('#appt-time').press('Tab');
    await page.locator('#appt-place').fill('客户家中（历下区泉城路 12 号）');
    await page.getByTestId('appointment-submit').click();
    await waitForText(page.getByTestId('detail-status'), '已预约');
    await waitForText(page.getByTestId('appointments-list'), `${today} 16:30`);
    await waitForText(page.getByTestId('appointments-list'), '客户家中（历下区泉城路 12 号） · 联系人 本人');

    // ——— 联系记录: 无人接听, then 电话号码错误 → the next step is to correct the number. ———
    await detail.getByRole('tab', { name: /联系记录/ }).click();
    await page.getByTestId('attempt-outcome').getByText('无人接听').click();
    await page.getByTestId('attempt-submit').click();
    await waitForText(page.getByTestId('attempts-list'), '无人接听');
    await waitForText(page.getByTestId('next-step'), '再次电话回访');
    await page.getByTestId('attempt-outcome').getByText('电话号码错误').click();
    await page.locator('#attempt-note').fill('空号');
    await page.getByTestId('attempt-submit').click();
    await waitForText(page.getByTestId('attempts-list'), '电话号码错误');
    await waitForText(page.getByTestId('attempts-list').locator('tbody tr').first(), '空号');
    expect(await page.getByTestId('attempts-list').locator('tbody tr').count()).toBe(2);
    await waitForText(page.getByTestId('next-step'), '补正投保人联系电话后再次进行电话回访');
    await page.getByTestId('open-correct-phone').waitFor();
    // A booked task stays 已预约 while attempts are logged.
    await waitForText(page.getByTestId('detail-status'), '已预约');
    await closeDrawer(page, 'task-detail');

    // ——— 我的预约: this week, the appointment just booked; it opens its task. ———
    await page.getByTestId('open-week').click();
    const appt = page.getByTestId('week-appointment').filter({ hasText: overdueName });
    await waitForText(appt, '16:30');
    await waitForText(appt, '客户家中');
    await appt.click();
    await waitForText(page.getByTestId('detail-status'), '已预约');
    await waitForText(page.locator('.detail-name'), overdueName);
    await closeDrawer(page, 'task-detail');

    // ——— The same list again: the mapping is remembered and every row is unchanged. ———
    await uploadList(page, list.file);
    await page.getByTestId('mapping-remembered').getByText('已按上次该格式的对应关系自动填写').waitFor();
    await waitForText(page.locator('.mapping-row-applicantPhone'), '投保人联系方式');
    await page.getByTestId('start-preview').click();
    await waitForText(page.getByTestId('preview-counts'), '共 22 行：有效 20 / 有误 2 / 重复 0 / 新增 0 / 更新 0 / 无变化 20', 20_000);
    const actions = await page.getByTestId('preview-sample').locator('tbody .ant-tag').allTextContents();
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions)).toEqual(new Set(['无变化']));
    await page.getByTestId('commit-import').click();
    await waitForText(page.getByTestId('import-summary'), '新增 0 个任务，更新 0 个，无变化 20 个', 20_000);
    await page.getByTestId('import-finish').click();
    await waitForText(page.getByTestId('task-total'), /^220$/);

    // ——— 导入记录: both imports, by whom, with their counts. ———
    await page.getByTestId('open-batches').click();
    const batches = page.getByTestId('import-batches');
    await waitForText(batches, FILE_NAME);
    expect(await batches.locator('tbody tr', { hasText: FILE_NAME }).count()).toBe(2);
    await waitForText(batches.locator('tbody tr').first(), '刘洋');
    await closeDrawer(page, 'import-batches');

    // ——— 更正号码 on the wrong number: the new number shows masked, the change is in the history. ———
    await page.getByTestId('task-row').filter({ hasText: overdueName }).click();
    await page.getByTestId('open-correct-phone').click();
    await page.locator('#phone-new').fill('139 1234 5678');
    await page.locator('#phone-reason').fill('经业务员核实，客户已换号');
    await page.getByTestId('correct-phone-form').getByRole('button', { name: '保存新号码' }).click();
    await waitForText(page.getByTestId('detail-phone'), '139****5678');
    await page.getByTestId('task-detail').getByRole('tab', { name: /历史/ }).click();
    await waitForText(page.getByTestId('history'), '更正联系电话：经业务员核实，客户已换号');
    await waitForText(page.getByTestId('history'), '139****5678');

    expect(errors).toEqual([]);
  });
});
