import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Controller, useForm, type Resolver } from 'react-hook-form';
import type { z } from 'zod';
import type { signInInput } from '../../../shared/api/contract';
import { call } from '../api/client';
import { FormField } from '../components/FormField';
import { afterFirstInput } from '../components/lazy-pane';
import { applyServerIssues } from '../components/server-issues';
import { useAppStore, useT } from '../stores/app-store';

type FormValues = z.infer<typeof signInInput>;

// The contract's schemas (and zod with them) are most of a screen's script weight, and the form
// needs them only when it is submitted: fetched once typing starts, awaited on submit.
const loadResolver = () => import('./signin-resolver');
const resolver: Resolver<FormValues> = async (values, context, options) => (await loadResolver()).signInResolver(values, context, options);

export function SignInPage() {
  const t = useT();
  const { status, signedIn } = useAppStore();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<FormValues>({ resolver, defaultValues: { username: '', password: '' } });
  useEffect(() => afterFirstInput(loadResolver), []);

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const r = await call('auth.signIn', values);
    if (!r.ok) return setError(applyServerIssues(r.error, form.setError, ['username', 'password']));
    signedIn(r.value.user, r.value.sessionToken);
  });

  return (
    <div className="centered-page">
      <Card title={`${t('signIn.title')} · ${status?.branch?.name ?? ''}`} style={{ width: 400 }}>
        <Form layout="vertical" onFinish={() => void onSubmit()}>
          <Controller
            name="username"
            control={form.control}
            render={({ field, fieldState }) => (
              <FormField label={t('signIn.username')} error={fieldState.error}>
                <Input {...field} id="signin-username" autoComplete="username" autoFocus />
              </FormField>
            )}
          />
          <Controller
            name="password"
            control={form.control}
            render={({ field, fieldState }) => (
              <FormField label={t('signIn.password')} error={fieldState.error}>
                <Input.Password {...field} id="signin-password" autoComplete="current-password" />
              </FormField>
            )}
          />
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block loading={form.formState.isSubmitting}>
            {t('signIn.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
          {status?.branch ? `${status.branch.name}（${status.branch.code}）` : ''}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
