import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Segmented, Space, Table, Tag, Typography } from 'antd';
import { AdHocVisitButton } from './AdHocVisitButton';
import { RecordSheetsExportButton } from '../lists/RecordSheetsExport';
import { useCallback, useEffect, useState } from 'react';
import type { VisitSummary, VisitView } from '../../../../shared/api/contract';
import { TASK_KIND_LABELS } from '../../../../shared/domain/tasks';
import { OUTCOME_STATUS_LABELS } from '../../../../shared/outcome';
import { call } from '../../api/client';
import { useAppStore, useT } from '../../stores/app-store';
import { openVisit, useVisitStore } from './open-visit';
import { OUTCOME_COLORS, STATE_COLORS, localTime } from './visit-labels';

type StateFilter = 'all' | VisitView['state'];
const PAGE_SIZE = 50;

/** 面访记录: every visit record, drafts first to be continued, finalised ones to be read and printed. */
export function VisitRecordsPage() {
  const t = useT();
  const user = useAppStore((s) => s.user);
  const revision = useVisitStore((s) => s.revision);
  const [filter, setFilter] = useState<StateFilter>('all');
  const [page, setPage] = useState(1);
  const [rows, setRows] = useState<VisitSummary[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await call('visits.list', { ...(filter !== 'all' ? { state: filter } : {}), offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setRows(r.value.visits);
    setTotal(r.value.total);
  }, [filter, page]);

  // Reloads when a visit was opened, saved or closed, so the list shows what the workspace did.
  useEffect(() => {
    void load();
  }, [load, revision]);

  const stateLabel: Record<VisitView['state'], string> = { draft: t('visit.state.draft'), finalised: t('visit.state.finalised'), superseded: t('visit.state.superseded') };

  return (
    <Card
      title={t('menu.visits')}
      extra={
        <Space>
          <Segmented<StateFilter>
            value={filter}
            onChange={(v) => {
              setFilter(v);
              setPage(1);
            }}
            options={[
              { value: 'all', label: t('visit.filter.all') },
              { value: 'draft', label: stateLabel.draft },
              { value: 'finalised', label: stateLabel.finalised },
              { value: 'superseded', label: stateLabel.superseded },
            ]}
          />
          {user?.role !== 'admin' && <AdHocVisitButton />}
          {user?.role === 'manager' && <RecordSheetsExportButton />}
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('visit.reload')} />
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary">{t('visit.records.intro')}</Typography.Paragraph>
      <Table<VisitSummary>
        rowKey="id"
        size="middle"
        data-testid="visit-records"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        onRow={(r) => ({ onClick: () => void openVisit(r.id), className: 'clickable-row' })}
        pagination={{ current: page, pageSize: PAGE_SIZE, total, showSizeChanger: false, onChange: setPage, showTotal: (n) => t('visit.records.total', { n }) }}
        locale={{ emptyText: t('visit.records.empty') }}
        columns={[
          { title: t('visit.col.recordNo'), dataIndex: 'recordNo', render: (v: string) => <span className="mono nowrap">{v}</span> },
          { title: t('visit.col.version'), dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
          { title: t('visit.col.state'), dataIndex: 'state', width: 90, render: (s: VisitView['state']) => <Tag color={STATE_COLORS[s]}>{stateLabel[s]}</Tag> },
          { title: t('visit.col.customer'), dataIndex: 'customerName', render: (v: string) => <span className="nowrap">{v}</span> },
          { title: t('visit.col.policy'), dataIndex: 'policyNo', render: (v: string | null) => <span className="mono nowrap">{v ?? ''}</span> },
          { title: t('visit.col.kind'), dataIndex: 'kind', render: (k: VisitSummary['kind']) => <span className="nowrap">{TASK_KIND_LABELS[k]}</span> },
          { title: t('visit.col.visitor'), dataIndex: 'visitorName', width: 90 },
          { title: t('visit.col.visitedAt'), dataIndex: 'visitedAt', render: (v: string | null) => <span className="nowrap">{v ?? ''}</span> },
          {
            title: t('visit.col.outcome'),
            dataIndex: 'outcome',
            width: 110,
            // A draft's outcome is only known once it is finalised; the list stores it then.
            render: (o: VisitSummary['outcome'], r) => (r.state === 'draft' ? <Tag>{t('visit.records.inProgress')}</Tag> : <Tag color={OUTCOME_COLORS[o]}>{OUTCOME_STATUS_LABELS[o]}</Tag>),
          },
          { title: t('visit.record.finalisedAt'), dataIndex: 'finalisedAt', render: (v: string | null) => <span className="nowrap">{localTime(v)}</span> },
        ]}
      />
    </Card>
  );
}
