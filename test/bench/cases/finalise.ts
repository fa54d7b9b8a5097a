import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { createApp } from '../../../electron/app/create-app';
import type { VisitView } from '../../../shared/api/contract';
import { median, p95, timed, type Row } from '../harness';
import { caller, copyBranch, millionBranch, signedDraft, SPARE_TASKS, STAFF } from '../million';

type Draft = Pick<VisitView, 'id' | 'contentHash' | 'recordNo' | 'version' | 'taskId'>;

const RECORDS = Number(process.env.BENCH_FINALISE_RECORDS ?? 1_000_000);
// 80 samples: the p95 of 40 would be the second-slowest call, one WAL checkpoint or GC pause away.
const RUNS = Math.min(80, SPARE_TASKS);

/**
 * Finalising a visit (content and record hashes, the frozen record, its audit-chain entry and its
 * outbox entry, one transaction) through the contract, with RECORDS finalised records already
 * stored. The drafts are answered and signed beforehand; only `visits.finalise` is timed. The
 * baseline writes the same rows (record, chain entry, outbox entry, task status) in one
 * transaction with prepared statements and no checks, on a bare copy of a draft, interleaved.
 */
export async function finaliseCase(): Promise<Row[]> {
  const branch = await millionBranch(RECORDS);
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  const copy = copyBranch(branch, 'finalise');
  const app = createApp({ dataDir: copy.dir, transport: 'browser', log: () => {}, autoSyncMs: 0 });
  try {
    const call = caller(app);
    const s = ((await call('auth.signIn', STAFF)) as { sessionToken: string }).sessionToken;
    console.log(`已复制数据（${elapsed()}）；准备 ${RUNS} 份已答题、已签名的草稿…`);
    const drafts: VisitView[] = [];
    for (let i = 0; i < RUNS; i++) drafts.push(await signedDraft(call, s, branch.firstSpareTask + i));
    // The baseline writes the same rows whatever the draft holds: its drafts are bare copies of one.
    const bare = baselineDrafts(app.db, drafts, RUNS);
    const raw = rawFinaliser(app.db, app.sync.installId());
    console.log(`  （${elapsed()}）计时…`);

    // The chain's tip before the timed calls: their entries come after it. (audit_log has no index
    // on object_id, so looking them up among a million entries took minutes.)
    const tip = app.db.prepare('SELECT max(id) FROM audit_log').pluck().get() as number;
    const ours: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      base.push(await timed(() => raw(bare[i]!)));
      ours.push(await timed(() => call('visits.finalise', { visitId: drafts[i]!.id }, s)));
    }
    console.log(`  （${elapsed()}）`);

    // The timed calls did the whole job: frozen, chained and queued.
    const mine = drafts.map((d) => d.id);
    const done = app.db
      .prepare(
        `SELECT count(*) FROM visits v JOIN outbox o ON o.visit_id = v.id
         WHERE v.id IN (${mine.join(',')}) AND v.state = 'finalised'
           AND EXISTS (SELECT 1 FROM audit_log a WHERE a.id > ? AND a.action = 'visit_finalised' AND a.object_id = v.id AND a.detail IS NOT NULL)`,
      )
      .pluck()
      .get(tip) as number;
    if (done !== RUNS) throw new Error(`finalise: only ${done} of ${RUNS} records finalised, chained and queued`);

    return [
      {
        case: `定稿一份记录（哈希、冻结、审计链、发件箱同一事务；已存 ${RECORDS} 份定稿记录，经接口，p95）`,
        ours: p95(ours),
        baseline: p95(base),
        unit: 'ms',
        ratio: p95(ours) / p95(base),
        target: 'p95 ≤ 30 ms',
        pass: p95(ours) <= 30,
        note: `${RUNS} 次，中位数 ${median(ours).toFixed(1)} ms（基线 ${median(base).toFixed(1)} ms）；基线为同一事务内裸写相同的行（记录、审计条目、发件箱、任务状态），不做校验`,
      },
    ];
  } finally {
    app.close();
    copy.dispose();
  }
}

/**
 * n bare draft rows copied from the first draft (no answers, signatures or attachments, and no
 * task, so the one-draft-per-task rule lets them be); each finalises onto the task of its twin.
 */
function baselineDrafts(db: Database, drafts: readonly VisitView[], n: number): Draft[] {
  const from = drafts[0]!;
  const cols = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('visits') as string[]).filter((c) => c !== 'id' && c !== 'record_no' && c !== 'task_id');
  const copy = db.prepare(`INSERT INTO visits (record_no, task_id, ${cols.join(', ')}) SELECT ?, NULL, ${cols.join(', ')} FROM visits WHERE id = ?`);
  return Array.from({ length: n }, (_, i) => {
    const recordNo = `HFBENCH-BASE-${String(i + 1).padStart(4, '0')}`;
    const id = Number(copy.run(recordNo, from.id).lastInsertRowid);
    return { id, contentHash: from.contentHash, recordNo, version: 1, taskId: drafts[i % drafts.length]!.taskId };
  });
}

/** The baseline: the rows a finalise writes, written raw (statements prepared once, no reads but the chain's tip). */
function rawFinaliser(db: Database, installId: string) {
  const visit = db.prepare("UPDATE visits SET state = 'finalised', outcome = 'success', content_hash = ?, finalised_at = ?, updated_at = ? WHERE id = ?");
  const tip = db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').pluck();
  const entry = db.prepare("INSERT INTO audit_log (at, user_id, username, action, object_type, object_id, detail, prev_hash, hash) VALUES (?, NULL, 'zhangli', 'visit_finalised', 'visit', ?, ?, ?, ?)");
  const queue = db.prepare('INSERT INTO outbox (visit_id, record_key, queued_at) VALUES (?, ?, ?)');
  const task = db.prepare("UPDATE visit_tasks SET status = 'to_countersign', updated_at = ? WHERE id = ?");
  return (v: Draft) =>
    db.transaction(() => {
      const at = new Date().toISOString();
      visit.run(v.contentHash, at, at, v.id);
      const prev = tip.get() as string;
      entry.run(at, v.id, v.contentHash, prev, createHash('sha256').update(`${prev}${at}${v.id}${v.contentHash}`).digest('hex'));
      queue.run(v.id, `${installId}/${v.recordNo}/${v.version}`, at);
      if (v.taskId !== null) task.run(at, v.taskId);
    })();
}
