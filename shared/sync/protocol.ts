import { z } from 'zod';
import { CHANNELS, PRODUCT_TYPES, TASK_KINDS, TASK_SOURCES } from '../domain/tasks';

/**
 * The branch ↔ head-office sync protocol, version 1 (docs/sync-protocol.md explains it in prose).
 * HTTP + JSON over TLS in production; the reference server (`npm run hq`) speaks it on loopback.
 * Both ends validate every body with these schemas: the client never trusts a 200 whose body is
 * not one of these shapes (a captive portal's HTML page answers 200 too).
 */
export const PROTOCOL = 'visitdesk-sync/1';
export const API_PREFIX = '/v1';

/** Attachments travel in chunks of at most this many bytes, so an interrupted upload resumes. */
export const MAX_CHUNK_BYTES = 1024 * 1024;
/** At most this many records per batch (and the whole body at most MAX_BATCH_BYTES). */
export const MAX_BATCH_RECORDS = 50;
export const MAX_BATCH_BYTES = 8 * 1024 * 1024;
export const MAX_CHANGES_PER_PAGE = 500;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, '应为 64 位十六进制 SHA-256');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const isoInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, '时间格式应为 ISO 8601');
const text = (max: number) => z.string().max(max);

/** Error body of every non-2xx answer. */
export const errorBody = z.object({
  protocol: z.literal(PROTOCOL),
  ok: z.literal(false),
  code: z.enum(['invalid_input', 'unauthorised', 'forbidden', 'not_found', 'conflict', 'too_large', 'hash_mismatch', 'unavailable', 'internal']),
  message: z.string(),
});
export type ErrorBody = z.infer<typeof errorBody>;

// ── Enrolment: POST /v1/enrol (no token) ──────────────────────────────────────────────────────
export const enrolRequest = z.object({
  branchCode: z.string().trim().min(1).max(20),
  /** One-time code head office hands the branch administrator. */
  enrolmentCode: z.string().trim().min(6).max(64),
  deviceName: z.string().trim().min(1).max(60),
  /** Stable id of this installation's database, so the server can tell devices apart. */
  installId: z.string().uuid(),
});
export const enrolResponse = z.object({
  protocol: z.literal(PROTOCOL),
  ok: z.literal(true),
  deviceId: z.string().min(1).max(64),
  /** Bearer token for every later call: `Authorization: Bearer <deviceToken>`. */
  deviceToken: z.string().min(32).max(256),
  branchCode: z.string(),
  branchName: z.string(),
});

// ── Attachments: GET/PUT /v1/blobs/:sha256 ───────────────────────────────────────────────────
/**
 * GET answers how much of a blob the server holds (0 when unknown). PUT
 * `/v1/blobs/:sha256?offset=N&total=T` with an application/octet-stream chunk appends it when N
 * equals what the server holds (else 409 with the status body, so the client resumes from there);
 * when the last byte arrives the server checks the SHA-256 and discards the blob on a mismatch
 * (422 hash_mismatch).
 */
export const blobStatus = z.object({
  protocol: z.literal(PROTOCOL),
  ok: z.literal(true),
  sha256: sha256Hex,
  received: z.number().int().min(0),
  total: z.number().int().min(0).nullable(),
  complete: z.boolean(),
});
export type BlobStatus = z.infer<typeof blobStatus>;

// ── Records: POST /v1/records/batch ─────────────────────────────────────────────────────────
export const syncSignature = z.object({
  role: z.enum(['customer', 'staff', 'manager']),
  signerName: text(30),
  signedAt: isoInstant,
  /** The PNG as drawn, base64 (no data: prefix); sha256 is of the decoded bytes. */
  pngBase64: z.string().max(2_000_000),
  sha256: sha256Hex,
});

export const syncAttachment = z.object({
  kind: z.enum(['photo', 'scan', 'audio']),
  fileName: text(200),
  mime: text(100),
  size: z.number().int().positive(),
  /** Must have been uploaded completely through /v1/blobs before the record is sent. */
  sha256: sha256Hex,
});

export const syncAnswer = z.object({
  questionId: text(60),
  firstAnswer: text(20).nullable(),
  afterExplanation: text(20).nullable(),
  note: text(500).nullable(),
});

export const syncRecord = z.object({
  /** Idempotency key: `<installId>/<recordNo>/<version>`; the same key always means the same content. */
  key: z.string().min(10).max(140),
  recordNo: text(40),
  version: z.number().int().positive(),
  /** The key of the version this one corrects (null for a first version). */
  previousKey: z.string().max(140).nullable(),
  correctionReason: text(500).nullable(),
  /** Head office's task id when the task came from head office; null for branch-created visits. */
  hqTaskId: z.string().max(64).nullable(),
  kind: z.enum(TASK_KINDS),
  policyNo: text(40).nullable(),
  customerName: text(60),
  templateId: text(60),
  templateVersion: z.number().int().positive(),
  visitorName: text(30),
  visitedAt: z.string().max(40).nullable(),
  outcome: text(40),
  /** Problem categories found (codes from the rule engine). */
  categories: z.array(text(60)).max(50),
  /**
   * The branch's stored record hash (its content and the signatures bound to it). Opaque to head
   * office: compared only to tell a duplicate resend from a conflicting one.
   */
  contentHash: sha256Hex,
  finalisedAt: isoInstant,
  sheet: z.record(z.string(), text(2000)),
  answers: z.array(syncAnswer).max(200),
  signatures: z.array(syncSignature).min(2).max(3),
  attachments: z.array(syncAttachment).max(50),
});
export type SyncRecord = z.infer<typeof syncRecord>;

export const recordsBatchRequest = z.object({ records: z.array(syncRecord).min(1).max(MAX_BATCH_RECORDS) });

/**
 * One answer per record, in the request's order. `duplicate` means the server already holds this
 * key with this content (the client treats it as delivered); `conflict` means the key is known
 * with different content (HTTP semantics of 409; never delivered, shown to the user);
 * `rejected` carries a reason code and a Chinese message the user can act on.
 */
export const recordResult = z.object({
  key: z.string(),
  status: z.enum(['accepted', 'duplicate', 'conflict', 'rejected']),
  code: z.string().max(60).optional(),
  message: z.string().max(500).optional(),
});
export type RecordResult = z.infer<typeof recordResult>;
export const recordsBatchResponse = z.object({ protocol: z.literal(PROTOCOL), ok: z.literal(true), results: z.array(recordResult) });

// ── Changes: GET /v1/changes?cursor=C&limit=N ───────────────────────────────────────────────
/** A task handed down to the branch (same meaning as a row of an imported list). */
export const syncTask = z.object({
  hqTaskId: z.string().min(1).max(64),
  kind: z.enum(TASK_KINDS),
  source: z.enum(TASK_SOURCES).nullable(),
  cycle: z.string().max(20),
  policyNo: text(40).nullable(),
  productName: text(100).nullable(),
  productType: z.enum(PRODUCT_TYPES).nullable(),
  channel: z.enum(CHANNELS).nullable(),
  issueDate: isoDate.nullable(),
  receiptSignedDate: isoDate.nullable(),
  agentCode: text(30).nullable(),
  agentName: text(30).nullable(),
  customerName: text(60),
  phone: text(20).nullable(),
  idNumber: text(18).nullable(),
  address: text(200).nullable(),
  note: text(500).nullable(),
});
export type SyncTask = z.infer<typeof syncTask>;

export const syncDecision = z.object({
  recordKey: z.string().max(140),
  decision: z.enum(['accepted', 'returned', 'problem_opened']),
  reason: text(500).nullable(),
  categories: z.array(text(60)).max(50),
  decidedAt: isoInstant,
});
export type SyncDecision = z.infer<typeof syncDecision>;

export const syncChange = z.discriminatedUnion('type', [
  z.object({ seq: z.number().int().positive(), type: z.literal('task'), task: syncTask }),
  z.object({ seq: z.number().int().positive(), type: z.literal('decision'), decision: syncDecision }),
]);
export type SyncChange = z.infer<typeof syncChange>;

/**
 * Changes after `cursor` (an opaque string; "0" or absent for the start), oldest first. The
 * client applies a page and stores `cursor` in the same transaction, so a page is applied once
 * even when the answer is lost and the page fetched again.
 */
export const changesResponse = z.object({
  protocol: z.literal(PROTOCOL),
  ok: z.literal(true),
  changes: z.array(syncChange).max(MAX_CHANGES_PER_PAGE),
  cursor: z.string().max(64),
  more: z.boolean(),
});
export type ChangesResponse = z.infer<typeof changesResponse>;
