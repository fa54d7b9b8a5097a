import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCheckpointer } from './checkpointer';
import { keyPragmas, openDatabase, type Database } from './database';

let dir = '';
let db: Database | null = null;
afterEach(() => {
  if (db?.open) db.close();
  db = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

function open() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vd-ckpt-'));
  const file = path.join(dir, 'branch.sqlite');
  const key = crypto.randomBytes(32);
  db = openDatabase({ file, key });
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT');
  return { db, file, key };
}

function fill(d: Database, rows: number) {
  const insert = d.prepare('INSERT INTO filler (text) VALUES (?)');
  d.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`第 ${i} 行`.padEnd(200, '填'));
  })();
}

describe('the checkpoint thread', () => {
  it('copies the log back into the encrypted file on its own thread, the app connection never doing it', async () => {
    const { db, file, key } = open();
    const log = vi.fn();
    const checkpoints = startCheckpointer(db, { file, pragmas: keyPragmas(key), log });
    try {
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      fill(db, 20_000);
      // With SQLite's own checkpointing this commit would have copied the pages already.
      const before = fs.statSync(file).size;
      expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(4 * 1024 * 1024);
      checkpoints.request();
      await checkpoints.idle();
      expect(fs.statSync(file).size).toBeGreaterThan(before + 4 * 1024 * 1024);
      // Nothing left for the app's connection to copy.
      const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
      expect(r!.checkpointed).toBe(r!.log);
      expect(db.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(20_000);
      expect(log).not.toHaveBeenCalled();
    } finally {
      checkpoints.close();
    }
    // The thread's connection is closed by the time close() returns: the app's close is the last
    // one, finishes the log and removes it, and nothing touches the folder afterwards.
    db.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('hands checkpointing back to the app connection when the thread cannot open the database', async () => {
    const { db, file, key } = open();
    const log = vi.fn();
    const checkpoints = startCheckpointer(db, { file, pragmas: keyPragmas(key), nativeBinding: path.join(dir, 'missing.node'), log });
    try {
      await vi.waitFor(() => expect(log).toHaveBeenCalledWith(expect.stringContaining('后台检查点线程不可用')), { timeout: 10_000 });
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
      checkpoints.request();
      await checkpoints.idle();
    } finally {
      checkpoints.close();
    }
  });
});
