import type { Envelope } from '../../../../shared/api/envelope';

export interface RowsPage<Row> {
  rows: Row[];
  total: number;
}
export type FetchWindow<Row> = (offset: number, limit: number) => Promise<Envelope<RowsPage<Row>>>;

interface Slot<Row> {
  rows: Row[];
  /** Which refresh the rows belong to; older ones stay on screen until their window is reloaded. */
  generation: number;
}

/**
 * The board's rows, fetched a window at a time. A branch can hold 100,000 tasks: only the windows
 * around what is on screen are loaded and kept (the farthest are dropped beyond `maxWindows`),
 * and `total` comes from main's count so the scrollbar is right before anything else is loaded.
 * One instance serves one set of filters; new filters get a new instance, so nothing of the old
 * result can show up under them.
 */
export class WindowedRows<Row extends { id: number }> {
  total: number | null = null;
  error: string | null = null;
  private readonly slots = new Map<number, Slot<Row>>();
  /** Window → the generation it is being fetched for. */
  private readonly inFlight = new Map<number, number>();
  private readonly listeners = new Set<() => void>();
  private generation = 0;
  private version = 0;
  private range: [number, number] = [0, 0];

  constructor(
    private readonly fetchWindow: FetchWindow<Row>,
    readonly windowSize = 200,
    private readonly maxWindows = 50,
  ) {}

  /** For useSyncExternalStore. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getVersion = (): number => this.version;

  rowAt(index: number): Row | undefined {
    const w = Math.floor(index / this.windowSize);
    return this.slots.get(w)?.rows[index - w * this.windowSize];
  }

  /** Whether the window holding this row is being (re)loaded. */
  isLoading(index: number): boolean {
    return this.inFlight.has(Math.floor(index / this.windowSize));
  }

  /** Loads every window that rows first…last touch and that is missing or stale. */
  ensure(first: number, last: number): void {
    if (last < first) return;
    const fw = Math.floor(Math.max(0, first) / this.windowSize);
    const lw = Math.floor(Math.max(0, last) / this.windowSize);
    this.range = [fw, lw];
    for (let w = fw; w <= lw; w++) {
      if (this.total !== null && w > 0 && w * this.windowSize >= this.total) break;
      if (this.slots.get(w)?.generation === this.generation) continue;
      if (this.inFlight.get(w) === this.generation) continue;
      void this.load(w);
    }
  }

  /**
   * Same filters, fresh data (after an import, an assignment, a change in the detail pane): the
   * rows on screen stay until their window comes back, so nothing flickers.
   */
  refresh(): void {
    this.generation++;
    this.inFlight.clear();
    const [fw, lw] = this.range;
    this.ensure(fw * this.windowSize, (lw + 1) * this.windowSize - 1);
    this.emit();
  }

  /** A task changed in the detail pane: show its new state at once, wherever it is loaded. */
  patch(row: Row): void {
    let changed = false;
    for (const slot of this.slots.values()) {
      const i = slot.rows.findIndex((r) => r.id === row.id);
      if (i >= 0) {
        slot.rows = slot.rows.map((r, n) => (n === i ? row : r));
        changed = true;
      }
    }
    if (changed) this.emit();
  }

  /** Rows loaded so far, in window order (e.g. to name the selected tasks). */
  loadedRows(): Row[] {
    return [...this.slots.entries()].sort(([a], [b]) => a - b).flatMap(([, s]) => s.rows);
  }

  private async load(w: number): Promise<void> {
    const gen = this.generation;
    this.inFlight.set(w, gen);
    this.emit();
    const r = await this.fetchWindow(w * this.windowSize, this.windowSize);
    if (this.inFlight.get(w) === gen) this.inFlight.delete(w);
    if (gen !== this.generation) return;
    if (!r.ok) {
      this.error = r.error.message;
      this.emit();
      return;
    }
    this.error = null;
    this.total = r.value.total;
    this.slots.set(w, { rows: r.value.rows, generation: gen });
    this.evict();
    this.emit();
  }

  /** Keeps memory flat however far the user scrolls: drops the windows farthest from the view. */
  private evict(): void {
    const [fw, lw] = this.range;
    const distance = (w: number) => (w < fw ? fw - w : w > lw ? w - lw : 0);
    while (this.slots.size > this.maxWindows) {
      let far = -1;
      for (const w of this.slots.keys()) if (far < 0 || distance(w) > distance(far)) far = w;
      this.slots.delete(far);
    }
  }

  private emit(): void {
    this.version++;
    for (const l of this.listeners) l();
  }
}
