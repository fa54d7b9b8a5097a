import { randomUUID } from 'node:crypto';
import type { Migration } from './types';

/**
 * Sync with head office: this installation's identity and enrolment, the transactional outbox of
 * finalised records, head office's decisions, and the link from a task to head office's id.
 * Records finalised before this version are queued too, so they still reach head office.
 */
export const sync: Migration = {
  version: 11,
  name: 'sync',
  up: (db) => {
    db.exec(`
      CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        install_id TEXT NOT NULL,
        server_url TEXT,
        branch_code TEXT,
        device_id TEXT,
        device_name TEXT,
        device_token TEXT,
        enrolled_at TEXT,
        -- Opaque position in head office's change feed; advanced only with the changes it covers.
        cursor TEXT NOT NULL DEFAULT '0',
        last_attempt_at TEXT,
        last_success_at TEXT,
        last_error TEXT,
        -- Back-off after a failure: automatic runs wait until then ("sync now" does not).
        retry_at TEXT,
        failures INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        visit_id INTEGER NOT NULL UNIQUE REFERENCES visits (id),
        -- Idempotency key <install_id>/<record_no>/<version>: the same key always means the same content.
        record_key TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
        answer TEXT CHECK (answer IN ('accepted', 'duplicate', 'conflict', 'rejected')),
        attempts INTEGER NOT NULL DEFAULT 0,
        error_code TEXT,
        error_message TEXT,
        queued_at TEXT NOT NULL,
        last_attempt_at TEXT,
        delivered_at TEXT
      ) STRICT;
      CREATE INDEX outbox_state ON outbox (state, id);

      CREATE TABLE hq_decisions (
        id INTEGER PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        record_key TEXT NOT NULL,
        visit_id INTEGER REFERENCES visits (id),
        decision TEXT NOT NULL CHECK (decision IN ('accepted', 'returned', 'problem_opened')),
        reason TEXT,
        decided_at TEXT NOT NULL,
        received_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX hq_decisions_visit ON hq_decisions (visit_id);
      CREATE TABLE hq_decision_categories (
        decision_id INTEGER NOT NULL REFERENCES hq_decisions (id),
        category TEXT NOT NULL,
        PRIMARY KEY (decision_id, category)
      ) STRICT;

      ALTER TABLE visit_tasks ADD COLUMN hq_task_id TEXT;
      CREATE UNIQUE INDEX visit_tasks_hq ON visit_tasks (hq_task_id) WHERE hq_task_id IS NOT NULL;
    `);
    const installId = randomUUID();
    db.prepare('INSERT INTO sync_state (id, install_id) VALUES (1, ?)').run(installId);
    db.prepare(
      `INSERT INTO outbox (visit_id, record_key, queued_at)
       SELECT id, ? || '/' || record_no || '/' || version, ifnull(finalised_at, updated_at) FROM visits WHERE state != 'draft' ORDER BY id`,
    ).run(installId);
  },
};
