import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VisitView } from '../../shared/api/contract';
import { categoryLabel } from '../../shared/outcome';
import { visibleQuestions } from '../../shared/questionnaire';
import { ok, startTestApp, type TestApp } from '../support/app';
import { upload } from '../support/import-flow';
import { fakeSignature } from '../support/signature';

const NOW = () => new Date('2026-11-25T09:00:00+08:00');
let app: TestApp;
afterEach(() => app?.cleanup());


async function staffWithTask() {
  app = startTestApp(NOW);
  const admin = await app.setUp();
  await app.api('demo.load', {}, admin);
  const s = ok(await app.api('auth.signIn', { username: 'zhangli', password: 'demo1234' }));
  const staff = s.sessionToken;
  // A participating-product new-policy task, so the dividends question is asked.
  const taskId = app.db
    .prepare("SELECT t.id FROM visit_tasks t JOIN policies p ON p.id = t.policy_id WHERE t.kind = 'new_policy' AND p.product_type = 'participating' LIMIT 1")
    .pluck()
    .get() as number;
  return { staff, taskId };
}

async function answerAll(staff: string, v: VisitView, no: string[] = []): Promise<VisitView> {
  for (const q of visibleQuestions(v.template, (v.productType ?? undefined) as never)) {
    const answer = no.includes(q.id) ? (q.expected === 'yes' ? 'no' : 'yes') : q.expected;
    v = ok(await app.api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer }, staff));
  }
  return v;
}

async function fillSheet(staff: string, v: VisitView): Promise<VisitView> {
  return ok(
    await app.api('visits.saveSheet', { visitId: v.id, sheet: { interviewee: '投保人本人', summary: '逐项宣读并确认保单要素、犹豫期及退保损失', feedback: '对缴费年限有疑问' } }, staff),
  );
}

describe('the in-person visit', () => {
  it('runs one question at a time, signs, finalises as a problem case with 误导-缴费年限, and freezes the record', async () => {
    const { staff, taskId } = await staffWithTask();
    let v = ok(await app.api('visits.start', { taskId }, staff));
    expect(v.template.id).toBe('new_policy');
    expect(v.sheet.customerName).toBeTruthy();
    expect(v.sheet.visitor).toBe('张莉');

    const first = visibleQuestions(v.template, 'participating')[0]!;
    const early = await app.api('visits.answer', { visitId: v.id, questionId: first.id, stage: 'first', answer: 'yes' }, staff);
    expect(early.ok ? '' : early.error.message).toContain('受访人');
    v = ok(await app.api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: '2026-11-25 08:30' }, staff));

    const second = visibleQuestions(v.template, 'participating')[1]!;
    const skip = await app.api('visits.answer', { visitId: v.id, questionId: second.id, stage: 'first', answer: 'yes' }, staff);
    expect(skip.ok ? '' : skip.error.message).toContain('请按顺序回答：第 1 题尚未回答');

    const payYears = v.template.questions.find((q) => q.category === 'misleading_payment_years')!;
    expect(categoryLabel(payYears.category)).toBe('误导-缴费年限');
    v = await answerAll(staff, v, [payYears.id]);
    v = await fillSheet(staff, v);
    expect(v.outcome.status).toBe('problem');
    expect(v.outcome.categories).toEqual(['misleading_payment_years']);

    const dot = await app.api('visits.sign', { visitId: v.id, role: 'customer', signerName: '客户', strokes: [[{ x: 1, y: 1, t: 0 }]], png: fakeSignature('x').png }, staff);
    expect(dot.ok ? '' : dot.error.message).toMatch(/签名过短或只有一个点/);
    v = ok(await app.api('visits.sign', { visitId: v.id, role: 'customer', ...fakeSignature(v.sheet.customerName!) }, staff));
    expect(v.blockers.map((b) => b.path)).toEqual(['signatures.staff']);

    // Changing content after signing invalidates the signature until the customer signs again.
    v = ok(await app.api('visits.saveSheet', { visitId: v.id, sheet: { remarks: '客户要求书面说明' } }, staff));
    expect(v.signatures[0]?.current).toBe(false);
    v = ok(await app.api('visits.sign', { visitId: v.id, role: 'customer', ...fakeSignature(v.sheet.customerName!) }, staff));
    v = ok(await app.api('visits.sign', { visitId: v.id, role: 'staff', ...fakeSignature('张莉') }, staff));
    expect(v.blockers).toEqual([]);

    v = ok(await app.api('visits.finalise', { visitId: v.id }, staff));
    expect(v.state).toBe('finalised');
    expect(v.tampered).toBeNull();
    expect(v.problemCaseId).not.toBeNull();
    const pc = app.db.prepare('SELECT due_on, (SELECT group_concat(category) FROM problem_case_categories WHERE case_id = problem_cases.id) AS cats FROM problem_cases').get() as { due_on: string; cats: string };
    expect(pc).toEqual({ due_on: '2026-11-30', cats: 'misleading_payment_years' });
    const task = ok(await app.api('tasks.get', { id: taskId }, staff));
    expect(task.task.status).toBe('problem');

    const frozen = await app.api('visits.saveSheet', { visitId: v.id, sheet: { remarks: '改一下' } }, staff);
    expect(frozen.ok ? '' : frozen.error.code).toBe('conflict');

    // A correction is a new version pointing at the old one; the old one stays readable.
    const c = ok(await app.api('visits.correct', { visitId: v.id, reason: '受访人职务填写有误' }, staff));
    expect(c).toMatchObject({ version: 2, previousId: v.id, state: 'draft', recordNo: v.recordNo, signatures: [] });
    expect(ok(await app.api('visits.get', { id: v.id }, staff)).state).toBe('finalised');
  });

  it('starts an ad-hoc key-client visit for a client found by name, with the key-client sheet items required', async () => {
    const { staff } = await staffWithTask();
    const sales = ok(await app.api('auth.signIn', { username: 'wangqiang', password: 'demo1234' })).sessionToken;
    const client = app.db.prepare("SELECT name FROM customers WHERE name LIKE '%有限公司' LIMIT 1").pluck().get() as string;
    const found = ok(await app.api('customers.search', { q: client.slice(0, 2) }, sales)).customers;
    expect(found.some((c) => c.name === client)).toBe(true);
    expect(found[0]?.phoneMasked).toMatch(/\*{4}/);
    const v = ok(await app.api('visits.start', { customerId: found.find((c) => c.name === client)!.id }, sales));
    expect(v).toMatchObject({ taskId: null, kind: 'key_client', state: 'draft' });
    expect(v.template.id).toBe('key_client');
    expect(v.blockers.map((b) => b.message)).toEqual(expect.arrayContaining(['请填写保险风控情况', '请填写新的需求与建议']));
    void staff;
  });

  it('reports a record as tampered when one byte of it changes in the database', async () => {
    const { staff, taskId } = await staffWithTask();
    let v = ok(await app.api('visits.start', { taskId }, staff));
    v = ok(await app.api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: '2026-11-25 08:30' }, staff));
    v = await fillSheet(staff, await answerAll(staff, v));
    v = ok(await app.api('visits.sign', { visitId: v.id, role: 'customer', ...fakeSignature('客户') }, staff));
    v = ok(await app.api('visits.sign', { visitId: v.id, role: 'staff', ...fakeSignature('张莉') }, staff));
    v = ok(await app.api('visits.finalise', { visitId: v.id }, staff));
    expect(v.outcome.status).toBe('success');
    expect(ok(await app.api('tasks.get', { id: taskId }, staff)).task.status).toBe('to_countersign');

    app.db.prepare("UPDATE visits SET sheet_summary = replace(sheet_summary, '逐项', '逐頁') WHERE id = ?").run(v.id);
    expect(ok(await app.api('visits.get', { id: v.id }, staff)).tampered).toMatch(/内容哈希不符/);
    app.db.prepare("UPDATE visits SET sheet_summary = replace(sheet_summary, '逐頁', '逐项') WHERE id = ?").run(v.id);
    expect(ok(await app.api('visits.get', { id: v.id }, staff)).tampered).toBeNull();
    app.db.prepare('UPDATE visit_signature_points SET x = x + 1 WHERE rowid = (SELECT min(rowid) FROM visit_signature_points)').run();
    expect(ok(await app.api('visits.get', { id: v.id }, staff)).tampered).toMatch(/签名的图像或笔迹/);
  });

  it('explains in browser mode that PDFs come from the browser\'s print dialog (the desktop prints itself)', async () => {
    const { staff } = await staffWithTask();
    const r = await app.api('print.savePdf', { suggestedName: '客户回访记录表' }, staff);
    expect(r.ok ? '' : r.error.message).toContain('另存为 PDF');
    const bad = await app.api('print.savePdf', { suggestedName: '../etc/passwd' }, staff);
    expect(bad.ok ? '' : bad.error.code).toBe('invalid_input');
  });

  it('validates the family-member path, the visit date, and attachments', async () => {
    const { staff, taskId } = await staffWithTask();
    const v = ok(await app.api('visits.start', { taskId }, staff));
    const noRelation = await app.api('visits.setup', { visitId: v.id, respondent: { kind: 'family_member', reason: 'dialect', authorisation: 'verbal_recorded' } as never, placeKind: 'home', visitedAt: '2026-11-25 08:30' }, staff);
    expect(noRelation.ok ? '' : noRelation.error.code).toBe('invalid_input');
    const future = await app.api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: '2026-12-25 08:30' }, staff);
    expect(future.ok ? '' : future.error.issues?.[0]?.path).toBe('visitedAt');

    const photo = path.join(app.dataDir, 'receipt.txt');
    (await import('node:fs')).writeFileSync(photo, 'not an image at all');
    const bad = await app.api('visits.attach', { visitId: v.id, uploadId: await upload(app, staff, photo), kind: 'photo' }, staff);
    expect(bad.ok ? '' : bad.error.message).toMatch(/不是图片/);
    const png = path.join(app.dataDir, 'receipt.png');
    (await import('node:fs')).writeFileSync(png, Buffer.from(fakeSignature('x').png.split(',')[1]!, 'base64'));
    const good = ok(await app.api('visits.attach', { visitId: v.id, uploadId: await upload(app, staff, png), kind: 'scan' }, staff));
    expect(good.attachments[0]).toMatchObject({ kind: 'scan', mime: 'image/png', fileName: 'receipt.png' });
    expect(good.attachments[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const data = ok(await app.api('visits.attachment', { id: good.attachments[0]!.id }, staff));
    expect(data.mime).toBe('image/png');
  });

  it('keeps every answer when the process is killed mid-visit, and reopening the task resumes the draft', async () => {
    const { staff, taskId } = await staffWithTask();
    let v = ok(await app.api('visits.start', { taskId }, staff));
    v = ok(await app.api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: '2026-11-25 08:30' }, staff));
    const qs = visibleQuestions(v.template, 'participating');
    for (const q of qs.slice(0, 3)) v = ok(await app.api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer: q.expected }, staff));
    v = ok(await app.api('visits.saveSheet', { visitId: v.id, sheet: { summary: '已完成前三题' } }, staff));

    // A second process writes one more answer through its own connection and is killed at once.
    const script = `
      const Database = require('better-sqlite3-multiple-ciphers');
      const db = new Database(process.argv[1]);
      db.pragma("cipher = 'sqlcipher'"); db.pragma('legacy = 4'); db.pragma('key = "x' + "'" + process.argv[2] + "'" + '"');
      db.pragma('journal_mode = WAL'); db.pragma('synchronous = FULL');
      db.prepare("INSERT INTO visit_answers (visit_id, question_id, first_answer, answered_at) VALUES (?, ?, 'yes', 'now')").run(${v.id}, '${qs[3]!.id}');
      process.kill(process.pid, 'SIGKILL');`;
    const child = spawn(process.execPath, ['-e', script, path.join(app.dataDir, 'visitdesk.sqlite'), fs.readFileSync(`${app.dataDir}.key`, 'utf8').trim()], { cwd: process.cwd() });
    await new Promise((r) => child.once('exit', r));
    expect(child.signalCode).toBe('SIGKILL');

    const resumed = ok(await app.api('visits.start', { taskId }, staff));
    expect(resumed.id).toBe(v.id);
    expect(resumed.answers.map((a) => a.questionId)).toEqual(expect.arrayContaining(qs.slice(0, 4).map((q) => q.id)));
    expect(resumed.sheet.summary).toBe('已完成前三题');
  });
});
