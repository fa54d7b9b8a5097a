import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, type WebContents } from 'electron';
import { createApp, type VisitDeskApp } from '../app/create-app';
import { StorageError } from '../db/storage-error';
import { appProtocolHandler, denyAllPermissions, hardenWebContents } from './hardening';
import { registerContractIpc } from './ipc';
import { APP_ORIGIN, APP_SCHEME, windowOptions } from './window-options';

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

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

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

    denyAllPermissions(session.defaultSession);
    protocol.handle(APP_SCHEME, appProtocolHandler(rendererDir));
    registerContractIpc(ipcMain, vd.call);
    createWindow();
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => vd?.close());
}
