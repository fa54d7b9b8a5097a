// A branch app in its own process that runs one sync and kills itself (SIGKILL, no cleanup) at
// the step named on the command line: the crash tests' client.
import { createApp } from '../../electron/app/create-app';

const [dataDir, step, timeoutMs] = process.argv.slice(2);
const app = createApp({
  dataDir: dataDir!,
  transport: 'browser',
  autoSyncMs: 0,
  syncTimeoutMs: Number(timeoutMs ?? 5000),
  log: () => {},
  syncFaultAt: (s) => {
    if (s === step) process.kill(process.pid, 'SIGKILL');
  },
});
void app.sync.runOnce(new AbortController().signal).then((r) => {
  app.close();
  process.stdout.write(JSON.stringify(r));
});
