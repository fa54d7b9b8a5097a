import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitView } from '../../shared/api/contract';
import { visibleQuestions } from '../../shared/questionnaire';
import { bridgeApi, setUpDemoBranch, launchChromium, startBrowserMode, waitForText, watchForErrors, type RunningApp } from '../support/browser-mode';
import { tempDir } from '../support/temp';
import { signOn } from '../support/handwriting';

let app: RunningApp;
const api: ReturnType<typeof bridgeApi> = (method, input, session) => bridgeApi(app)(method, input, session);
let browser: Browser;
let staff: string;
const taskIds: number[] = [];
const files = tempDir('vd-e2e-visit-');
// Set VISITDESK_VISIT_SHOTS=/tmp to keep a 1360×820 screenshot of each step (visit-*.png).
const SHOTS = process.env.VISITDESK_VISIT_SHOTS;


beforeAll(async () => {
  app = await startBrowserMode();
  browser = await launchChromium();
  await setUpDemoBranch(api);
  staff = (await api('auth.signIn', { username: 'zhangli', password: 'demo1234' })).sessionToken;
  // New-policy tasks on participating products: their script has the dividends question.
  const rows = (await api('tasks.list', { kind: 'new_policy', limit: 200 }, staff)).rows;
  for (const r of rows) {
    const d = await api('tasks.get', { id: r.id }, staff);
    if (d.policy?.productType === 'participating') taskIds.push(r.id);
    if (taskIds.length === 2) break;
  }
  expect(taskIds.length).toBe(2);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  files.cleanup();
});

/** Half a second of 8 kHz mono 16-bit silence as a WAV file. */
function silentWav(seconds: number): Buffer {
  const samples = Math.round(8000 * seconds);
  const b = Buffer.alloc(44 + samples * 2);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(36 + samples * 2, 4);
  b.write('WAVEfmt ', 8, 'latin1');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(samples * 2, 40);
  return b;
}

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `visit-${name}.png`) });
}

async function signIn(page: Page): Promise<void> {
  await page.goto(app.url);
  await page.locator('#signin-username').fill('zhangli');
  await page.locator('#signin-password').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await waitForText(page.getByTestId('current-user'), '张莉');
}

/** 面访记录 → the record's row → the full-screen visit. */
async function openFromRecords(page: Page, v: VisitView): Promise<Locator> {
  await page.getByRole('menuitem', { name: '面访记录' }).click();
  await page.getByTestId('visit-records').locator('.ant-table-row').first().waitFor();
  await shot(page, '0-records');
  const row = page.getByTestId('visit-records').locator('.ant-table-row', { hasText: v.recordNo });
  await waitForText(row, '草稿');
  await row.click();
  const ws = page.getByTestId('visit-workspace');
  await ws.waitFor();
  return ws;
}

async function setUpRespondent(page: Page): Promise<void> {
  await page.getByTestId('respondent-form').waitFor();
  // 本人 is the default; the place is chosen as a visitor would.
  expect(await page.locator('#visit-respondent-kind input[value="in_person"]').isChecked()).toBe(true);
  await page.locator('#visit-placeKind').click();
  await page.locator('.ant-select-item-option[title="客户家中"]').click();
  expect(await page.locator('#visit-visitedAt').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await page.getByTestId('respondent-save').click();
  await page.getByTestId('question-screen').waitFor();
}

describe('the visit (面访) in Chromium', () => {
  it('records respondent, answers one question per screen with an explanation, the sheet, attachments, two signatures, finalises a problem case and prints it', async () => {
    const v = await api('visits.start', { taskId: taskIds[0]! }, staff);
    const questions = visibleQuestions(v.template, 'participating');
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 820 } });
    const errors = watchForErrors(page);
    await signIn(page);
    const ws = await openFromRecords(page, v);
    await waitForText(ws, v.recordNo);
    await shot(page, '1-respondent');
    // The family-member path asks for relationship, reason and authorisation; switching back drops them.
    await page.locator('#visit-respondent-kind').getByText('经授权的家属代答').click();
    await waitForText(page.getByTestId('family-fields'), '授权方式');
    await shot(page, '1-family');
    await page.locator('#visit-respondent-kind').getByText('投保人本人').click();
    await page.getByTestId('family-fields').waitFor({ state: 'detached' });
    await setUpRespondent(page);

    for (const [i, q] of questions.entries()) {
      await waitForText(page.getByTestId('question-progress'), `第 ${i + 1} / ${questions.length} 题`);
      expect(await page.getByTestId('question-screen').getAttribute('data-question-id')).toBe(q.id);
      // One at a time: no 下一题 before this question is answered.
      expect(await page.getByTestId('question-next').isDisabled()).toBe(true);
      const text = page.getByTestId('question-text');
      expect(await text.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(22);
      if (q.id === 'payment_years') {
        await waitForText(text, '缴费年限是');
        await page.getByTestId('answer-no').click();
        await waitForText(page.getByTestId('explain-box'), '需要解释');
        await shot(page, '2-explanation');
        // Explained and asked again: the customer still says no. Both answers stay on the record.
        await page.getByTestId('reask-no').click();
        await waitForText(page.getByTestId('answer-history'), '解释后重新询问的回答：否');
        await waitForText(page.getByTestId('answer-history'), '客户回答：否');
        await waitForText(page.getByTestId('answer-history'), '误导-缴费年限');
      } else {
        await page.getByTestId(`answer-${q.expected}`).click();
        await waitForText(page.getByTestId('answer-history'), '客户回答');
      }
      await waitForText(page.getByTestId('save-indicator'), '已保存');
      if (i === 0) await shot(page, '2-question');
      await page.getByTestId('question-next').click();
    }

    // 回访记录表: prefilled from the task, the rest typed; each box saves itself.
    await page.getByTestId('sheet-form').waitFor();
    expect(await page.locator('#sheet-customerName').inputValue()).toBe(v.sheet.customerName);
    expect(await page.locator('#sheet-visitor').inputValue()).toBe('张莉');
    expect(await page.locator('#sheet-interviewee').inputValue()).toContain('本人');
    await page.getByText('请填写访问内容概要').waitFor();
    await page.locator('#sheet-summary').fill('逐项宣读保单要素、犹豫期及退保损失，客户对缴费年限有异议。');
    await page.locator('#sheet-feedback').fill('客户称业务员告知缴费五年，保单载明为十年。');
    await page.locator('#sheet-followUp').fill('已当场解释，转问题件由专人跟进。');
    await page.locator('#sheet-remarks').click();
    await page.getByText('请填写访问内容概要').waitFor({ state: 'detached' });
    await waitForText(page.getByTestId('save-indicator'), '已保存');
    await shot(page, '3-sheet');

    // 附件: a file that is not an image is refused by main with its reason; a real image is kept.
    await page.locator('.ant-steps-item', { hasText: '附件' }).click();
    await page.getByTestId('attachments-step').waitFor();
    const fake = path.join(files.dir, '回执.jpg');
    fs.writeFileSync(fake, 'not an image at all');
    await page.getByTestId('attachment-input').setInputFiles(fake);
    await waitForText(page.getByTestId('attachment-error'), '不是图片');
    const photo = path.join(files.dir, '回执照片.png');
    fs.writeFileSync(photo, await page.screenshot({ clip: { x: 0, y: 0, width: 320, height: 200 } }));
    await page.getByTestId('attachment-input').setInputFiles(photo);
    await page.locator('.attachment-thumb').waitFor();
    await waitForText(page.getByTestId('attachment-card'), 'SHA-256');
    // A recording plays in the page (decoded by Web Audio) with its length shown.
    await page.locator('#attachment-kind').click();
    await page.locator('.ant-select-item-option[title="录音"]').click();
    const wav = path.join(files.dir, '访谈录音.wav');
    fs.writeFileSync(wav, silentWav(0.5));
    await page.getByTestId('attachment-input').setInputFiles(wav);
    await page.getByTestId('audio-player').waitFor();
    await page.getByTestId('audio-player').getByRole('button', { name: '播放' }).click();
    await waitForText(page.getByTestId('audio-player'), '时长 0.5 秒');
    expect(await page.getByTestId('attachment-card').count()).toBe(2);
    await shot(page, '4-attachments');

    // 结果与签名: the computed outcome, then both signatures drawn on the pads.
    await page.locator('.ant-steps-item', { hasText: '结果与签名' }).click();
    await waitForText(page.getByTestId('outcome-status'), '问题件');
    await waitForText(page.getByTestId('outcome-category'), '误导-缴费年限');
    expect(await page.getByTestId('finalise').isDisabled()).toBe(true);
    await waitForText(page.getByTestId('finalise-blockers'), '缺少客户（或授权家属）签名');
    await shot(page, '5-sign');
    await signOn(page, page.getByTestId('pad-customer'), 0);
    await page.getByTestId('pad-save-customer').click();
    await page.getByTestId('signature-saved-customer').waitFor();
    await signOn(page, page.getByTestId('pad-staff'), 1);
    await page.getByTestId('pad-save-staff').click();
    await page.getByTestId('signature-saved-staff').waitFor();
    await shot(page, '5-outcome');

    await page.getByTestId('finalise').click();
    await waitForText(page.getByTestId('finalise-confirm'), '定稿后记录不可修改');
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '定稿' }).click();
    await waitForText(page.getByTestId('visit-state'), '已定稿');
    await waitForText(page.getByTestId('problem-case-notice'), '已生成问题件');
    await waitForText(page.getByTestId('content-hash'), /^[0-9a-f]{12}…$/);
    expect(await page.getByTestId('finalise').count()).toBe(0);
    expect(await page.getByTestId('tampered').count()).toBe(0);
    await shot(page, '6-finalised');
    // Read-only: every step can be looked at, none edited.
    await page.locator('.ant-steps-item', { hasText: '回访记录表' }).click();
    await page.getByTestId('sheet-readonly').waitFor();
    expect(await ws.locator('input, textarea').count()).toBe(0);
    await page.locator('.ant-steps-item', { hasText: '问卷' }).click();
    await waitForText(page.getByTestId('answers-table').locator('tr', { hasText: '缴费年限' }), '误导-缴费年限');
    await shot(page, '6-answers');

    const saved = await api('visits.get', { id: v.id }, staff);
    expect(saved).toMatchObject({ state: 'finalised', tampered: null, outcome: { status: 'problem', categories: ['misleading_payment_years'] } });
    expect(saved.answers.find((a) => a.questionId === 'payment_years')).toMatchObject({ first: 'no', afterExplanation: 'no' });
    expect(saved.signatures.map((s) => s.role).sort()).toEqual(['customer', 'staff']);
    const strokes = saved.signatures.find((s) => s.role === 'customer')!;
    expect(strokes.png).toMatch(/^data:image\/png;base64,/);

    // 打印 / 导出 PDF: the print view in the official layout, then window.print().
    await page.evaluate(() => {
      const w = window as unknown as { printed: number; print: () => void };
      w.printed = 0;
      w.print = () => {
        w.printed++;
      };
    });
    await page.getByTestId('visit-print-button').click();
    const print = page.getByTestId('visit-print');
    await waitForText(print, '客户回访记录表');
    await waitForText(print, '济南中心支公司');
    for (const label of ['客户名称', '保单号码', '访问人', '受访人及职务', '访问地点', '受访人电话', '访问内容概要', '客户反馈问题', '问题跟进情况', '备注及签字', '面访问卷']) {
      await waitForText(print, label);
    }
    await waitForText(print, v.recordNo);
    expect(await print.locator('.print-sig-box img').count()).toBe(3);
    await page.waitForFunction(() => (window as unknown as { printed: number }).printed === 1);
    await shot(page, '7-print');

    const pdfPath = path.join(files.dir, 'visit.pdf');
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
    const pdf = fs.readFileSync(pdfPath);
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(pdf.length).toBeGreaterThan(10 * 1024);
    let pdftoppm = '';
    try {
      pdftoppm = execFileSync('which', ['pdftoppm']).toString().trim();
    } catch {
      pdftoppm = '';
    }
    if (pdftoppm) {
      const out = process.env.VISITDESK_VISIT_PDF_PNG ?? path.join(files.dir, 'visit-page');
      execFileSync(pdftoppm, ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdfPath, out]);
      if (process.env.VISITDESK_VISIT_PDF_PNG) fs.copyFileSync(pdfPath, `${out}.pdf`);
      expect(fs.statSync(`${out}.png`).size).toBeGreaterThan(10 * 1024);
    } else {
      console.log('未找到 pdftoppm（poppler-utils），跳过 PDF 首页转 PNG 的检查 (pdftoppm not found: skipping the PDF → PNG check)');
    }

    await page.getByTestId('print-close').click();
    await print.waitFor({ state: 'detached' });

    // 更正: a reason is required; the correction opens as a new draft version pointing at this one.
    await page.getByTestId('correct').click();
    await page.locator('.ant-modal').getByRole('button', { name: '新建更正版本' }).click();
    await page.getByText('请填写更正原因').waitFor();
    await page.locator('#correct-reason').fill('受访人职务填写有误');
    await page.locator('.ant-modal').getByRole('button', { name: '新建更正版本' }).click();
    await waitForText(page.getByTestId('visit-state'), '草稿');
    await waitForText(page.getByTestId('visit-workspace'), '第 2 版');
    await waitForText(page.getByTestId('version-chain'), '第 1 版 · 已定稿');
    expect(await page.getByTestId('visit-workspace').getAttribute('data-visit-id')).not.toBe(String(v.id));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps the answers when the page is reloaded mid-questionnaire and resumes at the next question', async () => {
    const v = await api('visits.start', { taskId: taskIds[1]! }, staff);
    const questions = visibleQuestions(v.template, 'participating');
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1360, height: 820 } });
    const errors = watchForErrors(page);
    await signIn(page);
    await openFromRecords(page, v);
    await setUpRespondent(page);
    for (const q of questions.slice(0, 3)) {
      await page.getByTestId(`answer-${q.expected}`).click();
      await waitForText(page.getByTestId('save-indicator'), '已保存');
      await page.getByTestId('question-next').click();
    }
    await waitForText(page.getByTestId('question-progress'), `第 4 / ${questions.length} 题`);

    await page.reload();
    await waitForText(page.getByTestId('current-user'), '张莉');
    await openFromRecords(page, v);
    // Resumed at the first unanswered question, the three answers kept.
    await waitForText(page.getByTestId('question-progress'), `第 4 / ${questions.length} 题`);
    expect(await page.locator('.q-dot-ok').count()).toBe(3);
    expect(await page.getByTestId('question-next').isDisabled()).toBe(true);
    for (let i = 3; i >= 1; i--) {
      await page.getByTestId('question-prev').click();
      await waitForText(page.getByTestId('question-progress'), `第 ${i} / ${questions.length} 题`);
      await waitForText(page.getByTestId('answer-history'), '客户回答：是');
      expect(await page.getByTestId('answer-yes').getAttribute('class')).toContain('ant-btn-primary');
    }
    const saved = await api('visits.get', { id: v.id }, staff);
    expect(saved.answers.filter((a) => a.first).map((a) => a.questionId)).toEqual(questions.slice(0, 3).map((q) => q.id));
    expect(errors).toEqual([]);
    await page.close();
  });
});
