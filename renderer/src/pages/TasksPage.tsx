import { WarningOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Input, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { TaskSummary } from '../../../shared/api/contract';
import { TASK_KIND_LABELS, TASK_SOURCE_LABELS, TASK_STATUS_LABELS, type TaskRow } from '../../../shared/domain/tasks';
import { call } from '../api/client';
import { useAppStore, useT } from '../stores/app-store';

const PAGE = 50;

export function TasksPage() {
  const t = useT();
  const user = useAppStore((s) => s.user);
  const { message } = App.useApp();
  const [summary, setSummary] = useState<TaskSummary | null>(null);
  const [rows, setRows] = useState<TaskRow[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [loadingDemo, setLoadingDemo] = useState(false);

  const load = useCallback(async () => {
    const [s, l] = await Promise.all([
      call('tasks.summary', {}),
      call('tasks.list', { offset: (page - 1) * PAGE, limit: PAGE, ...(search ? { search } : {}) }),
    ]);
    if (!s.ok) return setError(s.error.message);
    if (!l.ok) return setError(l.error.message);
    setError(null);
    setSummary(s.value);
    setRows(l.value.rows);
    setTotal(l.value.total);
  }, [page, search]);

  useEffect(() => {
    void load();
  }, [load]);

  const loadDemo = async () => {
    setLoadingDemo(true);
    const r = await call('demo.load', {});
    setLoadingDemo(false);
    if (!r.ok) return void message.error(r.error.message);
    void message.success(t('tasks.demoLoaded', { tasks: r.value.tasks }));
    await load();
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Space size="large" wrap>
          <Statistic title={t('tasks.total')} value={summary?.total ?? 0} valueRender={(v) => <span data-testid="task-total">{v}</span>} />
          {Object.entries(summary?.byStatus ?? {}).map(([status, n]) => (
            <Statistic key={status} title={TASK_STATUS_LABELS[status as keyof typeof TASK_STATUS_LABELS] ?? status} value={n} />
          ))}
          {user?.role === 'admin' && (
            <Button onClick={() => void loadDemo()} loading={loadingDemo}>
              {t('tasks.loadDemo')}
            </Button>
          )}
        </Space>
      </Card>
      {error && <Alert type="error" showIcon title={error} />}
      <Card>
        <Input.Search
          placeholder={t('tasks.search')}
          allowClear
          style={{ maxWidth: 360, marginBottom: 12 }}
          onSearch={(v) => {
            setPage(1);
            setSearch(v.trim());
          }}
        />
        <Table<TaskRow>
          rowKey="id"
          size="small"
          dataSource={rows}
          locale={{ emptyText: t('tasks.empty') }}
          pagination={{ current: page, pageSize: PAGE, total, showSizeChanger: false, onChange: setPage, showTotal: (n) => `共 ${n} 条` }}
          columns={[
            { title: '客户', dataIndex: 'customerName', width: 180 },
            { title: '电话', dataIndex: 'phoneMasked', width: 130 },
            { title: '保单号', dataIndex: 'policyNo', width: 170 },
            { title: '回访类型', dataIndex: 'kind', width: 130, render: (k: TaskRow['kind']) => TASK_KIND_LABELS[k] },
            { title: '件类型', dataIndex: 'source', width: 100, render: (s: TaskRow['source']) => (s ? <Tag>{TASK_SOURCE_LABELS[s]}</Tag> : null) },
            { title: '状态', dataIndex: 'status', width: 90, render: (s: TaskRow['status']) => TASK_STATUS_LABELS[s] },
            { title: '经办人', dataIndex: 'assigneeName', width: 90 },
            {
              title: '应完成日',
              dataIndex: 'dueOn',
              width: 130,
              render: (due: string | null, row) =>
                due ? (
                  <Space size={4}>
                    <Tooltip title={row.dueExplanation}>
                      <Typography.Text>{due}</Typography.Text>
                    </Tooltip>
                    {row.dueWarnings.length > 0 && (
                      // E.g. the due date falls in a year whose holidays are not loaded yet.
                      <Tooltip title={row.dueWarnings.map((w, i) => <div key={i}>{w}</div>)}>
                        <WarningOutlined className="due-warning" aria-label={t('tasks.dueWarnings')} data-testid="due-warning" />
                      </Tooltip>
                    )}
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
