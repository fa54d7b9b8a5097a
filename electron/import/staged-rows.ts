import v8 from 'node:v8';
import { ROW_FIELDS as FIELDS, type NormalizedRow } from './types';

type Value = NormalizedRow[(typeof FIELDS)[number]];

/** Rows per packed block: small enough to unpack between two yields of the commit. */
export const STAGED_BLOCK_ROWS = 250;

/**
 * The valid rows of a preview, waiting for the user to press 导入. A 100,000-row list held as
 * objects (with their sliced strings and warning arrays) took about 350 MB of heap from preview to
 * commit; packed here with V8's serializer, STAGED_BLOCK_ROWS rows to a block as flat value lists, the same rows
 * take about 25 MB outside the heap, and the commit unpacks one block at a time.
 */
export class StagedRows {
  private readonly blocks: Buffer[] = [];
  private pending: Value[] = [];
  private pendingRows = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(row: NormalizedRow): void {
    for (const f of FIELDS) this.pending.push(row[f]);
    this.count++;
    if (++this.pendingRows === STAGED_BLOCK_ROWS) this.seal();
  }

  /** The rows in file order, a block at a time (each block is a fresh array the caller may keep). */
  *blocksOfRows(): Generator<NormalizedRow[]> {
    this.seal();
    for (const block of this.blocks) {
      const values = v8.deserialize(block) as Value[];
      const rows: NormalizedRow[] = [];
      for (let i = 0; i < values.length; i += FIELDS.length) {
        const row: Record<string, Value | []> = { warnings: [] };
        for (let k = 0; k < FIELDS.length; k++) row[FIELDS[k] as string] = values[i + k] as Value;
        rows.push(row as unknown as NormalizedRow);
      }
      yield rows;
    }
  }

  private seal(): void {
    if (this.pendingRows === 0) return;
    this.blocks.push(v8.serialize(this.pending));
    this.pending = [];
    this.pendingRows = 0;
  }
}
