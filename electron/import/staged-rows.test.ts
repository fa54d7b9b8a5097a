import { describe, expect, it } from 'vitest';
import { STAGED_BLOCK_ROWS, StagedRows } from './staged-rows';
import { ROW_FIELDS, type NormalizedRow } from './types';

function row(n: number): NormalizedRow {
  return {
    row: n, kind: n % 2 ? 'new_policy' : 'problem_case', source: n % 2 ? 'unreached' : null, policyNo: `P${n}`, applicantName: `张三${n}`,
    applicantPhone: n % 3 ? '13912345678' : null, insuredName: null, beneficiaryName: '李四', idNumber: null,
    // Characters a CSV may carry: tabs, control characters, separators, astral-plane names.
    address: `济南市\t历下区\u0001${'𠀋'.repeat(n % 4)}`, issueDate: '2026-10-01', printDate: null, receiptSignedDate: '2026-10-04',
    receiptEntryDate: null, channel: 'bancassurance', productName: '鑫福年年两全保险（分红型）', productType: 'participating', premiumCents: n * 100 + 1,
    payYears: 10, coveragePeriod: '终身', termYears: null, expiryDate: null, agentName: '王强', agentCode: 'YW2033',
    problemDescription: n % 2 ? null : '客户称\n缴费年限不符', branch: '济南中心支公司', eventDate: null, amountCents: 0, paymentMethod: 'bank_transfer',
    lastVisitDate: null, warnings: [{ path: `rows.${n}.receiptSignedDate`, message: '提示' }],
  };
}

describe('staged rows between preview and commit', () => {
  it('gives back every row field for field, in order, across blocks, without the already-reported warnings', () => {
    const staged = new StagedRows();
    const n = STAGED_BLOCK_ROWS * 2 + 7;
    for (let i = 1; i <= n; i++) staged.push(row(i));
    expect(staged.length).toBe(n);
    const back = [...staged.blocksOfRows()];
    expect(back.map((b) => b.length)).toEqual([STAGED_BLOCK_ROWS, STAGED_BLOCK_ROWS, 7]);
    expect(back.flat()).toEqual(Array.from({ length: n }, (_, i) => ({ ...row(i + 1), warnings: [] })));
    // A commit that failed (a full disk) can be tried again from the same preview.
    expect([...staged.blocksOfRows()].flat()).toHaveLength(n);
  });

  it('gives every field back its own value (each field distinct, so no two can trade places)', () => {
    const distinct = Object.fromEntries(ROW_FIELDS.map((f, i) => [f, i % 3 ? `${f}-${i}` : i])) as unknown as NormalizedRow;
    const staged = new StagedRows();
    staged.push({ ...distinct, warnings: [] });
    expect([...staged.blocksOfRows()].flat()).toEqual([{ ...distinct, warnings: [] }]);
  });

  it('is empty when no row was valid', () => {
    expect([...new StagedRows().blocksOfRows()]).toEqual([]);
  });
});
