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
  const h = (type: ComponentType<never>, props: Record<string, unknown> | null, ...children: ReactNode[]) =>
    React.createElement(type as ComponentType<Record<string, unknown>>, props, ...children);
  const { Alert, App, Badge, Button, Card, Checkbox, ConfigProvider, Empty, Form, Input, InputNumber, Layout, Menu, Select, Space, Spin, Statistic, Tag, Typography } = antd;

  const cache = createCache();
  renderToString(
    h(
      StyleProvider as ComponentType<never>,
      { cache },
      h(
        ConfigProvider as ComponentType<never>,
        { locale: zhCN, theme: antdConfig.theme, button: antdConfig.button },
        h(
          App as ComponentType<never>,
          null,
          // Loading, sign-in, first-run setup and lock screens.
          h(Spin as ComponentType<never>, { size: 'large' }),
          h(
            Card as ComponentType<never>,
            { title: 'x' },
            h(
              Form as ComponentType<never>,
              { layout: 'vertical' },
              h(Form.Item as ComponentType<never>, { label: 'x', validateStatus: 'error', help: 'x', required: true }, h(Input as ComponentType<never>, null)),
              h(Form.Item as ComponentType<never>, { label: 'x' }, h(Input.Password as ComponentType<never>, null)),
            ),
            h(Alert as ComponentType<never>, { type: 'error', showIcon: true, title: 'x' }),
            h(Button as ComponentType<never>, { type: 'primary', htmlType: 'submit', block: true }, 'x'),
            h(Typography.Paragraph as ComponentType<never>, { type: 'secondary' }, 'x'),
            h(Typography.Title as ComponentType<never>, { level: 4 }, 'x'),
            h(Typography.Text as ComponentType<never>, { strong: true }, 'x'),
            h(Space as ComponentType<never>, { orientation: 'vertical' }, 'x'),
          ),
          // The shell and the task board.
          h(
            Layout as ComponentType<never>,
            null,
            h(Layout.Sider as ComponentType<never>, { theme: 'light' }, h(Menu as ComponentType<never>, { mode: 'inline', selectedKeys: ['a'], items: [{ key: 'a', label: 'x' }] })),
            h(
              Layout as ComponentType<never>,
              null,
              h(Layout.Header as ComponentType<never>, null, h(Badge as ComponentType<never>, { status: 'success', text: 'x' }), h(Badge as ComponentType<never>, { count: 1 }, 'x')),
              h(
                Layout.Content as ComponentType<never>,
                null,
                h(Card as ComponentType<never>, { size: 'small', title: 'x', extra: h(Button as ComponentType<never>, { size: 'small', type: 'text' }, 'x') }, h(Statistic as ComponentType<never>, { title: 'x', value: 1 })),
                h(Input as ComponentType<never>, { allowClear: true, prefix: 'x' }),
                h(InputNumber as ComponentType<never>, { size: 'small' }),
                h(Select as ComponentType<never>, { options: [{ value: 1, label: 'x' }], allowClear: true }),
                h(Checkbox as ComponentType<never>, { indeterminate: true }, 'x'),
                h(Tag as ComponentType<never>, { color: 'blue' }, 'x'),
                h(Empty as ComponentType<never>, { description: 'x' }),
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
