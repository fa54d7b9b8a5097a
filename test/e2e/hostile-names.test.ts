import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListPage, VisitView } from '../../shared/api/contract';
import type { TaskRow } from '../../shared/domain/tasks';
import { addDays } from '../../shared/dates';
import { visibleQuestions } from '../../shared/questionnaire';
import { bridgeApi, launchChromium, setUpDemoBranch, startBrowserMode, waitForText, watchForErrors, type RunningApp } from '../support/browser-mode';
import { fakeSignature } from '../support/signature';
import { tempDir } from '../support/temp';
import { visitedAtBefore } from '../support/visit-flow';

let app: RunningApp;
const api: ReturnType<typeof bridgeApi> = (method, input, session) => bridgeApi(app)(method, input, session);
let browser: Browser;
let admin: string;
let staff: string;
let manager: string;
const files = tempDir('vd-e2e-hostile-');

// Every payload, if it ever ran, would set this flag (and open a dialog, which fails the page too).
const PWN = 'window.__pwned=1;alert(1)';
const P = {
  script: `<script>${PWN}</script>`,
  img: `<img src=x onerror="${PWN}">`,
  svg: `"><svg onload="${PWN}">`,
  sql: `O'Brien"; DROP TABLE visit_tasks;--`,
  bidi: '\u202E赵钱孙\u202C \u2066李\u2067周\u2068吴\u2069郑',
  zwj: '王\u200D小\u200D明 👨\u200D👩\u200D👧',
};
/** Names that would be formulas if a spreadsheet took them as typed. */
const FORMULAS = ['=HYPERLINK("http://evil.example","点我")', '+86 张三', '-张三+1', '@SUM(1+1)*cmd'];
/** At the import's limit (50 characters), with markup in it. */
const LONG_NAME = `<vd-x>${'长'.repeat(35)}</vd-x>xx`;
/** One past the limit: refused with its row named, and shown as text while it is. */
const TOO_LONG_NAME = `${LONG_NAME}y`;
const NAMES = [P.script, P.img, P.svg, P.sql, P.bidi, P.zwj, LONG_NAME, ...FORMULAS];

/** Free text for the forms: every payload on its own line, and what String.replace would expand. */
const FREE = [P.script, P.img, P.svg, P.sql, P.bidi, P.zwj, "$& $' $` {reason} ${x}", "=cmd|'/c calc'!A1"].join('\n');
const REVEAL_REASON = `${P.img} ${P.bidi} ${P.sql}`;

// The import removes zero-width characters from names on purpose (an Excel cell copied from a web
// page carries them invisibly, and they break exact matches); everything else is kept as written.
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
const stored = (name: string) => name.replace(ZERO_WIDTH, '');

const policyNo = (i: number) => `HX2026${String(700001 + i)}`;
const ADDRESS = `${P.img} 济南市历下区泉城路 ${P.bidi}`;

function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The PC's wall-clock time `minutes` from now, as the contact log takes it. */
function localTime(minutes: number): string {
  const d = new Date(Date.now() + minutes * 60_000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}`;
}

/** A head-office list whose names and addresses are the payloads, written as a real .xlsx. */
async function hostileList(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('不成功件');
  ws.addRow(['保单号', '投保人', '联系电话', '回执签署日期', '险种名称', '件类型', '保险期限', '联系地址']);
  const receipt = new Date(`${addDays(localToday(), -2)}T00:00:00Z`);
  [...NAMES, TOO_LONG_NAME].forEach((name, i) => ws.addRow([policyNo(i), name, `1370000${String(i + 1).padStart(4, '0')}`, receipt, '鑫福年年两全保险（分红型）', '不成功件', 20, ADDRESS]));
  const file = path.join(files.dir, '恶意姓名清单.xlsx');
  await wb.xlsx.writeFile(file);
  return file;
}

beforeAll(async () => {
  app = await startBrowserMode();
  browser = await launchChromium();
  admin = (await setUpDemoBranch(api)).sessionToken;
  staff = (await api('auth.signIn', { username: 'zhangli', password: 'demo1234' })).sessionToken;
  manager = (await api('auth.signIn', { username: 'liuyang', password: 'demo1234' })).sessionToken;
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  files.cleanup();
});

interface Watched {
  page: Page;
  errors: string[];
}

async function newPage(): Promise<Watched> {
  const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
    // The print view calls window.print(); headless Chromium would wait on it.
    window.print = () => undefined;
  });
  return { page, errors: watchForErrors(page) };
}

/** Nothing ran: no flag, no dialog, no CSP violation, no console error, no payload turned into an element. */
async function nothingRan({ page, errors }: Watched, where: string): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), where).toBeUndefined();
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp), where).toEqual([]);
  expect(await page.locator('script:not([src]), svg[onload], img[onerror], img[src="x"], vd-x').count(), where).toBe(0);
  expect(errors, where).toEqual([]);
}

async function signIn(page: Page, username: string, name: string, password = 'demo1234'): Promise<void> {
  await page.goto(app.url);
  await page.locator('#signin-username').fill(username);
  await page.locator('#signin-password').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await waitForText(page.getByTestId('current-user'), name);
}

const textsOf = (l: Locator) => l.evaluateAll((els) => els.map((e) => e.textContent ?? ''));

async function closeDrawer(page: Page, testId: string): Promise<void> {
  await page.locator('.ant-drawer').filter({ has: page.getByTestId(testId) }).locator('.ant-drawer-close').click();
  await page.getByTestId(testId).waitFor({ state: 'hidden' });
}

/** Our tasks, read back through the contract: what the database holds. */
async function storedTasks(): Promise<TaskRow[]> {
  const rows = (await api('tasks.list', { search: 'HX2026', limit: 100 }, staff)).rows;
  return rows.sort((a, b) => a.policyNo!.localeCompare(b.policyNo!));
}

describe('hostile names and notes in Chromium: shown verbatim, never run', () => {
  let tasks: TaskRow[];

  it('a head-office list of hostile names imports through the UI; the preview, board, search and drawer show them as text', async () => {
    const w = await newPage();
    const { page } = w;
    await signIn(page, 'zhangli', '张莉');

    await page.getByTestId('open-import').click();
    await page.getByTestId('import-wizard').locator('input[type=file]').setInputFiles(await hostileList());
    await page.getByTestId('import-mapping').waitFor({ timeout: 20_000 });
    await page.getByTestId('start-preview').click();
    await waitForText(page.getByTestId('preview-counts'), `有效 ${NAMES.length} / 有误 1`, 20_000);
    // The refused row is named, its name quoted as text.
    await waitForText(page.getByTestId('preview-issues'), `第 ${NAMES.length + 2} 行「投保人」列`);
    const sample = (await page.getByTestId('preview-sample').textContent()) ?? '';
    for (const n of NAMES.slice(0, 5)) expect(sample, n).toContain(stored(n));
    await nothingRan(w, 'import preview');
    await page.getByTestId('commit-import').click();
    await waitForText(page.getByTestId('import-summary'), `新增 ${NAMES.length} 个任务`, 20_000);
    await page.getByTestId('import-finish').click();

    // The database holds each name exactly as the list had it (zero-width characters aside, by design).
    tasks = await storedTasks();
    expect(tasks.map((t) => t.customerName)).toEqual(NAMES.map(stored));
    const detail0 = await api('tasks.get', { id: tasks[0]!.id }, staff);
    expect(detail0.customer.address).toBe(ADDRESS);

    // The board, narrowed to the list by policy number: every name, verbatim.
    const search = page.getByPlaceholder('搜索客户姓名、保单号或电话');
    await search.fill('HX2026');
    await waitForText(page.getByTestId('board-count'), `共 ${NAMES.length} 条`);
    await page.getByTestId('task-row').nth(NAMES.length - 1).waitFor();
    expect((await textsOf(page.getByTestId('task-row').locator('.vt-customer'))).sort()).toEqual(NAMES.map(stored).sort());

    // Searching for the payloads themselves (quotes and all) finds exactly the names holding them.
    // (The search drops spaces and hyphens, as phone numbers are typed with them, so no query has one.)
    for (const q of [`O'Brien";`, 'visit_tasks;--', '<script>', 'onerror="', '\u2066李\u2067周']) {
      await search.fill(q);
      await search.press('Enter');
      const expected = NAMES.map(stored).filter((n) => n.includes(q.replace(/-/g, '')));
      await waitForText(page.getByTestId('board-count'), `共 ${expected.length} 条`);
      await page.getByTestId('task-row').nth(expected.length - 1).waitFor();
      expect((await textsOf(page.getByTestId('task-row').locator('.vt-customer'))).sort(), q).toEqual(expected.sort());
    }

    // Each task's drawer: the name in the title, as stored.
    await search.fill('HX2026');
    await search.press('Enter');
    await waitForText(page.getByTestId('board-count'), `共 ${NAMES.length} 条`);
    for (const t of tasks) {
      await page.getByTestId('task-row').filter({ hasText: t.policyNo! }).click();
      await waitForText(page.getByTestId('detail-status'), /./);
      await expect.poll(() => page.locator('.ant-drawer-open .detail-name').textContent()).toBe(t.customerName);
      await closeDrawer(page, 'task-detail');
    }
    await nothingRan(w, 'board, search and drawer');
    await page.close();
  });

  it('a note typed in the drawer, and the reasons recorded, show verbatim there and in 不成功件清单; its .xlsx holds them as text, never formulas', async () => {
    const w = await newPage();
    const { page } = w;
    await signIn(page, 'zhangli', '张莉');
    await page.getByPlaceholder('搜索客户姓名、保单号或电话').fill('HX2026');
    await waitForText(page.getByTestId('board-count'), `共 ${NAMES.length} 条`);

    // Typed into the form, as a person (or a paste) would.
    const typed = tasks[FORMULAS.length]!;
    await page.getByTestId('task-row').filter({ hasText: typed.policyNo! }).click();
    await page.getByTestId('task-detail').getByRole('tab', { name: /联系记录/ }).click();
    await page.getByTestId('attempt-outcome').getByText('无人接听').click();
    await page.locator('#attempt-note').fill(FREE);
    await page.getByTestId('attempt-submit').click();
    await waitForText(page.getByTestId('attempts-list'), '无人接听');
    const noteCells = await textsOf(page.getByTestId('attempts-list').locator('tbody td'));
    expect(noteCells).toContain(FREE);
    expect((await api('tasks.get', { id: typed.id }, staff)).attempts.map((a) => a.note)).toContain(FREE);
    await closeDrawer(page, 'task-detail');

    // Every task down the fallback ladder to 不成功, through the contract, with the free text as notes and reason.
    for (const t of tasks) {
      if (t.id !== typed.id) await api('attempts.log', { taskId: t.id, method: 'phone', attemptedAt: localTime(-60), outcome: 'not_answered', note: FREE }, staff);
      // The letter comes last (after the call typed above), so the next step is to record why.
      await api('attempts.log', { taskId: t.id, method: 'letter', attemptedAt: localTime(0), outcome: 'not_answered', note: t.customerName }, staff);
      await api('tasks.recordUnable', { taskId: t.id, reason: FREE }, staff);
    }
    const all = await api('lists.get', { list: 'failed', offset: 0, limit: 500 }, staff);
    const ours = all.rows.filter((r) => r.values.policyNo?.startsWith('HX2026'));
    expect(ours).toHaveLength(tasks.length * 2);
    expect(new Set(ours.map((r) => r.values.customerName))).toEqual(new Set(NAMES.map(stored)));
    for (const r of ours) expect(r.values.unableReason).toBe(FREE);

    // On screen: the page holding our rows, every cell as main sent it.
    await page.getByRole('menuitem', { name: '清单' }).click();
    await page.getByTestId('list-tab-failed').click();
    const list = page.getByTestId('list-failed');
    await waitForText(list, `共 ${all.total} 行`);
    const first = all.rows.findIndex((r) => r.values.policyNo?.startsWith('HX2026'));
    const pageNo = Math.floor(first / 50) + 1;
    if (pageNo > 1) await list.locator(`.ant-pagination-item-${pageNo}`).click();
    const shown: ListPage['rows'] = all.rows.slice((pageNo - 1) * 50, pageNo * 50);
    await waitForText(list.getByTestId('list-table').locator('tbody'), shown[0]!.values.policyNo!);
    const rowsOnScreen = list.getByTestId('list-table').locator('tbody tr.ant-table-row');
    expect(await rowsOnScreen.count()).toBe(shown.length);
    for (let i = 0; i < shown.length; i++) {
      const cells = await textsOf(rowsOnScreen.nth(i).locator('td'));
      expect(cells, `row ${i}`).toEqual(all.columns.map((c) => shown[i]!.values[c.key] ?? ''));
    }

    // The export: downloaded as the user gets it, read back with exceljs.
    const [download] = await Promise.all([page.waitForEvent('download'), list.getByTestId('list-export').click()]);
    const file = path.join(files.dir, 'failed.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    const col = (key: string) => all.columns.findIndex((c) => c.key === key) + 1;
    const exported = new Map<string, { name: ExcelJS.Cell; note: ExcelJS.Cell; reason: ExcelJS.Cell }[]>();
    ws.eachRow((row, n) => {
      if (n === 1) return;
      const policy = String(row.getCell(col('policyNo')).value ?? '');
      if (!policy.startsWith('HX2026')) return;
      exported.set(policy, [...(exported.get(policy) ?? []), { name: row.getCell(col('customerName')), note: row.getCell(col('note')), reason: row.getCell(col('unableReason')) }]);
    });
    expect(exported.size).toBe(tasks.length);
    for (const t of tasks) {
      for (const cells of exported.get(t.policyNo!)!) {
        for (const [cell, value] of [[cells.name, t.customerName], [cells.reason, FREE]] as const) {
          expect(cell.type, `${t.policyNo} ${value}`).toBe(ExcelJS.ValueType.String);
          expect(cell.formula).toBeUndefined();
          expect(cell.value).toBe(value);
        }
        expect([FREE, t.customerName]).toContain(cells.note.value);
        expect(cells.note.type).toBe(ExcelJS.ValueType.String);
      }
    }
    await nothingRan(w, 'drawer note and 不成功件清单');
    await page.close();
  });

  it('the record sheet, its print view and the return notice show hostile text verbatim', async () => {
    // A visit on the bidi-named customer, its sheet filled with the payloads.
    const task = tasks[NAMES.indexOf(P.bidi)]!;
    const now = new Date();
    let v: VisitView = await api('visits.start', { taskId: task.id }, staff);
    v = await api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: visitedAtBefore(now) }, staff);
    for (const q of visibleQuestions(v.template, (v.productType ?? undefined) as never)) {
      v = await api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer: q.expected }, staff);
    }
    v = await api('visits.saveSheet', { visitId: v.id, sheet: { interviewee: `${P.svg} ${P.zwj}`, summary: FREE, feedback: FREE, remarks: REVEAL_REASON } }, staff);
    v = await api('visits.sign', { visitId: v.id, role: 'customer', ...fakeSignature(task.customerName) }, staff);
    v = await api('visits.sign', { visitId: v.id, role: 'staff', ...fakeSignature('回访人') }, staff);
    v = await api('visits.finalise', { visitId: v.id }, staff);
    expect(v.sheet).toMatchObject({ customerName: task.customerName, interviewee: `${P.svg} ${P.zwj}`, summary: FREE, feedback: FREE, remarks: REVEAL_REASON, place: ADDRESS });

    const w = await newPage();
    const { page } = w;
    await signIn(page, 'zhangli', '张莉');
    await page.getByRole('menuitem', { name: '面访记录' }).click();
    await page.getByTestId('visit-records').locator('.ant-table-row', { hasText: v.recordNo }).click();
    await waitForText(page.getByTestId('visit-workspace'), v.recordNo);
    await page.locator('.ant-steps-item', { hasText: '回访记录表' }).click();
    const sheet = page.getByTestId('sheet-readonly');
    await sheet.waitFor();
    const sheetTexts = await textsOf(sheet.locator('.pre-wrap'));
    for (const value of [task.customerName, v.sheet.interviewee, FREE, REVEAL_REASON, ADDRESS]) expect(sheetTexts, value!).toContain(value);

    await page.getByTestId('visit-print-button').click();
    const print = page.getByTestId('visit-print');
    await waitForText(print, '客户回访记录表');
    const printed = await textsOf(print.locator('.pre-wrap'));
    for (const value of [task.customerName, v.sheet.interviewee, FREE, REVEAL_REASON, ADDRESS]) expect(printed, value!).toContain(value);
    await page.getByTestId('print-close').click();
    await nothingRan(w, 'record sheet and print view');
    await page.close();

    // The manager sends it back with the payloads as the reason; the staff member reads it on the task.
    await api('countersign.return', { visitId: v.id, reason: FREE }, manager);
    const w2 = await newPage();
    await signIn(w2.page, 'zhangli', '张莉');
    await w2.page.getByPlaceholder('搜索客户姓名、保单号或电话').fill(task.policyNo!);
    await waitForText(w2.page.getByTestId('board-count'), '共 1 条');
    await w2.page.getByTestId('task-row').first().click();
    await expect.poll(() => w2.page.getByTestId('task-return-reason').textContent()).toBe(`退回原因：${FREE}`);
    await nothingRan(w2, 'return notice');
    await w2.page.close();
  });

  it('a reveal reason full of payloads reads verbatim in the audit screen', async () => {
    const customerId = (await api('tasks.get', { id: tasks[0]!.id }, staff)).customer.id;
    await api('customers.reveal', { customerId, field: 'phone', reason: REVEAL_REASON }, staff);
    const entry = (await api('audit.list', { action: 'pii_revealed' }, admin)).entries.find((e) => e.objectId === customerId)!;
    expect(entry.detail).toBe(`电话；原因：${REVEAL_REASON}`);

    const w = await newPage();
    const { page } = w;
    await signIn(page, 'admin', '系统管理员', 'admin-pass-1');
    await page.getByRole('menuitem', { name: '审计' }).click();
    const table = page.getByTestId('audit-table');
    await waitForText(table, '原因：');
    expect(await textsOf(table.locator('tbody td'))).toContain(entry.detail);
    await nothingRan(w, 'audit screen');
    await page.close();
  });
});
