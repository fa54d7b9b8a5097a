import ExcelJS from 'exceljs';
import { dateParts } from '../../shared/dates';
import { ROLE_LABELS } from '../../shared/domain/roles';
import type { StatsResult, StatsTrendRow } from '../../shared/stats/types';

export const PERCENT = '0.0%';
export const DATE_FORMAT = 'yyyy-mm-dd';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E8FB' } };
const THIN: Partial<ExcelJS.Borders> = { bottom: { style: 'thin', color: { argb: 'FF8EA9C8' } } };

/** A calendar date as Excel stores it: the day at UTC midnight, so no time zone moves it. */
export function excelDate(iso: string): Date {
  const p = dateParts(iso);
  return new Date(Date.UTC(p.year, p.month - 1, p.day));
}

export const SUMMARY_HEADER_ROW = 7;

function header(ws: ExcelJS.Worksheet, rowNo: number, titles: string[]): void {
  const row = ws.getRow(rowNo);
  titles.forEach((t, i) => {
    const c = row.getCell(i + 1);
    c.value = t;
    c.font = { bold: true };
    c.fill = HEADER_FILL;
    c.border = THIN;
    c.alignment = { vertical: 'middle', wrapText: true };
  });
  row.height = 20;
}

function note(ws: ExcelJS.Worksheet, text: string, span: number): void {
  ws.addRow([]);
  const row = ws.addRow([`说明：${text}`]);
  ws.mergeCells(row.number, 1, row.number, span);
  row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  row.getCell(1).font = { color: { argb: 'FF595959' } };
  row.height = 48;
}

function filterText(s: StatsResult): string {
  const parts = [
    `渠道：${s.filters.channelLabel ?? '全部'}`,
    `回访项目：${s.filters.kindLabel ?? '全部'}`,
    `人员：${s.filters.staffName ?? '全部'}`,
  ];
  return parts.join('；');
}

function trendSheet(wb: ExcelJS.Workbook, name: string, first: string, rows: StatsTrendRow[], definition: string): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { key: 'key', width: 12 },
    { key: 'start', width: 12, style: { numFmt: DATE_FORMAT } },
    { key: 'end', width: 12, style: { numFmt: DATE_FORMAT } },
    { key: 'partial', width: 10 },
    { key: 'due', width: 10 },
    { key: 'success', width: 10 },
    { key: 'successRate', width: 12, style: { numFmt: PERCENT } },
    { key: 'finalised', width: 12 },
    { key: 'problem', width: 10 },
    { key: 'problemRate', width: 12, style: { numFmt: PERCENT } },
  ];
  header(ws, 1, [first, '起始日', '截止日', '不完整', '应访数', '成功数', '回访成功率', '定稿回访数', '问题件数', '问题件率']);
  for (const r of rows) {
    ws.addRow({ ...r, start: excelDate(r.start), end: excelDate(r.end), partial: r.partial ? '是' : '否', successRate: r.successRate, problemRate: r.problemRate });
  }
  note(ws, definition, 10);
}

/** The statistics workbook: the figures with their definitions, then one sheet per breakdown. */
export async function writeStatsWorkbook(file: string, s: StatsResult): Promise<{ rows: number }> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '回访台 VisitDesk';
  wb.created = new Date();

  // 汇总
  const sum = wb.addWorksheet('汇总', { views: [{ state: 'frozen', ySplit: SUMMARY_HEADER_ROW }] });
  sum.columns = [{ width: 26 }, { width: 14 }, { width: 10 }, { width: 10 }, { width: 36 }, { width: 90 }];
  sum.getCell('A1').value = '回访统计报表';
  sum.getCell('A1').font = { bold: true, size: 14 };
  sum.getCell('A2').value = '统计期间';
  sum.getCell('B2').value = excelDate(s.filters.from);
  sum.getCell('C2').value = '至';
  sum.getCell('D2').value = excelDate(s.filters.to);
  sum.getCell('B2').numFmt = DATE_FORMAT;
  sum.getCell('D2').numFmt = DATE_FORMAT;
  sum.getCell('A3').value = '筛选条件';
  sum.getCell('B3').value = filterText(s);
  sum.getCell('A4').value = '统计日（逾期截至）';
  sum.getCell('B4').value = excelDate(s.asOf);
  sum.getCell('B4').numFmt = DATE_FORMAT;
  sum.getCell('A5').value = '提示';
  sum.getCell('B5').value = s.warnings.length ? s.warnings.join('\n') : '无';
  sum.mergeCells('B5:F5');
  sum.getCell('B5').alignment = { wrapText: true, vertical: 'top' };
  if (s.warnings.length) sum.getRow(5).height = 18 * s.warnings.length + 12;
  for (const a of ['A2', 'A3', 'A4', 'A5']) sum.getCell(a).font = { bold: true };
  header(sum, SUMMARY_HEADER_ROW, ['指标', '数值', '分子', '分母', '备注', '定义']);
  for (const fig of s.figures) {
    const row = sum.addRow([fig.label, fig.value, fig.numerator ?? null, fig.denominator ?? null, fig.note ?? '', fig.definition]);
    row.getCell(2).numFmt = fig.format === 'rate' ? PERCENT : '0';
    row.getCell(6).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(5).alignment = { wrapText: true, vertical: 'top' };
    row.alignment = { vertical: 'top' };
  }

  // 问题分类
  const cat = wb.addWorksheet('问题分类', { views: [{ state: 'frozen', ySplit: 1 }] });
  cat.columns = [{ key: 'label', width: 22 }, { key: 'group', width: 14 }, { key: 'count', width: 10 }, { key: 'share', width: 12, style: { numFmt: PERCENT } }];
  header(cat, 1, ['问题类别', '归类', '记录数', '占问题件比例']);
  for (const c of s.categories) cat.addRow({ label: c.label, group: c.group, count: c.count, share: c.share });
  note(cat, s.tableDefinitions.categories, 4);

  // 人员
  const st = wb.addWorksheet('人员', { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  st.columns = [
    { key: 'name', width: 12 },
    { key: 'role', width: 10 },
    { key: 'due', width: 10 },
    { key: 'success', width: 10 },
    { key: 'successRate', width: 12, style: { numFmt: PERCENT } },
    { key: 'finalised', width: 12 },
    { key: 'problem', width: 10 },
    { key: 'notCompleted', width: 10 },
    { key: 'attempts', width: 10 },
    { key: 'overdueOpen', width: 12 },
  ];
  header(st, 1, ['姓名', '角色', '应访数', '成功数', '回访成功率', '定稿回访数', '问题件数', '未完成数', '联系次数', '逾期未完成数']);
  for (const r of s.staff) st.addRow({ ...r, role: ROLE_LABELS[r.role] });
  note(st, s.tableDefinitions.staff, 10);

  trendSheet(wb, '按周', 'ISO 周', s.weeks, s.tableDefinitions.trends);
  trendSheet(wb, '按月', '月份', s.months, s.tableDefinitions.trends);

  await wb.xlsx.writeFile(file);
  return { rows: s.figures.length + s.categories.length + s.staff.length + s.weeks.length + s.months.length };
}
