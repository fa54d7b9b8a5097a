import { describe, expect, it } from 'vitest';
import { columnLetter, formatYuan, outcomesFor } from './labels';

describe('task board labels', () => {
  it('names spreadsheet columns as Excel does', () => {
    expect([0, 3, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'D', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('offers only the outcomes a contact method can have', () => {
    expect(outcomesFor('sms').map((o) => o.value)).not.toContain('reached');
    expect(outcomesFor('letter').map((o) => o.value)).not.toContain('booked');
    expect(outcomesFor('phone').find((o) => o.value === 'wrong_number')?.label).toBe('电话号码错误');
  });

  it('shows money from cents without rounding', () => {
    expect(formatYuan(4_870_000)).toBe('¥48,700.00');
    expect(formatYuan(105)).toBe('¥1.05');
    expect(formatYuan(null)).toBe('');
  });
});
