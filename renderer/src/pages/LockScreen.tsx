import { LockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { call } from '../api/client';
import { useAppStore, useT } from '../stores/app-store';

/**
 * Shown instead of everything else after the idle time: no customer data stays on screen (the
 * shell is unmounted), and only the same person's password brings it back.
 */
export function LockScreen() {
  const t = useT();
  const { user, signOut } = useAppStore();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const unlock = async () => {
    setBusy(true);
    const r = await call('auth.unlock', { password });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setPassword('');
    useAppStore.setState({ user: r.value, locked: false });
  };

  return (
    <div className="centered-page">
      <Card style={{ width: 400 }} data-testid="lock-screen">
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            <LockOutlined /> {t('lock.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('lock.hint', { name: user?.displayName ?? '' })}</Typography.Text>
          <Form layout="vertical" onFinish={() => void unlock()}>
            <Form.Item label={t('signIn.password')}>
              <Input.Password id="unlock-password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus autoComplete="current-password" />
            </Form.Item>
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
            <Space>
              <Button type="primary" htmlType="submit" loading={busy} disabled={!password}>
                {t('lock.unlock')}
              </Button>
              <Button onClick={() => void signOut()}>{t('signOut')}</Button>
            </Space>
          </Form>
        </Space>
      </Card>
    </div>
  );
}
