import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { localIsoDate } from '../../../electron/app/clock';
import { LIST_COLUMNS, LIST_TITLES } from '../../../electron/lists/columns';
import { maskPhone } from '../../../shared/domain/masking';
import { TASK_KIND_LABELS, TASK_SOURCE_LABELS, TASK_STATUS_LABELS, type TaskKind, type TaskSource, type TaskStatus } from '../../../shared/domain/tasks';
import { bulkFill, fillTasksSql } from '../data';
import { freshApp, median, OUT, RUNS, timed, type Row } from '../harness';

const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 100_000);
const COLUMNS = LIST_COLUMNS.tracking;

/**
 * 跟踪件清单 (tasks due within 2 working days, not yet done) exported to .xlsx through the contract
 * (lists.export, polling jobs.get, then exports.result), with all ROWS tasks due today or in the
 * next two days so the list holds every one of them. Baseline: a bare exceljs streaming writer
 * writing the same rows (same columns, same values: masked phones, labels, dates as dates),
 * read from the database and converted before the clock starts.
 */
export async function exportCase(): Promise<Row[]> {
  const { app, call, admin, dispose } = freshApp('export');
  try {
    const session = await admin();
    const staff: { id: number } = await call('accounts.create', { username: 'zhangli', displayName: '张丽', role: 'staff', password: 'bench-pass-2' }, session);
    const s: { sessionToken: string } = await call('auth.signIn', { username: 'zhangli', password: 'bench-pass-2' });
    console.log(`写入 ${ROWS} 个任务…`);
    const today = localIsoDate(new Date());
    bulkFill(app.db, () => {
      // Due today, tomorrow or the day after: within 2 working days whatever the weekday. Half are assigned.
      fillTasksSql(app.db, ROWS, { dueOn: `date('${today}', '+' || (x % 3) || ' days')` });
      app.db.prepare('UPDATE visit_tasks SET assignee_id = ? WHERE id % 2 = 0').run(staff.id);
    });
    const listed: { total: number } = await call('lists.get', { list: 'tracking', offset: 0, limit: 1 }, s.sessionToken);
    if (listed.total !== ROWS) throw new Error(`export: 跟踪件清单 holds ${listed.total} rows, expected ${ROWS}`);

    const rows = baselineRows(app.db, today);
    const bareFile = path.join(OUT, `export-bare-${process.pid}.xlsx`);
    const ours: number[] = [];
    const base: number[] = [];
    let size = 0;
    try {
      for (let i = 0; i < RUNS; i++) {
        base.push(await timed(() => bareWrite(bareFile, rows)));
        ours.push(
          await timed(async () => {
            const { jobId }: { jobId: string } = await call('lists.export', { list: 'tracking' }, s.sessionToken);
            for (;;) {
              const job: { state: string; error?: { message: string } } = await call('jobs.get', { jobId }, s.sessionToken);
              if (job.state === 'done') break;
              if (job.state !== 'running') throw new Error(`export job ${job.state}: ${job.error?.message ?? ''}`);
              await new Promise((r) => setTimeout(r, 20));
            }
            const done: { rows: number; size: number } = await call('exports.result', { jobId }, s.sessionToken);
            if (done.rows !== ROWS) throw new Error(`export wrote ${done.rows} rows, expected ${ROWS}`);
            size = done.size;
          }),
        );
      }
    } finally {
      fs.rmSync(bareFile, { force: true });
    }
    const ratio = median(ours) / median(base);
    return [
      {
        case: `导出 ${ROWS} 行跟踪件清单为 xlsx（经接口：任务、进度、取数、脱敏、写入）`,
        ours: median(ours),
        baseline: median(base),
        unit: 'ms',
        ratio,
        target: '比值 ≤ 1.3',
        pass: ratio <= 1.3,
        note: `基线为裸 exceljs 流式写入相同的行（事先读出并转换）；文件 ${(size / 1048576).toFixed(1)} MB`,
      },
    ];
  } finally {
    dispose();
  }
}

type Cell = string | Date | null;

/** The list's rows as the export writes them, read and converted before any timing. */
function baselineRows(db: ReturnType<typeof freshApp>['app']['db'], today: string): Cell[][] {
  const rows = db
    .prepare(
      `SELECT p.policy_no, c.name, c.phone, p.product_name, t.kind, t.source, u.display_name AS assignee, t.due_on, t.status
       FROM visit_tasks t LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN policies p ON p.id = t.policy_id LEFT JOIN users u ON u.id = t.assignee_id
       WHERE t.due_on >= ? ORDER BY t.due_on, t.id`,
    )
    .all(today) as { policy_no: string | null; name: string | null; phone: string | null; product_name: string | null; kind: string; source: string | null; assignee: string | null; due_on: string; status: string }[];
  return rows.map((r) => {
    const [y, m, d] = r.due_on.split('-').map(Number) as [number, number, number];
    return [
      r.policy_no, r.name, maskPhone(r.phone), r.product_name, TASK_KIND_LABELS[r.kind as TaskKind] ?? null, TASK_SOURCE_LABELS[r.source as TaskSource] ?? null, r.assignee ?? '未分配',
      new Date(Date.UTC(y, m - 1, d)), TASK_STATUS_LABELS[r.status as TaskStatus] ?? null,
    ];
  });
}

async function bareWrite(file: string, rows: Cell[][]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(LIST_TITLES.tracking);
  ws.columns = COLUMNS.map((c) => ({ header: c.title, key: c.key, width: c.width, ...(c.type === 'date' ? { style: { numFmt: 'yyyy-mm-dd' } } : {}) }));
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
}
