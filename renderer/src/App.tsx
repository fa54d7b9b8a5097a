import { Alert, App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { call, hasSessionToken } from './api/client';
import { afterFirstInput, lazyNamed } from './components/lazy-pane';
import { Loadable } from './components/Loadable';
import { SignInPage } from './pages/SignInPage';
// Shared with vite.config.mts, which renders the first screens with it at build time to write
// their antd styles into a static stylesheet: the same theme gives the same style hashes, so antd
// finds those styles already there and skips making them at run time. The theme's CSS-variable
// key is fixed (not React's id) so that the board's rows can name antd's classes (TaskTable).
import antdConfig from './antd-config.json';
import { useAppStore } from './stores/app-store';

// Everything behind sign-in (every page, the charts) is its own chunk: the sign-in screen, the
// first thing shown at every start, no longer waits for 2.4 MB of script to compile. The first
// run's setup and the lock screen are rare, so they wait for their own small chunks too.
const loadShell = () => import('./pages/Shell');
const Shell = lazyNamed(loadShell, 'Shell');
const SetupPage = lazyNamed(() => import('./pages/SetupPage'), 'SetupPage');
const LockScreen = lazyNamed(() => import('./pages/LockScreen'), 'LockScreen');

// Asked for while the first render runs rather than after it: app.status (and, after a reload,
// who the session belongs to) is the one thing every first screen waits for.
void useAppStore.getState().refreshStatus();
// A reload with a session goes straight back into the shell: fetch its script alongside the
// status instead of after it.
if (hasSessionToken()) void loadShell();

const loading = <Spin size="large" style={{ display: 'block', marginTop: 160 }} />;

export function App() {
  const { status, user, locale, loadError, locked } = useAppStore();

  // Signing in is what comes next on the sign-in screen: fetch the shell while the password is
  // typed, so that signing in does not wait for it.
  useEffect(() => (status?.setupDone && !user ? afterFirstInput(loadShell) : undefined), [status?.setupDone, user]);

  // Main locks an idle session; a quiet poll (which does not count as activity) notices it even
  // when nobody touches the screen, so the data disappears on time.
  useEffect(() => {
    if (!user || locked) return;
    const timer = setInterval(() => void call('auth.me', {}), 30_000);
    return () => clearInterval(timer);
  }, [user, locked]);

  // Date pickers take month and weekday names (and a Monday week start) from dayjs's locale.
  dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');

  let page;
  if (loadError) page = <Alert type="error" showIcon title="回访台无法加载" description={loadError} style={{ margin: 48 }} />;
  else if (!status) page = loading;
  else if (!status.setupDone) page = <SetupPage />;
  else if (locked) page = <LockScreen />;
  else if (!user) page = <SignInPage />;
  else page = <Shell />;

  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN} button={antdConfig.button} theme={antdConfig.theme}>
      <AntApp>
        <Loadable fallback={loading}>{page}</Loadable>
      </AntApp>
    </ConfigProvider>
  );
}
