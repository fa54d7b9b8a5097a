import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { AttachmentView, SignatureView, VisitSummary, VisitView } from '../../shared/api/contract';
import { AppError, type FieldIssue } from '../../shared/api/envelope';
import type { WorkCalendar } from '../../shared/calendar';
import { recordSheetFinalSchema, signatureProblem, type PlaceKind, type RecordSheet, type SignatureInput } from '../../shared/domain/visit';
import type { TaskKind } from '../../shared/domain/tasks';
import { computeOutcome, type AnswerRecord, type ContactAttempt, type Outcome, type Respondent } from '../../shared/outcome';
import { selectTemplate, visibleQuestions, type ProductType, type QuestionnaireTemplate } from '../../shared/questionnaire';
import { computeDeadline } from '../../shared/rules';
import { toFieldIssues } from '../../shared/api/zod-issues';
import { maskPhone } from '../../shared/domain/masking';
import { customerCondition, type Scope } from '../auth/scope';
import { stmt } from '../db/statements';
import type { createTemplateService } from '../questionnaire/template-service';
import type { Sealer } from '../files/sealed-file';
import type { UploadService } from '../uploads/upload-service';
import { contentHash, recordHash, SHEET_COLUMNS, sheetOf, signatureHash, type AnswerRow, type VisitRowForHash } from './visit-content';
import { sniffAttachment } from './attachment-kind';

type Templates = ReturnType<typeof createTemplateService>;

interface VisitRow extends VisitRowForHash {
  id: number;
  policy_id: number | null;
  state: VisitView['state'];
  outcome: Outcome['status'] | null;
  content_hash: string | null;
  finalised_at: string | null;
}

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

export interface VisitDeps {
  db: Database;
  dataDir: string;
  templates: Templates;
  uploads: UploadService;
  /** Encrypts attachments at rest with a key derived from the database key. */
  sealer: Sealer;
  calendar: () => WorkCalendar;
  now: () => Date;
  today: () => string;
  /** Re-derives a task's status after the visit changed (from the task board's actions). */
  refreshTaskStatus: (taskId: number) => void;
}

const toIso = (local: string) => `${local.replace(' ', 'T')}:00+08:00`;

function respondentOf(r: VisitRow): Respondent | null {
  if (r.respondent_kind === 'in_person') {
    return { kind: 'in_person', ...(r.respondent_name ? { name: r.respondent_name } : {}), ...(r.respondent_position ? { position: r.respondent_position } : {}) };
  }
  if (r.respondent_kind === 'family_member') {
    return {
      kind: 'family_member',
      ...(r.respondent_name ? { name: r.respondent_name } : {}),
      relationship: r.relationship,
      ...(r.relationship_note ? { relationshipNote: r.relationship_note } : {}),
      reason: r.family_reason,
      ...(r.family_reason_note ? { reasonNote: r.family_reason_note } : {}),
      authorisation: r.authorisation,
      ...(r.authorisation_note ? { authorisationNote: r.authorisation_note } : {}),
    } as Respondent;
  }
  return null;
}

/**
 * The in-person visit: every answer and sheet field saved as it is entered (a crash loses at most
 * the keystroke in flight), signatures bound to the content hash, and a finalised record frozen —
 * corrections are new versions. Any later change to the stored record shows up as tampering.
 */
export function createVisitService(deps: VisitDeps) {
  const { db, templates, now } = deps;
  const attachmentsDir = path.join(deps.dataDir, 'attachments');
  fs.mkdirSync(attachmentsDir, { recursive: true });
  const at = () => now().toISOString();
  /** The attachment's plain bytes; null when missing. Altered bytes fail to decrypt and come back empty. */
  const readAttachment = (sha256: string): Buffer | null => {
    const file = path.join(attachmentsDir, sha256);
    if (!fs.existsSync(file)) return null;
    return deps.sealer.open(fs.readFileSync(file)) ?? Buffer.alloc(0);
  };

  const row = (id: number): VisitRow => {
    const r = stmt(db, 'SELECT * FROM visits WHERE id = ?').get(id) as VisitRow | undefined;
    if (!r) throw new AppError('not_found', '找不到该面访记录');
    return r;
  };
  const draft = (id: number): VisitRow => {
    const r = row(id);
    if (r.state !== 'draft') throw new AppError('conflict', '该记录已定稿，不能修改；如需更正请新建更正版本');
    return r;
  };
  const answersOf = (id: number) => stmt(db, 'SELECT question_id, first_answer, after_explanation, note FROM visit_answers WHERE visit_id = ?').all(id) as AnswerRow[];
  const attachmentsOf = (id: number) =>
    stmt(db, 'SELECT id, kind, file_name, mime, size, sha256 FROM visit_attachments WHERE visit_id = ? ORDER BY id').all(id) as {
      id: number; kind: AttachmentView['kind']; file_name: string; mime: string; size: number; sha256: string;
    }[];
  const signaturesOf = (id: number) =>
    stmt(db, 'SELECT id, role, signer_name, signed_at, png, content_hash, signature_hash FROM visit_signatures WHERE visit_id = ? ORDER BY role').all(id) as {
      id: number; role: 'customer' | 'staff'; signer_name: string; signed_at: string; png: Buffer; content_hash: string; signature_hash: string;
    }[];
  const pointsOf = (signatureId: number) =>
    stmt(db, 'SELECT stroke, seq, x, y, t, pressure FROM visit_signature_points WHERE signature_id = ? ORDER BY stroke, seq').all(signatureId) as {
      stroke: number; seq: number; x: number; y: number; t: number; pressure: number | null;
    }[];

  const countersignOf = (visitId: number) =>
    stmt(db, 'SELECT c.id, c.manager_id, u.display_name AS manager, c.signed_at, c.record_hash, c.png, c.countersign_hash FROM visit_countersigns c JOIN users u ON u.id = c.manager_id WHERE c.visit_id = ?').get(visitId) as
      | { id: number; manager_id: number; manager: string; signed_at: string; record_hash: string; png: Buffer; countersign_hash: string }
      | undefined;
  const countersignPoints = (id: number) =>
    stmt(db, 'SELECT stroke, seq, x, y, t, pressure FROM visit_countersign_points WHERE countersign_id = ? ORDER BY stroke, seq').all(id) as {
      stroke: number; seq: number; x: number; y: number; t: number; pressure: number | null;
    }[];

  const currentHash = (r: VisitRow) => contentHash(r, answersOf(r.id), attachmentsOf(r.id).map((a) => a.sha256));
  const templateOf = (r: VisitRow) => templates.get(r.template_id, r.template_version);

  function outcomeOf(r: VisitRow, template: QuestionnaireTemplate): Outcome {
    const answers: Record<string, AnswerRecord> = {};
    for (const a of answersOf(r.id)) {
      if (!a.first_answer) continue;
      answers[a.question_id] = {
        first: a.first_answer as AnswerRecord['first'],
        ...(a.after_explanation ? { afterExplanation: a.after_explanation as AnswerRecord['first'] } : {}),
        ...(a.note ? { note: a.note } : {}),
      };
    }
    const respondent = respondentOf(r);
    // Meeting the customer in person is itself the contact that reached them.
    const attempts: ContactAttempt[] = respondent && r.visited_at ? [{ method: 'home_visit', outcome: 'reached', at: toIso(r.visited_at) }] : [];
    return computeOutcome({
      template,
      ...(r.product_type ? { productType: r.product_type as ProductType } : {}),
      ...(respondent ? { respondent } : {}),
      answers,
      attempts,
    });
  }

  /** Problems that stop finalising, each naming the field or question it concerns. */
  function blockersOf(r: VisitRow, outcome: Outcome, hash: string): FieldIssue[] {
    const issues: FieldIssue[] = [];
    if (!r.respondent_kind) issues.push({ path: 'respondent', message: '请先记录受访人（投保人本人或经授权的家属）' });
    if (!r.visited_at) issues.push({ path: 'visitedAt', message: '请填写访问时间' });
    if (outcome.status === 'incomplete' || outcome.status === 'not_completed') issues.push(...outcome.issues);
    const sheet = recordSheetFinalSchema({ keyClient: r.kind === 'key_client' || r.kind === 'shareholder_client', policyRequired: r.policy_id !== null }).safeParse(sheetOf(r));
    if (!sheet.success) issues.push(...toFieldIssues(sheet.error).map((i) => ({ path: `sheet.${i.path}`, message: i.message })));
    const sigs = signaturesOf(r.id);
    for (const role of ['customer', 'staff'] as const) {
      const s = sigs.find((x) => x.role === role);
      const who = role === 'customer' ? '客户（或授权家属）' : '回访人员';
      if (!s) issues.push({ path: `signatures.${role}`, message: `缺少${who}签名` });
      else if (s.content_hash !== hash) issues.push({ path: `signatures.${role}`, message: `${who}签名后记录内容有改动，请重新签名` });
    }
    return issues;
  }

  /** For a frozen record: does the stored content still match its signatures and hashes? */
  function tamperCheck(r: VisitRow, hash: string): string | null {
    if (r.state === 'draft') return null;
    const sigs = signaturesOf(r.id);
    for (const s of sigs) {
      if (s.content_hash !== hash) return `记录内容与签名时不一致（内容哈希不符），记录可能在定稿后被改动`;
      const recomputed = signatureHash({ role: s.role, signer_name: s.signer_name, signed_at: s.signed_at, png: s.png, content_hash: s.content_hash, points: pointsOf(s.id) });
      if (recomputed !== s.signature_hash) return `${s.role === 'customer' ? '客户' : '回访人员'}签名的图像或笔迹与签署时不一致，记录可能被改动`;
    }
    const expected = recordHash(hash, sigs.map((s) => [s.role, s.signature_hash]));
    if (expected !== r.content_hash) return '记录哈希与定稿时不一致，记录可能被改动';
    const cs = countersignOf(r.id);
    if (cs) {
      if (cs.record_hash !== r.content_hash) return '主管会签所覆盖的记录与当前记录不一致，记录可能在会签后被改动';
      const again = signatureHash({ role: 'manager', signer_name: String(cs.manager_id), signed_at: cs.signed_at, png: cs.png, content_hash: cs.record_hash, points: countersignPoints(cs.id) });
      if (again !== cs.countersign_hash) return '主管会签签名的图像或笔迹与签署时不一致，记录可能被改动';
    }
    for (const a of attachmentsOf(r.id)) {
      const bytes = readAttachment(a.sha256);
      if (!bytes) return `附件「${a.file_name}」缺失`;
      if (createHash('sha256').update(bytes).digest('hex') !== a.sha256) return `附件「${a.file_name}」的内容与附加时不一致，附件可能被改动`;
    }
    return null;
  }

  function view(id: number): VisitView {
    const r = row(id);
    const template = templateOf(r);
    const hash = currentHash(r);
    // A finalised record's answers are frozen, so recomputing gives the outcome it was finalised with.
    const outcome = outcomeOf(r, template);
    const visitor = stmt(db, 'SELECT display_name FROM users WHERE id = ?').pluck().get(r.visitor_id) as string;
    const sigs: SignatureView[] = signaturesOf(id).map((s) => ({
      role: s.role,
      signerName: s.signer_name,
      signedAt: s.signed_at,
      png: `data:image/png;base64,${s.png.toString('base64')}`,
      contentHash: s.content_hash,
      current: s.content_hash === hash,
    }));
    const problem = stmt(db, 'SELECT id FROM problem_cases WHERE visit_id = ?').pluck().get(id) as number | undefined;
    const cs = countersignOf(id);
    // A return comes from the branch manager or, through sync, from head office; the latest
    // counts. This version's own return first, else the one of the version it corrects.
    const returnOf = (visitId: number) =>
      stmt(
        db,
        `SELECT manager, returned_at, reason, by FROM (
           SELECT u.display_name AS manager, r.returned_at, r.reason, 'manager' AS by FROM visit_returns r JOIN users u ON u.id = r.manager_id WHERE r.visit_id = ?
           UNION ALL
           SELECT '总公司', d.decided_at, ifnull(d.reason, ''), 'head_office' FROM hq_decisions d WHERE d.visit_id = ? AND d.decision = 'returned'
         ) ORDER BY returned_at DESC LIMIT 1`,
      ).get(visitId, visitId) as { manager: string; returned_at: string; reason: string; by: 'manager' | 'head_office' } | undefined;
    const ret = returnOf(id) ?? (r.previous_id ? returnOf(r.previous_id) : undefined);
    return {
      id: r.id,
      recordNo: r.record_no,
      version: r.version,
      previousId: r.previous_id,
      correctionReason: r.correction_reason,
      state: r.state,
      taskId: r.task_id,
      customerId: r.customer_id,
      kind: r.kind as TaskKind,
      productType: r.product_type,
      template,
      visitorName: visitor,
      respondent: respondentOf(r),
      placeKind: r.place_kind as PlaceKind | null,
      visitedAt: r.visited_at,
      answers: answersOf(id).map((a) => ({ questionId: a.question_id, first: a.first_answer as VisitView['answers'][number]['first'], afterExplanation: a.after_explanation as VisitView['answers'][number]['first'], note: a.note })),
      // Once finalised the sheet is read, not typed: its phone is masked like everywhere else.
      sheet: r.state === 'draft' || !r.sheet_phone ? sheetOf(r) : { ...sheetOf(r), phone: maskPhone(String(r.sheet_phone)) },
      signatures: sigs,
      attachments: attachmentsOf(id).map((a) => ({ id: a.id, kind: a.kind, fileName: a.file_name, mime: a.mime, size: a.size, sha256: a.sha256 })),
      outcome,
      contentHash: hash,
      finalisedAt: r.finalised_at,
      tampered: tamperCheck(r, hash),
      problemCaseId: problem ?? null,
      countersign: cs ? { managerName: cs.manager, signedAt: cs.signed_at, png: `data:image/png;base64,${cs.png.toString('base64')}` } : null,
      returned: ret ? { managerName: ret.manager, returnedAt: ret.returned_at, reason: ret.reason, by: ret.by } : null,
      blockers: r.state === 'draft' ? blockersOf(r, outcome, hash) : [],
    };
  }

  function summaries(where: string, params: (string | number)[], order: string, page: { offset: number; limit: number }): { visits: VisitSummary[]; total: number } {
    const total = db.prepare(`SELECT count(*) FROM visits v WHERE ${where}`).pluck().get(...params) as number;
    const rows = db
      .prepare(
        `SELECT v.id, v.record_no, v.version, v.state, v.sheet_customer_name, v.sheet_policy_no, v.kind, u.display_name, v.visited_at, v.outcome, v.finalised_at,
           -- A finalised version that was returned and not yet corrected (a correction supersedes it).
           CASE WHEN v.state = 'finalised' THEN coalesce(
             (SELECT r.reason FROM visit_returns r WHERE r.visit_id = v.id ORDER BY r.id DESC LIMIT 1),
             (SELECT ifnull(d.reason, '') FROM hq_decisions d WHERE d.visit_id = v.id AND d.decision = 'returned' ORDER BY d.id DESC LIMIT 1)) END AS return_reason
         FROM visits v JOIN users u ON u.id = v.visitor_id WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`,
      )
      .all(...params, page.limit, page.offset) as Record<string, string | number | null>[];
    return {
      total,
      visits: rows.map((x) => ({
        id: x.id as number, recordNo: x.record_no as string, version: x.version as number, state: x.state as VisitView['state'],
        customerName: (x.sheet_customer_name as string | null) ?? '', policyNo: x.sheet_policy_no as string | null, kind: x.kind as TaskKind,
        visitorName: x.display_name as string, visitedAt: x.visited_at as string | null,
        // A draft has no frozen outcome yet.
        outcome: (x.outcome as Outcome['status'] | null) ?? 'incomplete',
        finalisedAt: x.finalised_at as string | null,
        returnReason: x.return_reason as string | null,
      })),
    };
  }

  function touch(id: number): void {
    stmt(db, 'UPDATE visits SET updated_at = ? WHERE id = ?').run(at(), id);
  }

  function nextRecordNo(): string {
    const branch = (stmt(db, 'SELECT code FROM branch WHERE id = 1').pluck().get() as string | undefined) ?? 'BR';
    const day = deps.today().replaceAll('-', '');
    const prefix = `HF${branch}-${day}-`;
    // A range on the (record_no, version) index: LIKE cannot use it and read every record ever kept.
    const n = (stmt(db, 'SELECT count(DISTINCT record_no) FROM visits WHERE record_no >= ? AND record_no < ?').pluck().get(prefix, `${prefix}~`) as number) + 1;
    return `${prefix}${String(n).padStart(4, '0')}`;
  }

  return {
    view,

    start(input: { taskId?: number | undefined; customerId?: number | undefined; templateId?: string | undefined }, userId: number): VisitView {
      if (input.taskId !== undefined) {
        const existing = stmt(db, "SELECT id FROM visits WHERE task_id = ? AND state = 'draft'").pluck().get(input.taskId) as number | undefined;
        if (existing !== undefined) return view(existing); // reopening the task resumes its draft
      }
      const facts = input.taskId !== undefined
        ? (stmt(db, `SELECT t.id AS task_id, t.kind, t.customer_id, t.policy_id, p.product_type, p.policy_no, c.name, c.phone, c.address
             FROM visit_tasks t JOIN customers c ON c.id = t.customer_id LEFT JOIN policies p ON p.id = t.policy_id WHERE t.id = ?`).get(input.taskId) as Record<string, string | number | null> | undefined)
        : (stmt(db, `SELECT NULL AS task_id, 'key_client' AS kind, c.id AS customer_id, NULL AS policy_id, NULL AS product_type, NULL AS policy_no, c.name, c.phone, c.address
             FROM customers c WHERE c.id = ?`).get(input.customerId) as Record<string, string | number | null> | undefined);
      if (!facts) throw new AppError('not_found', input.taskId !== undefined ? '找不到该任务' : '找不到该客户');
      const kind = facts.kind as TaskKind;
      const productType = (facts.product_type as ProductType | null) ?? undefined;
      const templateId = input.templateId ?? selectTemplate(kind, productType, templates.all());
      if (!templateId) throw new AppError('invalid_input', '该回访类型没有可用的问卷，请管理员导入问卷模板', [{ path: 'templateId', message: '请选择问卷' }]);
      const template = templates.get(templateId);
      const visitor = stmt(db, 'SELECT display_name FROM users WHERE id = ?').pluck().get(userId) as string;
      const t = at();
      // The draft and its task's status commit together: a crash between the two left the task
      // showing its old status (待分配) with a visit under way, and resuming never refreshes it.
      const id = db.transaction(() => {
        const inserted = Number(
          db
            .prepare(
              `INSERT INTO visits (record_no, task_id, customer_id, policy_id, kind, product_type, template_id, template_version, visitor_id,
                 sheet_customer_name, sheet_policy_no, sheet_visitor, sheet_phone, sheet_place, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(nextRecordNo(), facts.task_id, facts.customer_id, facts.policy_id, kind, productType ?? null, template.id, template.version, userId,
              facts.name, facts.policy_no, visitor, facts.phone, facts.address, t, t).lastInsertRowid,
        );
        if (facts.task_id !== null) deps.refreshTaskStatus(Number(facts.task_id));
        return inserted;
      })();
      return view(id);
    },

    setup(visitId: number, respondent: Respondent, placeKind: PlaceKind, visitedAt: string): VisitView {
      const r = draft(visitId);
      if (Date.parse(toIso(visitedAt)) > now().getTime() + 10 * 60_000) {
        throw new AppError('invalid_input', '访问时间不能晚于现在', [{ path: 'visitedAt', message: '访问时间不能晚于现在' }]);
      }
      const issued = r.policy_id ? (stmt(db, 'SELECT issue_date FROM policies WHERE id = ?').pluck().get(r.policy_id) as string | null) : null;
      if (issued && visitedAt.slice(0, 10) < issued) {
        throw new AppError('invalid_input', `访问时间不能早于保单出单日期（${issued}）`, [{ path: 'visitedAt', message: `不能早于出单日期 ${issued}` }]);
      }
      const fam = respondent.kind === 'family_member' ? respondent : null;
      stmt(
        db,
        `UPDATE visits SET respondent_kind = ?, respondent_name = ?, respondent_position = ?, relationship = ?, relationship_note = ?, family_reason = ?,
           family_reason_note = ?, authorisation = ?, authorisation_note = ?, place_kind = ?, visited_at = ?, updated_at = ? WHERE id = ?`,
      ).run(
        respondent.kind, respondent.name ?? null, respondent.kind === 'in_person' ? (respondent.position ?? null) : null,
        fam?.relationship ?? null, fam?.relationshipNote ?? null, fam?.reason ?? null, fam?.reasonNote ?? null, fam?.authorisation ?? null, fam?.authorisationNote ?? null,
        placeKind, visitedAt, at(), visitId,
      );
      return view(visitId);
    },

    answer(input: { visitId: number; questionId: string; stage: 'first' | 'after_explanation'; answer: 'yes' | 'no' | 'unclear'; note?: string | undefined }): VisitView {
      const r = draft(input.visitId);
      const template = templateOf(r);
      const visible = visibleQuestions(template, (r.product_type as ProductType | null) ?? undefined);
      const index = visible.findIndex((q) => q.id === input.questionId);
      if (index < 0) throw new AppError('invalid_input', '该问题不在本问卷中', [{ path: 'questionId', message: '问题不存在' }]);
      if (!r.respondent_kind) throw new AppError('conflict', '请先记录受访人和访问地点，再开始问卷');
      const answers = new Map(answersOf(r.id).map((a) => [a.question_id, a]));
      // One question at a time, each answered before the next (重庆…办法 第八条).
      const firstOpen = visible.findIndex((q) => !answers.get(q.id)?.first_answer);
      if (firstOpen >= 0 && firstOpen < index) {
        throw new AppError('conflict', `请按顺序回答：第 ${firstOpen + 1} 题尚未回答`, [{ path: `answers.${visible[firstOpen]!.id}`, message: '尚未回答' }]);
      }
      const existing = answers.get(input.questionId);
      if (input.stage === 'after_explanation' && !existing?.first_answer) {
        throw new AppError('conflict', '请先记录客户的第一次回答，再记录解释后的回答');
      }
      if (input.stage === 'first') {
        // A changed first answer clears the re-asked one: it answered the old first answer.
        stmt(
          db,
          `INSERT INTO visit_answers (visit_id, question_id, first_answer, note, answered_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (visit_id, question_id) DO UPDATE SET first_answer = excluded.first_answer, after_explanation = NULL, note = coalesce(excluded.note, note), answered_at = excluded.answered_at`,
        ).run(input.visitId, input.questionId, input.answer, input.note ?? null, at());
      } else {
        stmt(db, 'UPDATE visit_answers SET after_explanation = ?, note = coalesce(?, note), answered_at = ? WHERE visit_id = ? AND question_id = ?').run(
          input.answer, input.note ?? null, at(), input.visitId, input.questionId,
        );
      }
      touch(input.visitId);
      return view(input.visitId);
    },

    saveSheet(visitId: number, sheet: RecordSheet): VisitView {
      draft(visitId);
      const sets: string[] = [];
      const values: (string | null)[] = [];
      for (const [name, col] of SHEET_COLUMNS) {
        if (sheet[name] === undefined) continue;
        sets.push(`${col} = ?`);
        values.push(sheet[name] ?? null);
      }
      if (sets.length) db.prepare(`UPDATE visits SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`).run(...values, at(), visitId);
      return view(visitId);
    },

    sign(visitId: number, role: 'customer' | 'staff', sig: SignatureInput): VisitView {
      const r = draft(visitId);
      const problem = signatureProblem(sig.strokes);
      if (problem) throw new AppError('invalid_input', problem, [{ path: `signatures.${role}`, message: problem }]);
      const v = view(visitId);
      const pending = v.blockers.filter((b) => !b.path.startsWith('signatures.'));
      if (pending.length) {
        throw new AppError('conflict', `签名前请先完成记录：${pending.slice(0, 3).map((b) => b.message).join('；')}`, pending);
      }
      const png = Buffer.from(sig.png.slice(sig.png.indexOf(',') + 1), 'base64');
      const points = sig.strokes.flatMap((s, stroke) => s.map((p, seq) => ({ stroke, seq, x: p.x, y: p.y, t: p.t, pressure: p.pressure ?? null })));
      const signedAt = at();
      const hash = currentHash(r);
      db.transaction(() => {
        db.prepare('DELETE FROM visit_signature_points WHERE signature_id IN (SELECT id FROM visit_signatures WHERE visit_id = ? AND role = ?)').run(visitId, role);
        db.prepare('DELETE FROM visit_signatures WHERE visit_id = ? AND role = ?').run(visitId, role);
        const sid = db
          .prepare('INSERT INTO visit_signatures (visit_id, role, signer_name, signed_at, png, content_hash, signature_hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(visitId, role, sig.signerName, signedAt, png, hash, signatureHash({ role, signer_name: sig.signerName, signed_at: signedAt, png, content_hash: hash, points })).lastInsertRowid;
        const insert = db.prepare('INSERT INTO visit_signature_points (signature_id, stroke, seq, x, y, t, pressure) VALUES (?, ?, ?, ?, ?, ?, ?)');
        for (const p of points) insert.run(sid, p.stroke, p.seq, p.x, p.y, p.t, p.pressure);
        touch(visitId);
      })();
      return view(visitId);
    },

    clearSignature(visitId: number, role: 'customer' | 'staff'): VisitView {
      draft(visitId);
      db.transaction(() => {
        db.prepare('DELETE FROM visit_signature_points WHERE signature_id IN (SELECT id FROM visit_signatures WHERE visit_id = ? AND role = ?)').run(visitId, role);
        db.prepare('DELETE FROM visit_signatures WHERE visit_id = ? AND role = ?').run(visitId, role);
      })();
      return view(visitId);
    },

    finalise(visitId: number): VisitView {
      const r = draft(visitId);
      const v = view(visitId);
      if (v.blockers.length) {
        throw new AppError('invalid_input', `还不能定稿：${v.blockers.slice(0, 3).map((b) => b.message).join('；')}${v.blockers.length > 3 ? ' 等' : ''}`, v.blockers);
      }
      const sigs = signaturesOf(visitId);
      const final = recordHash(v.contentHash, sigs.map((s) => [s.role, s.signature_hash]));
      db.transaction(() => {
        db.prepare("UPDATE visits SET state = 'finalised', outcome = ?, content_hash = ?, finalised_at = ?, updated_at = ? WHERE id = ?").run(v.outcome.status, final, at(), at(), visitId);
        const insertCategory = db.prepare('INSERT INTO visit_outcome_categories (visit_id, category) VALUES (?, ?)');
        for (const c of v.outcome.categories) insertCategory.run(visitId, c);
        if (r.previous_id !== null) db.prepare("UPDATE visits SET state = 'superseded' WHERE id = ?").run(r.previous_id);
        if (v.outcome.status === 'problem') {
          // A problem case is opened with its categories and its 3-working-day deadline.
          const d = computeDeadline({ kind: 'problem_case', workOrderDate: deps.today() }, deps.calendar());
          const caseId = db
            .prepare("INSERT INTO problem_cases (source, visit_id, task_id, customer_id, policy_id, opened_at, due_on, due_explanation) VALUES ('visit', ?, ?, ?, ?, ?, ?, ?)")
            .run(visitId, r.task_id, r.customer_id, r.policy_id, at(), d.ok ? d.value.due : null, d.ok ? d.value.explanation : null).lastInsertRowid;
          const insert = db.prepare('INSERT INTO problem_case_categories (case_id, category) VALUES (?, ?)');
          for (const c of v.outcome.categories) insert.run(caseId, c);
        }
        if (r.task_id !== null) deps.refreshTaskStatus(r.task_id);
      })();
      return view(visitId);
    },

    correct(visitId: number, reason: string, userId: number): VisitView {
      const r = row(visitId);
      if (r.state !== 'finalised') throw new AppError('conflict', r.state === 'draft' ? '草稿可直接修改，无需更正' : '该版本已被更正，请在最新版本上更正');
      const open = stmt(db, "SELECT id FROM visits WHERE previous_id = ? AND state = 'draft'").pluck().get(visitId) as number | undefined;
      if (open !== undefined) return view(open);
      const t = at();
      const copy = ['customer_id', 'policy_id', 'kind', 'product_type', 'template_id', 'template_version', 'place_kind', 'visited_at', 'respondent_kind',
        'respondent_name', 'respondent_position', 'relationship', 'relationship_note', 'family_reason', 'family_reason_note', 'authorisation',
        'authorisation_note', ...SHEET_COLUMNS.map(([, c]) => c)];
      const id = db.transaction(() => {
        // The correction holds the task's one draft; the frozen original stays as it is.
        const newId = Number(
          db
            .prepare(`INSERT INTO visits (record_no, version, previous_id, correction_reason, task_id, visitor_id, ${copy.join(', ')}, created_at, updated_at)
               SELECT record_no, version + 1, id, ?, task_id, ?, ${copy.join(', ')}, ?, ? FROM visits WHERE id = ?`)
            .run(reason, userId, t, t, visitId).lastInsertRowid,
        );
        db.prepare('INSERT INTO visit_answers (visit_id, question_id, first_answer, after_explanation, note, answered_at) SELECT ?, question_id, first_answer, after_explanation, note, answered_at FROM visit_answers WHERE visit_id = ?').run(newId, visitId);
        db.prepare('INSERT INTO visit_attachments (visit_id, kind, file_name, mime, size, sha256, created_at) SELECT ?, kind, file_name, mime, size, sha256, created_at FROM visit_attachments WHERE visit_id = ?').run(newId, visitId);
        return newId;
      })();
      return view(id);
    },

    /** Finalised records not yet countersigned nor returned, oldest first (the manager's queue). */
    countersignQueue(q: { offset: number; limit: number }): { visits: VisitSummary[]; total: number } {
      return summaries(
          `v.state = 'finalised' AND NOT EXISTS (SELECT 1 FROM visit_countersigns c WHERE c.visit_id = v.id)
           AND NOT EXISTS (SELECT 1 FROM visit_returns r WHERE r.visit_id = v.id)`,
        [],
        'v.finalised_at, v.id',
        q,
      );
    },

    /**
     * Countersigns finalised records with the manager's handwritten signature. Four-eyes: nobody
     * countersigns a visit they made. All or none: one refused record refuses the batch.
     */
    countersign(visitIds: readonly number[], managerId: number, sig: SignatureInput): number {
      const problem = signatureProblem(sig.strokes);
      if (problem) throw new AppError('invalid_input', problem, [{ path: 'strokes', message: problem }]);
      const png = Buffer.from(sig.png.slice(sig.png.indexOf(',') + 1), 'base64');
      const points = sig.strokes.flatMap((st, stroke) => st.map((p, seq) => ({ stroke, seq, x: p.x, y: p.y, t: p.t, pressure: p.pressure ?? null })));
      return db.transaction(() => {
        for (const id of visitIds) {
          const r = row(id);
          if (r.state !== 'finalised') throw new AppError('conflict', `记录 ${r.record_no}（第 ${r.version} 版）尚未定稿或已被更正，不能会签`);
          if (r.visitor_id === managerId) throw new AppError('forbidden', `记录 ${r.record_no} 是您本人回访的，须由其他主管会签`);
          if (countersignOf(id)) throw new AppError('conflict', `记录 ${r.record_no} 已会签`);
          if (stmt(db, 'SELECT 1 FROM visit_returns WHERE visit_id = ?').get(id)) throw new AppError('conflict', `记录 ${r.record_no} 已退回，待回访人员更正后再会签`);
          const tampered = tamperCheck(r, currentHash(r));
          if (tampered) throw new AppError('conflict', `记录 ${r.record_no} 校验不通过：${tampered}`);
          const signedAt = at();
          const cid = db
            .prepare('INSERT INTO visit_countersigns (visit_id, manager_id, signed_at, record_hash, png, countersign_hash) VALUES (?, ?, ?, ?, ?, ?)')
            .run(id, managerId, signedAt, r.content_hash, png,
              signatureHash({ role: 'manager', signer_name: String(managerId), signed_at: signedAt, png, content_hash: r.content_hash ?? '', points })).lastInsertRowid;
          const insert = stmt(db, 'INSERT INTO visit_countersign_points (countersign_id, stroke, seq, x, y, t, pressure) VALUES (?, ?, ?, ?, ?, ?, ?)');
          for (const p of points) insert.run(cid, p.stroke, p.seq, p.x, p.y, p.t, p.pressure);
          if (r.task_id !== null) deps.refreshTaskStatus(r.task_id);
        }
        return visitIds.length;
      })();
    },

    /** Sends a finalised record back to its visitor with a reason; they correct it as a new version. */
    returnVisit(visitId: number, managerId: number, reason: string): VisitView {
      const r = row(visitId);
      if (r.state !== 'finalised') throw new AppError('conflict', '只能退回已定稿的记录');
      if (countersignOf(visitId)) throw new AppError('conflict', '该记录已会签，不能退回');
      if (r.visitor_id === managerId) throw new AppError('forbidden', '不能退回本人回访的记录，须由其他主管审阅');
      db.transaction(() => {
        db.prepare('INSERT INTO visit_returns (visit_id, manager_id, returned_at, reason) VALUES (?, ?, ?, ?)').run(visitId, managerId, at(), reason);
        if (r.task_id !== null) deps.refreshTaskStatus(r.task_id);
      })();
      return view(visitId);
    },

    attach(visitId: number, uploadId: string, kind: AttachmentView['kind'], userId: number): VisitView {
      draft(visitId);
      const up = deps.uploads.get(uploadId, userId);
      if (up.size > MAX_ATTACHMENT_BYTES) {
        throw new AppError('invalid_input', `附件「${up.fileName}」有 ${(up.size / 1048576).toFixed(1)} MB，超过单个附件上限 ${MAX_ATTACHMENT_BYTES / 1048576} MB`, [{ path: 'file', message: '附件过大' }]);
      }
      const plain = fs.readFileSync(up.file);
      const mime = sniffAttachment(plain.subarray(0, 64));
      const allowed = kind === 'audio' ? mime?.startsWith('audio/') : kind === 'scan' ? mime?.startsWith('image/') || mime === 'application/pdf' : mime?.startsWith('image/');
      if (!mime || !allowed) {
        const what = kind === 'audio' ? '音频（mp3、m4a、wav、ogg）' : kind === 'scan' ? '图片或 PDF 扫描件' : '图片（jpg、png）';
        throw new AppError('invalid_input', `附件「${up.fileName}」不是${what}文件`, [{ path: 'file', message: `请选择${what}` }]);
      }
      const target = path.join(attachmentsDir, up.sha256);
      const wrote = !fs.existsSync(target);
      if (wrote) deps.sealer.writeFile(target, plain);
      try {
        db.transaction(() => {
          stmt(db, 'INSERT INTO visit_attachments (visit_id, kind, file_name, mime, size, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(visitId, kind, up.fileName, mime, up.size, up.sha256, at());
          touch(visitId);
        })();
      } catch (err) {
        // The file is written before its row; when the row cannot be (a full disk), the file goes
        // too, so no attachment lies on disk that no record knows of. One another record already
        // shares (same bytes) is left alone.
        if (wrote) fs.rmSync(target, { force: true });
        throw err;
      }
      deps.uploads.discard(uploadId);
      return view(visitId);
    },

    attachment(id: number): { mime: string; dataBase64: string } {
      const a = stmt(db, 'SELECT mime, sha256 FROM visit_attachments WHERE id = ?').get(id) as { mime: string; sha256: string } | undefined;
      if (!a) throw new AppError('not_found', '找不到该附件');
      const bytes = readAttachment(a.sha256);
      if (!bytes) throw new AppError('not_found', '附件文件缺失');
      if (createHash('sha256').update(bytes).digest('hex') !== a.sha256) throw new AppError('tampered', '附件文件已损坏或被改动，无法显示');
      return { mime: a.mime, dataBase64: bytes.toString('base64') };
    },

    /**
     * Re-checks every finalised (or superseded) record against its hashes: content, both
     * signatures, the countersign and each attachment's bytes. Yields each record that fails.
     */
    *verifyAll(chained: ReadonlyMap<number, string>): Generator<{ visitId: number; recordNo: string; version: number; message: string }, number> {
      let checked = 0;
      for (const id of db.prepare("SELECT id FROM visits WHERE state != 'draft' ORDER BY id").pluck().all() as number[]) {
        const r = row(id);
        checked++;
        const hash = currentHash(r);
        // The chain keeps the hash each record was finalised with: rewriting a record and all of
        // its own hashes consistently still differs from what the log recorded.
        const logged = chained.get(r.id);
        const problem = !r.content_hash
          ? '定稿记录缺少内容哈希'
          : logged === undefined
            ? '审计日志中没有该记录的定稿条目'
            : logged !== hash
              ? '记录内容与审计日志中定稿时的哈希不一致，记录可能被改动'
              : tamperCheck(r, hash);
        if (problem) yield { visitId: r.id, recordNo: r.record_no, version: r.version, message: problem };
      }
      return checked;
    },

    list(
      q: { taskId?: number | undefined; state?: VisitView['state'] | undefined; offset: number; limit: number },
      scope: Scope,
    ): { visits: VisitSummary[]; total: number } {
      const where: string[] = ['1 = 1'];
      const params: (string | number)[] = [];
      const own = customerCondition(scope, 'oc');
      if (own) {
        // A sales rep: their own visits, and visits to their own clients.
        where.push(`(v.visitor_id = ? OR EXISTS (SELECT 1 FROM customers oc WHERE oc.id = v.customer_id AND ${own.sql}))`);
        params.push(scope.userId, ...own.params);
      }
      if (q.taskId !== undefined) {
        where.push('v.task_id = ?');
        params.push(q.taskId);
      }
      if (q.state) {
        where.push('v.state = ?');
        params.push(q.state);
      }
      return summaries(where.join(' AND '), params, 'v.updated_at DESC, v.id DESC', q);
    },
  };
}
export type VisitService = ReturnType<typeof createVisitService>;
