import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, type WebContents } from 'electron';
import { createApp, type VisitDeskApp } from '../app/create-app';
import { StorageError } from '../db/storage-error';
import { registerContractIpc } from './ipc';
import { CONTENT_SECURITY_POLICY } from './security-policy';
import { APP_ORIGIN, APP_SCHEME, resolveAppAsset, windowOptions } from './window-options';

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let vd: VisitDeskApp | null = null;
let win: BrowserWindow | null = null;

function nativeBindingPath(): string {
  // The Electron build of better-sqlite3 lives apart from the Node build used by tests and browser mode.
  return app.isPackaged
    ? path.join(process.resourcesPath, 'native', 'better_sqlite3.node')
    : path.join(app.getAppPath(), 'native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
}

function createWindow(): void {
  win = new BrowserWindow(windowOptions(path.join(__dirname, 'preload.cjs')));
  win.once('ready-to-show', () => win?.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

if (!app.requestSingleInstanceLock()) {
  dialog.showErrorBox('回访台已在运行', '回访台已经打开，请切换到已打开的窗口。');
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(() => {
    const rendererDir = path.join(__dirname, '..', 'renderer');
    try {
      vd = createApp({
        dataDir: process.env.VISITDESK_DATA ?? app.getPath('userData'),
        transport: 'electron',
        nativeBinding: nativeBindingPath(),
        // The database key is kept wrapped by the OS key store (DPAPI on Windows). Linux without a
        // keyring falls back to Chromium's fixed-key "basic_text": refuse that rather than pretend.
        keyVault: {
          available: () => safeStorage.isEncryptionAvailable() && (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
          wrap: (secret) => safeStorage.encryptString(secret),
          unwrap: (wrapped) => safeStorage.decryptString(wrapped),
        },
        printToPdf: async (caller, suggestedName) => {
          const contents = caller as WebContents;
          const owner = BrowserWindow.fromWebContents(contents);
          const choice = owner
            ? await dialog.showSaveDialog(owner, { defaultPath: `${suggestedName}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] })
            : await dialog.showSaveDialog({ defaultPath: `${suggestedName}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
          if (choice.canceled || !choice.filePath) return null;
          // The page is showing its print view; printToPDF uses the print stylesheet (A4).
          const pdf = await contents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true });
          await fs.promises.writeFile(choice.filePath, pdf);
          return choice.filePath;
        },
      });
    } catch (err) {
      dialog.showErrorBox('回访台无法启动', err instanceof StorageError ? err.message : `启动失败：${(err as Error).message}`);
      app.quit();
      return;
    }

    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    protocol.handle(APP_SCHEME, async (request) => {
      const file = resolveAppAsset(rendererDir, request.url);
      if (!file || !fs.existsSync(file)) return new Response('未找到', { status: 404 });
      return new Response(await fs.promises.readFile(file), {
        headers: { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      });
    });
    registerContractIpc(ipcMain, vd.call);
    createWindow();
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => vd?.close());
}
