import {
  AuditOutlined,
  BarChartOutlined,
  CloudSyncOutlined,
  FileDoneOutlined,
  SettingOutlined,
  UnorderedListOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Alert, Badge, Button, Layout, Menu, Space, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { ROLE_LABELS } from '../../../shared/domain/roles';
import type { MessageKey } from '../i18n/messages';
import { useAppStore, useT } from '../stores/app-store';
import { ComingSoon } from './ComingSoon';
import { CountersignPage } from './countersign/CountersignPage';
import { SettingsPage, type SettingsTab } from './settings/SettingsPage';
import { TasksPage } from './tasks/TasksPage';
import { VisitRecordsPage } from './visit/VisitRecordsPage';
import { VisitWorkspace } from './visit/VisitWorkspace';

type Section = 'tasks' | 'visits' | 'problems' | 'countersign' | 'sync' | 'stats' | 'settings';

const SECTIONS: { key: Section; icon: ReactNode; label: MessageKey }[] = [
  { key: 'tasks', icon: <UnorderedListOutlined />, label: 'menu.tasks' },
  { key: 'visits', icon: <FileDoneOutlined />, label: 'menu.visits' },
  { key: 'problems', icon: <WarningOutlined />, label: 'menu.problems' },
  { key: 'countersign', icon: <AuditOutlined />, label: 'menu.countersign' },
  { key: 'sync', icon: <CloudSyncOutlined />, label: 'menu.sync' },
  { key: 'stats', icon: <BarChartOutlined />, label: 'menu.stats' },
  { key: 'settings', icon: <SettingOutlined />, label: 'menu.settings' },
];

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

export function Shell() {
  const t = useT();
  const { user, status, signOut, locale, setLocale } = useAppStore();
  const [section, setSection] = useState<Section>('tasks');
  const [settingsTab, setSettingsTab] = useState<SettingsTab>('rules');
  // Online means head office can be reached, not merely that the PC has a network.
  const online = useOnline() && (status?.hqReachable ?? false);

  return (
    // The window's height, not the page's: the task board fills it and scrolls inside itself.
    <Layout className="app-layout">
      <Layout.Sider width={200} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
        <div className="brand">{t('appName')}</div>
        <Menu
          mode="inline"
          selectedKeys={[section]}
          onClick={(e) => setSection(e.key as Section)}
          items={SECTIONS.map((s) => ({ key: s.key, icon: s.icon, label: t(s.label) }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="app-header">
          <Typography.Text strong>{status?.branch?.name}</Typography.Text>
          <Space size="large">
            <Badge status={online ? 'success' : 'default'} text={online ? t('online') : t('offline')} data-testid="online-state" />
            <span data-testid="current-user">
              {user?.displayName}（{user ? ROLE_LABELS[user.role] : ''}）
            </span>
            <Button size="small" type="text" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
              {t('language')}
            </Button>
            <Button size="small" onClick={() => void signOut()}>
              {t('signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="app-content">
          {/* Only an administrator can load a calendar year, so only they are asked to. */}
          {user?.role === 'admin' && (status?.calendarWarnings.length ?? 0) > 0 && (
            <Alert
              type="warning"
              showIcon
              data-testid="calendar-banner"
              style={{ marginBottom: 16 }}
              title={status?.calendarWarnings.map((w, i) => <div key={i}>{w}</div>)}
              action={
                <Button
                  size="small"
                  onClick={() => {
                    setSection('settings');
                    setSettingsTab('calendar');
                  }}
                >
                  {t('banner.openCalendar')}
                </Button>
              }
            />
          )}
          {section === 'tasks' ? (
            <TasksPage />
          ) : section === 'visits' ? (
            <VisitRecordsPage />
          ) : section === 'countersign' ? (
            <CountersignPage />
          ) : section === 'settings' ? (
            <SettingsPage tab={settingsTab} onTabChange={setSettingsTab} />
          ) : (
            <ComingSoon />
          )}
        </Layout.Content>
      </Layout>
      {/* The visit opens full screen over whichever section it was started from. */}
      <VisitWorkspace />
    </Layout>
  );
}
