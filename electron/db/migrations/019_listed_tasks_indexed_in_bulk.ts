import type { Migration } from './types';

/**
 * Tasks written from a list (created_batch_id set) enter the search index in one statement at the
 * end of their list, written by the import writer (see `finish` in import-writer.ts), instead of
 * one trigger run per task. The per-row trigger looked up each task's customer and policy again
 * and left FTS5 a small index segment per thousand-row INSERT to merge later: a fifth of a
 * 100,000-row import. Every other task is still indexed by the trigger as it is inserted.
 */
export const listedTasksIndexedInBulk: Migration = {
  version: 19,
  name: 'listed_tasks_indexed_in_bulk',
  up: (db) => {
    db.exec(`
      DROP TRIGGER task_search_insert;
      CREATE TRIGGER task_search_insert AFTER INSERT ON visit_tasks WHEN NEW.created_batch_id IS NULL BEGIN
        INSERT INTO task_search (rowid, name, policy_no, phone)
          SELECT NEW.id, c.name, (SELECT policy_no FROM policies WHERE id = NEW.policy_id), c.phone FROM customers c WHERE c.id = NEW.customer_id;
      END;
    `);
  },
};
