import type { Migration } from './types';

/**
 * The problem case (问题件) from opening to closure (DOMAIN.md, 问题件; 山东 三; 客户回访规范与管理):
 * a designated handler who is not the policy's sales agent, the explanation (by phone with a
 * recording, or in person with a questionnaire signed by the applicant), the second visit that
 * closes it, the resolution, and escalation when the 3-working-day deadline passes. Every step is
 * an append-only event. Cases opened elsewhere (a visit finalised with a problem outcome, head
 * office's decision through sync) get their 'opened' event from a trigger, so no opener can forget it.
 */
export const problemLifecycle: Migration = {
  version: 12,
  name: 'problem_lifecycle',
  up: (db) => {
    db.exec(`
      ALTER TABLE problem_cases ADD COLUMN handler_id INTEGER REFERENCES users (id);
      ALTER TABLE problem_cases ADD COLUMN description TEXT;
      ALTER TABLE problem_cases ADD COLUMN explanation_method TEXT CHECK (explanation_method IN ('phone', 'in_person'));
      ALTER TABLE problem_cases ADD COLUMN recording_ref TEXT;
      ALTER TABLE problem_cases ADD COLUMN explanation_note TEXT;
      ALTER TABLE problem_cases ADD COLUMN explanation_visit_id INTEGER REFERENCES visits (id);
      ALTER TABLE problem_cases ADD COLUMN explained_at TEXT;
      ALTER TABLE problem_cases ADD COLUMN second_visit_id INTEGER REFERENCES visits (id);
      ALTER TABLE problem_cases ADD COLUMN resolution TEXT CHECK (resolution IN ('explained_accepted', 'surrender_cooling_off', 'complaint_transferred', 'other'));
      ALTER TABLE problem_cases ADD COLUMN resolution_note TEXT;
      ALTER TABLE problem_cases ADD COLUMN closed_at TEXT;
      ALTER TABLE problem_cases ADD COLUMN escalated_at TEXT;
      CREATE INDEX problem_cases_state_due ON problem_cases (state, due_on);
      CREATE INDEX problem_cases_customer ON problem_cases (customer_id);
      CREATE INDEX problem_cases_handler ON problem_cases (handler_id);

      CREATE TABLE problem_case_events (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES problem_cases (id),
        at TEXT NOT NULL,
        -- NULL for what the system does (escalation) or head office decided.
        user_id INTEGER REFERENCES users (id),
        event TEXT NOT NULL CHECK (event IN ('opened', 'assigned', 'explained', 'second_visit', 'closed', 'reopened', 'escalated')),
        detail TEXT
      ) STRICT;
      CREATE INDEX problem_case_events_case ON problem_case_events (case_id, id);

      -- The history is evidence: it is added to, never changed.
      CREATE TRIGGER problem_case_events_no_update BEFORE UPDATE ON problem_case_events
      BEGIN SELECT RAISE(ABORT, 'problem_case_events is append-only'); END;
      CREATE TRIGGER problem_case_events_no_delete BEFORE DELETE ON problem_case_events
      BEGIN SELECT RAISE(ABORT, 'problem_case_events is append-only'); END;

      -- Cases opened by a finalised visit or by head office: their 'opened' event. A manual case
      -- writes its own, with the person who opened it.
      CREATE TRIGGER problem_cases_opened AFTER INSERT ON problem_cases WHEN NEW.source != 'manual'
      BEGIN
        INSERT INTO problem_case_events (case_id, at, user_id, event, detail)
        VALUES (NEW.id, NEW.opened_at, (SELECT visitor_id FROM visits WHERE id = NEW.visit_id), 'opened',
                CASE NEW.source WHEN 'visit' THEN '面访记录定稿，回访结果为问题件' ELSE '总公司下发问题件' END);
      END;

      INSERT INTO problem_case_events (case_id, at, user_id, event, detail)
      SELECT pc.id, pc.opened_at, (SELECT visitor_id FROM visits WHERE id = pc.visit_id), 'opened',
             CASE pc.source WHEN 'visit' THEN '面访记录定稿，回访结果为问题件' WHEN 'import' THEN '总公司下发问题件' ELSE '手工登记问题件' END
      FROM problem_cases pc ORDER BY pc.id;
    `);
  },
};
