import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import { setupInput } from '../../../shared/api/contract';
import { call } from '../api/client';
import { FormField } from '../components/FormField';
import { applyServerIssues } from '../components/server-issues';
import { useAppStore, useT } from '../stores/app-store';

const formSchema = setupInput
  .extend({ confirmPassword: z.string() })
  .refine((v) => v.adminPassword === v.confirmPassword, { path: ['confirmPassword'], message: '两次输入的密码不一致' });
type FormValues = z.infer<typeof formSchema>;
const FIELDS = ['branchName', 'branchCode', 'adminUsername', 'adminDisplayName', 'adminPassword', 'confirmPassword'] as const;

export function SetupPage() {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const { signedIn, refreshStatus } = useAppStore();
  const form = useForm<FormValues>({
    resolver: zodResolver(formSchema),
    defaultValues: { branchName: '', branchCode: '', adminUsername: '', adminDisplayName: '', adminPassword: '', confirmPassword: '' },
  });

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const { confirmPassword: _unused, ...input } = values;
    const r = await call('setup.init', input);
    if (!r.ok) return setError(applyServerIssues(r.error, form.setError, FIELDS));
    signedIn(r.value.user, r.value.sessionToken);
    await refreshStatus();
  });

  return (
    <div className="centered-page">
      <Card title={t('setup.title')} style={{ width: 460 }}>
        <Form layout="vertical" onFinish={() => void onSubmit()} data-testid="setup-form">
          {FIELDS.map((name) => (
            <Controller
              key={name}
              name={name}
              control={form.control}
              render={({ field, fieldState }) => (
                <FormField label={t(`setup.${name}`)} error={fieldState.error}>
                  {name.toLowerCase().includes('password') ? (
                    <Input.Password {...field} id={`setup-${name}`} autoComplete="new-password" />
                  ) : (
                    <Input {...field} id={`setup-${name}`} />
                  )}
                </FormField>
              )}
            />
          ))}
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block loading={form.formState.isSubmitting}>
            {t('setup.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
