import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import { contract, newPasswordSchema, type AccountView } from '../../../../shared/api/contract';
import { call } from '../../api/client';
import { FormField } from '../../components/FormField';
import { applyServerIssues } from '../../components/server-issues';
import { useT } from '../../stores/app-store';
import { ModalButtons } from './AccountFormModal';
import { formLevelMessage } from './format';

const MISMATCH = '两次输入的密码不一致';

const resetSchema = z
  .object({ password: newPasswordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: MISMATCH });
type ResetValues = z.infer<typeof resetSchema>;

/** 重置密码: for someone who forgot theirs; it also lifts a lockout and ends their open sessions. */
export function ResetPasswordModal({ account, onClose }: { account: AccountView | null; onClose: (done: AccountView | null) => void }) {
  const t = useT();
  return (
    <Modal open={account !== null} title={t('account.resetTitle', { name: account?.displayName ?? '', username: account?.username ?? '' })} footer={null} onCancel={() => onClose(null)} destroyOnHidden>
      {account && <ResetPasswordForm account={account} onClose={onClose} />}
    </Modal>
  );
}

function ResetPasswordForm({ account, onClose }: { account: AccountView; onClose: (done: AccountView | null) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<ResetValues>({ resolver: zodResolver(resetSchema), defaultValues: { password: '', confirm: '' } });

  const onSubmit = form.handleSubmit(async ({ password }) => {
    setError(null);
    const r = await call('accounts.resetPassword', { id: account.id, password });
    if (!r.ok) return setError(formLevelMessage(r.error, applyServerIssues(r.error, form.setError, ['password'])));
    void message.success(t('account.resetDone', { name: r.value.displayName }));
    onClose(r.value);
  });

  return (
    <Form layout="vertical" onFinish={() => void onSubmit()} data-testid="reset-password-form">
      <Typography.Paragraph type="secondary">{t('account.resetIntro')}</Typography.Paragraph>
      <Controller
        name="password"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('account.newPassword')} error={fieldState.error} required htmlFor="reset-password">
            <Input.Password {...field} id="reset-password" autoComplete="new-password" placeholder={t('account.passwordHint')} />
          </FormField>
        )}
      />
      <Controller
        name="confirm"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('account.confirmPassword')} error={fieldState.error} required htmlFor="reset-confirm">
            <Input.Password {...field} id="reset-confirm" autoComplete="new-password" />
          </FormField>
        )}
      />
      {error && <Alert type="error" showIcon title={error} data-testid="reset-password-error" />}
      <ModalButtons okText={t('account.resetOk')} busy={form.formState.isSubmitting} onCancel={() => onClose(null)} />
    </Form>
  );
}

const changeSchema = contract['auth.changePassword'].input
  .extend({ confirm: z.string() })
  .refine((v) => v.next === v.confirm, { path: ['confirm'], message: MISMATCH });
type ChangeValues = z.infer<typeof changeSchema>;
const CHANGE_FIELDS = ['current', 'next', 'confirm'] as const;

/** 修改密码: anyone signed in changes their own, proving it with the current one. */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  return (
    <Modal open={open} title={t('account.changePassword')} footer={null} onCancel={onClose} destroyOnHidden>
      <ChangePasswordForm onClose={onClose} />
    </Modal>
  );
}

function ChangePasswordForm({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<ChangeValues>({ resolver: zodResolver(changeSchema), defaultValues: { current: '', next: '', confirm: '' } });

  const onSubmit = form.handleSubmit(async ({ current, next }) => {
    setError(null);
    const r = await call('auth.changePassword', { current, next });
    if (!r.ok) return setError(formLevelMessage(r.error, applyServerIssues(r.error, form.setError, CHANGE_FIELDS)));
    void message.success(t('account.changeDone'));
    onClose();
  });

  return (
    <Form layout="vertical" onFinish={() => void onSubmit()} data-testid="change-password-form">
      <Controller
        name="current"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('account.currentPassword')} error={fieldState.error} required htmlFor="change-current">
            <Input.Password {...field} id="change-current" autoComplete="current-password" autoFocus />
          </FormField>
        )}
      />
      <Controller
        name="next"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('account.newPassword')} error={fieldState.error} required htmlFor="change-next">
            <Input.Password {...field} id="change-next" autoComplete="new-password" placeholder={t('account.passwordHint')} />
          </FormField>
        )}
      />
      <Controller
        name="confirm"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('account.confirmPassword')} error={fieldState.error} required htmlFor="change-confirm">
            <Input.Password {...field} id="change-confirm" autoComplete="new-password" />
          </FormField>
        )}
      />
      {error && <Alert type="error" showIcon title={error} data-testid="change-password-error" />}
      <ModalButtons okText={t('account.changeOk')} busy={form.formState.isSubmitting} onCancel={onClose} />
    </Form>
  );
}
