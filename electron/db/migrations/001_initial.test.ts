import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../database';

let dir = '';
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 001 initial', () => {
  it('creates the branch, people, policy and task tables, STRICT and with their constraints', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-mig-'));
    const db = openDatabase({ key: null, file: path.join(dir, 'm.sqlite'), migrateTo: 1 });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const names = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['branch', 'users', 'customers', 'policies', 'visit_tasks']));

    db.prepare("INSERT INTO branch (id, code, name, created_at) VALUES (1, '3701', '济南', 'now')").run();
    expect(() => db.prepare("INSERT INTO branch (id, code, name, created_at) VALUES (2, '3702', '青岛', 'now')").run()).toThrow(/CHECK/);
    // STRICT: a text in an INTEGER column is refused instead of being stored as text.
    expect(() => db.prepare("INSERT INTO customers (id, name, created_at) VALUES ('abc', '张三', 'now')").run()).toThrow(/datatype/);
    expect(() => db.prepare("INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES ('a', 'A', 'boss', 'h', 'now')").run()).toThrow(/CHECK/);
    const c = db.prepare("INSERT INTO customers (name, created_at) VALUES ('张三', 'now')").run().lastInsertRowid;
    db.prepare("INSERT INTO visit_tasks (customer_id, kind, status, created_at, updated_at) VALUES (?, 'key_client', 'to_contact', 'now', 'now')").run(c);
    // The same task (customer, policy, kind, cycle) cannot be stored twice.
    expect(() => db.prepare("INSERT INTO visit_tasks (customer_id, kind, status, created_at, updated_at) VALUES (?, 'key_client', 'to_contact', 'now', 'now')").run(c)).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO visit_tasks (customer_id, kind, status, created_at, updated_at) VALUES (999, 'key_client', 'to_contact', 'now', 'now')").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
