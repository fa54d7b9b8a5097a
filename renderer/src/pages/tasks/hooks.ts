import dayjs from 'dayjs';
import { useEffect, useState } from 'react';

/** The value once it has stopped changing for `ms` (a search box while the user types). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export const localToday = (): string => dayjs().format('YYYY-MM-DD');

/**
 * The PC's calendar date, kept current: a desk left open overnight shows tomorrow's countdowns
 * without a reload.
 */
export function useToday(): string {
  const [today, setToday] = useState(localToday);
  useEffect(() => {
    const timer = setInterval(() => setToday(localToday()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return today;
}
