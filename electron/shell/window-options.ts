import path from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The desktop window's security settings, kept free of runtime `electron` imports so that tests
 * can assert them without the Electron binary (Electron security checklist).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'visitdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const IPC_CHANNEL = 'visitdesk:call';

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1360,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    title: '回访台 VisitDesk',
    show: false,
    backgroundColor: '#f5f5f5',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}

/** Only our own UI, loaded from the app:// protocol into the top frame, may call the contract. */
export function isTrustedSenderUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Maps an app:// request to a file inside the built renderer, or null if it escapes it. */
export function resolveAppAsset(rendererDir: string, requestUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${path.posix.normalize(rel === '/' ? '/index.html' : rel)}`);
  return file === root || file.startsWith(root + path.sep) ? file : null;
}
