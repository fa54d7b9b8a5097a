import { createHash } from 'node:crypto';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus, VisitView } from '../../shared/api/contract';
import { startHqServer, type HqServer } from '../hq/hq-server';
import { bridgeApi, setUpDemoBranch, launchChromium, startBrowserMode, waitForText, watchForErrors, type RunningApp } from '../support/browser-mode';
import { finaliseThrough } from '../support/visit-flow';
import { tempDir } from '../support/temp';

/** The branch code setUpDemoBranch gives the branch, so head office must know it by the same. */
const BRANCH = '370100';
const ENROLMENT_CODE = 'JN01-2026';
const REASON = '签名与投保单不一致，请重新面访';
// Set VISITDESK_SYNC_SHOTS=/tmp to keep a screenshot of each step (sync-*.png).
const SHOTS = process.env.VISITDESK_SYNC_SHOTS;

let app: RunningApp;
const api: ReturnType<typeof bridgeApi> = (method, input, session) => bridgeApi(app)(method, input, session);
let hq: HqServer;
const hqData = tempDir('vd-e2e-hq-');
let browser: Browser;
let staff: string;
let staffPage: Page;
let staffErrors: string[];
let visit: VisitView;
let recordKey: string;

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `sync-${name}.png`) });
}

/**
 * A real PNG, different for each `seed`, so that a mix-up of two signatures on the way to head
 * office could not go unnoticed (the shared 1×1 test image is the same for every signer).
 */
function pngDataUrl(seed: number): string {
  const width = 64;
  const height = 24;
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows[y * (width + 1) + 1 + x] = Math.abs(y - 12 - Math.round(8 * Math.sin((x + seed * 5) / 6))) < 2 ? 0 : 255;
  }
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
  return `data:image/png;base64,${png.toString('base64')}`;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const pngBytes = (dataUrl: string) => Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');

/** A complete, successful visit on an open task finalised by `session`, with two distinct signature images. */
async function finalisedVisit(session: string, seed: number): Promise<VisitView> {
  const { rows } = await api('tasks.list', { kind: 'new_policy', limit: 50 }, session);
  const task = rows.find((r) => r.status !== 'done' && r.status !== 'problem')!;
  return finaliseThrough(api, session, task.id, new Date(), { customer: pngDataUrl(seed), staff: pngDataUrl(seed + 1) });
}

/** Waits until main has finished the sync run it is on (the page polls too; this is the test's own view). */
async function syncSettled(after: string | null): Promise<SyncStatus> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const s = await api('sync.status', {}, staff);
    if (!s.running && s.lastAttemptAt !== null && (after === null || s.lastAttemptAt > after)) return s;
    if (Date.now() > deadline) throw new Error(`sync did not finish: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function signIn(page: Page, username: string, password: string, name: string): Promise<void> {
  await page.goto(app.url);
  await page.locator('#signin-username').fill(username);
  await page.locator('#signin-password').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await waitForText(page.getByTestId('current-user'), name);
}

async function openSyncPage(page: Page): Promise<void> {
  await page.getByRole('menuitem', { name: '数据同步' }).click();
  await page.getByTestId('sync-page').waitFor();
}

beforeAll(async () => {
  hq = await startHqServer({
    dataDir: hqData.dir,
    port: 0,
    host: '127.0.0.1',
    seed: { branches: [{ code: BRANCH, name: '济南中心支公司' }], enrolmentCodes: [{ branchCode: BRANCH, code: ENROLMENT_CODE }] },
  });
  app = await startBrowserMode();
  browser = await launchChromium();
  await setUpDemoBranch(api);
  staff = (await api('auth.signIn', { username: 'zhangli', password: 'demo1234' })).sessionToken;
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await hq?.close();
  hqData.cleanup();
});

describe('数据同步 in Chromium against the reference head-office server', () => {
  it('an administrator enrols this PC: form checks, a refused code in Chinese, then the right one', async () => {
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 900 } });
    const errors = watchForErrors(page);
    await signIn(page, 'admin', 'admin-pass-1', '系统管理员');
    await openSyncPage(page);
    await waitForText(page.getByTestId('sync-not-enrolled'), '本机尚未登记到总公司');
    expect(await page.getByTestId('sync-run').isDisabled()).toBe(true);
    // The branch's own code is offered.
    expect(await page.locator('#sync-branchCode').inputValue()).toBe(BRANCH);

    const form = page.getByTestId('sync-enrol-form');
    const submit = page.getByTestId('sync-enrol-submit');
    // The shared zod schema, in the page: nothing reaches main.
    await submit.click();
    await waitForText(form, '请填写总公司服务器地址');
    await waitForText(form, '登记码至少 6 位');

    // main's own check, beside its field: head office only over https (loopback excepted).
    await page.locator('#sync-serverUrl').fill('http://hq.example.com');
    await page.locator('#sync-enrolmentCode').fill(ENROLMENT_CODE);
    await submit.click();
    await waitForText(form, '请使用 https');
    await waitForText(page.getByTestId('sync-enrol-error'), 'https');

    // Head office refuses an unknown code; the message is its own, in Chinese.
    await page.locator('#sync-serverUrl').fill(hq.url);
    await page.locator('#sync-enrolmentCode').fill('WRNG-CODE');
    await page.locator('#sync-deviceName').fill('前台一号机');
    await submit.click();
    await waitForText(page.getByTestId('sync-enrol-error'), /^登记失败：.*[\u4e00-\u9fff]/);
    expect(hq.admin.devices(BRANCH)).toHaveLength(0);
    await shot(page, 'enrol-refused');

    await page.locator('#sync-enrolmentCode').fill(ENROLMENT_CODE.toLowerCase());
    await submit.click();
    await waitForText(page.getByTestId('sync-server'), hq.url.replace(/\/+$/, ''));
    await waitForText(page.getByTestId('sync-branch'), BRANCH);
    await waitForText(page.getByTestId('sync-device'), '前台一号机');
    expect(await page.getByTestId('sync-enrol-error').count()).toBe(0);
    expect(await page.getByTestId('sync-not-enrolled').count()).toBe(0);
    expect(await page.locator('#sync-enrolmentCode').inputValue()).toBe('');
    expect(hq.admin.devices(BRANCH).map((d) => d.name)).toEqual(['前台一号机']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a staff member’s finalised record reaches head office with byte-identical signatures', async () => {
    visit = await finalisedVisit(staff, 1);
    expect(visit.state).toBe('finalised');

    staffPage = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 900 } });
    staffErrors = watchForErrors(staffPage);
    await signIn(staffPage, 'zhangli', 'demo1234', '张莉');
    // The header counts what waits for head office, beside 在线/离线.
    await staffPage.locator('[data-testid="sync-badge"][data-pending="1"]').waitFor();
    await openSyncPage(staffPage);
    const pending = staffPage.getByTestId('sync-pending');
    await waitForText(pending, '1 份');
    await waitForText(staffPage.getByTestId('sync-last-success'), '从未');
    expect(await staffPage.getByTestId('sync-enrol-form').count()).toBe(0);

    await staffPage.getByTestId('sync-run').click();
    await waitForText(pending, '0 份', 20_000);
    await waitForText(staffPage.getByTestId('sync-delivered'), '1 份');
    await waitForText(staffPage.getByTestId('sync-reachable'), '在线');
    await waitForText(staffPage.getByTestId('sync-last-success'), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    await waitForText(staffPage.getByTestId('online-state'), '在线');
    await staffPage.locator('[data-testid="sync-badge"][data-pending="0"]').waitFor();
    expect(await staffPage.getByTestId('sync-error').count()).toBe(0);
    await shot(staffPage, 'sent');

    const received = hq.admin.records({ branchCode: BRANCH }).filter((r) => r.recordNo === visit.recordNo);
    expect(received).toHaveLength(1);
    recordKey = received[0]!.key;
    const [record] = hq.admin.records({ key: recordKey });
    expect(hq.admin.countRows(recordKey)).toBe(1);
    expect(record!.version).toBe(visit.version);

    // The PNGs as this PC stores them, byte for byte, and their SHA-256 as head office recorded it.
    const local = await api('visits.get', { id: visit.id }, staff);
    expect(local.signatures.map((s) => s.role).sort()).toEqual(['customer', 'staff']);
    expect(record!.signatures.map((s) => s.role).sort()).toEqual(['customer', 'staff']);
    for (const mine of local.signatures) {
      const bytes = pngBytes(mine.png);
      const theirs = record!.signatures.find((s) => s.role === mine.role)!;
      expect(theirs.sha256).toBe(sha256(bytes));
      expect(sha256(theirs.png)).toBe(sha256(bytes));
      expect(theirs.png.equals(bytes)).toBe(true);
      expect(theirs.signerName).toBe(mine.signerName);
    }
    // Two different images: a swap would have shown above.
    expect(record!.signatures[0]!.sha256).not.toBe(record!.signatures[1]!.sha256);
    expect(staffErrors).toEqual([]);
  });

  it('head office returns the record; after the next sync the visitor sees the reason on it', async () => {
    hq.admin.decide(recordKey, { decision: 'returned', reason: REASON });
    const before = (await api('sync.status', {}, staff)).lastAttemptAt;
    await staffPage.getByTestId('sync-run').click();
    const settled = await syncSettled(before);
    expect(settled.lastError).toBeNull();

    const back = await api('visits.get', { id: visit.id }, staff);
    expect(back.returned).toMatchObject({ managerName: '总公司', reason: REASON });

    await staffPage.getByRole('menuitem', { name: '面访记录' }).click();
    await staffPage.getByTestId('visit-records').locator('.ant-table-row', { hasText: visit.recordNo }).click();
    const ws = staffPage.getByTestId('visit-workspace');
    await waitForText(ws, visit.recordNo);
    await waitForText(staffPage.getByTestId('return-notice'), '总公司');
    await waitForText(staffPage.getByTestId('return-reason'), REASON);
    await shot(staffPage, 'returned');
    await staffPage.getByTestId('visit-close').click();
    await ws.waitFor({ state: 'detached' });
    expect(staffErrors).toEqual([]);
  });

  it('with head office down, 立即同步 says why in Chinese and the record stays queued', async () => {
    const second = await finalisedVisit(staff, 3);
    expect(second.state).toBe('finalised');
    await hq.close();

    // Opening the page again reads the status afresh: the new record waits.
    await staffPage.getByRole('menuitem', { name: '回访任务' }).click();
    await openSyncPage(staffPage);
    const pending = staffPage.getByTestId('sync-pending');
    await waitForText(pending, '1 份');

    await staffPage.getByTestId('sync-run').click();
    const error = staffPage.getByTestId('sync-error');
    await waitForText(error, '上次同步失败：', 20_000);
    await waitForText(error, '无法连接总公司服务器');
    await waitForText(staffPage.getByTestId('sync-retry-at'), /^将于 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d 自动重试/);
    await waitForText(pending, '1 份');
    await waitForText(staffPage.getByTestId('sync-delivered'), '1 份');
    await waitForText(staffPage.getByTestId('sync-reachable'), '离线');
    await waitForText(staffPage.getByTestId('online-state'), '离线');
    await staffPage.locator('[data-testid="sync-badge"][data-pending="1"]').waitFor();
    const s = await api('sync.status', {}, staff);
    expect(s).toMatchObject({ pending: 1, delivered: 1, running: false, reachable: false });
    expect(s.lastError).toMatch(/[\u4e00-\u9fff]/);
    await shot(staffPage, 'offline');
    expect(staffErrors).toEqual([]);
    await staffPage.close();
  });
});
