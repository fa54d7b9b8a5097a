import { create, type StateCreator, type StoreApi, type UseBoundStore } from 'zustand';

/**
 * What the renderer holds for the person signed in. Every store or cache that can hold customer
 * data is made here (or registers a reset here), so that sign-out forgets all of it: the next
 * person at the desk must find nothing of the previous one's customers in the page or in memory.
 */

const resets = new Set<() => void>();

/** Registers something to forget at sign-out (a module-level cache, a sequence to invalidate). */
export function onSignOut(reset: () => void): void {
  resets.add(reset);
}

/**
 * A zustand store whose state belongs to the signed-in person: sign-out puts it back to exactly
 * what it held when it was made. Renderer stores are made with this, never with zustand's create.
 */
export function createSessionStore<T>(init: StateCreator<T, [], []>): UseBoundStore<StoreApi<T>> {
  const store = create<T>()(init);
  const initial = store.getState();
  onSignOut(() => store.setState(initial, true));
  return store;
}

/** Resets every session store and cache registered so far. */
export function clearSessionState(): void {
  for (const reset of resets) reset();
}
