import type { Migration } from './types';

/**
 * The rule engine's inputs and outputs: administrator-loaded calendar years, imported
 * questionnaire versions, and the facts each task's deadline is computed from (so deadlines can
 * be recomputed when the facts or the calendar change).
 */
export const rulesAndCalendar: Migration = {
  version: 2,
  name: 'rules_and_calendar',
  up: (db) => {
    db.exec(`
      -- A year's public holidays and make-up working days (调休上班), loaded by an administrator;
      -- a loaded year replaces the shipped data for that year.
      CREATE TABLE calendar_loads (
        year INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2199),
        file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        loaded_by INTEGER REFERENCES users (id),
        loaded_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE calendar_days (
        date TEXT PRIMARY KEY,
        year INTEGER NOT NULL REFERENCES calendar_loads (year) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('holiday', 'makeup_workday')),
        name TEXT NOT NULL
      ) STRICT;
      CREATE INDEX calendar_days_year ON calendar_days (year);

      -- Questionnaire versions imported by an administrator (the shipped ones live in code as data).
      CREATE TABLE questionnaire_templates (
        template_id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        name TEXT NOT NULL,
        source TEXT,
        file_name TEXT NOT NULL,
        imported_by INTEGER REFERENCES users (id),
        imported_at TEXT NOT NULL,
        PRIMARY KEY (template_id, version)
      ) STRICT;
      CREATE TABLE questionnaire_template_kinds (
        template_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        visit_kind TEXT NOT NULL,
        PRIMARY KEY (template_id, version, visit_kind),
        FOREIGN KEY (template_id, version) REFERENCES questionnaire_templates (template_id, version)
      ) STRICT;
      -- A template proposed only for some product types.
      CREATE TABLE questionnaire_template_products (
        template_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        product_type TEXT NOT NULL,
        PRIMARY KEY (template_id, version, product_type),
        FOREIGN KEY (template_id, version) REFERENCES questionnaire_templates (template_id, version)
      ) STRICT;
      CREATE TABLE questionnaire_questions (
        template_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        position INTEGER NOT NULL,
        question_id TEXT NOT NULL,
        text TEXT NOT NULL,
        expected TEXT NOT NULL CHECK (expected IN ('yes', 'no')),
        category TEXT NOT NULL,
        required INTEGER NOT NULL CHECK (required IN (0, 1)),
        explanation_can_resolve INTEGER CHECK (explanation_can_resolve IN (0, 1)),
        hint TEXT,
        source TEXT,
        PRIMARY KEY (template_id, version, position),
        UNIQUE (template_id, version, question_id),
        FOREIGN KEY (template_id, version) REFERENCES questionnaire_templates (template_id, version)
      ) STRICT;
      -- A question shown only for some product types (分红 / 万能 / 投连).
      CREATE TABLE questionnaire_question_products (
        template_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        question_id TEXT NOT NULL,
        product_type TEXT NOT NULL,
        PRIMARY KEY (template_id, version, question_id, product_type),
        FOREIGN KEY (template_id, version, question_id) REFERENCES questionnaire_questions (template_id, version, question_id)
      ) STRICT;

      -- Policy facts the new-policy and call-list rules need.
      ALTER TABLE policies ADD COLUMN term_years INTEGER CHECK (term_years > 0);
      ALTER TABLE policies ADD COLUMN expiry_date TEXT;
      ALTER TABLE policies ADD COLUMN cooling_off_days INTEGER CHECK (cooling_off_days BETWEEN 10 AND 60);

      -- Task facts: the event the deadline counts from, and the kind-specific facts.
      ALTER TABLE visit_tasks ADD COLUMN event_date TEXT;
      ALTER TABLE visit_tasks ADD COLUMN amount_cents INTEGER CHECK (amount_cents >= 0);
      ALTER TABLE visit_tasks ADD COLUMN payment_method TEXT CHECK (payment_method IN ('cash', 'bank_transfer'));
      ALTER TABLE visit_tasks ADD COLUMN payee TEXT CHECK (payee IN ('applicant', 'beneficiary'));
      ALTER TABLE visit_tasks ADD COLUMN paid_in_person INTEGER CHECK (paid_in_person IN (0, 1));
      ALTER TABLE visit_tasks ADD COLUMN juvenile_policy INTEGER CHECK (juvenile_policy IN (0, 1));
      ALTER TABLE visit_tasks ADD COLUMN last_visit_date TEXT;
      -- What the rule engine said; recomputed, never typed by hand.
      ALTER TABLE visit_tasks ADD COLUMN visit_required INTEGER NOT NULL DEFAULT 1 CHECK (visit_required IN (0, 1));
      ALTER TABLE visit_tasks ADD COLUMN due_warnings TEXT;
      ALTER TABLE visit_tasks ADD COLUMN deadline_source TEXT;
      ALTER TABLE visit_tasks ADD COLUMN deadline_computed_at TEXT;
    `);
  },
};
