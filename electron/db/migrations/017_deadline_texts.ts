import type { Migration } from './types';

/**
 * A task's deadline explanation and the rule it cites are a few hundred bytes of text shared by
 * every task with the same facts: a 100,000-task list held about 80 explanations and a handful of
 * citations, repeated in every row — three quarters of each task row, and as many pages written,
 * encrypted and read. New deadlines keep each text once here and point at it. Rows written before
 * keep their text where it is (rewriting a large branch's tasks at the first start would hold it up
 * for minutes); readers take whichever is filled (see tasks/deadline-texts.ts).
 */
export const deadlineTexts: Migration = {
  version: 17,
  name: 'deadline_texts',
  up: (db) => {
    db.exec(`
      CREATE TABLE deadline_texts (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE) STRICT;
      ALTER TABLE visit_tasks ADD COLUMN due_explanation_id INTEGER REFERENCES deadline_texts (id);
      ALTER TABLE visit_tasks ADD COLUMN deadline_source_id INTEGER REFERENCES deadline_texts (id);
    `);
  },
};
