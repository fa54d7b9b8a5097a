/**
 * Streams the rows of the first worksheet of an .xlsx with exceljs's WorkbookReader, so a
 * 100,000-row list never sits in memory whole. Reports bytes read from the file and stops at once
 * when the import is cancelled.
 */
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../shared/api/envelope';
import { plainCell } from '../files/xlsx-rows';
import { cancelledError } from './csv';
import type { RawCell } from './types';

export interface SheetRow {
  /** 1-based row number as the spreadsheet shows it. */
  row: number;
  cells: RawCell[];
}

/** Filled in as the workbook is read: which sheet the rows come from and its date system. */
export interface XlsxContext {
  sheetName: string | null;
  date1904: boolean;
  /** How many worksheets the workbook has (from workbook.xml), or null when that part was never seen. */
  sheetCount: number | null;
}

export interface XlsxReadOptions {
  /** Stop after this row number (the probe reads only the top of the sheet). */
  maxRow?: number;
  onBytes?: (bytesRead: number) => void;
  signal?: AbortSignal;
}

/** The parts of exceljs's streaming reader this module relies on beyond its published types. */
interface ReaderInternals {
  model?: { sheets?: { name?: string }[] };
  properties?: { model?: { date1904?: boolean } };
  _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
  _parseStyles(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
}

interface WorksheetInternals {
  name?: string;
  [Symbol.asyncIterator](): AsyncIterator<ExcelJS.Row>;
}

async function* decodeUtf8(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/**
 * exceljs 4.4 decodes each inflated chunk of the XML on its own, so a Chinese character that
 * straddles two 16 KB chunks turns into「��」(exceljs issues #2063, #2084, #2316, still open).
 * Its parser passes strings through untouched, so the parts are handed to it already decoded
 * by a streaming decoder.
 */
function decodePartsWhole(reader: ReaderInternals): void {
  const workbook = reader._parseWorkbook.bind(reader);
  const sharedStrings = reader._parseSharedStrings.bind(reader);
  const styles = reader._parseStyles.bind(reader);
  const worksheet = reader._parseWorksheet.bind(reader);
  reader._parseWorkbook = (entry) => workbook(entry.setEncoding('utf8'));
  reader._parseSharedStrings = (entry) => sharedStrings(entry.setEncoding('utf8'));
  reader._parseStyles = (entry) => styles(entry.setEncoding('utf8'));
  reader._parseWorksheet = (iterator, sheetNo) => worksheet(decodeUtf8(iterator), sheetNo);
}

const MS_PER_DAY = 86_400_000;
const SERIAL_OF_1970 = 25_569;

/**
 * Formulas give their cached result; a formula never calculated, or an error value, is empty.
 * A date-formatted cell holding a number that is no real day (20261008 typed into a date cell:
 * Excel shows ####) comes back as that number, not as a Date in the year 57372.
 */
export function xlsxCell(value: ExcelJS.CellValue, date1904 = false): RawCell {
  if (value instanceof Date) {
    const year = value.getUTCFullYear();
    if (Number.isNaN(year)) return null;
    if (year > 2199) return Math.round((value.getTime() / MS_PER_DAY + SERIAL_OF_1970 - (date1904 ? 1462 : 0)) * 1e6) / 1e6;
    return value;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && ('formula' in value || 'sharedFormula' in value)) {
    if (value.result === undefined || value.result === null) return null;
  }
  const v = plainCell(value);
  if (typeof v === 'number' && !Number.isFinite(v)) return null; // a cached #N/A parses as NaN
  return v;
}

export function corruptWorkbook(fileName: string): AppError {
  return new AppError('invalid_input', `文件「${fileName}」不是有效的 .xlsx 工作簿（可能已损坏或没有传完整），请在 Excel 中打开确认后重新保存再导入`, [
    { path: 'file', message: '工作簿已损坏' },
  ]);
}

/**
 * Whether the file ends with a zip's end-of-central-directory record. A truncated download or
 * copy loses it, while the streaming reader would happily read the first entries and stop.
 */
export async function hasZipEnd(filePath: string): Promise<boolean> {
  const fh = await fs.promises.open(filePath, 'r');
  try {
    const { size } = await fh.stat();
    const len = Math.min(size, 65_557); // the record (22 bytes) plus the longest zip comment
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    for (let i = len - 22; i >= 0; i--) {
      if (buf[i] === 0x50 && buf[i + 1] === 0x4b && buf[i + 2] === 0x05 && buf[i + 3] === 0x06) return true;
    }
    return false;
  } finally {
    await fh.close();
  }
}

/**
 * The rows of the first worksheet (in tab order), each with its cells as plain values: text,
 * numbers, booleans, and Dates for date-formatted cells (styles are cached for that).
 */
export async function* readXlsxRows(filePath: string, fileName: string, ctx: XlsxContext, opts: XlsxReadOptions = {}): AsyncGenerator<SheetRow> {
  const file = fs.createReadStream(filePath, { highWaterMark: 256 * 1024 });
  // The reader gets a pass-through rather than the file: ending it on cancel lets exceljs and its
  // unzipper wind down (temporary files closed) instead of waiting forever for more bytes.
  const feed = new PassThrough();
  let bytes = 0;
  let fileError: Error | null = null;
  file.on('data', (chunk: string | Buffer) => {
    bytes += chunk.length;
    opts.onBytes?.(bytes);
  });
  file.on('error', (e) => {
    fileError = e;
    feed.end();
  });
  file.pipe(feed);

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(feed, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  const internals = reader as unknown as ReaderInternals;
  decodePartsWhole(internals);

  const { signal } = opts;
  const pending = new Set<Promise<unknown>>();
  /**
   * Awaits exceljs, but gives up at once on cancel (exceljs may be busy unpacking the whole zip
   * before its first row). The listener is removed as soon as the step settles: racing every row
   * against one long-lived abort promise would pile up a reaction per row.
   */
  const next = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    p.catch(() => undefined).finally(() => pending.delete(p));
    if (!signal) return p;
    if (signal.aborted) return Promise.reject(cancelledError());
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(cancelledError());
      signal.addEventListener('abort', onAbort, { once: true });
      p.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  };

  const translate = (e: unknown): Error => {
    if (e instanceof AppError) return e;
    if (fileError) return unreadable(fileName, fileError);
    return corruptWorkbook(fileName);
  };

  try {
    const sheets = reader[Symbol.asyncIterator]();
    let found = false;
    for (;;) {
      let step: IteratorResult<ExcelJS.stream.xlsx.WorksheetReader>;
      try {
        step = await next(sheets.next());
      } catch (e) {
        throw translate(e);
      }
      if (step.done) break;
      const ws = step.value as unknown as WorksheetInternals;
      const firstName = internals.model?.sheets?.[0]?.name;
      const isFirst = !found && (firstName === undefined || ws.name === firstName);
      const rows = ws[Symbol.asyncIterator]();
      if (!isFirst) {
        // Another sheet stored before the first one: read past it (exceljs needs the part consumed).
        for (;;) {
          const r = await next(rows.next()).catch((e: unknown) => {
            throw translate(e);
          });
          if (r.done) break;
        }
        continue;
      }
      found = true;
      ctx.sheetName = ws.name ?? null;
      ctx.date1904 = internals.properties?.model?.date1904 === true;
      ctx.sheetCount = internals.model?.sheets?.length ?? null;
      for (;;) {
        let r: IteratorResult<ExcelJS.Row>;
        try {
          r = await next(rows.next());
        } catch (e) {
          throw translate(e);
        }
        if (r.done) break;
        const row = r.value;
        if (opts.maxRow !== undefined && row.number > opts.maxRow) return;
        const cells: RawCell[] = [];
        row.eachCell({ includeEmpty: false }, (cell, col) => {
          cells[col - 1] = xlsxCell(cell.value, ctx.date1904);
        });
        yield { row: row.number, cells: Array.from(cells, (c) => c ?? null) };
        if (signal?.aborted) throw cancelledError();
      }
      // Only the first worksheet is read; the rest of the file is not needed.
      return;
    }
    if (fileError) throw unreadable(fileName, fileError);
    ctx.sheetCount = internals.model?.sheets?.length ?? ctx.sheetCount;
    if (internals.model === undefined) throw corruptWorkbook(fileName);
  } finally {
    file.unpipe(feed);
    file.destroy();
    feed.end();
    // Whatever exceljs still has in flight settles against the ended input; nobody awaits it.
    for (const p of pending) p.catch(() => undefined);
  }
}

export function unreadable(fileName: string, e: Error): AppError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? '文件不存在或已被移走' : code === 'EACCES' || code === 'EPERM' ? '没有读取权限' : code === 'EBUSY' ? '文件正被其他程序占用' : '读取出错';
  return new AppError('invalid_input', `无法读取文件「${fileName}」：${why}`, [{ path: 'file', message: why }]);
}
