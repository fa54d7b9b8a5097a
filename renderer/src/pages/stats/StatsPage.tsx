import { FileExcelOutlined, InfoCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Row, Segmented, Select, Space, Spin, Table, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import type { UserSummary } from '../../../../shared/api/contract';
import { ROLE_LABELS } from '../../../../shared/domain/roles';
import { CHANNELS, CHANNEL_LABELS, TASK_KINDS, TASK_KIND_LABELS } from '../../../../shared/domain/tasks';
import type { StatsFigure, StatsResult, StatsStaffRow } from '../../../../shared/stats/types';
import { call } from '../../api/client';
import { exportAndDownload } from '../../api/exports';
import type { MessageKey } from '../../i18n/messages';
import { useT } from '../../stores/app-store';
import { categoryBars, categoryPie, staffBars, trendLines } from './charts';
import { EChart } from './EChart';
import { useStatsStore } from './stats-store';

const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/**
 * 统计报表: the figures managers are judged by (山东指引 八; 用户回访管理制度 五) for a period,
 * each with its definition beside it, the charts, and the same figures as a workbook.
 */
export function StatsPage() {
  const t = useT();
  const { message } = App.useApp();
  const { query, result, error, loading, setQuery, load } = useStatsStore();
  const [users, setUsers] = useState<UserSummary[]>([]);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    void load();
    void call('users.list', {}).then((r) => r.ok && setUsers(r.value.users.filter((u) => u.role !== 'admin')));
  }, [load]);

  const exportExcel = async () => {
    setExporting(true);
    const r = await exportAndDownload(() => call('stats.export', query));
    setExporting(false);
    if (r.state === 'done') void message.success(t('stats.exported', { file: r.fileName }));
    else void message.error(r.state === 'failed' ? r.error.message : r.message);
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="stats-page">
      <Card size="small">
        <Space wrap size={12}>
          <span>{t('stats.period')}</span>
          <span data-testid="stats-range">
            <DatePicker.RangePicker
              allowClear={false}
              value={[dayjs(query.from), dayjs(query.to)]}
              onChange={(v) => v?.[0] && v[1] && setQuery({ from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') })}
              presets={[
                { label: t('stats.preset.thisMonth'), value: [dayjs().startOf('month'), dayjs().endOf('month')] },
                { label: t('stats.preset.lastMonth'), value: [dayjs().subtract(1, 'month').startOf('month'), dayjs().subtract(1, 'month').endOf('month')] },
                { label: t('stats.preset.thisQuarter'), value: [dayjs().startOf('month').subtract(dayjs().month() % 3, 'month'), dayjs().startOf('month').subtract(dayjs().month() % 3, 'month').add(2, 'month').endOf('month')] },
                { label: t('stats.preset.thisYear'), value: [dayjs().startOf('year'), dayjs().endOf('year')] },
              ]}
            />
          </span>
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={t('stats.channel')}
            value={query.channel}
            onChange={(v) => setQuery({ channel: v })}
            options={CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] }))}
            data-testid="stats-channel"
          />
          <Select
            allowClear
            style={{ width: 170 }}
            placeholder={t('stats.kind')}
            value={query.kind}
            onChange={(v) => setQuery({ kind: v })}
            options={TASK_KINDS.map((k) => ({ value: k, label: TASK_KIND_LABELS[k] }))}
            data-testid="stats-kind"
          />
          <Select
            allowClear
            style={{ width: 150 }}
            placeholder={t('stats.staff')}
            value={query.staffId}
            onChange={(v) => setQuery({ staffId: v })}
            options={users.map((u) => ({ value: u.id, label: `${u.displayName}（${ROLE_LABELS[u.role]}）` }))}
            data-testid="stats-staff"
          />
          <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading}>
            {t('stats.refresh')}
          </Button>
          <Button type="primary" icon={<FileExcelOutlined />} onClick={() => void exportExcel()} loading={exporting} disabled={!result} data-testid="stats-export">
            {t('stats.exportExcel')}
          </Button>
        </Space>
      </Card>

      {error && <Alert type="warning" showIcon title={error} data-testid="stats-error" />}
      {result?.warnings.map((w, i) => <Alert key={i} type="info" showIcon title={w} data-testid="stats-warning" />)}
      {!result && !error && <Spin style={{ display: 'block', marginTop: 48 }} />}
      {result && <StatsBody result={result} />}
    </Space>
  );
}

function StatsBody({ result }: { result: StatsResult }) {
  const t = useT();
  const [trendBy, setTrendBy] = useState<'weeks' | 'months'>('weeks');
  const series = t as (k: MessageKey) => string;
  const span = `${result.filters.from}_${result.filters.to}`;
  const options = useMemo(
    () => ({
      trend: trendLines(result[trendBy], series),
      staff: staffBars(result, series),
      categories: categoryBars(result, series),
      pie: categoryPie(result),
    }),
    [result, trendBy, series],
  );
  const noProblems = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('stats.noProblems')} style={{ height: 300, paddingTop: 80 }} />;

  return (
    <>
      <Typography.Text type="secondary">{t('stats.asOf', { day: result.asOf })}</Typography.Text>
      <Row gutter={[12, 12]} data-testid="stats-figures">
        {result.figures.map((f) => (
          <Col key={f.key} xs={24} md={12} xl={6}>
            <FigureCard figure={f} />
          </Col>
        ))}
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <Card
            size="small"
            title={t('stats.chart.trend')}
            extra={
              <Segmented
                size="small"
                value={trendBy}
                onChange={(v) => setTrendBy(v as 'weeks' | 'months')}
                options={[
                  { value: 'weeks', label: t('stats.trend.week') },
                  { value: 'months', label: t('stats.trend.month') },
                ]}
              />
            }
          >
            <EChart option={options.trend} fileName={`回访趋势_${span}`} testId="chart-trend" />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('stats.chart.staff')}>
            <EChart option={options.staff} fileName={`人员统计_${span}`} testId="chart-staff" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('stats.chart.categories')}>
            {result.categories.length ? <EChart option={options.categories} fileName={`问题分类_${span}`} testId="chart-categories" /> : noProblems}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('stats.chart.pie')}>
            {result.categories.length ? <EChart option={options.pie} fileName={`问题分类占比_${span}`} testId="chart-pie" /> : noProblems}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('stats.chart.staff')} extra={<Definition text={result.tableDefinitions.staff} />}>
        <StaffTable rows={result.staff} />
      </Card>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {result.tableDefinitions.trends} {result.tableDefinitions.categories}
      </Typography.Paragraph>
    </>
  );
}

function Definition({ text }: { text: string }) {
  return (
    <Tooltip title={text} styles={{ root: { maxWidth: 420 } }}>
      <InfoCircleOutlined style={{ color: '#8c8c8c' }} />
    </Tooltip>
  );
}

function FigureCard({ figure: f }: { figure: StatsFigure }) {
  const t = useT();
  const value = f.value === null ? '—' : f.format === 'rate' ? percent(f.value) : String(f.value);
  return (
    <Card size="small" style={{ height: '100%' }} data-testid={`figure-${f.key}`}>
      <Space size={6}>
        <Typography.Text strong>{t(`stats.fig.${f.key}` as MessageKey)}</Typography.Text>
        <Definition text={f.definition} />
      </Space>
      <div style={{ fontSize: 26, fontWeight: 600, lineHeight: 1.4, fontVariantNumeric: 'tabular-nums' }} data-testid={`figure-${f.key}-value`}>
        {value}
        {f.format === 'rate' && f.denominator !== undefined && f.denominator > 0 && (
          <span style={{ fontSize: 13, fontWeight: 400, color: '#8c8c8c', marginLeft: 8 }}>
            {f.numerator} / {f.denominator}
          </span>
        )}
      </div>
      {f.note && (
        <Typography.Text type="warning" style={{ fontSize: 12, display: 'block' }}>
          {f.note}
        </Typography.Text>
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }} ellipsis={{ rows: 3, tooltip: f.definition }}>
        {f.definition}
      </Typography.Paragraph>
    </Card>
  );
}

function StaffTable({ rows }: { rows: StatsStaffRow[] }) {
  const t = useT();
  return (
    <Table
      rowKey="userId"
      size="small"
      pagination={false}
      dataSource={rows}
      data-testid="stats-staff-table"
      columns={[
        { title: t('stats.col.name'), dataIndex: 'name' },
        { title: t('stats.col.role'), dataIndex: 'role', render: (r: StatsStaffRow['role']) => ROLE_LABELS[r] },
        { title: t('stats.fig.due'), dataIndex: 'due', align: 'right' },
        { title: t('stats.fig.success'), dataIndex: 'success', align: 'right' },
        { title: t('stats.fig.successRate'), dataIndex: 'successRate', align: 'right', render: percent },
        { title: t('stats.fig.finalised'), dataIndex: 'finalised', align: 'right' },
        { title: t('stats.fig.problem'), dataIndex: 'problem', align: 'right' },
        { title: t('stats.col.notCompleted'), dataIndex: 'notCompleted', align: 'right' },
        { title: t('stats.col.attempts'), dataIndex: 'attempts', align: 'right' },
        { title: t('stats.fig.overdueOpen'), dataIndex: 'overdueOpen', align: 'right' },
      ]}
    />
  );
}
