import { Alert, Button, Card, Col, Descriptions, Empty, Form, Input, InputNumber, Row, Select, Space, Switch, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState, type ReactNode } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { COOLING_OFF_TIMING_LABELS, RULES_IN_FORCE, fieldDescriptors, type DeadlineResult, type FieldDescriptor, type VisitKind } from '../../../../shared/rules';
import { call } from '../../api/client';
import { FormField } from '../../components/FormField';
import { applyServerIssues } from '../../components/server-issues';
import { useT } from '../../stores/app-store';

type Values = Record<string, unknown>;

/** What each control holds before it becomes a fact: '' or undefined mean "not filled". */
function initialValue(f: FieldDescriptor): unknown {
  // Periodic kinds measure against "today"; the form starts from the PC's date so the usual
  // question (is this client due now?) needs no typing.
  if (f.name === 'today') return dayjs().format('YYYY-MM-DD');
  if (f.type === 'date' || f.type === 'time') return '';
  if (f.type === 'boolean' && f.required) return false;
  return undefined;
}

/** Control values → facts. Unfilled fields are left out, so the rule engine judges them itself. */
function toFacts(kind: VisitKind, fields: readonly FieldDescriptor[], values: Values): Record<string, unknown> {
  const facts: Record<string, unknown> = { kind };
  for (const f of fields) {
    let v = values[f.name];
    if (f.type === 'boolean' && !f.required) v = v === 'yes' ? true : v === 'no' ? false : undefined;
    if (v === undefined || v === null || v === '') continue;
    facts[f.name] = v;
  }
  return facts;
}

function FactsForm({ kind, onResult }: { kind: VisitKind; onResult: (r: DeadlineResult | null) => void }) {
  const t = useT();
  const fields = useMemo(() => fieldDescriptors(kind), [kind]);
  const form = useForm<Values>({ defaultValues: Object.fromEntries(fields.map((f) => [f.name, initialValue(f)])) });
  const [error, setError] = useState<string | null>(null);

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    form.clearErrors();
    const r = await call('rules.try', { facts: toFacts(kind, fields, values) });
    if (r.ok) return onResult(r.value);
    onResult(null);
    // The issues' paths are the facts' names: each message goes beside its field.
    setError(applyServerIssues(r.error, form.setError, fields.map((f) => f.name)));
  });

  const control = (f: FieldDescriptor, field: { value: unknown; onChange: (v: unknown) => void; onBlur: () => void }) => {
    const id = `try-${f.name}`;
    switch (f.type) {
      case 'date':
      case 'time':
        return (
          <Input
            id={id}
            value={String(field.value ?? '')}
            onChange={(e) => field.onChange(e.target.value)}
            onBlur={field.onBlur}
            placeholder={t(f.type === 'date' ? 'try.datePlaceholder' : 'try.timePlaceholder')}
            style={{ width: 200 }}
            allowClear
          />
        );
      case 'number':
        return (
          <InputNumber
            id={id}
            value={typeof field.value === 'number' ? field.value : null}
            onChange={(v) => field.onChange(v)}
            onBlur={field.onBlur}
            style={{ width: 200 }}
          />
        );
      case 'boolean':
        return f.required ? (
          <Switch id={id} checked={field.value === true} onChange={(v) => field.onChange(v)} checkedChildren={t('try.yes')} unCheckedChildren={t('try.no')} />
        ) : (
          // An optional yes/no also has "not sure": the rule then uses its documented default.
          <Select
            id={id}
            value={field.value}
            onChange={(v) => field.onChange(v)}
            allowClear
            placeholder={t('try.unknown')}
            style={{ width: 200 }}
            options={[
              { value: 'yes', label: t('try.yes') },
              { value: 'no', label: t('try.no') },
            ]}
          />
        );
      case 'choice':
        return (
          <Select
            id={id}
            value={field.value}
            onChange={(v) => field.onChange(v)}
            allowClear
            placeholder={t('try.choose')}
            style={{ width: 240 }}
            options={f.choices}
          />
        );
    }
  };

  return (
    <Form layout="horizontal" labelCol={{ flex: '168px' }} labelWrap colon={false} onFinish={() => void onSubmit()} data-testid="try-form">
      {fields.map((f) => (
        <Controller
          key={f.name}
          name={f.name}
          control={form.control}
          render={({ field, fieldState }) => (
            <FormField label={f.label} error={fieldState.error} required={f.required} htmlFor={`try-${f.name}`}>
              {control(f, field)}
            </FormField>
          )}
        />
      ))}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form.Item label=" ">
        <Space>
          <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting}>
            {t('try.submit')}
          </Button>
          <Button
            onClick={() => {
              form.reset();
              setError(null);
              onResult(null);
            }}
          >
            {t('try.reset')}
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
}

/** Keeps each YYYY-MM-DD on one line: a date broken at its hyphen is hard to read back. */
function unbrokenDates(text: string): ReactNode[] {
  return text.split(/(\d{4}-\d{2}-\d{2})/).map((part, i) =>
    i % 2 === 1 ? (
      <span key={i} className="nowrap">
        {part}
      </span>
    ) : (
      part
    ),
  );
}

function ResultView({ result }: { result: DeadlineResult }) {
  const t = useT();
  const items = [
    {
      key: 'required',
      label: t('try.required'),
      children: (
        <Tag color={result.required ? 'orange' : 'default'} data-testid="try-required">
          {result.required ? t('try.yes') : t('try.no')}
        </Tag>
      ),
    },
    { key: 'opens', label: t('try.opens'), children: result.opens ?? '—' },
    {
      key: 'due',
      label: t('try.due'),
      children: (
        <Space>
          <Typography.Text strong style={{ fontSize: 16 }} data-testid="try-due">
            {result.due ?? t('try.noDue')}
          </Typography.Text>
          {result.overdue && <Tag color="red">{t('try.overdue')}</Tag>}
        </Space>
      ),
    },
  ];
  if (result.visitee) items.push({ key: 'visitee', label: t('try.visitee'), children: result.visitee });
  if (result.cycle) {
    items.push({
      key: 'cycle',
      label: t('try.cycle'),
      children: (
        <Space>
          {`${result.cycle.label}（${result.cycle.start} 至 ${result.cycle.end}）`}
          <Tag color={result.cycle.satisfied ? 'green' : 'orange'}>{result.cycle.satisfied ? t('try.cycleSatisfied') : t('try.cycleOpen')}</Tag>
        </Space>
      ),
    });
  }
  if (result.newPolicyVisit) {
    items.push({ key: 'timing', label: t('try.visitTiming'), children: COOLING_OFF_TIMING_LABELS[result.newPolicyVisit.timing] });
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="try-result">
      <Descriptions size="small" bordered column={1} items={items} styles={{ label: { width: 120 } }} />
      <div>
        <Typography.Text type="secondary">{t('try.explanation')}</Typography.Text>
        <Typography.Paragraph className="try-explanation" data-testid="try-explanation">
          {unbrokenDates(result.explanation)}
        </Typography.Paragraph>
      </div>
      {result.warnings.map((w, i) => (
        <Alert key={i} type="warning" showIcon title={w} data-testid="try-warning" />
      ))}
      <Typography.Text type="secondary">
        {t('try.source')}：{result.source}
      </Typography.Text>
    </Space>
  );
}

/** 试算: pick a visit kind, fill a form generated from its schema, see what the rule says and why. */
export function TryRuleTab() {
  const t = useT();
  const [kind, setKind] = useState<VisitKind | undefined>(undefined);
  const [result, setResult] = useState<DeadlineResult | null>(null);

  return (
    <Row gutter={16}>
      <Col span={11}>
        <Card size="small" title={t('try.facts')}>
          <Typography.Paragraph type="secondary">{t('try.intro')}</Typography.Paragraph>
          <Form layout="horizontal" labelCol={{ flex: '168px' }} colon={false}>
            <Form.Item label={t('try.kind')} htmlFor="try-kind" required>
              <Select<VisitKind>
                id="try-kind"
                value={kind}
                placeholder={t('try.kindPlaceholder')}
                showSearch={{ optionFilterProp: 'label' }}
                style={{ width: '100%' }}
                onChange={(k) => {
                  setKind(k);
                  setResult(null);
                }}
                options={RULES_IN_FORCE.map((r) => ({ value: r.kind, label: r.name }))}
              />
            </Form.Item>
          </Form>
          {/* Keyed by kind: a new kind is a new form with its own fields and defaults. */}
          {kind && <FactsForm key={kind} kind={kind} onResult={setResult} />}
        </Card>
      </Col>
      <Col span={13}>
        <Card size="small" title={t('try.result')}>
          {result ? <ResultView result={result} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('try.noResult')} />}
        </Card>
      </Col>
    </Row>
  );
}
