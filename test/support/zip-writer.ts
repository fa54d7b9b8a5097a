import fs from 'node:fs';
import zlib from 'node:zlib';

/**
 * A minimal zip writer for hostile-file tests: it writes exactly the headers it is told to, so a
 * test controls declared sizes, flags and layout (lying headers, bombs, encrypted entries) that
 * no well-behaved library would produce.
 */
export interface Sizes {
  crc: number;
  compSize: number;
  size: number;
}

export interface ZipEntrySpec {
  name: string;
  /** The entry's content; `chunks` generates a large one without holding it whole. */
  data?: Buffer | string;
  chunks?: () => Iterable<Buffer | string>;
  /** Bytes already compressed, with what they inflate to (see `deflateBomb`). */
  raw?: { compressed: Buffer } & Partial<Sizes> & { size: number };
  /** 0 stored, 8 deflated (default). */
  method?: number;
  /** Extra general-purpose flag bits, e.g. 0x1 "encrypted". */
  flags?: number;
  /** Write sizes after the data (flag bit 3), as streaming writers do. */
  descriptor?: boolean;
  /** Values written in place of the true ones. */
  lie?: { central?: Partial<Sizes>; local?: Partial<Sizes> };
  /** Written where a streaming reader finds it, but left out of the central directory. */
  hidden?: boolean;
}

interface Prepared {
  spec: ZipEntrySpec;
  compressed: Buffer;
  sizes: Sizes;
}

async function deflateChunks(chunks: Iterable<Buffer | string>): Promise<{ compressed: Buffer; size: number; crc: number }> {
  const deflate = zlib.createDeflateRaw({ level: 6 });
  const out: Buffer[] = [];
  deflate.on('data', (b: Buffer) => out.push(b));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  let size = 0;
  let crc = 0;
  // Small generated pieces are gathered into ~1 MiB writes: one write per row would crawl.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    const b = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    size += b.length;
    crc = zlib.crc32(b, crc);
    if (!deflate.write(b)) await new Promise((r) => deflate.once('drain', r));
  };
  for (const c of chunks) {
    const b = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
    pending.push(b);
    pendingBytes += b.length;
    if (pendingBytes >= 1048576) await flush();
  }
  await flush();
  deflate.end();
  await done;
  return { compressed: Buffer.concat(out), size, crc };
}

async function prepare(spec: ZipEntrySpec): Promise<Prepared> {
  const method = spec.method ?? 8;
  if (spec.raw) return { spec, compressed: spec.raw.compressed, sizes: { crc: spec.raw.crc ?? 0, compSize: spec.raw.compressed.length, size: spec.raw.size } };
  const chunks = spec.chunks ? spec.chunks() : [spec.data ?? ''];
  if (method === 0) {
    const data = Buffer.concat([...chunks].map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)));
    return { spec, compressed: data, sizes: { crc: zlib.crc32(data), compSize: data.length, size: data.length } };
  }
  const d = await deflateChunks(chunks);
  return { spec, compressed: d.compressed, sizes: { crc: d.crc, compSize: d.compressed.length, size: d.size } };
}

/** The zip as bytes; `truncate` cuts it short (a download that stopped). */
export async function zipBytes(entries: ZipEntrySpec[], opts: { truncate?: number; comment?: string } = {}): Promise<Buffer> {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of await Promise.all(entries.map(prepare))) {
    const { spec } = p;
    const name = Buffer.from(spec.name, 'utf8');
    const flags = 0x800 | (spec.flags ?? 0) | (spec.descriptor ? 0x08 : 0);
    const method = spec.raw ? 8 : (spec.method ?? 8);
    const local = { ...p.sizes, ...(spec.descriptor ? { crc: 0, compSize: 0, size: 0 } : {}), ...spec.lie?.local };
    const cen = { ...p.sizes, ...spec.lie?.central };
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(flags, 6);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(0x5b210000, 10); // a fixed DOS date/time: the bytes are reproducible
    lh.writeUInt32LE(local.crc >>> 0, 14);
    lh.writeUInt32LE(local.compSize, 18);
    lh.writeUInt32LE(local.size, 22);
    lh.writeUInt16LE(name.length, 26);
    lh.writeUInt16LE(0, 28);
    parts.push(lh, name, p.compressed);
    let length = 30 + name.length + p.compressed.length;
    if (spec.descriptor) {
      const dd = Buffer.alloc(16);
      dd.writeUInt32LE(0x08074b50, 0);
      dd.writeUInt32LE(cen.crc >>> 0, 4);
      dd.writeUInt32LE(cen.compSize, 8);
      dd.writeUInt32LE(cen.size, 12);
      parts.push(dd);
      length += 16;
    }
    offset += length;
    if (spec.hidden) continue;
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(flags, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(0x5b210000, 12);
    ch.writeUInt32LE(cen.crc >>> 0, 16);
    ch.writeUInt32LE(cen.compSize, 20);
    ch.writeUInt32LE(cen.size, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset - length, 42);
    central.push(ch, name);
  }
  const cd = Buffer.concat(central);
  const comment = Buffer.from(opts.comment ?? '', 'utf8');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const listed = entries.filter((e) => !e.hidden).length;
  end.writeUInt16LE(listed, 8);
  end.writeUInt16LE(listed, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  const all = Buffer.concat([...parts, cd, end, comment]);
  return opts.truncate === undefined ? all : all.subarray(0, opts.truncate);
}

export async function writeZip(file: string, entries: ZipEntrySpec[], opts: { truncate?: number } = {}): Promise<void> {
  fs.writeFileSync(file, await zipBytes(entries, opts));
}

/**
 * A deflate stream that inflates to `prefix`, then `unit` repeated `copies` × (1 MiB / unit)
 * times, then `suffix`, built without compressing gigabytes: one 1 MiB block is compressed on its
 * own (so its back-references stay inside it), flushed to a byte boundary, and repeated.
 */
export function deflateBomb(prefix: string, unit: string, copies: number, suffix: string): { compressed: Buffer; size: number } {
  const block = Buffer.from(unit.repeat(Math.floor(1048576 / unit.length)), 'utf8');
  const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const head = zlib.deflateRawSync(Buffer.from(prefix, 'utf8'), flush);
  const body = zlib.deflateRawSync(block, { ...flush, level: 9 });
  const tail = zlib.deflateRawSync(Buffer.from(suffix, 'utf8'));
  const compressed = Buffer.concat([head, ...Array.from({ length: copies }, () => body), tail]);
  return { compressed, size: Buffer.byteLength(prefix) + block.length * copies + Buffer.byteLength(suffix) };
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="回访清单" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;

export const SHEET_OPEN = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`;
export const SHEET_CLOSE = '</sheetData></worksheet>';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const colName = (i: number) => String.fromCharCode(65 + i);

/** One row of inline-string cells, as sheet XML. */
export function sheetRow(r: number, cells: readonly string[]): string {
  return `<row r="${r}">${cells.map((v, i) => `<c r="${colName(i)}${r}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`).join('')}</row>`;
}

/**
 * The parts of a minimal, valid one-sheet workbook; `sheet` and `sharedStrings` replace the
 * default parts (a table of inline strings), `omit` leaves parts out.
 */
export function workbookEntries(opts: { rows?: string[][]; sheet?: Partial<ZipEntrySpec>; sharedStrings?: Partial<ZipEntrySpec>; omit?: string[] } = {}): ZipEntrySpec[] {
  const rows = opts.rows ?? [];
  const entries: ZipEntrySpec[] = [
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: ROOT_RELS },
    { name: 'xl/workbook.xml', data: WORKBOOK },
    { name: 'xl/_rels/workbook.xml.rels', data: WORKBOOK_RELS },
    { name: 'xl/worksheets/sheet1.xml', data: SHEET_OPEN + rows.map((r, i) => sheetRow(i + 1, r)).join('') + SHEET_CLOSE, ...opts.sheet },
    {
      name: 'xl/sharedStrings.xml',
      data: '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>',
      ...opts.sharedStrings,
    },
  ];
  return entries.filter((e) => !opts.omit?.includes(e.name));
}
