import { Alert } from 'antd';
import type { ApiError } from '../../../../shared/api/envelope';
import { useT } from '../../stores/app-store';

/**
 * An import that failed: main's summary, then every issue it found (each already names the row
 * and column, or the field), so the administrator can fix the whole file in one go.
 */
export function ImportErrorAlert({ error, testId }: { error: ApiError; testId?: string }) {
  const t = useT();
  const issues = error.issues ?? [];
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      title={error.message}
      description={
        issues.length > 0 ? (
          <>
            <div>{t('import.issues', { count: issues.length })}</div>
            <ul className="issue-list">
              {issues.map((i, n) => (
                <li key={n}>{i.message}</li>
              ))}
            </ul>
          </>
        ) : undefined
      }
    />
  );
}
