import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../../shared/api/envelope';
import { WindowedRows, type RowsPage } from './task-windows';

type Row = { id: number; v: string };

/** A fake tasks.list over `total` rows whose answers are released by hand. */
function fakeSource(total: number, version = { v: 'a' }) {
  const calls: { offset: number; limit: number; resolve: () => void }[] = [];
  const fetch = (offset: number, limit: number) =>
    new Promise<Envelope<RowsPage<Row>>>((resolve) => {
      calls.push({
        offset,
        limit,
        resolve: () => {
          const rows: Row[] = [];
          for (let i = offset; i < Math.min(total, offset + limit); i++) rows.push({ id: i + 1, v: version.v });
          resolve({ ok: true, value: { rows, total } });
        },
      });
    });
  return { fetch, calls };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('WindowedRows', () => {
  it('loads only the windows in view, once each, and knows the total from the first answer', async () => {
    const src = fakeSource(100_000);
    const rows = new WindowedRows<Row>(src.fetch, 200);
    rows.ensure(0, 30);
    rows.ensure(0, 30);
    expect(src.calls.map((c) => c.offset)).toEqual([0]);
    expect(rows.rowAt(5)).toBeUndefined();
    src.calls[0]!.resolve();
    await flush();
    expect(rows.total).toBe(100_000);
    expect(rows.rowAt(5)?.id).toBe(6);

    rows.ensure(50_150, 50_230);
    expect(src.calls.slice(1).map((c) => c.offset)).toEqual([50_000, 50_200]);
  });

  it('drops the windows farthest from the view beyond its limit', async () => {
    const src = fakeSource(100_000);
    const rows = new WindowedRows<Row>(src.fetch, 100, 3);
    for (const first of [0, 100, 200, 300, 400]) {
      rows.ensure(first, first + 10);
      src.calls.at(-1)!.resolve();
      await flush();
    }
    expect(rows.rowAt(0)).toBeUndefined();
    expect(rows.rowAt(405)?.id).toBe(406);
    expect(rows.loadedRows()).toHaveLength(300);
  });

  it('keeps stale rows on screen during a refresh and ignores answers from before it', async () => {
    const version = { v: 'a' };
    const src = fakeSource(1000, version);
    const rows = new WindowedRows<Row>(src.fetch, 200);
    rows.ensure(0, 10);
    src.calls[0]!.resolve();
    await flush();
    rows.ensure(200, 210);
    rows.refresh();
    version.v = 'b';
    // The pre-refresh answer for window 1 arrives late: ignored.
    src.calls[1]!.resolve();
    await flush();
    expect(rows.rowAt(205)).toBeUndefined();
    expect(rows.rowAt(3)?.v).toBe('a');
    for (const c of src.calls.slice(2)) c.resolve();
    await flush();
    expect(rows.rowAt(205)?.v).toBe('b');
    // Out of view, window 0 is still the old one until it is scrolled back to.
    expect(rows.rowAt(3)?.v).toBe('a');
    rows.ensure(0, 10);
    src.calls.at(-1)!.resolve();
    await flush();
    expect(rows.rowAt(3)?.v).toBe('b');
  });

  it('patches a changed row in place and reports a failed load', async () => {
    const rows = new WindowedRows<Row>(
      async (offset) => (offset === 0 ? { ok: true, value: { rows: [{ id: 1, v: 'a' }], total: 1 } } : { ok: false, error: { code: 'internal', message: '出错' } }),
      200,
    );
    rows.ensure(0, 0);
    await flush();
    rows.patch({ id: 1, v: 'z' });
    expect(rows.rowAt(0)?.v).toBe('z');
    const failing = new WindowedRows<Row>(async () => ({ ok: false, error: { code: 'internal', message: '无法连接' } }), 200);
    failing.ensure(0, 0);
    await flush();
    expect(failing.error).toBe('无法连接');
  });
});
