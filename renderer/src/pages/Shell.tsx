import {
  AuditOutlined,
  BarChartOutlined,
  CloudSyncOutlined,
  FileDoneOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Alert, Badge, Button, Layout, Menu, Space, Spin, Typography } from 'antd';
import { useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { ROLE_LABELS, type Role } from '../../../shared/domain/roles';
import type { MessageKey } from '../i18n/messages';
import { lazyNamed, useOpenedOnce } from '../components/lazy-pane';
import { Loadable } from '../components/Loadable';
import { useAppStore, useT } from '../stores/app-store';
import type { SettingsTab } from './settings/SettingsPage';
import { SyncBadge } from './sync/SyncBadge';
import { TasksPage } from './tasks/TasksPage';
import { useVisitStore } from './visit/open-visit';

// The task board is where staff and managers land, so it comes with the shell; every other
// section is its own chunk, fetched when first opened (the statistics alone bring 1.2 MB of
// charting code, which the board's first rows used to wait for).
const AccountsPage = lazyNamed(() => import('./admin/AccountsPage'), 'AccountsPage');
const AuditPage = lazyNamed(() => import('./admin/AuditPage'), 'AuditPage');
const CountersignPage = lazyNamed(() => import('./countersign/CountersignPage'), 'CountersignPage');
const ListsPage = lazyNamed(() => import('./lists/ListsPage'), 'ListsPage');
const ProblemsPage = lazyNamed(() => import('./problems/ProblemsPage'), 'ProblemsPage');
const SettingsPage = lazyNamed(() => import('./settings/SettingsPage'), 'SettingsPage');
const SyncPage = lazyNamed(() => import('./sync/SyncPage'), 'SyncPage');
const StatsPage = lazyNamed(() => import('./stats/StatsPage'), 'StatsPage');
const VisitRecordsPage = lazyNamed(() => import('./visit/VisitRecordsPage'), 'VisitRecordsPage');
// The password form brings zod and the contract's schemas; fetched when the button is pressed.
const ChangePasswordModal = lazyNamed(() => import('./admin/PasswordModals'), 'ChangePasswordModal');
const VisitWorkspace = lazyNamed(() => import('./visit/VisitWorkspace'), 'VisitWorkspace');
const sectionLoading = <Spin size="large" style={{ display: 'block', marginTop: 120 }} />;

type Section = 'tasks' | 'visits' | 'problems' | 'lists' | 'countersign' | 'sync' | 'stats' | 'settings' | 'accounts' | 'audit';

/** The page of each section but 设置, which also takes the tab to open. */
const PAGES: Record<Exclude<Section, 'settings'>, ComponentType> = {
  tasks: TasksPage,
  visits: VisitRecordsPage,
  problems: ProblemsPage,
  lists: ListsPage,
  countersign: CountersignPage,
  sync: SyncPage,
  stats: StatsPage,
  accounts: AccountsPage,
  audit: AuditPage,
};

function SectionPage({ section }: { section: Exclude<Section, 'settings'> }) {
  const Page = PAGES[section];
  return <Page />;
}

/**
 * Who sees which section. Main refuses what a role may not do whatever the menu shows; the menu
 * only keeps people from walking into pages that would refuse them. Sales reps work their own
 * clients' tasks and visits; an administrator runs the desk (rules, calendar, accounts, audit)
 * and does no visits of their own.
 */
const SECTIONS: { key: Section; icon: ReactNode; label: MessageKey; roles: readonly Role[] }[] = [
  { key: 'tasks', icon: <UnorderedListOutlined />, label: 'menu.tasks', roles: ['staff', 'sales', 'manager', 'admin'] },
  { key: 'visits', icon: <FileDoneOutlined />, label: 'menu.visits', roles: ['staff', 'sales', 'manager'] },
  { key: 'problems', icon: <WarningOutlined />, label: 'menu.problems', roles: ['staff', 'manager'] },
  { key: 'lists', icon: <ProfileOutlined />, label: 'menu.lists', roles: ['staff', 'manager'] },
  { key: 'countersign', icon: <AuditOutlined />, label: 'menu.countersign', roles: ['manager'] },
  { key: 'sync', icon: <CloudSyncOutlined />, label: 'menu.sync', roles: ['staff', 'manager', 'admin'] },
  { key: 'stats', icon: <BarChartOutlined />, label: 'menu.stats', roles: ['staff', 'manager'] },
  { key: 'settings', icon: <SettingOutlined />, label: 'menu.settings', roles: ['manager', 'admin'] },
  { key: 'accounts', icon: <TeamOutlined />, label: 'admin.menu.accounts', roles: ['admin'] },
  // Managers run the integrity check too; the log itself is for administrators.
  { key: 'audit', icon: <SafetyCertificateOutlined />, label: 'admin.menu.audit', roles: ['manager', 'admin'] },
];

/** Where each role lands after signing in: an administrator's work is in 设置. */
const DEFAULT_SECTION: Record<Role, Section> = { staff: 'tasks', sales: 'tasks', manager: 'tasks', admin: 'settings' };

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

/** The visit workspace, with its questionnaire, signature pad and print view, from the first visit opened. */
function VisitWorkspaceSlot() {
  const opened = useOpenedOnce(useVisitStore((s) => s.open));
  return opened ? (
    <Loadable fallback={null}>
      <VisitWorkspace />
    </Loadable>
  ) : null;
}

export function Shell() {
  const t = useT();
  const { user, status, signOut, locale, setLocale } = useAppStore();
  const role: Role = user?.role ?? 'staff';
  const visible = SECTIONS.filter((s) => s.roles.includes(role));
  const [chosen, setSection] = useState<Section>(DEFAULT_SECTION[role]);
  // A section the role cannot use (e.g. after a role change) falls back to the role's own start.
  const section = visible.some((s) => s.key === chosen) ? chosen : DEFAULT_SECTION[role];
  const [settingsTab, setSettingsTab] = useState<SettingsTab>('rules');
  const [changingPassword, setChangingPassword] = useState(false);
  const passwordOpened = useOpenedOnce(changingPassword);
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
          items={visible.map((s) => ({ key: s.key, icon: s.icon, label: t(s.label) }))}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="app-header">
          <Typography.Text strong>{status?.branch?.name}</Typography.Text>
          <Space size="large">
            <Badge status={online ? 'success' : 'default'} text={online ? t('online') : t('offline')} data-testid="online-state" />
            <SyncBadge />
            <span data-testid="current-user">
              {user?.displayName}（{user ? ROLE_LABELS[user.role] : ''}）
            </span>
            <Button size="small" type="text" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
              {t('language')}
            </Button>
            <Button size="small" onClick={() => setChangingPassword(true)} data-testid="change-password">
              {t('account.changePassword')}
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
          <Loadable fallback={sectionLoading} resetKey={section}>
            {section === 'settings' ? <SettingsPage tab={settingsTab} onTabChange={setSettingsTab} /> : <SectionPage section={section} />}
          </Loadable>
        </Layout.Content>
      </Layout>
      {/* The visit opens full screen over whichever section it was started from. */}
      <VisitWorkspaceSlot />
      {passwordOpened && (
        <Loadable fallback={null}>
          <ChangePasswordModal open={changingPassword} onClose={() => setChangingPassword(false)} />
        </Loadable>
      )}
    </Layout>
  );
}
