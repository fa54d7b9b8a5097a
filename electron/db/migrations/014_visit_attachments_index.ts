import type { Migration } from './types';

/**
 * Every view of a visit (and so every finalise, sign, countersign and integrity check) reads the
 * visit's attachments several times; without an index each read scanned every attachment the
 * branch ever kept — seconds per read at a million records.
 */
export const visitAttachmentsIndex: Migration = {
  version: 14,
  name: 'visit_attachments_index',
  up: (db) => {
    db.exec('CREATE INDEX visit_attachments_visit ON visit_attachments (visit_id, id);');
  },
};
