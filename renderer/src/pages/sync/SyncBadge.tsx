import { CloudUploadOutlined } from '@ant-design/icons';
import { Badge, Tooltip } from 'antd';
import { useEffect } from 'react';
import { useT } from '../../stores/app-store';
import { BADGE_POLL_MS, useSyncStore } from './sync-store';

/**
 * The header's count of finalised records not yet at head office, beside 在线/离线. Polls every
 * 30 s; the 数据同步 page polls faster and updates it too (they share the store).
 */
export function SyncBadge() {
  const t = useT();
  const status = useSyncStore((s) => s.status);
  const refresh = useSyncStore((s) => s.refresh);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), BADGE_POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  if (!status) return null;
  const title = status.enrolled ? t('sync.badge.title', { n: status.pending }) : t('sync.badge.notEnrolled', { n: status.pending });
  return (
    <Tooltip title={title}>
      <span data-testid="sync-badge" data-pending={status.pending} aria-label={title} style={{ display: 'inline-flex', alignItems: 'center' }}>
        <Badge count={status.pending} showZero overflowCount={999} size="small" color={status.pending > 0 ? '#fa8c16' : '#52c41a'}>
          <CloudUploadOutlined style={{ fontSize: 18, color: 'rgba(0,0,0,0.65)' }} />
        </Badge>
      </span>
    </Tooltip>
  );
}
