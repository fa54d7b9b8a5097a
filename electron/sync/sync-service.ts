import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { SyncStatus } from '../../shared/api/contract';
import { AppError } from '../../shared/api/envelope';
import type { WorkCalendar } from '../../shared/calendar';
import { computeDeadline } from '../../shared/rules';
import { MAX_BATCH_BYTES, MAX_BATCH_RECORDS, type SyncChange, type SyncDecision, type SyncRecord, type SyncTask } from '../../shared/sync/protocol';
import type { Sealer } from '../files/sealed-file';
import { stmt } from '../db/statements';
import { createImportWriter } from '../import/import-writer';
import type { NormalizedRow } from '../import/types';
import { recomputeDeadlines } from '../tasks/deadlines';
import { createHqClient, HqError, recordsBody, type HqClient } from './hq-client';
import { buildSyncRecord } from './record-payload';

/** Points in an upload where a crash is most dangerous; tests kill the process at each. */
export type SyncStep = 'before_send' | 'answer_received' | 'after_answer';

export interface SyncDeps {
  db: Database;
  dataDir: string;
  sealer: Sealer;
  calendar: () => WorkCalendar;
  now: () => Date;
  today: () => string;
  log: (msg: string) => void;
  /** Per-request timeout; head office may be slow, but a hung link must not block the queue. */
  timeoutMs?: number;
  /** Test-only fault injection at the dangerous steps (crash tests). */
  faultAt?: (step: SyncStep) => void;
  random?: () => number;
}

interface StateRow {
  install_id: string;
  server_url: string | null;
  branch_code: string | null;
  device_id: string | null;
  device_name: string | null;
  device_token: string | null;
  cursor: string;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  retry_at: string | null;
  failures: number;
}

const PAGE = 200;
const BACKOFF_BASE_S = 2;
const BACKOFF_CAP_S = 300;
/** Head office counts as reachable for this long after the last successful exchange. */
const REACHABLE_FOR_MS = 10 * 60_000;

/**
 * The branch side of sync: a transactional outbox (a record is queued in the same transaction
 * that finalises it), uploads that count only after head office's validated answer, and the
 * change feed applied together with its cursor. Every step is safe to repeat, so a crash or a
 * lost answer only ever causes a resend that head office answers as `duplicate`.
 */
export function createSyncService(deps: SyncDeps) {
  const { db, now } = deps;
  const random = deps.random ?? Math.random;
  const state = () => stmt(db, 'SELECT * FROM sync_state WHERE id = 1').get() as StateRow;
  let running: { controller: AbortController; done: Promise<void> } | null = null;
  let progress: SyncStatus['progress'] = null;

  const client = (s: StateRow, signal?: AbortSignal): HqClient =>
    createHqClient({ baseUrl: s.server_url ?? '', token: s.device_token, timeoutMs: deps.timeoutMs ?? 20_000, ...(signal ? { signal } : {}) });

  function enqueue(visitId: number): void {
    const s = state();
    const v = db.prepare('SELECT record_no, version FROM visits WHERE id = ?').get(visitId) as { record_no: string; version: number };
    db.prepare('INSERT INTO outbox (visit_id, record_key, queued_at) VALUES (?, ?, ?) ON CONFLICT (visit_id) DO NOTHING').run(
      visitId,
      `${s.install_id}/${v.record_no}/${v.version}`,
      now().toISOString(),
    );
  }

  function readAttachment(sha256: string): Buffer | null {
    const file = path.join(deps.dataDir, 'attachments', sha256);
    if (!fs.existsSync(file)) return null;
    const plain = deps.sealer.open(fs.readFileSync(file));
    return plain && createHash('sha256').update(plain).digest('hex') === sha256 ? plain : null;
  }

  function markRejected(outboxId: number, answer: 'rejected' | 'conflict', code: string, message: string): void {
    db.prepare("UPDATE outbox SET state = 'rejected', answer = ?, error_code = ?, error_message = ?, attempts = attempts + 1, last_attempt_at = ? WHERE id = ?").run(
      answer,
      code,
      message,
      now().toISOString(),
      outboxId,
    );
  }

  interface Batch {
    items: { row: { id: number; visit_id: number; record_key: string }; record: SyncRecord; json: string }[];
    /** The last outbox id looked at: the next batch starts after it. */
    afterId: number;
    /** The request body for all of `items`, encoded while the previous batch was in flight. */
    body: Buffer<ArrayBuffer>;
  }

  /**
   * Reads and serialises the next batch of pending records after `afterId` (null when none are
   * left): at most MAX_BATCH_RECORDS, and split by size as well as by count (three signatures can
   * make a record large). It yields to the event loop between records, so a request already
   * handed to fetch goes out on the socket while this runs.
   */
  async function prepareBatch(installId: string, afterId: number): Promise<Batch | null> {
    const rows = stmt(db, "SELECT id, visit_id, record_key FROM outbox WHERE state = 'pending' AND id > ? ORDER BY id LIMIT ?")
      .all(afterId, MAX_BATCH_RECORDS) as { id: number; visit_id: number; record_key: string }[];
    if (rows.length === 0) return null;
    const items: Batch['items'] = [];
    let bytes = 0;
    for (const row of rows) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const record = buildSyncRecord(db, row.visit_id, row.record_key, installId);
      const json = JSON.stringify(record);
      const size = Buffer.byteLength(json);
      if (items.length > 0 && bytes + size > MAX_BATCH_BYTES * 0.9) break;
      items.push({ row, record, json });
      bytes += size;
    }
    return { items, afterId: items[items.length - 1]!.row.id, body: recordsBody(items.map((i) => i.json)) };
  }

  /**
   * Uploads every pending record, batch by batch; one refused record never holds up the rest.
   * Requests go one at a time, but the next batch is read from the database and serialised while
   * the current one is with head office, so the link (and head office) is not left idle while
   * this PC prepares: reading, base64 and hashing of ~100 signatures a batch otherwise added
   * their whole time to every round trip. A prepared batch is only a copy of the outbox rows;
   * nothing is recorded until head office's answer is, so a failure anywhere just drops it.
   */
  async function upload(hq: HqClient, signal: AbortSignal): Promise<number> {
    const s = state();
    const total = db.prepare("SELECT count(*) FROM outbox WHERE state = 'pending'").pluck().get() as number;
    let done = 0;
    progress = { phase: 'upload', done, total };
    let next: Promise<Batch | null> = prepareBatch(s.install_id, 0);
    for (;;) {
      const batch = await next;
      if (!batch) return done;
      const ready: Batch['items'] = [];
      for (const item of batch.items) {
        let missing: string | null = null;
        for (const a of item.record.attachments) {
          const plain = readAttachment(a.sha256);
          if (!plain) {
            missing = a.fileName;
            break;
          }
          await hq.uploadBlob(a.sha256, plain);
          if (signal.aborted) throw new HqError('已取消', false, null);
        }
        if (missing) markRejected(item.row.id, 'rejected', 'attachment_missing_local', `附件「${missing}」在本机缺失或已损坏，无法上传`);
        else ready.push(item);
      }
      if (ready.length === 0) {
        next = prepareBatch(s.install_id, batch.afterId);
        continue;
      }
      deps.faultAt?.('before_send');
      // The prepared body, unless a record had to be left out for a missing attachment.
      const sending = hq.sendRecordsBody(ready.length === batch.items.length ? batch.body : recordsBody(ready.map((r) => r.json)));
      next = prepareBatch(s.install_id, batch.afterId);
      // If the send fails, the prepared batch is dropped with it; its own failure must not go unhandled.
      next.catch(() => undefined);
      const answer = await sending;
      deps.faultAt?.('answer_received');
      if (answer.results.length !== ready.length || answer.results.some((r, i) => r.key !== ready[i]!.record.key)) {
        throw new HqError('总公司服务器的应答与发送的记录对不上，本批记录将重新发送', true, 200);
      }
      deps.faultAt?.('after_answer');
      const at = now().toISOString();
      db.transaction(() => {
        answer.results.forEach((r, i) => {
          const id = ready[i]!.row.id;
          if (r.status === 'accepted' || r.status === 'duplicate') {
            stmt(db, "UPDATE outbox SET state = 'delivered', answer = ?, attempts = attempts + 1, last_attempt_at = ?, delivered_at = ?, error_code = NULL, error_message = NULL WHERE id = ?").run(
              r.status,
              at,
              at,
              id,
            );
          } else {
            const message = r.message ?? (r.status === 'conflict' ? '总公司已有同一编号、内容不同的记录' : '总公司拒收');
            markRejected(id, r.status, r.code ?? r.status, message);
          }
        });
      })();
      done += ready.length;
      progress = { phase: 'upload', done, total };
    }
  }

  function toRow(t: SyncTask): NormalizedRow | null {
    if (!t.policyNo) return null;
    return {
      row: 0,
      kind: t.kind,
      source: t.source,
      policyNo: t.policyNo,
      applicantName: t.customerName,
      applicantPhone: t.phone,
      insuredName: null,
      beneficiaryName: null,
      idNumber: t.idNumber,
      address: t.address,
      issueDate: t.issueDate,
      printDate: null,
      receiptSignedDate: t.receiptSignedDate,
      receiptEntryDate: null,
      channel: t.channel,
      productName: t.productName,
      productType: t.productType,
      premiumCents: null,
      payYears: null,
      coveragePeriod: null,
      termYears: null,
      expiryDate: null,
      agentName: t.agentName,
      agentCode: t.agentCode,
      problemDescription: t.note,
      branch: null,
      eventDate: null,
      amountCents: null,
      paymentMethod: null,
      lastVisitDate: null,
      warnings: [],
    };
  }

  function applyDecision(seq: number, d: SyncDecision, at: string): void {
    const visitId = (db.prepare('SELECT visit_id FROM outbox WHERE record_key = ?').pluck().get(d.recordKey) as number | undefined) ?? null;
    const inserted = db
      .prepare('INSERT INTO hq_decisions (seq, record_key, visit_id, decision, reason, decided_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING')
      .run(seq, d.recordKey, visitId, d.decision, d.reason, d.decidedAt, at);
    if (inserted.changes === 0) return;
    const decisionId = Number(inserted.lastInsertRowid);
    for (const c of new Set(d.categories)) db.prepare('INSERT INTO hq_decision_categories (decision_id, category) VALUES (?, ?)').run(decisionId, c);
    if (d.decision !== 'problem_opened' || visitId === null) return;
    const v = db.prepare('SELECT task_id, customer_id, policy_id FROM visits WHERE id = ?').get(visitId) as { task_id: number | null; customer_id: number; policy_id: number | null };
    const opened = new Date(d.decidedAt);
    const day = new Date(opened.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const deadline = computeDeadline({ kind: 'problem_case', workOrderDate: day }, deps.calendar());
    const caseId = Number(
      db
        .prepare("INSERT INTO problem_cases (source, visit_id, task_id, customer_id, policy_id, state, opened_at, due_on, due_explanation) VALUES ('import', ?, ?, ?, ?, 'open', ?, ?, ?)")
        .run(visitId, v.task_id, v.customer_id, v.policy_id, d.decidedAt, deadline.ok ? deadline.value.due : null, deadline.ok ? deadline.value.explanation : null).lastInsertRowid,
    );
    for (const c of new Set(d.categories)) db.prepare('INSERT INTO problem_case_categories (case_id, category) VALUES (?, ?)').run(caseId, c);
    if (v.task_id !== null) db.prepare("UPDATE visit_tasks SET status = 'problem', updated_at = ? WHERE id = ?").run(at, v.task_id);
  }

  function applyPage(changes: readonly SyncChange[], cursor: string): void {
    const at = now().toISOString();
    const day = deps.today();
    db.transaction(() => {
      const tasks = changes.filter((c): c is Extract<SyncChange, { type: 'task' }> => c.type === 'task');
      if (tasks.length) {
        const admin = db.prepare("SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1").pluck().get() as number;
        const batchId = Number(
          db
            .prepare(
              `INSERT INTO import_batches (file_name, file_sha256, file_size, header_signature, default_kind, imported_by, imported_at,
                 rows_total, rows_created, rows_updated, rows_unchanged, rows_invalid, rows_duplicate) VALUES ('总公司下发任务', ?, 0, 'hq-sync', ?, ?, ?, ?, 0, 0, 0, 0, 0)`,
            )
            .run(createHash('sha256').update(cursor).digest('hex'), tasks[0]!.task.kind, admin, at, tasks.length).lastInsertRowid,
        );
        const writer = createImportWriter(db, day);
        const touched: number[] = [];
        const handed: { taskId: number; hqTaskId: string }[] = [];
        const counts = { create: 0, update: 0, unchanged: 0, invalid: 0 };
        for (const c of tasks) {
          const row = toRow(c.task);
          if (!row) {
            counts.invalid++;
            continue;
          }
          const r = writer.apply(row, { batchId, userId: admin, at });
          counts[r.action]++;
          const taskId = r.taskId ?? (db.prepare("SELECT t.id FROM visit_tasks t JOIN policies p ON p.id = t.policy_id WHERE p.policy_no = ? AND t.kind = ? ORDER BY t.id DESC LIMIT 1").pluck().get(row.policyNo, row.kind) as number | undefined) ?? null;
          if (taskId !== null) handed.push({ taskId, hqTaskId: c.task.hqTaskId });
        }
        // New tasks wait in the writer's queue for multi-row INSERTs: written (and made searchable) before they are marked.
        writer.finish();
        for (const { taskId, hqTaskId } of handed) {
          db.prepare('UPDATE visit_tasks SET hq_task_id = ? WHERE id = ? AND hq_task_id IS NULL AND NOT EXISTS (SELECT 1 FROM visit_tasks WHERE hq_task_id = ?)').run(hqTaskId, taskId, hqTaskId);
          touched.push(taskId);
        }
        recomputeDeadlines(db, deps.calendar(), day, now(), touched);
        db.prepare('UPDATE import_batches SET rows_created = ?, rows_updated = ?, rows_unchanged = ?, rows_invalid = ? WHERE id = ?').run(counts.create, counts.update, counts.unchanged, counts.invalid, batchId);
      }
      for (const c of changes) if (c.type === 'decision') applyDecision(c.seq, c.decision, at);
      db.prepare('UPDATE sync_state SET cursor = ? WHERE id = 1').run(cursor);
    })();
  }

  async function download(hq: HqClient, signal: AbortSignal): Promise<number> {
    let applied = 0;
    for (;;) {
      const page = await hq.changes(state().cursor, PAGE);
      if (signal.aborted) throw new HqError('已取消', false, null);
      applyPage(page.changes, page.cursor);
      applied += page.changes.length;
      progress = { phase: 'download', done: applied, total: applied + (page.more ? PAGE : 0) };
      if (!page.more) return applied;
    }
  }

  function backoffSeconds(failures: number, retryAfter: number | null): number {
    const exp = Math.min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** Math.max(0, failures - 1));
    const jittered = exp * (0.5 + random());
    return Math.max(jittered, retryAfter ?? 0);
  }

  /** One full exchange: upload, then download. Records state for the screen; never throws. */
  async function runOnce(signal: AbortSignal): Promise<{ ok: boolean; uploaded: number; downloaded: number; error: string | null }> {
    const s = state();
    if (!s.device_token || !s.server_url) return { ok: false, uploaded: 0, downloaded: 0, error: '本机尚未登记到总公司' };
    const started = now().toISOString();
    db.prepare('UPDATE sync_state SET last_attempt_at = ? WHERE id = 1').run(started);
    const hq = client(s, signal);
    let uploaded = 0;
    let downloaded = 0;
    try {
      uploaded = await upload(hq, signal);
      downloaded = await download(hq, signal);
      db.prepare('UPDATE sync_state SET last_success_at = ?, last_error = NULL, failures = 0, retry_at = NULL WHERE id = 1').run(now().toISOString());
      return { ok: true, uploaded, downloaded, error: null };
    } catch (err) {
      // The app closed under a running sync: nothing to record, everything stays queued.
      if (!db.open) return { ok: false, uploaded, downloaded, error: '已关闭' };
      // A person pressed 取消: not a failure of the link, so no back-off and no error shown.
      if (signal.aborted) return { ok: false, uploaded, downloaded, error: '已取消' };
      const e = err instanceof HqError ? err : new HqError('同步时发生内部错误，已保存的数据不受影响', true, null);
      // The class and code only: a message may quote a record's customer (a database error, a parse error).
      if (!(err instanceof HqError)) deps.log(`[sync] ${(err as Error)?.name ?? 'error'} ${(err as { code?: unknown })?.code ?? ''}`.trim().slice(0, 300));
      const failures = state().failures + 1;
      const wait = e.retryable ? backoffSeconds(failures, e.retryAfter) : BACKOFF_CAP_S;
      db.prepare('UPDATE sync_state SET last_error = ?, failures = ?, retry_at = ? WHERE id = 1').run(
        e.message,
        failures,
        new Date(now().getTime() + wait * 1000).toISOString(),
      );
      return { ok: false, uploaded, downloaded, error: e.message };
    } finally {
      progress = null;
    }
  }

  return {
    enqueue,
    runOnce,

    installId: () => state().install_id,

    reachable(): boolean {
      const s = state();
      if (!s.last_success_at) return false;
      const ok = now().getTime() - Date.parse(s.last_success_at) < REACHABLE_FOR_MS;
      return ok && (s.last_attempt_at === null || s.last_attempt_at <= s.last_success_at || running !== null);
    },

    status(): SyncStatus {
      const s = state();
      const count = (st: string) => db.prepare('SELECT count(*) FROM outbox WHERE state = ?').pluck().get(st) as number;
      return {
        enrolled: Boolean(s.device_token),
        serverUrl: s.server_url,
        branchCode: s.branch_code,
        deviceName: s.device_name,
        pending: count('pending'),
        delivered: count('delivered'),
        rejected: (
          db
            .prepare(
              `SELECT o.id, o.visit_id, v.record_no, v.version, o.answer, o.error_code, o.error_message, o.last_attempt_at
                 FROM outbox o JOIN visits v ON v.id = o.visit_id WHERE o.state = 'rejected' ORDER BY o.id LIMIT 200`,
            )
            .all() as { id: number; visit_id: number; record_no: string; version: number; answer: string; error_code: string; error_message: string; last_attempt_at: string }[]
        ).map((r) => ({ outboxId: r.id, visitId: r.visit_id, recordNo: r.record_no, version: r.version, code: r.error_code, message: r.error_message, at: r.last_attempt_at })),
        lastAttemptAt: s.last_attempt_at,
        lastSuccessAt: s.last_success_at,
        lastError: s.last_error,
        retryAt: s.retry_at,
        running: running !== null,
        progress,
        reachable: this.reachable(),
      };
    },

    async enrol(input: { serverUrl: string; branchCode: string; enrolmentCode: string; deviceName: string }): Promise<void> {
      const s = state();
      let url: URL;
      try {
        url = new URL(input.serverUrl);
      } catch {
        throw new AppError('invalid_input', '服务器地址不正确，应类似 https://hq.example.com', [{ path: 'serverUrl', message: '地址不正确' }]);
      }
      const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        throw new AppError('invalid_input', '总公司服务器必须使用 https（仅本机测试服务器可用 http）', [{ path: 'serverUrl', message: '请使用 https' }]);
      }
      const hq = createHqClient({ baseUrl: url.toString(), timeoutMs: deps.timeoutMs ?? 20_000 });
      try {
        const r = await hq.enrol({ branchCode: input.branchCode, enrolmentCode: input.enrolmentCode, deviceName: input.deviceName || os.hostname(), installId: s.install_id });
        db.prepare('UPDATE sync_state SET server_url = ?, branch_code = ?, device_id = ?, device_name = ?, device_token = ?, enrolled_at = ?, last_error = NULL, failures = 0, retry_at = NULL WHERE id = 1').run(
          url.toString().replace(/\/+$/, ''),
          r.branchCode,
          r.deviceId,
          input.deviceName,
          r.deviceToken,
          now().toISOString(),
        );
      } catch (err) {
        if (err instanceof HqError) throw new AppError(err.retryable ? 'conflict' : 'forbidden', `登记失败：${err.message}`);
        throw err;
      }
    },

    /** Starts a run unless one is going; automatic runs respect the back-off, "sync now" does not. */
    start(trigger: 'manual' | 'auto'): boolean {
      if (running) return false;
      const s = state();
      if (!s.device_token) {
        if (trigger === 'manual') throw new AppError('conflict', '本机尚未登记到总公司，请管理员在「数据同步」中登记');
        return false;
      }
      if (trigger === 'auto' && s.retry_at && Date.parse(s.retry_at) > now().getTime()) return false;
      const controller = new AbortController();
      const done = runOnce(controller.signal).then(() => undefined);
      running = { controller, done };
      void done.finally(() => {
        running = null;
      });
      return true;
    },

    cancel(): void {
      running?.controller.abort();
    },

    /** Waits for the current run (tests, shutdown). */
    idle: async () => {
      await running?.done;
    },

    /** Sends a refused record again as it is (e.g. after head office fixed its side). */
    requeue(outboxId: number): void {
      const r = db.prepare("UPDATE outbox SET state = 'pending', answer = NULL, error_code = NULL, error_message = NULL WHERE id = ? AND state = 'rejected'").run(outboxId);
      if (r.changes === 0) throw new AppError('not_found', '找不到该被拒收的记录');
    },
  };
}
export type SyncService = ReturnType<typeof createSyncService>;
