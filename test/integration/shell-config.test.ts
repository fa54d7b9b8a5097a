import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/shell/security-policy';
import { isTrustedSenderUrl, resolveAppAsset, windowOptions } from '../../electron/shell/window-options';

const require = createRequire(import.meta.url);

describe('the desktop shell configuration (checked without the Electron binary)', () => {
  it('opens the window isolated, sandboxed, without Node', () => {
    const prefs = windowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('has a CSP that allows only the app\'s own scripts', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
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
