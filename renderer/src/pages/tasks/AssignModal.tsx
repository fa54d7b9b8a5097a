import { Alert, App, Modal, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { UserSummary } from '../../../../shared/api/contract';
import { ROLE_LABELS } from '../../../../shared/domain/roles';
import { call } from '../../api/client';
import { useT } from '../../stores/app-store';

/** 批量分配: the selected tasks to one person (managers and administrators; main checks it too). */
export function AssignModal({ open, taskIds, users, onClose }: { open: boolean; taskIds: number[]; users: UserSummary[]; onClose: (assigned: boolean) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [assignee, setAssignee] = useState<number | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (open) setError(null);
  }, [open]);

  const submit = async () => {
    if (assignee === undefined) return setError(t('assign.pick'));
    setBusy(true);
    const r = await call('tasks.assign', { taskIds, assigneeId: assignee });
    setBusy(false);
    if (!r.ok) return setError(r.error.issues?.[0]?.message ?? r.error.message);
    const name = users.find((u) => u.id === assignee)?.displayName ?? '';
    void message.success(t('assign.done', { count: r.value.updated, name }));
    onClose(true);
  };

  return (
    <Modal
      open={open}
      title={t('assign.title', { count: taskIds.length })}
      okText={t('assign.ok')}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Typography.Paragraph>{t('assign.intro', { count: taskIds.length })}</Typography.Paragraph>
      <Select<number>
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('assign.pick')}
        value={assignee}
        onChange={(v) => {
          setAssignee(v);
          setError(null);
        }}
        // Administrators are never assigned visits (main refuses it).
        options={users.filter((u) => u.role !== 'admin').map((u) => ({ value: u.id, label: `${u.displayName}（${ROLE_LABELS[u.role]}）` }))}
        style={{ width: '100%' }}
        status={error ? 'error' : ''}
        id="assign-user"
        data-testid="assign-user"
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
