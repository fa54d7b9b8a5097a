import { CaretDownOutlined, CaretUpOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Checkbox, Empty, theme } from 'antd';
import { memo, useEffect, useMemo, useRef, useSyncExternalStore, type KeyboardEvent, type ReactNode } from 'react';
import { TASK_KIND_LABELS, TASK_SOURCE_LABELS, type TaskRow } from '../../../../shared/domain/tasks';
import antdConfig from '../../antd-config.json';
import type { MessageKey } from '../../i18n/messages';
import { useT } from '../../stores/app-store';
import { AppointmentMark, BoardCountdown, BoardStatusTag, DueDate, PlainTag } from './TaskBadges';
import type { WindowedRows } from './task-windows';

const ROW_HEIGHT = 40;
const HEADER_HEIGHT = 40;
/** Rows fetched ahead of the view, so a window boundary is loaded before it scrolls in. */
const PREFETCH_ROWS = 60;
/**
 * While the scrollbar is dragged across thousands of rows, a window asked for now is out of view
 * before it arrives: ask main once the view moves less than the prefetch margin between frames,
 * or after it has stood still this long.
 */
const FETCH_SETTLE_MS = 100;
/** Rows drawn as placeholders before the first answer tells the real count. */
const PLACEHOLDER_ROWS = 12;

interface Column {
  key: string;
  title: MessageKey | null;
  /** A CSS grid track: fixed for short values, flexible for names and numbers that vary. */
  track: string;
  render: (row: TaskRow, today: string) => ReactNode;
  /** Shown as the cell's title when the text may be cut off. */
  text?: (row: TaskRow) => string;
}

const COLUMNS: Column[] = [
  { key: 'customer', title: 'board.col.customer', track: 'minmax(96px, 1fr)', render: (r) => r.customerName, text: (r) => r.customerName },
  { key: 'phone', title: 'board.col.phone', track: '118px', render: (r) => r.phoneMasked },
  { key: 'policy', title: 'board.col.policyNo', track: 'minmax(140px, 1.2fr)', render: (r) => r.policyNo, text: (r) => r.policyNo ?? '' },
  { key: 'kind', title: 'board.col.kind', track: '118px', render: (r) => TASK_KIND_LABELS[r.kind], text: (r) => TASK_KIND_LABELS[r.kind] },
  { key: 'source', title: 'board.col.source', track: '92px', render: (r) =>
      r.source ? (
        <PlainTag color="default" className="source-tag">
          {TASK_SOURCE_LABELS[r.source]}
        </PlainTag>
      ) : null,
  },
  {
    key: 'status',
    title: 'board.col.status',
    track: '96px',
    render: (r) => (
      <span className="status-cell">
        <BoardStatusTag status={r.status} />
        {r.hasAppointment && <AppointmentMark />}
      </span>
    ),
  },
  { key: 'assignee', title: 'board.col.assignee', track: '76px', render: (r) => r.assigneeName, text: (r) => r.assigneeName ?? '' },
  { key: 'countdown', title: 'board.col.countdown', track: '128px', render: (r, today) => <BoardCountdown task={r} today={today} /> },
  { key: 'due', title: null, track: '116px', render: (r) => <DueDate task={r} /> },
];

const CHECK_TRACK = '40px';
const MIN_WIDTH = 1010;

export interface TaskTableProps {
  rows: WindowedRows<TaskRow>;
  today: string;
  sort: 'due' | '-due';
  onSortChange: (sort: 'due' | '-due') => void;
  onOpen: (id: number) => void;
  activeId: number | null;
  /** Present for managers and administrators, who may assign in bulk. */
  selection?: {
    selected: ReadonlySet<number>;
    onToggle: (id: number) => void;
    /** 'some' draws the header box half-checked. */
    all: 'none' | 'some' | 'all';
    onToggleAll: () => void;
  };
}

/**
 * The task board's table, virtualised: only the rows in view exist in the DOM, and their data is
 * fetched a window at a time (see WindowedRows), so 100,000 tasks scroll like 100.
 */
export function TaskTable({ rows, today, sort, onSortChange, onOpen, activeId, selection }: TaskTableProps) {
  const t = useT();
  const scrollRef = useRef<HTMLDivElement>(null);
  useSyncExternalStore(rows.subscribe, rows.getVersion);
  const known = rows.total !== null;
  const count = rows.total ?? PLACEHOLDER_ROWS;
  const grid = [...(selection ? [CHECK_TRACK] : []), ...COLUMNS.map((c) => c.track)].join(' ');
  // The classes antd gives its Checkbox under this theme, worked out once for all rows (RowCheck).
  const { hashId } = theme.useToken();
  const checkClasses = useMemo(
    () => ({ wrapper: `ant-checkbox-wrapper ${antdConfig.theme.cssVar.key} ant-checkbox-css-var ${hashId}`, box: `ant-checkbox ant-wave-target ${hashId}` }),
    [hashId],
  );

  // TanStack Virtual hands back a mutable instance; this component re-renders on its updates itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    paddingStart: HEADER_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  // New filters are a new result: start at its top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [rows]);

  const lastFirst = useRef(first);
  useEffect(() => {
    const jump = Math.abs(first - lastFirst.current);
    lastFirst.current = first;
    const load = () => rows.ensure(first - PREFETCH_ROWS, last + PREFETCH_ROWS);
    if (!known || jump <= PREFETCH_ROWS) return load();
    const timer = setTimeout(load, FETCH_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [rows, first, last, known]);

  return (
    <div className={virtualizer.isScrolling ? 'vt vt-scrolling' : 'vt'} role="table" aria-rowcount={count + 1} data-testid="task-table">
      <div ref={scrollRef} className="vt-scroll">
        <div className="vt-inner" style={{ height: virtualizer.getTotalSize(), minWidth: MIN_WIDTH }}>
          <Head grid={grid} sort={sort} onSortChange={onSortChange} all={selection?.all} onToggleAll={selection?.onToggleAll} />
          {items.map((item, position) => {
            const row = rows.rowAt(item.index);
            return row ? (
              <Row
                key={row.id}
                row={row}
                index={item.index}
                start={item.start}
                grid={grid}
                today={today}
                selectable={!!selection}
                selected={selection?.selected.has(row.id) ?? false}
                active={activeId === row.id}
                onOpen={onOpen}
                onToggle={selection?.onToggle}
                checkClasses={checkClasses}
              />
            ) : (
              // Keyed by place on screen, not by row: while placeholders stream past (the scrollbar
              // dragged), the same elements move instead of hundreds being made and dropped per frame.
              <Placeholder key={`p${position}`} index={item.index} start={item.start} grid={grid} selectable={!!selection} />
            );
          })}
        </div>
        {known && count === 0 && (
          <div className="vt-empty">
            <Empty description={t('tasks.empty')} />
          </div>
        )}
      </div>
    </div>
  );
}

interface HeadProps {
  grid: string;
  sort: 'due' | '-due';
  onSortChange: (sort: 'due' | '-due') => void;
  all: 'none' | 'some' | 'all' | undefined;
  onToggleAll: (() => void) | undefined;
}

/** The sticky header: memoised, so the per-frame renders while scrolling leave it alone. */
const Head = memo(function Head({ grid, sort, onSortChange, all, onToggleAll }: HeadProps) {
  const t = useT();
  return (
    <div className="vt-head" role="row" style={{ gridTemplateColumns: grid, height: HEADER_HEIGHT }}>
      {onToggleAll && (
        <div className="vt-cell vt-check" role="columnheader">
          <Checkbox
            checked={all === 'all'}
            indeterminate={all === 'some'}
            onChange={onToggleAll}
            aria-label={t('board.selectAll')}
            data-testid="select-all"
          />
        </div>
      )}
      {COLUMNS.map((c) =>
        c.key === 'due' ? (
          <div key={c.key} className="vt-cell" role="columnheader" aria-sort={sort === 'due' ? 'ascending' : 'descending'}>
            <button type="button" className="vt-sort" onClick={() => onSortChange(sort === 'due' ? '-due' : 'due')} title={t('board.sortHint')} data-testid="sort-due">
              {t('board.col.due')}
              <span className="vt-sort-icons">
                <CaretUpOutlined className={sort === 'due' ? 'on' : ''} />
                <CaretDownOutlined className={sort === '-due' ? 'on' : ''} />
              </span>
            </button>
          </div>
        ) : (
          <div key={c.key} className="vt-cell" role="columnheader">
            {c.title ? t(c.title) : null}
          </div>
        ),
      )}
    </div>
  );
});

interface RowProps {
  row: TaskRow;
  index: number;
  start: number;
  grid: string;
  today: string;
  selectable: boolean;
  selected: boolean;
  active: boolean;
  onOpen: (id: number) => void;
  onToggle: ((id: number) => void) | undefined;
  checkClasses: CheckClasses;
}

interface CheckClasses {
  wrapper: string;
  box: string;
}

/**
 * antd's Checkbox as its markup and classes, styled by antd's own stylesheet (the header's
 * Checkbox and the build's static styles register it). Rows scroll in every frame, and antd's
 * component — its style hooks, click wave and event plumbing — was a fifth of a row's cost; this
 * looks the same, without the wave.
 */
function RowCheck({ checked, label, classes, onChange }: { checked: boolean; label: string; classes: CheckClasses; onChange: () => void }) {
  return (
    <label className={checked ? `${classes.wrapper} ant-checkbox-wrapper-checked` : classes.wrapper}>
      <span className={checked ? `${classes.box} ant-checkbox-checked` : classes.box}>
        <input type="checkbox" className="ant-checkbox-input" checked={checked} onChange={onChange} aria-label={label} data-testid="row-check" />
      </span>
    </label>
  );
}

/**
 * One task row. Memoised on plain values: while scrolling, rows already on screen keep their
 * props and are not rendered again, only the rows scrolling in are.
 */
const Row = memo(function Row({ row, index, start, grid, today, selectable, selected, active, onOpen, onToggle, checkClasses }: RowProps) {
  const t = useT();
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(row.id);
    }
  };
  return (
    <div
      className={`vt-row${selected ? ' selected' : ''}${active ? ' active' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={0}
      style={{ transform: `translateY(${start}px)`, height: ROW_HEIGHT, gridTemplateColumns: grid }}
      onClick={() => onOpen(row.id)}
      onKeyDown={onKey}
      data-testid="task-row"
      data-task-id={row.id}
    >
      {selectable && (
        // The checkbox selects for bulk assignment; it must not also open the task.
        <div className="vt-cell vt-check" role="cell" onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
          <RowCheck checked={selected} onChange={() => onToggle?.(row.id)} label={t('board.select', { name: row.customerName })} classes={checkClasses} />
        </div>
      )}
      {COLUMNS.map((c) => (
        <div key={c.key} className={`vt-cell vt-${c.key}`} role="cell" title={c.text?.(row)}>
          {c.render(row, today)}
        </div>
      ))}
    </div>
  );
});

/** A row whose window is still on its way from main. */
const Placeholder = memo(function Placeholder({ index, start, grid, selectable }: { index: number; start: number; grid: string; selectable: boolean }) {
  return (
    <div
      className="vt-row vt-placeholder"
      role="row"
      aria-rowindex={index + 2}
      aria-busy
      style={{ transform: `translateY(${start}px)`, height: ROW_HEIGHT, gridTemplateColumns: grid }}
      data-testid="task-row-placeholder"
    >
      {selectable && <div className="vt-cell" />}
      {COLUMNS.map((c) => (
        <div key={c.key} className="vt-cell">
          <span className="vt-bar" />
        </div>
      ))}
    </div>
  );
});
