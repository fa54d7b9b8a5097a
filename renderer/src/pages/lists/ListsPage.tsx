import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { ListKind, ListPage, UserSummary } from '../../../../shared/api/contract';
import { call } from '../../api/client';
import type { MessageKey } from '../../i18n/messages';
import { useT } from '../../stores/app-store';
import { ExportProgress, useExport } from './use-export';

const PAGE_SIZE = 50;
const KINDS: readonly ListKind[] = ['tracking', 'failed', 'daily', 'problems'];
const TAB_LABEL: Record<ListKind, MessageKey> = {
  tracking: 'lists.tab.tracking',
  failed: 'lists.tab.failed',
  daily: 'lists.tab.daily',
  problems: 'lists.tab.problems',
};

/** 清单: the branch's four lists on screen, each exportable to Excel. */
export function ListsPage() {
  const t = useT();
  const [kind, setKind] = useState<ListKind>('tracking');
  return (
    <Card title={t('lists.title')}>
      <Typography.Paragraph type="secondary">{t('lists.intro')}</Typography.Paragraph>
      <Tabs
        activeKey={kind}
        onChange={(k) => setKind(k as ListKind)}
        destroyOnHidden
        items={KINDS.map((k) => ({ key: k, label: <span data-testid={`list-tab-${k}`}>{t(TAB_LABEL[k])}</span>, children: <ListView kind={k} /> }))}
      />
    </Card>
  );
}

function ListView({ kind }: { kind: ListKind }) {
  const t = useT();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [staffId, setStaffId] = useState<number | undefined>(undefined);
  const [data, setData] = useState<ListPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [staff, setStaff] = useState<UserSummary[]>([]);
  const exporter = useExport();

  const load = useCallback(async () => {
    const r = await call('lists.get', { list: kind, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, ...(staffId ? { staffId } : {}) });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setData(r.value);
  }, [kind, page, staffId]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (kind !== 'daily') return;
    void call('users.list', {}).then((r) => {
      if (r.ok) setStaff(r.value.users.filter((u) => u.role !== 'admin'));
    });
  }, [kind]);

  const doExport = async () => {
    const outcome = await exporter.run(() => call('lists.export', { list: kind, ...(staffId ? { staffId } : {}) }));
    if (outcome.state === 'done') void message.success(t('lists.exported', { rows: outcome.rows, file: outcome.fileName }));
    else if (outcome.state === 'cancelled') void message.info(outcome.message);
    else void message.error(outcome.error.message);
  };

  return (
    <div data-testid={`list-${kind}`}>
      <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          {kind === 'daily' && (
            <Select<number | undefined>
              allowClear
              placeholder={t('lists.staff.all')}
              aria-label={t('lists.staff')}
              data-testid="list-staff-filter"
              style={{ width: 180 }}
              value={staffId}
              onChange={(v) => {
                setStaffId(v);
                setPage(1);
              }}
              options={staff.map((u) => ({ value: u.id, label: u.displayName }))}
            />
          )}
          {data && <Typography.Text type="secondary">{data.scope}</Typography.Text>}
        </Space>
        <Space>
          <ExportProgress running={exporter.running} job={exporter.job} onCancel={exporter.cancel} />
          <Button type="primary" icon={<DownloadOutlined />} loading={exporter.running} onClick={() => void doExport()} data-testid="list-export">
            {t('lists.export')}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('lists.reload')} />
        </Space>
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {kind === 'daily' && data && data.groups.length > 0 && (
        <Space wrap style={{ marginBottom: 12 }} data-testid="list-groups">
          {data.groups.map((g) => (
            <Tag key={g.staffId ?? 0} color="blue">
              {t('lists.group', { name: g.staffName, appointments: g.appointments, due: g.due, finalised: g.finalised })}
            </Tag>
          ))}
        </Space>
      )}
      <Table<ListPage['rows'][number]>
        rowKey="key"
        size="small"
        loading={data === null && !error}
        dataSource={data?.rows ?? []}
        scroll={{ x: 'max-content' }}
        data-testid="list-table"
        locale={{ emptyText: t('lists.empty') }}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, showSizeChanger: false, onChange: setPage, showTotal: (n) => t('lists.total', { n }) }}
        columns={(data?.columns ?? []).map((c) => ({
          key: c.key,
          title: c.title,
          render: (_: unknown, r: ListPage['rows'][number]) => <span className={c.type === 'text' && c.width < 30 ? 'nowrap' : undefined}>{r.values[c.key] ?? ''}</span>,
        }))}
      />
    </div>
  );
}
