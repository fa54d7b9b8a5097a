import { ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { AccountView, AuditEntryView, VerifyReport } from '../../../../shared/api/contract';
import type { Role } from '../../../../shared/domain/roles';
import { call } from '../../api/client';
import type { MessageKey } from '../../i18n/messages';
import { useAppStore, useT } from '../../stores/app-store';
import { AUDIT_ACTIONS } from '../../../../shared/domain/audit-actions';
import { ACTION_KEYS, ROLE_KEYS, actionKey, branchTime, objectKey } from './format';

const PAGE_SIZE = 50;
/** main lists at most this many record problems in one report. */
const MAX_LISTED = 200;

/**
 * 审计: the integrity check (administrators and managers) and, for administrators, the audit
 * log itself — who did what and when, newest first.
 */
export function AuditPage() {
  const t = useT();
  const isAdmin = useAppStore((s) => s.user?.role === 'admin');
  // The check itself goes into the log; the table shows it once the check is done.
  const [revision, setRevision] = useState(0);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="audit-page">
      <VerifyCard onVerified={() => setRevision((n) => n + 1)} />
      {isAdmin && (
        <Card title={t('audit.log.title')}>
          <AuditLogTable revision={revision} />
        </Card>
      )}
    </Space>
  );
}

function VerifyCard({ onVerified }: { onVerified: () => void }) {
  const t = useT();
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const verify = async () => {
    setBusy(true);
    setError(null);
    const r = await call('audit.verify', {});
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setReport(r.value);
    onVerified();
  };

  return (
    <Card
      title={t('audit.verify.title')}
      extra={
        <Button type="primary" icon={<SafetyCertificateOutlined />} loading={busy} onClick={() => void verify()} data-testid="audit-verify">
          {t('audit.verify.button')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('audit.verify.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} />}
      {report && <VerifyResult report={report} />}
    </Card>
  );
}

function VerifyResult({ report }: { report: VerifyReport }) {
  const t = useT();
  const counts = t('audit.verify.counts', { entries: report.entries, records: report.records, at: branchTime(report.checkedAt) });
  if (report.ok) {
    return <Alert type="success" showIcon title={t('audit.verify.ok')} description={counts} data-testid="verify-result" data-ok="true" />;
  }
  const problems = report.recordProblems;
  return (
    <div data-testid="verify-result" data-ok="false">
      <Alert
        type="error"
        showIcon
        title={t('audit.verify.problems')}
        description={
          <>
            <div>{counts}</div>
            {report.fileProblem && <div data-testid="verify-file">{report.fileProblem}</div>}
            <div data-testid="verify-chain">
              {report.chainBreak ? t('audit.verify.chainBroken', { id: report.chainBreak.id, message: report.chainBreak.message }) : t('audit.verify.chainOk')}
            </div>
            {problems.length > 0 && (
              <div>{t(problems.length >= MAX_LISTED ? 'audit.verify.recordsTruncated' : 'audit.verify.recordsBad', { n: problems.length })}</div>
            )}
          </>
        }
      />
      {problems.length > 0 && (
        <Table
          rowKey="visitId"
          size="small"
          style={{ marginTop: 12 }}
          data-testid="verify-problems"
          dataSource={problems}
          pagination={problems.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          columns={[
            { title: t('audit.col.recordNo'), dataIndex: 'recordNo', render: (v: string) => <span className="mono nowrap">{v}</span> },
            { title: t('audit.col.version'), dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
            { title: t('audit.col.problem'), dataIndex: 'message' },
          ]}
        />
      )}
    </div>
  );
}

interface Filters {
  action: string | undefined;
  userId: number | undefined;
  range: [Dayjs, Dayjs] | null;
}

function AuditLogTable({ revision }: { revision: number }) {
  const t = useT();
  const [filters, setFilters] = useState<Filters>({ action: undefined, userId: undefined, range: null });
  const [page, setPage] = useState(1);
  const [rows, setRows] = useState<AuditEntryView[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [accounts, setAccounts] = useState<AccountView[]>([]);

  useEffect(() => {
    void call('accounts.list', {}).then((r) => r.ok && setAccounts(r.value.accounts));
  }, [revision]);

  const load = useCallback(async () => {
    const r = await call('audit.list', {
      ...(filters.action ? { action: filters.action } : {}),
      ...(filters.userId ? { userId: filters.userId } : {}),
      ...(filters.range ? { from: filters.range[0].format('YYYY-MM-DD'), to: filters.range[1].format('YYYY-MM-DD') } : {}),
      offset: (page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
    });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setRows(r.value.entries);
    setTotal(r.value.total);
  }, [filters, page]);

  useEffect(() => {
    void load();
  }, [load, revision]);

  const filter = (f: Partial<Filters>) => {
    setFilters((old) => ({ ...old, ...f }));
    setPage(1);
  };

  const userName = (id: number | null) => {
    const a = accounts.find((x) => x.id === id);
    return a ? `${a.username}（${a.displayName}）` : null;
  };

  const objectText = (e: AuditEntryView) => {
    if (!e.objectType) return '';
    const key = objectKey(e.objectType);
    const kind = key ? t(key) : e.objectType;
    if (e.objectType === 'user') return `${kind} ${userName(e.objectId) ?? `#${e.objectId ?? ''}`}`;
    return e.objectId !== null ? `${kind} #${e.objectId}` : kind;
  };

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }} data-testid="audit-filters">
        <Select
          id="audit-action"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('audit.filter.action')}
          style={{ width: 200 }}
          value={filters.action}
          onChange={(v?: string) => filter({ action: v })}
          options={AUDIT_ACTIONS.map((a) => ({ value: a, label: t(ACTION_KEYS[a]) }))}
        />
        <Select
          id="audit-user"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('audit.filter.user')}
          style={{ width: 220 }}
          value={filters.userId}
          onChange={(v?: number) => filter({ userId: v })}
          options={accounts.map((a) => ({ value: a.id, label: `${a.username}（${a.displayName}）` }))}
        />
        <DatePicker.RangePicker
          id={{ start: 'audit-from', end: 'audit-to' }}
          value={filters.range}
          onChange={(v) => filter({ range: v?.[0] && v[1] ? [v[0], v[1]] : null })}
          placeholder={[t('audit.filter.from'), t('audit.filter.to')]}
        />
        <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('audit.reload')} />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<AuditEntryView>
        rowKey="id"
        size="small"
        data-testid="audit-table"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page, pageSize: PAGE_SIZE, total, showSizeChanger: false, onChange: setPage, showTotal: (n) => t('audit.total', { n }) }}
        locale={{ emptyText: t('audit.empty') }}
        columns={[
          { title: t('audit.col.at'), dataIndex: 'at', render: (v: string) => <span className="nowrap">{branchTime(v)}</span> },
          {
            title: t('audit.col.user'),
            dataIndex: 'username',
            render: (v: string | null, e) => <span className="nowrap">{v ? (userName(e.userId) ?? v) : <Typography.Text type="secondary">{t('audit.noUser')}</Typography.Text>}</span>,
          },
          {
            title: t('audit.col.action'),
            dataIndex: 'action',
            render: (a: string) => {
              const key = actionKey(a);
              return <span className="nowrap">{key ? t(key) : a}</span>;
            },
          },
          { title: t('audit.col.object'), key: 'object', render: (_v, e) => <span className="nowrap">{objectText(e)}</span> },
          {
            title: t('audit.col.detail'),
            dataIndex: 'detail',
            render: (d: string | null, e) => <DetailText entry={e} detail={d} />,
          },
        ]}
      />
    </>
  );
}

/** Codes main writes into `detail` read as words; anything else is shown as written. */
function DetailText({ entry, detail }: { entry: AuditEntryView; detail: string | null }) {
  const t = useT();
  if (!detail) return null;
  if (entry.action === 'visit_finalised' && /^[0-9a-f]{64}$/.test(detail)) {
    return (
      <span className="mono" title={detail}>
        {t('audit.detail.hash', { hash: `${detail.slice(0, 12)}…` })}
      </span>
    );
  }
  const role = (r: string) => (Object.hasOwn(ROLE_KEYS, r) ? t(ROLE_KEYS[r as Role]) : r);
  const word = (token: string): string => {
    const known: Record<string, MessageKey> = {
      unknown_account: 'audit.detail.unknownAccount',
      locked: 'audit.detail.locked',
      ok: 'audit.detail.ok',
      problems: 'audit.detail.problems',
      display_name: 'audit.detail.displayName',
      employee_no: 'audit.detail.employeeNo',
      enabled: 'audit.detail.enabled',
      disabled: 'audit.detail.disabled',
    };
    if (Object.hasOwn(known, token)) return t(known[token]!);
    const change = /^role=(\w+)->(\w+)$/.exec(token);
    if (change) return t('audit.detail.roleChange', { from: role(change[1]!), to: role(change[2]!) });
    const set = /^role=(\w+)$/.exec(token);
    if (set) return t('audit.detail.role', { role: role(set[1]!) });
    const previous = /^previous=(\d+)$/.exec(token);
    if (previous) return t('audit.detail.previous', { id: previous[1]! });
    return token;
  };
  // Only main's own comma-separated codes are split; free text (e.g. a reveal's reason) is not.
  const parts = /^[\w=>-]+(,[\w=>-]+)*$/.test(detail) ? detail.split(',').map(word) : [detail];
  return <span title={detail}>{parts.join('；')}</span>;
}
