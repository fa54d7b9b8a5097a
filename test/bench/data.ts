import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
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

/**
 * Fills N tasks (with customers and policies) straight into SQLite: names, phones and addresses
 * drawn from a seeded generator in JS (the same draws, in the same order, as ever, so the data is
 * the same), written 2,000 rows per INSERT…SELECT over a JSON array. The search-index triggers
 * fire for every row as in the app; many rows per statement because FTS5 writes its pending terms
 * out at every statement savepoint (one row per statement made the fill minutes long — the same
 * reason the import writes 1,000 rows per statement).
 */
export function fillTasks(db: Database, n: number): void {
  const r = seededRandom(7);
  const at = '2026-11-25T00:00:00.000Z';
  const first = (table: string) => db.prepare(`SELECT ifnull(max(id), 0) + 1 FROM ${table}`).pluck().get() as number;
  const ids = { customer: first('customers'), policy: first('policies') };
  const customers = db.prepare(
    "INSERT INTO customers (id, name, phone, address, created_at) SELECT @from + key, json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), @at FROM json_each(@rows)",
  );
  const policies = db.prepare(
    `INSERT INTO policies (id, policy_no, applicant_id, product_name, product_type, channel, term_years, receipt_signed_date, created_at)
       SELECT @policy + key, 'S' || printf('%012d', @i + key), @customer + key, '安康终身寿险', 'traditional', 'individual', 20, value, @at FROM json_each(@due)`,
  );
  const tasks = db.prepare(
    `INSERT INTO visit_tasks (customer_id, policy_id, kind, source, status, due_on, created_at, updated_at)
       SELECT @customer + key, @policy + key, 'new_policy', 'unreached', 'to_contact', value, @at, @at FROM json_each(@due)`,
  );
  const chunk = 2_000;
  const batch = 20_000;
  for (let start = 0; start < n; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(n, start + batch); i += chunk) {
        const rows: [string, string, string][] = [];
        const due: string[] = [];
        for (let k = i; k < Math.min(n, start + batch, i + chunk); k++) {
          rows.push([personName(r), mobile(r), address(r)]);
          due.push(`2026-${String(10 + (k % 3)).padStart(2, '0')}-${String(1 + (k % 28)).padStart(2, '0')}`);
        }
        const offset = { customer: ids.customer + i, policy: ids.policy + i };
        customers.run({ from: offset.customer, rows: JSON.stringify(rows), at });
        policies.run({ policy: offset.policy, customer: offset.customer, i, due: JSON.stringify(due), at });
        tasks.run({ policy: offset.policy, customer: offset.customer, due: JSON.stringify(due), at });
      }
    })();
  }
}

/**
 * Runs a large fill as scaffolding for the timed part, not as what is measured: a big page cache,
 * no fsync and the rollback journal in memory instead of the WAL on this connection (a crash
 * mid-fill leaves a half-built folder, which the callers throw away), and — for the tables named — the secondary indexes and triggers
 * dropped first and recreated afterwards from their own stored SQL, so the schema ends up exactly
 * as the migrations made it. Building an index once from sorted rows is many times cheaper than
 * keeping it (and the encrypted pages under it) in step row by row. Without the search-index
 * triggers the fill must write task_search itself (fillTasksSql does, in one statement a batch).
 * Everything is restored afterwards, WAL included.
 */
export function bulkFill<T>(db: Database, fill: () => T, opts: { tables?: readonly string[]; log?: (msg: string) => void } = {}): T {
  const cache = db.pragma('cache_size', { simple: true }) as number;
  const sync = db.pragma('synchronous', { simple: true }) as number;
  const journal = db.pragma('journal_mode', { simple: true }) as string;
  const tables = opts.tables ?? [];
  const dropped = tables.length
    ? (db
        .prepare(`SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN (${tables.map(() => '?').join(', ')}) ORDER BY type, name`)
        .all(...tables) as { type: 'index' | 'trigger'; name: string; sql: string }[])
    : [];
  db.pragma('cache_size = -524288');
  db.pragma('synchronous = OFF');
  // A WAL writes every page twice (log, then checkpoint), each time encrypted; an in-memory
  // rollback journal keeps only the few pages a batch changes rather than appends. The cipher
  // refuses journal_mode OFF, and leaving WAL needs a rollback mode first. Only possible with no
  // other connection open; the fill still works (more slowly) if refused.
  db.pragma('journal_mode = DELETE');
  const off = db.pragma('journal_mode = MEMORY', { simple: true }) as string;
  try {
    for (const d of dropped) db.exec(`DROP ${d.type.toUpperCase()} "${d.name}"`);
    const result = fill();
    const started = performance.now();
    // Indexes first (the triggers may rely on them), each built from one sort of its table.
    for (const d of dropped.filter((x) => x.type === 'index')) db.exec(d.sql);
    for (const d of dropped.filter((x) => x.type === 'trigger')) db.exec(d.sql);
    if (dropped.length) opts.log?.(`  重建索引与触发器 ${((performance.now() - started) / 1000).toFixed(0)} s（填充时日志模式 ${off}）`);
    return result;
  } finally {
    db.pragma(`journal_mode = ${journal}`);
    db.pragma(`cache_size = ${cache}`);
    db.pragma(`synchronous = ${sync}`);
    if (journal.toLowerCase() === 'wal') db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉宇鹏飞云燕婷浩凯琳雪梅慧晨欣怡子涵俊峰海波宁';

export interface FilledTasks {
  /** Ids of the first customer, policy and task written; the k-th row (from 0) has first + k. */
  customer: number;
  policy: number;
  task: number;
  n: number;
}

/**
 * Fills N new-policy tasks (each with its customer and policy) in SQL alone, INSERT…SELECT over a
 * counter, 100,000 rows a transaction: the same tables, indexes and search-index triggers as
 * fillTasks, for the cases that need a million rows (names, phones and addresses are derived from
 * the row number rather than drawn, so they repeat in a regular pattern). `dueOn` is an SQL
 * expression over the row number x. Inside bulkFill with the search-index triggers
 * dropped, it writes task_search itself, one INSERT…SELECT a batch (as migration 005 does).
 */
export function fillTasksSql(db: Database, n: number, opts: { status?: string; dueOn?: string; log?: (msg: string) => void } = {}): FilledTasks {
  const first = (table: string) => (db.prepare(`SELECT ifnull(max(id), 0) + 1 FROM ${table}`).pluck().get() as number);
  const ids = { customer: first('customers'), policy: first('policies'), task: first('visit_tasks'), n };
  const at = '2026-11-25T00:00:00.000Z';
  const due = opts.dueOn ?? "printf('2026-%02d-%02d', 10 + x % 3, 1 + x % 28)";
  const batch = 100_000;
  const counter = (from: number, to: number) => `WITH RECURSIVE k(x) AS (SELECT ${from} UNION ALL SELECT x + 1 FROM k WHERE x < ${to})`;
  const customers = (from: number, to: number) =>
    db.prepare(`INSERT INTO customers (id, name, phone, address, created_at) ${counter(from, to)}
      SELECT ${ids.customer} + x,
        substr(@s, 1 + (x * 7919) % length(@s), 1) || substr(@g, 1 + (x * 104729) % length(@g), 1) || CASE WHEN x % 2 = 0 THEN substr(@g, 1 + (x * 1299709) % length(@g), 1) ELSE '' END,
        '1' || substr('35789', 1 + x % 5, 1) || printf('%09d', (x * 982451653 + 12345) % 1000000000),
        '济南市历下区泉城路' || (1 + x % 300) || '号' || (1 + x % 30) || '单元' || (101 + x % 2500) || '室', @at FROM k`);
  const policies = (from: number, to: number) =>
    db.prepare(`INSERT INTO policies (id, policy_no, applicant_id, product_name, product_type, channel, term_years, receipt_signed_date, created_at) ${counter(from, to)}
      SELECT ${ids.policy} + x, 'S' || printf('%012d', ${ids.policy} + x), ${ids.customer} + x, '安康终身寿险', 'traditional', 'individual', 20, ${due}, @at FROM k`);
  const tasks = (from: number, to: number) =>
    db.prepare(`INSERT INTO visit_tasks (id, customer_id, policy_id, kind, source, status, due_on, created_at, updated_at) ${counter(from, to)}
      SELECT ${ids.task} + x, ${ids.customer} + x, ${ids.policy} + x, 'new_policy', 'unreached', @status, ${due}, @at, @at FROM k`);
  const indexed = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'task_search_insert'").get() !== undefined;
  const search = db.prepare(`INSERT INTO task_search (rowid, name, policy_no, phone)
    SELECT t.id, c.name, p.policy_no, c.phone FROM visit_tasks t JOIN customers c ON c.id = t.customer_id LEFT JOIN policies p ON p.id = t.policy_id WHERE t.id BETWEEN ? AND ?`);
  for (let start = 0; start < n; start += batch) {
    const end = Math.min(n, start + batch) - 1;
    db.transaction(() => {
      customers(start, end).run({ s: SURNAMES, g: GIVEN, at });
      policies(start, end).run({ at });
      tasks(start, end).run({ at, status: opts.status ?? 'to_contact' });
      if (!indexed) search.run(ids.task + start, ids.task + end);
    })();
    opts.log?.(`  任务 ${end + 1} / ${n}`);
  }
  return ids;
}

/** The audit chain's entry hash, as electron/audit/audit-log.ts computes it (not exported there). */
function auditEntryHash(e: { prev_hash: string; at: string; user_id: number | null; username: string | null; action: string; object_type: string | null; object_id: number | null; detail: string | null }): string {
  return createHash('sha256').update(JSON.stringify([e.prev_hash, e.at, e.user_id, e.username, e.action, e.object_type, e.object_id, e.detail])).digest('hex');
}

/**
 * Stores n finalised records cloned from one finalised through the contract, one per task of
 * `tasks` (its first n), with what a real finalise leaves behind: the visit row (own record
 * number, dates spread over the past years), its answers, its attachments (the template's files,
 * shared), both signatures (small filler images; their stroke points are left out), its outbox entry (delivered, as most are after years) and its
 * `visit_finalised` entry in the hash-chained audit log, which stays a valid chain. The tasks are
 * marked 已完成. Run inside bulkFill.
 */
export function fillFinalisedRecords(db: Database, templateVisitId: number, n: number, tasks: FilledTasks, log?: (msg: string) => void): void {
  if (tasks.n < n) throw new Error('fillFinalisedRecords: fewer tasks than records');
  const fixed = new Set(['id', 'record_no', 'version', 'previous_id', 'task_id', 'customer_id', 'policy_id', 'finalised_at', 'created_at', 'updated_at']);
  const cols = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('visits') as string[]).filter((c) => !fixed.has(c));
  const installId = db.prepare('SELECT install_id FROM sync_state').pluck().get() as string;
  const visitor = db.prepare('SELECT u.id, u.username FROM visits v JOIN users u ON u.id = v.visitor_id WHERE v.id = ?').get(templateVisitId) as { id: number; username: string };
  const v0 = (db.prepare('SELECT ifnull(max(id), 0) + 1 FROM visits').pluck().get() as number);
  const batch = 100_000;
  // A thousand records a day, going back from yesterday; the record number follows the app's pattern.
  const day = "date('2026-11-24', '-' || (x / 1000) || ' days')";
  const finalisedAt = `${day} || 'T' || printf('%02d:%02d:00.000Z', x % 10, (x / 10) % 60)`;
  for (let start = 0; start < n; start += batch) {
    const end = Math.min(n, start + batch) - 1;
    const counter = `WITH RECURSIVE k(x) AS (SELECT ${start} UNION ALL SELECT x + 1 FROM k WHERE x < ${end})`;
    db.transaction(() => {
      db.prepare(`INSERT INTO visits (id, record_no, version, task_id, customer_id, policy_id, finalised_at, created_at, updated_at, ${cols.join(', ')}) ${counter}
        SELECT ${v0} + x, 'HFBENCH-' || strftime('%Y%m%d', ${day}) || '-' || printf('%04d', 1 + x % 1000), 1,
          ${tasks.task} + x, ${tasks.customer} + x, ${tasks.policy} + x, ${finalisedAt}, ${finalisedAt}, ${finalisedAt}, ${cols.map((c) => `t.${c}`).join(', ')}
        FROM k, visits t WHERE t.id = @template`).run({ template: templateVisitId });
      db.prepare(`INSERT INTO visit_answers (visit_id, question_id, first_answer, after_explanation, note, answered_at)
        SELECT v.id, a.question_id, a.first_answer, a.after_explanation, a.note, v.finalised_at FROM visits v, visit_answers a
        WHERE v.id BETWEEN @lo AND @hi AND a.visit_id = @template`).run({ lo: v0 + start, hi: v0 + end, template: templateVisitId });
      db.prepare(`INSERT INTO visit_signatures (visit_id, role, signer_name, signed_at, png, content_hash, signature_hash)
        SELECT v.id, s.role, s.signer_name, v.finalised_at, randomblob(64), s.content_hash, s.signature_hash FROM visits v, visit_signatures s
        WHERE v.id BETWEEN @lo AND @hi AND s.visit_id = @template`).run({ lo: v0 + start, hi: v0 + end, template: templateVisitId });
      db.prepare(`INSERT INTO visit_attachments (visit_id, kind, file_name, mime, size, sha256, created_at)
        SELECT v.id, a.kind, a.file_name, a.mime, a.size, a.sha256, v.finalised_at FROM visit_attachments a CROSS JOIN visits v
        WHERE v.id BETWEEN @lo AND @hi AND a.visit_id = @template`).run({ lo: v0 + start, hi: v0 + end, template: templateVisitId });
      db.prepare(`INSERT INTO outbox (visit_id, record_key, state, answer, attempts, queued_at, last_attempt_at, delivered_at)
        SELECT id, @install || '/' || record_no || '/' || version, 'delivered', 'accepted', 1, finalised_at, finalised_at, finalised_at FROM visits WHERE id BETWEEN @lo AND @hi`)
        .run({ install: installId, lo: v0 + start, hi: v0 + end });
      db.prepare(`UPDATE visit_tasks SET status = 'done' WHERE id BETWEEN @lo AND @hi`).run({ lo: tasks.task + start, hi: tasks.task + end });
      const insert = db.prepare('INSERT INTO audit_log (at, user_id, username, action, object_type, object_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
      let prev = (db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined) ?? '0'.repeat(64);
      for (const r of db.prepare('SELECT id, content_hash, finalised_at FROM visits WHERE id BETWEEN ? AND ? ORDER BY id').all(v0 + start, v0 + end) as { id: number; content_hash: string; finalised_at: string }[]) {
        const e = { prev_hash: prev, at: r.finalised_at, user_id: visitor.id, username: visitor.username, action: 'visit_finalised', object_type: 'visit', object_id: r.id, detail: r.content_hash };
        const hash = auditEntryHash(e);
        insert.run(e.at, e.user_id, e.username, e.action, e.object_type, e.object_id, e.detail, e.prev_hash, hash);
        prev = hash;
      }
    })();
    log?.(`  定稿记录 ${end + 1} / ${n}`);
  }
}
