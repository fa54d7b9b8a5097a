import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import type { ApiError } from '../../../shared/api/envelope';

/**
 * Puts main's per-field messages beside the fields they name (main validates again with the
 * same schema); returns the message to show for anything not tied to a field.
 */
export function applyServerIssues<T extends FieldValues>(error: ApiError, setError: UseFormSetError<T>, fields: readonly string[]): string | null {
  let unplaced = false;
  for (const issue of error.issues ?? []) {
    if (fields.includes(issue.path)) setError(issue.path as Path<T>, { message: issue.message });
    else unplaced = true;
  }
  return !error.issues?.length || unplaced ? error.message : null;
}
