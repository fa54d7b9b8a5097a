// Takes the README screenshots: starts browser mode on a fresh data folder, sets up a branch with
// the demo data through the contract, and photographs the task board, the import preview of a
// head-office list and the rule try-out in headless Chromium.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { startSession } from './browser-session.mjs';

const { root, dataDir, url, api, browser, close } = await startSession('vd-shot-');

const out = path.join(root, 'docs');

/** The PC's date moved by `days`, as Excel stores a date cell (the UTC day). */
function excelDay(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
}

/**
 * A list as the call centre sends it: a title row, a phone column under a name the recogniser
 * does not know, and two rows with mistakes, so the preview shows what it is for.
 */
async function headOfficeList() {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('不成功件');
  ws.addRow(['2026年11月 新契约回访不成功件清单（分公司处理）']);
  ws.mergeCells('A1:J1');
  ws.addRow(['序号', '保单号', '投保人', '投保人联系方式', '险种名称', '保险期限', '销售渠道', '回执签署日期', '件类型', '业务员']);
  const names = ['赵丽娟', '钱国强', '孙海燕', '李建华', '周晓梅', '吴志刚', '郑秀英', '王德明', '冯雪', '陈立新', '褚玉兰', '卫东'];
  names.forEach((name, i) => {
    const receipt = i === 4 ? '2026-02-30' : excelDay(-3 * i);
    ws.addRow([i + 1, `HB2026${880001 + i}`, i === 7 ? '' : name, `1380000${String(i + 1).padStart(4, '0')}`, '鑫福年年两全保险（分红型）', 20, '个险', receipt, i % 2 ? '方言件' : '不成功件', '王强']);
  });
  const file = path.join(dataDir, '2026年11月新契约回访不成功件清单.xlsx');
  await wb.xlsx.writeFile(file);
  return file;
}
/** The sign-in screen afresh, then a demo user's board. */
async function signIn(page, username) {
  await page.evaluate(() => sessionStorage.clear()).catch(() => {});
  await page.goto(url);
  await page.locator('#signin-username').fill(username);
  await page.locator('#signin-password').fill('demo1234');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('task-row').first().waitFor();
}

try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 820 }, locale: 'zh-CN' });
  await page.goto(url);
  await page.getByText('首次使用').waitFor();
  await page.screenshot({ path: path.join(out, 'screenshot-setup.png') });

  const admin = await api('setup.init', { branchName: '济南中心支公司', branchCode: '370100', adminUsername: 'admin', adminDisplayName: '系统管理员', adminPassword: 'admin-pass-1' });
  await api('demo.load', {}, admin.sessionToken);
  await signIn(page, 'zhangli');
  await page.getByTestId('task-row-placeholder').first().waitFor({ state: 'detached' }).catch(() => {});
  await page.mouse.move(0, 0); // no hover highlight on a row
  await page.screenshot({ path: path.join(out, 'screenshot-tasks.png') });

  // 导入清单 → 预览: the phone column mapped by hand, then every row checked before anything is written.
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-wizard').locator('input[type=file]').setInputFiles(await headOfficeList());
  await page.getByTestId('import-mapping').waitFor();
  await page.locator('#map-applicantPhone').click();
  await page.locator('#map-applicantPhone').fill('联系方式');
  await page.locator('.ant-select-item-option[title="D 列「投保人联系方式」"]:visible').click();
  await page.getByTestId('start-preview').click();
  await page.getByTestId('preview-counts').waitFor();
  await page.mouse.move(0, 0);
  await page.waitForTimeout(1000);
  await page.screenshot({ path: path.join(out, 'screenshot-import.png') });
  await page.getByTestId('preview-discard').click();
  await page.getByTestId('import-wizard').waitFor({ state: 'detached' });

  // 设置 → 规则与日历 → 试算: why a problem case handed down before National Day is due on the make-up Saturday.
  // Settings are a manager's (or an administrator's), not a visit staff member's.
  await signIn(page, 'liuyang');
  await page.getByRole('menuitem', { name: '设置' }).click();
  await page.getByRole('tab', { name: '试算' }).click();
  await page.locator('#try-kind').click();
  await page.locator('#try-kind').fill('问题件处理');
  await page.locator('.ant-select-item-option[title="问题件处理"]').click();
  // The list closes with an animation; photographed mid-way it covers the date field.
  await page.locator('.ant-select-dropdown:visible').first().waitFor({ state: 'hidden' });
  await page.locator('#try-workOrderDate').fill('2026-09-30');
  await page.getByTestId('try-form').getByRole('button', { name: '试算' }).click();
  await page.getByTestId('try-explanation').waitFor();
  await page.mouse.move(0, 0); // no hover highlight on the button
  await page.screenshot({ path: path.join(out, 'screenshot-rules.png') });
  console.log('截图已保存到 docs/');
} finally {
  await close();
}
