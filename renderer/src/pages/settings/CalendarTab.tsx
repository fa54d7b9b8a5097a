import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Table, Tag, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { CalendarImportResult, CalendarYearInfo } from '../../../../shared/api/contract';
import type { ApiError } from '../../../../shared/api/envelope';
import { call } from '../../api/client';
import { useAppStore, useT } from '../../stores/app-store';
import { ImportErrorAlert } from './ImportErrorAlert';
import { readFileAsBase64 } from './file-upload';

/** A year row, or a year the branch needs but has no data for (shown so it stands out). */
type YearRow = CalendarYearInfo | { year: number; source: 'missing' };

const SOURCE_COLORS = { builtin: 'blue', loaded: 'green', missing: 'red' } as const;

export function CalendarTab() {
  const t = useT();
  const isAdmin = useAppStore((s) => s.user?.role === 'admin');
  const [rows, setRows] = useState<YearRow[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [result, setResult] = useState<CalendarImportResult | null>(null);
  const [importError, setImportError] = useState<ApiError | null>(null);

  const load = useCallback(async () => {
    const r = await call('calendar.years', {});
    if (!r.ok) return setLoadError(r.error.message);
    setLoadError(null);
    const missing: YearRow[] = r.value.missing.map((year) => ({ year, source: 'missing' }));
    setRows([...missing, ...r.value.years].sort((a, b) => b.year - a.year));
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const importFile = async (file: File) => {
    setImporting(true);
    setResult(null);
    setImportError(null);
    try {
      const contentBase64 = await readFileAsBase64(file);
      const r = await call('calendar.import', { fileName: file.name, contentBase64 });
      if (r.ok) setResult(r.value);
      else setImportError(r.error);
    } catch {
      setImportError({ code: 'internal', message: `无法读取文件「${file.name}」` });
    } finally {
      setImporting(false);
    }
    await load();
    // The missing-year banner lives in the shell and reads app.status.
    await useAppStore.getState().refreshStatus();
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={t('calendar.upload.title')}>
        <Typography.Paragraph type="secondary">{t('calendar.upload.help')}</Typography.Paragraph>
        {isAdmin ? (
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <div data-testid="calendar-upload">
              <Upload
                accept=".xlsx,.json"
                showUploadList={false}
                disabled={importing}
                // Nothing goes to an upload URL: the file is read here and passed through the contract.
                beforeUpload={(file) => {
                  void importFile(file);
                  return false;
                }}
              >
                <Button type="primary" icon={<UploadOutlined />} loading={importing}>
                  {importing ? t('calendar.upload.importing') : t('calendar.upload.button')}
                </Button>
              </Upload>
            </div>
            {result && (
              <Alert
                type={result.warnings.length > 0 ? 'warning' : 'success'}
                showIcon
                data-testid="calendar-import-result"
                title={t('calendar.result.title', { year: result.year })}
                description={
                  <>
                    <div>
                      {t('calendar.result.counts', { holidays: result.holidays, makeup: result.makeupWorkdays, tasks: result.tasksRecomputed })}
                      {result.replacedBuiltIn && t('calendar.result.replacedBuiltIn', { year: result.year })}
                    </div>
                    {result.warnings.length > 0 && (
                      <>
                        <div>{t('calendar.result.warnings')}</div>
                        <ul className="issue-list">
                          {result.warnings.map((w, i) => (
                            <li key={i}>{w}</li>
                          ))}
                        </ul>
                      </>
                    )}
                  </>
                }
              />
            )}
            {importError && <ImportErrorAlert error={importError} testId="calendar-import-error" />}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('calendar.upload.adminOnly')}</Typography.Text>
        )}
      </Card>

      <Card size="small" title={t('calendar.years')}>
        {loadError && <Alert type="error" showIcon title={t('settings.loadFailed', { message: loadError })} />}
        <Table<YearRow>
          rowKey="year"
          size="small"
          data-testid="calendar-years"
          loading={rows === null}
          dataSource={rows ?? []}
          rowClassName={(r) => (r.source === 'missing' ? 'row-missing' : '')}
          pagination={{ pageSize: 8, showSizeChanger: false, hideOnSinglePage: true }}
          columns={[
            { title: t('calendar.col.year'), dataIndex: 'year', width: 90, render: (y: number) => <Typography.Text strong>{y}</Typography.Text> },
            {
              title: t('calendar.col.source'),
              dataIndex: 'source',
              width: 110,
              render: (s: YearRow['source']) => <Tag color={SOURCE_COLORS[s]}>{t(`calendar.source.${s}`)}</Tag>,
            },
            {
              title: t('calendar.col.holidays'),
              width: 110,
              render: (_: unknown, r) => ('holidays' in r ? r.holidays : '—'),
            },
            {
              title: t('calendar.col.makeup'),
              width: 160,
              render: (_: unknown, r) => ('makeupWorkdays' in r ? r.makeupWorkdays : '—'),
            },
            {
              title: t('calendar.col.loadedAt'),
              width: 170,
              render: (_: unknown, r) => ('loadedAt' in r && r.loadedAt ? dayjs(r.loadedAt).format('YYYY-MM-DD HH:mm') : ''),
            },
            {
              title: t('calendar.col.fileName'),
              render: (_: unknown, r) =>
                r.source === 'missing' ? (
                  <Typography.Text type="danger">{t('calendar.missingHint')}</Typography.Text>
                ) : (
                  r.fileName
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
