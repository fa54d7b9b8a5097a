import type { TaskDetail } from '../../../../shared/api/contract';
import { call } from '../../api/client';

/**
 * The customer behind a task, for customers.reveal. TaskDetail does not carry the customer's id
 * (yet): until it does, the customer is looked up by name among those this person may see and
 * told apart by masked phone and address; more than one match is refused rather than guessed.
 */
export async function customerIdOf(detail: TaskDetail): Promise<{ id: number } | { error: string | null }> {
  const c = detail.customer as TaskDetail['customer'] & { id?: unknown };
  if (typeof c.id === 'number') return { id: c.id };
  const r = await call('customers.search', { q: c.name });
  if (!r.ok) return { error: r.error.message };
  const same = r.value.customers.filter((x) => x.name === c.name && x.phoneMasked === c.phoneMasked && (x.address ?? null) === (c.address ?? null));
  return same.length === 1 ? { id: same[0]!.id } : { error: null };
}
