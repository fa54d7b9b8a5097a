/**
 * The branch's calendar date for an instant, in the PC's own time zone (a branch in China runs
 * at UTC+8; an ISO slice of toISOString() would give yesterday's date before 08:00).
 */
export function localIsoDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
