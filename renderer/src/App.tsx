import { Alert, App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import { lazy, Suspense, useEffect } from 'react';
import { call } from './api/client';
import { LockScreen } from './pages/LockScreen';
import { SetupPage } from './pages/SetupPage';
import { SignInPage } from './pages/SignInPage';
import { useAppStore } from './stores/app-store';

// Everything behind sign-in (every page, the charts) is its own chunk: the sign-in screen, the
// first thing shown at every start, no longer waits for 2.4 MB of script to compile.
const Shell = lazy(() => import('./pages/Shell').then((m) => ({ default: m.Shell })));
const loading = <Spin size="large" style={{ display: 'block', marginTop: 160 }} />;

export function App() {
  const { status, user, locale, loadError, locked, refreshStatus } = useAppStore();

  useEffect(() => {
    void refreshStatus();
  }, [refreshStatus]);

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
  else page = <Suspense fallback={loading}><Shell /></Suspense>;

  return (
    <ConfigProvider locale={locale === 'en' ? enUS : zhCN} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1f6feb', borderRadius: 4 } }}>
      <AntApp>{page}</AntApp>
    </ConfigProvider>
  );
}
