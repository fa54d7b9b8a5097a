import type { Migration } from './types';

/**
 * The branch manager's countersign (主管会签) and returns. A countersign covers the finalised
 * record's hash (content and both signatures), so a later change breaks the staff's signatures
 * and the manager's alike.
 */
export const countersign: Migration = {
  version: 7,
  name: 'countersign',
  up: (db) => {
    db.exec(`
      CREATE TABLE visit_countersigns (
        id INTEGER PRIMARY KEY,
        visit_id INTEGER NOT NULL UNIQUE REFERENCES visits (id),
        manager_id INTEGER NOT NULL REFERENCES users (id),
        signed_at TEXT NOT NULL,
        record_hash TEXT NOT NULL,
        png BLOB NOT NULL,
        countersign_hash TEXT NOT NULL
      ) STRICT;
      CREATE TABLE visit_countersign_points (
        countersign_id INTEGER NOT NULL REFERENCES visit_countersigns (id),
        stroke INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        x REAL NOT NULL,
        y REAL NOT NULL,
        t REAL NOT NULL,
        pressure REAL,
        PRIMARY KEY (countersign_id, stroke, seq)
      ) STRICT;
      CREATE TABLE visit_returns (
        id INTEGER PRIMARY KEY,
        visit_id INTEGER NOT NULL REFERENCES visits (id),
        manager_id INTEGER NOT NULL REFERENCES users (id),
        returned_at TEXT NOT NULL,
        reason TEXT NOT NULL
      ) STRICT;
      CREATE INDEX visit_returns_visit ON visit_returns (visit_id);
    `);
  },
};
