import ExcelJS from 'exceljs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { seededRandom } from '../../electron/demo/random';
import { personName, mobile, address } from '../../electron/demo/people';

/** The 30 columns of a realistic head-office list: the recognised ones and the usual extras. */
const HEADERS = [
  '序号', '保单号', '投保人', '联系电话', '被保险人', '证件号码', '地址', '出单日期', '回执签署日期', '回执录入日期',
  '渠道', '险种名称', '产品类型', '保费', '缴费年限', '保障期间', '保险期限', '业务员', '业务员工号', '件类型',
  '问题描述', '机构', '营业部', '组别', '投保单号', '首期缴费方式', '开户银行', '账号后四位', '客户等级', '录入人',
];

/** Writes an N-row × 30-column .xlsx with exceljs's streaming writer (seeded, reproducible). */
export async function writeLargeList(file: string, rows: number): Promise<void> {
  const r = seededRandom(9);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('不成功件');
  ws.addRow(HEADERS).commit();
  const kinds = ['不成功件', '方言件', '电话错误件', '核实件', '信函件'];
  for (let i = 1; i <= rows; i++) {
    const issue = new Date(Date.UTC(2026, 9, 1 + (i % 40)));
    const receipt = new Date(issue.getTime() + 3 * 86_400_000);
    const row = ws.addRow([
      i, `B${String(i).padStart(12, '0')}`, personName(r), mobile(r), personName(r), null, address(r), issue, receipt, receipt,
      r.pick(['个险', '银保', '银保通']), '鑫福年年两全保险（分红型）', '分红型', 1000 + (i % 90) * 100, r.pick([5, 10, 20]), '终身', 30,
      '王强', 'YW2033', r.pick(kinds), null, '济南中心支公司', '历下营业部', `第${i % 12}组`, `T${i}`, '银行转账', '工商银行', String(1000 + (i % 9000)), 'B', '录入员',
    ]);
    for (const c of [8, 9, 10]) row.getCell(c).numFmt = 'yyyy-mm-dd';
    row.commit();
  }
  ws.commit();
  await wb.commit();
}

/** The bare baseline: read every cell of the same file with exceljs's streaming reader. */
export async function bareStreamingRead(file: string): Promise<number> {
  let cells = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
  for await (const ws of reader) {
    for await (const row of ws as AsyncIterable<ExcelJS.Row>) cells += row.cellCount;
  }
  return cells;
}

/** Fills N tasks (with customers and policies) straight into SQLite, in batches. */
export function fillTasks(db: Database, n: number): void {
  const r = seededRandom(7);
  const at = '2026-11-25T00:00:00.000Z';
  const customer = db.prepare('INSERT INTO customers (name, phone, address, created_at) VALUES (?, ?, ?, ?)');
  const policy = db.prepare(
    "INSERT INTO policies (policy_no, applicant_id, product_name, product_type, channel, term_years, receipt_signed_date, created_at) VALUES (?, ?, '安康终身寿险', 'traditional', 'individual', 20, ?, ?)",
  );
  const task = db.prepare(
    "INSERT INTO visit_tasks (customer_id, policy_id, kind, source, status, due_on, created_at, updated_at) VALUES (?, ?, 'new_policy', 'unreached', 'to_contact', ?, ?, ?)",
  );
  const batch = 20_000;
  for (let start = 0; start < n; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(n, start + batch); i++) {
        const c = customer.run(personName(r), mobile(r), address(r), at).lastInsertRowid;
        const due = `2026-${String(10 + (i % 3)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
        const p = policy.run(`S${String(i).padStart(12, '0')}`, c, due, at).lastInsertRowid;
        task.run(c, p, due, at, at);
      }
    })();
  }
}
