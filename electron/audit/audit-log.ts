import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { stmt } from '../db/statements';

export type AuditAction =
  | 'sign_in'
  | 'sign_in_failed'
  | 'account_locked'
  | 'visit_finalised'
  | 'visit_corrected'
  | 'visit_countersigned'
  | 'visit_returned'
  | 'import'
  | 'calendar_loaded'
  | 'template_imported';

export interface AuditEntry {
  id: number;
  at: string;
  user_id: number | null;
  username: string | null;
  action: string;
  object_type: string | null;
  object_id: number | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

function entryHash(e: Omit<AuditEntry, 'id' | 'hash'>): string {
  return createHash('sha256')
    .update(JSON.stringify([e.prev_hash, e.at, e.user_id, e.username, e.action, e.object_type, e.object_id, e.detail]))
    .digest('hex');
}

/**
 * The append-only, hash-chained audit log: who did what and when. Personal data is never written
 * into `detail` (ids and counts only), so the log itself leaks nothing.
 */
export function createAuditLog(db: Database, now: () => Date) {
  return {
    append(e: { userId: number | null; username: string | null; action: AuditAction; objectType?: string; objectId?: number; detail?: string }): void {
      const prev = (stmt(db, 'SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined) ?? GENESIS;
      const entry = {
        at: now().toISOString(),
        user_id: e.userId,
        username: e.username,
        action: e.action,
        object_type: e.objectType ?? null,
        object_id: e.objectId ?? null,
        detail: e.detail ?? null,
        prev_hash: prev,
      };
      stmt(db, 'INSERT INTO audit_log (at, user_id, username, action, object_type, object_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        entry.at, entry.user_id, entry.username, entry.action, entry.object_type, entry.object_id, entry.detail, entry.prev_hash, entryHash(entry),
      );
    },

    /** Walks the chain from the start; returns the first broken entry, or null when it holds. */
    verify(): { id: number; message: string } | null {
      let prev = GENESIS;
      for (const e of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditEntry>) {
        if (e.prev_hash !== prev) return { id: e.id, message: `审计日志第 ${e.id} 条之前的记录被删除或改动（链接断开）` };
        if (entryHash(e) !== e.hash) return { id: e.id, message: `审计日志第 ${e.id} 条的内容被改动` };
        prev = e.hash;
      }
      return null;
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
