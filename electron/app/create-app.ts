import path from 'node:path';
import { AppError } from '../../shared/api/envelope';
import type { AppStatus } from '../../shared/api/contract';
import { createAuthService } from '../auth/auth-service';
import { SessionStore } from '../auth/sessions';
import { createDispatcher, type Call, type Handlers } from '../api/dispatcher';
import { DATABASE_FILE_NAME, ensureWritableFolder, openDatabase, type Database } from '../db/database';
import { loadDemoBranch } from '../demo/demo-branch';
import { createSetupService } from '../setup/setup-service';
import { createTaskService } from '../tasks/task-service';
import { acquireDataLock } from './data-lock';
import { APP_VERSION } from './version';

export interface AppOptions {
  dataDir: string;
  transport: AppStatus['transport'];
  nativeBinding?: string;
  now?: () => Date;
  log?: (msg: string) => void;
}

export interface VisitDeskApp {
  call: Call;
  db: Database;
  dataDir: string;
  close: () => void;
}

/**
 * Opens the data folder (lock, database, migrations) and wires every service behind the contract.
 * Runs in plain Node: the Electron shell and the HTTP bridge are both thin callers of `call`.
 */
export function createApp(options: AppOptions): VisitDeskApp {
  const dataDir = path.resolve(options.dataDir);
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((msg: string) => console.error(msg));

  ensureWritableFolder(dataDir);
  const release = acquireDataLock(dataDir);
  let db: Database;
  try {
    db = openDatabase({ file: path.join(dataDir, DATABASE_FILE_NAME), ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  } catch (err) {
    release();
    throw err;
  }

  const sessions = new SessionStore();
  const setup = createSetupService(db, now);
  const auth = createAuthService(db, sessions);
  const tasks = createTaskService(db);

  const handlers: Handlers = {
    'app.status': () => {
      const branch = setup.branch();
      return { version: APP_VERSION, setupDone: branch !== null, branch, hqReachable: false, transport: options.transport };
    },
    'setup.init': async (input) => {
      await setup.init(input);
      return auth.signIn(input.adminUsername, input.adminPassword);
    },
    'auth.signIn': (input) => {
      if (!setup.branch()) throw new AppError('setup_required', '本机尚未完成初始设置');
      return auth.signIn(input.username, input.password);
    },
    'auth.signOut': (_input, ctx) => {
      sessions.delete(ctx.sessionToken);
      return null;
    },
    'auth.me': (_input, ctx) => {
      const s = ctx.session!;
      return { id: s.userId, username: s.username, displayName: s.displayName, role: s.role };
    },
    'demo.load': () => loadDemoBranch(db, now()),
    'tasks.summary': () => tasks.summary(),
    'tasks.list': (input) => tasks.list(input),
  };

  const call = createDispatcher(handlers, sessions, log);
  let closed = false;
  return {
    call,
    db,
    dataDir,
    close: () => {
      if (closed) return;
      closed = true;
      db.close();
      release();
    },
  };
}
