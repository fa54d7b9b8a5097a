import type { Migration } from './types';

/** The branch's idle auto-lock time (default 5 minutes), set by an administrator. */
export const idleLock: Migration = {
  version: 9,
  name: 'idle_lock',
  up: (db) => {
    db.exec('ALTER TABLE branch ADD COLUMN idle_lock_minutes INTEGER NOT NULL DEFAULT 5 CHECK (idle_lock_minutes BETWEEN 1 AND 120);');
  },
};
