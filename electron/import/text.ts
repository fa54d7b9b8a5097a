/**
 * Text clean-up shared by header recognition and row normalisation. Head-office lists are typed
 * by hand in Chinese IMEs, so full-width digits and punctuation, ideographic spaces, non-breaking
 * spaces and zero-width characters turn up anywhere.
 */
import type { RawCell } from './types';

/**
 * Full-width ASCII (U+FF01–U+FF5E) to half-width and the ideographic space to a plain space.
 * Deliberately not NFKC: that would also rewrite CJK compatibility ideographs, which occur in
 * real people's names.
 */
export function toHalfWidth(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

/**
 * Only full-width digits and Latin letters to half-width: in Chinese prose (an address, a problem
 * description) 「，」 and 「：」 are correct as they are, but 「１２号」 is 12号.
 */
export function toHalfWidthAlnum(text: string): string {
  return text.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

// Zero-width space/joiners, BOM, soft hyphen: invisible in Excel, fatal to exact matches.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
// Non-breaking and other Unicode spaces become ordinary spaces before trimming.
const ODD_SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f]/g;

/** Half-width, invisible characters removed, odd spaces made plain, trimmed. */
export function cleanText(text: string): string {
  return toHalfWidth(text).replace(INVISIBLE, '').replace(ODD_SPACES, ' ').trim();
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * A header or label as the file shows it: invisible characters gone, spaces plain, line breaks
 * of wrapped cells (回执签署\n日期) removed, but full-width brackets kept as the sender wrote them.
 */
export function displayText(text: string): string {
  return text.replace(INVISIBLE, '').replace(ODD_SPACES, ' ').replace(/\s*[\r\n]+\s*/g, '').trim();
}

/** Text as written (full-width kept), on one line: for samples on the mapping screen. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, '').replace(ODD_SPACES, ' ').replace(/\s+/g, ' ').trim();
}

/** Free text: digits and letters half-width, punctuation as written, invisible characters gone. */
export function cleanProse(text: string): string {
  return toHalfWidthAlnum(text).replace(INVISIBLE, '').replace(ODD_SPACES, ' ').trim();
}

/** A JS Date as exceljs builds it from a serial: the civil day is its UTC date. */
export function dateToIso(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** A cell as the person sees it, for samples, header text and comparisons. */
export function cellToText(cell: RawCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return dateToIso(cell) ?? '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? numberToText(cell) : '';
  if (typeof cell === 'boolean') return cell ? '是' : '否';
  return cleanText(cell);
}

/** Integers without exponent notation (a 15-digit policy number stored as a number). */
export function numberToText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

export function isBlankCell(cell: RawCell | undefined): boolean {
  return cellToText(cell) === '';
}

/**
 * A cell's text as quoted in a message or a sample, cut so a 10,000-character cell cannot flood
 * the screen. Phone and ID numbers are masked: one typed
 * into the wrong column would otherwise be copied whole into previews, job errors and logs,
 * which are shown and kept where the masked record is not.
 */
export function shorten(text: string, max = 30): string {
  const chars = Array.from(maskDigitRuns(text));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max).join('')}…`;
}

/**
 * Runs of 11 or more digits (mobiles, ID numbers, a mobile with a digit too many) keep their first
 * three and last four; a landline keeps its area code and last four. Shorter numbers (policy
 * numbers like 0012345, dates typed as 20261008) stay as written.
 */
export function maskDigitRuns(text: string): string {
  return text
    .replace(/\d{11,}[\dXx]?/g, (run) => `${run.slice(0, 3)}****${run.slice(-4)}`)
    .replace(/(?<!\d)(0\d{2,3})([-\s]?)(\d{7,8})(?!\d)/g, (_m, area: string, sep: string, local: string) => `${area}${sep}****${local.slice(-4)}`);
}

/** Length in characters as a person counts them (surrogate pairs count once). */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export { columnLetter } from '../../shared/domain/spreadsheet';
