/**
 * Just enough of the zip format to stream the parts of an .xlsx: the central directory says where
 * each part is and how big it claims to be; a part is inflated as it is read, never held whole,
 * and never allowed to grow past what its header declared (a zip bomb stops there).
 */
import fs from 'node:fs';
import zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** Why a file cannot be read as a zip; the caller turns it into a message naming the file. */
export class ZipError extends Error {
  constructor(
    readonly reason: 'not_zip' | 'encrypted' | 'too_large' | 'damaged',
    detail: string,
  ) {
    super(detail);
  }
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_ENTRIES = 10_000;

/**
 * The file's last 64 KB and where in it the end-of-central-directory record starts (-1 when there
 * is none: a truncated download or copy loses it). The record is 22 bytes plus a comment of at most
 * 65,535.
 */
async function endOfDirectory(fh: fs.promises.FileHandle, size: number): Promise<{ tail: Buffer; at: number }> {
  const tailLen = Math.min(size, 65_557);
  const tail = Buffer.alloc(tailLen);
  await fh.read(tail, 0, tailLen, size - tailLen);
  for (let i = tailLen - 22; i >= 0; i--) if (tail.readUInt32LE(i) === EOCD) return { tail, at: i };
  return { tail, at: -1 };
}

/** Whether the file ends with a zip's end-of-central-directory record. */
export async function hasZipEnd(filePath: string): Promise<boolean> {
  const fh = await fs.promises.open(filePath, 'r');
  try {
    return (await endOfDirectory(fh, (await fh.stat()).size)).at >= 0;
  } finally {
    await fh.close();
  }
}

/** Reads the central directory. Throws ZipError when there is none or it is damaged. */
export async function readZipDirectory(filePath: string): Promise<Map<string, ZipEntry>> {
  const fh = await fs.promises.open(filePath, 'r');
  try {
    const { size } = await fh.stat();
    const { tail, at } = await endOfDirectory(fh, size);
    if (at < 0) throw new ZipError('not_zip', 'no end of central directory');
    const count = tail.readUInt16LE(at + 10);
    const dirSize = tail.readUInt32LE(at + 12);
    const dirOffset = tail.readUInt32LE(at + 16);
    // Zip64 markers: an .xlsx under the upload limit never needs them.
    if (count === 0xffff || dirOffset === 0xffffffff) throw new ZipError('too_large', 'zip64');
    if (count > MAX_ENTRIES) throw new ZipError('damaged', 'too many entries');
    if (dirOffset + dirSize > size) throw new ZipError('damaged', 'directory outside the file');
    const dir = Buffer.alloc(dirSize);
    await fh.read(dir, 0, dirSize, dirOffset);
    const entries = new Map<string, ZipEntry>();
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw new ZipError('damaged', 'bad central directory entry');
      const nameLen = dir.readUInt16LE(p + 28);
      const extraLen = dir.readUInt16LE(p + 30);
      const commentLen = dir.readUInt16LE(p + 32);
      const name = dir.toString('utf8', p + 46, p + 46 + nameLen);
      entries.set(name.replace(/\\/g, '/').replace(/^\//, ''), {
        name,
        flags: dir.readUInt16LE(p + 8),
        method: dir.readUInt16LE(p + 10),
        compressedSize: dir.readUInt32LE(p + 20),
        uncompressedSize: dir.readUInt32LE(p + 24),
        localHeaderOffset: dir.readUInt32LE(p + 42),
      });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  } finally {
    await fh.close();
  }
}

export interface EntryStreamOptions {
  /** Compressed bytes read from the file so far, for progress. */
  onBytes?: (n: number) => void;
  /** The most inflated bytes accepted, whatever the header says. */
  maxBytes: number;
}

/**
 * The inflated bytes of one entry, chunk by chunk. Stops with ZipError when the entry inflates
 * beyond its declared size or `maxBytes`, is encrypted, or uses a method other than store/deflate.
 */
export async function* streamEntry(filePath: string, entry: ZipEntry, opts: EntryStreamOptions): AsyncGenerator<Buffer> {
  if (entry.flags & 0x1) throw new ZipError('encrypted', entry.name);
  if (entry.method !== 0 && entry.method !== 8) throw new ZipError('damaged', `method ${entry.method}`);
  if (entry.uncompressedSize > opts.maxBytes) throw new ZipError('too_large', entry.name);
  const fh = await fs.promises.open(filePath, 'r');
  let start: number;
  try {
    const local = Buffer.alloc(30);
    await fh.read(local, 0, 30, entry.localHeaderOffset);
    if (local.readUInt32LE(0) !== LOCAL) throw new ZipError('damaged', 'bad local header');
    start = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    await fh.close();
  }
  if (entry.compressedSize === 0) return;
  const file = fs.createReadStream(filePath, { start, end: start + entry.compressedSize - 1, highWaterMark: 256 * 1024 });
  let read = 0;
  file.on('data', (c: string | Buffer) => {
    read += c.length;
    opts.onBytes?.(read);
  });
  const limit = Math.min(opts.maxBytes, entry.uncompressedSize);
  const source: NodeJS.ReadableStream = entry.method === 8 ? file.pipe(zlib.createInflateRaw({ chunkSize: 64 * 1024 })) : file;
  let out = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      out += chunk.length;
      if (out > limit) throw new ZipError('too_large', entry.name);
      yield chunk;
    }
  } catch (e) {
    if (e instanceof ZipError) throw e;
    throw new ZipError('damaged', (e as Error).message);
  } finally {
    file.destroy();
    if (source !== file) (source as zlib.InflateRaw).destroy();
  }
}
