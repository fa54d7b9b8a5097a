/**
 * Streaming CSV for head-office lists: encoding detection (Chinese Excel saves CSV in GB18030
 * unless told otherwise), an RFC 4180 parser fed chunk by chunk, and a record reader that reports
 * bytes read and stops when the import is cancelled.
 */
import fs from 'node:fs';
import { AppError } from '../../shared/api/envelope';
import { cleanText } from './text';

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030' | 'utf-16le';

/** The label TextDecoder takes for each detected encoding. */
export function decoderLabel(encoding: CsvEncoding): string {
  return encoding === 'utf-8-bom' ? 'utf-8' : encoding;
}

/**
 * Decides the encoding from the first bytes: a BOM says it outright; otherwise text that is valid
 * UTF-8 is UTF-8, and anything else is taken as GB18030 (a superset of GBK and GB2312, which is
 * what 「CSV（逗号分隔）」 from a Chinese Excel is).
 */
export function detectEncoding(head: Uint8Array): CsvEncoding {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  try {
    // stream: true so a character cut off at the end of the sample is not counted against UTF-8.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/**
 * Comma unless the first lines clearly use tabs (Excel's 「Unicode 文本」 and many system exports).
 * Counted outside quotes only, over the first few lines.
 */
export function detectDelimiter(sample: string): ',' | '\t' {
  let commas = 0;
  let tabs = 0;
  let inQuotes = false;
  let lines = 0;
  for (let i = 0; i < sample.length && lines < 20; i++) {
    const c = sample[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes) {
      if (c === ',') commas++;
      else if (c === '\t') tabs++;
      else if (c === '\n') lines++;
    }
  }
  return tabs > commas ? '\t' : ',';
}

/** Whether the text is an HTML table saved with an .xls name, as several head-office systems export. */
export function looksLikeHtml(sample: string): boolean {
  return /^\s*(<!doctype html|<html|<table|<\?xml[^>]*>\s*<html)/i.test(sample.slice(0, 1024));
}

/** A single field longer than this is not a visit list: the file is broken (e.g. an unclosed quote). */
const MAX_FIELD_CHARS = 1_000_000;

/**
 * Incremental RFC 4180 parser: quoted fields may hold delimiters, line breaks and "" escapes;
 * records end at CRLF, LF or a lone CR. Lenient where Excel is: a quote inside an unquoted field
 * is kept as text. Feed it decoded text with `push`, then call `finish`.
 */
export class CsvParser {
  private field = '';
  private record: string[] = [];
  private inQuotes = false;
  /** The previous character closed a quoted field (or was the first of a "" pair). */
  private quoteSeen = false;
  private pendingCr = false;
  private fieldStarted = false;
  /** 1-based number of the record being read, as Excel would show its row. */
  private recordNo = 1;
  private quoteStartRecord = 0;

  constructor(private readonly delimiter: string = ',') {}

  /** Parses a chunk; returns the records it completed, each with its 1-based row number. */
  push(text: string): { row: number; cells: string[] }[] {
    const out: { row: number; cells: string[] }[] = [];
    const d = this.delimiter;
    let start = 0; // start of the run of plain characters not yet appended to `field`
    const flush = (i: number) => {
      if (i > start) this.field += text.slice(start, i);
    };
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (this.pendingCr) {
        this.pendingCr = false;
        if (c === '\n') {
          start = i + 1;
          continue;
        }
      }
      if (this.inQuotes) {
        if (c === '"') {
          flush(i);
          this.inQuotes = false;
          this.quoteSeen = true;
          start = i + 1;
        }
        continue;
      }
      if (this.quoteSeen) {
        this.quoteSeen = false;
        if (c === '"') {
          // "" inside a quoted field: one literal quote, and the field goes on quoted.
          this.field += '"';
          this.inQuotes = true;
          start = i + 1;
          continue;
        }
      }
      if (c === '"' && !this.fieldStarted) {
        this.inQuotes = true;
        this.fieldStarted = true;
        this.quoteStartRecord = this.recordNo;
        start = i + 1;
        continue;
      }
      if (c === d) {
        flush(i);
        this.endField();
        start = i + 1;
        continue;
      }
      if (c === '\n' || c === '\r') {
        flush(i);
        this.endField();
        out.push({ row: this.recordNo, cells: this.record });
        this.record = [];
        this.recordNo++;
        if (c === '\r') this.pendingCr = true;
        start = i + 1;
        continue;
      }
      this.fieldStarted = true;
    }
    flush(text.length);
    if (this.field.length > MAX_FIELD_CHARS) {
      throw new AppError('invalid_input', `第 ${this.recordNo} 行有一个单元格超过 ${MAX_FIELD_CHARS} 字，文件可能已损坏（例如引号没有闭合）`, [
        { path: 'file', message: '单元格过长' },
      ]);
    }
    return out;
  }

  /** Ends the input; returns the last record when the file does not end with a line break. */
  finish(): { row: number; cells: string[] }[] {
    if (this.inQuotes) {
      throw new AppError('invalid_input', `第 ${this.quoteStartRecord} 行开始的引号没有闭合，文件可能不完整或已损坏`, [
        { path: `rows.${this.quoteStartRecord}`, message: '引号没有闭合' },
      ]);
    }
    if (this.field === '' && this.record.length === 0 && !this.fieldStarted) return [];
    this.endField();
    const last = { row: this.recordNo, cells: this.record };
    this.record = [];
    return [last];
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.fieldStarted = false;
    this.quoteSeen = false;
  }
}

/**
 * Excel writes ="00123" to keep leading zeros in CSV; system exports copy the trick. The cell
 * means the text inside.
 */
export function unwrapExcelText(cell: string): string {
  const m = /^="(.*)"$/s.exec(cell);
  return m ? (m[1] ?? '') : cell;
}

export interface CsvReadOptions {
  encoding: CsvEncoding;
  delimiter: string;
  /** Stop after this row number (the probe reads only the top of the file). */
  maxRow?: number;
  onBytes?: (bytesRead: number) => void;
  signal?: AbortSignal;
}

export function cancelledError(): AppError {
  return new AppError('cancelled', '导入已取消');
}

/**
 * Streams the records of a CSV file, decoding by chunks so a character split between two reads
 * is never garbled. Rows are numbered as Excel would show them: a record with an embedded line
 * break is one row.
 */
export async function* readCsvRecords(filePath: string, opts: CsvReadOptions): AsyncGenerator<{ row: number; cells: string[] }> {
  const decoder = new TextDecoder(decoderLabel(opts.encoding)); // drops the BOM itself
  const parser = new CsvParser(opts.delimiter);
  const stream = fs.createReadStream(filePath, { highWaterMark: 64 * 1024 });
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) throw cancelledError();
      bytes += chunk.length;
      const records = parser.push(decoder.decode(chunk, { stream: true }));
      for (const r of records) {
        if (opts.maxRow !== undefined && r.row > opts.maxRow) return;
        yield { row: r.row, cells: r.cells.map(unwrapExcelText) };
        if (opts.signal?.aborted) throw cancelledError();
      }
      opts.onBytes?.(bytes);
    }
    const rest = parser.push(decoder.decode());
    rest.push(...parser.finish());
    for (const r of rest) {
      if (opts.maxRow !== undefined && r.row > opts.maxRow) return;
      yield { row: r.row, cells: r.cells.map(unwrapExcelText) };
    }
  } finally {
    stream.destroy();
  }
}

/** Cleans a CSV cell like any other text cell (full-width, invisible characters). */
export function csvCellText(cell: string): string {
  return cleanText(cell);
}
