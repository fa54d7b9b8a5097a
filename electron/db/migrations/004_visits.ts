import type { Migration } from './types';

/**
 * The visit itself: the in-person questionnaire's answers, the record sheet, signatures with their
 * strokes, attachments, and the problem case a visit opens. A finalised record is frozen; a
 * correction is a new version pointing at the old one.
 */
export const visits: Migration = {
  version: 4,
  name: 'visits',
  up: (db) => {
    db.exec(`
      CREATE TABLE visits (
        id INTEGER PRIMARY KEY,
        record_no TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
        previous_id INTEGER REFERENCES visits (id),
        correction_reason TEXT,
        task_id INTEGER REFERENCES visit_tasks (id),
        customer_id INTEGER NOT NULL REFERENCES customers (id),
        policy_id INTEGER REFERENCES policies (id),
        kind TEXT NOT NULL,
        product_type TEXT,
        template_id TEXT NOT NULL,
        template_version INTEGER NOT NULL,
        visitor_id INTEGER NOT NULL REFERENCES users (id),
        place_kind TEXT CHECK (place_kind IN ('home', 'office', 'branch_counter', 'other')),
        visited_at TEXT,
        respondent_kind TEXT CHECK (respondent_kind IN ('in_person', 'family_member')),
        respondent_name TEXT,
        respondent_position TEXT,
        relationship TEXT,
        relationship_note TEXT,
        family_reason TEXT,
        family_reason_note TEXT,
        authorisation TEXT,
        authorisation_note TEXT,
        -- 客户回访记录表 (XX保险…客户回访管理办法 附件一)
        sheet_customer_name TEXT,
        sheet_policy_no TEXT,
        sheet_visitor TEXT,
        sheet_interviewee TEXT,
        sheet_place TEXT,
        sheet_phone TEXT,
        sheet_summary TEXT,
        sheet_feedback TEXT,
        sheet_follow_up TEXT,
        sheet_remarks TEXT,
        -- key-client variant (第8条)
        sheet_risk_control TEXT,
        sheet_coverage_needs TEXT,
        sheet_claims_service TEXT,
        sheet_new_needs TEXT,
        state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'finalised', 'superseded')),
        outcome TEXT CHECK (outcome IN ('success', 'problem', 'not_completed', 'incomplete')),
        content_hash TEXT,
        finalised_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (record_no, version)
      ) STRICT;
      CREATE INDEX visits_task ON visits (task_id);
      CREATE INDEX visits_state ON visits (state, finalised_at);
      -- At most one open draft per task, so reopening a task resumes it.
      CREATE UNIQUE INDEX visits_one_draft_per_task ON visits (task_id) WHERE state = 'draft' AND task_id IS NOT NULL;

      CREATE TABLE visit_answers (
        visit_id INTEGER NOT NULL REFERENCES visits (id),
        question_id TEXT NOT NULL,
        first_answer TEXT CHECK (first_answer IN ('yes', 'no', 'unclear')),
        after_explanation TEXT CHECK (after_explanation IN ('yes', 'no', 'unclear')),
        note TEXT,
        answered_at TEXT NOT NULL,
        PRIMARY KEY (visit_id, question_id)
      ) STRICT;

      CREATE TABLE visit_outcome_categories (
        visit_id INTEGER NOT NULL REFERENCES visits (id),
        category TEXT NOT NULL,
        PRIMARY KEY (visit_id, category)
      ) STRICT;

      CREATE TABLE visit_signatures (
        id INTEGER PRIMARY KEY,
        visit_id INTEGER NOT NULL REFERENCES visits (id),
        role TEXT NOT NULL CHECK (role IN ('customer', 'staff')),
        signer_name TEXT NOT NULL,
        signed_at TEXT NOT NULL,
        png BLOB NOT NULL,
        -- The record's content hash at the moment of signing: the signature is bound to it.
        content_hash TEXT NOT NULL,
        -- SHA-256 over the image and the strokes, so neither can be swapped unnoticed.
        signature_hash TEXT NOT NULL,
        UNIQUE (visit_id, role)
      ) STRICT;
      CREATE TABLE visit_signature_points (
        signature_id INTEGER NOT NULL REFERENCES visit_signatures (id) ON DELETE CASCADE,
        stroke INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        x REAL NOT NULL,
        y REAL NOT NULL,
        t REAL NOT NULL,
        pressure REAL,
        PRIMARY KEY (signature_id, stroke, seq)
      ) STRICT;

      CREATE TABLE visit_attachments (
        id INTEGER PRIMARY KEY,
        visit_id INTEGER NOT NULL REFERENCES visits (id),
        kind TEXT NOT NULL CHECK (kind IN ('photo', 'scan', 'audio')),
        file_name TEXT NOT NULL,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size > 0),
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE problem_cases (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL CHECK (source IN ('visit', 'import', 'manual')),
        visit_id INTEGER REFERENCES visits (id),
        task_id INTEGER REFERENCES visit_tasks (id),
        customer_id INTEGER NOT NULL REFERENCES customers (id),
        policy_id INTEGER REFERENCES policies (id),
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'explained', 'closed', 'reopened')),
        opened_at TEXT NOT NULL,
        due_on TEXT,
        due_explanation TEXT
      ) STRICT;
      CREATE TABLE problem_case_categories (
        case_id INTEGER NOT NULL REFERENCES problem_cases (id),
        category TEXT NOT NULL,
        PRIMARY KEY (case_id, category)
      ) STRICT;
    `);
  },
};
