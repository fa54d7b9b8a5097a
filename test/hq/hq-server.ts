import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import {
  API_PREFIX,
  MAX_BATCH_BYTES,
  MAX_BATCH_RECORDS,
  MAX_CHANGES_PER_PAGE,
  MAX_CHUNK_BYTES,
  PROTOCOL,
  enrolRequest,
  syncDecision,
  syncRecord,
  syncTask,
  type BlobStatus,
  type ErrorBody,
  type RecordResult,
  type SyncDecision,
  type SyncRecord,
  type SyncTask,
} from '../../shared/sync/protocol';
import { HqDb, type DeviceRow, type ReceivedRecord, type StoredChange } from './hq-db';
import { describeIssues } from './zod-chinese';

/**
 * The reference head-office server for sync protocol v1 (shared/sync/protocol.ts;
 * docs/sync-protocol.md). Plain node:http so every byte on the wire is ours to reason about, and
 * loopback only: it exists for tests and demos, never for real branch data.
 */

export interface HqServerOptions {
  dataDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback only; the type says so and the server checks it. */
  host?: '127.0.0.1';
  seed?: {
    branches?: { code: string; name: string }[];
    enrolmentCodes?: { branchCode: string; code: string }[];
  };
  /** Fixed admin token (demos); random per start otherwise. */
  adminToken?: string;
  /** Clock for decidedAt/receivedAt, so tests can pin time. */
  now?: () => Date;
  /** One line per request and on unexpected errors (the CLI prints them; tests stay quiet). */
  log?: (line: string) => void;
}

export type DecisionInput =
  | { decision: 'accepted'; reason?: string | null; categories?: string[]; decidedAt?: string }
  | { decision: 'returned'; reason: string; categories?: string[]; decidedAt?: string }
  | { decision: 'problem_opened'; reason: string; categories: string[]; decidedAt?: string };

export type RejectRule = { key: string } | { policyNo: string } | ((record: SyncRecord) => boolean);

export interface HqAdmin {
  readonly token: string;
  createBranch(code: string, name: string): void;
  /** Returns the code to hand the branch (a random 8-character one unless given). */
  createEnrolmentCode(branchCode: string, code?: string): string;
  /** Hands tasks down: one change each, in order. Returns their seqs. */
  addTasks(branchCode: string, tasks: SyncTask[]): number[];
  /** Head office's answer on a received record; appends a decision change to its branch's feed. */
  decide(recordKey: string, input: DecisionInput): SyncDecision & { seq: number };
  records(filter?: { branchCode?: string; key?: string }): ReceivedRecord[];
  /** Rows stored under this key: exactly-once means this is 1 however often the record was sent. */
  countRows(key: string): number;
  readBlob(sha256: string): Buffer | null;
  blobStatus(sha256: string): BlobStatus;
  devices(branchCode?: string): DeviceRow[];
  revokeDevice(deviceId: string): boolean;
  lastSeq(branchCode: string): number;
  /** Every /v1 request answers 503 (Retry-After) until `ms` from now. */
  unavailableFor(ms: number, retryAfterSeconds?: number): void;
  available(): void;
  /** The next batch that carries this key rejects it (once) with this code and message. */
  rejectNext(key: string, code: string, message: string): void;
  /** Rejects every matching record until the returned function is called. */
  rejectWhere(rule: RejectRule, code: string, message: string): () => void;
  clearRejections(): void;
  /** Requests seen per "METHOD /route", e.g. "POST /v1/records/batch". */
  requestCounts(): Record<string, number>;
}

export interface HqServer {
  url: string;
  port: number;
  admin: HqAdmin;
  close(): Promise<void>;
}

/** A generous cap: the protocol sets none, and an unbounded total would let one PUT claim the disk. */
export const MAX_BLOB_BYTES = 512 * 1024 * 1024;
const MAX_ENROL_BYTES = 16 * 1024;
const MAX_ADMIN_BYTES = MAX_BATCH_BYTES;
const DEFAULT_CHANGES_LIMIT = 200;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ENROLMENT_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes / 1024} KB`);

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Staff type codes from a slip of paper: spaces, dashes and case must not matter. */
export const normaliseEnrolmentCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();

function randomEnrolmentCode(): string {
  const bytes = randomBytes(8);
  const chars = Array.from(bytes, (b) => ENROLMENT_ALPHABET[b % ENROLMENT_ALPHABET.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorBody['code'],
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const STATUS_OF: Record<ErrorBody['code'], number> = {
  invalid_input: 400,
  unauthorised: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  hash_mismatch: 422,
  unavailable: 503,
  internal: 500,
};
const fail = (code: ErrorBody['code'], message: string, status = STATUS_OF[code], headers: Record<string, string> = {}) =>
  new HttpError(status, code, message, headers);

function sendJson(res: http.ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify({ protocol: PROTOCOL, ...body });
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

function sendError(res: http.ServerResponse, err: HttpError): void {
  const body: ErrorBody = { protocol: PROTOCOL, ok: false, code: err.code, message: err.message };
  // After refusing a body we have not read, the connection is not worth keeping: the client may
  // still be sending. Node drains what arrives so the client reads this answer before the close.
  const close: Record<string, string> = err.status === 413 ? { Connection: 'close' } : {};
  sendJson(res, err.status, body, { ...close, ...err.headers });
}

/**
 * Reads at most `limit` bytes. A declared Content-Length over the limit is refused before a byte
 * is read; a chunked body is refused as soon as it crosses the limit, and what it already sent
 * is dropped rather than kept.
 */
function readBody(req: http.IncomingMessage, limit: number, tooLargeMessage: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(fail('too_large', tooLargeMessage));
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        chunks = [];
        settle(() => reject(fail('too_large', tooLargeMessage)));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle(() => resolve(Buffer.concat(chunks, size))));
    req.on('error', (err) => settle(() => reject(err)));
    req.on('close', () => settle(() => reject(new Error('request closed before its body ended'))));
  });
}

function requireContentType(req: http.IncomingMessage, type: string): void {
  const got = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (got !== type) throw fail('invalid_input', `请求格式不正确：Content-Type 应为 ${type}`, 415);
}

async function readJson<T extends z.ZodType>(req: http.IncomingMessage, schema: T, limit: number): Promise<z.output<T>> {
  requireContentType(req, 'application/json');
  const raw = await readBody(req, limit, `请求内容过大（上限 ${sizeText(limit)}）`);
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw fail('invalid_input', '请求内容不是有效的 JSON');
  }
  const parsed = schema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw fail('invalid_input', describeIssues(parsed.error, '请求内容不符合同步协议：'));
  return parsed.data;
}

function intParam(value: string | null, name: string): number | null {
  if (value === null || value === '') return null;
  if (!/^\d{1,15}$/.test(value)) throw fail('invalid_input', `参数 ${name} 应为非负整数`);
  return Number(value);
}

const batchEnvelope = z.object({ records: z.array(z.unknown()).min(1).max(MAX_BATCH_RECORDS) });

const ROLE_NAMES: Record<string, string> = { customer: '客户', staff: '回访人员', manager: '主管' };

interface Rejection {
  match: (record: SyncRecord) => boolean;
  code: string;
  message: string;
  once: boolean;
}

export async function startHqServer(options: HqServerOptions): Promise<HqServer> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error('总公司参考服务器只监听 127.0.0.1');
  const now = options.now ?? (() => new Date());
  const iso = () => now().toISOString();
  const log = options.log ?? (() => {});
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');

  const dataDir = path.resolve(options.dataDir);
  const blobDir = path.join(dataDir, 'blobs');
  fs.mkdirSync(blobDir, { recursive: true });
  const db = new HqDb(path.join(dataDir, 'hq.sqlite'));

  let unavailableUntil = 0;
  let retryAfterSeconds = 1;
  let rejections: Rejection[] = [];
  const counts: Record<string, number> = {};

  // ── Blobs ───────────────────────────────────────────────────────────────────────────────

  const blobFile = (sha: string) => path.join(blobDir, sha);
  const partFile = (sha: string) => path.join(blobDir, `${sha}.part`);
  const fileSize = (file: string) => {
    try {
      return fs.statSync(file).size;
    } catch {
      return 0;
    }
  };

  /**
   * What the server holds of a blob. The part file's size is the truth for `received`: a crash
   * between appending and any bookkeeping then still resumes at the right byte. A final file
   * whose completion was not yet recorded is completed here.
   */
  function blobState(sha: string): BlobStatus {
    const row = db.blob(sha);
    if (!row) return { protocol: PROTOCOL, ok: true, sha256: sha, received: 0, total: null, complete: false };
    if (!row.complete && fs.existsSync(blobFile(sha))) db.completeBlob(sha, iso());
    const complete = row.complete || fs.existsSync(blobFile(sha));
    return { protocol: PROTOCOL, ok: true, sha256: sha, received: complete ? row.total : fileSize(partFile(sha)), total: row.total, complete };
  }

  function discardPartial(sha: string): void {
    fs.rmSync(partFile(sha), { force: true });
    db.forgetBlob(sha);
  }

  function hashFile(file: string): string {
    const hash = createHash('sha256');
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(1024 * 1024);
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        hash.update(buf.subarray(0, n));
      }
    } finally {
      fs.closeSync(fd);
    }
    return hash.digest('hex');
  }

  /**
   * Everything after the chunk is in memory runs synchronously, so two deliveries of the same
   * chunk cannot interleave: the second sees the first's bytes and gets the 409 that makes a
   * client resume from the server's count.
   */
  function applyChunk(sha: string, offset: number, total: number, chunk: Buffer, device: DeviceRow): { status: number; body: BlobStatus } {
    let state = blobState(sha);
    if (state.complete) return { status: state.total === total ? 200 : 409, body: state };
    if (state.total !== null && state.total !== total) {
      // A fresh start with another total replaces a stale partial; mid-way it is a client mistake.
      if (offset !== 0) return { status: 409, body: state };
      discardPartial(sha);
      state = blobState(sha);
    }
    if (state.total === null) {
      // A part file without a row is debris from a crash before the row was written.
      fs.rmSync(partFile(sha), { force: true });
      if (offset !== 0) return { status: 409, body: state };
      db.startBlob(sha, total, device.id, iso());
    }
    const received = fileSize(partFile(sha));
    if (offset !== received) return { status: 409, body: blobState(sha) };

    const fd = fs.openSync(partFile(sha), 'a');
    try {
      fs.writeSync(fd, chunk);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (received + chunk.length < total) return { status: 200, body: blobState(sha) };

    if (hashFile(partFile(sha)) !== sha) {
      discardPartial(sha);
      throw fail('hash_mismatch', '附件内容与其 SHA-256 校验值不一致，服务器已丢弃已收到的部分，请从头重新上传');
    }
    fs.renameSync(partFile(sha), blobFile(sha));
    db.completeBlob(sha, iso());
    return { status: 200, body: blobState(sha) };
  }

  async function putBlob(req: http.IncomingMessage, sha: string, query: URLSearchParams, device: DeviceRow): Promise<{ status: number; body: BlobStatus }> {
    const offset = intParam(query.get('offset'), 'offset');
    const total = intParam(query.get('total'), 'total');
    if (offset === null || total === null) throw fail('invalid_input', '上传附件需要参数 offset 和 total');
    if (total < 1) throw fail('invalid_input', '附件总长度 total 应大于 0');
    if (total > MAX_BLOB_BYTES) throw fail('too_large', `附件过大（上限 ${sizeText(MAX_BLOB_BYTES)}）`);
    requireContentType(req, 'application/octet-stream');
    const chunk = await readBody(req, MAX_CHUNK_BYTES, `附件分块过大（每块上限 ${sizeText(MAX_CHUNK_BYTES)}）`);
    if (chunk.length === 0) throw fail('invalid_input', '附件分块为空');
    if (offset + chunk.length > total) throw fail('invalid_input', '附件分块超出了声明的总长度 total');
    return applyChunk(sha, offset, total, chunk, device);
  }

  // ── Records ─────────────────────────────────────────────────────────────────────────────

  function rejectionFor(record: SyncRecord): Rejection | null {
    const hit = rejections.find((r) => r.match(record));
    if (!hit) return null;
    if (hit.once) rejections = rejections.filter((r) => r !== hit);
    return hit;
  }

  function processRecord(raw: unknown, index: number, device: DeviceRow): RecordResult {
    const rawKey = raw && typeof raw === 'object' && typeof (raw as { key?: unknown }).key === 'string' ? (raw as { key: string }).key.slice(0, 140) : '';
    const parsed = syncRecord.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      return { key: rawKey, status: 'rejected', code: 'invalid_input', message: describeIssues(parsed.error, `第 ${index + 1} 条记录不符合同步协议：`, 2).slice(0, 500) };
    }
    const record = parsed.data;
    const rejected = (code: string, message: string): RecordResult => ({ key: record.key, status: 'rejected', code: code.slice(0, 60), message: message.slice(0, 500) });

    // Before anything that reveals what head office holds: a device speaks only for its own keys.
    const expectedKey = `${device.installId}/${record.recordNo}/${record.version}`;
    if (record.key !== expectedKey) {
      return rejected('key_mismatch', `记录标识 ${record.key} 与本机登记信息不符（应为 ${expectedKey}），请联系技术支持`);
    }
    // Then idempotency: a record head office already holds is answered from what it holds,
    // whatever else has changed since (a blob pruned, a rejection rule added).
    const known = db.recordIdentity(record.key);
    if (known) return sameOrConflict(record, known.contentHash);
    if (record.previousKey !== null) {
      const previous = db.recordIdentity(record.previousKey);
      if (!previous || previous.branchCode !== device.branchCode) {
        return rejected('previous_missing', `更正前的版本（${record.previousKey}）总公司尚未收到，请先上传原记录`);
      }
      if (previous.recordNo !== record.recordNo || previous.version >= record.version) {
        return rejected('previous_invalid', `更正前的版本（${record.previousKey}）不是记录 ${record.recordNo} 的较早版本`);
      }
    }
    const pngs: Buffer[] = [];
    for (const [i, s] of record.signatures.entries()) {
      const who = `第 ${i + 1} 个签名（${ROLE_NAMES[s.role] ?? s.role}：${s.signerName}）`;
      if (!BASE64.test(s.pngBase64)) return rejected('signature_invalid', `${who}的图片不是有效的 base64 内容`);
      const png = Buffer.from(s.pngBase64, 'base64');
      if (sha256(png) !== s.sha256) return rejected('signature_mismatch', `${who}的图片与其 SHA-256 校验值不一致，签名可能已损坏`);
      if (png.length < PNG_MAGIC.length || !png.subarray(0, PNG_MAGIC.length).equals(PNG_MAGIC)) return rejected('signature_invalid', `${who}的图片不是 PNG 格式`);
      pngs.push(png);
    }
    for (const a of record.attachments) {
      const blob = blobState(a.sha256);
      if (!blob.complete || blob.total !== a.size) {
        return rejected('attachment_missing', `附件「${a.fileName}」尚未完整上传到总公司（或大小不符），请先上传附件再提交记录`);
      }
    }
    const rule = rejectionFor(record);
    if (rule) return rejected(rule.code, rule.message);

    const stored = db.insertRecord(record, pngs, { branchCode: device.branchCode, deviceId: device.id }, iso());
    if (!stored.inserted) return sameOrConflict(record, stored.contentHash);
    return { key: record.key, status: 'accepted' };
  }

  function sameOrConflict(record: SyncRecord, storedHash: string): RecordResult {
    if (storedHash === record.contentHash) return { key: record.key, status: 'duplicate' };
    return {
      key: record.key,
      status: 'conflict',
      code: 'content_differs',
      message: `总公司已收到记录 ${record.recordNo} 第 ${record.version} 版，但内容与本次提交不同。已定稿的记录不能改动，如需更正请新建更正版本`,
    };
  }

  // ── Changes ─────────────────────────────────────────────────────────────────────────────

  function changesPage(device: DeviceRow, query: URLSearchParams) {
    const cursorText = query.get('cursor');
    const after = cursorText === null || cursorText === '' ? 0 : /^\d{1,15}$/.test(cursorText) ? Number(cursorText) : null;
    if (after === null) throw fail('invalid_input', '同步游标 cursor 格式不正确');
    const limitParam = intParam(query.get('limit'), 'limit');
    if (limitParam === 0) throw fail('invalid_input', '参数 limit 应至少为 1');
    const limit = Math.min(limitParam ?? DEFAULT_CHANGES_LIMIT, MAX_CHANGES_PER_PAGE);
    const last = db.lastSeq(device.branchCode);
    // A cursor from the future means head office lost data or the branch talks to another
    // server; answering "nothing new" would silently skip everything up to that cursor.
    if (after > last) throw fail('conflict', `同步游标 ${after} 超出了总公司的变更记录（最新为 ${last}）：总公司数据可能已重置，请联系总公司`);
    const page = db.changesAfter(device.branchCode, after, limit);
    const lastChange: StoredChange | undefined = page.changes[page.changes.length - 1];
    return { ok: true, changes: page.changes, cursor: String(lastChange ? lastChange.seq : after), more: page.more };
  }

  // ── Admin ───────────────────────────────────────────────────────────────────────────────

  const admin: HqAdmin = {
    token: adminToken,
    createBranch: (code, name) => db.createBranch(code, name, iso()),
    createEnrolmentCode(branchCode, code) {
      if (!db.branch(branchCode)) throw new Error(`未知的支公司代码：${branchCode}`);
      const plain = code ?? randomEnrolmentCode();
      const normal = normaliseEnrolmentCode(plain);
      if (normal.length < 6) throw new Error('登记码至少 6 个字符');
      db.addEnrolmentCode(sha256(normal), branchCode, iso());
      return plain;
    },
    addTasks(branchCode, tasks) {
      const valid = tasks.map((t) => syncTask.parse(t));
      return db.addTasks(branchCode, valid, iso());
    },
    decide(recordKey, input) {
      const decision = syncDecision.parse({
        recordKey,
        decision: input.decision,
        reason: input.reason ?? null,
        categories: input.categories ?? [],
        decidedAt: input.decidedAt ?? iso(),
      });
      if (decision.decision !== 'accepted' && !decision.reason?.trim()) throw new Error('退回或开立问题件必须写明原因');
      if (decision.decision === 'problem_opened' && decision.categories.length === 0) throw new Error('开立问题件必须选择问题类别');
      const seq = db.addDecision(recordKey, decision, iso());
      return { ...decision, seq };
    },
    records: (filter) => db.records(filter),
    countRows: (key) => db.countRecordRows(key),
    readBlob(sha) {
      if (!SHA256_HEX.test(sha) || !blobState(sha).complete) return null;
      return fs.readFileSync(blobFile(sha));
    },
    blobStatus: (sha) => blobState(sha),
    devices: (branchCode) => db.devices(branchCode),
    revokeDevice: (deviceId) => db.revokeDevice(deviceId, iso()),
    lastSeq: (branchCode) => db.lastSeq(branchCode),
    unavailableFor(ms, retryAfter = 1) {
      unavailableUntil = Date.now() + ms;
      retryAfterSeconds = retryAfter;
    },
    available() {
      unavailableUntil = 0;
    },
    rejectNext(key, code, message) {
      rejections.push({ match: (r) => r.key === key, code, message, once: true });
    },
    rejectWhere(rule, code, message) {
      const match = typeof rule === 'function' ? rule : 'key' in rule ? (r: SyncRecord) => r.key === rule.key : (r: SyncRecord) => r.policyNo === rule.policyNo;
      const entry: Rejection = { match, code, message, once: false };
      rejections.push(entry);
      return () => {
        rejections = rejections.filter((r) => r !== entry);
      };
    },
    clearRejections() {
      rejections = [];
    },
    requestCounts: () => ({ ...counts }),
  };

  for (const b of options.seed?.branches ?? []) admin.createBranch(b.code, b.name);
  for (const e of options.seed?.enrolmentCodes ?? []) admin.createEnrolmentCode(e.branchCode, e.code);

  const adminSchemas = {
    branch: z.object({ code: z.string().trim().min(1).max(20), name: z.string().trim().min(1).max(60) }),
    enrolmentCode: z.object({ branchCode: z.string().min(1), code: z.string().min(6).max(64).optional() }),
    tasks: z.object({ branchCode: z.string().min(1), tasks: z.array(syncTask).min(1).max(10_000) }),
    decision: z.object({
      recordKey: z.string().min(1).max(140),
      decision: z.enum(['accepted', 'returned', 'problem_opened']),
      reason: z.string().max(500).nullable().optional(),
      categories: z.array(z.string().max(60)).max(50).optional(),
    }),
    unavailable: z.object({ seconds: z.number().positive().max(86_400), retryAfter: z.number().int().min(0).max(3600).optional() }),
    rejection: z.object({
      key: z.string().optional(),
      policyNo: z.string().optional(),
      code: z.string().min(1).max(60),
      message: z.string().min(1).max(500),
      once: z.boolean().optional(),
    }),
  };

  /** Admin mistakes (unknown branch, bad decision) are the caller's: 400, not 500. */
  function adminCall<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof HttpError) throw err;
      if (err instanceof z.ZodError) throw fail('invalid_input', describeIssues(err, '内容不正确：'));
      throw fail('invalid_input', (err as Error).message);
    }
  }

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, route: string, query: URLSearchParams): Promise<void> {
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !sameSecret(auth.slice(7), adminToken)) {
      throw fail('unauthorised', '需要总公司管理令牌（启动时打印在控制台）', 401, { 'WWW-Authenticate': 'Bearer' });
    }
    const method = req.method ?? 'GET';
    const body = <T extends z.ZodType>(schema: T) => readJson(req, schema, MAX_ADMIN_BYTES);
    const ok = (extra: object = {}) => sendJson(res, 200, { ok: true, ...extra });

    if (route === '/admin/branches' && method === 'POST') {
      const b = await body(adminSchemas.branch);
      adminCall(() => admin.createBranch(b.code, b.name));
      return ok({ branch: db.branch(b.code) });
    }
    if (route === '/admin/enrolment-codes' && method === 'POST') {
      const b = await body(adminSchemas.enrolmentCode);
      return ok({ branchCode: b.branchCode, code: adminCall(() => admin.createEnrolmentCode(b.branchCode, b.code)) });
    }
    if (route === '/admin/tasks' && method === 'POST') {
      const b = await body(adminSchemas.tasks);
      return ok({ seqs: adminCall(() => admin.addTasks(b.branchCode, b.tasks)) });
    }
    if (route === '/admin/decisions' && method === 'POST') {
      const b = await body(adminSchemas.decision);
      // Shape rules (a reason for returns, categories for problems) are admin.decide's to enforce.
      const input = { decision: b.decision, reason: b.reason ?? null, categories: b.categories ?? [] } as DecisionInput;
      if (!db.recordIdentity(b.recordKey)) throw fail('not_found', `总公司没有收到记录 ${b.recordKey}`);
      return ok({ decision: adminCall(() => admin.decide(b.recordKey, input)) });
    }
    if (route === '/admin/records' && method === 'GET') {
      const filter = { branchCode: query.get('branch') ?? undefined, key: query.get('key') ?? undefined };
      // PNG bytes stay out of the listing; their hashes identify them.
      const records = admin.records(filter).map((r) => ({ ...r, signatures: r.signatures.map(({ png, ...s }) => ({ ...s, pngBytes: png.length })) }));
      return ok({ records });
    }
    if (route === '/admin/records/count' && method === 'GET') {
      const key = query.get('key');
      if (!key) throw fail('invalid_input', '需要参数 key');
      return ok({ key, rows: admin.countRows(key) });
    }
    if (route === '/admin/devices' && method === 'GET') return ok({ devices: admin.devices(query.get('branch') ?? undefined) });
    const revoke = /^\/admin\/devices\/([^/]+)\/revoke$/.exec(route);
    if (revoke && method === 'POST') {
      if (!admin.revokeDevice(revoke[1] ?? '')) throw fail('not_found', '没有这台设备，或已停用');
      return ok();
    }
    const blob = /^\/admin\/blobs\/([^/]+)$/.exec(route);
    if (blob && method === 'GET') {
      const bytes = admin.readBlob(blob[1] ?? '');
      if (!bytes) throw fail('not_found', '服务器没有这个附件的完整内容');
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length), 'Cache-Control': 'no-store' });
      res.end(bytes);
      return;
    }
    if (route === '/admin/unavailable' && method === 'POST') {
      const b = await body(adminSchemas.unavailable);
      admin.unavailableFor(b.seconds * 1000, b.retryAfter);
      return ok();
    }
    if (route === '/admin/unavailable' && method === 'DELETE') {
      admin.available();
      return ok();
    }
    if (route === '/admin/rejections' && method === 'POST') {
      const b = await body(adminSchemas.rejection);
      if ((b.key === undefined) === (b.policyNo === undefined)) throw fail('invalid_input', '请指定 key 或 policyNo 其中之一');
      if (b.once && b.key !== undefined) admin.rejectNext(b.key, b.code, b.message);
      else admin.rejectWhere(b.key !== undefined ? { key: b.key } : { policyNo: b.policyNo ?? '' }, b.code, b.message);
      return ok();
    }
    if (route === '/admin/rejections' && method === 'DELETE') {
      admin.clearRejections();
      return ok();
    }
    throw fail('not_found', `没有这个管理接口：${method} ${route}`);
  }

  // ── /v1 ─────────────────────────────────────────────────────────────────────────────────

  function authenticate(req: http.IncomingMessage): DeviceRow {
    const header = req.headers.authorization;
    const challenge = { 'WWW-Authenticate': 'Bearer realm="visitdesk-sync"' };
    const match = header ? /^Bearer ([^\s]+)$/.exec(header) : null;
    if (!match?.[1]) throw fail('unauthorised', '缺少设备令牌：本机尚未登记到总公司，请先在“同步设置”中登记', 401, challenge);
    const device = db.deviceByTokenHash(sha256(match[1]));
    if (!device) throw fail('unauthorised', '设备令牌无效或已被总公司停用，请重新登记本机', 401, challenge);
    return device;
  }

  function methodNotAllowed(allow: string): HttpError {
    return fail('invalid_input', `此接口不支持该请求方法（允许：${allow}）`, 405, { Allow: allow });
  }

  async function handleV1(req: http.IncomingMessage, res: http.ServerResponse, route: string, query: URLSearchParams): Promise<void> {
    if (Date.now() < unavailableUntil) {
      throw fail('unavailable', '总公司服务器正在维护，请稍后自动重试', 503, { 'Retry-After': String(retryAfterSeconds) });
    }
    const method = req.method ?? 'GET';

    if (route === `${API_PREFIX}/enrol`) {
      if (method !== 'POST') throw methodNotAllowed('POST');
      const body = await readJson(req, enrolRequest, MAX_ENROL_BYTES);
      const token = randomBytes(32).toString('base64url');
      const outcome = db.enrol({
        codeHash: sha256(normaliseEnrolmentCode(body.enrolmentCode)),
        branchCode: body.branchCode,
        installId: body.installId,
        deviceName: body.deviceName,
        newDeviceId: randomUUID(),
        tokenHash: sha256(token),
        now: iso(),
      });
      if (!outcome.ok) {
        const messages = {
          unknown_code: '登记码无效：请核对支公司代码和登记码，或向总公司申请新的登记码',
          used_code: '该登记码已经使用过，每个登记码只能登记一次。请向总公司申请新的登记码',
          install_elsewhere: '本机已登记在其他支公司，不能再登记到此支公司。请联系总公司',
        };
        throw fail('forbidden', messages[outcome.reason]);
      }
      return sendJson(res, 200, { ok: true, deviceId: outcome.device.id, deviceToken: token, branchCode: outcome.device.branchCode, branchName: outcome.branchName });
    }

    const blob = new RegExp(`^${API_PREFIX}/blobs/([^/]*)$`).exec(route);
    const known = blob !== null || route === `${API_PREFIX}/records/batch` || route === `${API_PREFIX}/changes`;
    if (!known) throw fail('not_found', `没有这个接口：${route}`);
    const device = authenticate(req);

    if (blob) {
      const sha = blob[1] ?? '';
      if (!SHA256_HEX.test(sha)) throw fail('invalid_input', '附件标识应为 64 位小写十六进制 SHA-256');
      if (method === 'GET') return sendJson(res, 200, blobState(sha));
      if (method !== 'PUT') throw methodNotAllowed('GET, PUT');
      const { status, body } = await putBlob(req, sha, query, device);
      return sendJson(res, status, body);
    }
    if (route === `${API_PREFIX}/records/batch`) {
      if (method !== 'POST') throw methodNotAllowed('POST');
      const body = await readJson(req, batchEnvelope, MAX_BATCH_BYTES);
      const results = body.records.map((raw, i) => processRecord(raw, i, device));
      return sendJson(res, 200, { ok: true, results });
    }
    if (method !== 'GET') throw methodNotAllowed('GET');
    return sendJson(res, 200, changesPage(device, query));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hq.invalid');
    const route = url.pathname;
    const routeKey = `${req.method ?? 'GET'} ${route.replace(/\/blobs\/[^/]+$/, '/blobs/:sha256').replace(/\/devices\/[^/]+\/revoke$/, '/devices/:id/revoke')}`;
    counts[routeKey] = (counts[routeKey] ?? 0) + 1;
    if (route.startsWith('/admin/')) return handleAdmin(req, res, route, url.searchParams);
    if (route === API_PREFIX || route.startsWith(`${API_PREFIX}/`)) return handleV1(req, res, route, url.searchParams);
    const version = /^\/v(\d+)(\/|$)/.exec(route);
    if (version) throw fail('not_found', `服务器不支持协议版本 v${version[1]}（支持：${PROTOCOL}，路径前缀 ${API_PREFIX}）`);
    throw fail('not_found', `没有这个接口：${route}`);
  }

  const server = http.createServer((req, res) => {
    const started = Date.now();
    res.on('finish', () => log(`${req.method} ${req.url} → ${res.statusCode}（${Date.now() - started} ms）`));
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) return sendError(res, err);
      if (res.headersSent || res.destroyed || req.destroyed) return; // the client went away mid-request
      log(`内部错误：${(err as Error).stack ?? String(err)}`);
      sendError(res, fail('internal', '总公司服务器内部错误，请稍后重试'));
    });
  });

  // Idle keep-alive connections are kept a minute, as head office's front end would (nginx keeps
  // them 75 s), not Node's 5 s: a client that pauses between requests (a sync run between two
  // others, a page of the benchmark being prepared) otherwise races the server's close and gets
  // EPIPE on a POST, which fetch does not retry.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    admin,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          db.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
