import type { Database } from 'better-sqlite3-multiple-ciphers';

/**
 * A task's deadline explanation and cited rule, as SQL over `visit_tasks t`: the text in
 * deadline_texts (migration 017), or — for a deadline computed before it — the text in the row.
 */
export const DUE_EXPLANATION_SQL = 'coalesce(t.due_explanation, (SELECT text FROM deadline_texts WHERE id = t.due_explanation_id))';
export const DEADLINE_SOURCE_SQL = 'coalesce(t.deadline_source, (SELECT text FROM deadline_texts WHERE id = t.deadline_source_id))';

/**
 * Ids for deadline texts, adding each new text once. The ids it remembers are only good inside the
 * caller's transaction (a rollback takes new texts back with it), so make one per transaction.
 */
export function deadlineTextIds(db: Database): (text: string | null) => number | null {
  const upsert = db.prepare<[string], number>('INSERT INTO deadline_texts (text) VALUES (?) ON CONFLICT (text) DO UPDATE SET text = excluded.text RETURNING id').pluck();
  const known = new Map<string, number>();
  return (text) => {
    if (text === null) return null;
    let id = known.get(text);
    if (id === undefined) known.set(text, (id = upsert.get(text)!));
    return id;
  };
}
