import { Alert, Card, Spin, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/api/contract';
import type { RuleDescription } from '../../../../shared/rules';
import { call } from '../../api/client';
import { useT } from '../../stores/app-store';

type RulesList = MethodOutput<'rules.list'>;

/** The rules in force, as main applies them (asked of main, not read from the bundle, so it is what runs). */
export function RulesTab() {
  const t = useT();
  const [data, setData] = useState<RulesList | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void call('rules.list', {}).then((r) => (r.ok ? setData(r.value) : setError(r.error.message)));
  }, []);

  if (error) return <Alert type="error" showIcon title={t('settings.loadFailed', { message: error })} />;
  if (!data) return <Spin style={{ display: 'block', margin: '48px auto' }} />;

  return (
    <>
      <Card size="small" className="counting-rule" title={t('rules.counting', { name: data.counting.name })} data-testid="counting-rule">
        <Typography.Paragraph style={{ marginBottom: 4 }}>{data.counting.description}</Typography.Paragraph>
        <Typography.Text type="secondary">{t('rules.source', { source: data.counting.source })}</Typography.Text>
      </Card>
      <Table<RuleDescription>
        rowKey="kind"
        size="small"
        data-testid="rules-table"
        dataSource={[...data.rules]}
        pagination={false}
        columns={[
          { title: t('rules.col.name'), dataIndex: 'name', width: 210, render: (name: string) => <Typography.Text strong>{name}</Typography.Text> },
          { title: t('rules.col.description'), dataIndex: 'description' },
          {
            title: t('rules.col.source'),
            dataIndex: 'source',
            width: 300,
            render: (s: string) => <Typography.Text type="secondary">{s}</Typography.Text>,
          },
        ]}
      />
    </>
  );
}
