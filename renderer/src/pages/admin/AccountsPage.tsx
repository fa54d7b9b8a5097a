import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { AccountView } from '../../../../shared/api/contract';
import { call } from '../../api/client';
import { useAppStore, useT } from '../../stores/app-store';
import { CreateAccountModal, EditAccountModal } from './AccountFormModal';
import { ResetPasswordModal } from './PasswordModals';
import { ROLE_KEYS, branchTime } from './format';

/**
 * 账号管理: who may use the desk, in which role. Accounts are never deleted — visits,
 * countersigns and the audit log keep pointing at the person — so leaving staff are disabled.
 */
export function AccountsPage() {
  const t = useT();
  const { message } = App.useApp();
  const me = useAppStore((s) => s.user);
  const [accounts, setAccounts] = useState<AccountView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<AccountView | null>(null);
  const [resetting, setResetting] = useState<AccountView | null>(null);

  const load = useCallback(async () => {
    const r = await call('accounts.list', {});
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setAccounts(r.value.accounts);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const setDisabled = async (a: AccountView, disabled: boolean) => {
    const r = await call('accounts.update', { id: a.id, disabled });
    if (!r.ok) {
      void message.error(r.error.message);
      return;
    }
    void message.success(t(disabled ? 'account.disabledDone' : 'account.enabledDone', { name: a.displayName }));
    await load();
  };

  const afterModal = (changed: AccountView | null) => {
    if (changed) void load();
  };

  return (
    <Card
      title={t('admin.menu.accounts')}
      data-testid="accounts-page"
      extra={
        <Space>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="account-create">
            {t('account.create')}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('account.reload')} />
        </Space>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary">{t('account.intro')}</Typography.Paragraph>
      <Table<AccountView>
        rowKey="id"
        size="middle"
        data-testid="accounts-table"
        loading={accounts === null && !error}
        dataSource={accounts ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('account.col.username'), dataIndex: 'username', render: (v: string) => <span className="mono nowrap">{v}</span> },
          { title: t('account.col.displayName'), dataIndex: 'displayName', render: (v: string) => <span className="nowrap">{v}</span> },
          { title: t('account.col.role'), dataIndex: 'role', render: (r: AccountView['role']) => <span className="nowrap">{t(ROLE_KEYS[r])}</span> },
          { title: t('account.col.employeeNo'), dataIndex: 'employeeNo', render: (v: string | null) => <span className="mono nowrap">{v ?? ''}</span> },
          {
            title: t('account.col.status'),
            key: 'status',
            render: (_v, a) =>
              a.disabled ? (
                <Tag color="default" data-testid="account-status">
                  {t('account.status.disabled')}
                </Tag>
              ) : a.lockedUntil ? (
                <Tooltip title={t('account.status.lockedHint')}>
                  <Tag color="orange" data-testid="account-status">{t('account.status.locked', { time: branchTime(a.lockedUntil, false).slice(11) })}</Tag>
                </Tooltip>
              ) : (
                <Tag color="green" data-testid="account-status">
                  {t('account.status.enabled')}
                </Tag>
              ),
          },
          { title: t('account.col.lastSignIn'), dataIndex: 'lastSignInAt', render: (v: string | null) => <span className="nowrap">{branchTime(v, false)}</span> },
          { title: t('account.col.createdAt'), dataIndex: 'createdAt', render: (v: string) => <span className="nowrap">{branchTime(v, false)}</span> },
          {
            title: t('account.col.actions'),
            key: 'actions',
            render: (_v, a) => {
              const self = a.id === me?.id;
              return (
                <Space size={0} className="nowrap">
                  <Button type="link" size="small" onClick={() => setEditing(a)}>
                    {t('account.edit')}
                  </Button>
                  <Button type="link" size="small" onClick={() => setResetting(a)}>
                    {t('account.resetPassword')}
                  </Button>
                  {a.disabled ? (
                    <Popconfirm
                      title={t('account.enableConfirm', { name: a.displayName })}
                      okText={t('account.enable')}
                      cancelText={t('common.cancel')}
                      onConfirm={() => setDisabled(a, false)}
                    >
                      <Button type="link" size="small">
                        {t('account.enable')}
                      </Button>
                    </Popconfirm>
                  ) : self ? (
                    // Main refuses it too; here the reason is said before anyone tries.
                    <Tooltip title={t('account.cannotDisableSelf')}>
                      <Button type="link" size="small" danger disabled>
                        {t('account.disable')}
                      </Button>
                    </Tooltip>
                  ) : (
                    <Popconfirm
                      title={t('account.disableConfirm', { name: a.displayName })}
                      description={<div style={{ maxWidth: 300 }}>{t('account.disableHint')}</div>}
                      okText={t('account.disable')}
                      okButtonProps={{ danger: true }}
                      cancelText={t('common.cancel')}
                      onConfirm={() => setDisabled(a, true)}
                    >
                      <Button type="link" size="small" danger>
                        {t('account.disable')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
      <CreateAccountModal
        open={creating}
        onClose={(created) => {
          setCreating(false);
          afterModal(created);
        }}
      />
      <EditAccountModal
        account={editing}
        onClose={(saved) => {
          setEditing(null);
          afterModal(saved);
        }}
      />
      <ResetPasswordModal
        account={resetting}
        onClose={(done) => {
          setResetting(null);
          afterModal(done);
        }}
      />
    </Card>
  );
}
