import { FormOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Empty, Spin, Tabs, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { TaskDetail } from '../../../../shared/api/contract';
import { TASK_KIND_LABELS, TASK_SOURCE_LABELS } from '../../../../shared/domain/tasks';
import { call } from '../../api/client';
import { RevealField } from '../../components/RevealField';
import { useAppStore, useT } from '../../stores/app-store';
import { openForTask, openVisit } from '../visit/open-visit';
import { localTime as visitTime, returnOf, returnedBy, type ReturnInfo } from '../visit/visit-labels';
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
  const [detail, setDetail] = useState<TaskDetail | null>(null);
  const returned = useReturnedRecord(taskId, detail);
  // Who may record a visit (main checks it too); a finished task has nothing left to visit, and a
  // returned one is corrected on its record rather than visited again.
  const canVisit = (role === 'staff' || role === 'sales' || role === 'manager') && detail !== null && detail.task.status !== 'done' && !returned;
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
            {returned && (
              <Alert
                type="warning"
                showIcon
                icon={<RollbackOutlined />}
                style={{ marginBottom: 12 }}
                data-testid="task-returned"
                title={t('return.task.title', { name: returnedBy(t, returned.info), at: visitTime(returned.info.returnedAt), recordNo: returned.recordNo })}
                description={<span data-testid="task-return-reason">{t('return.reason', { reason: returned.info.reason })}</span>}
                action={
                  <Button
                    type="primary"
                    size="small"
                    onClick={() => {
                      const id = returned.draftId ?? returned.visitId;
                      onClose();
                      void openVisit(id);
                    }}
                    data-testid="task-returned-open"
                  >
                    {returned.draftId !== null ? t('return.task.continue') : t('return.task.open')}
                  </Button>
                }
              />
            )}
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

interface ReturnedRecord {
  visitId: number;
  recordNo: string;
  /** The correction already opened on it, if any. */
  draftId: number | null;
  info: ReturnInfo;
}

/**
 * The task's record when a manager sent it back (退回): its visitor sees why here and goes to
 * correct it. Only asked for while the task can hold one (a returned record leaves the task
 * 进行中 rather than 待会签 or 已完成).
 */
function useReturnedRecord(taskId: number | null, detail: TaskDetail | null): ReturnedRecord | null {
  const [found, setFound] = useState<ReturnedRecord | null>(null);
  const status = detail?.task.id === taskId ? detail?.task.status : undefined;
  useEffect(() => {
    setFound(null);
    if (taskId === null || status === undefined || status === 'done' || status === 'to_countersign' || status === 'problem') return;
    let live = true;
    void (async () => {
      const list = await call('visits.list', { taskId, limit: 50 });
      if (!live || !list.ok) return;
      const finalised = list.value.visits.filter((v) => v.state === 'finalised').sort((a, b) => b.version - a.version)[0];
      if (!finalised) return;
      const v = await call('visits.get', { id: finalised.id });
      if (!live || !v.ok) return;
      const info = returnOf(v.value);
      if (info?.which !== 'this') return;
      const draft = list.value.visits.find((x) => x.state === 'draft' && x.recordNo === finalised.recordNo && x.version > finalised.version);
      setFound({ visitId: finalised.id, recordNo: finalised.recordNo, draftId: draft?.id ?? null, info });
    })();
    return () => {
      live = false;
    };
  }, [taskId, status]);
  return found;
}

function Facts({ detail }: { detail: TaskDetail }) {
  const t = useT();
  const { customer, policy, task } = detail;
  const customerId = customer.id;
  const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);
  return (
    <div className="detail-facts">
      <Descriptions
        size="small"
        column={2}
        title={t('detail.customer')}
        items={[
          { key: 'name', label: t('detail.name'), children: customer.name },
          { key: 'phone', label: t('detail.phone'), children: <RevealField customerId={customerId} field="phone" masked={customer.phoneMasked} testId="detail-phone" /> },
          {
            key: 'id',
            label: t('detail.idNumber'),
            children: <RevealField customerId={customerId} field="idNumber" masked={customer.idNumberMasked} testId="detail-id-number" />,
            span: 2,
          },
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
