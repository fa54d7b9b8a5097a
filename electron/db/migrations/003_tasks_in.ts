import type { Migration } from './types';

/**
 * Visit tasks in: the import log and remembered column mappings, the history kept for each task,
 * appointments, the contact-attempt log and corrected phone numbers.
 */
export const tasksIn: Migration = {
  version: 3,
  name: 'tasks_in',
  up: (db) => {
    db.exec(`
      CREATE TABLE import_batches (
        id INTEGER PRIMARY KEY,
        file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        file_size INTEGER NOT NULL,
        header_signature TEXT NOT NULL,
        default_kind TEXT NOT NULL,
        imported_by INTEGER NOT NULL REFERENCES users (id),
        imported_at TEXT NOT NULL,
        rows_total INTEGER NOT NULL,
        rows_created INTEGER NOT NULL,
        rows_updated INTEGER NOT NULL,
        rows_unchanged INTEGER NOT NULL,
        rows_invalid INTEGER NOT NULL,
        rows_duplicate INTEGER NOT NULL
      ) STRICT;

      -- The mapping a user confirmed for a sender's header layout, offered again next time.
      CREATE TABLE import_mappings (
        header_signature TEXT NOT NULL,
        field TEXT NOT NULL,
        column_index INTEGER NOT NULL CHECK (column_index >= 0),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (header_signature, field)
      ) STRICT;
      CREATE TABLE import_mapping_kinds (
        header_signature TEXT PRIMARY KEY,
        default_kind TEXT NOT NULL
      ) STRICT;

      ALTER TABLE policies ADD COLUMN print_date TEXT;
      ALTER TABLE policies ADD COLUMN receipt_entry_date TEXT;
      ALTER TABLE policies ADD COLUMN beneficiary_name TEXT;
      ALTER TABLE policies ADD COLUMN branch_org TEXT;
      ALTER TABLE visit_tasks ADD COLUMN problem_description TEXT;
      ALTER TABLE visit_tasks ADD COLUMN batch_id INTEGER REFERENCES import_batches (id);
      -- Why the visit could not be completed once phone, letter and home visit all failed.
      ALTER TABLE visit_tasks ADD COLUMN unable_reason TEXT;

      -- Every change to a task, with who and when; imports record the batch.
      CREATE TABLE task_events (
        id INTEGER PRIMARY KEY,
        task_id INTEGER NOT NULL REFERENCES visit_tasks (id),
        at TEXT NOT NULL,
        user_id INTEGER REFERENCES users (id),
        event TEXT NOT NULL CHECK (event IN ('created', 'updated', 'assigned', 'booked', 'appointment_cancelled', 'attempt', 'phone_corrected', 'unable_recorded')),
        batch_id INTEGER REFERENCES import_batches (id),
        summary TEXT NOT NULL
      ) STRICT;
      CREATE INDEX task_events_task ON task_events (task_id, at);
      CREATE TABLE task_event_changes (
        event_id INTEGER NOT NULL REFERENCES task_events (id),
        field TEXT NOT NULL,
        old_value TEXT,
        new_value TEXT,
        PRIMARY KEY (event_id, field)
      ) STRICT;

      CREATE TABLE appointments (
        id INTEGER PRIMARY KEY,
        task_id INTEGER NOT NULL REFERENCES visit_tasks (id),
        user_id INTEGER NOT NULL REFERENCES users (id),
        -- Local date and time at the branch, 'YYYY-MM-DD HH:MM'.
        starts_at TEXT NOT NULL,
        place TEXT NOT NULL,
        contact_person TEXT NOT NULL,
        note TEXT,
        status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled', 'done')),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX appointments_user ON appointments (user_id, starts_at);
      CREATE INDEX appointments_task ON appointments (task_id);

      -- The attempt log is evidence when a visit cannot be completed (重庆…办法 第六条).
      CREATE TABLE contact_attempts (
        id INTEGER PRIMARY KEY,
        task_id INTEGER NOT NULL REFERENCES visit_tasks (id),
        user_id INTEGER NOT NULL REFERENCES users (id),
        method TEXT NOT NULL CHECK (method IN ('phone', 'sms', 'letter', 'home_visit')),
        attempted_at TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('not_answered', 'wrong_number', 'refused', 'dialect', 'reached', 'booked')),
        phone_dialled TEXT,
        note TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX contact_attempts_task ON contact_attempts (task_id, attempted_at);

      -- A corrected number keeps the old one.
      CREATE TABLE customer_phone_changes (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers (id),
        old_phone TEXT,
        new_phone TEXT NOT NULL,
        reason TEXT NOT NULL,
        changed_by INTEGER REFERENCES users (id),
        changed_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
