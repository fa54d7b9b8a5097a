import { AuditOutlined, ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { VisitSummary } from '../../../../shared/api/contract';
import { TASK_KIND_LABELS } from '../../../../shared/domain/tasks';
import { OUTCOME_STATUS_LABELS } from '../../../../shared/outcome';
import { call } from '../../api/client';
import { useAppStore, useT } from '../../stores/app-store';
import { openVisit, useVisitStore } from '../visit/open-visit';
import { OUTCOME_COLORS, localTime } from '../visit/visit-labels';
import { CountersignModal } from './CountersignModal';
import { ReturnModal } from './ReturnModal';
import { errorText } from './error-text';

const PAGE_SIZE = 100;

/** 主管会签: finalised records waiting for a manager, oldest first; read, then countersign or return. */
export function CountersignPage() {
  const t = useT();
  const user = useAppStore((s) => s.user);
  if (user?.role !== 'manager') {
    return (
      <Card title={t('menu.countersign')}>
        <Alert type="info" showIcon title={t('cs.managersOnly')} data-testid="countersign-managers-only" />
      </Card>
    );
  }
  return <Queue />;
}

function Queue() {
  const t = useT();
  const revision = useVisitStore((s) => s.revision);
  const [page, setPage] = useState(1);
  const [rows, setRows] = useState<VisitSummary[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number[]>([]);
  const [signing, setSigning] = useState(false);
  const [returning, setReturning] = useState<VisitSummary | null>(null);

  const load = useCallback(async () => {
    const r = await call('countersign.queue', { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
    if (!r.ok) return setError(errorText(r.error));
    setError(null);
    setRows(r.value.visits);
    setTotal(r.value.total);
    // A record that left the queue (signed or returned elsewhere) is no longer selected.
    const ids = new Set(r.value.visits.map((v) => v.id));
    setSelected((s) => s.filter((id) => ids.has(id)));
  }, [page]);

  // Reloads when a record was opened and closed again, as 面访记录 does.
  useEffect(() => {
    void load();
  }, [load, revision]);

  const chosen = (rows ?? []).filter((r) => selected.includes(r.id));

  return (
    <Card
      title={t('menu.countersign')}
      extra={
        <Space>
          <Button type="primary" icon={<AuditOutlined />} disabled={chosen.length === 0} onClick={() => setSigning(true)} data-testid="countersign-button">
            {t('cs.sign', { n: chosen.length })}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('visit.reload')} />
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary">{t('cs.intro')}</Typography.Paragraph>
      <Table<VisitSummary>
        rowKey="id"
        size="middle"
        data-testid="countersign-queue"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) }}
        onRow={(r) => ({ onClick: () => void openVisit(r.id), className: 'clickable-row' })}
        pagination={{ current: page, pageSize: PAGE_SIZE, total, showSizeChanger: false, onChange: setPage, showTotal: (n) => t('cs.total', { n }) }}
        locale={{ emptyText: t('cs.empty') }}
        columns={[
          { title: t('visit.col.recordNo'), dataIndex: 'recordNo', render: (v: string) => <span className="mono nowrap">{v}</span> },
          { title: t('visit.col.version'), dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
          { title: t('visit.col.customer'), dataIndex: 'customerName', render: (v: string) => <span className="nowrap">{v}</span> },
          { title: t('visit.col.policy'), dataIndex: 'policyNo', render: (v: string | null) => <span className="mono nowrap">{v ?? ''}</span> },
          { title: t('visit.col.kind'), dataIndex: 'kind', render: (k: VisitSummary['kind']) => <span className="nowrap">{TASK_KIND_LABELS[k]}</span> },
          { title: t('visit.col.visitor'), dataIndex: 'visitorName', width: 90 },
          { title: t('visit.col.visitedAt'), dataIndex: 'visitedAt', render: (v: string | null) => <span className="nowrap">{v ?? ''}</span> },
          { title: t('visit.col.outcome'), dataIndex: 'outcome', width: 100, render: (o: VisitSummary['outcome']) => <Tag color={OUTCOME_COLORS[o]}>{OUTCOME_STATUS_LABELS[o]}</Tag> },
          { title: t('visit.record.finalisedAt'), dataIndex: 'finalisedAt', render: (v: string | null) => <span className="nowrap">{localTime(v)}</span> },
          {
            title: t('cs.col.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, r) => (
              <Button
                size="small"
                icon={<RollbackOutlined />}
                onClick={(e) => {
                  e.stopPropagation();
                  setReturning(r);
                }}
                data-testid={`return-${r.id}`}
              >
                {t('cs.return')}
              </Button>
            ),
          },
        ]}
      />
      <CountersignModal
        open={signing}
        visits={chosen}
        onClose={(signed) => {
          setSigning(false);
          if (signed) {
            setSelected([]);
            void load();
          }
        }}
      />
      <ReturnModal
        visit={returning}
        onClose={(returned) => {
          setReturning(null);
          if (returned) void load();
        }}
      />
    </Card>
  );
}
