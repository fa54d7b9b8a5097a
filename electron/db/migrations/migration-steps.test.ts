import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../database';
import { DEADLINE_SOURCE_SQL, DUE_EXPLANATION_SQL } from '../../tasks/deadline-texts';
import { MIGRATIONS } from './index';

let dir = '';
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function stepTo(version: number) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-mig-'));
  const file = path.join(dir, 'm.sqlite');
  openDatabase({ key: null, file, migrateTo: version - 1 }).close();
  return openDatabase({ key: null, file, migrateTo: version });
}

const tables = (db: ReturnType<typeof openDatabase>) => (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]);

/** A head-office list imported by a staff user: what a listed task names as its creator (from 018). */
function listBatch(db: ReturnType<typeof openDatabase>): number | bigint {
  const u = db.prepare("INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES ('u', 'U', 'staff', 'h', 'now')").run().lastInsertRowid;
  return db
    .prepare(
      `INSERT INTO import_batches (file_name, file_sha256, file_size, header_signature, default_kind, imported_by, imported_at, rows_total, rows_created, rows_updated, rows_unchanged, rows_invalid, rows_duplicate)
       VALUES ('清单.xlsx', 'x', 1, 'h', 'new_policy', ?, 'now', 1, 1, 0, 0, 0, 0)`,
    )
    .run(u).lastInsertRowid;
}

describe('every migration steps from the one before', () => {
  it.each(MIGRATIONS.map((m) => [m.version, m.name] as const))('migration %i (%s) applies on top of its predecessor', (version) => {
    const db = stepTo(version);
    expect(db.pragma('user_version', { simple: true })).toBe(version);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('003 tasks_in: the import log, history, appointments and attempts with their constraints', () => {
    const db = stepTo(3);
    expect(tables(db)).toEqual(expect.arrayContaining(['import_batches', 'import_mappings', 'task_events', 'task_event_changes', 'appointments', 'contact_attempts', 'customer_phone_changes']));
    const c = db.prepare("INSERT INTO customers (name, created_at) VALUES ('张三', 'now')").run().lastInsertRowid;
    const u = db.prepare("INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES ('u', 'U', 'staff', 'h', 'now')").run().lastInsertRowid;
    const t = db.prepare("INSERT INTO visit_tasks (customer_id, kind, status, created_at, updated_at) VALUES (?, 'key_client', 'to_contact', 'now', 'now')").run(c).lastInsertRowid;
    expect(() => db.prepare("INSERT INTO contact_attempts (task_id, user_id, method, attempted_at, outcome, created_at) VALUES (?, ?, 'fax', 'now', 'reached', 'now')").run(t, u)).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO task_events (task_id, at, event, summary) VALUES (?, 'now', 'deleted', 'x')").run(t)).toThrow(/CHECK/);
    db.close();
  });

  it('004 visits: one open draft per task, answers limited to 是/否/不清楚', () => {
    const db = stepTo(4);
    const c = db.prepare("INSERT INTO customers (name, created_at) VALUES ('张三', 'now')").run().lastInsertRowid;
    const u = db.prepare("INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES ('u', 'U', 'staff', 'h', 'now')").run().lastInsertRowid;
    const t = db.prepare("INSERT INTO visit_tasks (customer_id, kind, status, created_at, updated_at) VALUES (?, 'key_client', 'to_contact', 'now', 'now')").run(c).lastInsertRowid;
    const visit = db.prepare("INSERT INTO visits (record_no, version, task_id, customer_id, kind, template_id, template_version, visitor_id, created_at, updated_at) VALUES (?, ?, ?, ?, 'key_client', 'key_client', 1, ?, 'now', 'now')");
    visit.run('R1', 1, t, c, u);
    expect(() => visit.run('R2', 1, t, c, u)).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO visit_answers (visit_id, question_id, first_answer, answered_at) VALUES (1, 'q', 'maybe', 'now')").run()).toThrow(/CHECK/);
    db.close();
  });

  it('006 trust: the audit log is append-only', () => {
    const db = stepTo(6);
    db.prepare("INSERT INTO audit_log (at, action, prev_hash, hash) VALUES ('now', 'sign_in', 'p', 'h')").run();
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/);
    db.close();
  });

  it('010 people: accounts remember their last sign-in; agent codes are indexed for the sales rep scope', () => {
    const db = stepTo(10);
    db.prepare("INSERT INTO users (username, display_name, role, password_hash, created_at, last_sign_in_at) VALUES ('u', 'U', 'sales', 'h', 'now', 'then')").run();
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM policies WHERE agent_code = 'A1'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('policies_agent');
    db.close();
  });

  it('015 due_filter_index: counting overdue open tasks reads the index alone', () => {
    const db = stepTo(15);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM visit_tasks t WHERE t.visit_required = 1 AND t.status NOT IN ('done', 'to_countersign') AND t.due_on < '2026-11-25'")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('COVERING INDEX visit_tasks_due_open');
    db.close();
  });

  it('014 visit_attachments_index: the attachments of a visit are read through an index, not a scan', () => {
    const db = stepTo(14);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id, sha256 FROM visit_attachments WHERE visit_id = 1 ORDER BY id').all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('visit_attachments_visit');
    db.close();
  });

  it('011 sync: an install id, finalised records from before queued in the outbox, one row per key', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-mig-'));
    const file = path.join(dir, 'm.sqlite');
    const v10 = openDatabase({ key: null, file, migrateTo: 10 });
    const c = v10.prepare("INSERT INTO customers (name, created_at) VALUES ('张三', 'now')").run().lastInsertRowid;
    const u = v10.prepare("INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES ('u', 'U', 'staff', 'h', 'now')").run().lastInsertRowid;
    const visit = v10.prepare("INSERT INTO visits (record_no, version, customer_id, kind, template_id, template_version, visitor_id, state, finalised_at, created_at, updated_at) VALUES (?, 1, ?, 'key_client', 'key_client', 1, ?, ?, 'then', 'now', 'now')");
    visit.run('R1', c, u, 'finalised');
    visit.run('R2', c, u, 'draft');
    v10.close();
    const db = openDatabase({ key: null, file, migrateTo: 11 });
    const installId = db.prepare('SELECT install_id FROM sync_state').pluck().get() as string;
    expect(installId).toMatch(/^[0-9a-f-]{36}$/);
    expect(db.prepare('SELECT record_key, state FROM outbox').all()).toEqual([{ record_key: `${installId}/R1/1`, state: 'pending' }]);
    expect(() => db.prepare("INSERT INTO outbox (visit_id, record_key, queued_at) VALUES (2, ?, 'now')").run(`${installId}/R1/1`)).toThrow(/UNIQUE/);
    db.close();
  });

  it('012 problem_lifecycle: existing cases get their opened event; new ones from a visit get it by trigger; the history is append-only', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-mig-'));
    const file = path.join(dir, 'm.sqlite');
    const v11 = openDatabase({ key: null, file, migrateTo: 11 });
    const c = v11.prepare("INSERT INTO customers (name, created_at) VALUES ('张三', 'now')").run().lastInsertRowid;
    const u = v11.prepare("INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES ('u', 'U', 'staff', 'h', 'now')").run().lastInsertRowid;
    const v = v11.prepare("INSERT INTO visits (record_no, version, customer_id, kind, template_id, template_version, visitor_id, state, outcome, finalised_at, created_at, updated_at) VALUES ('R1', 1, ?, 'key_client', 'key_client', 1, ?, 'finalised', 'problem', 't1', 'now', 'now')").run(c, u).lastInsertRowid;
    v11.prepare("INSERT INTO problem_cases (source, visit_id, customer_id, opened_at, due_on) VALUES ('visit', ?, ?, 't1', '2026-11-30')").run(v, c);
    v11.prepare("INSERT INTO problem_cases (source, customer_id, opened_at) VALUES ('import', ?, 't2')").run(c);
    v11.close();
    const db = openDatabase({ key: null, file, migrateTo: 12 });
    expect(db.prepare('SELECT case_id, at, user_id, event FROM problem_case_events ORDER BY id').all()).toEqual([
      { case_id: 1, at: 't1', user_id: Number(u), event: 'opened' },
      { case_id: 2, at: 't2', user_id: null, event: 'opened' },
    ]);
    db.prepare("INSERT INTO problem_cases (source, visit_id, customer_id, opened_at) VALUES ('visit', ?, ?, 't3')").run(v, c);
    db.prepare("INSERT INTO problem_cases (source, customer_id, opened_at) VALUES ('manual', ?, 't4')").run(c);
    expect(db.prepare('SELECT case_id, event FROM problem_case_events WHERE case_id > 2').all()).toEqual([{ case_id: 3, event: 'opened' }]);
    expect(() => db.prepare("UPDATE problem_cases SET explanation_method = 'letter' WHERE id = 1").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE problem_cases SET resolution = 'forgotten' WHERE id = 1").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO problem_case_events (case_id, at, event) VALUES (1, 'now', 'deleted')").run()).toThrow(/CHECK/);
    expect(() => db.prepare('DELETE FROM problem_case_events').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE problem_case_events SET detail = 'x'").run()).toThrow(/append-only/);
    db.close();
  });

  it('013 problem_case_links: a task\'s and a visit\'s problem cases are found by index', () => {
    const db = stepTo(13);
    for (const [col, index] of [['task_id', 'problem_cases_task'], ['visit_id', 'problem_cases_visit']]) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM problem_cases WHERE ${col} = 1`).all() as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toContain(index);
    }
    db.close();
  });

  it('016 drop_duplicate_due_index: the due_on-only index is gone and due-date queries use the wider one', () => {
    const db = stepTo(16);
    const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'visit_tasks'").pluck().all();
    expect(indexes).not.toContain('visit_tasks_due');
    expect(indexes).toContain('visit_tasks_due_open');
    for (const sql of ["SELECT id FROM visit_tasks WHERE due_on < '2026-01-01'", "SELECT count(*) FROM visit_tasks WHERE due_on BETWEEN '2026-01-01' AND '2026-02-01'"]) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toContain('visit_tasks_due_open');
    }
    db.close();
  });

  it('017 deadline_texts: texts kept once; a task from before keeps its own text, and readers see both', () => {
    const db = stepTo(16);
    const c = db.prepare("INSERT INTO customers (name, created_at) VALUES ('张三', 'now')").run().lastInsertRowid;
    const before = db
      .prepare("INSERT INTO visit_tasks (customer_id, kind, cycle, status, due_explanation, deadline_source, created_at, updated_at) VALUES (?, 'key_client', '2025', 'to_contact', '旧说明', '旧依据', 'now', 'now')")
      .run(c).lastInsertRowid;
    db.close();
    const file = path.join(dir, 'm.sqlite');
    const after = openDatabase({ key: null, file, migrateTo: 17 });
    const text = after.prepare('INSERT INTO deadline_texts (text) VALUES (?)');
    const explanation = text.run('新说明').lastInsertRowid;
    const source = text.run('新依据').lastInsertRowid;
    expect(() => text.run('新说明')).toThrow(/UNIQUE/);
    const now = after
      .prepare("INSERT INTO visit_tasks (customer_id, kind, cycle, status, due_explanation_id, deadline_source_id, created_at, updated_at) VALUES (?, 'key_client', '2026', 'to_contact', ?, ?, 'now', 'now')")
      .run(c, explanation, source).lastInsertRowid;
    const read = after.prepare(`SELECT ${DUE_EXPLANATION_SQL} AS explanation, ${DEADLINE_SOURCE_SQL} AS source FROM visit_tasks t WHERE t.id = ?`);
    expect(read.get(before)).toEqual({ explanation: '旧说明', source: '旧依据' });
    expect(read.get(now)).toEqual({ explanation: '新说明', source: '新依据' });
    expect(() => after.prepare('UPDATE visit_tasks SET due_explanation_id = 999 WHERE id = ?').run(now)).toThrow(/FOREIGN KEY/);
    after.close();
  });

  it('018 task_created_by_batch: a task names the list that created it; the list cannot vanish under it', () => {
    const db = stepTo(18);
    const c = db.prepare("INSERT INTO customers (name, created_at) VALUES ('张三', 'now')").run().lastInsertRowid;
    const b = listBatch(db);
    db.prepare("INSERT INTO visit_tasks (customer_id, kind, status, batch_id, created_batch_id, created_at, updated_at) VALUES (?, 'key_client', 'to_contact', ?, ?, 'now', 'now')").run(c, b, b);
    expect(() => db.prepare('DELETE FROM import_batches').run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare('UPDATE visit_tasks SET created_batch_id = 999').run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('019 listed_tasks_indexed_in_bulk: a task from a list waits for its list to index it; any other task is indexed as it is inserted', () => {
    const db = stepTo(19);
    const c = db.prepare("INSERT INTO customers (name, phone, created_at) VALUES ('欧阳娜娜', '13812345678', 'now')").run().lastInsertRowid;
    const b = listBatch(db);
    const find = () => db.prepare('SELECT rowid FROM task_search WHERE task_search MATCH ?').pluck().all('"阳娜娜"');
    const listed = db.prepare("INSERT INTO visit_tasks (customer_id, kind, status, batch_id, created_batch_id, created_at, updated_at) VALUES (?, 'new_policy', 'unassigned', ?, ?, 'now', 'now')").run(c, b, b).lastInsertRowid;
    expect(find()).toEqual([]);
    const manual = db.prepare("INSERT INTO visit_tasks (customer_id, kind, cycle, status, created_at, updated_at) VALUES (?, 'key_client', '2026', 'to_contact', 'now', 'now')").run(c).lastInsertRowid;
    expect(find()).toEqual([manual]);
    // The other triggers still reach a listed task once its list has indexed it.
    db.prepare('INSERT INTO task_search (rowid, name, policy_no, phone) VALUES (?, ?, NULL, ?)').run(listed, '欧阳娜娜', '13812345678');
    db.prepare("UPDATE customers SET name = '欧阳娜' WHERE id = ?").run(c);
    expect(db.prepare('SELECT rowid FROM task_search WHERE task_search MATCH ? ORDER BY rowid').pluck().all('"欧阳娜" NOT "阳娜娜"')).toEqual([listed, manual]);
    db.close();
  });
});
