import { FormOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Empty, Spin, Tabs, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { TaskDetail } from '../../../../shared/api/contract';
import { TASK_KIND_LABELS, TASK_SOURCE_LABELS } from '../../../../shared/domain/tasks';
import { call } from '../../api/client';
import { useAppStore, useT } from '../../stores/app-store';
import { openForTask } from '../visit/open-visit';
import { AppointmentForm, AppointmentList } from './Appointments';
import { AttemptForm, AttemptList, NextStepPanel } from './ContactAttempts';
import { CountdownTag, StatusTag } from './TaskBadges';
import { changeFieldLabel, channelLabel, formatYuan, productTypeLabel } from './labels';

type TabKey = 'facts' | 'attempts' | 'appointments' | 'history';

/** History times are stored as UTC instants; the desk reads them in its own time. */
const localTime = (iso: string) => {
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : iso;
};

/**
 * One task, opened from the board: who and what it is, its deadline and why, the next fallback
 * step, and where the work is recorded — contact attempts, appointments, history. Every action
 * answers with the fresh task, so the status shown is always main's.
 */
export function TaskDetailDrawer({
  taskId,
  today,
  onClose,
  onChanged,
}: {
  taskId: number | null;
  today: string;
  onClose: () => void;
  onChanged: (d: TaskDetail) => void;
}) {
  const t = useT();
  const role = useAppStore((s) => s.user?.role);
  // Who may record a visit (main checks it too); a finished task has nothing left to visit.
  const [detail, setDetail] = useState<TaskDetail | null>(null);
  // Who may record a visit (main checks it too); a finished task has nothing left to visit.
  const canVisit = (role === 'staff' || role === 'sales' || role === 'manager') && detail !== null && detail.task.status !== 'done';
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<TabKey>('facts');

  useEffect(() => {
    if (taskId === null) return;
    let live = true;
    setDetail(null);
    setError(null);
    setTab('facts');
    void call('tasks.get', { id: taskId }).then((r) => {
      if (!live) return;
      if (r.ok) setDetail(r.value);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [taskId]);

  const saved = useCallback(
    (d: TaskDetail) => {
      setDetail(d);
      onChanged(d);
    },
    [onChanged],
  );

  const title = detail ? (
    <div className="detail-title">
      <span className="detail-name">{detail.customer.name}</span>
      <span data-testid="detail-status">
        <StatusTag status={detail.task.status} />
      </span>
      <CountdownTag task={detail.task} today={today} />
    </div>
  ) : (
    t('detail.loading')
  );

  return (
    <Drawer
      open={taskId !== null}
      onClose={onClose}
      size={580}
      title={title}
      destroyOnHidden
      extra={
        canVisit && (
          <Button
            type="primary"
            icon={<FormOutlined />}
            onClick={() => {
              const id = detail.task.id;
              // The visit opens full screen over the board; this pane would only be stale under it.
              onClose();
              void openForTask(id);
            }}
            data-testid="start-visit"
          >
            {t('detail.startVisit')}
          </Button>
        )
      }
    >
      <div data-testid="task-detail" className="task-detail">
        {error && <Alert type="error" showIcon title={error} />}
        {!detail && !error && <Spin style={{ display: 'block', margin: '48px auto' }} />}
        {detail && (
          <>
            <Typography.Paragraph type="secondary" className="detail-subtitle">
              {[TASK_KIND_LABELS[detail.task.kind], detail.task.source ? TASK_SOURCE_LABELS[detail.task.source] : null, detail.task.policyNo, detail.task.assigneeName ? t('detail.assignee', { name: detail.task.assigneeName }) : t('detail.unassigned')]
                .filter(Boolean)
                .join(' · ')}
            </Typography.Paragraph>
            <NextStepPanel detail={detail} onSaved={saved} />
            <Tabs
              activeKey={tab}
              onChange={(k) => setTab(k as TabKey)}
              items={[
                { key: 'facts', label: t('detail.tab.facts'), children: <Facts detail={detail} /> },
                {
                  key: 'attempts',
                  label: t('detail.tab.attempts', { count: detail.attempts.length }),
                  children: (
                    <>
                      <AttemptForm taskId={detail.task.id} onSaved={saved} />
                      <AttemptList attempts={detail.attempts} />
                    </>
                  ),
                },
                {
                  key: 'appointments',
                  label: t('detail.tab.appointments', { count: detail.appointments.filter((a) => a.status === 'scheduled').length }),
                  children: (
                    <>
                      <AppointmentForm taskId={detail.task.id} defaultContact={t('appt.defaultContact')} onSaved={saved} />
                      <AppointmentList appointments={detail.appointments} onSaved={saved} />
                    </>
                  ),
                },
                { key: 'history', label: t('detail.tab.history', { count: detail.history.length }), children: <History detail={detail} /> },
              ]}
            />
          </>
        )}
      </div>
    </Drawer>
  );
}

function Facts({ detail }: { detail: TaskDetail }) {
  const t = useT();
  const { customer, policy, task } = detail;
  const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);
  return (
    <div className="detail-facts">
      <Descriptions
        size="small"
        column={2}
        title={t('detail.customer')}
        items={[
          { key: 'name', label: t('detail.name'), children: customer.name },
          { key: 'phone', label: t('detail.phone'), children: <span data-testid="detail-phone">{dash(customer.phoneMasked)}</span> },
          { key: 'id', label: t('detail.idNumber'), children: dash(customer.idNumberMasked), span: 2 },
          { key: 'address', label: t('detail.address'), children: dash(customer.address), span: 2 },
        ]}
      />
      {policy ? (
        <Descriptions
          size="small"
          column={2}
          title={t('detail.policy')}
          items={[
            { key: 'no', label: t('detail.policyNo'), children: policy.policyNo, span: 2 },
            { key: 'product', label: t('detail.product'), children: policy.productName, span: 2 },
            { key: 'type', label: t('detail.productType'), children: dash(productTypeLabel(policy.productType)) },
            { key: 'channel', label: t('detail.channel'), children: dash(channelLabel(policy.channel)) },
            { key: 'insured', label: t('detail.insured'), children: dash(policy.insuredName) },
            { key: 'premium', label: t('detail.premium'), children: dash(formatYuan(policy.premiumCents)) },
            { key: 'pay', label: t('detail.payYears'), children: policy.payYears === null ? '—' : t('detail.years', { n: policy.payYears }) },
            { key: 'coverage', label: t('detail.coverage'), children: dash(policy.coveragePeriod) },
            { key: 'issue', label: t('detail.issueDate'), children: dash(policy.issueDate) },
            { key: 'receipt', label: t('detail.receiptDate'), children: dash(policy.receiptSignedDate) },
            { key: 'agent', label: t('detail.agent'), children: dash(policy.agentName) },
          ]}
        />
      ) : (
        <Typography.Paragraph type="secondary">{t('detail.noPolicy')}</Typography.Paragraph>
      )}
      <Descriptions
        size="small"
        column={2}
        title={t('detail.deadline')}
        items={[
          { key: 'opens', label: t('detail.opens'), children: dash(task.opensOn) },
          { key: 'due', label: t('detail.due'), children: <span data-testid="detail-due">{dash(task.dueOn)}</span> },
          { key: 'required', label: t('detail.required'), children: detail.visitRequired ? t('common.yes') : t('common.no'), span: 2 },
          { key: 'explanation', label: t('detail.explanation'), children: <span data-testid="detail-explanation">{dash(task.dueExplanation)}</span>, span: 2 },
          ...(task.dueWarnings.length > 0
            ? [
                {
                  key: 'warnings',
                  label: t('detail.warnings'),
                  span: 2,
                  children: (
                    <ul className="issue-list detail-warnings">
                      {task.dueWarnings.map((w, i) => (
                        <li key={i}>{w}</li>
                      ))}
                    </ul>
                  ),
                },
              ]
            : []),
          { key: 'source', label: t('detail.source'), children: dash(detail.deadlineSource), span: 2 },
        ]}
      />
      {(detail.problemDescription || detail.unableReason) && (
        <Descriptions
          size="small"
          column={1}
          title={t('detail.notes')}
          items={[
            ...(detail.problemDescription ? [{ key: 'problem', label: t('detail.problem'), children: detail.problemDescription }] : []),
            ...(detail.unableReason ? [{ key: 'unable', label: t('detail.unable'), children: detail.unableReason }] : []),
          ]}
        />
      )}
    </div>
  );
}

function History({ detail }: { detail: TaskDetail }) {
  const t = useT();
  if (detail.history.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('history.none')} />;
  return (
    <div data-testid="history">
    <Timeline
      className="history"
      items={detail.history.map((h, i) => ({
        key: i,
        // Time and person above the entry, not opposite it: the pane is too narrow for two sides.
        content: (
          <>
            <div className="history-when">
              {localTime(h.at)} · {h.userName ?? t('history.system')}
            </div>
            <div>{h.summary}</div>
            {h.changes.length > 0 && (
              <ul className="history-changes">
                {h.changes.map((c, n) => (
                  <li key={n}>
                    <Tag>{changeFieldLabel(c.field)}</Tag>
                    <span className="old-value">{c.oldValue ?? t('history.empty')}</span> → <span>{c.newValue ?? t('history.empty')}</span>
                  </li>
                ))}
              </ul>
            )}
          </>
        ),
      }))}
    />
    </div>
  );
}
