import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataLock } from '../../electron/app/data-lock';
import { createApp } from '../../electron/app/create-app';
import { DATABASE_FILE_NAME, LATEST_VERSION, openDatabase } from '../../electron/db/database';
import { StorageError } from '../../electron/db/storage-error';
import { tempDir } from '../support/temp';
import { spawn } from 'node:child_process';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function folder(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function expectStorageError(fn: () => unknown, problem: StorageError['problem'], mentions: string): StorageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StorageError);
    const e = err as StorageError;
    expect(e.problem).toBe(problem);
    expect(e.message).toContain(mentions);
    expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    return e;
  }
  throw new Error('expected a StorageError');
}

describe('the SQLite store', () => {
  it('creates a database at the latest version with WAL, synchronous=FULL, foreign keys and STRICT tables', () => {
    const db = openDatabase({ key: null, file: path.join(folder(), DATABASE_FILE_NAME) });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      const all = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
      // FTS5 virtual tables and their shadow tables are SQLite's own and cannot be STRICT.
      const virtual = all.filter((t) => t.sql.startsWith('CREATE VIRTUAL TABLE')).map((t) => t.name);
      const tables = all.filter((t) => !virtual.some((v) => t.name === v || t.name.startsWith(`${v}_`)));
      expect(tables.length).toBeGreaterThan(10);
      for (const t of tables) expect(t.sql, `${t.name} must be STRICT`).toMatch(/\)\s*STRICT\s*$/);
    } finally {
      db.close();
    }
  });

  it('re-opening an up-to-date database changes nothing', () => {
    const file = path.join(folder(), DATABASE_FILE_NAME);
    openDatabase({ key: null, file }).close();
    const db = openDatabase({ key: null, file });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    db.close();
  });

  it('refuses a corrupt file with a Chinese message naming it, and leaves it untouched', () => {
    const file = path.join(folder(), DATABASE_FILE_NAME);
    fs.writeFileSync(file, 'this is not a database, it is a spreadsheet someone renamed'.repeat(100));
    const before = sha(file);
    expectStorageError(() => openDatabase({ key: null, file }), 'corrupt', file);
    expect(sha(file)).toBe(before);
  });

  it('refuses a database written by a newer version, and leaves it untouched', () => {
    const file = path.join(folder(), DATABASE_FILE_NAME);
    const db = openDatabase({ key: null, file });
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = sha(file);
    const e = expectStorageError(() => openDatabase({ key: null, file }), 'too_new', file);
    expect(e.message).toContain(String(LATEST_VERSION + 5));
    expect(sha(file)).toBe(before);
  });

  it('refuses a data folder that cannot be written, naming it', () => {
    const blocker = path.join(folder(), 'a-file');
    fs.writeFileSync(blocker, 'x');
    const dataDir = path.join(blocker, 'data');
    expectStorageError(() => createApp({ dataDir, transport: 'browser' }), 'not_writable', dataDir);
  });
});

describe('the data-folder lock', () => {
  it('refuses a second app on the same folder in this process, and allows it after close', () => {
    const dir = folder();
    const first = createApp({ dataDir: dir, transport: 'browser' });
    expectStorageError(() => createApp({ dataDir: dir, transport: 'browser' }), 'in_use', dir);
    first.close();
    createApp({ dataDir: dir, transport: 'browser' }).close();
  });

  it('refuses a folder locked by another live process and takes over a stale lock', async () => {
    const dir = folder();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    cleanups.push(() => other.kill('SIGKILL'));
    await new Promise((r) => other.once('spawn', r));
    fs.writeFileSync(path.join(dir, 'visitdesk.lock'), String(other.pid));
    expectStorageError(() => acquireDataLock(dir), 'in_use', String(other.pid));
    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    const release = acquireDataLock(dir);
    expect(fs.readFileSync(path.join(dir, 'visitdesk.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, 'visitdesk.lock'))).toBe(false);
  });
});
