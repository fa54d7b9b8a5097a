import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES } from '../../shared/api/contract';
import { appProtocolHandler, appResponseHeaders, denyAllPermissions, hardenWebContents } from '../../electron/shell/hardening';
import { registerContractIpc } from '../../electron/shell/ipc';
import { CONTENT_SECURITY_POLICY } from '../../electron/shell/security-policy';
import { APP_ORIGIN, IPC_CHANNEL, isTrustedSenderUrl, resolveAppAsset, windowOptions } from '../../electron/shell/window-options';
import { startTestApp, type TestApp } from '../support/app';
import { tempDir } from '../support/temp';

// The preload script is evaluated against a stand-in of Electron's renderer module (Electron's
// API, not our code): what it hands to exposeInMainWorld is what the page gets.
const exposed = vi.hoisted(() => ({ worlds: new Map<string, unknown>(), invoked: [] as unknown[][] }));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.worlds.set(key, api) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      exposed.invoked.push(args);
      return Promise.resolve({ ok: true, value: null });
    },
  },
}));

const require = createRequire(import.meta.url);

describe('the desktop shell configuration (checked without the Electron binary)', () => {
  it('opens the window isolated, sandboxed, without Node', () => {
    const prefs = windowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    // Nothing that loosens the sandbox is set at all (Electron's defaults for these are the unsafe ones when true).
    for (const loose of ['experimentalFeatures', 'enableBlinkFeatures', 'additionalArguments', 'disableBlinkFeatures', 'partition', 'session']) {
      expect(prefs, loose).not.toHaveProperty(loose);
    }
  });

  it('has a CSP that allows only the app\'s own scripts', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('has a CSP with no remote sources: every fetch, script, style, image and frame is the app\'s own', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));
    expect([...directives.keys()]).toEqual(expect.arrayContaining(['default-src', 'script-src', 'connect-src', 'object-src', 'base-uri', 'frame-ancestors', 'form-action']));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    for (const [name, sources] of directives) {
      for (const src of sources) {
        // Only keywords and inline data: no host, scheme wildcard, http(s): or ws(s): source anywhere.
        expect(["'self'", "'none'", 'data:', 'blob:', ...(name === 'style-src' ? ["'unsafe-inline'"] : [])], `${name} ${src}`).toContain(src);
      }
    }
  });

  it('loads only app://visitdesk into the window, never a remote page', () => {
    const shellDir = path.resolve(__dirname, '../../electron/shell');
    const loads: string[] = [];
    for (const f of fs.readdirSync(shellDir).filter((n) => n.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(shellDir, f), 'utf8');
      expect(text, f).not.toMatch(/loadURL\(\s*['"`]https?:/);
      expect(text, f).not.toMatch(/openExternal|loadFile\(/);
      loads.push(...[...text.matchAll(/loadURL\(([^)]*)\)/g)].map((m) => m[1]!));
    }
    expect(loads).toEqual(['`${APP_ORIGIN}/index.html`']);
    expect(APP_ORIGIN).toBe('app://visitdesk');
  });

  it('trusts IPC only from the app:// origin', () => {
    expect(isTrustedSenderUrl('app://visitdesk/index.html')).toBe(true);
    for (const url of ['https://visitdesk/index.html', 'app://evil/index.html', 'file:///etc/passwd', 'http://127.0.0.1:17800/', '', undefined, 'not a url']) {
      expect(isTrustedSenderUrl(url)).toBe(false);
    }
  });

  it('serves app:// requests only from inside the built renderer', () => {
    const root = path.resolve('/opt/visitdesk/renderer');
    expect(resolveAppAsset(root, 'app://visitdesk/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://visitdesk/assets/index.js')).toBe(path.join(root, 'assets', 'index.js'));
    expect(resolveAppAsset(root, 'app://visitdesk/../../etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    expect(resolveAppAsset(root, 'app://visitdesk/%2e%2e/%2e%2e/etc/passwd')?.startsWith(root)).toBe(true);
    expect(resolveAppAsset(root, 'app://other/index.html')).toBeNull();
    expect(resolveAppAsset(root, 'app://visitdesk/%E0%A4%A')).toBeNull();
  });
});

/** A WebContents as far as the hardening touches it: events, and the window-open handler. */
class FakeWebContents extends EventEmitter {
  openHandler: (() => { action: string }) | null = null;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void {
    this.openHandler = handler;
  }
  /** Emits like Electron does and says whether a listener called preventDefault. */
  attempt(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

describe('the Electron security checklist, driven through stand-ins of Electron\'s objects', () => {
  it('refuses every navigation, redirect and webview, and denies window.open', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents);
    expect(contents.attempt('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(contents.attempt('will-navigate', 'app://visitdesk/other.html')).toBe(true);
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.attempt('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.attempt('will-attach-webview', { src: 'https://evil.example/' }, { src: 'https://evil.example/' })).toBe(true);
    expect(contents.openHandler).not.toBeNull();
    expect(contents.openHandler!()).toEqual({ action: 'deny' });
  });

  it('answers every permission request and check with no', () => {
    let request: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
    let check: (() => boolean) | null = null;
    denyAllPermissions({ setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal', 'fullscreen', 'pointerLock', 'hid', 'serial', 'usb']) {
      const answers: boolean[] = [];
      request!({}, permission, (granted) => answers.push(granted));
      expect(answers, permission).toEqual([false]);
    }
    expect(check!()).toBe(false);
  });

  describe('the app:// protocol', () => {
    let dir: { dir: string; cleanup: () => void };
    beforeAll(() => {
      dir = tempDir('vd-renderer-');
      fs.writeFileSync(path.join(dir.dir, 'index.html'), '<!doctype html><title>回访台</title>');
      fs.mkdirSync(path.join(dir.dir, 'assets'));
      fs.writeFileSync(path.join(dir.dir, 'assets', 'index.js'), 'void 0;');
    });
    afterAll(() => dir.cleanup());

    it('puts the CSP on every answer, the 404s included', async () => {
      const handle = appProtocolHandler(dir.dir);
      const cases: [string, number, string][] = [
        ['app://visitdesk/', 200, 'text/html'],
        ['app://visitdesk/index.html', 200, 'text/html'],
        ['app://visitdesk/assets/index.js', 200, 'text/javascript'],
        ['app://visitdesk/assets', 404, 'text/plain; charset=utf-8'],
        ['app://visitdesk/missing.js', 404, 'text/plain; charset=utf-8'],
        ['app://visitdesk/../../etc/passwd', 404, 'text/plain; charset=utf-8'],
        ['app://evil/index.html', 404, 'text/plain; charset=utf-8'],
      ];
      for (const [url, status, type] of cases) {
        const res = await handle({ url });
        expect([url, res.status, res.headers.get('content-type')]).toEqual([url, status, type]);
        expect(res.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
      }
      expect(await (await handle({ url: 'app://visitdesk/' })).text()).toContain('回访台');
      expect(appResponseHeaders('/x/y.unknown')['Content-Type']).toBe('application/octet-stream');
    });
  });

  it('gives the page one function per contract method and nothing else', async () => {
    await import('../../electron/shell/preload');
    expect([...exposed.worlds.keys()]).toEqual(['visitdesk']);
    const api = exposed.worlds.get('visitdesk') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES].sort());
    for (const name of METHOD_NAMES) expect(typeof api[name], name).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
    await (api['app.status'] as (i: unknown, s: unknown) => Promise<unknown>)({}, 'tok');
    expect(exposed.invoked).toEqual([[IPC_CHANNEL, 'app.status', {}, 'tok']]);
  });

  describe('the IPC transport checks who is calling', () => {
    let app: TestApp;
    let handler: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;
    const calls: unknown[] = [];
    beforeAll(() => {
      app = startTestApp();
      const ipcMain = {
        handle: (channel: string, h: typeof handler) => {
          expect(channel).toBe(IPC_CHANNEL);
          handler = h;
        },
      };
      registerContractIpc(ipcMain as unknown as IpcMain, (method, input, meta) => {
        calls.push(method);
        return app.call(method, input, meta);
      });
    });
    afterAll(() => app.cleanup());

    const mainFrame = { url: 'app://visitdesk/index.html' };
    const event = (senderFrame: { url: string } | null, main = mainFrame) => ({ senderFrame, sender: { mainFrame: main } }) as unknown as IpcMainInvokeEvent;
    const invoke = (e: IpcMainInvokeEvent) => Promise.resolve(handler(e, 'app.status', {}, null));

    it('dispatches a call from our own top frame on app://visitdesk', async () => {
      calls.length = 0;
      expect(await invoke(event(mainFrame))).toMatchObject({ ok: true, value: { transport: 'browser' } });
      expect(calls).toEqual(['app.status']);
    });

    it('refuses a subframe, another origin and a missing frame, before anything is dispatched', async () => {
      calls.length = 0;
      const refused = [
        event({ url: 'app://visitdesk/index.html' }), // a subframe, even one of ours
        event({ url: 'https://evil.example/' }, { url: 'https://evil.example/' }), // navigated away
        event({ url: 'app://evil/index.html' }, { url: 'app://evil/index.html' }),
        event({ url: 'file:///tmp/x.html' }, { url: 'file:///tmp/x.html' }),
        event({ url: '' }, { url: '' }),
        event(null), // the frame went away before the call arrived
      ];
      for (const e of refused) {
        expect(await invoke(e)).toEqual({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('不受信任') } });
      }
      expect(calls).toEqual([]);
    });
  });
});

describe('the electron-builder configuration', () => {
  const config = require('../../build/electron-builder.config.cjs');

  it('packages Windows NSIS (per-user or per-machine) and Linux AppImage and deb', () => {
    expect(config.appId).toBeTruthy();
    expect(config.productName).toBe('回访台 VisitDesk');
    expect(config.win.target[0].target).toBe('nsis');
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: true });
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });

  it('ships the Electron build of the native module and never rebuilds node_modules in place', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.electronVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(config.extraResources[0].from).toBe(`native/electron-${config.electronVersion}/better_sqlite3.node`);
    expect(config.extraResources[0].to).toBe('native/better_sqlite3.node');
  });

  it('sets the release fuses: no RunAsNode, asar integrity, app only from asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
    });
  });
});
