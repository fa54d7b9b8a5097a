import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput } from '../../shared/api/contract';
import type { StatsFigureKey, StatsResult } from '../../shared/stats/types';
import { ok, startTestApp, type TestApp } from '../support/app';

/**
 * 统计报表 on a branch whose answers are known: tasks, visit records and problem cases written
 * straight into the database with a fixed clock (today 2026-11-25), every figure asserted exactly.
 * The period is November 2026.
 */
const NOW = () => new Date('2026-11-25T09:00:00+08:00');
const NOV = { from: '2026-11-01', to: '2026-11-30' } as const;
/** Noon at the branch (UTC+8) — the same calendar day in any time zone from UTC−4 to UTC+11. */
const at = (day: string) => `${day}T04:00:00.000Z`;

let app: TestApp;
let manager = '';
let staff = '';
let sales = '';
const ids = { a: 0, b: 0, m: 0 };

beforeAll(async () => {
  app = startTestApp(NOW);
  const admin = await app.setUp();
  const account = async (username: string, displayName: string, role: 'staff' | 'sales' | 'manager') => {
    const a = ok(await app.api('accounts.create', { username, displayName, role, password: 'pass-1234', ...(role === 'sales' ? { employeeNo: 'YW2033' } : {}) }, admin));
    return a.id;
  };
  ids.a = await account('zhangli', '张莉', 'staff');
  ids.b = await account('lisi', '李四', 'staff');
  ids.m = await account('liuyang', '刘洋', 'manager');
  await account('wangqiang', '王强', 'sales');
  const signIn = async (username: string) => ok(await app.api('auth.signIn', { username, password: 'pass-1234' })).sessionToken;
  manager = await signIn('liuyang');
  staff = await signIn('zhangli');
  sales = await signIn('wangqiang');
  seed(app);
});
afterAll(() => app?.cleanup());

function seed(t: TestApp): void {
  const db = t.db;
  const created = '2026-10-01T00:00:00.000Z';
  const customer = Number(db.prepare("INSERT INTO customers (name, phone, created_at) VALUES ('赵丽娟', '13800000001', ?)").run(created).lastInsertRowid);
  let policySeq = 0;
  const policy = (channel: string) =>
    Number(
      db
        .prepare("INSERT INTO policies (policy_no, applicant_id, product_name, product_type, channel, created_at) VALUES (?, ?, '安康定期寿险', 'traditional', ?, ?)")
        .run(`P2026${String(++policySeq).padStart(6, '0')}`, customer, channel, created).lastInsertRowid,
    );
  const task = (kind: string, channel: string, assignee: number | null, dueOn: string, required = 1) => {
    const p = policy(channel);
    const id = Number(
      db
        .prepare("INSERT INTO visit_tasks (customer_id, policy_id, kind, status, assignee_id, due_on, visit_required, created_at, updated_at) VALUES (?, ?, ?, 'to_contact', ?, ?, ?, ?, ?)")
        .run(customer, p, kind, assignee, dueOn, required, created, created).lastInsertRowid,
    );
    return { id, policy: p, kind };
  };
  let recordSeq = 0;
  const visit = (
    tk: { id: number; policy: number; kind: string },
    visitor: number,
    outcome: string,
    day: string,
    opts: { recordNo?: string; version?: number; previous?: number; state?: string; categories?: string[] } = {},
  ) => {
    const recordNo = opts.recordNo ?? `HF2026${String(++recordSeq).padStart(5, '0')}`;
    const id = Number(
      db
        .prepare(
          `INSERT INTO visits (record_no, version, previous_id, task_id, customer_id, policy_id, kind, template_id, template_version, visitor_id,
             state, outcome, finalised_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'new_policy', 1, ?, ?, ?, ?, ?, ?)`,
        )
        .run(recordNo, opts.version ?? 1, opts.previous ?? null, tk.id, customer, tk.policy, tk.kind, visitor, opts.state ?? 'finalised', outcome, at(day), at(day), at(day))
        .lastInsertRowid,
    );
    for (const c of opts.categories ?? []) db.prepare('INSERT INTO visit_outcome_categories (visit_id, category) VALUES (?, ?)').run(id, c);
    return { id, recordNo };
  };
  const problemCase = (v: { id: number }, tk: { id: number; policy: number }, opened: string, dueOn: string, closed: string | null) =>
    db
      .prepare("INSERT INTO problem_cases (source, visit_id, task_id, customer_id, policy_id, state, opened_at, due_on, closed_at) VALUES ('visit', ?, ?, ?, ?, ?, ?, ?, ?)")
      .run(v.id, tk.id, customer, tk.policy, closed ? 'closed' : 'open', at(opened), dueOn, closed ? at(closed) : null);
  const attempt = (tk: { id: number }, user: number, when: string) =>
    db
      .prepare("INSERT INTO contact_attempts (task_id, user_id, method, attempted_at, outcome, created_at) VALUES (?, ?, 'phone', ?, 'not_answered', ?)")
      .run(tk.id, user, when, created);

  // T1 新契约, 个险, 张莉, due 11-10: success finalised 11-08 → on time.
  const t1 = task('new_policy', 'individual', ids.a, '2026-11-10');
  visit(t1, ids.a, 'success', '2026-11-08');
  attempt(t1, ids.a, '2026-11-07 10:00');
  // T2 新契约, 个险, 张莉, due 11-12: problem finalised 11-14 → late; its case closed 11-18, deadline 11-19.
  const t2 = task('new_policy', 'individual', ids.a, '2026-11-12');
  const r2 = visit(t2, ids.a, 'problem', '2026-11-14', { categories: ['proxy_signature', 'misleading_surrender'] });
  problemCase(r2, t2, '2026-11-14', '2026-11-19', '2026-11-18');
  // T3 新契约, 银保, 李四, due 11-20: nothing → overdue, still open.
  const t3 = task('new_policy', 'bancassurance', ids.b, '2026-11-20');
  attempt(t3, ids.b, '2026-11-18 09:30');
  attempt(t3, ids.b, '2026-11-19 15:00');
  attempt(t3, ids.b, '2026-10-31 15:00'); // October: not counted
  // T4 新契约, 银保, 李四, due 11-28: not yet due.
  task('new_policy', 'bancassurance', ids.b, '2026-11-28');
  // T5 重点客户, 张莉, due 11-05: success 11-03 by 张莉, corrected 11-20 by 刘洋 (still success).
  const t5 = task('key_client', 'individual', ids.a, '2026-11-05');
  const r5 = visit(t5, ids.a, 'success', '2026-11-03', { state: 'superseded' });
  visit(t5, ids.m, 'success', '2026-11-20', { recordNo: r5.recordNo, version: 2, previous: r5.id });
  // T6 续保, due in December; its not-completed record finalised 11-21 by 李四 counts among visits.
  const t6 = task('renewal', 'individual', ids.a, '2026-12-05');
  visit(t6, ids.b, 'not_completed', '2026-11-21');
  // T7 not requiring a visit: never counted.
  task('new_policy', 'individual', null, '2026-11-15', 0);
  // T8 生存给付, 张莉, due 11-16: problem 11-17 → late; its case closed 11-24 after its deadline 11-20.
  const t8 = task('survival_benefit', 'individual', ids.a, '2026-11-16');
  const r8 = visit(t8, ids.a, 'problem', '2026-11-17', { categories: ['unaware_of_purchase', 'proxy_signature'] });
  problemCase(r8, t8, '2026-11-17', '2026-11-20', '2026-11-24');
  // T9 due in October with an October problem record and case: outside the period.
  const t9 = task('new_policy', 'individual', ids.a, '2026-10-31');
  const r9 = visit(t9, ids.a, 'problem', '2026-10-30', { categories: ['wrong_info'] });
  problemCase(r9, t9, '2026-10-30', '2026-11-04', '2026-11-02');
  // T10 续保 due in January 2027 (a year without calendar data).
  task('renewal', 'individual', ids.a, '2027-01-05');
}

const compute = async (input: MethodInput<'stats.compute'>, session = manager) => ok(await app.api('stats.compute', input, session));
const fig = (s: StatsResult, key: StatsFigureKey) => s.figures.find((f) => f.key === key)!;
const values = (s: StatsResult) => Object.fromEntries(s.figures.map((f) => [f.key, f.value]));

describe('统计报表: every figure of a known branch', () => {
  it('computes the headline figures of November exactly', async () => {
    const s = await compute(NOV);
    expect(s.asOf).toBe('2026-11-25');
    expect(values(s)).toEqual({
      due: 6,
      success: 2,
      successRate: 2 / 6,
      finalised: 5,
      problem: 2,
      problemRate: 2 / 5,
      coolingOffDue: 4,
      coolingOffOnTime: 1,
      coolingOffRate: 1 / 4,
      overdueOpen: 1,
      overdueLate: 2,
      casesOpened: 2,
      casesClosedIn3: 1,
      casesClosedIn3Rate: 1 / 2,
    });
    expect(fig(s, 'successRate')).toMatchObject({ numerator: 2, denominator: 6, format: 'rate' });
    expect(fig(s, 'problemRate')).toMatchObject({ numerator: 2, denominator: 5 });
    // Every figure says what it counts and which date decides the period.
    for (const f of s.figures) expect(f.definition.length).toBeGreaterThan(10);
    expect(fig(s, 'due').definition).toContain('应完成日');
    expect(fig(s, 'finalised').definition).toContain('首次定稿日期');
    // The period reaches past today: said so.
    expect(s.warnings.join('')).toContain('之后');
  });

  it('breaks problems down by category, with labels, most serious first', async () => {
    const s = await compute(NOV);
    expect(s.categories).toEqual([
      { code: 'unaware_of_purchase', label: '不知投保', group: '契约品质', count: 1, share: 0.5 },
      { code: 'proxy_signature', label: '代签名', group: '契约品质', count: 2, share: 1 },
      { code: 'misleading_surrender', label: expect.any(String), group: '误导客户', count: 1, share: 0.5 },
    ]);
  });

  it('counts per staff for performance review', async () => {
    const s = await compute(NOV);
    expect(s.staff.map((r) => r.name)).toEqual(['张莉', '李四', '刘洋', '王强']);
    expect(s.staff[0]).toEqual({ userId: ids.a, name: '张莉', role: 'staff', due: 4, success: 2, successRate: 0.5, finalised: 4, problem: 2, notCompleted: 0, attempts: 1, overdueOpen: 0 });
    expect(s.staff[1]).toEqual({ userId: ids.b, name: '李四', role: 'staff', due: 2, success: 0, successRate: 0, finalised: 1, problem: 0, notCompleted: 1, attempts: 2, overdueOpen: 1 });
    expect(s.staff[2]).toMatchObject({ name: '刘洋', due: 0, successRate: null, finalised: 0, attempts: 0 });
  });

  it('trends by ISO week and by month', async () => {
    const s = await compute(NOV);
    expect(s.weeks.map((w) => [w.key, w.start, w.end, w.partial, w.due, w.success, w.successRate, w.finalised, w.problem, w.problemRate])).toEqual([
      ['2026-W44', '2026-11-01', '2026-11-01', true, 0, 0, null, 0, 0, null],
      ['2026-W45', '2026-11-02', '2026-11-08', false, 1, 1, 1, 2, 0, 0],
      ['2026-W46', '2026-11-09', '2026-11-15', false, 2, 1, 0.5, 1, 1, 1],
      ['2026-W47', '2026-11-16', '2026-11-22', false, 2, 0, 0, 2, 1, 0.5],
      ['2026-W48', '2026-11-23', '2026-11-29', false, 1, 0, 0, 0, 0, null],
      ['2026-W49', '2026-11-30', '2026-11-30', true, 0, 0, null, 0, 0, null],
    ]);
    expect(s.months).toEqual([
      { key: '2026-11', start: '2026-11-01', end: '2026-11-30', partial: false, due: 6, success: 2, successRate: 2 / 6, finalised: 5, problem: 2, problemRate: 0.4 },
    ]);
  });

  it('filters by channel, kind and staff', async () => {
    const banc = await compute({ ...NOV, channel: 'bancassurance' });
    expect(values(banc)).toMatchObject({ due: 2, success: 0, successRate: 0, finalised: 0, problemRate: null, coolingOffDue: 2, overdueOpen: 1, casesOpened: 0, casesClosedIn3Rate: null });
    expect(banc.filters.channelLabel).toBe('银保');

    const key = await compute({ ...NOV, kind: 'key_client' });
    expect(values(key)).toMatchObject({ due: 1, success: 1, successRate: 1, finalised: 1, problem: 0, coolingOffDue: null, coolingOffRate: null });
    expect(fig(key, 'coolingOffRate').note).toContain('不适用');

    const li = await compute({ ...NOV, staffId: ids.b });
    expect(values(li)).toMatchObject({ due: 2, finalised: 1, problem: 0, overdueOpen: 1 });
    expect(li.staff.map((r) => r.name)).toEqual(['李四']);
    expect(li.filters.staffName).toBe('李四');
  });

  it('refuses a bad period with a Chinese message, and says when there is nothing to count', async () => {
    const backwards = await app.api('stats.compute', { from: '2026-11-30', to: '2026-11-01' }, manager);
    expect(backwards.ok ? null : backwards.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('晚于结束日期') });
    const tooLong = await app.api('stats.compute', { from: '2025-01-01', to: '2026-02-04' }, manager);
    expect(tooLong.ok ? null : tooLong.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('超过上限 366 天') });
    expect((await app.api('stats.compute', { from: '2025-11-25', to: '2026-11-25' }, manager)).ok).toBe(true); // 366 days
    const empty = await app.api('stats.compute', { from: '2025-01-01', to: '2025-01-31' }, manager);
    expect(empty.ok ? null : empty.error).toMatchObject({ code: 'not_found', message: expect.stringContaining('没有应访任务、定稿回访记录或问题件') });
    const emptyFiltered = await app.api('stats.compute', { ...NOV, kind: 'claim_closed' }, manager);
    expect(emptyFiltered.ok ? null : emptyFiltered.error.message).toContain('回访项目“理赔结案回访”');
    const badDate = await app.api('stats.compute', { from: '2026-02-30', to: '2026-03-01' }, manager);
    expect(badDate.ok ? null : badDate.error.code).toBe('invalid_input');
  });

  it('warns when the period touches a year without calendar data', async () => {
    const s = await compute({ from: '2026-12-15', to: '2027-01-10' });
    expect(values(s)).toMatchObject({ due: 1 });
    expect(s.warnings.some((w) => w.startsWith('2027 年节假日安排尚未载入'))).toBe(true);
    expect((await compute({ from: '2026-11-01', to: '2026-11-20' })).warnings).toEqual([]);
  });

  it('staff see the branch figures; sales and the administrator are refused', async () => {
    expect(values(await compute(NOV, staff))).toEqual(values(await compute(NOV)));
    const r = await app.api('stats.compute', NOV, sales);
    expect(r.ok ? null : r.error.code).toBe('forbidden');
  });
});

async function exportWorkbook(input: MethodInput<'stats.export'>): Promise<string> {
  const { jobId } = ok(await app.api('stats.export', input, manager));
  for (let i = 0; i < 200; i++) {
    const job = ok(await app.api('jobs.get', { jobId }, manager));
    if (job.state === 'done') break;
    if (job.state !== 'running') throw new Error(`export ${job.state}: ${job.error?.message}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const result = ok(await app.api('exports.result', { jobId }, manager));
  expect(result.fileName).toBe(`回访统计报表_${input.from}_${input.to}.xlsx`);
  const parts: Buffer[] = [];
  for (let offset = 0; ; ) {
    const chunk = ok(await app.api('exports.read', { exportId: result.exportId, offset }, manager));
    const b = Buffer.from(chunk.dataBase64, 'base64');
    parts.push(b);
    offset += b.length;
    if (chunk.done) break;
  }
  const file = path.join(app.dataDir, 'stats-readback.xlsx');
  fs.writeFileSync(file, Buffer.concat(parts));
  return file;
}

describe('the statistics workbook', () => {
  let file = '';
  beforeAll(async () => {
    file = await exportWorkbook(NOV);
  });

  it('reads back cell by cell with exceljs: values, percentages, dates, frozen headers', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '问题分类', '人员', '按周', '按月']);

    const sum = wb.getWorksheet('汇总')!;
    expect(sum.getCell('A1').value).toBe('回访统计报表');
    expect(sum.getCell('B2').value).toEqual(new Date(Date.UTC(2026, 10, 1)));
    expect(sum.getCell('D2').value).toEqual(new Date(Date.UTC(2026, 10, 30)));
    expect(sum.getCell('B2').numFmt).toBe('yyyy-mm-dd');
    expect(sum.getCell('B4').value).toEqual(new Date(Date.UTC(2026, 10, 25)));
    expect(sum.views[0]).toMatchObject({ state: 'frozen', ySplit: 7 });
    expect(sum.getRow(7).values).toEqual([undefined, '指标', '数值', '分子', '分母', '备注', '定义']);
    expect(sum.getCell('A7').font?.bold).toBe(true);
    expect(sum.getCell('A7').fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    expect(sum.getColumn(6).width).toBe(90);
    const rows = Object.fromEntries(Array.from({ length: 14 }, (_, i) => sum.getRow(8 + i)).map((r) => [r.getCell(1).value as string, r]));
    expect(rows['应访数']!.getCell(2).value).toBe(6);
    expect(rows['应访数']!.getCell(6).value).toContain('应完成日');
    expect(rows['回访成功率']!.getCell(2).value).toBeCloseTo(2 / 6, 12);
    expect(rows['回访成功率']!.getCell(2).numFmt).toBe('0.0%');
    expect(rows['回访成功率']!.getCell(3).value).toBe(2);
    expect(rows['回访成功率']!.getCell(4).value).toBe(6);
    expect(rows['问题件率']!.getCell(2).value).toBe(0.4);
    expect(rows['犹豫期内回访完成率']!.getCell(2).value).toBe(0.25);
    expect(rows['3 个工作日内处理率']!.getCell(2).value).toBe(0.5);
    expect(rows['逾期完成数']!.getCell(2).value).toBe(2);

    const cat = wb.getWorksheet('问题分类')!;
    expect(cat.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(cat.getRow(1).values).toEqual([undefined, '问题类别', '归类', '记录数', '占问题件比例']);
    expect(cat.getRow(3).values).toEqual([undefined, '代签名', '契约品质', 2, 1]);
    expect(cat.getCell('D2').value).toBe(0.5);
    expect(cat.getCell('D2').numFmt).toBe('0.0%');

    const st = wb.getWorksheet('人员')!;
    expect(st.getRow(2).values).toEqual([undefined, '张莉', '回访专员', 4, 2, 0.5, 4, 2, 0, 1, 0]);
    expect(st.getCell('E2').numFmt).toBe('0.0%');
    expect(st.getCell('E4').value).toBeNull(); // 刘洋: no tasks due, no rate

    const weeks = wb.getWorksheet('按周')!;
    expect(weeks.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(weeks.getCell('A3').value).toBe('2026-W45');
    expect(weeks.getCell('B3').value).toEqual(new Date(Date.UTC(2026, 10, 2)));
    expect(weeks.getCell('B3').numFmt).toBe('yyyy-mm-dd');
    expect(weeks.getCell('J4').value).toBe(1);
    expect(weeks.getCell('J4').numFmt).toBe('0.0%');
    expect(weeks.getCell('D2').value).toBe('是');

    const months = wb.getWorksheet('按月')!;
    expect(months.getRow(2).values).toEqual([
      undefined,
      '2026-11',
      new Date(Date.UTC(2026, 10, 1)),
      new Date(Date.UTC(2026, 10, 30)),
      '否',
      6,
      2,
      2 / 6,
      5,
      2,
      0.4,
    ]);
  });

  it('opens in a second, independent reader (openpyxl)', () => {
    const script = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
s = wb['汇总']; c = wb['问题分类']; w = wb['按周']; p = wb['人员']
print(json.dumps({
  'sheets': wb.sheetnames,
  'from': s['B2'].value.date().isoformat(), 'fromIsDate': s['B2'].is_date,
  'due': s['B8'].value, 'rate': round(s['B10'].value, 6), 'rateFormat': s['B10'].number_format,
  'freeze': [s.freeze_panes, c.freeze_panes, w.freeze_panes, p.freeze_panes],
  'category': [c['A3'].value, c['C3'].value, c['D3'].value, c['D3'].number_format],
  'week': [w['A4'].value, w['B4'].value.date().isoformat(), w['G4'].value],
  'headerBold': s['A7'].font.b,
}, ensure_ascii=False))
`;
    const out = execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({
      sheets: ['汇总', '问题分类', '人员', '按周', '按月'],
      from: '2026-11-01',
      fromIsDate: true,
      due: 6,
      rate: Number((2 / 6).toFixed(6)),
      rateFormat: '0.0%',
      freeze: ['A8', 'A2', 'A2', 'B2'],
      category: ['代签名', 2, 1, '0.0%'],
      week: ['2026-W46', '2026-11-09', 0.5],
      headerBold: true,
    });
  });

  it('a bad period is refused before any job starts', async () => {
    const r = await app.api('stats.export', { from: '2025-01-01', to: '2025-01-31' }, manager);
    expect(r.ok ? null : r.error.code).toBe('not_found');
  });
});
