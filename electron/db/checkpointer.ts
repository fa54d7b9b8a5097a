import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { createRequire } from 'node:module';
import type * as WorkerThreads from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import type { Database } from './database';

/** What the checkpoint thread needs to open the same file: the driver, its native build and the key's pragmas. */
interface ThreadData {
  driver: string;
  nativeBinding: string | null;
  file: string;
  pragmas: string[];
  /** Set to 1 by the thread once its connection is closed (the app waits for it on close). */
  closed: Int32Array;
}

/**
 * The body of the checkpoint thread. It runs as a string in its own V8 isolate, so it may use
 * nothing from this module: only `require` and what `workerData` carries.
 */
function checkpointThread(): void {
  /* eslint-disable @typescript-eslint/no-require-imports -- the thread has no module system but require */
  const { parentPort, workerData } = require('node:worker_threads') as typeof WorkerThreads;
  const data = workerData as ThreadData;
  const Driver = require(data.driver) as typeof BetterSqlite3;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const db = new Driver(data.file, data.nativeBinding ? { nativeBinding: data.nativeBinding } : {});
  for (const p of data.pragmas) db.pragma(p);
  db.pragma('busy_timeout = 5000');
  parentPort!.on('message', (message: string) => {
    if (message === 'close') {
      db.close();
      Atomics.store(data.closed, 0, 1);
      Atomics.notify(data.closed, 0);
      parentPort!.close();
      return;
    }
    try {
      // PASSIVE: copies what no reader still needs and never makes the app's connection wait.
      const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      parentPort!.postMessage({ ok: true, log: r?.log ?? 0, checkpointed: r?.checkpointed ?? 0 });
    } catch (err) {
      parentPort!.postMessage({ ok: false, code: (err as { code?: string }).code ?? (err as Error).name });
    }
  });
}

export interface Checkpointer {
  /** Asks for a checkpoint soon; requests while one runs fold into one more run. */
  request(): void;
  /** Resolves once nothing is waiting to be copied that was asked for (for tests and the benchmark). */
  idle(): Promise<void>;
  close(): void;
}

/**
 * Copies the write-ahead log back into the database file on a second thread, with its own
 * connection. SQLite otherwise does it inside the COMMIT that crosses 1,000 log pages, on the
 * thread that serves every call: after a 100,000-row import that was 1.5 s of encrypting and
 * writing 150 MB again while the window waited. With the thread running, the app's connection
 * never checkpoints by itself (wal_autocheckpoint = 0) and asks this thread after big writes and
 * every half minute. Should the thread fail to start or die, the connection checkpoints itself
 * again, as before. The committed data is safe in the log either way (synchronous = FULL).
 */
export function startCheckpointer(db: Database, options: { file: string; pragmas: string[]; nativeBinding?: string; log: (msg: string) => void }): Checkpointer {
  let worker: Worker | null = null;
  let running = false;
  let again = false;
  let waiters: (() => void)[] = [];
  const closed = new Int32Array(new SharedArrayBuffer(4));
  const fallBack = (why: string) => {
    if (!worker) return;
    worker = null;
    options.log(`后台检查点线程不可用（${why}），改由主线程按默认方式合并日志`);
    db.pragma('wal_autocheckpoint = 1000');
    for (const w of waiters.splice(0)) w();
  };
  try {
    const data: ThreadData = {
      driver: createRequire(__filename).resolve('better-sqlite3-multiple-ciphers'),
      nativeBinding: options.nativeBinding ?? null,
      file: options.file,
      pragmas: options.pragmas,
      closed,
    };
    worker = new Worker(`(${checkpointThread.toString()})()`, { eval: true, workerData: data });
    worker.unref();
    worker.on('error', (err) => fallBack(err.name));
    worker.on('exit', () => fallBack('已退出'));
    worker.on('message', (m: { ok: boolean; code?: string }) => {
      running = false;
      if (!m.ok) options.log(`后台检查点未完成（${m.code}），稍后重试`);
      if (again) {
        again = false;
        run();
      } else for (const w of waiters.splice(0)) w();
    });
    db.pragma('wal_autocheckpoint = 0');
  } catch (err) {
    fallBack((err as Error).name);
  }
  function run(): void {
    if (!worker) return;
    running = true;
    worker.postMessage('checkpoint');
  }
  const timer = setInterval(() => request(), 30_000);
  timer.unref();
  function request(): void {
    if (!worker) return;
    if (running) again = true;
    else run();
  }
  return {
    request,
    idle: () => {
      const w = worker;
      if (!w || !(running || again)) return Promise.resolve();
      // Held open while someone waits: an unreferenced thread alone would let the process end.
      w.ref();
      return new Promise<void>((resolve) => waiters.push(resolve)).finally(() => w.unref());
    },
    close: () => {
      clearInterval(timer);
      const w = worker;
      worker = null;
      waiters.splice(0).forEach((resolve) => resolve());
      waiters = [];
      if (w) {
        w.removeAllListeners('exit');
        w.postMessage('close');
        // Waits (briefly) for the thread to close its connection: the app's own close must be the
        // last, so that it finishes the log and no file of the database is touched afterwards (a
        // folder removed right after close would otherwise race the thread).
        if (Atomics.wait(closed, 0, 0, 10_000) === 'timed-out') void w.terminate();
      }
    },
  };
}
