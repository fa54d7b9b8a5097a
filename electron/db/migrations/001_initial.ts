import type { Migration } from './types';

/** The branch, its people, customers, policies and the visit tasks handed down to it. */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up: (db) => {
    db.exec(`
      CREATE TABLE branch (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL COLLATE NOCASE UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('staff', 'sales', 'manager', 'admin')),
        employee_no TEXT,
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE customers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        phone TEXT,
        id_number TEXT,
        address TEXT,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE policies (
        id INTEGER PRIMARY KEY,
        policy_no TEXT NOT NULL UNIQUE,
        applicant_id INTEGER NOT NULL REFERENCES customers (id),
        insured_name TEXT,
        product_name TEXT NOT NULL,
        product_type TEXT NOT NULL CHECK (product_type IN ('traditional', 'participating', 'universal', 'unit_linked')),
        channel TEXT NOT NULL CHECK (channel IN ('individual', 'bancassurance', 'bank_direct', 'group')),
        premium_cents INTEGER CHECK (premium_cents >= 0),
        pay_years INTEGER CHECK (pay_years > 0),
        coverage_period TEXT,
        issue_date TEXT,
        receipt_signed_date TEXT,
        agent_code TEXT,
        agent_name TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX policies_applicant ON policies (applicant_id);

      CREATE TABLE visit_tasks (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers (id),
        policy_id INTEGER REFERENCES policies (id),
        kind TEXT NOT NULL,
        source TEXT,
        -- The visit cycle (e.g. '2026' for a yearly key-client visit), so one list sent twice
        -- updates the same task instead of duplicating it.
        cycle TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        assignee_id INTEGER REFERENCES users (id),
        opens_on TEXT,
        due_on TEXT,
        due_explanation TEXT,
        note TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      -- One task per (customer, policy, kind, cycle), so a list sent twice updates instead of
      -- duplicating. ifnull() because NULLs are distinct in a UNIQUE constraint and key-client
      -- tasks have no policy.
      CREATE UNIQUE INDEX visit_tasks_identity ON visit_tasks (customer_id, ifnull(policy_id, 0), kind, cycle);
      CREATE INDEX visit_tasks_due ON visit_tasks (due_on);
      CREATE INDEX visit_tasks_status ON visit_tasks (status, due_on);
      CREATE INDEX visit_tasks_assignee ON visit_tasks (assignee_id, due_on);
    `);
  },
};
