import { CheckCircleOutlined, EditOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Input, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import type { SignatureView, VisitView } from '../../../../shared/api/contract';
import type { FieldIssue } from '../../../../shared/api/envelope';
import { signatureProblem } from '../../../../shared/domain/visit';
import { OUTCOME_STATUS_LABELS, categoryLabel } from '../../../../shared/outcome';
import { useT } from '../../stores/app-store';
import { useVisitStore } from './open-visit';
import { SignaturePad, type SignaturePadHandle } from './SignaturePad';
import { OUTCOME_COLORS, localTime, stepOfIssue } from './visit-labels';

/** A blocker or outcome issue as a line with a link to the step where it is fixed. */
export function IssueLink({ issue }: { issue: FieldIssue }) {
  const t = useT();
  const view = useVisitStore((s) => s.view)!;
  const goTo = useVisitStore((s) => s.goTo);
  const step = useVisitStore((s) => s.step);
  const target = stepOfIssue(view, issue);
  // A missing signature is fixed right here: no link to the step already on screen.
  const here = target.step === step && target.questionIndex === undefined;
  return (
    <li>
      <span>{issue.message}</span>{' '}
      {!here && (
        <Button type="link" size="small" className="issue-link" onClick={() => goTo(target.step, target.questionIndex)}>
          {t(`visit.step.${target.step}`)} →
        </Button>
      )}
    </li>
  );
}

export function OutcomeCard({ view }: { view: VisitView }) {
  const t = useT();
  const o = view.outcome;
  const unanswered = o.issues.filter((i) => i.path.startsWith('answers.') && o.status !== 'problem');
  return (
    <Card size="small" title={t('visit.outcome.title')} data-testid="outcome-card">
      <div className="outcome-head">
        <Tag color={OUTCOME_COLORS[o.status]} className="outcome-tag" data-testid="outcome-status">
          {OUTCOME_STATUS_LABELS[o.status]}
        </Tag>
        {o.categories.map((c) => (
          <Tag key={c} color="volcano" className="outcome-category" data-testid="outcome-category">
            {categoryLabel(c)}
          </Tag>
        ))}
      </div>
      {o.reasons.length > 0 && (
        <ul className="outcome-reasons">
          {o.reasons.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
      {unanswered.length > 0 && (
        <>
          <Typography.Text strong>{t('visit.outcome.unanswered')}</Typography.Text>
          <ul className="issue-list">
            {unanswered.map((i) => (
              <IssueLink key={i.path} issue={i} />
            ))}
          </ul>
        </>
      )}
      {/* Kept short: the signature pads below must stay in view on a laptop screen. */}
      {o.nextStep && view.state === 'draft' && (
        <Typography.Paragraph type="secondary" className="outcome-next" ellipsis={{ rows: 2, expandable: true, symbol: t('visit.more') }}>
          <b>{t('visit.outcome.next')}：</b>
          {o.nextStep.explanation}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

function SavedSignature({ sig }: { sig: SignatureView }) {
  const t = useT();
  return (
    <div className="signature-saved" data-testid={`signature-saved-${sig.role}`}>
      <img src={sig.png} alt={sig.signerName} className="signature-image" />
      <div className="signature-caption">
        {t('visit.sign.signedBy', { name: sig.signerName, at: localTime(sig.signedAt) })}
        {sig.current && (
          <Tag color="green" icon={<CheckCircleOutlined />} style={{ marginLeft: 8 }}>
            {t('visit.sign.valid')}
          </Tag>
        )}
      </div>
      {!sig.current && <Alert type="error" showIcon title={t('visit.sign.stale')} data-testid={`signature-stale-${sig.role}`} style={{ marginTop: 8 }} />}
    </div>
  );
}

function SignatureBlock({ role, blocked }: { role: 'customer' | 'staff'; blocked: boolean }) {
  const t = useT();
  const view = useVisitStore((s) => s.view)!;
  const mutate = useVisitStore((s) => s.mutate);
  const saved = view.signatures.find((s) => s.role === role) ?? null;
  const r = view.respondent;
  const defaultName =
    role === 'staff' ? view.visitorName : r?.kind === 'family_member' ? (r.name ?? '') : r?.name || view.sheet.customerName || '';
  const [name, setName] = useState(saved?.signerName ?? defaultName);
  const [ink, setInk] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pad = useRef<SignaturePadHandle>(null);
  const readOnly = view.state !== 'draft';
  const title =
    role === 'staff' ? t('visit.sign.staff') : r?.kind === 'family_member' ? t('visit.sign.family') : t('visit.sign.customer');
  const showPad = !readOnly && (!saved || !saved.current);

  const sign = async () => {
    setError(null);
    const strokes = pad.current?.strokes() ?? [];
    if (!name.trim()) return setError(t('visit.sign.needName'));
    // The same check main makes, so a dot or a tick is refused before anything is sent.
    const problem = signatureProblem(strokes);
    if (problem) return setError(problem);
    setBusy(true);
    const res = await mutate('visits.sign', { visitId: view.id, role, signerName: name.trim(), strokes, png: pad.current!.toDataURL() });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    pad.current?.clear();
  };

  const clearSaved = async () => {
    setError(null);
    setBusy(true);
    const res = await mutate('visits.clearSignature', { visitId: view.id, role });
    setBusy(false);
    if (!res.ok) setError(res.error.message);
  };

  return (
    <Card
      size="small"
      title={title}
      className="signature-block"
      data-testid={`signature-${role}`}
      extra={
        saved && !readOnly ? (
          <Button size="small" icon={<EditOutlined />} onClick={() => void clearSaved()} loading={busy} data-testid={`signature-redo-${role}`}>
            {t('visit.sign.redo')}
          </Button>
        ) : null
      }
    >
      {saved && <SavedSignature sig={saved} />}
      {!saved && readOnly && <Typography.Text type="secondary">{t('visit.sign.none')}</Typography.Text>}
      {showPad && (
        <div className="signature-entry">
          <div className="signature-name">
            <label htmlFor={`signer-${role}`}>{t('visit.sign.name')}</label>
            <Input id={`signer-${role}`} value={name} onChange={(e) => setName(e.target.value)} maxLength={30} style={{ width: 200 }} disabled={blocked} />
          </div>
          <SignaturePad ref={pad} disabled={blocked || busy} onInk={setInk} testId={`pad-${role}`} />
          <div className="signature-actions">
            <Typography.Text type="secondary">{blocked ? t('visit.sign.blocked') : t('visit.sign.hint')}</Typography.Text>
            <Space>
              <Button onClick={() => pad.current?.clear()} disabled={blocked || ink === 0} data-testid={`pad-clear-${role}`}>
                {t('visit.sign.clear')}
              </Button>
              <Button type="primary" onClick={() => void sign()} disabled={blocked || ink === 0} loading={busy} data-testid={`pad-save-${role}`}>
                {t('visit.sign.confirm')}
              </Button>
            </Space>
          </div>
        </div>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} data-testid={`signature-error-${role}`} />}
    </Card>
  );
}

/** Step 5 结果与签名: what the visit concluded, the two signatures over it, and 定稿. */
export function OutcomeStep() {
  const t = useT();
  const { modal, message } = App.useApp();
  const view = useVisitStore((s) => s.view)!;
  const mutate = useVisitStore((s) => s.mutate);
  const [error, setError] = useState<string | null>(null);
  const readOnly = view.state !== 'draft';
  // Main refuses a signature while anything else is missing: the signature vouches for a complete record.
  const beforeSigning = view.blockers.filter((b) => !b.path.startsWith('signatures.'));

  const finalise = () => {
    setError(null);
    modal.confirm({
      title: t('visit.finalise.confirmTitle'),
      content: (
        <div data-testid="finalise-confirm">
          <p>{t('visit.finalise.confirmText')}</p>
          {view.outcome.status === 'problem' && <p>{t('visit.finalise.problemNote', { categories: view.outcome.categories.map((c) => categoryLabel(c)).join('、') })}</p>}
        </div>
      ),
      okText: t('visit.finalise.ok'),
      cancelText: t('visit.cancel'),
      onOk: async () => {
        const r = await mutate('visits.finalise', { visitId: view.id });
        if (!r.ok) return setError(r.error.message);
        void message.success(t('visit.finalise.done'));
      },
    });
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="outcome-step">
      <OutcomeCard view={view} />
      {!readOnly && beforeSigning.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="blockers-before-signing"
          title={t('visit.sign.before')}
          description={
            <ul className="issue-list">
              {beforeSigning.map((b) => (
                <IssueLink key={b.path + b.message} issue={b} />
              ))}
            </ul>
          }
        />
      )}
      <div className="signature-row">
        <SignatureBlock key={`customer-${view.id}`} role="customer" blocked={beforeSigning.length > 0} />
        <SignatureBlock key={`staff-${view.id}`} role="staff" blocked={beforeSigning.length > 0} />
      </div>
      {!readOnly && (
        <Card size="small" className="finalise-card">
          <div className="finalise-row">
            <div>
              {view.blockers.length > 0 ? (
                <>
                  <Typography.Text strong>{t('visit.finalise.blocked')}</Typography.Text>
                  <ul className="issue-list" data-testid="finalise-blockers">
                    {view.blockers.map((b) => (
                      <IssueLink key={b.path + b.message} issue={b} />
                    ))}
                  </ul>
                </>
              ) : (
                <Typography.Text type="success">
                  <SafetyCertificateOutlined /> {t('visit.finalise.ready')}
                </Typography.Text>
              )}
            </div>
            <Button type="primary" size="large" disabled={view.blockers.length > 0} onClick={finalise} data-testid="finalise">
              {t('visit.finalise.button')}
            </Button>
          </div>
          {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
        </Card>
      )}
    </Space>
  );
}
