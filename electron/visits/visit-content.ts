import { createHash } from 'node:crypto';
import { KEY_CLIENT_FIELDS, RECORD_SHEET_FIELDS, type RecordSheet, type SheetFieldName } from '../../shared/domain/visit';

/** Record-sheet field → column, in the paper form's order (the order is part of the hash). */
export const SHEET_COLUMNS: [SheetFieldName, string][] = [...RECORD_SHEET_FIELDS, ...KEY_CLIENT_FIELDS].map((f) => [
  f.name,
  `sheet_${f.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
]);

export interface VisitRowForHash {
  record_no: string;
  version: number;
  previous_id: number | null;
  correction_reason: string | null;
  task_id: number | null;
  customer_id: number;
  kind: string;
  product_type: string | null;
  template_id: string;
  template_version: number;
  visitor_id: number;
  place_kind: string | null;
  visited_at: string | null;
  respondent_kind: string | null;
  respondent_name: string | null;
  respondent_position: string | null;
  relationship: string | null;
  relationship_note: string | null;
  family_reason: string | null;
  family_reason_note: string | null;
  authorisation: string | null;
  authorisation_note: string | null;
  [column: string]: string | number | null;
}

export interface AnswerRow {
  question_id: string;
  first_answer: string | null;
  after_explanation: string | null;
  note: string | null;
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

export function sheetOf(row: VisitRowForHash): RecordSheet {
  const sheet: RecordSheet = {};
  for (const [name, col] of SHEET_COLUMNS) {
    const v = row[col];
    if (typeof v === 'string') sheet[name] = v;
  }
  return sheet;
}

/**
 * The canonical content hash of a record: everything a signature vouches for (answers, record
 * sheet, template version, who visited whom, where and when, attachments), built as arrays in a
 * fixed order so the same content always gives the same hash.
 */
export function contentHash(row: VisitRowForHash, answers: readonly AnswerRow[], attachmentHashes: readonly string[]): string {
  const canonical = [
    'visitdesk-record-v1',
    [row.record_no, row.version, row.previous_id, row.correction_reason],
    [row.task_id, row.customer_id, row.kind, row.product_type, row.template_id, row.template_version],
    [row.visitor_id, row.place_kind, row.visited_at],
    [row.respondent_kind, row.respondent_name, row.respondent_position, row.relationship, row.relationship_note, row.family_reason, row.family_reason_note, row.authorisation, row.authorisation_note],
    [...answers].sort((a, b) => a.question_id.localeCompare(b.question_id)).map((a) => [a.question_id, a.first_answer, a.after_explanation, a.note]),
    SHEET_COLUMNS.map(([, col]) => row[col] ?? null),
    [...attachmentHashes].sort(),
  ];
  return sha256(JSON.stringify(canonical));
}

export interface SignatureRowForHash {
  role: string;
  signer_name: string;
  signed_at: string;
  png: Buffer;
  content_hash: string;
  points: { stroke: number; seq: number; x: number; y: number; t: number; pressure: number | null }[];
}

/** Binds the image and the strokes with their timing: changing either breaks it. */
export function signatureHash(s: Omit<SignatureRowForHash, 'signed_at'> & { signed_at: string }): string {
  return sha256(JSON.stringify([s.role, s.signer_name, s.signed_at, s.content_hash, sha256(s.png), s.points.map((p) => [p.stroke, p.seq, p.x, p.y, p.t, p.pressure])]));
}

/** The finalised record's hash: its content and every signature over it. */
export function recordHash(content: string, signatureHashes: readonly [role: string, hash: string][]): string {
  return sha256(JSON.stringify([content, [...signatureHashes].sort((a, b) => a[0].localeCompare(b[0]))]));
}
