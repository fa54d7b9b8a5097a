import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { NEW_POLICY_V1 } from '../../shared/questionnaire';
import { startTestApp, type TestApp } from '../support/app';
import { DUE_EXPLANATION_SQL } from '../../electron/tasks/deadline-texts';

// The branch's clock is fixed in late November 2026, when the 2027 arrangement is not yet loaded.
const NOW = () => new Date('2026-11-25T09:00:00+08:00');

let app: TestApp;
afterEach(() => app?.cleanup());

async function calendarXlsx(rows: (string | Date)[][], title?: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('2027');
  if (title) ws.addRow([title]);
  ws.addRow(['日期', '类型', '名称']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

const NEW_YEAR_2027 = [
  ['2027-01-01', '休', '元旦'],
  ['2027-01-02', '休', '元旦'],
  ['2027-01-03', '休', '元旦'],
  ['2027-02-06', '休', '春节'],
  ['2027-02-07', '班', '春节'],
];

/** A new-policy task whose cooling-off period ends on 2027-01-01 (receipt signed 2026-12-22, 10 days). */
function insertCrossYearTask(a: TestApp): number {
  const c = a.db.prepare("INSERT INTO customers (name, phone, created_at) VALUES ('赵六', '13900001111', 'now')").run().lastInsertRowid;
  const p = a.db
    .prepare(
      `INSERT INTO policies (policy_no, applicant_id, product_name, product_type, channel, term_years, issue_date, receipt_signed_date, created_at)
       VALUES ('P2026X1', ?, '康宁终身重大疾病保险', 'traditional', 'individual', 20, '2026-12-15', '2026-12-22', 'now')`,
    )
    .run(c).lastInsertRowid;
  return Number(
    a.db.prepare("INSERT INTO visit_tasks (customer_id, policy_id, kind, status, created_at, updated_at) VALUES (?, ?, 'new_policy', 'to_contact', 'now', 'now')").run(c, p)
      .lastInsertRowid,
  );
}

describe('the working-day calendar in the app', () => {
  it('warns that 2027 is missing, loads it from an xlsx, and recomputes task deadlines in the same step', async () => {
    app = startTestApp(NOW);
    const admin = await app.setUp();
    const status = await app.api('app.status', {});
    expect(status.ok && status.value.calendarWarnings.join()).toContain('2027 年节假日安排尚未载入');

    const id = insertCrossYearTask(app);
    // The task has no deadline yet; loading the calendar recomputes every task's deadline.
    const first = await app.api('calendar.import', { fileName: '2027.xlsx', contentBase64: await calendarXlsx(NEW_YEAR_2027, '国务院办公厅关于2027年部分节假日安排的通知') }, admin);
    expect(first).toMatchObject({ ok: true, value: { year: 2027, holidays: 4, makeupWorkdays: 1, replacedBuiltIn: false } });
    expect(first.ok && first.value.tasksRecomputed).toBeGreaterThanOrEqual(1);
    expect(app.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'calendar_loaded'").pluck().get()).toBe(1);

    const task = app.db.prepare(`SELECT t.due_on, ${DUE_EXPLANATION_SQL} AS due_explanation, t.due_warnings FROM visit_tasks t WHERE t.id = ?`).get(id) as { due_on: string; due_explanation: string; due_warnings: string | null };
    // 2027-01-01 is a holiday in the loaded arrangement, so the period runs on to Monday 2027-01-04.
    expect(task.due_on).toBe('2027-01-04');
    expect(task.due_explanation).toContain('2027-01-04');
    expect(task.due_warnings ?? '').not.toContain('2027 年');

    const years = await app.api('calendar.years', {}, admin);
    expect(years.ok && years.value.years.find((y) => y.year === 2027)).toMatchObject({ source: 'loaded', holidays: 4, fileName: '2027.xlsx' });
    expect(years.ok && years.value.missing).toEqual([]);
    const after = await app.api('app.status', {});
    expect(after.ok && after.value.calendarWarnings).toEqual([]);
  });

  it('computes with a warning while the year is missing, and the loaded year changes the date', async () => {
    app = startTestApp(NOW);
    const admin = await app.setUp();
    const id = insertCrossYearTask(app);
    // The demo load recomputes every task's deadline with the calendar in force.
    await app.api('demo.load', {}, admin);
    const before = app.db.prepare('SELECT due_on, due_warnings FROM visit_tasks WHERE id = ?').get(id) as { due_on: string; due_warnings: string };
    expect(before.due_on).toBe('2027-01-01');
    expect(before.due_warnings).toContain('2027');
    const listed = await app.api('tasks.list', { search: 'P2026X1' }, admin);
    expect(listed.ok && listed.value.rows[0]?.dueWarnings.join()).toContain('2027');
  });

  it('refuses bad calendar files with row/column messages and changes nothing', async () => {
    app = startTestApp(NOW);
    const admin = await app.setUp();
    const bad = await app.api('calendar.import', { fileName: '2027错.xlsx', contentBase64: await calendarXlsx([['2027-01-01', '休', '元旦'], ['2027-02-30', '休', '春节'], ['2027-03-01', '放风', '']]) }, admin);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('invalid_input');
    expect(bad.error.message).toContain('2027错.xlsx');
    const messages = (bad.error.issues ?? []).map((i) => i.message).join('\n');
    expect(messages).toMatch(/第 3 行「日期」列：2027-02-30 不是有效日期/);
    expect(messages).toMatch(/第 4 行「类型」列/);

    const oldExcel = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]).toString('base64');
    const xls = await app.api('calendar.import', { fileName: '2027.xls', contentBase64: oldExcel }, admin);
    expect(xls.ok ? '' : xls.error.message).toMatch(/另存为.*\.xlsx/);
    const noHeader = new ExcelJS.Workbook();
    noHeader.addWorksheet('x').addRow(['随便', '什么']);
    const nh = await app.api('calendar.import', { fileName: 'x.xlsx', contentBase64: Buffer.from(await noHeader.xlsx.writeBuffer()).toString('base64') }, admin);
    expect(nh.ok ? '' : nh.error.message).toContain('找不到表头');
    const garbage = await app.api('calendar.import', { fileName: 'x.json', contentBase64: Buffer.from('{"year": 2027, "holidays": "no"').toString('base64') }, admin);
    expect(garbage.ok ? '' : garbage.error.code).toBe('invalid_input');
    const empty = await app.api('calendar.import', { fileName: 'x.json', contentBase64: '' }, admin);
    expect(empty.ok ? '' : empty.error.code).toBe('invalid_input');

    expect(app.db.prepare('SELECT count(*) FROM calendar_loads').pluck().get()).toBe(0);
    expect(app.db.prepare('SELECT count(*) FROM calendar_days').pluck().get()).toBe(0);
  });

  it('accepts the JSON form of a year and lets only administrators load calendars', async () => {
    app = startTestApp(NOW);
    const admin = await app.setUp();
    const json = { year: 2027, holidays: [{ date: '2027-01-01', name: '元旦' }], makeupWorkdays: [] };
    const r = await app.api('calendar.import', { fileName: '2027.json', contentBase64: Buffer.from(`\uFEFF${JSON.stringify(json)}`).toString('base64') }, admin);
    expect(r).toMatchObject({ ok: true, value: { year: 2027, holidays: 1 } });
    await app.api('demo.load', {}, admin);
    const staff = await app.api('auth.signIn', { username: 'zhangli', password: 'demo1234' });
    if (!staff.ok) throw new Error(staff.error.message);
    const refused = await app.api('calendar.import', { fileName: '2027.json', contentBase64: Buffer.from(JSON.stringify(json)).toString('base64') }, staff.value.sessionToken);
    expect(refused.ok ? '' : refused.error.code).toBe('forbidden');
  });
});

describe('rules in force and trying a rule', () => {
  it('lists every rule with its source, and explains a computed date in Chinese', async () => {
    app = startTestApp(NOW);
    const admin = await app.setUp();
    const list = await app.api('rules.list', {}, admin);
    if (!list.ok) throw new Error(list.error.message);
    expect(list.value.rules.length).toBeGreaterThanOrEqual(15);
    for (const r of list.value.rules) expect(r.source).toBeTruthy();

    const tried = await app.api('rules.try', { facts: { kind: 'new_policy', receiptSignedDate: '2026-09-25', coolingOffDays: 15, termYears: 10 } }, admin);
    expect(tried).toMatchObject({ ok: true, value: { required: true, due: '2026-10-10' } });
    expect(tried.ok && tried.value.explanation).toContain('调休');

    const bad = await app.api('rules.try', { facts: { kind: 'problem_case', workOrderDate: '2026-02-30' } }, admin);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('invalid_input');
    expect(bad.error.issues?.[0]).toMatchObject({ path: 'workOrderDate' });
    expect(bad.error.message).toContain('2026-02-30 不是有效日期');
  });
});

describe('overdue and due-soon are queries', () => {
  it('filters the demo branch by overdue and due within N days, relative to today', async () => {
    app = startTestApp(NOW);
    const admin = await app.setUp();
    await app.api('demo.load', {}, admin);
    const overdue = await app.api('tasks.list', { due: 'overdue', limit: 500 }, admin);
    const soon = await app.api('tasks.list', { due: 'soon', soonDays: 3, limit: 500 }, admin);
    if (!overdue.ok || !soon.ok) throw new Error('list failed');
    expect(overdue.value.total).toBeGreaterThan(0);
    for (const r of overdue.value.rows) expect(r.dueOn! < '2026-11-25').toBe(true);
    expect(soon.value.total).toBeGreaterThan(0);
    for (const r of soon.value.rows) expect(r.dueOn! >= '2026-11-25' && r.dueOn! <= '2026-11-28').toBe(true);
    const all = await app.api('tasks.list', { limit: 500 }, admin);
    const withDue = all.ok ? all.value.rows.filter((r) => r.dueOn) : [];
    expect(withDue.length).toBeGreaterThan(150);
  });
});

describe('questionnaire versions', () => {
  it('imports a new version; the old one stays readable; a bad file is refused with field paths', async () => {
    app = startTestApp(NOW);
    const admin = await app.setUp();
    const v2 = { ...NEW_POLICY_V1, version: 2, name: '新契约回访问卷（2027 版）', questions: NEW_POLICY_V1.questions.slice(0, 5) };
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64');
    const r = await app.api('questionnaire.import', { fileName: 'new_policy_v2.json', contentBase64: b64(v2) }, admin);
    expect(r).toMatchObject({ ok: true, value: { id: 'new_policy', version: 2, latest: true, builtIn: false, questionCount: 5 } });

    const list = await app.api('questionnaire.list', {}, admin);
    const versions = list.ok ? list.value.templates.filter((t) => t.id === 'new_policy').map((t) => [t.version, t.latest]) : [];
    expect(versions).toEqual([[2, true], [1, false]]);
    const old = await app.api('questionnaire.get', { id: 'new_policy', version: 1 }, admin);
    expect(old.ok && old.value.questions.length).toBe(NEW_POLICY_V1.questions.length);
    const latest = await app.api('questionnaire.get', { id: 'new_policy' }, admin);
    expect(latest.ok && latest.value).toEqual(v2);

    const again = await app.api('questionnaire.import', { fileName: 'new_policy_v2.json', contentBase64: b64(v2) }, admin);
    expect(again.ok ? '' : again.error.code).toBe('invalid_input');
    const broken = await app.api('questionnaire.import', { fileName: 'bad.json', contentBase64: b64({ ...v2, version: 3, questions: [{ id: 'x' }] }) }, admin);
    expect(broken.ok).toBe(false);
    if (!broken.ok) {
      expect(broken.error.message).toContain('bad.json');
      expect(broken.error.issues?.some((i) => i.path.includes('questions'))).toBe(true);
    }
  });
});
