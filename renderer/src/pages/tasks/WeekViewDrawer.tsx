import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Button, Drawer, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { AppointmentView } from '../../../../shared/api/contract';
import { addDays, eachDate, weekday, weekdayName } from '../../../../shared/dates';
import { call } from '../../api/client';
import { useT } from '../../stores/app-store';

/** The Monday of the week a date is in (the branch's week starts on Monday). */
export const mondayOf = (date: string): string => addDays(date, 1 - weekday(date));

/**
 * 我的预约: the signed-in user's scheduled appointments for one week, a column per day. Clicking
 * one opens its task.
 */
export function WeekViewDrawer({ open, today, onClose, onOpenTask }: { open: boolean; today: string; onClose: () => void; onOpenTask: (taskId: number) => void }) {
  const t = useT();
  const [weekStart, setWeekStart] = useState(() => mondayOf(today));
  const [appointments, setAppointments] = useState<AppointmentView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setAppointments(null);
    setError(null);
    void call('appointments.week', { weekStart }).then((r) => {
      if (!live) return;
      if (r.ok) setAppointments(r.value.appointments);
      else setError(r.error.message);
    });
    return () => {
      live = false;
    };
  }, [open, weekStart]);

  const days = eachDate(weekStart, addDays(weekStart, 6));
  const byDay = new Map<string, AppointmentView[]>(days.map((d) => [d, []]));
  for (const a of appointments ?? []) byDay.get(a.startsAt.slice(0, 10))?.push(a);

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={1120}
      title={t('week.title')}
      extra={
        <Space>
          <Button icon={<LeftOutlined />} onClick={() => setWeekStart(addDays(weekStart, -7))} data-testid="week-prev">
            {t('week.prev')}
          </Button>
          <Typography.Text strong className="week-range" data-testid="week-range">
            {t('week.range', { from: weekStart, to: addDays(weekStart, 6) })}
          </Typography.Text>
          <Button onClick={() => setWeekStart(addDays(weekStart, 7))} data-testid="week-next">
            {t('week.next')}
            <RightOutlined />
          </Button>
          <Button type="link" disabled={weekStart === mondayOf(today)} onClick={() => setWeekStart(mondayOf(today))}>
            {t('week.thisWeek')}
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} />}
      {appointments === null && !error ? (
        <Spin style={{ display: 'block', margin: '48px auto' }} />
      ) : (
        <>
          {appointments?.length === 0 && <Alert type="info" showIcon title={t('week.empty')} style={{ marginBottom: 12 }} />}
          <div className="week-grid" data-testid="week-grid">
            {days.map((d) => (
              <div key={d} className={`week-day${d === today ? ' today' : ''}`} data-testid="week-day" data-date={d}>
                <div className="week-day-head">
                  <span>{weekdayName(d)}</span>
                  <span className="week-day-date">{d.slice(5)}</span>
                </div>
                {(byDay.get(d) ?? []).map((a) => (
                  <button key={a.id} type="button" className="week-appt" onClick={() => onOpenTask(a.taskId)} data-testid="week-appointment">
                    <span className="week-appt-time">{a.startsAt.slice(11)}</span>
                    <span className="week-appt-customer">{a.customerName}</span>
                    <span className="week-appt-place" title={a.place}>
                      {a.place}
                    </span>
                    <span className="week-appt-contact">{t('week.contact', { contact: a.contactPerson })}</span>
                  </button>
                ))}
              </div>
            ))}
          </div>
        </>
      )}
    </Drawer>
  );
}
