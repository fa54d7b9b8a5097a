import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateImportFixtures, type ImportFixtures } from '../fixtures/generate-import-fixtures.mjs';
import { startTestApp, type TestApp } from '../support/app';
import { commitImport, importFile, previewImport, upload, waitForJob } from '../support/import-flow';
import { tempDir } from '../support/temp';
import { DUE_EXPLANATION_SQL } from '../../electron/tasks/deadline-texts';

const NOW = () => new Date('2026-11-25T09:00:00+08:00');
let fixtures: ImportFixtures;
let fixtureDir: { dir: string; cleanup: () => void };
let app: TestApp;

beforeAll(async () => {
  fixtureDir = tempDir('vd-fixtures-');
  fixtures = await generateImportFixtures(fixtureDir.dir, { largeRows: 3000 });
});
afterAll(() => fixtureDir.cleanup());
afterEach(() => app?.cleanup());

async function staffApp() {
  app = startTestApp(NOW);
  const admin = await app.setUp();
  await app.api('demo.load', {}, admin);
  const s = await app.api('auth.signIn', { username: 'zhangli', password: 'demo1234' });
  if (!s.ok) throw new Error(s.error.message);
  return s.value.sessionToken;
}

const count = (table: string) => app.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
const snapshot = () => ['customers', 'policies', 'visit_tasks', 'task_events', 'import_batches'].map(count);

describe('importing head office lists', () => {
  it('previews the unreached list with per-row, per-column messages, imports the valid rows with deadlines, and logs the import', async () => {
    const staff = await staffApp();
    const before = count('visit_tasks');
    const { probe, preview, summary } = await importFile(app, staff, fixtures.unreached);
    expect(probe.headerRow).toBeGreaterThanOrEqual(3); // a two-row header under a title row
    expect(probe.mapping.policyNo).toBe(1);
    // Rows 9 (2026-02-30), 12 (10-digit mobile), 14 (10,000 characters) and 16 (same task as row 5, other content).
    expect(preview.invalid).toBe(4);
    expect(preview.duplicates).toBe(1);
    const messages = preview.issues.map((i) => i.message).join('\n');
    expect(messages).toMatch(/第 9 行「回执\/签署日期」列：2026-02-30 不是有效日期/);
    expect(messages).toMatch(/第 10 行与第 5 行完全相同/);
    expect(messages).toMatch(/第 16 行：保单号 P2026110001 在第 5 行已有同类任务/);
    // Kept, but flagged: no receipt date means no cooling-off deadline.
    expect(preview.warnings.map((w) => w.message).join('\n')).toMatch(/第 15 行「回执\/签署日期」列：未填写，无法计算犹豫期/);
    expect(summary.created).toBe(preview.valid);
    expect(count('visit_tasks')).toBe(before + preview.valid);

    const row = app.db
      .prepare(`SELECT t.kind, t.source, t.due_on, ${DUE_EXPLANATION_SQL} AS due_explanation, c.phone FROM visit_tasks t JOIN policies p ON p.id = t.policy_id JOIN customers c ON c.id = t.customer_id WHERE p.policy_no = 'P2026110002'`)
      .get() as { kind: string; source: string; due_on: string; due_explanation: string; phone: string };
    expect(row).toMatchObject({ kind: 'new_policy', source: 'dialect', phone: '13900001111' });
    expect(row.due_on).toMatch(/^2026-/);
    expect(row.due_explanation).toContain('犹豫期');

    const log = await app.api('import.batches', {}, staff);
    expect(log.ok && log.value.batches[0]).toMatchObject({ fileName: 'unreached-list.xlsx', importedBy: '张莉', created: summary.created, invalid: preview.invalid });
    expect(log.ok && log.value.batches[0]?.fileSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is idempotent: the same list again changes nothing; a changed row updates its task and keeps history', async () => {
    const staff = await staffApp();
    await importFile(app, staff, fixtures.unreached);
    const [customers, policies, tasks, events] = snapshot();
    const again = await importFile(app, staff, fixtures.unreached);
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: again.preview.valid });
    expect(snapshot().slice(0, 4)).toEqual([customers, policies, tasks, events]);

    // The sender's layout is remembered.
    expect(again.probe.remembered).toBe(true);

    // A later list with the same task but a corrected phone number: updated, not duplicated.
    const csv = path.join(fixtureDir.dir, 'update.csv');
    fs.writeFileSync(csv, '保单号,投保人,联系电话,回执签署日期,险种名称,件类型,保险期限\nP2026110002,李四,13900002222,2026-09-30,安康终身寿险,方言件,30\n');
    const upd = await importFile(app, staff, csv);
    expect(upd.summary).toMatchObject({ created: 0, updated: 1 });
    expect(count('visit_tasks')).toBe(tasks);
    const taskId = app.db.prepare("SELECT t.id FROM visit_tasks t JOIN policies p ON p.id = t.policy_id WHERE p.policy_no = 'P2026110002'").pluck().get() as number;
    const detail = await app.api('tasks.get', { id: taskId }, staff);
    if (!detail.ok) throw new Error(detail.error.message);
    const change = detail.value.history[0]!;
    expect(change.summary).toContain('总公司清单更新');
    expect(change.changes).toEqual(expect.arrayContaining([{ field: 'customer.phone', oldValue: '139****1111', newValue: '139****2222' }]));
    // The creation comes last, read from the list that created the task, with who imported it.
    expect(detail.value.history.at(-1)).toMatchObject({ summary: '由总公司清单导入', userName: '张莉', changes: [] });
    expect(detail.value.history.filter((h) => h.summary === '由总公司清单导入')).toHaveLength(1);
    expect(app.db.prepare('SELECT old_phone, new_phone FROM customer_phone_changes').all()).toEqual([{ old_phone: '13900001111', new_phone: '13900002222' }]);

    // The original list again: its old number was replaced, so it does not come back.
    await importFile(app, staff, fixtures.unreached);
    expect(app.db.prepare("SELECT c.phone FROM customers c JOIN policies p ON p.applicant_id = c.id WHERE p.policy_no = 'P2026110002'").pluck().get()).toBe('13900002222');
  });

  it('reads GB18030 and BOM CSVs, and a workbook saved by LibreOffice', async () => {
    const staff = await staffApp();
    for (const file of [fixtures.keyClientsGb, fixtures.problemCsv, path.join('test/fixtures/import/libreoffice-saved.xlsx')]) {
      const { preview } = await previewImport(app, staff, file);
      expect(preview.valid, file).toBeGreaterThan(0);
    }
  });

  it('refuses files it cannot read with a Chinese message naming the file, and changes nothing', async () => {
    const staff = await staffApp();
    const before = snapshot();
    const cases: [string, RegExp][] = [
      [fixtures.oldXls, /另存为.*\.xlsx/],
      [fixtures.password, /密码|另存为/],
      [fixtures.corrupt, /corrupt\.xlsx/],
      [fixtures.emptySheet, /empty-sheet\.xlsx/],
      [fixtures.noHeader, /no-header\.xlsx/],
      [fixtures.binary, /photo\.png/],
    ];
    for (const [file, message] of cases) {
      const uploadId = await upload(app, staff, file);
      const r = await app.api('import.probe', { uploadId }, staff);
      expect(r.ok, file).toBe(false);
      if (!r.ok) {
        expect(r.error.code, file).toBe('invalid_input');
        expect(r.error.message, file).toMatch(message);
      }
    }
    const big = await app.api('uploads.begin', { fileName: '全年清单.xlsx', size: 200 * 1024 * 1024 }, staff);
    expect(big.ok ? '' : big.error.message).toMatch(/200 MB.*上限/);
    expect(snapshot()).toEqual(before);
  });

  it('requires the policy number and applicant columns, and no column mapped twice', async () => {
    const staff = await staffApp();
    const uploadId = await upload(app, staff, fixtures.unreached);
    const probe = await app.api('import.probe', { uploadId }, staff);
    if (!probe.ok) throw new Error(probe.error.message);
    const { policyNo: _omit, ...withoutPolicy } = probe.value.mapping;
    const r = await app.api('import.preview', { uploadId, mapping: withoutPolicy, defaultKind: 'new_policy' }, staff);
    expect(r.ok ? '' : r.error.message).toContain('保单号');
    const twice = await app.api('import.preview', { uploadId, mapping: { ...probe.value.mapping, agentName: probe.value.mapping.applicantName! }, defaultKind: 'new_policy' }, staff);
    expect(twice.ok ? '' : twice.error.message).toMatch(/同时对应/);
  });

  it('a cancelled preview or a failed write leaves the database as it was', async () => {
    const staff = await staffApp();
    const before = snapshot();
    const uploadId = await upload(app, staff, fixtures.large);
    const probe = await app.api('import.probe', { uploadId }, staff);
    if (!probe.ok) throw new Error(probe.error.message);
    const started = await app.api('import.preview', { uploadId, mapping: probe.value.mapping, defaultKind: 'new_policy' }, staff);
    if (!started.ok) throw new Error(started.error.message);
    await app.api('jobs.cancel', { jobId: started.value.jobId }, staff);
    const cancelled = await waitForJob(app, staff, started.value.jobId);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.error?.message).toContain('未做任何改动');
    expect(snapshot()).toEqual(before);

    // Cancelled while writing (after the first chunks): rolled back; a call made meanwhile waits
    // and never sees half an import.
    {
      const { jobId: previewId } = await previewImport(app, staff, fixtures.large);
      const started = await app.api('import.commit', { previewJobId: previewId }, staff);
      if (!started.ok) throw new Error(started.error.message);
      const commitId = started.value.jobId;
      for (;;) {
        const v = await app.api('jobs.get', { jobId: commitId }, staff);
        if (!v.ok || v.value.done > 0 || v.value.state !== 'running') break;
        await new Promise((r) => setTimeout(r, 1));
      }
      const summaryDuring = app.api('tasks.summary', {}, staff);
      await app.api('jobs.cancel', { jobId: commitId }, staff);
      expect((await waitForJob(app, staff, commitId)).state).toBe('cancelled');
      const seen = await summaryDuring;
      expect(seen.ok && seen.value.total).toBe(before[2]);
      expect(snapshot()).toEqual(before);
    }

    // A failure in the middle of writing (a trigger refusing the 50th new task; AFTER, since a
    // BEFORE trigger does not see the new rowid yet) rolls back every row.
    const { jobId, preview } = await previewImport(app, staff, fixtures.large);
    expect(preview.valid).toBeGreaterThan(100);
    const maxId = app.db.prepare('SELECT max(id) FROM visit_tasks').pluck().get() as number;
    app.db.exec(`CREATE TEMP TRIGGER fail_midway AFTER INSERT ON visit_tasks WHEN NEW.id = ${maxId + 50} BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    await expect(commitImport(app, staff, jobId)).rejects.toThrow(/未做任何改动|出错/);
    expect(snapshot()).toEqual(before);
  });
});

describe('a problem-case list from head office', () => {
  it('writes a list mixing kinds: a problem case between queued rows, and one policy under two kinds', async () => {
    const staff = await staffApp();
    const csv = path.join(fixtureDir.dir, 'mixed.csv');
    // New tasks are written many rows to a statement with ids handed out in advance; a problem
    // case is written at once (it names its task), and a policy already queued must be found by
    // the next row of the same policy rather than inserted twice.
    fs.writeFileSync(
      csv,
      [
        '保单号,投保人,联系电话,件类型,问题描述,工单日期,回执签署日期',
        'P2026120001,周晓梅,13912345678,不成功件,,,2026-11-20',
        'P2026120002,陈立,13912345679,问题件,客户称缴费年限不符,2026-11-24,',
        'P2026120003,王芳,13912345670,方言件,,,2026-11-21',
        'P2026120001,周晓梅,13912345678,问题件,客户要求退保,2026-11-24,',
        'P2026120004,赵敏,13912345671,核实件,,,2026-11-22',
      ].join('\n') + '\n',
    );
    const before = snapshot();
    const { preview, summary } = await importFile(app, staff, csv, 'new_policy');
    expect(preview).toMatchObject({ valid: 5, invalid: 0, create: 5 });
    expect(summary).toMatchObject({ created: 5, updated: 0 });
    const after = snapshot();
    // Four policies and their customers (P2026120001 twice), five tasks, and no 'created' rows in
    // task_events: each task's history reads its creation from the list (created_batch_id).
    expect(after.slice(0, 4).map((n, i) => n - before[i]!)).toEqual([4, 4, 5, 0]);
    const tasks = app.db
      .prepare("SELECT p.policy_no, t.kind, t.deadline_computed_at FROM visit_tasks t JOIN policies p ON p.id = t.policy_id WHERE p.policy_no LIKE 'P202612000%' ORDER BY t.id")
      .all() as { policy_no: string; kind: string; deadline_computed_at: string | null }[];
    expect(tasks.map((t) => `${t.policy_no} ${t.kind}`)).toEqual([
      'P2026120001 new_policy', 'P2026120002 problem_case', 'P2026120003 new_policy', 'P2026120001 problem_case', 'P2026120004 new_policy',
    ]);
    // Every task's deadline was worked out: in the same INSERT, or (problem cases) right after.
    expect(tasks.every((t) => t.deadline_computed_at !== null)).toBe(true);
    expect(app.db.prepare("SELECT count(*) FROM problem_cases WHERE source = 'import' AND description IN ('客户称缴费年限不符', '客户要求退保')").pluck().get()).toBe(2);
    // Found by search like any other task (the index is kept by the same triggers).
    const found = app.db.prepare("SELECT count(*) FROM task_search WHERE task_search MATCH '\"P2026120001\"'").pluck().get();
    expect(found).toBe(2);
    // The same list again changes nothing.
    expect((await importFile(app, staff, csv, 'new_policy')).summary).toMatchObject({ created: 0, updated: 0, unchanged: 5 });
  });

  it('finds a policy created hundreds of rows earlier and not yet written, instead of inserting it twice', async () => {
    const staff = await staffApp();
    const csv = path.join(fixtureDir.dir, 'far-apart.csv');
    // The commit looks up a block of rows' policies at once; the first row's policy is then still
    // queued (written with the next thousand rows), so the lookup cannot see it.
    const rows = ['保单号,投保人,联系电话,件类型,问题描述,工单日期,回执签署日期,保险期限', 'P2026129999,孙丽,13900000000,不成功件,,,2026-11-20,20'];
    for (let i = 0; i < 600; i++) rows.push(`P20261300${String(i).padStart(3, '0')},客户${i},139${String(i).padStart(8, '0')},不成功件,,,2026-11-${10 + (i % 12)},20`);
    rows.push('P2026129999,孙丽,13900000000,问题件,客户要求退保,2026-11-24,,');
    fs.writeFileSync(csv, rows.join('\n') + '\n');
    const { preview, summary } = await importFile(app, staff, csv, 'new_policy');
    expect(preview).toMatchObject({ valid: 602, create: 602 });
    expect(summary).toMatchObject({ created: 602 });
    expect(app.db.prepare("SELECT count(*) FROM policies WHERE policy_no = 'P2026129999'").pluck().get()).toBe(1);
    expect(app.db.prepare("SELECT count(*) FROM visit_tasks t JOIN policies p ON p.id = t.policy_id WHERE p.policy_no = 'P2026129999'").pluck().get()).toBe(2);
    // Tasks with the same facts share one worked-out deadline; different facts get their own.
    const due = app.db
      .prepare(`SELECT DISTINCT p.receipt_signed_date, ${DUE_EXPLANATION_SQL} AS due_explanation FROM visit_tasks t JOIN policies p ON p.id = t.policy_id WHERE p.policy_no LIKE 'P20261300%'`)
      .all() as { receipt_signed_date: string; due_explanation: string }[];
    expect(due).toHaveLength(12);
    expect(due.every((d) => d.due_explanation.includes(d.receipt_signed_date))).toBe(true);
  });

  it('opens a problem case for each new problem task, with its description and the task deadline, once', async () => {
    const staff = await staffApp();
    const csv = path.join(fixtureDir.dir, 'problems.csv');
    fs.writeFileSync(csv, '保单号,投保人,联系电话,问题描述,工单日期\nP2026119001,周晓梅,13912345678,客户称缴费年限与销售时所述不符,2026-11-24\n');
    const first = await importFile(app, staff, csv, 'problem_case');
    expect(first.summary).toMatchObject({ created: 1 });
    const c = app.db
      .prepare("SELECT p.source, p.state, p.description, p.due_on, t.due_on AS task_due FROM problem_cases p JOIN visit_tasks t ON t.id = p.task_id JOIN policies y ON y.id = p.policy_id WHERE y.policy_no = 'P2026119001'")
      .all() as { source: string; state: string; description: string; due_on: string | null; task_due: string | null }[];
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ source: 'import', state: 'open', description: '客户称缴费年限与销售时所述不符' });
    // 3 working days from the work order of Tuesday 2026-11-24.
    expect(c[0]!.due_on).toBe('2026-11-27');
    expect(c[0]!.due_on).toBe(c[0]!.task_due);
    await importFile(app, staff, csv, 'problem_case');
    expect(app.db.prepare("SELECT count(*) FROM problem_cases p JOIN policies y ON y.id = p.policy_id WHERE y.policy_no = 'P2026119001'").pluck().get()).toBe(1);
  });
});
