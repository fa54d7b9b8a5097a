import { Alert, App, Input, Modal, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { VisitSummary } from '../../../../shared/api/contract';
import { signatureProblem } from '../../../../shared/domain/visit';
import { call } from '../../api/client';
import { useAppStore, useT } from '../../stores/app-store';
import { SignaturePad, type SignaturePadHandle } from '../visit/SignaturePad';
import { errorText } from './error-text';

/**
 * 会签: one confirmation for the whole batch, with the manager's own password and handwriting.
 * Main enforces the rest (four eyes, all or none); whatever it refuses is shown here.
 */
export function CountersignModal({ open, visits, onClose }: { open: boolean; visits: VisitSummary[]; onClose: (signed: boolean) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const user = useAppStore((s) => s.user);
  const pad = useRef<SignaturePadHandle>(null);
  const [password, setPassword] = useState('');
  const [ink, setInk] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setPassword('');
    setInk(0);
    setError(null);
  }, [open]);

  const submit = async () => {
    if (!password) return setError(t('cs.needPassword'));
    const strokes = pad.current?.strokes() ?? [];
    // The same check main makes, so a dot or a tick is refused before anything is sent.
    const problem = signatureProblem(strokes);
    if (problem) return setError(problem);
    setBusy(true);
    const r = await call('countersign.sign', {
      visitIds: visits.map((v) => v.id),
      password,
      signerName: user?.displayName ?? '',
      strokes,
      png: pad.current!.toDataURL(),
    });
    setBusy(false);
    if (!r.ok) return setError(errorText(r.error));
    void message.success(t('cs.done', { n: r.value.countersigned }));
    onClose(true);
  };

  return (
    <Modal
      open={open}
      width={620}
      title={t('cs.modal.title', { n: visits.length })}
      okText={t('cs.modal.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: ink === 0 }}
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <div data-testid="countersign-modal">
        <Typography.Paragraph>{t('cs.modal.intro', { n: visits.length })}</Typography.Paragraph>
        <Typography.Paragraph className="mono" type="secondary" ellipsis={{ rows: 2, expandable: true, symbol: t('cs.modal.more') }}>
          {visits.map((v) => `${v.recordNo}（${v.customerName}）`).join('、')}
        </Typography.Paragraph>
        <div style={{ marginBottom: 12 }}>
          <div style={{ marginBottom: 4 }}>{t('cs.modal.password')}</div>
          <Input.Password
            id="countersign-password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              setError(null);
            }}
            onPressEnter={() => void submit()}
          />
        </div>
        <div style={{ marginBottom: 4 }}>
          {t('cs.modal.signature', { name: user?.displayName ?? '' })}
        </div>
        <SignaturePad
          ref={pad}
          disabled={busy}
          onInk={(n) => {
            setInk(n);
            setError(null);
          }}
          testId="countersign-pad"
        />
        <div className="signature-actions">
          <Typography.Text type="secondary">{t('visit.sign.hint')}</Typography.Text>
          <Typography.Link onClick={() => pad.current?.clear()} disabled={ink === 0 || busy}>
            {t('visit.sign.clear')}
          </Typography.Link>
        </div>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="countersign-error" />}
      </div>
    </Modal>
  );
}
