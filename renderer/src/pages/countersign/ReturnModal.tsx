import { Alert, App, Input, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { VisitSummary } from '../../../../shared/api/contract';
import { call } from '../../api/client';
import { useT } from '../../stores/app-store';
import { errorText } from './error-text';

/** 退回: one record back to its visitor, with the reason they will see when correcting it. */
export function ReturnModal({ visit, onClose }: { visit: VisitSummary | null; onClose: (returned: boolean) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Keyed on the record, not the object: the queue refreshes behind the modal, and a new object
  // for the same record must not wipe what the manager has typed.
  const visitId = visit?.id ?? null;
  useEffect(() => {
    if (visitId === null) return;
    setReason('');
    setError(null);
  }, [visitId]);

  const submit = async () => {
    if (!visit) return;
    if (!reason.trim()) return setError(t('cs.return.needReason'));
    setBusy(true);
    const r = await call('countersign.return', { visitId: visit.id, reason: reason.trim() });
    setBusy(false);
    if (!r.ok) return setError(errorText(r.error));
    void message.success(t('cs.return.done', { recordNo: visit.recordNo }));
    onClose(true);
  };

  return (
    <Modal
      open={visit !== null}
      title={t('cs.return.title', { recordNo: visit?.recordNo ?? '' })}
      okText={t('cs.return.ok')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Typography.Paragraph>{t('cs.return.intro', { name: visit?.visitorName ?? '' })}</Typography.Paragraph>
      <Input.TextArea
        id="return-reason"
        rows={3}
        maxLength={500}
        showCount
        value={reason}
        placeholder={t('cs.return.reason')}
        onChange={(e) => {
          setReason(e.target.value);
          setError(null);
        }}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
