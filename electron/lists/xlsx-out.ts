import { once } from 'node:events';
import fs from 'node:fs';
import type ExcelJS from 'exceljs';
import { AppError } from '../../shared/api/envelope';
import type { ListColumn } from '../../shared/api/contract';

/**
 * Opens the export's temporary file, failing with a Chinese message (never an unhandled stream
 * error) when the exports folder cannot be written. Codes the export service already explains
 * (disk full, no permission, read-only disk) are passed through for it to word.
 */
export async function openOutput(
  file: string,
): Promise<{ stream: fs.WriteStream; closed: () => Promise<void>; failure: () => Error | null; abandon: () => Promise<void> }> {
  const stream = fs.createWriteStream(file);
  let failure: Error | null = null;
  stream.on('error', (err) => {
    failure = err;
  });
  try {
    await once(stream, 'open');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
    if (['ENOSPC', 'EACCES', 'EROFS', 'EPERM'].includes(code)) throw err;
    throw new AppError('storage_error', `导出文件夹无法写入（${code}），导出未完成，未生成文件。请检查磁盘与权限。`);
  }
  return {
    stream,
    failure: () => failure,
    abandon: async () => {
      if (stream.closed) return;
      const done = once(stream, 'close').catch(() => undefined);
      stream.destroy();
      await done;
    },
    closed: async () => {
      if (failure) throw failure;
      if (!stream.closed) await once(stream, 'close');
      if (failure) throw failure;
    },
  };
}

export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF9AA5B8' } };

export const NUM_FMT: Record<ListColumn['type'], string | undefined> = { text: undefined, date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm' };

/** Bold, filled, bordered header cells. */
export function styleHeader(row: ExcelJS.Row, columns: number): void {
  row.height = 20;
  for (let c = 1; c <= columns; c++) {
    const cell = row.getCell(c);
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
    cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
  }
}

/**
 * A branch-local date or date-time string as an Excel date. Excel dates carry no zone: the
 * serial number is the wall-clock time, which exceljs reads from the Date's UTC fields.
 */
export function excelDate(value: string | null): Date | null {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?/.exec(value);
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0)));
}

/** A row's cells in column order, dates converted. */
export function cellsOf(columns: readonly ListColumn[], values: Record<string, string | null>): (string | Date | null)[] {
  return columns.map((c) => (c.type === 'text' ? (values[c.key] ?? null) : excelDate(values[c.key] ?? null)));
}

/** Lets the event loop run (progress polls, 取消, the file stream draining). */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
