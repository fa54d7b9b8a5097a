import v8 from 'node:v8';
import { ROW_FIELDS as FIELDS, type NormalizedRow } from './types';

type Value = NormalizedRow[(typeof FIELDS)[number]];

/**
 * The row whose ROW_FIELDS values start at `v[i]`, built as one object literal: every row gets the
 * same shape at once, and the writer's reads of it stay fast (31 keyed stores a row were a tenth
 * of a second of a 100,000-row commit). The order is ROW_FIELDS'; staged-rows.test.ts holds it.
 */
function unpack(v: readonly Value[], i: number): NormalizedRow {
  const row = {
    row: v[i], kind: v[i + 1], source: v[i + 2], policyNo: v[i + 3], applicantName: v[i + 4], applicantPhone: v[i + 5], insuredName: v[i + 6],
    beneficiaryName: v[i + 7], idNumber: v[i + 8], address: v[i + 9], issueDate: v[i + 10], printDate: v[i + 11], receiptSignedDate: v[i + 12],
    receiptEntryDate: v[i + 13], channel: v[i + 14], productName: v[i + 15], productType: v[i + 16], premiumCents: v[i + 17], payYears: v[i + 18],
    coveragePeriod: v[i + 19], termYears: v[i + 20], expiryDate: v[i + 21], agentName: v[i + 22], agentCode: v[i + 23],
    problemDescription: v[i + 24], branch: v[i + 25], eventDate: v[i + 26], amountCents: v[i + 27], paymentMethod: v[i + 28],
    lastVisitDate: v[i + 29], warnings: [],
  } satisfies Record<(typeof FIELDS)[number] | 'warnings', unknown>;
  return row as unknown as NormalizedRow;
}

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
    // Field by field in ROW_FIELDS order, each read by its name rather than looked up by a key in a loop.
    const r = row;
    this.pending.push(
      r.row, r.kind, r.source, r.policyNo, r.applicantName, r.applicantPhone, r.insuredName, r.beneficiaryName, r.idNumber, r.address, r.issueDate,
      r.printDate, r.receiptSignedDate, r.receiptEntryDate, r.channel, r.productName, r.productType, r.premiumCents, r.payYears, r.coveragePeriod,
      r.termYears, r.expiryDate, r.agentName, r.agentCode, r.problemDescription, r.branch, r.eventDate, r.amountCents, r.paymentMethod, r.lastVisitDate,
    );
    this.count++;
    if (++this.pendingRows === STAGED_BLOCK_ROWS) this.seal();
  }

  /** The rows in file order, a block at a time (each block is a fresh array the caller may keep). */
  *blocksOfRows(): Generator<NormalizedRow[]> {
    this.seal();
    for (const block of this.blocks) {
      const values = v8.deserialize(block) as Value[];
      const rows: NormalizedRow[] = [];
      for (let i = 0; i < values.length; i += FIELDS.length) rows.push(unpack(values, i));
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
