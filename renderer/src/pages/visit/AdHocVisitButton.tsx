import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Input, List, Modal, Typography } from 'antd';
import { useState } from 'react';
import { call } from '../../api/client';
import { RevealField } from '../../components/RevealField';
import { useT } from '../../stores/app-store';
import { useVisitStore } from './open-visit';

type Found = { id: number; name: string; phoneMasked: string; address: string | null };

/** Starts an on-site visit to a key client who is on no list (XX保险 第7–9条): pick the client, go. */
export function AdHocVisitButton() {
  const t = useT();
  const openAdHoc = useVisitStore((s) => s.openAdHoc);
  const [open, setOpen] = useState(false);
  const [found, setFound] = useState<Found[]>([]);
  const [error, setError] = useState<string | null>(null);

  const search = async (q: string) => {
    if (!q.trim()) return setFound([]);
    const r = await call('customers.search', { q });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setFound(r.value.customers);
  };

  return (
    <>
      <Button icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="adhoc-visit">
        {t('visit.adhoc')}
      </Button>
      <Modal open={open} title={t('visit.adhoc')} footer={null} onCancel={() => setOpen(false)} destroyOnHidden>
        <Typography.Paragraph type="secondary">{t('visit.adhocHint')}</Typography.Paragraph>
        <Input.Search placeholder={t('visit.adhocSearch')} allowClear enterButton onSearch={(q) => void search(q)} data-testid="adhoc-search" />
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
        <List
          style={{ marginTop: 12 }}
          dataSource={found}
          rowKey="id"
          locale={{ emptyText: t('visit.adhocNone') }}
          renderItem={(c) => (
            <List.Item
              actions={[
                <Button
                  key="go"
                  type="primary"
                  size="small"
                  onClick={() => {
                    setOpen(false);
                    void openAdHoc(c.id);
                  }}
                >
                  {t('visit.adhocStart')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={c.name}
                description={
                  <>
                    <RevealField customerId={c.id} field="phone" masked={c.phoneMasked} testId={`adhoc-phone-${c.id}`} />
                    {c.address ? ` · ${c.address}` : ''}
                  </>
                }
              />
            </List.Item>
          )}
        />
      </Modal>
    </>
  );
}
