import type { Migration } from './types';

/**
 * Search by customer name, policy number or phone fragment over a million tasks, as the user
 * types: an FTS5 trigram index (substring match from 3 characters), kept in step by triggers.
 * Shorter queries (a two-character Chinese name) use the name index as a prefix search instead.
 */
export const taskSearch: Migration = {
  version: 5,
  name: 'task_search',
  up: (db) => {
    db.exec(`
      CREATE VIRTUAL TABLE task_search USING fts5 (name, policy_no, phone, tokenize = 'trigram');
      CREATE INDEX customers_name ON customers (name);

      INSERT INTO task_search (rowid, name, policy_no, phone)
        SELECT t.id, c.name, p.policy_no, c.phone FROM visit_tasks t JOIN customers c ON c.id = t.customer_id LEFT JOIN policies p ON p.id = t.policy_id;

      CREATE TRIGGER task_search_insert AFTER INSERT ON visit_tasks BEGIN
        INSERT INTO task_search (rowid, name, policy_no, phone)
          SELECT NEW.id, c.name, (SELECT policy_no FROM policies WHERE id = NEW.policy_id), c.phone FROM customers c WHERE c.id = NEW.customer_id;
      END;
      CREATE TRIGGER task_search_delete AFTER DELETE ON visit_tasks BEGIN
        DELETE FROM task_search WHERE rowid = OLD.id;
      END;
      CREATE TRIGGER task_search_customer AFTER UPDATE OF name, phone ON customers BEGIN
        UPDATE task_search SET name = NEW.name, phone = NEW.phone WHERE rowid IN (SELECT id FROM visit_tasks WHERE customer_id = NEW.id);
      END;
      CREATE TRIGGER task_search_policy AFTER UPDATE OF policy_no ON policies BEGIN
        UPDATE task_search SET policy_no = NEW.policy_no WHERE rowid IN (SELECT id FROM visit_tasks WHERE policy_id = NEW.id);
      END;
      CREATE TRIGGER task_search_task_policy AFTER UPDATE OF policy_id, customer_id ON visit_tasks BEGIN
        UPDATE task_search SET
          name = (SELECT name FROM customers WHERE id = NEW.customer_id),
          phone = (SELECT phone FROM customers WHERE id = NEW.customer_id),
          policy_no = (SELECT policy_no FROM policies WHERE id = NEW.policy_id)
        WHERE rowid = NEW.id;
      END;
    `);
  },
};
