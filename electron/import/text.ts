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
  // Most cells have nothing to convert: look before building a new string.
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3000 || (c >= 0xff01 && c <= 0xff5e)) break;
  }
  if (i === text.length) return text;
  let out = text.slice(0, i);
  for (; i < text.length; i++) {
    // Both ranges are in the BMP and outside the surrogates, so code units are enough.
    const c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else out += text[i];
  }
  return out;
}

/**
 * Only full-width digits and Latin letters to half-width: in Chinese prose (an address, a problem
 * description) 「，」 and 「：」 are correct as they are, but 「１２号」 is 12号.
 */
export function toHalfWidthAlnum(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3000 || isFullWidthAlnum(c)) {
      return text.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
    }
  }
  return text;
}

const isFullWidthAlnum = (c: number): boolean => (c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a);

// Zero-width space/joiners, BOM, soft hyphen: invisible in Excel, fatal to exact matches.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
// Non-breaking and other Unicode spaces become ordinary spaces before trimming.
const ODD_SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f]/g;

/** Half-width, invisible characters removed, odd spaces made plain, trimmed. */
export function cleanText(text: string): string {
  return cleanChars(text, false);
}

/**
 * cleanText (alnumOnly false) or cleanProse (true) in one pass over the text, and no new string
 * when there is nothing to change but the ends: most cells are plain ASCII or plain Chinese.
 * The characters each step rewrites are disjoint from the others', so doing them together is the
 * same as one after the other.
 */
function cleanChars(text: string, alnumOnly: boolean): string {
  const len = text.length;
  let i = 0;
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xa0 && charAction(c, alnumOnly) !== KEEP) break;
  }
  if (i === len) return text.trim();
  let out = '';
  let from = 0;
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xa0) continue;
    const action = charAction(c, alnumOnly);
    if (action === KEEP) continue;
    out += text.slice(from, i);
    from = i + 1;
    if (action === SPACE) out += ' ';
    else if (action === HALF) out += String.fromCharCode(c - 0xfee0);
  }
  return (out + text.slice(from)).trim();
}

const KEEP = 0;
const DROP = 1;
const SPACE = 2;
const HALF = 3;

/** What cleanText or cleanProse does with a character from U+00A0 up. */
function charAction(c: number, alnumOnly: boolean): number {
  if (c >= 0xff01) {
    if (c > 0xff5e) return KEEP;
    return !alnumOnly || isFullWidthAlnum(c) ? HALF : KEEP;
  }
  if (c === 0x3000) return SPACE;
  if (c === 0xfeff || c === 0x00ad || c === 0x2060 || (c >= 0x200b && c <= 0x200d)) return DROP; // INVISIBLE
  if (c === 0x00a0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f) return SPACE; // ODD_SPACES
  return KEEP;
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
  return cleanChars(text, true);
}

/** A JS Date as exceljs builds it from a serial: the civil day is its UTC date. */
export function dateToIso(d: Date): string | null {
  const t = d.getTime();
  if (Number.isNaN(t)) return null;
  // A list's dates are a few hundred distinct days over many rows: remember each day's text.
  const day = Math.floor(t / 86_400_000);
  const known = isoByDay.get(day);
  if (known !== undefined) return known;
  const iso = `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  if (isoByDay.size >= 4096) isoByDay.clear();
  isoByDay.set(day, iso);
  return iso;
}

const isoByDay = new Map<number, string>();

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
  // cellToText(cell) === '' without building the text: numbers, booleans and valid dates always
  // have some, and a string has none when cleanText would remove or trim away every character.
  if (cell === null || cell === undefined) return true;
  if (typeof cell === 'string') {
    for (let i = 0; i < cell.length; i++) if (!blankChar(cell.charCodeAt(i))) return false;
    return true;
  }
  if (typeof cell === 'number') return !Number.isFinite(cell);
  if (cell instanceof Date) return Number.isNaN(cell.getTime());
  return false;
}

/** A character cleanText drops or turns into trimmable space: whitespace (`\s`) or INVISIBLE. */
function blankChar(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0xad ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200d) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x2060 ||
    c === 0x3000 ||
    c === 0xfeff
  );
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
