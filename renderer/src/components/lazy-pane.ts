import { lazy, useState, type LazyExoticComponent } from 'react';

/**
 * Whether a pane whose code is fetched on demand should exist yet: from the first time it opens,
 * and from then on, so that it closes with its animation like a pane that was always there. Until
 * then neither its script nor its styles are loaded, which is what lets the page behind it show
 * first.
 */
export function useOpenedOnce(open: boolean): boolean {
  const [opened, setOpened] = useState(open);
  // Derived state, set during render: React re-renders at once, before anything is painted.
  if (open && !opened) setOpened(true);
  return opened || open;
}

/** Fetches modules the user will probably need soon, once the browser has nothing else to do. */
export function whenIdle(load: () => unknown): () => void {
  const idle = window.requestIdleCallback ?? ((cb: () => void) => window.setTimeout(cb, 300));
  const cancel = window.cancelIdleCallback ?? window.clearTimeout;
  const handle = idle(() => void load(), { timeout: 3000 });
  return () => cancel(handle);
}

/**
 * Fetches what comes after the screen now shown once the person starts using it (first key or
 * pointer press), or after a quiet couple of seconds, whichever is first: not in the moments right
 * after the screen appears, when compiling it would hold up the screen's first answer to input.
 */
export function afterFirstInput(load: () => unknown, quietMs = 2000): () => void {
  let cancelIdle: (() => void) | undefined;
  const start = () => {
    stop();
    void load();
  };
  const timer = window.setTimeout(() => (cancelIdle = whenIdle(start)), quietMs);
  const stop = () => {
    window.clearTimeout(timer);
    cancelIdle?.();
    window.removeEventListener('keydown', start, true);
    window.removeEventListener('pointerdown', start, true);
  };
  window.addEventListener('keydown', start, true);
  window.addEventListener('pointerdown', start, true);
  return stop;
}

/** Any component `lazy` takes (React's own bound, without writing `any`). */
type Lazyable = Parameters<typeof lazy>[0] extends () => Promise<{ default: infer C }> ? C : never;

/**
 * A component fetched with its module the first time it renders (inside a Suspense): `load` is the
 * module's dynamic import, `name` the component it exports.
 */
export function lazyNamed<M extends Record<K, Lazyable>, K extends keyof M>(load: () => Promise<M>, name: K): LazyExoticComponent<M[K]> {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}
