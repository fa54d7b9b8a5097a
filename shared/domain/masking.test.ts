import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone } from './masking';

describe('masking', () => {
  it('masks a mobile number as 138****5678', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138-1234-5678')).toBe('138****5678');
  });
  it('masks an ID number as 110101********1234', () => {
    expect(maskIdNumber('110101199001011234')).toBe('110101********1234');
  });
  it('never reveals short values', () => {
    expect(maskPhone('12345')).toBe('*****');
    expect(maskIdNumber('123')).toBe('***');
    expect(maskPhone(null)).toBe('');
  });
});
