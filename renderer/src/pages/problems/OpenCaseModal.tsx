import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, App, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { problemOpenInput, type ProblemCaseDetail } from '../../../../shared/api/contract';
import type { TaskRow } from '../../../../shared/domain/tasks';
import { PROBLEM_CATEGORIES } from '../../../../shared/outcome';
import { call } from '../../api/client';
import { FormField } from '../../components/FormField';
import { useT } from '../../stores/app-store';
import { alertText } from './problem-labels';

type OpenIn = z.input<typeof problemOpenInput>;
type OpenOut = z.output<typeof problemOpenInput>;
const FIELDS = ['taskId', 'customerId', 'policyId', 'categories', 'description'];

/** 登记问题件 by hand, from a task found by customer name or policy number. */
export function OpenCaseModal({ open, onClose }: { open: boolean; onClose: (opened: ProblemCaseDetail | null) => void }) {
  const t = useT();
  return (
    <Modal open={open} title={t('problems.open.title')} footer={null} onCancel={() => onClose(null)} destroyOnHidden width={620}>
      <OpenCaseForm onClose={onClose} />
    </Modal>
  );
}

function OpenCaseForm({ onClose }: { onClose: (opened: ProblemCaseDetail | null) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [tasks, setTasks] = useState<TaskRow[]>([]);
  const form = useForm<OpenIn, unknown, OpenOut>({ resolver: zodResolver(problemOpenInput), defaultValues: { categories: [], description: '' } });

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void call('tasks.list', { search: search.trim() || undefined, limit: 30 }).then((r) => {
        if (live && r.ok) setTasks(r.value.rows);
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [search]);

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const r = await call('problems.open', values);
    if (!r.ok) {
      let all = true;
      for (const i of r.error.issues ?? []) {
        if (FIELDS.includes(i.path)) form.setError(i.path as 'taskId', { message: i.message });
        else all = false;
      }
      return setError(alertText(r.error, all));
    }
    void message.success(t('problems.open.done', { id: r.value.id }));
    onClose(r.value);
  });

  return (
    <Form layout="vertical" onFinish={() => void submit()} data-testid="problem-open-form">
      <Controller
        name="taskId"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('problems.open.task')} error={fieldState.error} required htmlFor="problem-open-task">
            <Select
              id="problem-open-task"
              value={field.value}
              onChange={field.onChange}
              showSearch={{ filterOption: false, onSearch: setSearch }}
              placeholder={t('problems.open.taskHint')}
              options={tasks.map((r) => ({ value: r.id, label: `${r.customerName} ${r.policyNo ?? ''}` }))}
            />
          </FormField>
        )}
      />
      <Controller
        name="categories"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('problems.col.categories')} error={fieldState.error} required htmlFor="problem-open-categories">
            <Select
              id="problem-open-categories"
              mode="multiple"
              value={field.value}
              onChange={field.onChange}
              showSearch={{ optionFilterProp: 'label' }}
              options={PROBLEM_CATEGORIES.map((c) => ({ value: c.code, label: c.label }))}
            />
          </FormField>
        )}
      />
      <Controller
        name="description"
        control={form.control}
        render={({ field, fieldState }) => (
          <FormField label={t('problems.col.description')} error={fieldState.error} required htmlFor="problem-open-description">
            <Input.TextArea {...field} id="problem-open-description" rows={3} maxLength={500} showCount />
          </FormField>
        )}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
        <Space>
          <Button onClick={() => onClose(null)}>{t('common.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={form.formState.isSubmitting}>
            {t('problems.open.ok')}
          </Button>
        </Space>
      </div>
    </Form>
  );
}
