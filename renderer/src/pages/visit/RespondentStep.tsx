import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, DatePicker, Descriptions, Form, Input, Radio, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import { visitSetupInput } from '../../../../shared/api/contract';
import { PLACE_KINDS } from '../../../../shared/domain/visit';
import { AUTHORISATION_METHODS, AUTHORISATION_REASONS, FAMILY_RELATIONSHIPS, respondentSchema } from '../../../../shared/outcome';
import { FormField } from '../../components/FormField';
import { applyServerIssues } from '../../components/server-issues';
import { useT } from '../../stores/app-store';
import { useVisitStore } from './open-visit';
import { PolicyFacts } from './PolicyFacts';
import { describeRespondent, isKeyClient, placeLabel, questionsOf } from './visit-labels';

// The same schemas main validates `visits.setup` with, minus the record id.
const setupForm = z.object({ respondent: respondentSchema, placeKind: visitSetupInput.shape.placeKind, visitedAt: visitSetupInput.shape.visitedAt });
type SetupValues = z.input<typeof setupForm>;

const FORMAT = 'YYYY-MM-DD HH:mm';
const options = <C extends string>(list: readonly { code: C; label: string }[]) => list.map((x) => ({ value: x.code, label: x.label }));

/** Step 1 受访人与地点: who answers (the applicant, or a family member the applicant authorised), where and when. */
export function RespondentStep() {
  const t = useT();
  const view = useVisitStore((s) => s.view)!;
  const mutate = useVisitStore((s) => s.mutate);
  const goTo = useVisitStore((s) => s.goTo);
  const [error, setError] = useState<string | null>(null);
  const readOnly = view.state !== 'draft';

  const form = useForm<SetupValues>({
    resolver: zodResolver(setupForm),
    // Hidden family-member fields drop out of the values: main's schema refuses unknown keys.
    shouldUnregister: true,
    defaultValues: {
      respondent: view.respondent ?? { kind: 'in_person', name: view.sheet.customerName ?? '' },
      placeKind: view.placeKind ?? 'home',
      visitedAt: view.visitedAt ?? dayjs().format(FORMAT),
    },
  });
  const kind = useWatch({ control: form.control, name: 'respondent.kind' });
  const relationship = useWatch({ control: form.control, name: 'respondent.relationship' });
  const reason = useWatch({ control: form.control, name: 'respondent.reason' });

  if (readOnly) {
    return (
      <Descriptions
        bordered
        column={1}
        data-testid="respondent-readonly"
        items={[
          { key: 'who', label: t('visit.respondent.who'), children: describeRespondent(view.respondent, view.sheet.customerName) },
          { key: 'place', label: t('visit.respondent.placeKind'), children: placeLabel(view.placeKind) },
          { key: 'at', label: t('visit.respondent.visitedAt'), children: view.visitedAt ?? '' },
        ]}
      />
    );
  }

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const r = await mutate('visits.setup', { visitId: view.id, ...values });
    if (!r.ok) {
      const fields = ['placeKind', 'visitedAt', ...Object.keys(values.respondent).map((k) => `respondent.${k}`)];
      return setError(applyServerIssues(r.error, form.setError, fields));
    }
    // The sheet's 受访人及职务 box says the same thing; filled once, the visitor may reword it.
    if (!r.value.sheet.interviewee?.trim()) {
      await mutate('visits.saveSheet', { visitId: view.id, sheet: { interviewee: describeRespondent(r.value.respondent, r.value.sheet.customerName) } });
    }
    const answered = new Set(r.value.answers.filter((a) => a.first).map((a) => a.questionId));
    const next = questionsOf(r.value).findIndex((q) => !answered.has(q.id));
    goTo('questions', next >= 0 ? next : 0);
  });

  return (
    <div className="respondent-layout">
      <Form layout="vertical" className="visit-form" onFinish={() => void onSubmit()} data-testid="respondent-form">
        <Controller
          name="respondent.kind"
          control={form.control}
          render={({ field }) => (
            <FormField label={t('visit.respondent.who')} required>
              <Radio.Group
                id="visit-respondent-kind"
                optionType="button"
                buttonStyle="solid"
                size="large"
                value={field.value}
                onChange={(e) => {
                field.onChange(e.target.value);
                // The applicant's name is the in-person default; a family member's must be typed.
                form.setValue('respondent.name', e.target.value === 'in_person' ? (view.sheet.customerName ?? '') : '');
              }}
                options={[
                  { value: 'in_person', label: isKeyClient(view.kind) ? t('visit.respondent.inPersonKeyClient') : t('visit.respondent.inPerson') },
                  { value: 'family_member', label: t('visit.respondent.family') },
                ]}
              />
            </FormField>
          )}
        />
        <Controller
          name="respondent.name"
          control={form.control}
          render={({ field, fieldState }) => (
            <FormField label={kind === 'family_member' ? t('visit.respondent.familyName') : t('visit.respondent.name')} error={fieldState.error} htmlFor="visit-respondent-name">
              <Input {...field} value={field.value ?? ''} id="visit-respondent-name" maxLength={50} style={{ maxWidth: 360 }} />
            </FormField>
          )}
        />
        {kind === 'in_person' ? (
          <Controller
            name="respondent.position"
            control={form.control}
            render={({ field, fieldState }) => (
              <FormField label={t('visit.respondent.position')} error={fieldState.error} htmlFor="visit-respondent-position">
                <Input {...field} value={field.value ?? ''} id="visit-respondent-position" maxLength={50} style={{ maxWidth: 360 }} />
              </FormField>
            )}
          />
        ) : (
          <div className="family-box" data-testid="family-fields">
            <Alert type="info" showIcon title={t('visit.respondent.familyRule')} style={{ marginBottom: 16 }} />
            <Space wrap size="large" align="start">
              <Controller
                name="respondent.relationship"
                control={form.control}
                render={({ field, fieldState }) => (
                  <FormField label={t('visit.respondent.relationship')} error={fieldState.error} required htmlFor="visit-relationship">
                    <Select id="visit-relationship" value={field.value} onChange={field.onChange} options={options(FAMILY_RELATIONSHIPS)} style={{ width: 200 }} placeholder={t('visit.choose')} />
                  </FormField>
                )}
              />
              {relationship === 'other' && (
                <Controller
                  name="respondent.relationshipNote"
                  control={form.control}
                  render={({ field, fieldState }) => (
                    <FormField label={t('visit.respondent.relationshipNote')} error={fieldState.error} required htmlFor="visit-relationship-note">
                      <Input {...field} value={field.value ?? ''} id="visit-relationship-note" style={{ width: 240 }} />
                    </FormField>
                  )}
                />
              )}
            </Space>
            <Space wrap size="large" align="start">
              <Controller
                name="respondent.reason"
                control={form.control}
                render={({ field, fieldState }) => (
                  <FormField label={t('visit.respondent.reason')} error={fieldState.error} required htmlFor="visit-reason">
                    <Select id="visit-reason" value={field.value} onChange={field.onChange} options={options(AUTHORISATION_REASONS)} style={{ width: 240 }} placeholder={t('visit.choose')} />
                  </FormField>
                )}
              />
              <Controller
                name="respondent.reasonNote"
                control={form.control}
                render={({ field, fieldState }) => (
                  <FormField label={reason === 'other' ? t('visit.respondent.reasonNoteRequired') : t('visit.respondent.reasonNote')} error={fieldState.error} required={reason === 'other'} htmlFor="visit-reason-note">
                    <Input {...field} value={field.value ?? ''} id="visit-reason-note" style={{ width: 320 }} />
                  </FormField>
                )}
              />
            </Space>
            <Space wrap size="large" align="start">
              <Controller
                name="respondent.authorisation"
                control={form.control}
                render={({ field, fieldState }) => (
                  <FormField label={t('visit.respondent.authorisation')} error={fieldState.error} required htmlFor="visit-authorisation">
                    <Select id="visit-authorisation" value={field.value} onChange={field.onChange} options={options(AUTHORISATION_METHODS)} style={{ width: 280 }} placeholder={t('visit.choose')} />
                  </FormField>
                )}
              />
              <Controller
                name="respondent.authorisationNote"
                control={form.control}
                render={({ field, fieldState }) => (
                  <FormField label={t('visit.respondent.authorisationNote')} error={fieldState.error} htmlFor="visit-authorisation-note">
                    <Input {...field} value={field.value ?? ''} id="visit-authorisation-note" style={{ width: 320 }} />
                  </FormField>
                )}
              />
            </Space>
          </div>
        )}
        <Space wrap size="large" align="start">
          <Controller
            name="placeKind"
            control={form.control}
            render={({ field, fieldState }) => (
              <FormField label={t('visit.respondent.placeKind')} error={fieldState.error} required htmlFor="visit-placeKind">
                <Select id="visit-placeKind" value={field.value} onChange={field.onChange} options={options(PLACE_KINDS)} style={{ width: 200 }} />
              </FormField>
            )}
          />
          <Controller
            name="visitedAt"
            control={form.control}
            render={({ field, fieldState }) => (
              <FormField label={t('visit.respondent.visitedAt')} error={fieldState.error} required htmlFor="visit-visitedAt">
                <DatePicker
                  id="visit-visitedAt"
                  showTime={{ format: 'HH:mm' }}
                  format={FORMAT}
                  allowClear={false}
                  value={field.value && dayjs(field.value, FORMAT).isValid() ? dayjs(field.value, FORMAT) : null}
                  onChange={(d) => field.onChange(d ? d.format(FORMAT) : '')}
                  // A visit is recorded when it happens: a later time cannot be chosen.
                  disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                  style={{ width: 200 }}
                />
              </FormField>
            )}
          />
        </Space>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <div>
          <Button type="primary" size="large" htmlType="submit" loading={form.formState.isSubmitting} data-testid="respondent-save">
            {t('visit.respondent.save')}
          </Button>
        </div>
      </Form>
      <PolicyFacts />
    </div>
  );
}
