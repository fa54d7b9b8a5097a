import { CloudSyncOutlined, RedoOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Descriptions, Progress, Space, Spin, Table, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { SyncStatus } from '../../../../shared/api/contract';
import { call } from '../../api/client';
import { useAppStore, useT } from '../../stores/app-store';
import { openVisit } from '../visit/open-visit';
import { EnrolForm } from './EnrolForm';
import { IDLE_POLL_MS, RUNNING_POLL_MS, syncTime, useSyncStore } from './sync-store';

type Rejected = SyncStatus['rejected'][number];

/**
 * 数据同步: whether head office can be reached, what is waiting to go up, how the last exchange
 * ended, a progress bar while one runs, the records head office refused, and — for
 * administrators — enrolling this PC. Main does the work (and syncs by itself every minute);
 * this page starts a run, follows it every second while it goes, and otherwise looks now and then.
 */
export function SyncPage() {
  const t = useT();
  const { message } = App.useApp();
  const isAdmin = useAppStore((s) => s.user?.role === 'admin');
  const status = useSyncStore((s) => s.status);
  const loadError = useSyncStore((s) => s.loadError);
  const setStatus = useSyncStore((s) => s.setStatus);
  const refresh = useSyncStore((s) => s.refresh);
  const [actionError, setActionError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const running = status?.running ?? false;

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), running ? RUNNING_POLL_MS : IDLE_POLL_MS);
    return () => clearInterval(timer);
  }, [running, refresh]);

  // A run this page watched has ended: say so when it went well (a failure shows as the error).
  const watched = useRef(false);
  useEffect(() => {
    if (running) watched.current = true;
    else if (watched.current && status) {
      watched.current = false;
      if (!status.lastError) void message.success(t('sync.done'));
    }
  }, [running, status, message, t]);

  const runNow = async () => {
    setActionError(null);
    setStarting(true);
    const r = await call('sync.run', {});
    setStarting(false);
    if (!r.ok) return setActionError(r.error.message);
    setStatus(r.value);
  };

  const cancel = async () => {
    const r = await call('sync.cancel', {});
    if (!r.ok) return setActionError(r.error.message);
    setStatus(r.value);
    void message.info(t('sync.cancelling'));
  };

  const requeue = async (row: Rejected) => {
    setActionError(null);
    const r = await call('sync.requeue', { outboxId: row.outboxId });
    if (!r.ok) return setActionError(r.error.message);
    setStatus(r.value);
    void message.success(t('sync.requeued', { recordNo: row.recordNo, version: row.version }));
    // Sent now rather than at the next automatic run; a run already going picks it up next time.
    if (r.value.enrolled && !r.value.running) await runNow();
  };

  if (!status) {
    return loadError ? <Alert type="error" showIcon title={loadError} data-testid="sync-load-error" /> : <Spin style={{ display: 'block', marginTop: 80 }} />;
  }

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="sync-page">
      <Card
        title={t('sync.title')}
        extra={
          <Space>
            {running && (
              <Button icon={<StopOutlined />} onClick={() => void cancel()} data-testid="sync-cancel">
                {t('sync.cancel')}
              </Button>
            )}
            <Button
              type="primary"
              icon={<CloudSyncOutlined />}
              loading={running || starting}
              disabled={!status.enrolled}
              onClick={() => void runNow()}
              data-testid="sync-run"
            >
              {running ? t('sync.running') : t('sync.runNow')}
            </Button>
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('sync.intro')}</Typography.Paragraph>
        {!status.enrolled && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="sync-not-enrolled"
            title={t('sync.notEnrolled')}
            description={isAdmin ? t('sync.notEnrolled.admin') : t('sync.notEnrolled.others')}
          />
        )}
        <StatusTable status={status} />
        {running && <RunProgress progress={status.progress} />}
        {!running && status.lastError && (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 16 }}
            data-testid="sync-error"
            title={t('sync.lastError', { message: status.lastError })}
            description={status.retryAt ? <span data-testid="sync-retry-at">{t('sync.retryAt', { at: syncTime(status.retryAt) })}</span> : undefined}
          />
        )}
        {actionError && <Alert type="error" showIcon closable={{ onClose: () => setActionError(null) }} style={{ marginTop: 16 }} data-testid="sync-action-error" title={actionError} />}
      </Card>

      <RejectedCard rows={status.rejected} canOpen={!isAdmin} onRequeue={(row) => void requeue(row)} />

      {isAdmin && (
        <Card title={t('sync.enrol.title')}>
          <EnrolForm status={status} onEnrolled={setStatus} />
        </Card>
      )}
    </Space>
  );
}

function StatusTable({ status }: { status: SyncStatus }) {
  const t = useT();
  const none = <Typography.Text type="secondary">{t('sync.unset')}</Typography.Text>;
  return (
    <Descriptions
      size="small"
      bordered
      column={2}
      items={[
        {
          key: 'reachable',
          label: t('sync.reachable'),
          children: (
            <span data-testid="sync-reachable" data-reachable={status.reachable}>
              <Badge status={status.reachable ? 'success' : 'default'} text={status.reachable ? t('sync.online') : t('sync.offline')} />
            </span>
          ),
        },
        { key: 'server', label: t('sync.server'), children: <span data-testid="sync-server">{status.serverUrl ?? none}</span> },
        { key: 'branch', label: t('sync.branch'), children: <span data-testid="sync-branch">{status.branchCode ?? none}</span> },
        { key: 'device', label: t('sync.device'), children: <span data-testid="sync-device">{status.deviceName || none}</span> },
        {
          key: 'pending',
          label: t('sync.pending'),
          children: (
            <Typography.Text strong={status.pending > 0} data-testid="sync-pending" data-count={status.pending}>
              {t('sync.count', { n: status.pending })}
            </Typography.Text>
          ),
        },
        {
          key: 'delivered',
          label: t('sync.delivered'),
          children: (
            <span data-testid="sync-delivered" data-count={status.delivered}>
              {t('sync.count', { n: status.delivered })}
            </span>
          ),
        },
        { key: 'success', label: t('sync.lastSuccess'), children: <span data-testid="sync-last-success">{status.lastSuccessAt ? syncTime(status.lastSuccessAt) : t('sync.never')}</span> },
        { key: 'attempt', label: t('sync.lastAttempt'), children: status.lastAttemptAt ? syncTime(status.lastAttemptAt) : t('sync.never') },
      ]}
    />
  );
}

/** Upload counts records against a known total; download learns its total page by page. */
function RunProgress({ progress }: { progress: SyncStatus['progress'] }) {
  const t = useT();
  if (!progress) {
    return (
      <div style={{ marginTop: 16 }} data-testid="sync-progress" data-phase="starting">
        <Typography.Text>{t('sync.progress.starting')}</Typography.Text>
        <Progress percent={0} status="active" showInfo={false} />
      </div>
    );
  }
  const { phase, done, total } = progress;
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : phase === 'upload' ? 100 : 0;
  return (
    <div style={{ marginTop: 16 }} data-testid="sync-progress" data-phase={phase}>
      <Typography.Text>{phase === 'upload' ? t('sync.progress.upload', { done, total }) : t('sync.progress.download', { done })}</Typography.Text>
      <Progress percent={percent} status="active" />
    </div>
  );
}

function RejectedCard({ rows, canOpen, onRequeue }: { rows: Rejected[]; canOpen: boolean; onRequeue: (row: Rejected) => void }) {
  const t = useT();
  return (
    <Card title={t('sync.rejected.title')}>
      <Typography.Paragraph type="secondary" data-testid="sync-rejected-hint">
        {t('sync.rejected.hint')}
      </Typography.Paragraph>
      <Table<Rejected>
        size="small"
        rowKey="outboxId"
        data-testid="sync-rejected"
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t('sync.rejected.empty') }}
        columns={[
          {
            key: 'recordNo',
            title: t('sync.col.recordNo'),
            dataIndex: 'recordNo',
            render: (no: string, row) =>
              canOpen ? (
                <Typography.Link onClick={() => void openVisit(row.visitId)} title={t('sync.rejected.open')}>
                  {no}
                </Typography.Link>
              ) : (
                no
              ),
          },
          { key: 'version', title: t('sync.col.version'), dataIndex: 'version', width: 90, render: (n: number) => t('sync.version', { n }) },
          { key: 'message', title: t('sync.col.reason'), dataIndex: 'message' },
          { key: 'at', title: t('sync.col.at'), dataIndex: 'at', width: 170, render: (at: string) => syncTime(at) },
          {
            key: 'action',
            title: t('sync.col.action'),
            width: 120,
            render: (_: unknown, row) => (
              <Button size="small" icon={<RedoOutlined />} onClick={() => onRequeue(row)} data-testid="sync-requeue">
                {t('sync.requeue')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
