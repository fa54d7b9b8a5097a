import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, App, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { accountCreateInput, type AccountView } from '../../../../shared/api/contract';
import { ROLES } from '../../../../shared/domain/roles';
import { call } from '../../api/client';
import { FormField } from '../../components/FormField';
import { applyServerIssues } from '../../components/server-issues';
import { useT } from '../../stores/app-store';
import { ROLE_KEYS, formLevelMessage } from './format';

type CreateIn = z.input<typeof accountCreateInput>;
type CreateOut = z.output<typeof accountCreateInput>;
const CREATE_FIELDS = ['username', 'displayName', 'role', 'employeeNo', 'password'] as const;

const editSchema = accountCreateInput.pick({ displayName: true, role: true, employeeNo: true });
type EditIn = z.input<typeof editSchema>;
type EditOut = z.output<typeof editSchema>;
const EDIT_FIELDS = ['displayName', 'role', 'employeeNo'] as const;

function RoleSelect({ id, value, onChange, onBlur }: { id: string; value: string | undefined; onChange: (v: string) => void; onBlur: () => void }) {
  const t = useT();
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      onBlur={onBlur}
      placeholder={t('account.rolePlaceholder')}
      options={ROLES.map((r) => ({ value: r, label: t(ROLE_KEYS[r]) }))}
    />
  );
}

/** The modal's buttons, inside the form so that Enter in any field submits too. */
export function ModalButtons({ okText, busy, onCancel, danger }: { okText: string; busy: boolean; onCancel: () => void; danger?: boolean }) {
  const t = useT();
  return (
    <div style={{ display: 'flex', justifyContent: 'flex-end', marginTop: 16 }}>
      <Space>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="primary" danger={danger} htmlType="submit" loading={busy}>
          {okText}
        </Button>
      </Space>
    </div>
  );
}

/**
 * 新建账号: the same schema main checks with; main adds what only it knows (a sales rep's 工号,
 * names already taken) and its messages land on the fields. The modal's content is built afresh
 * each time it opens, so no half-typed password survives a cancel.
 */
export function CreateAccountModal({ open, onClose }: { open: boolean; onClose: (created: AccountView | null) => void }) {
  const t = useT();
  return (
    <Modal open={open} title={t('account.create')} footer={null} onCancel={() => onClose(null)} destroyOnHidden>
      <CreateAccountForm onClose={onClose} />
    </Modal>
  );
}

function CreateAccountForm({ onClose }: { onClose: (created: AccountView | null) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<CreateIn, unknown, CreateOut>({
    resolver: zodResolver(accountCreateInput),
    defaultValues: { username: '', displayName: '', employeeNo: '', password: '' },
  });

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const r = await call('accounts.create', values);
    if (!r.ok) return setError(formLevelMessage(r.error, applyServerIssues(r.error, form.setError, CREATE_FIELDS)));
    void message.success(t('account.created', { name: r.value.displayName }));
    onClose(r.value);
  });

  return (
    <Form layout="vertical" onFinish={() => void onSubmit()} data-testid="account-create-form">
      <Controller
        name="username"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('account.username')} error={fieldState.error} required htmlFor="account-username">
            <Input {...field} id="account-username" autoComplete="off" placeholder={t('account.usernameHint')} />
          </FormField>
        )}
      />
      <Controller
        name="displayName"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('account.displayName')} error={fieldState.error} required htmlFor="account-displayName">
            <Input {...field} id="account-displayName" autoComplete="off" />
          </FormField>
        )}
      />
      <Controller
        name="role"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('account.role')} error={fieldState.error} required htmlFor="account-role">
            <RoleSelect id="account-role" value={field.value} onChange={field.onChange} onBlur={field.onBlur} />
          </FormField>
        )}
      />
      <Controller
        name="employeeNo"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('account.employeeNo')} error={fieldState.error} htmlFor="account-employeeNo">
            <Input {...field} value={field.value ?? ''} id="account-employeeNo" autoComplete="off" placeholder={t('account.employeeNoHint')} />
          </FormField>
        )}
      />
      <Controller
        name="password"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('account.initialPassword')} error={fieldState.error} required htmlFor="account-password">
            <Input.Password {...field} id="account-password" autoComplete="new-password" placeholder={t('account.passwordHint')} />
          </FormField>
        )}
      />
      {error && <Alert type="error" showIcon title={error} data-testid="account-form-error" />}
      <ModalButtons okText={t('account.createOk')} busy={form.formState.isSubmitting} onCancel={() => onClose(null)} />
    </Form>
  );
}

/** 编辑: name, role and 工号. Disabling and passwords have their own, confirmed, actions. */
export function EditAccountModal({ account, onClose }: { account: AccountView | null; onClose: (saved: AccountView | null) => void }) {
  const t = useT();
  return (
    <Modal open={account !== null} title={t('account.editTitle', { username: account?.username ?? '' })} footer={null} onCancel={() => onClose(null)} destroyOnHidden>
      {account && <EditAccountForm account={account} onClose={onClose} />}
    </Modal>
  );
}

function EditAccountForm({ account, onClose }: { account: AccountView; onClose: (saved: AccountView | null) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<EditIn, unknown, EditOut>({
    resolver: zodResolver(editSchema),
    defaultValues: { displayName: account.displayName, role: account.role, employeeNo: account.employeeNo ?? '' },
  });

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    // An empty 工号 clears it.
    const r = await call('accounts.update', { id: account.id, displayName: values.displayName, role: values.role, employeeNo: values.employeeNo ?? '' });
    if (!r.ok) return setError(formLevelMessage(r.error, applyServerIssues(r.error, form.setError, EDIT_FIELDS)));
    void message.success(t('account.saved', { name: r.value.displayName }));
    onClose(r.value);
  });

  return (
    <Form layout="vertical" onFinish={() => void onSubmit()} data-testid="account-edit-form">
      <Controller
        name="displayName"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('account.displayName')} error={fieldState.error} required htmlFor="edit-displayName">
            <Input {...field} id="edit-displayName" autoComplete="off" />
          </FormField>
        )}
      />
      <Controller
        name="role"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('account.role')} error={fieldState.error} required htmlFor="edit-role">
            <RoleSelect id="edit-role" value={field.value} onChange={field.onChange} onBlur={field.onBlur} />
          </FormField>
        )}
      />
      <Controller
        name="employeeNo"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('account.employeeNo')} error={fieldState.error} htmlFor="edit-employeeNo">
            <Input {...field} value={field.value ?? ''} id="edit-employeeNo" autoComplete="off" placeholder={t('account.employeeNoHint')} />
          </FormField>
        )}
      />
      {error && <Alert type="error" showIcon title={error} data-testid="account-edit-error" />}
      <ModalButtons okText={t('account.save')} busy={form.formState.isSubmitting} onCancel={() => onClose(null)} />
    </Form>
  );
}
