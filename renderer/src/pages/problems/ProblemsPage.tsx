import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { PROBLEM_STATES, type ProblemCaseRow, type ProblemListInput, type ProblemState, type ProblemSummary, type UserSummary } from '../../../../shared/api/contract';
import { PROBLEM_CATEGORIES, type ProblemCategory } from '../../../../shared/outcome';
import { call } from '../../api/client';
import { useAppStore, useT } from '../../stores/app-store';
import { useVisitStore } from '../visit/open-visit';
import { localTime } from '../visit/visit-labels';
import { OpenCaseModal } from './OpenCaseModal';
import { ProblemDrawer } from './ProblemDrawer';
import { DUE_COLORS, DUE_KEYS, STATE_COLORS, STATE_KEYS } from './problem-labels';

const PAGE_SIZE = 50;

interface Filters {
  state?: ProblemState | undefined;
  due?: 'overdue' | 'soon' | undefined;
  handlerId?: number | undefined;
  category?: ProblemCategory | undefined;
  opened?: [Dayjs | null, Dayjs | null] | null | undefined;
}

/** 问题件: the 问题件清单 with its filters, the overdue banner for managers, and each case's lifecycle in a drawer. */
export function ProblemsPage() {
  const t = useT();
  const role = useAppStore((s) => s.user?.role);
  const revision = useVisitStore((s) => s.revision);
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [rows, setRows] = useState<ProblemCaseRow[] | null>(null);
  const [total, setTotal] = useState(0);
  const [summary, setSummary] = useState<ProblemSummary | null>(null);
  const [users, setUsers] = useState<UserSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const [opening, setOpening] = useState(false);

  const load = useCallback(async () => {
    const input: ProblemListInput = {
      state: filters.state,
      due: filters.due,
      handlerId: filters.handlerId,
      category: filters.category,
      openedFrom: filters.opened?.[0]?.format('YYYY-MM-DD'),
      openedTo: filters.opened?.[1]?.format('YYYY-MM-DD'),
      offset: (page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
    };
    const [l, s] = await Promise.all([call('problems.list', input), call('problems.summary', {})]);
    if (!l.ok) return setError(l.error.message);
    setError(null);
    setRows(l.value.rows);
    setTotal(l.value.total);
    if (s.ok) setSummary(s.value);
  }, [filters, page]);

  useEffect(() => {
    void load();
  }, [load, revision]);

  useEffect(() => {
    void call('users.list', {}).then((r) => r.ok && setUsers(r.value.users));
  }, []);

  const set = (patch: Partial<Filters>) => {
    setPage(1);
    setFilters((f) => ({ ...f, ...patch }));
  };
  const canOpen = role === 'staff' || role === 'manager';

  return (
    <Card
      title={t('problems.title')}
      extra={
        <Space>
          {canOpen && (
            <Button icon={<PlusOutlined />} onClick={() => setOpening(true)} data-testid="problem-open-button">
              {t('problems.open.button')}
            </Button>
          )}
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('problems.reload')} />
        </Space>
      }
    >
      {role === 'manager' && summary && summary.overdue > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="problem-overdue-banner"
          style={{ marginBottom: 12 }}
          title={t('problems.overdueBanner', { n: summary.overdue })}
          action={
            <Button size="small" danger onClick={() => set({ due: 'overdue' })}>
              {t('problems.showOverdue')}
            </Button>
          }
        />
      )}
      {summary && (
        <Space wrap style={{ marginBottom: 12 }} data-testid="problem-summary">
          {PROBLEM_STATES.map((s) => (
            <Tag key={s} color={STATE_COLORS[s]}>
              {t(STATE_KEYS[s])} {summary.byState[s]}
            </Tag>
          ))}
          <Tag color="red">
            {t('problems.due.overdue')} {summary.overdue}
          </Tag>
          <Tag color="gold">
            {t('problems.due.soon')} {summary.soon}
          </Tag>
        </Space>
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 130 }}
          placeholder={t('problems.filter.state')}
          value={filters.state}
          onChange={(v: ProblemState | undefined) => set({ state: v })}
          options={PROBLEM_STATES.map((s) => ({ value: s, label: t(STATE_KEYS[s]) }))}
          data-testid="problem-filter-state"
        />
        <Select
          allowClear
          style={{ width: 130 }}
          placeholder={t('problems.filter.due')}
          value={filters.due}
          onChange={(v: 'overdue' | 'soon' | undefined) => set({ due: v })}
          options={(['overdue', 'soon'] as const).map((d) => ({ value: d, label: t(DUE_KEYS[d]) }))}
          data-testid="problem-filter-due"
        />
        <Select
          allowClear
          style={{ width: 150 }}
          placeholder={t('problems.filter.handler')}
          value={filters.handlerId}
          onChange={(v: number | undefined) => set({ handlerId: v })}
          options={users.filter((u) => u.role === 'staff' || u.role === 'manager').map((u) => ({ value: u.id, label: u.displayName }))}
        />
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('problems.filter.category')}
          value={filters.category}
          onChange={(v: ProblemCategory | undefined) => set({ category: v })}
          showSearch={{ optionFilterProp: 'label' }}
          options={PROBLEM_CATEGORIES.map((c) => ({ value: c.code, label: c.label }))}
        />
        <DatePicker.RangePicker
          value={filters.opened ?? null}
          onChange={(v) => set({ opened: v })}
          placeholder={[t('problems.filter.openedFrom'), t('problems.filter.openedTo')]}
        />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<ProblemCaseRow>
        rowKey="id"
        size="middle"
        data-testid="problem-list"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), className: 'clickable-row' })}
        pagination={{ current: page, pageSize: PAGE_SIZE, total, showSizeChanger: false, onChange: setPage, showTotal: (n) => t('problems.total', { n }) }}
        locale={{ emptyText: t('problems.empty') }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('problems.col.policy'), dataIndex: 'policyNo', render: (v: string | null) => <span className="mono nowrap">{v ?? ''}</span> },
          {
            title: t('problems.col.agent'),
            key: 'agent',
            render: (_: unknown, r) => <span className="nowrap">{r.agentName ? `${r.agentName}（${r.agentCode ?? ''}）` : ''}</span>,
          },
          { title: t('problems.col.customer'), dataIndex: 'customerName', render: (v: string) => <span className="nowrap">{v}</span> },
          {
            title: t('problems.col.categories'),
            dataIndex: 'categoryLabels',
            render: (v: string[]) => v.map((c) => <Tag key={c}>{c}</Tag>),
          },
          { title: t('problems.col.description'), dataIndex: 'description', ellipsis: true, width: 200 },
          { title: t('problems.col.handler'), dataIndex: 'handlerName', render: (v: string | null) => <span className="nowrap">{v ?? t('problems.unassigned')}</span> },
          {
            title: t('problems.col.state'),
            dataIndex: 'state',
            render: (s: ProblemState) => <Tag color={STATE_COLORS[s]}>{t(STATE_KEYS[s])}</Tag>,
          },
          { title: t('problems.col.opened'), dataIndex: 'openedAt', render: (v: string) => <span className="nowrap">{localTime(v)}</span> },
          {
            title: t('problems.col.due'),
            key: 'due',
            render: (_: unknown, r) => (
              <span className="nowrap">
                {r.dueOn ?? ''} {r.dueState && <Tag color={DUE_COLORS[r.dueState]}>{t(DUE_KEYS[r.dueState])}</Tag>}
              </span>
            ),
          },
          { title: t('problems.col.closed'), dataIndex: 'closedAt', render: (v: string | null) => <span className="nowrap">{localTime(v)}</span> },
        ]}
      />
      <ProblemDrawer caseId={openId} users={users} onClose={() => setOpenId(null)} onChanged={() => void load()} />
      <OpenCaseModal
        open={opening}
        onClose={(opened) => {
          setOpening(false);
          if (opened) {
            void load();
            setOpenId(opened.id);
          }
        }}
      />
    </Card>
  );
}
