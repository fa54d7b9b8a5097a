import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { SyncDecision, SyncRecord, SyncTask } from '../../shared/sync/protocol';

/**
 * The reference head-office server's own store. It shares no code with the branch database: head
 * office is another system, and keeping the two apart stops the test server from agreeing with
 * the client merely because they run the same SQL. Not encrypted: it only ever holds test data.
 */

type Db = Database.Database;

const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE branches (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- The last seq handed out in this branch's change feed; bumped inside the transaction that
  -- appends the change, so seqs are gap-free per branch and commit in seq order.
  last_seq INTEGER NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  branch_code TEXT NOT NULL REFERENCES branches(code),
  install_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  enrolled_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;

CREATE TABLE enrolment_codes (
  code_hash TEXT PRIMARY KEY,
  branch_code TEXT NOT NULL REFERENCES branches(code),
  created_at TEXT NOT NULL,
  used_at TEXT,
  used_by TEXT REFERENCES devices(id)
) STRICT;

CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  total INTEGER NOT NULL CHECK (total > 0),
  complete INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
  first_device_id TEXT REFERENCES devices(id),
  created_at TEXT NOT NULL,
  completed_at TEXT
) STRICT;

CREATE TABLE records (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  branch_code TEXT NOT NULL REFERENCES branches(code),
  device_id TEXT NOT NULL REFERENCES devices(id),
  record_no TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  previous_key TEXT REFERENCES records(key),
  content_hash TEXT NOT NULL,
  hq_task_id TEXT,
  policy_no TEXT,
  customer_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  outcome TEXT NOT NULL,
  finalised_at TEXT NOT NULL,
  -- The record as received, minus the signature PNGs (kept as bytes in record_signatures).
  body TEXT NOT NULL,
  received_at TEXT NOT NULL
) STRICT;
CREATE INDEX records_branch ON records(branch_code, id);

CREATE TABLE record_signatures (
  record_id INTEGER NOT NULL REFERENCES records(id),
  position INTEGER NOT NULL,
  role TEXT NOT NULL,
  signer_name TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  png BLOB NOT NULL,
  PRIMARY KEY (record_id, position)
) STRICT;

CREATE TABLE record_attachments (
  record_id INTEGER NOT NULL REFERENCES records(id),
  position INTEGER NOT NULL,
  kind TEXT NOT NULL,
  file_name TEXT NOT NULL,
  mime TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  PRIMARY KEY (record_id, position)
) STRICT;

CREATE TABLE tasks (
  hq_task_id TEXT PRIMARY KEY,
  branch_code TEXT NOT NULL REFERENCES branches(code),
  body TEXT NOT NULL,
  last_seq INTEGER NOT NULL
) STRICT;

CREATE TABLE decisions (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES records(id),
  decision TEXT NOT NULL CHECK (decision IN ('accepted', 'returned', 'problem_opened')),
  reason TEXT,
  categories TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  seq INTEGER NOT NULL
) STRICT;

CREATE TABLE changes (
  branch_code TEXT NOT NULL REFERENCES branches(code),
  seq INTEGER NOT NULL CHECK (seq > 0),
  type TEXT NOT NULL CHECK (type IN ('task', 'decision')),
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (branch_code, seq)
) STRICT;
`;

export interface BranchRow {
  code: string;
  name: string;
}

export interface DeviceRow {
  id: string;
  branchCode: string;
  installId: string;
  name: string;
  enrolledAt: string;
  revokedAt: string | null;
}

export interface BlobRow {
  sha256: string;
  total: number;
  complete: boolean;
}

export interface StoredSignature {
  role: string;
  signerName: string;
  signedAt: string;
  sha256: string;
  png: Buffer;
}

export interface StoredAttachment {
  kind: string;
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
}

/** A record as head office holds it, for tests and the admin API. */
export interface ReceivedRecord {
  key: string;
  branchCode: string;
  deviceId: string;
  recordNo: string;
  version: number;
  previousKey: string | null;
  contentHash: string;
  receivedAt: string;
  /** Everything the branch sent except the signature PNGs, which are in `signatures`. */
  record: Omit<SyncRecord, 'signatures'>;
  signatures: StoredSignature[];
  attachments: StoredAttachment[];
  decisions: SyncDecision[];
}

export type StoredChange = { seq: number; type: 'task'; task: SyncTask } | { seq: number; type: 'decision'; decision: SyncDecision };

export type EnrolOutcome =
  | { ok: true; device: DeviceRow; branchName: string }
  | { ok: false; reason: 'unknown_code' | 'used_code' | 'install_elsewhere' };

export class HqDb {
  readonly db: Db;

  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    try {
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) throw new Error(`总公司测试库 ${file} 的版本（${version}）高于本程序支持的版本（${SCHEMA_VERSION}）`);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      if (version < SCHEMA_VERSION) {
        this.db.transaction(() => {
          this.db.exec(SCHEMA);
          this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
        })();
      }
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ── Branches, enrolment, devices ─────────────────────────────────────────────────────────

  /** Idempotent so a restarted demo server can seed again; a different name for a known code is a mistake. */
  createBranch(code: string, name: string, now: string): void {
    const existing = this.db.prepare('SELECT name FROM branches WHERE code = ?').get(code) as { name: string } | undefined;
    if (existing) {
      if (existing.name !== name) throw new Error(`支公司代码 ${code} 已存在（名称：${existing.name}）`);
      return;
    }
    this.db.prepare('INSERT INTO branches (code, name, created_at) VALUES (?, ?, ?)').run(code, name, now);
  }

  branch(code: string): BranchRow | null {
    return (this.db.prepare('SELECT code, name FROM branches WHERE code = ?').get(code) as BranchRow | undefined) ?? null;
  }

  addEnrolmentCode(codeHash: string, branchCode: string, now: string): void {
    this.db.prepare('INSERT INTO enrolment_codes (code_hash, branch_code, created_at) VALUES (?, ?, ?)').run(codeHash, branchCode, now);
  }

  /**
   * Consumes the code and registers (or re-keys) the device in one transaction, so two
   * simultaneous enrolments with the same code cannot both succeed.
   */
  enrol(input: { codeHash: string; branchCode: string; installId: string; deviceName: string; newDeviceId: string; tokenHash: string; now: string }): EnrolOutcome {
    return this.db.transaction((): EnrolOutcome => {
      const code = this.db.prepare('SELECT branch_code AS branchCode, used_at AS usedAt FROM enrolment_codes WHERE code_hash = ?').get(input.codeHash) as
        | { branchCode: string; usedAt: string | null }
        | undefined;
      // A code of another branch is reported like an unknown one: which branch a code belongs to is not the caller's business.
      if (!code || code.branchCode !== input.branchCode) return { ok: false, reason: 'unknown_code' };
      if (code.usedAt !== null) return { ok: false, reason: 'used_code' };
      const known = this.db.prepare('SELECT id, branch_code AS branchCode FROM devices WHERE install_id = ?').get(input.installId) as
        | { id: string; branchCode: string }
        | undefined;
      if (known && known.branchCode !== input.branchCode) return { ok: false, reason: 'install_elsewhere' };
      let deviceId: string;
      if (known) {
        // Re-enrolling the same installation (a lost token, a restored backup) keeps its id, so its
        // records stay attributed to one device; the old token stops working.
        deviceId = known.id;
        this.db
          .prepare('UPDATE devices SET token_hash = ?, name = ?, enrolled_at = ?, revoked_at = NULL WHERE id = ?')
          .run(input.tokenHash, input.deviceName, input.now, deviceId);
      } else {
        deviceId = input.newDeviceId;
        this.db
          .prepare('INSERT INTO devices (id, branch_code, install_id, name, token_hash, enrolled_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(deviceId, input.branchCode, input.installId, input.deviceName, input.tokenHash, input.now);
      }
      const used = this.db.prepare('UPDATE enrolment_codes SET used_at = ?, used_by = ? WHERE code_hash = ? AND used_at IS NULL').run(input.now, deviceId, input.codeHash);
      if (used.changes !== 1) throw new Error('enrolment code consumed concurrently');
      const device = this.device(deviceId);
      const branch = this.branch(input.branchCode);
      if (!device || !branch) throw new Error('device or branch vanished during enrolment');
      return { ok: true, device, branchName: branch.name };
    }).immediate();
  }

  device(id: string): DeviceRow | null {
    return (
      (this.db
        .prepare('SELECT id, branch_code AS branchCode, install_id AS installId, name, enrolled_at AS enrolledAt, revoked_at AS revokedAt FROM devices WHERE id = ?')
        .get(id) as DeviceRow | undefined) ?? null
    );
  }

  deviceByTokenHash(tokenHash: string): DeviceRow | null {
    const row = this.db.prepare('SELECT id FROM devices WHERE token_hash = ? AND revoked_at IS NULL').get(tokenHash) as { id: string } | undefined;
    return row ? this.device(row.id) : null;
  }

  devices(branchCode?: string): DeviceRow[] {
    const sql = 'SELECT id, branch_code AS branchCode, install_id AS installId, name, enrolled_at AS enrolledAt, revoked_at AS revokedAt FROM devices';
    return (branchCode === undefined ? this.db.prepare(`${sql} ORDER BY enrolled_at`).all() : this.db.prepare(`${sql} WHERE branch_code = ? ORDER BY enrolled_at`).all(branchCode)) as DeviceRow[];
  }

  revokeDevice(id: string, now: string): boolean {
    return this.db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
  }

  // ── Blobs (metadata only; the bytes are files the server manages) ───────────────────────

  blob(sha256: string): BlobRow | null {
    const row = this.db.prepare('SELECT sha256, total, complete FROM blobs WHERE sha256 = ?').get(sha256) as { sha256: string; total: number; complete: number } | undefined;
    return row ? { sha256: row.sha256, total: row.total, complete: row.complete === 1 } : null;
  }

  startBlob(sha256: string, total: number, deviceId: string | null, now: string): void {
    this.db.prepare('INSERT INTO blobs (sha256, total, first_device_id, created_at) VALUES (?, ?, ?, ?)').run(sha256, total, deviceId, now);
  }

  completeBlob(sha256: string, now: string): void {
    this.db.prepare('UPDATE blobs SET complete = 1, completed_at = ? WHERE sha256 = ?').run(now, sha256);
  }

  /** Only for an incomplete blob: a complete one may already be referenced by records. */
  forgetBlob(sha256: string): void {
    this.db.prepare('DELETE FROM blobs WHERE sha256 = ? AND complete = 0').run(sha256);
  }

  // ── Records ─────────────────────────────────────────────────────────────────────────────

  recordIdentity(key: string): { contentHash: string; branchCode: string; recordNo: string; version: number } | null {
    return (
      (this.db
        .prepare('SELECT content_hash AS contentHash, branch_code AS branchCode, record_no AS recordNo, version FROM records WHERE key = ?')
        .get(key) as { contentHash: string; branchCode: string; recordNo: string; version: number } | undefined) ?? null
    );
  }

  /**
   * Inserts the record with its signatures and attachments in one transaction. The UNIQUE key
   * decides: when the key is already there (another delivery of the same request won), nothing
   * is written and the stored content hash is returned for the caller to compare.
   */
  insertRecord(
    record: SyncRecord,
    pngs: Buffer[],
    who: { branchCode: string; deviceId: string },
    now: string,
  ): { inserted: true } | { inserted: false; contentHash: string } {
    return this.db.transaction(() => {
      const { signatures, ...rest } = record;
      const result = this.db
        .prepare(
          `INSERT INTO records (key, branch_code, device_id, record_no, version, previous_key, content_hash, hq_task_id, policy_no,
             customer_name, kind, outcome, finalised_at, body, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (key) DO NOTHING`,
        )
        .run(
          record.key,
          who.branchCode,
          who.deviceId,
          record.recordNo,
          record.version,
          record.previousKey,
          record.contentHash,
          record.hqTaskId,
          record.policyNo,
          record.customerName,
          record.kind,
          record.outcome,
          record.finalisedAt,
          JSON.stringify(rest),
          now,
        );
      if (result.changes === 0) {
        const existing = this.recordIdentity(record.key);
        if (!existing) throw new Error('record key conflicted but is not stored');
        return { inserted: false as const, contentHash: existing.contentHash };
      }
      const id = Number(result.lastInsertRowid);
      const sig = this.db.prepare('INSERT INTO record_signatures (record_id, position, role, signer_name, signed_at, sha256, png) VALUES (?, ?, ?, ?, ?, ?, ?)');
      signatures.forEach((s, i) => sig.run(id, i, s.role, s.signerName, s.signedAt, s.sha256, pngs[i]));
      const att = this.db.prepare('INSERT INTO record_attachments (record_id, position, kind, file_name, mime, size, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)');
      record.attachments.forEach((a, i) => att.run(id, i, a.kind, a.fileName, a.mime, a.size, a.sha256));
      return { inserted: true as const };
    }).immediate();
  }

  countRecordRows(key: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM records WHERE key = ?').get(key) as { n: number }).n;
  }

  records(filter: { branchCode?: string; key?: string } = {}): ReceivedRecord[] {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.branchCode !== undefined) {
      where.push('branch_code = ?');
      params.push(filter.branchCode);
    }
    if (filter.key !== undefined) {
      where.push('key = ?');
      params.push(filter.key);
    }
    const rows = this.db
      .prepare(
        `SELECT id, key, branch_code AS branchCode, device_id AS deviceId, record_no AS recordNo, version, previous_key AS previousKey,
                content_hash AS contentHash, received_at AS receivedAt, body
         FROM records ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`,
      )
      .all(...params) as (Omit<ReceivedRecord, 'record' | 'signatures' | 'attachments' | 'decisions'> & { id: number; body: string })[];
    const sigs = this.db.prepare('SELECT role, signer_name AS signerName, signed_at AS signedAt, sha256, png FROM record_signatures WHERE record_id = ? ORDER BY position');
    const atts = this.db.prepare('SELECT kind, file_name AS fileName, mime, size, sha256 FROM record_attachments WHERE record_id = ? ORDER BY position');
    const decs = this.db.prepare('SELECT decision, reason, categories, decided_at AS decidedAt FROM decisions WHERE record_id = ? ORDER BY id');
    return rows.map(({ id, body, ...row }) => ({
      ...row,
      record: JSON.parse(body) as Omit<SyncRecord, 'signatures'>,
      signatures: sigs.all(id) as StoredSignature[],
      attachments: atts.all(id) as StoredAttachment[],
      decisions: (decs.all(id) as { decision: SyncDecision['decision']; reason: string | null; categories: string; decidedAt: string }[]).map((d) => ({
        recordKey: row.key,
        decision: d.decision,
        reason: d.reason,
        categories: JSON.parse(d.categories) as string[],
        decidedAt: d.decidedAt,
      })),
    }));
  }

  // ── The change feed ─────────────────────────────────────────────────────────────────────

  private appendChange(branchCode: string, change: { type: 'task'; task: SyncTask } | { type: 'decision'; decision: SyncDecision }, now: string): number {
    const row = this.db.prepare('UPDATE branches SET last_seq = last_seq + 1 WHERE code = ? RETURNING last_seq AS seq').get(branchCode) as { seq: number } | undefined;
    if (!row) throw new Error(`未知的支公司代码：${branchCode}`);
    const body = change.type === 'task' ? JSON.stringify(change.task) : JSON.stringify(change.decision);
    this.db.prepare('INSERT INTO changes (branch_code, seq, type, body, created_at) VALUES (?, ?, ?, ?, ?)').run(branchCode, row.seq, change.type, body, now);
    return row.seq;
  }

  /** A task sent again (corrected by head office) is a new change; the branch applies the latest. */
  addTasks(branchCode: string, tasks: readonly SyncTask[], now: string): number[] {
    return this.db.transaction(() => {
      if (!this.branch(branchCode)) throw new Error(`未知的支公司代码：${branchCode}`);
      const owner = this.db.prepare('SELECT branch_code AS branchCode FROM tasks WHERE hq_task_id = ?');
      const upsert = this.db.prepare(
        'INSERT INTO tasks (hq_task_id, branch_code, body, last_seq) VALUES (?, ?, ?, ?) ON CONFLICT (hq_task_id) DO UPDATE SET body = excluded.body, last_seq = excluded.last_seq',
      );
      return tasks.map((task) => {
        const existing = owner.get(task.hqTaskId) as { branchCode: string } | undefined;
        if (existing && existing.branchCode !== branchCode) throw new Error(`任务 ${task.hqTaskId} 已下发给支公司 ${existing.branchCode}`);
        const seq = this.appendChange(branchCode, { type: 'task', task }, now);
        upsert.run(task.hqTaskId, branchCode, JSON.stringify(task), seq);
        return seq;
      });
    }).immediate();
  }

  addDecision(recordKey: string, decision: SyncDecision, now: string): number {
    return this.db.transaction(() => {
      const record = this.db.prepare('SELECT id, branch_code AS branchCode FROM records WHERE key = ?').get(recordKey) as { id: number; branchCode: string } | undefined;
      if (!record) throw new Error(`总公司没有收到记录 ${recordKey}`);
      const seq = this.appendChange(record.branchCode, { type: 'decision', decision }, now);
      this.db
        .prepare('INSERT INTO decisions (record_id, decision, reason, categories, decided_at, seq) VALUES (?, ?, ?, ?, ?, ?)')
        .run(record.id, decision.decision, decision.reason, JSON.stringify(decision.categories), decision.decidedAt, seq);
      return seq;
    }).immediate();
  }

  /** `limit + 1` rows are read so `more` is exact without a second query. */
  changesAfter(branchCode: string, afterSeq: number, limit: number): { changes: StoredChange[]; more: boolean } {
    const rows = this.db
      .prepare('SELECT seq, type, body FROM changes WHERE branch_code = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(branchCode, afterSeq, limit + 1) as { seq: number; type: 'task' | 'decision'; body: string }[];
    const more = rows.length > limit;
    const changes = rows.slice(0, limit).map((r): StoredChange =>
      r.type === 'task' ? { seq: r.seq, type: 'task', task: JSON.parse(r.body) as SyncTask } : { seq: r.seq, type: 'decision', decision: JSON.parse(r.body) as SyncDecision },
    );
    return { changes, more };
  }

  lastSeq(branchCode: string): number {
    return (this.db.prepare('SELECT last_seq AS seq FROM branches WHERE code = ?').get(branchCode) as { seq: number } | undefined)?.seq ?? 0;
  }
}
