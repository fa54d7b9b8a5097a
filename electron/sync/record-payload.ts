import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { TaskKind } from '../../shared/domain/tasks';
import type { SyncRecord } from '../../shared/sync/protocol';
import { stmt } from '../db/statements';
import { SHEET_COLUMNS } from '../visits/visit-content';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Row {
  id: number;
  record_no: string;
  version: number;
  previous_id: number | null;
  correction_reason: string | null;
  kind: TaskKind;
  template_id: string;
  template_version: number;
  visited_at: string | null;
  outcome: string | null;
  content_hash: string;
  finalised_at: string;
  hq_task_id: string | null;
  policy_no: string | null;
  customer_name: string;
  visitor_name: string;
  [sheetColumn: string]: string | number | null;
}

/**
 * The record exactly as finalised, built from the stored rows (not from a view: views mask the
 * phone). The content hash is sent as stored; head office treats it as opaque and compares it
 * only to tell a duplicate from a conflicting resend.
 */
export function buildSyncRecord(db: Database, visitId: number, key: string, installId: string): SyncRecord {
  const r = stmt(
    db,
    `SELECT v.*, t.hq_task_id, p.policy_no, c.name AS customer_name, u.display_name AS visitor_name
       FROM visits v JOIN customers c ON c.id = v.customer_id JOIN users u ON u.id = v.visitor_id
       LEFT JOIN visit_tasks t ON t.id = v.task_id LEFT JOIN policies p ON p.id = v.policy_id WHERE v.id = ?`,
  ).get(visitId) as Row | undefined;
  if (!r) throw new Error(`visit ${visitId} is gone`);
  const previous = r.previous_id
    ? (stmt(db, 'SELECT record_no, version FROM visits WHERE id = ?').get(r.previous_id) as { record_no: string; version: number })
    : null;
  const sheet: Record<string, string> = {};
  for (const [name, col] of SHEET_COLUMNS) {
    const v = r[col];
    if (typeof v === 'string' && v !== '') sheet[name] = v;
  }
  const signatures: SyncRecord['signatures'] = (
    stmt(db, 'SELECT role, signer_name, signed_at, png FROM visit_signatures WHERE visit_id = ? ORDER BY role').all(visitId) as {
      role: 'customer' | 'staff';
      signer_name: string;
      signed_at: string;
      png: Buffer;
    }[]
  ).map((s) => ({ role: s.role, signerName: s.signer_name, signedAt: s.signed_at, pngBase64: s.png.toString('base64'), sha256: sha256(s.png) }));
  const cs = stmt(db, 'SELECT c.signed_at, c.png, u.display_name FROM visit_countersigns c JOIN users u ON u.id = c.manager_id WHERE c.visit_id = ?').get(visitId) as
    | { signed_at: string; png: Buffer; display_name: string }
    | undefined;
  if (cs) signatures.push({ role: 'manager', signerName: cs.display_name, signedAt: cs.signed_at, pngBase64: cs.png.toString('base64'), sha256: sha256(cs.png) });
  return {
    key,
    recordNo: r.record_no,
    version: r.version,
    previousKey: previous ? `${installId}/${previous.record_no}/${previous.version}` : null,
    correctionReason: r.correction_reason,
    hqTaskId: r.hq_task_id,
    kind: r.kind,
    policyNo: r.policy_no,
    customerName: r.customer_name,
    templateId: r.template_id,
    templateVersion: r.template_version,
    visitorName: r.visitor_name,
    visitedAt: r.visited_at,
    outcome: r.outcome ?? 'success',
    categories: stmt(db, 'SELECT category FROM visit_outcome_categories WHERE visit_id = ? ORDER BY category').pluck().all(visitId) as string[],
    contentHash: r.content_hash,
    finalisedAt: r.finalised_at,
    sheet,
    answers: (
      stmt(db, 'SELECT question_id, first_answer, after_explanation, note FROM visit_answers WHERE visit_id = ? ORDER BY question_id').all(visitId) as {
        question_id: string;
        first_answer: string | null;
        after_explanation: string | null;
        note: string | null;
      }[]
    ).map((a) => ({ questionId: a.question_id, firstAnswer: a.first_answer, afterExplanation: a.after_explanation, note: a.note })),
    signatures,
    attachments: (
      stmt(db, 'SELECT kind, file_name, mime, size, sha256 FROM visit_attachments WHERE visit_id = ? ORDER BY id').all(visitId) as {
        kind: 'photo' | 'scan' | 'audio';
        file_name: string;
        mime: string;
        size: number;
        sha256: string;
      }[]
    ).map((a) => ({ kind: a.kind, fileName: a.file_name, mime: a.mime, size: a.size, sha256: a.sha256 })),
  };
}
