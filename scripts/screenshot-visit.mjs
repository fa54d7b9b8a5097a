// Takes the visit screenshots for the README: a question screen of the in-person visit (面访) with
// the explanation path open, and the printed record sheet (客户回访记录表). Starts browser mode on a
// fresh data folder, prepares a visit through the contract, and signs it on the pads in Chromium.
// Kept beside scripts/screenshot.mjs (which takes the board and settings shots) so both can change
// independently.
import path from 'node:path';
import { startSession } from './browser-session.mjs';

const { root, url, api, browser, close } = await startSession('vd-shot-visit-');

/** A few strokes of handwriting with the mouse over a pad. */
async function sign(page, pad) {
  const box = await pad.boundingBox();
  const strokes = [
    [[0.12, 0.6], [0.16, 0.3], [0.2, 0.62], [0.25, 0.34], [0.3, 0.6]],
    [[0.36, 0.4], [0.44, 0.36], [0.4, 0.66], [0.5, 0.52], [0.56, 0.62]],
    [[0.62, 0.44], [0.7, 0.3], [0.72, 0.66], [0.8, 0.42], [0.88, 0.56]],
  ];
  for (const s of strokes) {
    await page.mouse.move(box.x + box.width * s[0][0], box.y + box.height * s[0][1]);
    await page.mouse.down();
    for (const [x, y] of s.slice(1)) await page.mouse.move(box.x + box.width * x, box.y + box.height * y, { steps: 8 });
    await page.mouse.up();
  }
}

const out = path.join(root, 'docs');
try {
  const admin = await api('setup.init', { branchName: '济南中心支公司', branchCode: '370100', adminUsername: 'admin', adminDisplayName: '系统管理员', adminPassword: 'admin-pass-1' });
  await api('demo.load', {}, admin.sessionToken);
  const staff = (await api('auth.signIn', { username: 'zhangli', password: 'demo1234' })).sessionToken;
  let taskId = null;
  for (const r of (await api('tasks.list', { kind: 'new_policy', limit: 200 }, staff)).rows) {
    if ((await api('tasks.get', { id: r.id }, staff)).policy?.productType === 'participating') {
      taskId = r.id;
      break;
    }
  }
  let v = await api('visits.start', { taskId }, staff);
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  const visitedAt = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
  v = await api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person', name: v.sheet.customerName }, placeKind: 'home', visitedAt }, staff);
  const questions = v.template.questions.filter((q) => !q.showWhen || q.showWhen.productTypes.includes('participating'));
  const upTo = questions.findIndex((q) => q.id === 'payment_years');
  for (const q of questions.slice(0, upTo)) await api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer: q.expected }, staff);
  await api('visits.answer', { visitId: v.id, questionId: 'payment_years', stage: 'first', answer: 'no', note: '客户称业务员告知缴费五年' }, staff);

  const page = await browser.newPage({ viewport: { width: 1360, height: 820 }, locale: 'zh-CN' });
  await page.goto(url);
  await page.locator('#signin-username').fill('zhangli');
  await page.locator('#signin-password').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('menuitem', { name: '面访记录' }).click();
  await page.getByTestId('visit-records').locator('.ant-table-row', { hasText: v.recordNo }).click();
  // Resumes at the next question; one back is payment years, answered 否: the explanation path is open.
  await page.getByTestId('question-prev').click();
  await page.getByTestId('explain-box').waitFor();
  await page.mouse.move(0, 0);
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  await page.waitForTimeout(400); // let the buttons' hover transitions settle
  await page.screenshot({ path: path.join(out, 'screenshot-visit.png') });

  await page.getByTestId('reask-no').click();
  await page.getByText('解释后重新询问的回答：').first().waitFor();
  await page.getByTestId('visit-close').click();
  for (const q of questions.slice(upTo + 1)) await api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer: q.expected }, staff);
  await api('visits.saveSheet', {
    visitId: v.id,
    sheet: {
      interviewee: `${v.sheet.customerName}（本人）`,
      summary: '按《个人新契约回访问卷》逐项宣读并询问：保单要素、签名、保险责任与责任免除、犹豫期及退保损失、分红不保证。',
      feedback: '客户称业务员告知缴费五年，与保单载明的缴费年限不符，对缴费年限有异议。',
      followUp: '已当场解释保单载明的缴费方式，转问题件由专人（非该保单业务员）跟进，三个工作日内二次回访。',
      remarks: '客户要求书面说明。',
    },
  }, staff);
  await page.getByTestId('visit-records').locator('.ant-table-row', { hasText: v.recordNo }).click();
  await page.getByTestId('pad-customer').waitFor();
  await sign(page, page.getByTestId('pad-customer'));
  await page.getByTestId('pad-save-customer').click();
  await page.getByTestId('signature-saved-customer').waitFor();
  await sign(page, page.getByTestId('pad-staff'));
  await page.getByTestId('pad-save-staff').click();
  await page.getByTestId('signature-saved-staff').waitFor();
  await api('visits.finalise', { visitId: v.id }, staff);
  await page.getByTestId('visit-close').click();
  await page.getByTestId('visit-records').locator('.ant-table-row', { hasText: v.recordNo }).click();
  await page.getByTestId('problem-case-notice').waitFor();
  // The print dialog is the desktop's business; here only the view is photographed.
  await page.evaluate('window.print = () => {}');
  // Tall enough for a whole A4 page of the preview: the element shot cannot scroll the overlay.
  await page.setViewportSize({ width: 1360, height: 1260 });
  await page.getByTestId('visit-print-button').click();
  await page.locator('.print-page').first().screenshot({ path: path.join(out, 'screenshot-sheet.png') });
  console.log('截图已保存到 docs/（screenshot-visit.png、screenshot-sheet.png）');
} finally {
  await close();
}
