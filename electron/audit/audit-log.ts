import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { AuditEntryView } from '../../shared/api/contract';
import { stmt } from '../db/statements';

export type { AuditAction } from '../../shared/domain/audit-actions';
import type { AuditAction } from '../../shared/domain/audit-actions';

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

    list(q: { action?: string | undefined; userId?: number | undefined; from?: string | undefined; to?: string | undefined; offset: number; limit: number }): {
      entries: AuditEntryView[];
      total: number;
    } {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (q.action) {
        where.push('action = ?');
        params.push(q.action);
      }
      if (q.userId) {
        where.push('user_id = ?');
        params.push(q.userId);
      }
      // Entries are stored in UTC; the filter's dates are the branch's (UTC+8) calendar days.
      if (q.from) {
        where.push('at >= ?');
        params.push(new Date(`${q.from}T00:00:00+08:00`).toISOString());
      }
      if (q.to) {
        where.push('at < ?');
        params.push(new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000).toISOString());
      }
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = db.prepare(`SELECT count(*) FROM audit_log ${filter}`).pluck().get(...params) as number;
      const rows = db.prepare(`SELECT * FROM audit_log ${filter} ORDER BY id DESC LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as AuditEntry[];
      return {
        total,
        entries: rows.map((e) => ({ id: e.id, at: e.at, userId: e.user_id, username: e.username, action: e.action, objectType: e.object_type, objectId: e.object_id, detail: e.detail })),
      };
    },

    /** The content hash each record had when it was finalised, as the chain recorded it. */
    finalisedHashes(): Map<number, string> {
      const m = new Map<number, string>();
      for (const e of db.prepare("SELECT object_id, detail FROM audit_log WHERE action = 'visit_finalised' AND object_id IS NOT NULL").all() as { object_id: number; detail: string | null }[]) {
        if (e.detail) m.set(e.object_id, e.detail);
      }
      return m;
    },

    /** Walks the chain from the start; returns the first broken entry, or null when it holds. */
    verify(): { id: number; message: string } | null {
      return this.walk().broken;
    },

    /** The chain walk with its length, for the administrator's report. */
    walk(): { entries: number; broken: { id: number; message: string } | null } {
      let prev = GENESIS;
      let entries = 0;
      for (const e of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditEntry>) {
        entries++;
        if (e.prev_hash !== prev) return { entries, broken: { id: e.id, message: `审计日志第 ${e.id} 条之前的记录被删除或改动（链接断开）` } };
        if (entryHash(e) !== e.hash) return { entries, broken: { id: e.id, message: `审计日志第 ${e.id} 条的内容被改动` } };
        prev = e.hash;
      }
      return { entries, broken: null };
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
