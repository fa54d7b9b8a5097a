import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Button, Descriptions, Form, Input } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import type { VisitView } from '../../../../shared/api/contract';
import { KEY_CLIENT_FIELDS, recordSheetDraftSchema, type SheetFieldName } from '../../../../shared/domain/visit';
import { OUTCOME_STATUS_LABELS, categoryLabel } from '../../../../shared/outcome';
import { RevealField } from '../../components/RevealField';
import { useT } from '../../stores/app-store';
import { useVisitStore } from './open-visit';
import { SaveIndicator } from './SaveIndicator';
import { isKeyClient, questionsOf, sheetFields } from './visit-labels';

type SheetValues = z.input<typeof recordSheetDraftSchema>;

/** Wait after the last keystroke before saving; blur saves at once. */
const SAVE_DELAY_MS = 400;
// One shared empty list: a selector returning a fresh [] would look like a change on every read.
const NO_BLOCKERS: VisitView['blockers'] = [];
/** The paper's long boxes; the rest are one-line entries. */
const LONG = 500;

/** Boxes finalising needs filled (shared/domain/visit.ts recordSheetFinalSchema), marked as such on the form. */
function requiredFields(view: VisitView, hasPolicy: boolean): Set<SheetFieldName> {
  const s = new Set<SheetFieldName>(['customerName', 'visitor', 'interviewee', 'place', 'phone', 'summary']);
  if (hasPolicy) s.add('policyNo');
  if (isKeyClient(view.kind)) for (const f of KEY_CLIENT_FIELDS) s.add(f.name);
  return s;
}

/** Step 3 回访记录表: the paper form's boxes, each saved as it is typed. */
export function SheetStep() {
  const view = useVisitStore((s) => s.view)!;
  if (view.state !== 'draft') return <SheetReadOnly view={view} />;
  return <SheetForm key={view.id} view={view} />;
}

function SheetReadOnly({ view }: { view: VisitView }) {
  return (
    <Descriptions
      bordered
      column={1}
      data-testid="sheet-readonly"
      styles={{ label: { width: 180 } }}
      items={sheetFields(view.kind).map((f) => ({
        key: f.name,
        label: f.label,
        // A finalised sheet comes with its phone masked, like everywhere else; 查看 shows the customer's in full.
        children:
          f.name === 'phone' ? (
            <RevealField customerId={view.customerId} field="phone" masked={view.sheet.phone ?? ''} testId="sheet-phone" />
          ) : (
            <span className="pre-wrap">{view.sheet[f.name] ?? ''}</span>
          ),
      }))}
    />
  );
}

function SheetForm({ view }: { view: VisitView }) {
  const t = useT();
  const mutate = useVisitStore((s) => s.mutate);
  const detail = useVisitStore((s) => s.detail);
  // The blockers come from the latest saved view, not the one the form was opened with.
  const blockers = useVisitStore((s) => s.view?.blockers ?? NO_BLOCKERS);
  const fields = useMemo(() => sheetFields(view.kind), [view.kind]);
  const required = requiredFields(view, !!detail?.policy || !!view.sheet.policyNo);
  const initial: SheetValues = Object.fromEntries(fields.map((f) => [f.name, view.sheet[f.name] ?? '']));
  const form = useForm<SheetValues>({ resolver: zodResolver(recordSheetDraftSchema), defaultValues: initial, mode: 'onChange' });
  const saved = useRef<SheetValues>(initial);
  const timer = useRef<number | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  /** Sends what changed since the last save; the same call whether from the timer, a blur or leaving the step. */
  const flush = useCallback(async () => {
    window.clearTimeout(timer.current);
    const values = form.getValues();
    const changed: SheetValues = {};
    for (const f of fields) {
      const v = values[f.name] ?? '';
      if (v !== (saved.current[f.name] ?? '')) changed[f.name] = v;
    }
    const names = Object.keys(changed) as SheetFieldName[];
    if (names.length === 0) return;
    // Only the length limits can fail a draft; an over-long box stays unsaved until shortened.
    const check = recordSheetDraftSchema.safeParse(changed);
    if (!check.success) return;
    const before = saved.current;
    saved.current = { ...before, ...changed };
    const r = await mutate('visits.saveSheet', { visitId: view.id, sheet: changed });
    if (r.ok) return setError(null);
    // Not saved: forget that it was, so the next edit or blur tries again.
    saved.current = before;
    let placed = false;
    for (const issue of r.error.issues ?? []) {
      const name = issue.path.replace(/^sheet\./, '') as SheetFieldName;
      if (names.includes(name)) {
        form.setError(name, { message: issue.message });
        placed = true;
      }
    }
    if (!placed) setError(r.error.message);
  }, [fields, form, mutate, view.id]);

  useEffect(() => {
    const unsubscribe = form.subscribe({
      formState: { values: true },
      callback: () => {
        window.clearTimeout(timer.current);
        timer.current = window.setTimeout(() => void flush(), SAVE_DELAY_MS);
      },
    });
    return () => {
      unsubscribe();
      // Leaving the step (or closing the visit) must not drop the last edit.
      void flush();
    };
  }, [form, flush]);

  const blockerOf = (name: SheetFieldName) => blockers.find((b) => b.path === `sheet.${name}`)?.message;

  /** Writes the questionnaire's result into the summary (and, for a problem case, the feedback) boxes. */
  const fillFromQuestionnaire = () => {
    const latest = useVisitStore.getState().view ?? view;
    const n = questionsOf(latest).length;
    const o = latest.outcome;
    const summary = t('visit.sheet.autoSummary', { name: latest.template.name, n, result: OUTCOME_STATUS_LABELS[o.status] });
    if (!form.getValues('summary')?.trim()) form.setValue('summary', summary, { shouldDirty: true });
    if (o.status === 'problem' && !form.getValues('feedback')?.trim()) {
      form.setValue('feedback', o.categories.map((c) => categoryLabel(c)).join('、') + t('visit.sheet.autoFeedback'), { shouldDirty: true });
    }
    void flush();
  };

  return (
    <Form layout="vertical" className="visit-form sheet-form" data-testid="sheet-form">
      <div className="sheet-toolbar">
        <Button onClick={fillFromQuestionnaire} data-testid="sheet-autofill">
          {t('visit.sheet.autofill')}
        </Button>
        <SaveIndicator />
      </div>
      <div className="sheet-grid">
        {fields.map((f) => (
          <Controller
            key={f.name}
            name={f.name}
            control={form.control}
            render={({ field, fieldState }) => {
              const blocker = blockerOf(f.name);
              const long = f.max >= LONG;
              return (
                <Form.Item
                  label={f.label}
                  htmlFor={`sheet-${f.name}`}
                  required={required.has(f.name)}
                  className={long ? 'sheet-long' : 'sheet-short'}
                  validateStatus={fieldState.error ? 'error' : blocker ? 'warning' : ''}
                  help={fieldState.error?.message ?? blocker}
                >
                  {long ? (
                    <Input.TextArea
                      {...field}
                      value={field.value ?? ''}
                      id={`sheet-${f.name}`}
                      autoSize={{ minRows: f.max > LONG ? 3 : 2, maxRows: 10 }}
                      showCount
                      maxLength={f.max}
                      onBlur={() => {
                        field.onBlur();
                        void flush();
                      }}
                    />
                  ) : (
                    <Input
                      {...field}
                      value={field.value ?? ''}
                      id={`sheet-${f.name}`}
                      maxLength={f.max}
                      onBlur={() => {
                        field.onBlur();
                        void flush();
                      }}
                    />
                  )}
                </Form.Item>
              );
            }}
          />
        ))}
      </div>
      {error && <Alert type="error" showIcon title={error} />}
    </Form>
  );
}
