import { describe, expect, it } from 'vitest';
import { cellToText, cleanProse, cleanText, dateToIso, isBlankCell, toHalfWidth, toHalfWidthAlnum } from './text';

// The clean-up as plain regex passes: the one-pass versions in text.ts must agree with these.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
const ODD_SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f]/g;
const refHalfWidth = (t: string) => Array.from(t, (ch) => {
  const c = ch.codePointAt(0) ?? 0;
  return c >= 0xff01 && c <= 0xff5e ? String.fromCodePoint(c - 0xfee0) : c === 0x3000 ? ' ' : ch;
}).join('');
const refHalfWidthAlnum = (t: string) =>
  t.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
const refCleanText = (t: string) => refHalfWidth(t).replace(INVISIBLE, '').replace(ODD_SPACES, ' ').trim();
const refCleanProse = (t: string) => refHalfWidthAlnum(t).replace(INVISIBLE, '').replace(ODD_SPACES, ' ').trim();

// Every character any step treats specially, its neighbours, and ordinary text around them.
const EDGES = [
  0x09, 0x0a, 0x0d, 0x20, 0x41, 0x7e, 0x85, 0x9f, 0xa0, 0xad, 0xb7, 0x1680, 0x180e, 0x1fff, 0x2000, 0x200a, 0x200b, 0x200d, 0x200e,
  0x2028, 0x2029, 0x202f, 0x205f, 0x2060, 0x2061, 0x3000, 0x3001, 0x4e2d, 0xd83d, 0xde00, 0xfefe, 0xfeff, 0xff00, 0xff01, 0xff0c, 0xff0f,
  0xff10, 0xff19, 0xff1a, 0xff20, 0xff21, 0xff3a, 0xff3b, 0xff40, 0xff41, 0xff5a, 0xff5b, 0xff5e, 0xff5f,
].map((c) => String.fromCharCode(c));

function* samples(): Generator<string> {
  yield '';
  for (const a of EDGES) {
    yield a;
    for (const b of EDGES) {
      yield `${a}张${b}`;
      yield `x${a}${b}y`;
    }
    yield ` ${a}１２号${a} `;
  }
  yield '😀 ０５３１－８８８８ ６６６６\u200b';
}

describe('text clean-up', () => {
  it('agrees with the regex passes on every special character and its neighbours', () => {
    for (const s of samples()) {
      expect(toHalfWidth(s)).toBe(refHalfWidth(s));
      expect(toHalfWidthAlnum(s)).toBe(refHalfWidthAlnum(s));
      expect(cleanText(s)).toBe(refCleanText(s));
      expect(cleanProse(s)).toBe(refCleanProse(s));
      expect(isBlankCell(s)).toBe(refCleanText(s) === '');
    }
  });

  it('keeps full-width punctuation in prose and converts it elsewhere', () => {
    expect(cleanProse('\u3000１２号，Ａ栋\u00a0\u200b')).toBe('12号，A栋');
    expect(cleanText('\u3000１２号，Ａ栋\u00a0\u200b')).toBe('12号,A栋');
  });

  it('reads blank cells as cellToText does', () => {
    const cells = [null, undefined, '', ' \u3000\u200b\ufeff ', 'x', 0, NaN, Infinity, true, false, new Date(NaN), new Date(Date.UTC(2026, 8, 30))];
    for (const c of cells) expect(isBlankCell(c)).toBe(cellToText(c) === '');
  });

  it('gives the UTC day of a date, the same on every call', () => {
    const d = new Date(Date.UTC(2026, 8, 30, 23, 59, 59));
    expect(dateToIso(d)).toBe('2026-09-30');
    expect(dateToIso(new Date(Date.UTC(2026, 8, 30)))).toBe('2026-09-30');
    expect(dateToIso(new Date(Date.UTC(1899, 11, 30, 12)))).toBe('1899-12-30');
    expect(dateToIso(new Date(Date.UTC(2026, 9, 1)))).toBe('2026-10-01');
    expect(dateToIso(new Date(NaN))).toBeNull();
  });
});
