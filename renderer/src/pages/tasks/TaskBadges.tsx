import { CalendarOutlined, WarningOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { cloneElement, useState, type HTMLAttributes, type ReactElement, type ReactNode } from 'react';
import { TASK_STATUS_LABELS, type TaskRow, type TaskStatus } from '../../../../shared/domain/tasks';
import { useT } from '../../stores/app-store';
import { countdownColor, countdownFor, type Countdown } from './countdown';
import { STATUS_COLORS } from './labels';

export function useCountdownText(): (c: Countdown) => string {
  const t = useT();
  return (c) => {
    switch (c.kind) {
      case 'overdue':
        return t('countdown.overdue', { days: c.days });
      case 'dueToday':
        return t('countdown.today');
      case 'coolingOff':
        return t('countdown.coolingOff', { days: c.days });
      case 'remaining':
        return t('countdown.remaining', { days: c.days });
      case 'closed':
        return t('countdown.closed');
      case 'none':
        return t('countdown.none');
    }
  };
}

/** The rule's own explanation of the deadline, with any warnings under it (hover text). */
export function DeadlineTip({ task }: { task: Pick<TaskRow, 'opensOn' | 'dueOn' | 'dueExplanation' | 'dueWarnings'> }) {
  const t = useT();
  return (
    <div className="deadline-tip">
      {(task.opensOn || task.dueOn) && (
        <div className="deadline-tip-dates">
          {task.opensOn && t('deadline.opens', { date: task.opensOn })}
          {task.opensOn && task.dueOn && '　'}
          {task.dueOn && t('deadline.due', { date: task.dueOn })}
        </div>
      )}
      {task.dueExplanation && <div>{task.dueExplanation}</div>}
      {task.dueWarnings.length > 0 && (
        <ul className="deadline-tip-warnings">
          {task.dueWarnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** 「犹豫期剩余 3 天」「今日到期」「已逾期 2 天」, counted from the PC's date; hover explains the rule. */
export function CountdownTag({ task, today }: { task: TaskRow; today: string }) {
  const text = useCountdownText();
  const c = countdownFor(task, today);
  const tag = (
    <Tag color={countdownColor(c)} className="countdown-tag" data-testid="countdown">
      {text(c)}
    </Tag>
  );
  if (!task.dueExplanation && task.dueWarnings.length === 0) return tag;
  return <Tooltip title={<DeadlineTip task={task} />}>{tag}</Tooltip>;
}

export function StatusTag({ status }: { status: TaskStatus }) {
  return (
    <Tag color={STATUS_COLORS[status]} className="status-tag" data-testid="status-tag">
      {TASK_STATUS_LABELS[status]}
    </Tag>
  );
}

/**
 * antd's Tooltip, made only once the pointer first reaches its target: mounting one costs about as
 * much as the rest of a board row, and nearly every row scrolls past without being pointed at.
 */
export function HoverTip({ title, children }: { title: ReactNode; children: ReactElement<HTMLAttributes<HTMLElement>> }) {
  const [armed, setArmed] = useState(false);
  if (armed) {
    return (
      <Tooltip title={title} defaultOpen>
        {children}
      </Tooltip>
    );
  }
  return cloneElement(children, { onMouseEnter: () => setArmed(true) });
}

/** 📅 wherever a scheduled appointment exists (also on a task whose status moved on, e.g. 不成功). */
export function AppointmentMark() {
  const t = useT();
  return (
    <HoverTip title={t('board.hasAppointment')}>
      <CalendarOutlined className="appointment-mark" aria-label={t('board.hasAppointment')} data-testid="appointment-mark" />
    </HoverTip>
  );
}

/**
 * antd's filled Tag as a plain span (see .vt-tag in styles.css), for the board's rows: while the
 * table scrolls, rows are made every frame and antd's Tag is the dearer part of one.
 */
export function PlainTag({ color, className, testId, children }: { color: string; className: string; testId?: string; children: ReactNode }) {
  return (
    <span className={`vt-tag vt-tag-${color} ${className}`} data-testid={testId}>
      {children}
    </span>
  );
}

/** The board's countdown badge: CountdownTag's text and colour, drawn as a PlainTag. */
export function BoardCountdown({ task, today }: { task: TaskRow; today: string }) {
  const text = useCountdownText();
  const c = countdownFor(task, today);
  const tag = (
    <PlainTag color={countdownColor(c)} className="countdown-tag" testId="countdown">
      {text(c)}
    </PlainTag>
  );
  if (!task.dueExplanation && task.dueWarnings.length === 0) return tag;
  return <HoverTip title={<DeadlineTip task={task} />}>{tag}</HoverTip>;
}

/** The board's status badge: StatusTag as a PlainTag. */
export function BoardStatusTag({ status }: { status: TaskStatus }) {
  return (
    <PlainTag color={STATUS_COLORS[status]} className="status-tag" testId="status-tag">
      {TASK_STATUS_LABELS[status]}
    </PlainTag>
  );
}

/** 应完成日, with the warning icon when the date may be off (e.g. that year's holidays are not loaded). */
export function DueDate({ task }: { task: TaskRow }) {
  const t = useT();
  if (!task.dueOn && task.dueWarnings.length === 0) return null;
  return (
    <span className="due-cell">
      {task.dueOn &&
        (task.dueExplanation ? (
          <HoverTip title={task.dueExplanation}>
            <span>{task.dueOn}</span>
          </HoverTip>
        ) : (
          <span>{task.dueOn}</span>
        ))}
      {task.dueWarnings.length > 0 && (
        <HoverTip title={task.dueWarnings.map((w, i) => <div key={i}>{w}</div>)}>
          <WarningOutlined className="due-warning" aria-label={t('tasks.dueWarnings')} data-testid="due-warning" />
        </HoverTip>
      )}
    </span>
  );
}
