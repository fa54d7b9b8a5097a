import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../database';

let dir = '';
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 005 task_search', () => {
  it('indexes existing tasks and keeps the index in step with customers, policies and tasks', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-mig-'));
    const file = path.join(dir, 'm.sqlite');
    const v4 = openDatabase({ key: null, file, migrateTo: 4 });
    const c = v4.prepare("INSERT INTO customers (name, phone, created_at) VALUES ('欧阳娜娜', '13812345678', 'now')").run().lastInsertRowid;
    const p = v4.prepare("INSERT INTO policies (policy_no, applicant_id, product_name, product_type, channel, created_at) VALUES ('P0001234567', ?, 'x', 'traditional', 'individual', 'now')").run(c).lastInsertRowid;
    v4.prepare("INSERT INTO visit_tasks (customer_id, policy_id, kind, status, created_at, updated_at) VALUES (?, ?, 'new_policy', 'to_contact', 'now', 'now')").run(c, p);
    v4.close();

    const db = openDatabase({ key: null, file, migrateTo: 5 });
    const find = (q: string) => db.prepare('SELECT rowid FROM task_search WHERE task_search MATCH ?').pluck().all(`"${q}"`);
    expect(find('阳娜娜')).toEqual([1]);
    expect(find('1234567')).toEqual([1]);
    expect(find('2345678')).toEqual([1]);

    db.prepare("UPDATE customers SET phone = '13900009999' WHERE id = ?").run(c);
    expect(find('2345678')).toEqual([]);
    expect(find('0009999')).toEqual([1]);
    db.prepare("UPDATE policies SET policy_no = 'Q7654321' WHERE id = ?").run(p);
    expect(find('7654321')).toEqual([1]);
    const c2 = db.prepare("INSERT INTO customers (name, phone, created_at) VALUES ('司马光', '13700001111', 'now')").run().lastInsertRowid;
    db.prepare("INSERT INTO visit_tasks (customer_id, kind, status, created_at, updated_at) VALUES (?, 'key_client', 'to_contact', 'now', 'now')").run(c2);
    expect(find('司马光')).toEqual([2]);
    db.prepare('DELETE FROM visit_tasks WHERE id = 2').run();
    expect(find('司马光')).toEqual([]);
    db.close();
  });
});
