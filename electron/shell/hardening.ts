import fs from 'node:fs';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from './security-policy';
import { resolveAppAsset } from './window-options';

/**
 * The Electron security checklist's event handlers, written against the few members of Electron's
 * objects they touch (structural types, no runtime `electron` import), so that tests can drive
 * them with stand-ins of WebContents and Session without the Electron binary.
 */

interface Preventable {
  preventDefault(): void;
}

export interface HardenableContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: Preventable) => void): unknown;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
}

export interface PermissionSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: () => boolean): void;
}

/**
 * The UI is one page loaded once from app://: it never navigates, redirects, embeds a webview or
 * opens a window, so every attempt is refused (an injected link or script gets nowhere).
 */
export function hardenWebContents(contents: HardenableContents): void {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Camera, microphone, notifications, geolocation…: the app needs none, so none is granted. */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

/** Headers of every app:// answer, the 404 included: the CSP must hold whatever is served. */
export function appResponseHeaders(file: string | null): Record<string, string> {
  return {
    'Content-Type': file ? (MIME[path.extname(file)] ?? 'application/octet-stream') : 'text/plain; charset=utf-8',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  };
}

/** The app:// protocol handler: files from inside the built renderer only. */
export function appProtocolHandler(rendererDir: string): (request: { url: string }) => Promise<Response> {
  return async (request) => {
    const file = resolveAppAsset(rendererDir, request.url);
    if (!file || !fs.existsSync(file) || fs.statSync(file).isDirectory()) return new Response('未找到', { status: 404, headers: appResponseHeaders(null) });
    return new Response(await fs.promises.readFile(file), { headers: appResponseHeaders(file) });
  };
}
