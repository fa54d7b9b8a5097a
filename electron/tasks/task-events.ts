import type { Database } from 'better-sqlite3-multiple-ciphers';
import { stmt } from '../db/statements';

export type TaskEventKind = 'created' | 'updated' | 'assigned' | 'booked' | 'appointment_cancelled' | 'attempt' | 'phone_corrected' | 'unable_recorded';

/** What a task's history says of its creation by a head-office list (see migration 018). */
export const CREATED_FROM_LIST = '由总公司清单导入';

export interface FieldChange {
  field: string;
  oldValue: string | null;
  newValue: string | null;
}

/** Appends one entry to a task's history, with the field-level changes if any. */
export function recordTaskEvent(
  db: Database,
  e: { taskId: number; at: string; userId: number | null; event: TaskEventKind; summary: string; batchId?: number | null; changes?: readonly FieldChange[] },
): void {
  const id = stmt(db, 'INSERT INTO task_events (task_id, at, user_id, event, batch_id, summary) VALUES (?, ?, ?, ?, ?, ?)').run(e.taskId, e.at, e.userId, e.event, e.batchId ?? null, e.summary).lastInsertRowid;
  const insert = stmt(db, 'INSERT INTO task_event_changes (event_id, field, old_value, new_value) VALUES (?, ?, ?, ?)');
  for (const c of e.changes ?? []) insert.run(id, c.field, c.oldValue, c.newValue);
}
