import { SearchOutlined } from '@ant-design/icons';
import { Button, Checkbox, Input, InputNumber, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import type { UserSummary } from '../../../../shared/api/contract';
import {
  CHANNELS,
  CHANNEL_LABELS,
  TASK_KINDS,
  TASK_KIND_LABELS,
  TASK_STATUSES,
  TASK_STATUS_LABELS,
  type Channel,
  type TaskKind,
  type TaskStatus,
} from '../../../../shared/domain/tasks';
import { useT } from '../../stores/app-store';
import { useDebounced } from './hooks';

export interface BoardFilters {
  kind?: TaskKind | undefined;
  status?: TaskStatus | undefined;
  channel?: Channel | undefined;
  /** A user's id, or 'none' for tasks nobody owns yet. */
  assignee?: number | 'none' | undefined;
  due?: 'overdue' | 'soon' | undefined;
  soonDays: number;
  hasAppointment: boolean;
  search: string;
  sort: 'due' | '-due';
}

export const EMPTY_FILTERS: BoardFilters = { soonDays: 3, hasAppointment: false, search: '', sort: 'due' };

/** The filters as tasks.list takes them (without the window). */
export function toQuery(f: BoardFilters) {
  return {
    sort: f.sort,
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.channel ? { channel: f.channel } : {}),
    ...(f.assignee === 'none' ? { unassigned: true } : f.assignee !== undefined ? { assigneeId: f.assignee } : {}),
    ...(f.due ? { due: f.due, soonDays: f.soonDays } : {}),
    ...(f.hasAppointment ? { hasAppointment: true } : {}),
    ...(f.search ? { search: f.search } : {}),
  };
}

const SEARCH_DEBOUNCE_MS = 250;
const NO_ASSIGNEE = -1;

/** Filters above the board: each change is a new query; the search waits until typing pauses. */
export function BoardToolbar({ filters, onChange, users }: { filters: BoardFilters; onChange: (f: BoardFilters) => void; users: UserSummary[] }) {
  const t = useT();
  const [text, setText] = useState(filters.search);
  const settled = useDebounced(text.trim(), SEARCH_DEBOUNCE_MS);
  const set = (patch: Partial<BoardFilters>) => onChange({ ...filters, ...patch });

  useEffect(() => {
    if (settled !== filters.search) onChange({ ...filters, search: settled });
    // Only the settled text drives this; the other filters are passed through as they are.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled]);

  const dueValue = filters.due ?? 'all';
  const assigneeValue = filters.assignee === 'none' ? NO_ASSIGNEE : filters.assignee;
  const changed =
    filters.kind || filters.status || filters.channel || filters.assignee !== undefined || filters.due || filters.hasAppointment || filters.search;

  return (
    <div className="board-filters" data-testid="board-filters">
      <Input
        allowClear
        prefix={<SearchOutlined />}
        placeholder={t('tasks.search')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        // Enter searches at once, without waiting for the pause.
        onPressEnter={() => set({ search: text.trim() })}
        style={{ width: 272 }}
        aria-label={t('tasks.search')}
      />
      {/*
        virtual={false} on these short lists: the virtual list measures every option's height on
        each change, forcing a layout of the whole board behind it; that was most of the time from
        picking a filter to its rows.
      */}
      <Select<TaskKind>
        virtual={false}
        allowClear
        placeholder={t('board.filter.kind')}
        value={filters.kind}
        onChange={(v) => set({ kind: v })}
        options={TASK_KINDS.map((k) => ({ value: k, label: TASK_KIND_LABELS[k] }))}
        style={{ width: 146 }}
        popupMatchSelectWidth={false}
        data-testid="filter-kind"
      />
      <Select<TaskStatus>
        virtual={false}
        allowClear
        placeholder={t('board.filter.status')}
        value={filters.status}
        onChange={(v) => set({ status: v })}
        options={TASK_STATUSES.map((s) => ({ value: s, label: TASK_STATUS_LABELS[s] }))}
        style={{ width: 104 }}
        data-testid="filter-status"
      />
      <Select<Channel>
        virtual={false}
        allowClear
        placeholder={t('board.filter.channel')}
        value={filters.channel}
        onChange={(v) => set({ channel: v })}
        options={CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] }))}
        style={{ width: 96 }}
        data-testid="filter-channel"
      />
      <Select<number>
        virtual={false}
        allowClear
        placeholder={t('board.filter.assignee')}
        value={assigneeValue}
        onChange={(v) => set({ assignee: v === undefined ? undefined : v === NO_ASSIGNEE ? 'none' : v })}
        options={[
          { value: NO_ASSIGNEE, label: t('board.filter.unassigned') },
          // Administrators are never assigned tasks (main refuses it), so they are no filter here.
          ...users.filter((u) => u.role !== 'admin').map((u) => ({ value: u.id, label: u.displayName })),
        ]}
        style={{ width: 110 }}
        popupMatchSelectWidth={false}
        data-testid="filter-assignee"
      />
      <Space.Compact>
        <Select<'all' | 'overdue' | 'soon'>
          virtual={false}
          value={dueValue}
          onChange={(v) => set({ due: v === 'all' ? undefined : v })}
          options={[
            { value: 'all', label: t('board.filter.dueAll') },
            { value: 'overdue', label: t('board.filter.overdue') },
            { value: 'soon', label: t('board.filter.soon', { days: filters.soonDays }) },
          ]}
          style={{ width: 118 }}
          aria-label={t('board.filter.due')}
          data-testid="filter-due"
        />
        {filters.due === 'soon' && (
          <InputNumber<number>
            min={1}
            max={60}
            precision={0}
            value={filters.soonDays}
            onChange={(v) => v !== null && set({ soonDays: v })}
            style={{ width: 64 }}
            aria-label={t('board.filter.soonDays')}
            data-testid="filter-soon-days"
          />
        )}
      </Space.Compact>
      <Checkbox checked={filters.hasAppointment} onChange={(e) => set({ hasAppointment: e.target.checked })} data-testid="filter-appointment">
        {t('board.filter.hasAppointment')}
      </Checkbox>
      {changed && (
        <Button
          type="link"
          size="small"
          onClick={() => {
            setText('');
            onChange({ ...EMPTY_FILTERS, sort: filters.sort });
          }}
        >
          {t('board.filter.reset')}
        </Button>
      )}
    </div>
  );
}
