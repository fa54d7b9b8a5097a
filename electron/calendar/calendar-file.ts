import { AppError } from '../../shared/api/envelope';
import { parseCalendarTable, parseCalendarYearJson, type CalendarTableRow, type CalendarYearData } from '../../shared/calendar';
import { refuseOldExcel, sniffFile } from '../files/file-kind';
import { readSmallWorkbook, type CellValue } from '../files/xlsx-rows';

const DATE_HEADER = /^(日期|date)$/i;
const KIND_HEADER = /^(类型|休\/班|休班|安排|kind|type)$/i;
const NAME_HEADER = /^(名称|节日|节假日|说明|name)$/i;

function cellText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).trim();
}

function tableRowsFromSheet(rows: { row: number; cells: CellValue[] }[], fileName: string): CalendarTableRow[] {
  const header = rows.find((r) => r.cells.some((c) => DATE_HEADER.test(cellText(c))));
  if (!header) {
    throw new AppError('invalid_input', `文件「${fileName}」中找不到表头：需要「日期」「类型（休/班）」两列，可另加「名称」列`, [
      { path: 'file', message: '找不到「日期」列' },
    ]);
  }
  const col = (re: RegExp) => header.cells.findIndex((c) => re.test(cellText(c)));
  const [dateCol, kindCol, nameCol] = [col(DATE_HEADER), col(KIND_HEADER), col(NAME_HEADER)];
  if (kindCol < 0) {
    throw new AppError('invalid_input', `文件「${fileName}」第 ${header.row} 行缺少「类型」列（填 休 或 班）`, [{ path: 'file', message: '缺少「类型」列' }]);
  }
  return rows
    .filter((r) => r.row > header.row && r.cells.some((c) => cellText(c) !== ''))
    .map((r) => ({
      row: r.row,
      date: r.cells[dateCol] instanceof Date ? cellText(r.cells[dateCol]) : r.cells[dateCol],
      kind: r.cells[kindCol],
      name: nameCol >= 0 ? r.cells[nameCol] : undefined,
    }));
}

/**
 * Reads an administrator's calendar file for one year: an .xlsx table (日期 | 类型 休/班 | 名称),
 * or JSON — either the year object {year, holidays, makeupWorkdays} or an array of table rows.
 */
export async function readCalendarFile(fileName: string, bytes: Buffer): Promise<{ year: CalendarYearData; warnings: string[] }> {
  const kind = sniffFile(bytes);
  if (kind === 'xls') refuseOldExcel(fileName);
  let result;
  if (kind === 'xlsx') {
    result = parseCalendarTable(tableRowsFromSheet(await readSmallWorkbook(bytes, fileName), fileName), { sourceFile: fileName, source: fileName });
  } else if (kind === 'text') {
    let data: unknown;
    try {
      data = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    } catch {
      throw new AppError('invalid_input', `文件「${fileName}」既不是 .xlsx 工作簿，也不是有效的 JSON`, [{ path: 'file', message: '格式无法识别' }]);
    }
    if (Array.isArray(data)) {
      result = parseCalendarTable(data as CalendarTableRow[], { sourceFile: fileName, source: fileName });
    } else {
      const parsed = parseCalendarYearJson(data);
      result = parsed.ok ? { ok: true as const, value: parsed.value, warnings: [] } : parsed;
    }
  } else {
    throw new AppError('invalid_input', `文件「${fileName}」既不是 .xlsx 工作簿，也不是 JSON 文本`, [{ path: 'file', message: '格式无法识别' }]);
  }
  if (!result.ok) {
    const first = result.issues.slice(0, 3).map((i) => i.message).join('；');
    throw new AppError('invalid_input', `日历文件「${fileName}」有 ${result.issues.length} 处错误：${first}${result.issues.length > 3 ? ' …' : ''}`, result.issues);
  }
  return { year: result.value, warnings: result.warnings };
}
