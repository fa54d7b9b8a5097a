import { CalendarOutlined, HistoryOutlined, ImportOutlined, TeamOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Space, Statistic, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { TaskDetail, TaskSummary, UserSummary } from '../../../../shared/api/contract';
import { TASK_STATUSES, TASK_STATUS_LABELS, type TaskRow, type TaskStatus } from '../../../../shared/domain/tasks';
import { call } from '../../api/client';
import { lazyNamed, useOpenedOnce, whenIdle } from '../../components/lazy-pane';
import { Loadable } from '../../components/Loadable';
import { useAppStore, useT } from '../../stores/app-store';
import { BoardToolbar, EMPTY_FILTERS, toQuery, type BoardFilters } from './BoardToolbar';
import { useToday } from './hooks';
import { TaskTable } from './TaskTable';
import { WindowedRows } from './task-windows';

// The panes opened from the board (detail, import, assignment, the import log, the week) bring
// antd's tables, date pickers, uploads and the contract's schemas: each is its own chunk, fetched
// when first opened, so the board's first rows do not wait for them.
const loadDetail = () => import('./TaskDetailDrawer');
const TaskDetailDrawer = lazyNamed(loadDetail, 'TaskDetailDrawer');
const AssignModal = lazyNamed(() => import('./AssignModal'), 'AssignModal');
const ImportWizard = lazyNamed(() => import('./ImportWizard'), 'ImportWizard');
const ImportBatchesDrawer = lazyNamed(() => import('./ImportBatchesDrawer'), 'ImportBatchesDrawer');
const WeekViewDrawer = lazyNamed(() => import('./WeekViewDrawer'), 'WeekViewDrawer');

/** tasks.assign takes at most this many ids at once. */
const ASSIGN_LIMIT = 5000;
const LIST_PAGE = 500;

/**
 * 回访任务: the branch's visit tasks. A summary strip, the filters, the virtualised board, and
 * the panes opened from it (task detail, import, import log, the week's appointments).
 */
export function TasksPage() {
  const t = useT();
  const user = useAppStore((s) => s.user);
  const { message } = App.useApp();
  const today = useToday();
  const canAssign = user?.role === 'manager' || user?.role === 'admin';
  const canImport = user?.role === 'staff' || user?.role === 'manager' || user?.role === 'admin';

  const [summary, setSummary] = useState<TaskSummary | null>(null);
  const [summaryError, setSummaryError] = useState<string | null>(null);
  const [users, setUsers] = useState<UserSummary[]>([]);
  const [filters, setFilters] = useState<BoardFilters>(EMPTY_FILTERS);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [selectingAll, setSelectingAll] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  const [pane, setPane] = useState<'import' | 'batches' | 'week' | 'assign' | null>(null);
  const [loadingDemo, setLoadingDemo] = useState(false);

  const queryKey = JSON.stringify(toQuery(filters));
  // One row cache per query: new filters drop every window of the old result.
  const rows = useMemo(() => {
    const query = JSON.parse(queryKey) as ReturnType<typeof toQuery>;
    return new WindowedRows<TaskRow>((offset, limit) => call('tasks.list', { ...query, offset, limit }));
  }, [queryKey]);

  const loadSummary = useCallback(async () => {
    const r = await call('tasks.summary', {});
    if (!r.ok) return setSummaryError(r.error.message);
    setSummaryError(null);
    setSummary(r.value);
  }, []);

  useEffect(() => {
    void loadSummary();
    void call('users.list', {}).then((r) => r.ok && setUsers(r.value.users));
  }, [loadSummary]);
  // Opening a task is the board's most common next step: have its pane ready by then.
  useEffect(() => whenIdle(loadDetail), []);
  const detailOpened = useOpenedOnce(openId !== null);
  const assignOpened = useOpenedOnce(pane === 'assign');
  const importOpened = useOpenedOnce(pane === 'import');
  const batchesOpened = useOpenedOnce(pane === 'batches');
  const weekOpened = useOpenedOnce(pane === 'week');

  /** After an import, an assignment or the demo: same filters, fresh rows and counts. */
  const refreshAll = useCallback(() => {
    rows.refresh();
    void loadSummary();
  }, [rows, loadSummary]);

  const changeFilters = (f: BoardFilters) => {
    setFilters(f);
    // A selection made under other filters would assign tasks no longer in view.
    setSelected(new Set());
  };

  const loadDemo = async () => {
    setLoadingDemo(true);
    const r = await call('demo.load', {});
    setLoadingDemo(false);
    if (!r.ok) return void message.error(r.error.message);
    void message.success(t('tasks.demoLoaded', { tasks: r.value.tasks }));
    void call('users.list', {}).then((u) => u.ok && setUsers(u.value.users));
    refreshAll();
  };

  // Whether the open task was changed: only then can closing it move rows in or out of the filters.
  const detailChanged = useRef(false);
  const onTaskChanged = useCallback(
    (d: TaskDetail) => {
      detailChanged.current = true;
      rows.patch(d.task);
      void loadSummary();
    },
    [rows, loadSummary],
  );

  // Only what this page shows of the cache: the count and a load failure (the table follows the rows).
  const total = useSyncExternalStore(rows.subscribe, () => rows.total);
  const rowsError = useSyncExternalStore(rows.subscribe, () => rows.error);
  // Stable, so that rows already on screen need not render again when one box is ticked.
  const toggle = useCallback(
    (id: number) =>
      setSelected((s) => {
        const next = new Set(s);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );

  /** The header box: clears a selection, or selects every task the filters match (up to what one assignment takes). */
  const toggleAll = async () => {
    if (selected.size > 0) return setSelected(new Set());
    if (total === null || total === 0) return;
    if (total > ASSIGN_LIMIT) return void message.warning(t('board.selectAllTooMany', { limit: ASSIGN_LIMIT, total }));
    setSelectingAll(true);
    const ids: number[] = [];
    const query = toQuery(filters);
    for (let offset = 0; offset < total; offset += LIST_PAGE) {
      const r = await call('tasks.list', { ...query, offset, limit: LIST_PAGE });
      if (!r.ok) {
        setSelectingAll(false);
        return void message.error(r.error.message);
      }
      ids.push(...r.value.rows.map((row) => row.id));
    }
    setSelectingAll(false);
    setSelected(new Set(ids));
  };

  const allState = selected.size === 0 ? 'none' : total !== null && selected.size >= total ? 'all' : 'some';

  return (
    <div className="tasks-page">
      <Card size="small" className="tasks-summary">
        <div className="summary-strip">
          <Statistic title={t('tasks.total')} value={summary?.total ?? 0} valueRender={(v) => <span data-testid="task-total">{v}</span>} />
          {TASK_STATUSES.filter((s) => (summary?.byStatus[s] ?? 0) > 0).map((s: TaskStatus) => (
            <button
              key={s}
              type="button"
              className={`summary-status${filters.status === s ? ' on' : ''}`}
              onClick={() => changeFilters({ ...filters, status: filters.status === s ? undefined : s })}
              title={t('board.filterByStatus', { status: TASK_STATUS_LABELS[s] })}
              data-testid={`summary-${s}`}
            >
              <Statistic title={TASK_STATUS_LABELS[s]} value={summary?.byStatus[s] ?? 0} />
            </button>
          ))}
          <span className="summary-spacer" />
          {user?.role === 'admin' && (
            <Button onClick={() => void loadDemo()} loading={loadingDemo}>
              {t('tasks.loadDemo')}
            </Button>
          )}
        </div>
      </Card>
      {summaryError && <Alert type="error" showIcon title={summaryError} />}

      <Card
        size="small"
        className="board-card"
        title={
          <Space size="middle">
            <span>{t('board.title')}</span>
            <Typography.Text type="secondary" className="board-count" data-testid="board-count">
              {total === null ? t('board.loading') : t('board.count', { count: total.toLocaleString('zh-CN') })}
              {selected.size > 0 && t('board.selectedCount', { count: selected.size })}
            </Typography.Text>
          </Space>
        }
        extra={
          <Space size="small">
            {canAssign && (
              <Button icon={<TeamOutlined />} disabled={selected.size === 0} loading={selectingAll} onClick={() => setPane('assign')} data-testid="bulk-assign">
                {selected.size > 0 ? t('board.assignN', { count: selected.size }) : t('board.assign')}
              </Button>
            )}
            <Button icon={<CalendarOutlined />} onClick={() => setPane('week')} data-testid="open-week">
              {t('week.open')}
            </Button>
            <Button icon={<HistoryOutlined />} onClick={() => setPane('batches')} data-testid="open-batches">
              {t('batches.open')}
            </Button>
            {canImport && (
              <Button type="primary" icon={<ImportOutlined />} onClick={() => setPane('import')} data-testid="open-import">
                {t('import.open')}
              </Button>
            )}
          </Space>
        }
      >
        <BoardToolbar filters={filters} onChange={changeFilters} users={users} />
        {rowsError && (
          <Alert
            type="error"
            showIcon
            title={t('board.loadFailed', { message: rowsError })}
            action={
              <Button size="small" onClick={() => rows.refresh()}>
                {t('board.retry')}
              </Button>
            }
            style={{ marginBottom: 8 }}
          />
        )}
        <TaskTable
          rows={rows}
          today={today}
          sort={filters.sort}
          onSortChange={(sort) => setFilters({ ...filters, sort })}
          onOpen={setOpenId}
          activeId={openId}
          {...(canAssign ? { selection: { selected, onToggle: toggle, all: allState, onToggleAll: () => void toggleAll() } } : {})}
        />
      </Card>

      <Loadable fallback={null}>
        {detailOpened && (
          <TaskDetailDrawer
            taskId={openId}
            today={today}
            onClose={() => {
              setOpenId(null);
              // What was done in the pane may move the task out of (or into) the filtered result.
              if (detailChanged.current) rows.refresh();
              detailChanged.current = false;
            }}
            onChanged={onTaskChanged}
          />
        )}
        {canAssign && assignOpened && (
          <AssignModal
            open={pane === 'assign'}
            taskIds={[...selected]}
            users={users}
            onClose={(assigned) => {
              setPane(null);
              if (assigned) {
                setSelected(new Set());
                refreshAll();
              }
            }}
          />
        )}
        {canImport && importOpened && (
          <ImportWizard
            open={pane === 'import'}
            onClose={(imported) => {
              setPane(null);
              if (imported) refreshAll();
            }}
          />
        )}
        {batchesOpened && <ImportBatchesDrawer open={pane === 'batches'} onClose={() => setPane(null)} />}
        {weekOpened && (
          <WeekViewDrawer
            open={pane === 'week'}
            today={today}
            onClose={() => setPane(null)}
            onOpenTask={(id) => {
              setPane(null);
              setOpenId(id);
            }}
          />
        )}
      </Loadable>
    </div>
  );
}
