import type { Migration } from './types';

/**
 * People and trust, first part: sign-in lockout and the tamper-evident audit log. Every entry
 * carries the previous entry's hash, so removing or editing one breaks the chain from there on.
 */
export const trust: Migration = {
  version: 6,
  name: 'trust',
  up: (db) => {
    db.exec(`
      ALTER TABLE users ADD COLUMN failed_signins INTEGER NOT NULL DEFAULT 0 CHECK (failed_signins >= 0);
      ALTER TABLE users ADD COLUMN locked_until TEXT;

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER REFERENCES users (id),
        username TEXT,
        action TEXT NOT NULL,
        object_type TEXT,
        object_id INTEGER,
        detail TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
      ) STRICT;
      -- Append-only: the log refuses edits and deletions at the SQL level too.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
    `);
  },
};
