import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView, ListPage } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/envelope';
import { ok, startTestApp, type TestApp } from '../support/app';
import { tempDir } from '../support/temp';
import { localDateTime } from '../../electron/lists/list-service';
import { demoBranch, finalisedVisit } from '../support/visit-flow';

/**
 * The branch's lists (跟踪件清单, 不成功件清单, 每日回访清单, 问题件清单) on screen and exported: a known
 * fixture inserted with SQL under a fixed clock (Wednesday 2026-11-25, 09:00 at the branch),
 * every export read back with exceljs cell by cell, one of them by openpyxl as a second reader.
 */

const WEDNESDAY = new Date('2026-11-25T09:00:00+08:00');
const FRIDAY = new Date('2026-11-27T09:00:00+08:00');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function followJob(app: TestApp, session: string, started: Envelope<{ jobId: string }>, onPoll?: (job: JobView) => void | Promise<void>) {
  const { jobId } = ok(started);
  for (;;) {
    const job = ok(await app.api('jobs.get', { jobId }, session));
    await onPoll?.(job);
    if (job.state !== 'running') return { jobId, job };
    await sleep(5);
  }
}

/** Reads a finished export back through the contract, as the renderer does. */
async function download(app: TestApp, session: string, jobId: string): Promise<{ fileName: string; bytes: Buffer; rows: number }> {
  const r = ok(await app.api('exports.result', { jobId }, session));
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const chunk = ok(await app.api('exports.read', { exportId: r.exportId, offset }, session));
    const b = Buffer.from(chunk.dataBase64, 'base64');
    parts.push(b);
    offset += b.length;
    if (chunk.done) break;
  }
  return { fileName: r.fileName, bytes: Buffer.concat(parts), rows: r.rows };
}

const headers = (ws: ExcelJS.Worksheet) => rowValues(ws, 1);

async function workbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

const rowValues = (ws: ExcelJS.Worksheet, n: number) => Array.from((ws.getRow(n).values as unknown[]).slice(1), (v) => v ?? null);

let app: TestApp;
let clock = WEDNESDAY;
let staff = '';
let manager = '';
let staffId = 0;
let otherId = 0;

beforeAll(async () => {
  app = startTestApp(() => clock);
  const admin = await app.setUp();
  staffId = ok(await app.api('accounts.create', { username: 'zhangli', displayName: '张丽', role: 'staff', password: 'staff-pass-1' }, admin)).id;
  otherId = ok(await app.api('accounts.create', { username: 'chenmin', displayName: '陈敏', role: 'staff', password: 'staff-pass-2' }, admin)).id;
  ok(await app.api('accounts.create', { username: 'liuyang', displayName: '刘洋', role: 'manager', password: 'mgr-pass-11' }, admin));
  staff = ok(await app.api('auth.signIn', { username: 'zhangli', password: 'staff-pass-1' })).sessionToken;
  manager = ok(await app.api('auth.signIn', { username: 'liuyang', password: 'mgr-pass-11' })).sessionToken;

  const db = app.db;
  const at = '2026-11-01T00:00:00.000Z';
  const customer = db.prepare('INSERT INTO customers (id, name, phone, id_number, created_at) VALUES (?, ?, ?, ?, ?)');
  customer.run(1, '张三', '13812345678', '370102198001011234', at);
  customer.run(2, '李四', '13900001111', null, at);
  customer.run(3, '王五', '13711112222', null, at);
  const policy = db.prepare(
    `INSERT INTO policies (id, policy_no, applicant_id, product_name, product_type, channel, agent_code, agent_name, created_at) VALUES (?, ?, ?, ?, 'traditional', 'individual', ?, ?, ?)`,
  );
  policy.run(1, 'P2026001', 1, '鑫福年金', 'A01', '赵业务', at);
  policy.run(2, 'P2026002', 2, '安康终身寿', 'A02', '钱业务', at);
  policy.run(3, 'P2026003', 3, '少儿教育金', 'A01', '赵业务', at);
  const task = db.prepare(
    `INSERT INTO visit_tasks (id, customer_id, policy_id, kind, source, status, assignee_id, due_on, unable_reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  task.run(1, 1, 1, 'new_policy', 'unreached', 'to_contact', staffId, '2026-11-25', null, at, at); // due today
  task.run(2, 2, 2, 'new_policy', 'dialect', 'booked', otherId, '2026-11-27', null, at, at); // 2nd working day
  task.run(3, 3, 3, 'new_policy', null, 'to_contact', staffId, '2026-11-30', null, at, at); // 3rd working day (Monday)
  task.run(4, 1, 1, 'renewal', null, 'to_contact', staffId, '2026-11-24', null, at, at); // overdue: not in the window
  task.run(5, 2, 2, 'problem_case', 'problem', 'done', staffId, '2026-11-26', null, at, at); // closed
  task.run(6, 3, 3, 'survival_benefit', 'payment', 'failed', staffId, '2026-11-26', '三次电话无人接听，信函退回', at, at);
  task.run(7, 2, null, 'key_client', 'plan', 'failed', otherId, '2026-11-20', '客户拒绝回访', at, at);
  task.run(8, 3, 3, 'claim_closed', null, 'unassigned', null, '2026-11-26', null, at, at); // unassigned, tomorrow
  const attempt = db.prepare('INSERT INTO contact_attempts (task_id, user_id, method, attempted_at, outcome, phone_dialled, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  attempt.run(6, staffId, 'letter', '2026-11-22 09:30', 'wrong_number', null, '退信', at);
  attempt.run(6, staffId, 'phone', '2026-11-20 10:00', 'not_answered', '13711112222', '无人接听', at);
  const appointment = db.prepare("INSERT INTO appointments (task_id, user_id, starts_at, place, contact_person, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  appointment.run(2, otherId, '2026-11-25 14:00', '客户家中', '李四', 'scheduled', at);
  appointment.run(1, staffId, '2026-11-25 10:30', '分公司柜面', '张三', 'scheduled', at);
  appointment.run(3, staffId, '2026-11-25 15:00', '客户单位', '王五', 'cancelled', at);
  appointment.run(3, staffId, '2026-11-26 09:00', '客户单位', '王五', 'scheduled', at);
  db.prepare(
    `INSERT INTO visits (id, record_no, task_id, customer_id, policy_id, kind, template_id, template_version, visitor_id, visited_at, sheet_customer_name, sheet_policy_no,
       state, outcome, finalised_at, created_at, updated_at) VALUES (1, 'HF-0001', 5, 2, 2, 'problem_case', 'new_policy', 1, ?, '2026-11-25 08:30', '李四', 'P2026002', 'finalised', 'success', ?, ?, ?)`,
  ).run(staffId, new Date('2026-11-25T08:45:00+08:00').toISOString(), at, at);
  const pc = db.prepare(
    `INSERT INTO problem_cases (id, source, customer_id, policy_id, state, opened_at, due_on, handler_id, description) VALUES (?, 'manual', ?, ?, ?, ?, ?, ?, ?)`,
  );
  pc.run(1, 1, 1, 'open', '2026-11-24T02:00:00.000Z', '2026-11-27', otherId, '客户称业务员承诺保本高收益');
  pc.run(2, 3, 3, 'closed', '2026-11-20T02:00:00.000Z', '2026-11-25', staffId, '未收到保险合同');
  db.prepare('INSERT INTO problem_case_categories (case_id, category) VALUES (?, ?)').run(1, 'proxy_signature');
});
afterAll(() => app?.cleanup());

const page = async (list: ListPage['list'], extra: { staffId?: number } = {}) => ok(await app.api('lists.get', { list, offset: 0, limit: 100, ...extra }, staff));

describe('跟踪件清单', () => {
  it('lists open tasks due today through the 2nd working day, phones masked', async () => {
    const p = await page('tracking');
    expect(p.title).toBe('跟踪件清单');
    expect(p.columns.map((c) => c.title)).toEqual(['保单号码', '客户名称', '联系电话', '产品名称', '回访类型', '件类型', '经办人', '回访期限', '任务状态']);
    expect(p.rows.map((r) => r.values.policyNo)).toEqual(['P2026001', 'P2026003', 'P2026002']);
    expect(p.total).toBe(3);
    expect(p.rows[0]!.values).toEqual({
      policyNo: 'P2026001', customerName: '张三', phone: '138****5678', productName: '鑫福年金', kind: '新契约回访', source: '不成功件', assignee: '张丽', dueOn: '2026-11-25', status: '待联系',
    });
    expect(p.rows[1]!.values).toMatchObject({ kind: '理赔结案回访', assignee: '未分配', dueOn: '2026-11-26', status: '待分配' });
    expect(p.scope).toContain('2026-11-25 至 2026-11-27');
    expect(JSON.stringify(p)).not.toContain('13812345678');
  });

  it('counts working days: on a Friday the window reaches Tuesday', async () => {
    clock = FRIDAY;
    try {
      // A fresh session: two days without activity would lock the morning's one.
      const friday = ok(await app.api('auth.signIn', { username: 'zhangli', password: 'staff-pass-1' })).sessionToken;
      const p = ok(await app.api('lists.get', { list: 'tracking', offset: 0, limit: 100 }, friday));
      expect(p.rows.map((r) => r.values.policyNo)).toEqual(['P2026002', 'P2026003']);
      expect(p.scope).toContain('2026-11-27 至 2026-12-01');
    } finally {
      clock = WEDNESDAY;
    }
  });

  it('pages', async () => {
    const p = ok(await app.api('lists.get', { list: 'tracking', offset: 1, limit: 1 }, staff));
    expect(p.total).toBe(3);
    expect(p.rows.map((r) => r.values.policyNo)).toEqual(['P2026003']);
  });
});

describe('不成功件清单', () => {
  it('lists each failed task with every contact attempt and the reason', async () => {
    const p = await page('failed');
    expect(p.rows.map((r) => [r.values.policyNo, r.values.attemptedAt, r.values.method, r.values.outcome])).toEqual([
      ['P2026003', '2026-11-20 10:00', '电话', '无人接听'],
      ['P2026003', '2026-11-22 09:30', '信函', '地址错误（退信）'],
      [null, null, null, null],
    ]);
    expect(p.rows[0]!.values).toMatchObject({ customerName: '王五', phone: '137****2222', kind: '生存给付回访', note: '无人接听', attemptBy: '张丽', unableReason: '三次电话无人接听，信函退回' });
    expect(p.rows[2]!.values).toMatchObject({ customerName: '李四', kind: '重点客户回访', assignee: '陈敏', unableReason: '客户拒绝回访' });
  });
});

describe('每日回访清单', () => {
  it("groups today's appointments, tasks due today and records finalised today by staff member", async () => {
    const p = await page('daily');
    expect(p.rows.map((r) => [r.values.staff, r.values.item, r.values.customerName])).toEqual([
      ['张丽', '预约', '张三'],
      ['张丽', '今日到期', '张三'],
      ['张丽', '今日定稿', '李四'],
      ['陈敏', '预约', '李四'],
    ]);
    expect(p.rows[0]!.values).toMatchObject({ at: '2026-11-25 10:30', phone: '138****5678', detail: '分公司柜面（张三）', status: '待联系' });
    // Stored as an instant; shown in the PC's own time (08:45 at a branch in China).
    expect(p.rows[2]!.values).toMatchObject({ at: localDateTime(new Date('2026-11-25T08:45:00+08:00').toISOString()), status: '回访成功', detail: '记录 HF-0001' });
    expect(p.groups).toEqual([
      { staffId, staffName: '张丽', appointments: 1, due: 1, finalised: 1 },
      { staffId: otherId, staffName: '陈敏', appointments: 1, due: 0, finalised: 0 },
    ]);
  });

  it('filters by staff member', async () => {
    const p = await page('daily', { staffId: otherId });
    expect(p.rows.map((r) => r.values.staff)).toEqual(['陈敏']);
    expect(p.groups).toHaveLength(1);
  });
});

describe('问题件清单', () => {
  it("is the problem module's list: policy, agent, category, description, handler, state, deadline", async () => {
    const p = await page('problems');
    expect(p.rows.map((r) => r.values.policyNo)).toEqual(['P2026001', 'P2026003']);
    expect(p.rows[0]!.values).toMatchObject({
      customerName: '张三', agentCode: 'A01', agentName: '赵业务', category: '代签名', description: '客户称业务员承诺保本高收益', handler: '陈敏', state: '待处理', dueOn: '2026-11-27',
    });
  });
});

describe('exports', () => {
  it('跟踪件清单 exports cell by cell: Chinese headers, real dates, masked phones, frozen bold header', async () => {
    const { jobId, job } = await followJob(app, staff, await app.api('lists.export', { list: 'tracking' }, staff));
    expect(job.state).toBe('done');
    const file = await download(app, staff, jobId);
    expect(file.fileName).toBe('跟踪件清单_2026-11-25.xlsx');
    expect(file.rows).toBe(3);
    const ws = (await workbook(file.bytes)).getWorksheet('跟踪件清单')!;
    expect(headers(ws)).toEqual(['保单号码', '客户名称', '联系电话', '产品名称', '回访类型', '件类型', '经办人', '回访期限', '任务状态']);
    expect(ws.rowCount).toBe(4);
    expect(rowValues(ws, 2)).toEqual(['P2026001', '张三', '138****5678', '鑫福年金', '新契约回访', '不成功件', '张丽', new Date(Date.UTC(2026, 10, 25)), '待联系']);
    expect(ws.getCell('H4').value).toBeInstanceOf(Date);
    expect(ws.getCell('H4').value).toEqual(new Date(Date.UTC(2026, 10, 27)));
    expect(ws.getCell('H2').numFmt).toBe('yyyy-mm-dd');
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect((ws.getCell('A1').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFD9E1F2');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(1).width).toBe(20);
    expect(file.bytes.includes(Buffer.from('13812345678'))).toBe(false);

    // A second, independent reader sees the same workbook.
    const { dir, cleanup } = tempDir();
    try {
      const xlsx = path.join(dir, 'tracking.xlsx');
      fs.writeFileSync(xlsx, file.bytes);
      const script = [
        'import json, sys, datetime, openpyxl',
        'wb = openpyxl.load_workbook(sys.argv[1])',
        'ws = wb.worksheets[0]',
        'rows = [[c.isoformat() if isinstance(c, datetime.datetime) else c for c in r] for r in ws.iter_rows(values_only=True)]',
        'print(json.dumps({"title": ws.title, "freeze": ws.freeze_panes, "bold": ws["A1"].font.b, "fmt": ws["H2"].number_format, "rows": rows}, ensure_ascii=False))',
      ].join('\n');
      const py = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, xlsx], { encoding: 'utf8' })) as { title: string; freeze: string; bold: boolean; fmt: string; rows: unknown[][] };
      expect(py.title).toBe('跟踪件清单');
      expect(py.freeze).toBe('A2');
      expect(py.bold).toBe(true);
      expect(py.fmt).toBe('yyyy-mm-dd');
      const mine = [1, 2, 3, 4].map((n) => rowValues(ws, n).map((v) => (v instanceof Date ? v.toISOString().slice(0, 19) : (v ?? null))));
      expect(py.rows).toEqual(mine);
    } finally {
      cleanup();
    }
  });

  it('不成功件清单 exports one row per attempt with the time as a real date-time', async () => {
    const { jobId } = await followJob(app, staff, await app.api('lists.export', { list: 'failed' }, staff));
    const ws = (await workbook((await download(app, staff, jobId)).bytes)).worksheets[0]!;
    expect(headers(ws)).toEqual(['保单号码', '客户名称', '联系电话', '回访类型', '经办人', '联系时间', '联系方式', '联系结果', '联系人', '联系备注', '未能回访原因']);
    expect(rowValues(ws, 2)).toEqual(['P2026003', '王五', '137****2222', '生存给付回访', '张丽', new Date(Date.UTC(2026, 10, 20, 10, 0)), '电话', '无人接听', '张丽', '无人接听', '三次电话无人接听，信函退回']);
    expect(ws.getCell('F3').value).toEqual(new Date(Date.UTC(2026, 10, 22, 9, 30)));
    expect(ws.getCell('F2').numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(ws.getCell('K4').value).toBe('客户拒绝回访');
  });

  it('每日回访清单 exports grouped by staff with a per-person summary sheet; the staff filter applies', async () => {
    const { jobId } = await followJob(app, staff, await app.api('lists.export', { list: 'daily' }, staff));
    const wb = await workbook((await download(app, staff, jobId)).bytes);
    const ws = wb.getWorksheet('每日回访清单')!;
    expect(headers(ws)).toEqual(['回访人员', '事项', '时间', '客户名称', '联系电话', '保单号码', '回访类型', '状态/结果', '说明']);
    expect([2, 3, 4, 5].map((n) => ws.getCell(`A${n}`).value)).toEqual(['张丽', '张丽', '张丽', '陈敏']);
    expect(ws.getCell('C2').value).toEqual(new Date(Date.UTC(2026, 10, 25, 10, 30)));
    expect(ws.getCell('C3').value).toBeNull();
    const sum = wb.getWorksheet('按人员汇总')!;
    expect(rowValues(sum, 2)).toEqual(['张丽', 1, 1, 1]);
    expect(rowValues(sum, 3)).toEqual(['陈敏', 1, 0, 0]);

    const only = await followJob(app, staff, await app.api('lists.export', { list: 'daily', staffId: otherId }, staff));
    const ws2 = (await workbook((await download(app, staff, only.jobId)).bytes)).worksheets[0]!;
    expect(ws2.rowCount).toBe(2);
    expect(ws2.getCell('A2').value).toBe('陈敏');
  });

  it('问题件清单 exports from the problem module with its deadline as a date', async () => {
    const { jobId } = await followJob(app, manager, await app.api('lists.export', { list: 'problems' }, manager));
    const file = await download(app, manager, jobId);
    expect(file.fileName).toBe('问题件清单_2026-11-25.xlsx');
    const ws = (await workbook(file.bytes)).worksheets[0]!;
    expect(headers(ws)).toEqual(['保单号码', '投保人', '业务员代码', '业务员', '问题类别', '问题描述', '处理人', '处理状态', '期限提示', '下达日期', '处理期限']);
    expect(rowValues(ws, 2).slice(0, 8)).toEqual(['P2026001', '张三', 'A01', '赵业务', '代签名', '客户称业务员承诺保本高收益', '陈敏', '待处理']);
    expect(ws.getCell('K2').value).toEqual(new Date(Date.UTC(2026, 10, 27)));
    expect(ws.getCell('J2').value).toBeInstanceOf(Date);
  });

  it('an unwritable exports folder gives a Chinese message and leaves no file', async (t) => {
    const exportsDir = path.join(app.dataDir, 'exports');
    const before = fs.readdirSync(exportsDir);
    // Root ignores permission bits: the folder is made immutable instead (where the file system allows it).
    const asRoot = process.getuid?.() === 0;
    const lock = (on: boolean) => {
      if (!asRoot) fs.chmodSync(exportsDir, on ? 0o555 : 0o755);
      else execFileSync('chattr', [on ? '+i' : '-i', exportsDir], { stdio: 'ignore' });
    };
    try {
      lock(true);
    } catch {
      t.skip();
    }
    try {
      const { job } = await followJob(app, staff, await app.api('lists.export', { list: 'tracking' }, staff));
      expect(job.state).toBe('failed');
      expect(job.error?.code).toBe('storage_error');
      expect(job.error?.message).toMatch(/^导出文件夹 .*exports 不可写，导出未完成/);
    } finally {
      lock(false);
    }
    expect(fs.readdirSync(exportsDir)).toEqual(before);
  });
});

describe('100,000-row 跟踪件清单', () => {
  const N = 100_000;
  beforeAll(() => {
    const at = '2026-11-01T00:00:00.000Z';
    app.db.exec(`
      INSERT INTO customers (id, name, phone, created_at)
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
      SELECT 1000 + i, '客户' || i, '139' || printf('%08d', i), '${at}' FROM n;
      INSERT INTO visit_tasks (customer_id, kind, cycle, status, assignee_id, due_on, created_at, updated_at)
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N})
      SELECT 1001 + (i % 1000), 'new_policy', 'bulk-' || i, 'to_contact', ${staffId}, CASE i % 3 WHEN 0 THEN '2026-11-25' WHEN 1 THEN '2026-11-26' ELSE '2026-11-27' END, '${at}', '${at}' FROM n;
    `);
  }, 120_000);

  it('a cancelled export leaves no file in <dataDir>/exports', async () => {
    const exportsDir = path.join(app.dataDir, 'exports');
    const before = fs.readdirSync(exportsDir);
    let cancelled = false;
    const { job } = await followJob(app, staff, await app.api('lists.export', { list: 'tracking' }, staff), async (j) => {
      if (!cancelled && j.done > 0) {
        cancelled = true;
        ok(await app.api('jobs.cancel', { jobId: j.id }, staff));
      }
    });
    expect(cancelled).toBe(true);
    expect(job.state).toBe('cancelled');
    expect(fs.readdirSync(exportsDir)).toEqual(before);
  });

  it('streams: rows written as read, progress reported along the way, memory bounded', async () => {
    global.gc?.();
    const base = process.memoryUsage().heapUsed;
    let peak = base;
    const seen = new Set<number>();
    const { jobId, job } = await followJob(app, staff, await app.api('lists.export', { list: 'tracking' }, staff), (j) => {
      if (j.state === 'running' && j.done > 0) seen.add(j.done);
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    });
    expect(job.state).toBe('done');
    expect(job.total).toBe(N + 3);
    // Several distinct progress reports while running (every 2,000 rows).
    expect(seen.size).toBeGreaterThanOrEqual(5);
    // A workbook of 100,000 rows held in memory takes several hundred MB; streamed, the heap barely moves.
    expect(peak - base).toBeLessThan(150 * 1024 * 1024);
    const r = ok(await app.api('exports.result', { jobId }, staff));
    expect(r.rows).toBe(N + 3);
    // Read back by streaming too, counting rows and spot-checking the last one.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(fs.createReadStream(path.join(app.dataDir, 'exports', `${r.exportId}.xlsx`)), { styles: 'cache' });
    let rows = 0;
    let last: unknown[] = [];
    for await (const sheet of reader) {
      for await (const row of sheet) {
        rows++;
        last = (row.values as unknown[]).slice(1);
      }
    }
    expect(rows).toBe(N + 4);
    expect(last[2]).toMatch(/^139\*{4}\d{4}$/);
    expect(last[7]).toBeInstanceOf(Date);
  }, 120_000);
});

describe('record sheets of a period (客户回访记录表) with signatures', () => {
  let demo: Awaited<ReturnType<typeof demoBranch>>;
  beforeAll(async () => {
    demo = await demoBranch();
    await finalisedVisit(demo.app, demo.staff, 0);
    await finalisedVisit(demo.app, demo.staff, 1);
  });
  afterAll(() => demo?.app.cleanup());

  it('one row per finalised record, the sheet fields as columns, both signatures as images', async () => {
    const { app: a, manager: m } = demo;
    const { jobId, job } = await followJob(a, m, await a.api('visits.exportSheets', { from: '2026-11-01', to: '2026-11-30' }, m));
    expect(job.state).toBe('done');
    const file = await download(a, m, jobId);
    expect(file.fileName).toBe('客户回访记录表_2026-11-01_2026-11-30.xlsx');
    const ws = (await workbook(file.bytes)).worksheets[0]!;
    expect(headers(ws)).toEqual([
      '记录编号', '版本', '访问日期', '客户名称', '保单号码', '访问人', '受访人及职务', '访问地点', '受访人电话', '访问内容概要', '客户反馈问题', '问题跟进情况', '备注', '回访结果', '定稿时间', '客户签名', '访问人签名',
    ]);
    expect(ws.rowCount).toBe(3);
    expect(ws.getCell('C2').value).toEqual(new Date(Date.UTC(2026, 10, 25, 8, 30)));
    expect(ws.getCell('G2').value).toBe('投保人本人');
    expect(ws.getCell('J2').value).toBe('逐项确认');
    expect(String(ws.getCell('I2').value)).toMatch(/^\d{3}\*+\d{4}$/);
    const images = ws.getImages();
    expect(images).toHaveLength(4);
    // Customer's in 客户签名 (column P, index 15), visitor's in 访问人签名 (Q, 16), one pair per record row.
    expect(images.map((i) => [i.range.tl.nativeRow, i.range.tl.nativeCol]).sort()).toEqual([[1, 15], [1, 16], [2, 15], [2, 16]]);
  });

  it('refuses a period longer than 31 days in Chinese, before any job starts', async () => {
    const r = await demo.app.api('visits.exportSheets', { from: '2026-10-01', to: '2026-11-30' }, demo.manager);
    expect(r.ok ? null : r.error.message).toContain('31 天');
    const back = await demo.app.api('visits.exportSheets', { from: '2026-11-30', to: '2026-11-01' }, demo.manager);
    expect(back.ok ? null : back.error.message).toBe('截止日期不能早于起始日期');
  });

  it('sales reps are refused the lists and the sheets', async () => {
    const r = await demo.app.api('lists.get', { list: 'tracking' }, demo.sales);
    expect(r.ok ? 'ok' : r.error.code).toBe('forbidden');
  });
});
