import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, App, Button, DatePicker, Form, Input, Radio, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { attemptInput, contract, type AttemptView, type TaskDetail } from '../../../../shared/api/contract';
import { CONTACT_METHODS, NEXT_ACTIONS, type ContactMethod } from '../../../../shared/outcome/types';
import { call } from '../../api/client';
import { FormField } from '../../components/FormField';
import { applyServerIssues } from '../../components/server-issues';
import { useAppStore, useT } from '../../stores/app-store';
import { methodLabel, outcomeLabel, outcomesFor } from './labels';

const nowText = () => dayjs().format('YYYY-MM-DD HH:mm');
const DATE_TIME = 'YYYY-MM-DD HH:mm';

type AttemptIn = z.input<typeof attemptInput>;
type AttemptOut = z.output<typeof attemptInput>;
const ATTEMPT_FIELDS = ['method', 'attemptedAt', 'outcome', 'note'] as const;

/** 联系记录: one contact attempt (method, when, outcome as that method words it, note). */
export function AttemptForm({ taskId, onSaved }: { taskId: number; onSaved: (d: TaskDetail) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<AttemptIn, unknown, AttemptOut>({
    resolver: zodResolver(attemptInput),
    defaultValues: { taskId, method: 'phone', attemptedAt: nowText(), note: '' },
  });
  const method = useWatch({ control: form.control, name: 'method' });
  const outcome = useWatch({ control: form.control, name: 'outcome' });

  // An outcome of another method (an SMS cannot be 已接通) is cleared rather than sent.
  useEffect(() => {
    if (outcome && !outcomesFor(method).some((o) => o.value === outcome)) form.resetField('outcome');
  }, [method, outcome, form]);

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const r = await call('attempts.log', { ...values, ...(values.note ? {} : { note: undefined }) });
    if (!r.ok) return setError(applyServerIssues(r.error, form.setError, ATTEMPT_FIELDS));
    void message.success(t('attempt.saved'));
    form.reset({ taskId, method: values.method, attemptedAt: nowText(), note: '' });
    onSaved(r.value);
  });

  return (
    <Form layout="vertical" onFinish={() => void onSubmit()} data-testid="attempt-form" className="compact-form">
      <div className="form-row">
        <Controller
          name="method"
          control={form.control}
          render={({ field, fieldState }) => (
            <FormField label={t('attempt.method')} error={fieldState.error} required>
              <Radio.Group
                optionType="button"
                value={field.value}
                onChange={(e) => field.onChange(e.target.value as ContactMethod)}
                options={CONTACT_METHODS.map((m) => ({ value: m.code, label: m.label }))}
                aria-label={t('attempt.method')}
                data-testid="attempt-method"
              />
            </FormField>
          )}
        />
        <Controller
          name="attemptedAt"
          control={form.control}
          render={({ field, fieldState }) => (
            <FormField label={t('attempt.at')} error={fieldState.error} required htmlFor="attempt-at">
              <DatePicker
                id="attempt-at"
                showTime={{ format: 'HH:mm' }}
                format={DATE_TIME}
                needConfirm={false}
                allowClear={false}
                value={field.value && dayjs(field.value, DATE_TIME, true).isValid() ? dayjs(field.value, DATE_TIME) : null}
                onChange={(d) => field.onChange(d ? d.format(DATE_TIME) : '')}
                // An attempt is recorded after it happened: no future days.
                disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                style={{ width: 176 }}
              />
            </FormField>
          )}
        />
      </div>
      <Controller
        name="outcome"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('attempt.outcome')} error={fieldState.error} required>
            <Radio.Group
              optionType="button"
              value={field.value ?? null}
              onChange={(e) => field.onChange(e.target.value as AttemptOut['outcome'])}
              options={outcomesFor(method)}
              className="outcome-options"
              aria-label={t('attempt.outcome')}
              data-testid="attempt-outcome"
            />
          </FormField>
        )}
      />
      <Controller
        name="note"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('attempt.note')} error={fieldState.error} htmlFor="attempt-note">
            <Input.TextArea {...field} value={field.value ?? ''} id="attempt-note" autoSize={{ minRows: 1, maxRows: 4 }} placeholder={t('attempt.notePlaceholder')} />
          </FormField>
        )}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting} data-testid="attempt-submit">
        {t('attempt.submit')}
      </Button>
    </Form>
  );
}

/** The attempt log: the evidence that every fallback was tried (重庆…办法 第六条). */
export function AttemptList({ attempts }: { attempts: AttemptView[] }) {
  const t = useT();
  return (
    <Table<AttemptView>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={[...attempts].reverse()}
      data-testid="attempts-list"
      locale={{ emptyText: t('attempt.none') }}
      columns={[
        { title: t('attempt.col.at'), dataIndex: 'attemptedAt', width: 128, render: (v: string) => <span className="nowrap">{v}</span> },
        {
          title: t('attempt.col.method'),
          key: 'method',
          width: 92,
          render: (_v, a) => (
            <>
              <div>{methodLabel(a.method)}</div>
              {a.phoneMasked && <Typography.Text type="secondary" className="small-text">{a.phoneMasked}</Typography.Text>}
            </>
          ),
        },
        { title: t('attempt.col.outcome'), key: 'outcome', width: 104, render: (_v, a) => outcomeLabel(a.method, a.outcome) },
        { title: t('attempt.col.note'), dataIndex: 'note', render: (v: string | null) => v },
        { title: t('attempt.col.user'), dataIndex: 'userName', width: 68 },
      ]}
    />
  );
}

const actionLabel = (action: string) => NEXT_ACTIONS.find((a) => a.code === action)?.label ?? action;

/**
 * The next fallback step main suggests, with the action it calls for right there: after a wrong
 * number, correcting it; once every method failed, recording why the visit cannot be done.
 */
export function NextStepPanel({ detail, onSaved }: { detail: TaskDetail; onSaved: (d: TaskDetail) => void }) {
  const t = useT();
  const role = useAppStore((s) => s.user?.role);
  const [open, setOpen] = useState<'phone' | 'unable' | null>(null);
  const step = detail.nextStep;
  const canCorrect = role === 'staff' || role === 'manager' || role === 'admin';
  const saved = (d: TaskDetail) => {
    setOpen(null);
    onSaved(d);
  };

  if (!step) {
    if (!detail.unableReason) return null;
    return <Alert type="warning" showIcon title={t('next.unableRecorded')} description={detail.unableReason} data-testid="next-step" />;
  }
  const offerPhone = canCorrect && step.action === 'correct_number_and_phone';
  const offerUnable = step.action === 'record_reason';
  return (
    <Alert
      type={offerPhone || offerUnable ? 'warning' : 'info'}
      showIcon
      data-testid="next-step"
      title={t('next.title', { action: actionLabel(step.action) })}
      description={
        <>
          <div className="next-step-text">{step.explanation}</div>
          {(offerPhone || offerUnable) && open === null && (
            <div className="next-step-actions">
              {offerPhone && (
                <Button size="small" type="primary" onClick={() => setOpen('phone')} data-testid="open-correct-phone">
                  {t('phone.open')}
                </Button>
              )}
              {offerUnable && (
                <Button size="small" type="primary" onClick={() => setOpen('unable')} data-testid="open-record-unable">
                  {t('unable.open')}
                </Button>
              )}
            </div>
          )}
          {open === 'phone' && <PhoneCorrectionForm taskId={detail.task.id} current={detail.customer.phoneMasked} onSaved={saved} onCancel={() => setOpen(null)} />}
          {open === 'unable' && <UnableReasonForm taskId={detail.task.id} onSaved={saved} onCancel={() => setOpen(null)} />}
        </>
      }
    />
  );
}

const phoneSchema = contract['tasks.correctPhone'].input;
type PhoneIn = z.input<typeof phoneSchema>;
type PhoneOut = z.output<typeof phoneSchema>;

/** 更正号码: main keeps the old number in the correction log; this only names the new one and why. */
function PhoneCorrectionForm({ taskId, current, onSaved, onCancel }: { taskId: number; current: string; onSaved: (d: TaskDetail) => void; onCancel: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<PhoneIn, unknown, PhoneOut>({ resolver: zodResolver(phoneSchema), defaultValues: { taskId, newPhone: '', reason: '' } });
  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const r = await call('tasks.correctPhone', values);
    if (!r.ok) return setError(applyServerIssues(r.error, form.setError, ['newPhone', 'reason']));
    void message.success(t('phone.saved'));
    onSaved(r.value);
  });
  return (
    <Form layout="vertical" onFinish={() => void onSubmit()} className="inline-form" data-testid="correct-phone-form">
      <Typography.Paragraph type="secondary" className="small-text">
        {t('phone.help', { current: current || t('phone.noCurrent') })}
      </Typography.Paragraph>
      <Controller
        name="newPhone"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('phone.new')} error={fieldState.error} required htmlFor="phone-new">
            <Input {...field} id="phone-new" autoComplete="off" />
          </FormField>
        )}
      />
      <Controller
        name="reason"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('phone.reason')} error={fieldState.error} required htmlFor="phone-reason">
            <Input {...field} value={field.value ?? ''} id="phone-reason" placeholder={t('phone.reasonPlaceholder')} />
          </FormField>
        )}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Button type="primary" htmlType="submit" size="small" loading={form.formState.isSubmitting}>
        {t('phone.submit')}
      </Button>
      <Button size="small" type="text" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
    </Form>
  );
}

const unableSchema = contract['tasks.recordUnable'].input;
type UnableIn = z.input<typeof unableSchema>;
type UnableOut = z.output<typeof unableSchema>;

/** 记录不能完成原因: offered once phone, corrected number, letter or home visit have all failed. */
function UnableReasonForm({ taskId, onSaved, onCancel }: { taskId: number; onSaved: (d: TaskDetail) => void; onCancel: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<UnableIn, unknown, UnableOut>({ resolver: zodResolver(unableSchema), defaultValues: { taskId, reason: '' } });
  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const r = await call('tasks.recordUnable', values);
    if (!r.ok) return setError(applyServerIssues(r.error, form.setError, ['reason']));
    void message.success(t('unable.saved'));
    onSaved(r.value);
  });
  return (
    <Form layout="vertical" onFinish={() => void onSubmit()} className="inline-form" data-testid="record-unable-form">
      <Controller
        name="reason"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('unable.reason')} error={fieldState.error} required htmlFor="unable-reason">
            <Input.TextArea {...field} value={field.value ?? ''} id="unable-reason" autoSize={{ minRows: 2, maxRows: 5 }} placeholder={t('unable.placeholder')} />
          </FormField>
        )}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Button type="primary" htmlType="submit" size="small" loading={form.formState.isSubmitting}>
        {t('unable.submit')}
      </Button>
      <Button size="small" type="text" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
    </Form>
  );
}
