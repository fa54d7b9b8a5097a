import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../database';

let dir = '';
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 002 rules_and_calendar', () => {
  it('keeps version-1 data and adds calendar, questionnaire and task-fact storage', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-mig-'));
    const file = path.join(dir, 'm.sqlite');
    const v1 = openDatabase({ key: null, file, migrateTo: 1 });
    const c = v1.prepare("INSERT INTO customers (name, created_at) VALUES ('李四', 'now')").run().lastInsertRowid;
    v1.prepare("INSERT INTO visit_tasks (customer_id, kind, status, created_at, updated_at) VALUES (?, 'key_client', 'to_contact', 'now', 'now')").run(c);
    v1.close();

    const db = openDatabase({ key: null, file, migrateTo: 2 });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const task = db.prepare('SELECT kind, visit_required, due_warnings FROM visit_tasks').get();
    expect(task).toEqual({ kind: 'key_client', visit_required: 1, due_warnings: null });

    db.prepare("INSERT INTO calendar_loads (year, file_name, file_sha256, loaded_at) VALUES (2027, '2027.xlsx', 'x', 'now')").run();
    db.prepare("INSERT INTO calendar_days (date, year, kind, name) VALUES ('2027-01-01', 2027, 'holiday', '元旦')").run();
    expect(() => db.prepare("INSERT INTO calendar_days (date, year, kind, name) VALUES ('2027-01-02', 2027, 'rest', '元旦')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO calendar_days (date, year, kind, name) VALUES ('2028-01-01', 2028, 'holiday', '元旦')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("UPDATE visit_tasks SET payment_method = 'cheque'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO questionnaire_questions (template_id, version, position, question_id, text, expected, category, required) VALUES ('x', 1, 0, 'q', 't', 'yes', 'c', 1)").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
