import { LockOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Form, Input, Modal, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { VisitSummary, VisitView } from '../../../../shared/api/contract';
import { call } from '../../api/client';
import { useT } from '../../stores/app-store';
import { openVisit, useVisitStore } from './open-visit';
import { STATE_COLORS, localTime, returnOf, returnedBy, shortHash } from './visit-labels';

/** The other versions of this record (same record number), oldest first. */
function useVersions(view: VisitView): VisitSummary[] {
  const [rows, setRows] = useState<VisitSummary[]>([]);
  const revision = useVisitStore((s) => s.revision);
  useEffect(() => {
    if (view.version === 1 && view.state === 'draft') return setRows([]);
    let live = true;
    void call('visits.list', { ...(view.taskId !== null ? { taskId: view.taskId } : {}), limit: 500 }).then((r) => {
      if (!live || !r.ok) return;
      setRows(r.value.visits.filter((v) => v.recordNo === view.recordNo).sort((a, b) => a.version - b.version));
    });
    return () => {
      live = false;
    };
  }, [view.id, view.recordNo, view.taskId, view.version, view.state, revision]);
  return rows;
}

/**
 * What makes a finalised record evidence: its hash, when it was frozen, the problem case it
 * opened, whether the stored record still matches (tampering), and its versions — a correction
 * is a new version that points at the one it corrects; the old one stays readable.
 */
export function RecordInfo() {
  const t = useT();
  const { message } = App.useApp();
  const view = useVisitStore((s) => s.view)!;
  const show = useVisitStore((s) => s.show);
  const versions = useVersions(view);
  const [correcting, setCorrecting] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const stateLabel: Record<VisitView['state'], string> = { draft: t('visit.state.draft'), finalised: t('visit.state.finalised'), superseded: t('visit.state.superseded') };
  const returned = returnOf(view);

  const startCorrecting = () => {
    // A returned record is corrected for the manager's reason: offered as the start of the correction's.
    setReason(returned?.which === 'this' ? t('return.correctReason', { reason: returned.reason }).slice(0, 500) : '');
    setReasonError(null);
    setCorrecting(true);
  };

  const correct = async () => {
    if (!reason.trim()) return setReasonError(t('visit.correct.needReason'));
    setBusy(true);
    const r = await call('visits.correct', { visitId: view.id, reason: reason.trim() });
    setBusy(false);
    if (!r.ok) return setReasonError(r.error.message);
    setCorrecting(false);
    void message.success(t('visit.correct.opened', { version: r.value.version }));
    await show(r.value);
  };

  const chain = versions.length > 1 && (
    <span className="version-chain" data-testid="version-chain">
      {versions.map((v) => (
        <Button key={v.id} size="small" type={v.id === view.id ? 'primary' : 'default'} onClick={() => v.id !== view.id && void openVisit(v.id)}>
          {t('visit.version', { n: v.version })} · {stateLabel[v.state]}
        </Button>
      ))}
    </span>
  );

  return (
    <div className="record-info" data-testid="record-info">
      {view.tampered && <Alert type="error" showIcon title={t('visit.record.tampered')} description={view.tampered} data-testid="tampered" style={{ marginBottom: 12 }} />}
      {view.problemCaseId !== null && (
        <Alert type="warning" showIcon title={t('visit.record.problemCase', { id: view.problemCaseId })} data-testid="problem-case-notice" style={{ marginBottom: 12 }} />
      )}
      {view.state === 'superseded' && <Alert type="info" showIcon title={t('visit.record.superseded')} style={{ marginBottom: 12 }} />}
      {returned && (
        <Alert
          type={returned.which === 'this' && view.state === 'finalised' ? 'warning' : 'info'}
          showIcon
          icon={<RollbackOutlined />}
          data-testid="return-notice"
          style={{ marginBottom: 12 }}
          title={
            returned.which === 'previous'
              ? t('return.notice.previous', { name: returnedBy(t, returned), version: view.version - 1 })
              : view.state === 'finalised'
                ? t('return.notice.this', { name: returnedBy(t, returned), at: localTime(returned.returnedAt) })
                : t('return.notice.corrected', { name: returnedBy(t, returned), at: localTime(returned.returnedAt) })
          }
          description={<span data-testid="return-reason">{t('return.reason', { reason: returned.reason })}</span>}
          action={
            returned.which === 'this' && view.state === 'finalised' ? (
              <Button type="primary" size="small" onClick={startCorrecting} data-testid="return-correct">
                {t('return.correct')}
              </Button>
            ) : undefined
          }
        />
      )}
      {view.correctionReason && (
        <Alert type="info" showIcon title={t('visit.record.correction', { version: view.version, reason: view.correctionReason })} style={{ marginBottom: 12 }} />
      )}
      {view.state !== 'draft' && (
        <Descriptions
          size="small"
          bordered
          column={3}
          items={[
            { key: 'state', label: t('visit.col.state'), children: <Tag color={STATE_COLORS[view.state]} icon={<LockOutlined />}>{stateLabel[view.state]}</Tag> },
            { key: 'at', label: t('visit.record.finalisedAt'), children: localTime(view.finalisedAt) },
            {
              key: 'hash',
              label: t('visit.record.hash'),
              children: (
                <span className="mono" title={view.contentHash} data-testid="content-hash">
                  {shortHash(view.contentHash)}
                </span>
              ),
            },
            {
              key: 'versions',
              label: t('visit.record.versions'),
              span: 3,
              children: (
                <div className="version-row">
                  {chain || t('visit.version', { n: view.version })}
                  {view.previousId !== null && versions.length <= 1 && (
                    <Button size="small" type="link" onClick={() => void openVisit(view.previousId!)}>
                      {t('visit.record.previous')}
                    </Button>
                  )}
                  {view.state === 'finalised' && (
                    <Button size="small" onClick={startCorrecting} data-testid="correct">
                      {t('visit.correct.button')}
                    </Button>
                  )}
                </div>
              ),
            },
          ]}
        />
      )}
      {view.state === 'draft' && chain && <div className="version-row">{chain}</div>}
      <Modal
        open={correcting}
        title={t('visit.correct.title')}
        okText={t('visit.correct.ok')}
        cancelText={t('visit.cancel')}
        confirmLoading={busy}
        onOk={() => void correct()}
        onCancel={() => setCorrecting(false)}
        destroyOnHidden
      >
        <p>{t('visit.correct.text')}</p>
        <Form layout="vertical">
          <Form.Item label={t('visit.correct.reason')} required validateStatus={reasonError ? 'error' : ''} help={reasonError} htmlFor="correct-reason">
            <Input.TextArea id="correct-reason" value={reason} onChange={(e) => {
                setReason(e.target.value);
                setReasonError(null);
              }} maxLength={500} autoSize={{ minRows: 2 }} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
