import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { revealInput } from '../../../shared/api/contract';
import { maskIdNumber, maskPhone } from '../../../shared/domain/masking';
import { call } from '../api/client';
import type { MessageKey } from '../i18n/messages';
import { useAppStore, useT } from '../stores/app-store';

export type RevealableField = 'phone' | 'idNumber';

/** How long a revealed number stays on screen before it is masked again. */
export const REVEAL_SECONDS = 60;

/** The customer whose number it is: their id, or a look-up that finds it (an error message when it cannot). */
export type CustomerRef = number | (() => Promise<{ id: number } | { error: string | null }>);

const QUICK_REASONS: MessageKey[] = ['reveal.quick.verify', 'reveal.quick.callback', 'reveal.quick.contact'];
const FIELD_LABEL: Record<RevealableField, MessageKey> = { phone: 'reveal.field.phone', idNumber: 'reveal.field.idNumber' };
const MASK: Record<RevealableField, (v: string) => string> = { phone: maskPhone, idNumber: maskIdNumber };
/** Who may ask main for a full number (contract: customers.reveal). */
const MAY_REVEAL = new Set(['staff', 'sales', 'manager']);

/**
 * A phone or ID number shown masked (138****5678), with 查看 to see it in full: the viewer gives a
 * reason, main writes it to the audit log and answers with the number. The number lives only in
 * this component's state — never in a store or storage — and is masked again after
 * REVEAL_SECONDS, on 隐藏, or when whatever shows it closes (the component unmounts). Give it a
 * `key` per customer where one place can show different customers in turn.
 */
export function RevealField({ customerId, field, masked, testId = `reveal-${field}` }: { customerId: CustomerRef; field: RevealableField; masked: string; testId?: string }) {
  const t = useT();
  const role = useAppStore((s) => s.user?.role);
  const [asking, setAsking] = useState(false);
  const [shown, setShown] = useState<{ value: string | null } | null>(null);

  // Shown for this view only: masked again after a minute.
  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(() => setShown(null), REVEAL_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [shown]);

  const canReveal = !!masked && !!role && MAY_REVEAL.has(role);
  const fieldName = t(FIELD_LABEL[field]);
  // The number on file may differ from the one written on a record sheet: say so rather than mislead.
  const differs = shown?.value && masked && MASK[field](shown.value) !== masked;

  return (
    <span className="reveal-field" style={{ display: 'inline-flex', alignItems: 'center', flexWrap: 'wrap', columnGap: 4 }}>
      <span data-testid={testId} className={shown ? 'reveal-value revealed' : 'reveal-value'} style={{ fontVariantNumeric: 'tabular-nums', fontWeight: shown ? 600 : undefined }}>
        {shown ? (shown.value ?? t('reveal.none')) : masked || '—'}
      </span>
      {shown ? (
        <>
          {differs && (
            <Typography.Text type="warning" className="small-text" data-testid={`${testId}-differs`}>
              {t('reveal.onFile')}
            </Typography.Text>
          )}
          <Typography.Text type="secondary" className="small-text">
            {t('reveal.autoHide', { s: REVEAL_SECONDS })}
          </Typography.Text>
          <Button type="link" size="small" icon={<EyeInvisibleOutlined />} onClick={() => setShown(null)} data-testid={`${testId}-hide`}>
            {t('reveal.hide')}
          </Button>
        </>
      ) : (
        canReveal && (
          <Button
            type="link"
            size="small"
            icon={<EyeOutlined />}
            onClick={(e) => {
              // In a clickable row or list item the button must not also open what is under it.
              e.stopPropagation();
              setAsking(true);
            }}
            aria-label={t('reveal.aria', { field: fieldName })}
            data-testid={`${testId}-reveal`}
          >
            {t('reveal.button')}
          </Button>
        )
      )}
      <ReasonModal
        open={asking}
        fieldName={fieldName}
        masked={masked}
        onCancel={() => setAsking(false)}
        onReveal={async (reason) => {
          const resolved = typeof customerId === 'number' ? { id: customerId } : await customerId();
          if (!('id' in resolved)) return resolved.error ?? t('reveal.noCustomer');
          const r = await call('customers.reveal', { customerId: resolved.id, field, reason });
          if (!r.ok) return r.error.issues?.length ? r.error.issues.map((i) => i.message).join('；') : r.error.message;
          setAsking(false);
          setShown({ value: r.value.value });
          return null;
        }}
      />
    </span>
  );
}

/** Asks why: a few usual reasons to pick, or one's own words. */
function ReasonModal({
  open,
  fieldName,
  masked,
  onCancel,
  onReveal,
}: {
  open: boolean;
  fieldName: string;
  masked: string;
  onCancel: () => void;
  /** Resolves to an error message, or null once the number is shown. */
  onReveal: (reason: string) => Promise<string | null>;
}) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setReason('');
    setError(null);
  }, [open]);

  const submit = async () => {
    // The same rule main applies (at least two characters), with its message.
    const check = revealInput.shape.reason.safeParse(reason);
    if (!check.success) return setError(check.error.issues[0]?.message ?? t('reveal.needReason'));
    setBusy(true);
    const problem = await onReveal(check.data);
    setBusy(false);
    if (problem) setError(problem);
  };

  return (
    <Modal
      open={open}
      title={t('reveal.title', { field: fieldName })}
      okText={t('reveal.ok')}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={onCancel}
      destroyOnHidden
    >
      <div data-testid="reveal-modal">
        <Typography.Paragraph>{t('reveal.intro', { field: fieldName, masked, s: REVEAL_SECONDS })}</Typography.Paragraph>
        <Form layout="vertical" onFinish={() => void submit()}>
          <Form.Item label={t('reveal.reason')} required htmlFor="reveal-reason" validateStatus={error ? 'error' : ''} help={error}>
            <Space size={[4, 8]} wrap style={{ marginBottom: 8 }}>
              {QUICK_REASONS.map((k) => (
                <Tag.CheckableTag
                  key={k}
                  checked={reason === t(k)}
                  onChange={() => {
                    setReason(t(k));
                    setError(null);
                  }}
                  data-testid="reveal-quick"
                  style={{ border: '1px solid #d9d9d9' }}
                >
                  {t(k)}
                </Tag.CheckableTag>
              ))}
            </Space>
            <Input.TextArea
              id="reveal-reason"
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                setError(null);
              }}
              placeholder={t('reveal.reasonPlaceholder')}
              maxLength={200}
              showCount
              autoSize={{ minRows: 2, maxRows: 4 }}
              autoFocus
            />
          </Form.Item>
        </Form>
        {error === null && <Alert type="info" showIcon title={t('reveal.logged')} />}
      </div>
    </Modal>
  );
}
