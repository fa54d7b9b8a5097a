import type { ApiError } from '../../../../shared/api/envelope';

/** Main's message; for invalid input, the field issues it names (e.g. 请填写退回原因). */
export function errorText(e: ApiError): string {
  if (e.code === 'invalid_input' && e.issues?.length) return e.issues.map((i) => i.message).join('；');
  return e.message;
}
