import type { Database } from 'better-sqlite3-multiple-ciphers';

/** One schema step. Migrations are additive and ordered; `version` is the user_version after it. */
export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}
