import { Alert, Drawer, Table } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import type { ImportBatch } from '../../../../shared/api/contract';
import { call } from '../../api/client';
import { useT } from '../../stores/app-store';

/** 导入记录: who imported which head-office list when, and what it did (the newest 200). */
export function ImportBatchesDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const [batches, setBatches] = useState<ImportBatch[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setBatches(null);
    void call('import.batches', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setBatches(r.value.batches);
        setError(null);
      } else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [open]);

  const num = (title: string, key: keyof ImportBatch) => ({ title, dataIndex: key, width: 64, align: 'right' as const });
  return (
    <Drawer open={open} onClose={onClose} size={960} title={t('batches.title')}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<ImportBatch>
        rowKey="id"
        size="small"
        loading={batches === null && !error}
        dataSource={batches ?? []}
        pagination={false}
        data-testid="import-batches"
        locale={{ emptyText: t('batches.none') }}
        columns={[
          { title: t('batches.col.file'), dataIndex: 'fileName', ellipsis: true },
          { title: t('batches.col.by'), dataIndex: 'importedBy', width: 96 },
          { title: t('batches.col.at'), dataIndex: 'importedAt', width: 140, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
          num(t('batches.col.rows'), 'rowsTotal'),
          num(t('batches.col.created'), 'created'),
          num(t('batches.col.updated'), 'updated'),
          num(t('batches.col.unchanged'), 'unchanged'),
          num(t('batches.col.invalid'), 'invalid'),
          num(t('batches.col.duplicates'), 'duplicates'),
        ]}
      />
    </Drawer>
  );
}
