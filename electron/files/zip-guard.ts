/**
 * Container-level checks of an uploaded .xlsx before any reader unpacks it. A workbook is a zip of
 * XML parts, and both layers can be turned against the reader: a few megabytes that inflate to
 * gigabytes (a zip bomb), headers that lie about sizes, a central directory that disagrees with
 * what a streaming reader sees from the front of the file, encrypted entries, and XML with a
 * DOCTYPE (entity expansion, external entities). The guard walks the central directory, checks
 * every local header against it, and inflates each entry once, counting bytes against what was
 * declared, so a refused file costs at most what its declared sizes allow.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { AppError } from '../../shared/api/envelope';
import { refuseOldExcel } from './file-kind';

/** The product rule: one head-office list holds at most this many data rows. */
export const MAX_LIST_DATA_ROWS = 200_000;

export interface ZipGuardLimits {
  maxEntries: number;
  /** Declared and actual uncompressed bytes of all entries together. */
  maxTotalBytes: number;
  /** Inflated ÷ compressed, above which an entry is a bomb (real workbooks stay far below)… */
  maxRatio: number;
  /** …unless it inflates to less than this: a small, very regular part is harmless. */
  ratioExemptBytes: number;
  /** Part names (case-insensitive, as OPC part names are) that must be present. */
  requiredParts: readonly string[];
  /** Row elements allowed in one worksheet part; null: not counted. */
  maxSheetRows: number | null;
}

export const XLSX_LIMITS: ZipGuardLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxRatio: 200,
  ratioExemptBytes: 4 * 1024 * 1024,
  requiredParts: ['[Content_Types].xml', 'xl/workbook.xml'],
  // Title rows, the header, blank lines and totals come on top of the data rows; the reader
  // applies the exact rule, this only stops a million-row sheet before anyone parses it.
  maxSheetRows: MAX_LIST_DATA_ROWS + 1_000,
};

export interface ZipSummary {
  entries: number;
  totalBytes: number;
}

/** Random access to the bytes being checked: a file on disk, or a buffer already in memory. */
interface ZipSource {
  size: number;
  read(pos: number, len: number): Promise<Buffer>;
  stream(start: number, length: number): Readable;
  close(): Promise<void>;
}

interface Entry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compSize: number;
  size: number;
  offset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const SIG_DESCRIPTOR = 0x08074b50;
const MAX_CENTRAL_DIRECTORY = 16 * 1024 * 1024;
const U32 = 0xffffffff;
const U16 = 0xffff;

const n = (v: number) => v.toLocaleString('en-US');
const mb = (v: number) => (v / 1048576).toFixed(v < 10 * 1048576 ? 1 : 0);

function refuse(message: string, short: string): AppError {
  return new AppError('invalid_input', message, [{ path: 'file', message: short }]);
}

const malformed = (file: string, why: string) =>
  refuse(`文件「${file}」的压缩结构有误（${why}），可能已损坏或被人为构造，已拒绝读取。请在 Excel 中打开确认后重新保存为 .xlsx 再导入`, '工作簿结构有误');

function fileSource(filePath: string): ZipSource {
  let handle: Promise<fs.promises.FileHandle> | null = null;
  const open = () => (handle ??= fs.promises.open(filePath, 'r'));
  return {
    size: fs.statSync(filePath).size,
    async read(pos, len) {
      const buf = Buffer.alloc(len);
      const { bytesRead } = await (await open()).read(buf, 0, len, pos);
      return buf.subarray(0, bytesRead);
    },
    stream: (start, length) => (length === 0 ? Readable.from([]) : fs.createReadStream(filePath, { start, end: start + length - 1, highWaterMark: 256 * 1024 })),
    async close() {
      if (handle) await (await handle).close();
    },
  };
}

function bufferSource(bytes: Buffer): ZipSource {
  return {
    size: bytes.length,
    read: (pos, len) => Promise.resolve(bytes.subarray(Math.max(0, pos), Math.max(0, pos + len))),
    stream: (start, length) => Readable.from(length === 0 ? [] : [bytes.subarray(start, start + length)]),
    close: () => Promise.resolve(),
  };
}

/** A 64-bit little-endian field as a number; anything past 2^53 is no honest file of ours. */
function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

/** Where the central directory is and how many entries it claims, from the end record (zip64 too). */
async function findDirectory(src: ZipSource, file: string): Promise<{ count: number; cdOffset: number; cdSize: number; cdLimit: number }> {
  const tailLen = Math.min(src.size, 22 + 65_535);
  const tail = await src.read(src.size - tailLen, tailLen);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_END && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) {
    throw refuse(`文件「${file}」不完整（缺少压缩包的目录，可能没有下载或复制完整），不是可读取的 .xlsx 工作簿。请重新获取文件，在 Excel 中打开确认后再导入`, '文件不完整');
  }
  const endPos = src.size - tailLen + at;
  if (tail.readUInt16LE(at + 4) !== 0 || tail.readUInt16LE(at + 6) !== 0) throw malformed(file, '分卷压缩包');
  let count = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  let cdLimit = endPos;
  if (tail.readUInt16LE(at + 8) !== count) throw malformed(file, '目录条目数前后不一致');
  if (count === U16 || cdSize === U32 || cdOffset === U32) {
    const loc = await src.read(endPos - 20, 20);
    if (loc.length < 20 || loc.readUInt32LE(0) !== SIG_LOCATOR64) throw malformed(file, 'zip64 目录定位记录缺失');
    const recPos = u64(loc, 8);
    if (recPos + 56 > endPos - 20) throw malformed(file, 'zip64 目录记录位置超出文件');
    const rec = await src.read(recPos, 56);
    if (rec.readUInt32LE(0) !== SIG_END64) throw malformed(file, 'zip64 目录记录缺失');
    if (rec.readUInt32LE(16) !== 0 || rec.readUInt32LE(20) !== 0) throw malformed(file, '分卷压缩包');
    count = u64(rec, 32);
    if (u64(rec, 24) !== count) throw malformed(file, '目录条目数前后不一致');
    cdSize = u64(rec, 40);
    cdOffset = u64(rec, 48);
    cdLimit = recPos;
  }
  if (cdOffset + cdSize > cdLimit) throw malformed(file, '目录位置超出文件');
  return { count, cdOffset, cdSize, cdLimit };
}

/** The zip64 extended-information extra field fills in whichever sizes the fixed fields left at 0xFFFFFFFF. */
function applyZip64(extra: Buffer, e: { size: number; compSize: number; offset?: number }, file: string, name: string): void {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (p + 4 + len > extra.length) throw malformed(file, `「${name}」的扩展字段越界`);
    if (id === 0x0001) {
      let q = p + 4;
      const take = (): number => {
        if (q + 8 > p + 4 + len) throw malformed(file, `「${name}」的 zip64 字段不完整`);
        const v = u64(extra, q);
        q += 8;
        return v;
      };
      if (e.size === U32) e.size = take();
      if (e.compSize === U32) e.compSize = take();
      if (e.offset === U32) e.offset = take();
      return;
    }
    p += 4 + len;
  }
  if (e.size === U32 || e.compSize === U32 || e.offset === U32) throw malformed(file, `「${name}」缺少 zip64 大小字段`);
}

function readDirectory(cd: Buffer, count: number, file: string): Entry[] {
  const entries: Entry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) throw malformed(file, `第 ${i + 1} 个目录条目损坏`);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > cd.length) throw malformed(file, `第 ${i + 1} 个目录条目越界`);
    const flags = cd.readUInt16LE(p + 8);
    const name = cd.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    const e: Entry = {
      name,
      flags,
      method: cd.readUInt16LE(p + 10),
      crc: cd.readUInt32LE(p + 16),
      compSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      offset: cd.readUInt32LE(p + 42),
    };
    if (e.size === U32 || e.compSize === U32 || e.offset === U32) applyZip64(cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen), e, file, name);
    if (cd.readUInt16LE(p + 34) !== 0 && cd.readUInt16LE(p + 34) !== U16) throw malformed(file, '分卷压缩包');
    entries.push(e);
    p = end;
  }
  if (p !== cd.length) throw malformed(file, '目录中有多余的数据');
  return entries;
}

function checkDeclared(entries: Entry[], file: string, limits: ZipGuardLimits): number {
  const seen = new Set<string>();
  let total = 0;
  for (const e of entries) {
    const key = e.name.toLowerCase();
    // Two entries under one name: one reader takes the first, another the last.
    if (seen.has(key)) throw malformed(file, `条目「${e.name}」重复出现`);
    seen.add(key);
    if (e.flags & 0x41 || e.method === 99) {
      throw refuse(`文件「${file}」中的「${e.name}」已加密，无法读取。请在 Excel 中去掉密码后另存为 .xlsx 再导入`, '工作簿已加密');
    }
    if (e.method !== 0 && e.method !== 8) {
      throw refuse(`文件「${file}」中的「${e.name}」使用了不支持的压缩方式（${e.method}），无法读取。请在 Excel 中打开后重新保存为 .xlsx 再导入`, '压缩方式不支持');
    }
    if (e.method === 0 && e.compSize !== e.size) throw malformed(file, `「${e.name}」未压缩，但记录的两个大小不同`);
    total += e.size;
    if (total > limits.maxTotalBytes) {
      throw refuse(
        `文件「${file}」解压后超过 ${mb(limits.maxTotalBytes)} MB（上限），疑似“压缩炸弹”，已拒绝读取。若确是正常清单，请按月份或件类型拆分后分别导入`,
        '解压后过大',
      );
    }
    if (e.size > limits.ratioExemptBytes && e.size > Math.max(e.compSize, 1) * limits.maxRatio) {
      const ratio = Math.round(e.size / Math.max(e.compSize, 1));
      throw refuse(
        `文件「${file}」中的「${e.name}」压缩比高达 ${n(ratio)}:1（上限 ${limits.maxRatio}:1，${mb(e.compSize)} MB 解压成 ${mb(e.size)} MB），疑似“压缩炸弹”，已拒绝读取`,
        '压缩比异常',
      );
    }
  }
  for (const part of limits.requiredParts) {
    if (!seen.has(part.toLowerCase())) {
      throw refuse(`文件「${file}」是 zip 压缩包，但不是 Excel 工作簿（缺少 ${part}）。请确认选择的是 Excel 保存的 .xlsx 文件`, '不是 Excel 工作簿');
    }
  }
  return total;
}

/**
 * Each local header must agree with its directory entry, and the entries must follow one another
 * from the first byte to the directory with nothing between or overlapping: a streaming reader
 * walks them from the front, so it then sees exactly the entries checked here.
 */
async function checkLocalHeaders(src: ZipSource, entries: Entry[], cdOffset: number, file: string): Promise<Map<Entry, number>> {
  const dataStart = new Map<Entry, number>();
  let pos = 0;
  for (const e of [...entries].sort((a, b) => a.offset - b.offset)) {
    if (e.offset !== pos) throw malformed(file, e.offset < pos ? `「${e.name}」与前一个条目重叠` : `「${e.name}」之前有不明数据`);
    const head = await src.read(e.offset, 30);
    if (head.length < 30 || head.readUInt32LE(0) !== SIG_LOCAL) throw malformed(file, `「${e.name}」的本地文件头缺失`);
    const flags = head.readUInt16LE(6);
    const nameLen = head.readUInt16LE(26);
    const extraLen = head.readUInt16LE(28);
    const rest = await src.read(e.offset + 30, nameLen + extraLen);
    if (rest.length < nameLen + extraLen) throw malformed(file, `「${e.name}」的本地文件头不完整`);
    const localName = rest.toString(flags & 0x800 ? 'utf8' : 'latin1', 0, nameLen);
    if (localName !== e.name) throw malformed(file, `目录记录的「${e.name}」与文件头中的「${localName}」不符`);
    if ((flags & 0x49) !== (e.flags & 0x49) || head.readUInt16LE(8) !== e.method) throw malformed(file, `「${e.name}」的本地文件头与目录不符`);
    const local = { size: head.readUInt32LE(22), compSize: head.readUInt32LE(18) };
    if (local.size === U32 || local.compSize === U32) applyZip64(rest.subarray(nameLen), local, file, e.name);
    const crc = head.readUInt32LE(14);
    const described = (flags & 0x08) !== 0;
    const zeros = described && crc === 0 && local.size === 0 && local.compSize === 0;
    if (!zeros && (crc !== e.crc || local.size !== e.size || local.compSize !== e.compSize)) {
      throw malformed(file, `「${e.name}」的本地文件头记录的大小与目录不符（${n(local.size)} / ${n(e.size)} 字节）`);
    }
    const start = e.offset + 30 + nameLen + extraLen;
    dataStart.set(e, start);
    pos = start + e.compSize;
    if (described) pos += await descriptorLength(src, e, pos, file);
    if (pos > cdOffset) throw malformed(file, `「${e.name}」的数据超出了文件`);
  }
  if (pos !== cdOffset) throw malformed(file, '最后一个条目与目录之间有不明数据');
  return dataStart;
}

/** The data descriptor after an entry's data: optional signature, CRC, then 32- or 64-bit sizes. */
async function descriptorLength(src: ZipSource, e: Entry, at: number, file: string): Promise<number> {
  const d = await src.read(at, 24);
  const sig = d.length >= 4 && d.readUInt32LE(0) === SIG_DESCRIPTOR ? 4 : 0;
  if (d.length >= sig + 12 && d.readUInt32LE(sig) === e.crc && d.readUInt32LE(sig + 4) === e.compSize && d.readUInt32LE(sig + 8) === e.size) return sig + 12;
  if (d.length >= sig + 20 && d.readUInt32LE(sig) === e.crc && u64(d, sig + 4) === e.compSize && u64(d, sig + 12) === e.size) return sig + 20;
  throw malformed(file, `「${e.name}」数据之后的大小记录与目录不符`);
}

const XML_NAME = /\.(xml|rels|vml)$/i;
const SHEET_PART = /^xl\/worksheets\/[^/]+\.xml$/i;
const LT_BANG = Buffer.from('<!', 'latin1');
const ROW = Buffer.from('row', 'latin1');
const NAME_BYTE = /[\w.-]/;

/**
 * How the part's bytes become bytes to search: markup is ASCII in UTF-8 and GB18030 alike, so
 * those are searched as they are; UTF-16 (by its BOM or its first '<') is decoded first.
 */
function bytesFor(head: Buffer): (chunk: Buffer) => Buffer {
  const le = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0x3c && head[1] === 0x00);
  const be = (head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0x00 && head[1] === 0x3c);
  if (!le && !be) return (chunk) => chunk;
  const d = new TextDecoder(le ? 'utf-16le' : 'utf-16be');
  return (chunk) => Buffer.from(d.decode(chunk, { stream: true }), 'latin1');
}

function looksLikeXml(head: Buffer): boolean {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return true;
  if ((head[0] === 0x3c && head[1] === 0x00) || (head[0] === 0x00 && head[1] === 0x3c)) return true;
  return /^(\xef\xbb\xbf)?\s*</.test(head.toString('latin1', 0, 64));
}

/** A `<!DOCTYPE` or `<!ENTITY` anywhere (in any letter case): the way to entity expansion and external entities. */
function hasDtd(buf: Buffer): boolean {
  for (let i = buf.indexOf(LT_BANG); i >= 0; i = buf.indexOf(LT_BANG, i + 2)) {
    const word = buf.toString('latin1', i + 2, i + 9).toUpperCase();
    if (word.startsWith('DOCTYPE') || word.startsWith('ENTITY')) return true;
  }
  return false;
}

/**
 * Row elements (`<row ` or a prefixed `<x:row>`) that end after `from`, so one straddling two
 * chunks is counted once, in the chunk that completes it.
 */
function countRows(buf: Buffer, from: number): number {
  let count = 0;
  for (let j = buf.indexOf(ROW, 1); j >= 0 && j + 3 < buf.length; j = buf.indexOf(ROW, j + 3)) {
    if (j + 4 <= from) continue;
    const after = buf[j + 3];
    if (after !== 0x20 && after !== 0x3e && after !== 0x2f && after !== 0x09 && after !== 0x0a && after !== 0x0d) continue;
    let k = j - 1;
    if (buf[k] === 0x3a) {
      k--;
      while (k >= 0 && NAME_BYTE.test(String.fromCharCode(buf[k] ?? 0))) k--;
    }
    if (buf[k] === 0x3c) count++;
  }
  return count;
}

/** Inflates one entry, holding it to its declared size and CRC, and looks through its XML as it passes. */
async function inspectEntry(src: ZipSource, e: Entry, start: number, file: string, limits: ZipGuardLimits): Promise<void> {
  const sheet = limits.maxSheetRows !== null && SHEET_PART.test(e.name);
  let decode: ((chunk: Buffer) => Buffer) | null = null;
  let scan = XML_NAME.test(e.name);
  let carry = Buffer.alloc(0);
  let rows = 0;
  let seen = 0;
  let crc = 0;
  // Whatever the guard refuses with wins over the errors its own abort causes in the streams.
  let refused: AppError | null = null;
  const stop = (err: AppError): never => {
    refused = err;
    throw err;
  };
  const consume = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      seen += chunk.length;
      if (seen > e.size) stop(malformed(file, `「${e.name}」解压后超过目录记录的 ${n(e.size)} 字节，疑似“压缩炸弹”`));
      crc = zlib.crc32(chunk, crc);
      if (decode === null) {
        decode = bytesFor(chunk);
        // A part not named as XML is still parsed as XML by a reader that finds it is one.
        scan ||= looksLikeXml(chunk);
      }
      if (!scan) continue;
      const bytes = Buffer.concat([carry, decode(chunk)]);
      if (hasDtd(bytes)) {
        stop(refuse(`文件「${file}」中的「${e.name}」含有 DOCTYPE / ENTITY 声明（Excel 保存的文件不会有），疑似恶意构造，已拒绝读取`, '含有不允许的 XML 声明'));
      }
      if (sheet) {
        rows += countRows(bytes, carry.length);
        if (rows > (limits.maxSheetRows ?? Infinity)) {
          stop(refuse(
            `文件「${file}」的工作表超过 ${n(limits.maxSheetRows ?? 0)} 行，超出每份清单最多 ${n(MAX_LIST_DATA_ROWS)} 行数据的上限。请按月份或件类型拆分后分别导入`,
            `超过 ${n(MAX_LIST_DATA_ROWS)} 行`,
          ));
        }
      }
      carry = Buffer.from(bytes.subarray(-64));
    }
  };
  try {
    const raw = src.stream(start, e.compSize);
    if (e.method === 8) await pipeline(raw, zlib.createInflateRaw({ chunkSize: 64 * 1024 }), consume);
    else await pipeline(raw, consume);
  } catch (err) {
    if (refused) throw refused;
    if (err instanceof AppError) throw err;
    throw malformed(file, `「${e.name}」无法解压`);
  }
  if (seen !== e.size) throw malformed(file, `「${e.name}」解压后为 ${n(seen)} 字节，与目录记录的 ${n(e.size)} 字节不符`);
  if (crc >>> 0 !== e.crc >>> 0) throw malformed(file, `「${e.name}」校验值不符`);
}

async function guard(src: ZipSource, file: string, limits: ZipGuardLimits): Promise<ZipSummary> {
  try {
    const head = await src.read(0, 8);
    if (head.length >= 4 && head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) refuseOldExcel(file);
    if (head.length < 4 || head.readUInt32LE(0) !== SIG_LOCAL) {
      throw refuse(`文件「${file}」不是有效的 .xlsx 工作簿（不是 zip 格式，可能已损坏，或只是改了扩展名）。请在 Excel 中打开确认后另存为 .xlsx 再导入`, '不是 .xlsx 工作簿');
    }
    const { count, cdOffset, cdSize } = await findDirectory(src, file);
    if (count > limits.maxEntries) {
      throw refuse(`文件「${file}」包含 ${n(count)} 个压缩条目，超过上限 ${n(limits.maxEntries)}，不是正常的 Excel 工作簿，已拒绝读取`, '压缩条目过多');
    }
    if (count === 0) throw refuse(`文件「${file}」是空的压缩包，不是 Excel 工作簿`, '不是 Excel 工作簿');
    if (cdSize > MAX_CENTRAL_DIRECTORY) throw malformed(file, '目录过大');
    const cd = await src.read(cdOffset, cdSize);
    if (cd.length !== cdSize) throw malformed(file, '目录不完整');
    const entries = readDirectory(cd, count, file);
    const total = checkDeclared(entries, file, limits);
    const starts = await checkLocalHeaders(src, entries, cdOffset, file);
    for (const e of entries) await inspectEntry(src, e, starts.get(e) ?? 0, file, limits);
    return { entries: entries.length, totalBytes: total };
  } finally {
    await src.close();
  }
}

/**
 * Checks an .xlsx (or any zip) on disk; throws AppError 'invalid_input' with a Chinese message
 * naming the file when it is not safe to hand to a reader.
 */
export function guardZipFile(filePath: string, fileName: string, limits: ZipGuardLimits = XLSX_LIMITS): Promise<ZipSummary> {
  return guard(fileSource(filePath), fileName, limits);
}

/** The same for a workbook already in memory (a calendar or questionnaire file). */
export function guardZipBytes(bytes: Buffer, fileName: string, limits: ZipGuardLimits = XLSX_LIMITS): Promise<ZipSummary> {
  return guard(bufferSource(bytes), fileName, limits);
}
