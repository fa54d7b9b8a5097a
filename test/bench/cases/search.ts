import { fillTasks } from '../data';

const SEARCH_TASKS = Number(process.env.BENCH_SEARCH_TASKS ?? 1_000_000);
import { freshApp, p95, timed, type Row } from '../harness';

export async function searchCase(): Promise<Row[]> {
  const { app, call, admin, dispose } = freshApp('search');
  try {
    const session = await admin();
    console.log(`写入 ${SEARCH_TASKS} 个任务…`);
    fillTasks(app.db, SEARCH_TASKS);
    const samples = app.db.prepare('SELECT c.name, c.phone, p.policy_no FROM customers c JOIN policies p ON p.applicant_id = c.id WHERE c.id % 9973 = 1 LIMIT 40').all() as { name: string; phone: string; policy_no: string }[];
    const queries = samples.flatMap((s) => [s.name, s.phone.slice(3, 9), s.policy_no.slice(-7)]);
    const rawFts = app.db.prepare('SELECT rowid FROM task_search WHERE task_search MATCH ? LIMIT 100');
    const rawName = app.db.prepare('SELECT id FROM customers WHERE name >= ? AND name < ? || char(1114111) LIMIT 100');
    const ours: number[] = [];
    const base: number[] = [];
    for (const q of queries) {
      base.push(await timed(() => ([...q].length >= 3 ? rawFts.all(`"${q}"`) : rawName.all(q, q))));
      ours.push(await timed(() => call('tasks.list', { search: q, limit: 100 }, session)));
    }
    return [
      { case: `搜索 ${SEARCH_TASKS} 个任务（经接口，p95）`, ours: p95(ours), baseline: p95(base), unit: 'ms', ratio: p95(ours) / p95(base), target: 'p95 ≤ 15 ms，比值 ≤ 3', pass: p95(ours) <= 15 && p95(ours) / p95(base) <= 3, note: '基线为裸 FTS5 查询（两字姓名为姓名索引前缀查询）' },
    ];
  } finally {
    dispose();
  }
}

