import type { Migration } from './types';

/**
 * People and their clients: when each account last signed in (for the administrator's list),
 * and an index so a sales rep's "own clients" (policies carrying their agent code) is a lookup.
 */
export const people: Migration = {
  version: 10,
  name: 'people',
  up: (db) => {
    db.exec(`
      ALTER TABLE users ADD COLUMN last_sign_in_at TEXT;
      CREATE INDEX policies_agent ON policies (agent_code) WHERE agent_code IS NOT NULL;
      CREATE INDEX users_employee_no ON users (employee_no) WHERE employee_no IS NOT NULL;
    `);
  },
};
