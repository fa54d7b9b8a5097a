import { FileExcelOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Modal, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { call } from '../../api/client';
import { useT } from '../../stores/app-store';
import { ExportProgress, useExport } from './use-export';

/** 导出记录表: a manager exports a period's finalised record sheets, signatures embedded as images. */
export function RecordSheetsExportButton() {
  const t = useT();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().startOf('month'), dayjs()]);
  const exporter = useExport();

  const go = async () => {
    const [from, to] = range.map((d) => d.format('YYYY-MM-DD')) as [string, string];
    const outcome = await exporter.run(() => call('visits.exportSheets', { from, to }));
    if (outcome.state === 'done') {
      void message.success(t('lists.exported', { rows: outcome.rows, file: outcome.fileName }));
      setOpen(false);
    } else if (outcome.state === 'cancelled') void message.info(outcome.message);
    else void message.error(outcome.error.message);
  };

  return (
    <>
      <Button icon={<FileExcelOutlined />} onClick={() => setOpen(true)} data-testid="export-sheets">
        {t('lists.sheets.export')}
      </Button>
      <Modal
        open={open}
        title={t('lists.sheets.title')}
        okText={t('lists.export')}
        onOk={() => void go()}
        okButtonProps={{ loading: exporter.running }}
        onCancel={() => {
          exporter.cancel();
          setOpen(false);
        }}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary">{t('lists.sheets.hint')}</Typography.Paragraph>
          <Space>
            <span>{t('lists.sheets.period')}</span>
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              onChange={(v) => {
                if (v?.[0] && v[1]) setRange([v[0], v[1]]);
              }}
            />
          </Space>
          <ExportProgress running={exporter.running} job={exporter.job} onCancel={exporter.cancel} />
        </Space>
      </Modal>
    </>
  );
}
