import type { Migration } from './types';

/**
 * The list that created a task. A task's history showed its creation from a 'created' row in
 * task_events, one per imported task — a row and an index entry per task, a tenth of a
 * 100,000-row import's writing, to say what the task's list already says. From here a listed
 * task names its list and its history shows the creation from it (see task-actions.ts); tasks
 * created before keep their 'created' row. visit_tasks.batch_id stays the last list that touched
 * the task.
 */
export const taskCreatedByBatch: Migration = {
  version: 18,
  name: 'task_created_by_batch',
  up: (db) => {
    db.exec('ALTER TABLE visit_tasks ADD COLUMN created_batch_id INTEGER REFERENCES import_batches (id);');
  },
};
