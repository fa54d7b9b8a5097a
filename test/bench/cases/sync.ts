import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { VisitView } from '../../../shared/api/contract';
import { visibleQuestions } from '../../../shared/questionnaire';
import { MAX_BATCH_RECORDS } from '../../../shared/sync/protocol';
import { buildSyncRecord } from '../../../electron/sync/record-payload';
import { startHqServer } from '../../hq/hq-server';

const SYNC_RECORDS = Number(process.env.BENCH_SYNC_RECORDS ?? 10_000);
import { freshApp, OUT, timed, type Row } from '../harness';

/**
 * Upload of SYNC_RECORDS finalised records with two ~15 KB signatures each to the reference
 * server on loopback, through the real client (outbox, payloads built from the database, batches,
 * validated answers, outbox updates), versus POSTing the same batch bodies with bare fetch to a
 * second, fresh reference server (so both pay the same server-side work).
 */
export async function syncCase(): Promise<Row[]> {
  const n = SYNC_RECORDS;
  const { app, call, admin, dispose } = freshApp('sync');
  const session = await admin();
  await call('demo.load', {}, session);
  const staff: { sessionToken: string } = await call('auth.signIn', { username: 'zhangli', password: 'demo1234' });
  const template = await finaliseOne(call, app, staff.sessionToken);
  cloneFinalised(app.db, template, n - 1);
  const installId = app.sync.installId();
  const dirs = [path.join(OUT, `hq-a-${process.pid}`), path.join(OUT, `hq-b-${process.pid}`)];
  const seed = { branches: [{ code: 'BENCH', name: '基准测试' }], enrolmentCodes: [{ branchCode: 'BENCH', code: 'BENCH-A-0001' }, { branchCode: 'BENCH', code: 'BENCH-B-0001' }] };
  const [a, b] = await Promise.all(dirs.map((d) => startHqServer({ dataDir: d, port: 0, seed })));
  try {
    // Baseline: the same bodies, pre-built, POSTed with bare fetch.
    const enrol = await (await fetch(`${a!.url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ branchCode: 'BENCH', enrolmentCode: 'BENCH-A-0001', deviceName: 'bench', installId }) })).json() as { deviceToken: string };
    const rows = app.db.prepare('SELECT visit_id, record_key FROM outbox ORDER BY id').all() as { visit_id: number; record_key: string }[];
    const bodies: string[] = [];
    for (let i = 0; i < rows.length; i += MAX_BATCH_RECORDS) {
      bodies.push(JSON.stringify({ records: rows.slice(i, i + MAX_BATCH_RECORDS).map((r) => buildSyncRecord(app.db, r.visit_id, r.record_key, installId)) }));
    }
    const base = await timed(async () => {
      for (const body of bodies) {
        const res = await fetch(`${a!.url}/v1/records/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${enrol.deviceToken}` }, body });
        await res.text();
      }
    });
    bodies.length = 0;
    await call('sync.enrol', { serverUrl: b!.url, branchCode: 'BENCH', enrolmentCode: 'BENCH-B-0001', deviceName: 'bench' }, session);
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
    let result: Awaited<ReturnType<typeof app.sync.runOnce>> | null = null;
    const ours = await timed(async () => {
      result = await app.sync.runOnce(new AbortController().signal);
    });
    clearInterval(sampler);
    if (!result || !(result as { ok: boolean }).ok) throw new Error(`sync failed: ${JSON.stringify(result)}`);
    const delivered = app.db.prepare("SELECT count(*) FROM outbox WHERE state = 'delivered'").pluck().get() as number;
    return [
      { case: `同步上传 ${n} 份定稿记录（各含两个约 15 KB 签名）`, ours, baseline: base, unit: 'ms', ratio: ours / base, target: '比值 ≤ 1.5', pass: ours / base <= 1.5 && delivered === n, note: `基线为裸 fetch 逐批 POST 相同内容；送达 ${delivered} 份` },
      { case: '同步上传时进程内存增量峰值', ours: (peak - rss0) / 1048576, baseline: null, unit: 'MB', ratio: null, target: '平稳（≤ 200 MB，不整体载入发件箱）', pass: (peak - rss0) / 1048576 <= 200 },
    ];
  } finally {
    await Promise.all([a!.close(), b!.close()]);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    dispose();
  }
}

async function finaliseOne(call: ReturnType<typeof freshApp>['call'], app: ReturnType<typeof freshApp>['app'], s: string): Promise<number> {
  const taskId = app.db.prepare("SELECT id FROM visit_tasks WHERE kind = 'new_policy' ORDER BY id LIMIT 1").pluck().get() as number;
  let v: VisitView = await call('visits.start', { taskId }, s);
  v = await call('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: localMinute(new Date(Date.now() - 3_600_000)) }, s);
  for (const q of visibleQuestions(v.template, (v.productType ?? undefined) as never)) v = await call('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer: q.expected }, s);
  v = await call('visits.saveSheet', { visitId: v.id, sheet: { interviewee: '投保人本人', summary: '逐项确认' } }, s);
  const stroke = (y0: number) => Array.from({ length: 30 }, (_, i) => ({ x: 20 + i * 7, y: y0 + Math.sin(i / 2) * 12, t: i * 15 }));
  const sig = (name: string) => ({ signerName: name, strokes: [stroke(40), stroke(70)], png: `data:image/png;base64,${realisticPng().toString('base64')}` });
  v = await call('visits.sign', { visitId: v.id, role: 'customer', ...sig('客户') }, s);
  v = await call('visits.sign', { visitId: v.id, role: 'staff', ...sig('回访人') }, s);
  v = await call('visits.finalise', { visitId: v.id }, s);
  return v.id;
}

/** A PNG-headed blob the size of a real handwritten signature (~15 KB). */
function realisticPng(): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(15_000)]);
}

const localMinute = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** Copies one finalised record (answers, signatures) n times, each queued in the outbox, in one transaction. */
function cloneFinalised(db: ReturnType<typeof freshApp>['app']['db'], visitId: number, n: number): void {
  const installId = db.prepare('SELECT install_id FROM sync_state').pluck().get() as string;
  const cols = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('visits') as string[]).filter((c) => c !== 'id' && c !== 'record_no');
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const recordNo = `BENCH-${String(i).padStart(6, '0')}`;
      const id = Number(db.prepare(`INSERT INTO visits (record_no, ${cols.join(', ')}) SELECT ?, ${cols.join(', ')} FROM visits WHERE id = ?`).run(recordNo, visitId).lastInsertRowid);
      db.prepare('INSERT INTO visit_answers SELECT ?, question_id, first_answer, after_explanation, note, answered_at FROM visit_answers WHERE visit_id = ?').run(id, visitId);
      db.prepare('INSERT INTO visit_signatures (visit_id, role, signer_name, signed_at, png, content_hash, signature_hash) SELECT ?, role, signer_name, signed_at, ?, content_hash, signature_hash FROM visit_signatures WHERE visit_id = ?').run(id, realisticPng(), visitId);
      db.prepare('INSERT INTO outbox (visit_id, record_key, queued_at) VALUES (?, ?, ?)').run(id, `${installId}/${recordNo}/1`, new Date().toISOString());
    }
  })();
}

