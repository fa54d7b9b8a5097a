import path from 'node:path';
import { createApp } from './app/create-app';
import { startBridge } from './bridge/http-bridge';
import { StorageError } from './db/storage-error';

/**
 * Browser mode: the same main-process services, reached over the loopback HTTP bridge.
 * `npm start` falls back to this where the Electron runtime is not installed.
 */
async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.VISITDESK_DATA ?? 'data');
  const staticDir = process.env.VISITDESK_STATIC ?? path.join(__dirname, '..', 'renderer');
  const requestedPort = Number.parseInt(process.env.VISITDESK_PORT ?? '17800', 10);

  let app;
  try {
    app = createApp({ dataDir, transport: 'browser' });
  } catch (err) {
    if (err instanceof StorageError) {
      console.error(`回访台无法启动：${err.message}`);
      process.exit(2);
    }
    throw err;
  }

  let bridge;
  try {
    bridge = await startBridge({ call: app.call, staticDir, port: requestedPort });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    bridge = await startBridge({ call: app.call, staticDir, port: 0 });
  }
  console.log(`回访台 VisitDesk（浏览器模式）已启动，数据文件夹：${dataDir}`);
  console.log(`请在浏览器中打开：${bridge.url}`);

  const stop = () => {
    void bridge.close().finally(() => {
      app.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`回访台启动失败：${(err as Error).message}`);
  process.exit(1);
});
