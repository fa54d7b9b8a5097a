import ExcelJS from 'exceljs';
import { AppError } from '../../shared/api/envelope';
import { guardZipBytes } from './zip-guard';

export type CellValue = string | number | boolean | Date | null;

/** Flattens exceljs's rich cell values (formulas, rich text, hyperlinks) to plain values. */
export function plainCell(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('result' in value) return plainCell(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return null;
  }
  return String(value);
}

/**
 * Reads the first worksheet of a small workbook (a calendar table, a questionnaire) into rows of
 * plain values with their 1-based row numbers as the spreadsheet shows them. Large head-office
 * lists use the streaming reader instead.
 */
export async function readSmallWorkbook(bytes: Buffer, fileName: string): Promise<{ row: number; cells: CellValue[] }[]> {
  // exceljs inflates every part into memory at once: a 2 MB bomb held the process for a minute.
  await guardZipBytes(bytes, fileName);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new AppError('invalid_input', `文件「${fileName}」不是有效的 .xlsx 工作簿（可能已损坏）`, [{ path: 'file', message: '无法读取工作簿' }]);
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new AppError('invalid_input', `文件「${fileName}」中没有工作表`, [{ path: 'file', message: '没有工作表' }]);
  const rows: { row: number; cells: CellValue[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: CellValue[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = plainCell(cell.value);
    });
    rows.push({ row: rowNumber, cells: Array.from(cells, (c) => c ?? null) });
  });
  return rows;
}
