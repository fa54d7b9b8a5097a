import type { Migration } from './types';

/**
 * visit_tasks_due (due_on) is a prefix of visit_tasks_due_open (due_on, visit_required, status,
 * migration 015): every query it served, the wider index serves as well. Each index is written for
 * every new task, so the spare one cost a 100,000-row import about a quarter of a second.
 */
export const dropDuplicateDueIndex: Migration = {
  version: 16,
  name: 'drop_duplicate_due_index',
  up: (db) => {
    db.exec('DROP INDEX IF EXISTS visit_tasks_due;');
  },
};
