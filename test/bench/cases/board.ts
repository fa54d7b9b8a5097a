import { fillTasks } from '../data';
import { freshApp, p95, timed, type Row } from '../harness';

/** The board's scrolling: windows of 200 rows at random offsets, as the virtual table asks for them. */
export async function boardCase(): Promise<Row[]> {
  const { app, call, admin, dispose } = freshApp('board');
  try {
    const session = await admin();
    fillTasks(app.db, 100_000);
    const raw = app.db.prepare("SELECT id FROM visit_tasks ORDER BY ifnull(due_on, '9999-12-31'), id LIMIT 200 OFFSET ?");
    const ours: number[] = [];
    const base: number[] = [];
    const overdue: number[] = [];
    for (let i = 0; i < 60; i++) {
      const offset = Math.floor(((i * 7919) % 100) * 998);
      base.push(await timed(() => raw.all(offset)));
      ours.push(await timed(() => call('tasks.list', { offset, limit: 200 }, session)));
      if (i < 20) overdue.push(await timed(() => call('tasks.list', { due: 'overdue', offset: 0, limit: 200 }, session)));
    }
    return [
      { case: '任务列表取一屏 200 行（100,000 任务，经接口，p95）', ours: p95(ours), baseline: p95(base), unit: 'ms', ratio: p95(ours) / p95(base), target: '≤ 150 ms', pass: p95(ours) <= 150, note: '基线为同序裸 SQL' },
      { case: '筛选「已逾期」后取首屏（100,000 任务，p95）', ours: p95(overdue), baseline: null, unit: 'ms', ratio: null, target: '≤ 150 ms', pass: p95(overdue) <= 150 },
    ];
  } finally {
    dispose();
  }
}

