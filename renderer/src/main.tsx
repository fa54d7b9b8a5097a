import './zod-jitless';
import 'dayjs/locale/zh-cn';
import { createRoot } from 'react-dom/client';
import { App } from './App';
// antd's styles for the first screens, made at build time (see vite.config.mts); before our own
// stylesheet, which overrides some of them, as antd's run-time styles were.
import 'virtual:antd-static.css';
import './styles.css';

createRoot(document.getElementById('root')!).render(<App />);
