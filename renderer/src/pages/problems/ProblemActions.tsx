import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, App, Button, Form, Input, Radio, Select } from 'antd';
import { useState } from 'react';
import { Controller, useForm, useWatch, type FieldValues, type Path, type UseFormSetError } from 'react-hook-form';
import { z } from 'zod';
import {
  PROBLEM_RESOLUTIONS,
  problemCloseInput,
  problemExplainInput,
  type ProblemCaseDetail,
  type ProblemVisitRef,
  type UserSummary,
} from '../../../../shared/api/contract';
import type { ApiError } from '../../../../shared/api/envelope';
import { ROLE_LABELS } from '../../../../shared/domain/roles';
import { call } from '../../api/client';
import { FormField } from '../../components/FormField';
import { useT } from '../../stores/app-store';
import { localTime } from '../visit/visit-labels';
import { RESOLUTION_KEYS, alertText } from './problem-labels';

type Done = (d: ProblemCaseDetail) => void;

/** Places main's field issues beside the fields; returns the text for the form's alert. */
function placeIssues<T extends FieldValues>(error: ApiError, setError: UseFormSetError<T>, fields: readonly string[]): string | null {
  let all = true;
  for (const issue of error.issues ?? []) {
    if (fields.includes(issue.path)) setError(issue.path as Path<T>, { message: issue.message });
    else all = false;
  }
  return alertText(error, all);
}

function FormError({ text, testId }: { text: string | null; testId: string }) {
  return text ? <Alert type="error" showIcon title={text} data-testid={testId} style={{ marginBottom: 12 }} /> : null;
}

const visitLabel = (v: ProblemVisitRef) => `${v.recordNo}（v${v.version}，${v.visitorName}，${v.visitedAt ?? localTime(v.finalisedAt)}）`;

const assignSchema = z.object({ caseId: z.number(), handlerId: z.number({ error: '请选择处理人' }).int().positive('请选择处理人') });

/** 指派处理人 (managers): main refuses the policy's sales agent, disabled accounts and roles other than staff or manager. */
export function AssignForm({ detail, users, onDone }: { detail: ProblemCaseDetail; users: UserSummary[]; onDone: Done }) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<z.input<typeof assignSchema>>({ resolver: zodResolver(assignSchema), defaultValues: { caseId: detail.id } });
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const r = await call('problems.assign', values);
    if (!r.ok) return setError(placeIssues(r.error, form.setError, ['handlerId']));
    void message.success(t('problems.assign.done', { name: r.value.handlerName ?? '' }));
    onDone(r.value);
  });
  return (
    <Form layout="vertical" onFinish={() => void submit()} data-testid="problem-assign-form">
      <Controller
        name="handlerId"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('problems.assign.handler')} error={fieldState.error} required htmlFor="problem-handler">
            <Select
              id="problem-handler"
              value={field.value}
              onChange={(v: number) => {
                field.onChange(v);
                setError(null);
              }}
              placeholder={t('problems.assign.pick')}
              showSearch={{ optionFilterProp: 'label' }}
              options={users.filter((u) => u.role !== 'admin').map((u) => ({ value: u.id, label: `${u.displayName}（${ROLE_LABELS[u.role]}）` }))}
            />
          </FormField>
        )}
      />
      <FormError text={error} testId="problem-assign-error" />
      <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting}>
        {t('problems.assign.ok')}
      </Button>
    </Form>
  );
}

type ExplainIn = z.input<typeof problemExplainInput>;
type ExplainOut = z.output<typeof problemExplainInput>;

/** 记录解释情况: by phone with the recording's reference, or in person with a questionnaire the applicant signed. */
export function ExplainForm({ detail, onDone }: { detail: ProblemCaseDetail; onDone: Done }) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<ExplainIn, unknown, ExplainOut>({
    resolver: zodResolver(problemExplainInput),
    defaultValues: { caseId: detail.id, method: 'phone', recordingRef: '', note: '' },
  });
  const method = useWatch({ control: form.control, name: 'method' });
  const signed = detail.candidateVisits.filter((v) => v.signedByApplicant);
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const input = values.method === 'phone' ? { ...values, visitId: undefined } : { ...values, recordingRef: undefined };
    const r = await call('problems.explain', input);
    if (!r.ok) return setError(placeIssues(r.error, form.setError, ['method', 'recordingRef', 'visitId', 'note']));
    void message.success(t('problems.explain.done'));
    onDone(r.value);
  });
  return (
    <Form layout="vertical" onFinish={() => void submit()} data-testid="problem-explain-form">
      <Controller
        name="method"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('problems.explain.method')} error={fieldState.error} required>
            <Radio.Group value={field.value} onChange={(e) => field.onChange(e.target.value)}>
              <Radio value="phone">{t('problems.explain.phone')}</Radio>
              <Radio value="in_person">{t('problems.explain.inPerson')}</Radio>
            </Radio.Group>
          </FormField>
        )}
      />
      {method === 'phone' ? (
        <Controller
          name="recordingRef"
          control={form.control}
          render={({ field, fieldState }) => (
            <FormField label={t('problems.explain.recordingRef')} error={fieldState.error} required htmlFor="problem-recording">
              <Input {...field} value={field.value ?? ''} id="problem-recording" maxLength={100} placeholder={t('problems.explain.recordingHint')} />
            </FormField>
          )}
        />
      ) : (
        <Controller
          name="visitId"
          control={form.control}
          render={({ field, fieldState }) => (
            <FormField label={t('problems.explain.visit')} error={fieldState.error} required htmlFor="problem-explain-visit">
              <Select
                id="problem-explain-visit"
                value={field.value}
                onChange={field.onChange}
                placeholder={signed.length ? t('problems.explain.visitPick') : t('problems.explain.noSignedVisit')}
                options={signed.map((v) => ({ value: v.id, label: visitLabel(v) }))}
              />
            </FormField>
          )}
        />
      )}
      <Controller
        name="note"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('problems.explain.note')} error={fieldState.error} required htmlFor="problem-explain-note">
            <Input.TextArea {...field} id="problem-explain-note" rows={3} maxLength={500} showCount />
          </FormField>
        )}
      />
      <FormError text={error} testId="problem-explain-error" />
      <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting}>
        {t('problems.explain.ok')}
      </Button>
    </Form>
  );
}

const secondSchema = z.object({ caseId: z.number(), visitId: z.number({ error: '请选择二次回访记录' }).int().positive('请选择二次回访记录') });

/** 关联二次回访: one of the customer's visits finalised since the case opened. */
export function SecondVisitForm({ detail, onDone }: { detail: ProblemCaseDetail; onDone: Done }) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<z.input<typeof secondSchema>>({ resolver: zodResolver(secondSchema), defaultValues: { caseId: detail.id } });
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const r = await call('problems.linkSecondVisit', values);
    if (!r.ok) return setError(placeIssues(r.error, form.setError, ['visitId']));
    void message.success(t('problems.second.done'));
    onDone(r.value);
  });
  return (
    <Form layout="vertical" onFinish={() => void submit()} data-testid="problem-second-form">
      <Controller
        name="visitId"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('problems.second.visit')} error={fieldState.error} required htmlFor="problem-second-visit">
            <Select
              id="problem-second-visit"
              value={field.value}
              onChange={field.onChange}
              placeholder={detail.candidateVisits.length ? t('problems.second.pick') : t('problems.second.none')}
              options={detail.candidateVisits.map((v) => ({ value: v.id, label: visitLabel(v) }))}
            />
          </FormField>
        )}
      />
      <FormError text={error} testId="problem-second-error" />
      <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting}>
        {t('problems.second.ok')}
      </Button>
    </Form>
  );
}

type CloseIn = z.input<typeof problemCloseInput>;
type CloseOut = z.output<typeof problemCloseInput>;

/** 结案 with a resolution; 解释后客户接受 needs the second visit (main says so on the field). */
export function CloseForm({ detail, onDone }: { detail: ProblemCaseDetail; onDone: Done }) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<CloseIn, unknown, CloseOut>({ resolver: zodResolver(problemCloseInput), defaultValues: { caseId: detail.id, note: '' } });
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const r = await call('problems.close', values);
    if (!r.ok) return setError(placeIssues(r.error, form.setError, ['resolution', 'note']));
    void message.success(t('problems.close.done'));
    onDone(r.value);
  });
  return (
    <Form layout="vertical" onFinish={() => void submit()} data-testid="problem-close-form">
      <Controller
        name="resolution"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('problems.close.resolution')} error={fieldState.error} required htmlFor="problem-resolution">
            <Select
              id="problem-resolution"
              value={field.value}
              onChange={field.onChange}
              placeholder={t('problems.close.pick')}
              options={PROBLEM_RESOLUTIONS.map((r) => ({ value: r, label: t(RESOLUTION_KEYS[r]) }))}
            />
          </FormField>
        )}
      />
      <Controller
        name="note"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('problems.close.note')} error={fieldState.error} htmlFor="problem-close-note">
            <Input.TextArea {...field} value={field.value ?? ''} id="problem-close-note" rows={2} maxLength={500} showCount />
          </FormField>
        )}
      />
      <FormError text={error} testId="problem-close-error" />
      <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting}>
        {t('problems.close.ok')}
      </Button>
    </Form>
  );
}

const reopenSchema = z.object({ caseId: z.number(), reason: z.string().trim().min(1, '请填写重开原因').max(500, '重开原因不能超过 500 个字') });

/** 重开 with a reason: the handling starts again with a new deadline. */
export function ReopenForm({ detail, onDone }: { detail: ProblemCaseDetail; onDone: Done }) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<z.input<typeof reopenSchema>>({ resolver: zodResolver(reopenSchema), defaultValues: { caseId: detail.id, reason: '' } });
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const r = await call('problems.reopen', values);
    if (!r.ok) return setError(placeIssues(r.error, form.setError, ['reason']));
    void message.success(t('problems.reopen.done'));
    onDone(r.value);
  });
  return (
    <Form layout="vertical" onFinish={() => void submit()} data-testid="problem-reopen-form">
      <Controller
        name="reason"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('problems.reopen.reason')} error={fieldState.error} required htmlFor="problem-reopen-reason">
            <Input.TextArea {...field} id="problem-reopen-reason" rows={2} maxLength={500} />
          </FormField>
        )}
      />
      <FormError text={error} testId="problem-reopen-error" />
      <Button danger htmlType="submit" loading={form.formState.isSubmitting}>
        {t('problems.reopen.ok')}
      </Button>
    </Form>
  );
}
