import { createRequire } from 'node:module';
import type * as AntdCssinjs from '@ant-design/cssinjs';
import type * as Antd from 'antd';
import type { Locale } from 'antd/es/locale';
import type * as ReactModule from 'react';
import type { ComponentType, ReactNode } from 'react';
import type * as ReactDomServer from 'react-dom/server';
import { defineConfig, type Plugin } from 'vite';
import antdConfig from './renderer/src/antd-config.json' with { type: 'json' };

const STATIC_STYLES = 'virtual:antd-static.css';

/**
 * antd makes its components' styles in the page at run time (CSS-in-JS): on the sign-in screen and
 * on the task board that was about a third of the first render, and a <style> element inserted
 * per component. This renders the components those screens show, here in Node with the app's
 * antd configuration, and hands their styles to the bundle as a stylesheet of the main entry. The
 * sheet ends with antd's own map of the styles it holds, so at run time antd finds each style
 * already present and neither makes nor inserts it. Components not listed here (or a theme that
 * differs) get their styles made at run time as before.
 *
 * One sheet for both the first screens and the shell: antd reads its map once, at its first
 * render, and the sheet must come before styles.css (which overrides some antd rules), as antd's
 * run-time styles, inserted at the top of <head>, did. Compressed it is 27 KB.
 */
function antdStaticStyles(): Plugin {
  let css: string | undefined;
  return {
    name: 'antd-static-styles',
    resolveId: (id) => (id === STATIC_STYLES ? `\0${id}` : null),
    load: (id) => (id === `\0${STATIC_STYLES}` ? (css ??= renderStaticStyles()) : null),
  };
}

function renderStaticStyles(): string {
  // antd names its style scopes by NODE_ENV (css-… in production, css-dev-only-… otherwise), read
  // when its modules load; scripts/build.mjs builds with NODE_ENV=production, so this process and
  // the bundle agree.
  // CommonJS builds, loaded only here at build time; the same sources as the browser's ES build.
  const require = createRequire(import.meta.url);
  const React = require('react') as typeof ReactModule;
  const { renderToString } = require('react-dom/server') as typeof ReactDomServer;
  const antd = require('antd') as typeof Antd;
  const { createCache, extractStyle, StyleProvider } = require('@ant-design/cssinjs') as typeof AntdCssinjs;
  const zhCN = (require('antd/lib/locale/zh_CN') as { default: Locale }).default;
  // Loosely typed on purpose: only the styles of what renders matter here, not the props' types.
  const h = (type: unknown, props: Record<string, unknown> | null, ...children: ReactNode[]) =>
    React.createElement(type as ComponentType<Record<string, unknown>>, props, ...children);
  const { Alert, App, Badge, Button, Card, Checkbox, ConfigProvider, Empty, Form, Input, InputNumber, Layout, Menu, Select, Space, Spin, Statistic, Tag, Typography } = antd;

  const cache = createCache();
  renderToString(
    h(
      StyleProvider,
      { cache },
      h(
        ConfigProvider,
        { locale: zhCN, theme: antdConfig.theme, button: antdConfig.button },
        h(
          App,
          null,
          // Loading, sign-in, first-run setup and lock screens.
          h(Spin, { size: 'large' }),
          h(
            Card,
            { title: 'x' },
            h(
              Form,
              { layout: 'vertical' },
              h(Form.Item, { label: 'x', validateStatus: 'error', help: 'x', required: true }, h(Input, null)),
              h(Form.Item, { label: 'x' }, h(Input.Password, null)),
            ),
            h(Alert, { type: 'error', showIcon: true, title: 'x' }),
            h(Button, { type: 'primary', htmlType: 'submit', block: true }, 'x'),
            h(Typography.Paragraph, { type: 'secondary' }, 'x'),
            h(Typography.Title, { level: 4 }, 'x'),
            h(Typography.Text, { strong: true }, 'x'),
            h(Space, { orientation: 'vertical' }, 'x'),
          ),
          // The shell and the task board.
          h(
            Layout,
            null,
            h(Layout.Sider, { theme: 'light' }, h(Menu, { mode: 'inline', selectedKeys: ['a'], items: [{ key: 'a', label: 'x' }] })),
            h(
              Layout,
              null,
              h(Layout.Header, null, h(Badge, { status: 'success', text: 'x' }), h(Badge, { count: 1 }, 'x')),
              h(
                Layout.Content,
                null,
                h(Card, { size: 'small', title: 'x', extra: h(Button, { size: 'small', type: 'text' }, 'x') }, h(Statistic, { title: 'x', value: 1 })),
                h(Input, { allowClear: true, prefix: 'x' }),
                h(InputNumber, { size: 'small' }),
                h(Select, { options: [{ value: 1, label: 'x' }], allowClear: true }),
                h(Checkbox, { indeterminate: true }, 'x'),
                h(Tag, { color: 'blue' }, 'x'),
                h(Empty, { description: 'x' }),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  // Only components' styles: the theme's CSS variables are registered at run time either way.
  const css = extractStyle(cache, { plain: true, types: 'style' });
  if (!css.includes('.data-ant-cssinjs-cache-path{')) throw new Error('antd-static-styles: no style map in the extracted styles (has @ant-design/cssinjs changed?)');
  return css;
}

// The renderer is a static bundle: loaded from app:// in the desktop and from the loopback
// bridge in browser mode. Relative base so both work.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [antdStaticStyles()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      // antd marks its modules "use client" for React Server Components; meaningless in a static bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
