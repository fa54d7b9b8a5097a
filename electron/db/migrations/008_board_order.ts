import type { Migration } from './types';

/**
 * The task board asks for windows of rows in due-date order (undated last) while it scrolls: an
 * index in exactly that order lets each window be read without sorting the whole table.
 */
export const boardOrder: Migration = {
  version: 8,
  name: 'board_order',
  up: (db) => {
    db.exec(`CREATE INDEX visit_tasks_board_order ON visit_tasks (ifnull(due_on, '9999-12-31'), id);`);
  },
};
