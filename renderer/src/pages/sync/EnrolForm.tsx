import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, App, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { syncEnrolInput, type SyncStatus } from '../../../../shared/api/contract';
import { call } from '../../api/client';
import { FormField } from '../../components/FormField';
import { applyServerIssues } from '../../components/server-issues';
import { useAppStore, useT } from '../../stores/app-store';
import { formLevelMessage } from '../admin/format';

type EnrolIn = z.input<typeof syncEnrolInput>;
type EnrolOut = z.output<typeof syncEnrolInput>;
const FIELDS = ['serverUrl', 'branchCode', 'enrolmentCode', 'deviceName'] as const;

/**
 * 设备登记 (administrators): head office's address, the branch code and the one-time enrolment
 * code it handed out. Checked with the schema main checks with; main's refusals (a used or unknown
 * code, an http:// address) land beside their field or above the button.
 */
export function EnrolForm({ status, onEnrolled }: { status: SyncStatus; onEnrolled: (status: SyncStatus) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const branchCode = useAppStore((s) => s.status?.branch?.code ?? '');
  const [error, setError] = useState<string | null>(null);
  const form = useForm<EnrolIn, unknown, EnrolOut>({
    resolver: zodResolver(syncEnrolInput),
    defaultValues: { serverUrl: status.serverUrl ?? '', branchCode: status.branchCode ?? branchCode, enrolmentCode: '', deviceName: status.deviceName ?? '' },
  });

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const r = await call('sync.enrol', values);
    if (!r.ok) return setError(formLevelMessage(r.error, applyServerIssues(r.error, form.setError, FIELDS)));
    // The code is spent: clear it so the next enrolment starts from a new one.
    form.setValue('enrolmentCode', '');
    void message.success(t('sync.enrol.done', { branchCode: r.value.branchCode ?? values.branchCode }));
    onEnrolled(r.value);
  });

  return (
    <Form layout="vertical" onFinish={() => void onSubmit()} data-testid="sync-enrol-form" style={{ maxWidth: 560 }}>
      <Typography.Paragraph type="secondary">{status.enrolled ? t('sync.enrol.again') : t('sync.enrol.intro')}</Typography.Paragraph>
      <Controller
        name="serverUrl"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('sync.enrol.serverUrl')} error={fieldState.error} required htmlFor="sync-serverUrl">
            <Input {...field} id="sync-serverUrl" autoComplete="off" placeholder={t('sync.enrol.serverUrlHint')} />
          </FormField>
        )}
      />
      <Controller
        name="branchCode"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('sync.enrol.branchCode')} error={fieldState.error} required htmlFor="sync-branchCode">
            <Input {...field} id="sync-branchCode" autoComplete="off" />
          </FormField>
        )}
      />
      <Controller
        name="enrolmentCode"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('sync.enrol.enrolmentCode')} error={fieldState.error} required htmlFor="sync-enrolmentCode">
            <Input {...field} id="sync-enrolmentCode" autoComplete="off" placeholder={t('sync.enrol.enrolmentCodeHint')} />
          </FormField>
        )}
      />
      <Controller
        name="deviceName"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('sync.enrol.deviceName')} error={fieldState.error} htmlFor="sync-deviceName">
            <Input {...field} value={field.value ?? ''} id="sync-deviceName" autoComplete="off" placeholder={t('sync.enrol.deviceNameHint')} />
          </FormField>
        )}
      />
      {error && <Alert type="error" showIcon title={error} data-testid="sync-enrol-error" style={{ marginBottom: 16 }} />}
      <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting} data-testid="sync-enrol-submit">
        {status.enrolled ? t('sync.enrol.resubmit') : t('sync.enrol.submit')}
      </Button>
    </Form>
  );
}
