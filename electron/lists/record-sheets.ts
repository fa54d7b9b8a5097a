import ExcelJS from 'exceljs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/api/envelope';
import { addDays } from '../../shared/dates';
import { maskPhone } from '../../shared/domain/masking';
import { RECORD_SHEET_FIELDS } from '../../shared/domain/visit';
import { OUTCOME_STATUS_LABELS, type OutcomeStatus } from '../../shared/outcome';
import type { JobContext } from '../jobs/job-runner';
import { localDateTime } from './list-service';
import { excelDate, nextTurn, openOutput, styleHeader } from './xlsx-out';

/** A period longer than this is refused: the workbook holds every record's signature images. */
export const MAX_SHEET_DAYS = 31;

const SIGNATURE_WIDTH = 150;
const SIGNATURE_HEIGHT = 60;

/** Refuses a reversed or too long period, in words the manager can act on. */
export function checkSheetPeriod(from: string, to: string): void {
  if (to < from) throw new AppError('invalid_input', '截止日期不能早于起始日期', [{ path: 'to', message: '截止日期不能早于起始日期' }]);
  if (addDays(from, MAX_SHEET_DAYS - 1) < to) {
    throw new AppError('invalid_input', `一次最多导出 ${MAX_SHEET_DAYS} 天的记录表（含签名图片），请缩短期间后分次导出`, [
      { path: 'to', message: `期间不能超过 ${MAX_SHEET_DAYS} 天` },
    ]);
  }
}

export function sheetsFileName(from: string, to: string): string {
  return `客户回访记录表_${from}_${to}.xlsx`;
}

const SHEET_COLUMNS = [
  { header: '记录编号', key: 'recordNo', width: 18 },
  { header: '版本', key: 'version', width: 6 },
  { header: '访问日期', key: 'visitedAt', width: 17 },
  ...RECORD_SHEET_FIELDS.map((f) => ({ header: f.label, key: f.name as string, width: f.max > 200 ? 36 : f.max > 40 ? 20 : 14 })),
  { header: '回访结果', key: 'outcome', width: 11 },
  { header: '定稿时间', key: 'finalisedAt', width: 17 },
  { header: '客户签名', key: 'customerSignature', width: 22 },
  { header: '访问人签名', key: 'staffSignature', width: 22 },
];

/**
 * The finalised 客户回访记录表 (XX保险…客户回访管理办法 附件一) of a period as one workbook: one row
 * per record, the paper form's boxes as columns, the customer's and the visitor's signatures
 * placed as images in their cells. The phone number is masked as everywhere else.
 */
export async function writeRecordSheets(db: Database, file: string, period: { from: string; to: string }, ctx: JobContext): Promise<{ rows: number }> {
  checkSheetPeriod(period.from, period.to);
  const records = db
    .prepare(
      `SELECT v.id, v.record_no, v.version, v.visited_at, v.outcome, v.finalised_at, ${RECORD_SHEET_FIELDS.map((f) => `v.sheet_${f.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} AS ${f.name}`).join(', ')}
       FROM visits v
       WHERE v.state = 'finalised' AND coalesce(substr(v.visited_at, 1, 10), date(v.finalised_at, 'localtime')) BETWEEN ? AND ?
       ORDER BY v.visited_at, v.id`,
    )
    .all(period.from, period.to) as Record<string, string | number | null>[];
  const signatures = db.prepare<[number], { role: 'customer' | 'staff'; png: Buffer }>('SELECT role, png FROM visit_signatures WHERE visit_id = ?');
  ctx.progress(0, records.length, '正在导出记录表');

  const wb = new ExcelJS.Workbook();
  wb.creator = '回访台';
  const ws = wb.addWorksheet('客户回访记录表', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = SHEET_COLUMNS;
  styleHeader(ws.getRow(1), SHEET_COLUMNS.length);
  ws.getColumn('visitedAt').numFmt = 'yyyy-mm-dd hh:mm';
  ws.getColumn('finalisedAt').numFmt = 'yyyy-mm-dd hh:mm';
  const customerCol = SHEET_COLUMNS.findIndex((c) => c.key === 'customerSignature');
  const staffCol = SHEET_COLUMNS.findIndex((c) => c.key === 'staffSignature');

  let n = 0;
  for (const r of records) {
    const values: Record<string, unknown> = {
      recordNo: r.record_no,
      version: r.version,
      visitedAt: excelDate(r.visited_at as string | null),
      outcome: r.outcome ? (OUTCOME_STATUS_LABELS[r.outcome as OutcomeStatus] ?? r.outcome) : null,
      finalisedAt: excelDate(localDateTime(r.finalised_at as string | null)),
    };
    for (const f of RECORD_SHEET_FIELDS) values[f.name] = f.name === 'phone' ? maskPhone(r[f.name] as string | null) : (r[f.name] ?? null);
    const row = ws.addRow(values);
    row.height = SIGNATURE_HEIGHT * 0.75 + 6;
    row.alignment = { vertical: 'top', wrapText: true };
    for (const s of signatures.all(r.id as number)) {
      const image = wb.addImage({ buffer: s.png as unknown as ExcelJS.Buffer, extension: 'png' });
      ws.addImage(image, {
        tl: { col: s.role === 'customer' ? customerCol : staffCol, row: row.number - 1 } as ExcelJS.Anchor,
        ext: { width: SIGNATURE_WIDTH, height: SIGNATURE_HEIGHT },
        editAs: 'oneCell',
      });
    }
    n++;
    if (n % 50 === 0) {
      ctx.progress(n, records.length, '正在导出记录表');
      await nextTurn();
      if (ctx.signal.aborted) throw new AppError('cancelled', '已取消导出，未生成文件');
    }
  }
  const out = await openOutput(file);
  try {
    await wb.xlsx.write(out.stream);
    out.stream.end();
    await out.closed();
  } catch (err) {
    await out.abandon();
    throw err;
  }
  ctx.progress(n, records.length, '已完成');
  return { rows: n };
}
