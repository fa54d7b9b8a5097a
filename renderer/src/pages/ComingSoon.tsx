import { Empty } from 'antd';
import { useT } from '../stores/app-store';

export function ComingSoon() {
  const t = useT();
  return <Empty style={{ marginTop: 80 }} description={t('comingSoon')} />;
}
