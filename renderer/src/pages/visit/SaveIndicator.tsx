import { CheckOutlined, ExclamationCircleOutlined, LoadingOutlined } from '@ant-design/icons';
import { Tooltip } from 'antd';
import { useT } from '../../stores/app-store';
import { useVisitStore } from './open-visit';

/** "已保存": each answer and each sheet field is written as it is entered; this says it landed. */
export function SaveIndicator() {
  const t = useT();
  const save = useVisitStore((s) => s.save);
  if (save.state === 'idle') return <span className="save-indicator" />;
  if (save.state === 'saving') {
    return (
      <span className="save-indicator save-indicator-saving" data-testid="save-indicator">
        <LoadingOutlined /> {t('visit.saving')}
      </span>
    );
  }
  if (save.state === 'error') {
    return (
      <Tooltip title={save.message}>
        <span className="save-indicator save-indicator-error" data-testid="save-indicator">
          <ExclamationCircleOutlined /> {t('visit.saveFailed')}
        </span>
      </Tooltip>
    );
  }
  return (
    <span className="save-indicator save-indicator-saved" data-testid="save-indicator">
      <CheckOutlined /> {t('visit.saved')}
    </span>
  );
}
