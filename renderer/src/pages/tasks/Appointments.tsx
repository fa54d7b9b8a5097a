import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, App, Button, DatePicker, Empty, Form, Input, Space, Tag, TimePicker, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { appointmentInput, type AppointmentView, type TaskDetail } from '../../../../shared/api/contract';
import { call } from '../../api/client';
import { FormField } from '../../components/FormField';
import { applyServerIssues } from '../../components/server-issues';
import { useT } from '../../stores/app-store';

type In = z.input<typeof appointmentInput>;
type Out = z.output<typeof appointmentInput>;
const FIELDS = ['date', 'time', 'place', 'contactPerson', 'note'] as const;

/** 预约: date, time, place and whom to meet; the same schema main checks with. */
export function AppointmentForm({ taskId, defaultContact, onSaved }: { taskId: number; defaultContact: string; onSaved: (d: TaskDetail) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const blank: In = { taskId, date: '', time: '', place: '', contactPerson: defaultContact, note: '' };
  const form = useForm<In, unknown, Out>({ resolver: zodResolver(appointmentInput), defaultValues: blank });

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const r = await call('appointments.create', { ...values, ...(values.note ? {} : { note: undefined }) });
    if (!r.ok) return setError(applyServerIssues(r.error, form.setError, FIELDS));
    void message.success(t('appt.saved'));
    form.reset(blank);
    onSaved(r.value);
  });

  return (
    <Form layout="vertical" onFinish={() => void onSubmit()} data-testid="appointment-form" className="compact-form">
      <div className="form-row">
        <Controller
          name="date"
          control={form.control}
          render={({ field, fieldState }) => (
            <FormField label={t('appt.date')} error={fieldState.error} required htmlFor="appt-date">
              <DatePicker
                id="appt-date"
                format="YYYY-MM-DD"
                value={field.value && dayjs(field.value, 'YYYY-MM-DD', true).isValid() ? dayjs(field.value, 'YYYY-MM-DD') : null}
                onChange={(d) => field.onChange(d ? d.format('YYYY-MM-DD') : '')}
                // A visit is booked ahead; earlier days cannot be chosen (today still can).
                disabledDate={(d) => d.isBefore(dayjs(), 'day')}
                style={{ width: 150 }}
              />
            </FormField>
          )}
        />
        <Controller
          name="time"
          control={form.control}
          render={({ field, fieldState }) => (
            <FormField label={t('appt.time')} error={fieldState.error} required htmlFor="appt-time">
              <TimePicker
                id="appt-time"
                format="HH:mm"
                minuteStep={5}
                needConfirm={false}
                placeholder={t('appt.pickTime')}
                value={field.value && dayjs(field.value, 'HH:mm', true).isValid() ? dayjs(field.value, 'HH:mm') : null}
                onChange={(d) => field.onChange(d ? d.format('HH:mm') : '')}
                style={{ width: 124 }}
              />
            </FormField>
          )}
        />
        <Controller
          name="contactPerson"
          control={form.control}
          render={({ field, fieldState }) => (
            <FormField label={t('appt.contact')} error={fieldState.error} required htmlFor="appt-contact">
              <Input {...field} id="appt-contact" style={{ width: 150 }} />
            </FormField>
          )}
        />
      </div>
      <Controller
        name="place"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('appt.place')} error={fieldState.error} required htmlFor="appt-place">
            <Input {...field} id="appt-place" placeholder={t('appt.placePlaceholder')} />
          </FormField>
        )}
      />
      <Controller
        name="note"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('appt.note')} error={fieldState.error} htmlFor="appt-note">
            <Input {...field} value={field.value ?? ''} id="appt-note" />
          </FormField>
        )}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting} data-testid="appointment-submit">
        {t('appt.submit')}
      </Button>
    </Form>
  );
}

const APPT_STATUS_COLORS = { scheduled: 'cyan', cancelled: 'default', done: 'green' } as const;

/** The task's appointments, newest first; a scheduled one can be cancelled with a reason. */
export function AppointmentList({ appointments, onSaved }: { appointments: AppointmentView[]; onSaved: (d: TaskDetail) => void }) {
  const t = useT();
  if (appointments.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appt.none')} />;
  return (
    <div className="appt-list" data-testid="appointments-list">
      {[...appointments].reverse().map((a) => (
        <AppointmentItem key={a.id} appointment={a} onSaved={onSaved} />
      ))}
    </div>
  );
}

function AppointmentItem({ appointment: a, onSaved }: { appointment: AppointmentView; onSaved: (d: TaskDetail) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const cancel = async () => {
    setBusy(true);
    const r = await call('appointments.cancel', { id: a.id, reason });
    setBusy(false);
    if (!r.ok) return setError(r.error.issues?.find((i) => i.path === 'reason')?.message ?? r.error.message);
    void message.success(t('appt.cancelled'));
    setCancelling(false);
    onSaved(r.value);
  };

  return (
    <div className={`appt-item appt-${a.status}`} data-testid="appointment-item">
      <div className="appt-item-head">
        <Typography.Text strong className="appt-when">
          {a.startsAt}
        </Typography.Text>
        <Tag color={APPT_STATUS_COLORS[a.status]}>{t(`appt.status.${a.status}`)}</Tag>
        <span className="appt-spacer" />
        {a.status === 'scheduled' && !cancelling && (
          <Button size="small" type="link" danger onClick={() => setCancelling(true)}>
            {t('appt.cancel')}
          </Button>
        )}
      </div>
      <div>{t('appt.line', { place: a.place, contact: a.contactPerson })}</div>
      {a.note && <Typography.Text type="secondary">{a.note}</Typography.Text>}
      <Typography.Text type="secondary" className="small-text appt-by">
        {t('appt.by', { user: a.userName })}
      </Typography.Text>
      {cancelling && (
        <div className="appt-cancel">
          <Space.Compact style={{ width: '100%' }}>
            <Input
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                setError(null);
              }}
              placeholder={t('appt.cancelReason')}
              status={error ? 'error' : ''}
              aria-label={t('appt.cancelReason')}
              data-testid="appointment-cancel-reason"
              onPressEnter={() => void cancel()}
            />
            <Button danger loading={busy} onClick={() => void cancel()}>
              {t('appt.cancelConfirm')}
            </Button>
          </Space.Compact>
          {error && <Typography.Text type="danger">{error}</Typography.Text>}
          <Button size="small" type="text" onClick={() => setCancelling(false)}>
            {t('appt.keep')}
          </Button>
        </div>
      )}
    </div>
  );
}
