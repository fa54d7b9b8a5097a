import type { Migration } from './types';

/**
 * A task's status, a visit's view and deadline recomputation look problem cases up by task and by
 * visit on every change; without these indexes each lookup scanned the table.
 */
export const problemCaseLinks: Migration = {
  version: 13,
  name: 'problem_case_links',
  up: (db) => {
    db.exec(`
      CREATE INDEX problem_cases_task ON problem_cases (task_id) WHERE task_id IS NOT NULL;
      CREATE INDEX problem_cases_visit ON problem_cases (visit_id) WHERE visit_id IS NOT NULL;
    `);
  },
};
