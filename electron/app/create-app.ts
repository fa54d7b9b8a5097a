import path from 'node:path';
import { AppError } from '../../shared/api/envelope';
import type { AppStatus } from '../../shared/api/contract';
import { createAuditLog } from '../audit/audit-log';
import { createAccountService } from '../accounts/account-service';
import { createAuthService } from '../auth/auth-service';
import { assertCustomerInScope, assertNotOwnPolicyProblem, assertTaskInScope, assertVisitInScope, scopeOf } from '../auth/scope';
import { verifyEverything } from '../audit/verify';
import { revealCustomerField } from '../customers/reveal';
import { DEFAULT_IDLE_LOCK_MINUTES, SessionStore } from '../auth/sessions';
import { createDispatcher, type Call, type CallContext, type Handlers } from '../api/dispatcher';
import { resolveDatabaseKey, type KeyVault } from '../db/db-key';
import { startCheckpointer, type Checkpointer } from '../db/checkpointer';
import { DATABASE_FILE_NAME, ensureWritableFolder, keyPragmas, openDatabase, type Database } from '../db/database';
import { loadDemoBranch } from '../demo/demo-branch';
import { createSetupService } from '../setup/setup-service';
import { createTaskService } from '../tasks/task-service';
import type { Respondent } from '../../shared/outcome';
import { COUNTING_RULE_DESCRIPTION, RULES_IN_FORCE, computeDeadline } from '../../shared/rules';
import { createCalendarService } from '../calendar/calendar-service';
import { createExportService } from '../exports/export-service';
import { createListService } from '../lists/list-service';
import { checkSheetPeriod, sheetsFileName, writeRecordSheets } from '../lists/record-sheets';
import { createSealer } from '../files/sealed-file';
import { decodeBase64File } from '../files/file-kind';
import { createTemplateService } from '../questionnaire/template-service';
import { recomputeDeadlines } from '../tasks/deadlines';
import { createImportService } from '../import/import-service';
import { createJobRunner } from '../jobs/job-runner';
import { createTaskActions } from '../tasks/task-actions';
import { createUploadService } from '../uploads/upload-service';
import { createVisitService } from '../visits/visit-service';
import { createProblemService } from '../problems/problem-service';
import { createSyncService, type SyncService, type SyncStep } from '../sync/sync-service';
import { computeStats } from '../stats/stats-service';
import { writeStatsWorkbook } from '../stats/stats-workbook';
import { localIsoDate } from './clock';
import { acquireDataLock } from './data-lock';
import { APP_VERSION } from './version';

export interface AppOptions {
  dataDir: string;
  transport: AppStatus['transport'];
  nativeBinding?: string;
  now?: () => Date;
  log?: (msg: string) => void;
  /** Desktop only: the OS key store that wraps the database key (browser mode uses a key file). */
  keyVault?: KeyVault;
  env?: NodeJS.ProcessEnv;
  /** How often to sync in the background while enrolled (0 turns it off, as tests do). */
  autoSyncMs?: number;
  /** Per-request timeout towards head office. */
  syncTimeoutMs?: number;
  /** Test-only: crash injection at the dangerous steps of an upload. */
  syncFaultAt?: (step: SyncStep) => void;
  /** Desktop only: print the calling window to a PDF file the user picks; null if they cancel. */
  printToPdf?: (caller: unknown, suggestedName: string) => Promise<string | null>;
}

export interface VisitDeskApp {
  call: Call;
  sync: SyncService;
  db: Database;
  /** Copies the database's log back into its file on a second thread (see checkpointer.ts). */
  checkpoints: Checkpointer;
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
  let key: Buffer;
  try {
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    key = resolveDatabaseKey({ dataDir, databaseFile: file, ...(options.env ? { env: options.env } : {}), ...(options.keyVault ? { vault: options.keyVault } : {}) }).key;
    db = openDatabase({ file, key, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  } catch (err) {
    release();
    throw err;
  }
  const checkpoints = startCheckpointer(db, {
    file: path.join(dataDir, DATABASE_FILE_NAME),
    pragmas: keyPragmas(key),
    log,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });

  const idleLockMinutes = () => (db.prepare('SELECT idle_lock_minutes FROM branch WHERE id = 1').pluck().get() as number | undefined) ?? DEFAULT_IDLE_LOCK_MINUTES;
  const sessions = new SessionStore(() => now().getTime(), idleLockMinutes);
  const setup = createSetupService(db, now);
  const audit = createAuditLog(db, now);
  const auth = createAuthService(db, sessions, audit, now);
  const tasks = createTaskService(db);
  const calendar = createCalendarService(db);
  const templates = createTemplateService(db);
  const today = () => localIsoDate(now());
  const userId = (ctx: CallContext) => ctx.session?.userId ?? 0;
  const jobs = createJobRunner(log);
  const uploads = createUploadService(dataDir);
  // While an import commit holds its transaction open across yields, other calls wait their turn
  // (progress polls and cancels excepted), so no one else's write lands inside it.
  let held: Promise<unknown> | null = null;
  const exclusive = async <T>(work: () => Promise<T>): Promise<T> => {
    while (held) await held.catch(() => undefined);
    const p = work();
    held = p;
    try {
      return await p;
    } finally {
      held = null;
    }
  };
  const imports = createImportService({ db, uploads, jobs, calendar: () => calendar.current(), now, today, exclusive, afterBulkWrite: checkpoints.request });
  const actions = createTaskActions(db, tasks, now);
  const sealer = createSealer(key);
  const sync = createSyncService({
    db,
    dataDir,
    sealer,
    calendar: () => calendar.current(),
    now,
    today,
    log,
    ...(options.syncTimeoutMs ? { timeoutMs: options.syncTimeoutMs } : {}),
    ...(options.syncFaultAt ? { faultAt: options.syncFaultAt } : {}),
  });
  const visits = createVisitService({ db, dataDir, templates, uploads, sealer, calendar: () => calendar.current(), now, today, refreshTaskStatus: actions.refreshStatus });

  const exportsSvc = createExportService({
    dataDir,
    jobs,
    audit,
    username: (id) => (db.prepare('SELECT username FROM users WHERE id = ?').pluck().get(id) as string | undefined) ?? null,
  });
  const lists = createListService({
    db,
    openReader: () => openDatabase({ file: path.join(dataDir, DATABASE_FILE_NAME), key, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) }),
    calendar: () => calendar.current(),
    now,
  });
  const scope = (ctx: CallContext) => scopeOf(db, ctx.session!);
  /** Sales reps work only on their own clients' visits; true so it chains before the service call. */
  const inVisit = (ctx: CallContext, visitId: number): true => {
    assertVisitInScope(db, scope(ctx), visitId);
    return true;
  };
  const by = (ctx: CallContext) => ({ userId: userId(ctx), username: ctx.session!.username });
  const accounts = createAccountService(db, sessions, audit, now);
  const problems = createProblemService({ db, audit, calendar: () => calendar.current(), now, today, refreshTaskStatus: actions.refreshStatus });
  const actor = (ctx: CallContext) => ({ userId: userId(ctx), username: ctx.session!.username, role: ctx.session!.role });
  // Cases that went past their deadline while the app was closed are escalated at start.
  problems.escalate();

  const handlers: Handlers = {
    'app.status': () => {
      const branch = setup.branch();
      const calendarWarnings = calendar
        .missingYears(today())
        .map((y) => `${y} 年节假日安排尚未载入：涉及该年的期限按普通周末计算，可能不准。请管理员在「设置 → 规则与日历」载入。`);
      return { version: APP_VERSION, setupDone: branch !== null, branch, hqReachable: sync.reachable(), transport: options.transport, calendarWarnings, idleLockMinutes: idleLockMinutes() };
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
    'auth.unlock': async ({ password }, ctx) => {
      const s = ctx.session!;
      await auth.confirmPassword(s.userId, password);
      sessions.unlock(s);
      return { id: s.userId, username: s.username, displayName: s.displayName, role: s.role };
    },
    'settings.setIdleLock': ({ minutes }) => {
      db.prepare('UPDATE branch SET idle_lock_minutes = ? WHERE id = 1').run(minutes);
      return { idleLockMinutes: minutes };
    },
    'auth.me': (_input, ctx) => {
      const s = ctx.session!;
      return { id: s.userId, username: s.username, displayName: s.displayName, role: s.role };
    },
    'demo.load': () => loadDemoBranch(db, now(), calendar.current()),
    'tasks.summary': (_input, ctx) => tasks.summary(scope(ctx)),
    'tasks.list': (input, ctx) => tasks.list(input, today(), scope(ctx)),
    'calendar.years': () => ({ years: calendar.years(), missing: calendar.missingYears(today()) }),
    'calendar.import': (input, ctx) => {
      const loaded = calendar.importFile(input.fileName, decodeBase64File(input.contentBase64, input.fileName, 10 * 1024 * 1024), userId(ctx), now(), (next) =>
        recomputeDeadlines(db, next, today(), now()),
      );
      audit.append({ ...by(ctx), action: 'calendar_loaded' });
      return loaded;
    },
    'rules.list': () => ({ counting: COUNTING_RULE_DESCRIPTION, rules: RULES_IN_FORCE }),
    'rules.try': ({ facts }) => {
      const r = computeDeadline(facts, calendar.current());
      if (!r.ok) throw new AppError('invalid_input', r.issues.map((i) => i.message).join('；'), r.issues);
      return r.value;
    },
    'questionnaire.list': () => ({ templates: templates.list() }),
    'questionnaire.get': ({ id, version }) => templates.get(id, version),
    'questionnaire.import': (input, ctx) => {
      const bytes = decodeBase64File(input.contentBase64, input.fileName, 1024 * 1024);
      const t = templates.import(input.fileName, bytes.toString('utf8'), userId(ctx), now());
      audit.append({ ...by(ctx), action: 'template_imported', detail: `${t.id} v${t.version}` });
      const summary = templates.list().find((s) => s.id === t.id && s.version === t.version);
      if (!summary) throw new AppError('internal', '问卷已保存但无法读取');
      return summary;
    },

    'jobs.get': ({ jobId }, ctx) => jobs.get(jobId, userId(ctx)),
    'jobs.cancel': ({ jobId }, ctx) => jobs.cancel(jobId, userId(ctx)),
    'uploads.begin': ({ fileName, size }, ctx) => uploads.begin(fileName, size, userId(ctx)),
    'uploads.chunk': ({ uploadId, offset, dataBase64 }, ctx) => uploads.chunk(uploadId, offset, Buffer.from(dataBase64, 'base64'), userId(ctx)),
    'uploads.finish': async ({ uploadId }, ctx) => {
      const u = await uploads.finish(uploadId, userId(ctx));
      return { size: u.size, sha256: u.sha256 };
    },
    'import.probe': ({ uploadId }, ctx) => imports.probe(uploadId, userId(ctx)),
    'import.preview': ({ uploadId, mapping, defaultKind }, ctx) => ({ jobId: imports.preview(uploadId, mapping, defaultKind, userId(ctx)) }),
    'import.previewResult': ({ jobId }, ctx) => imports.previewResult(jobId, userId(ctx)),
    'import.commit': ({ previewJobId }, ctx) => ({ jobId: imports.commit(previewJobId, userId(ctx)) }),
    'import.commitResult': ({ jobId }, ctx) => imports.commitResult(jobId, userId(ctx)),
    'import.batches': () => ({ batches: tasks.batches() }),
    'tasks.get': ({ id }, ctx) => {
      assertTaskInScope(db, scope(ctx), id);
      return actions.detail(id);
    },
    'tasks.assign': ({ taskIds, assigneeId }, ctx) => {
      if (assigneeId) for (const id of taskIds) assertNotOwnPolicyProblem(db, id, assigneeId);
      return { updated: actions.assign(taskIds, assigneeId, userId(ctx)) };
    },
    'tasks.correctPhone': ({ taskId, newPhone, reason }, ctx) => {
      assertTaskInScope(db, scope(ctx), taskId);
      return actions.correctPhone(taskId, newPhone, reason, userId(ctx));
    },
    'tasks.recordUnable': ({ taskId, reason }, ctx) => {
      assertTaskInScope(db, scope(ctx), taskId);
      return actions.recordUnable(taskId, reason, userId(ctx));
    },
    'users.list': () => ({ users: tasks.users() }),
    'accounts.list': () => ({ accounts: accounts.list() }),
    'accounts.create': (input, ctx) => accounts.create(input, by(ctx)),
    'accounts.update': (input, ctx) => accounts.update(input, by(ctx)),
    'accounts.resetPassword': ({ id, password }, ctx) => accounts.resetPassword(id, password, by(ctx)),
    'auth.changePassword': async ({ current, next }, ctx) => {
      await auth.changePassword(userId(ctx), current, next);
      return null;
    },
    'audit.list': (input) => audit.list(input),
    'audit.verify': (_input, ctx) => {
      const report = verifyEverything(db, audit, visits, now());
      try {
        audit.append({ ...by(ctx), action: 'audit_verified', detail: report.ok ? 'ok' : 'problems' });
      } catch (err) {
        // A damaged file may refuse the write too; the report saying so matters more than its log line.
        if (!report.fileProblem) throw err;
      }
      return report;
    },
    'audit.notePrint': ({ visitId }, ctx) => {
      inVisit(ctx, visitId);
      audit.append({ ...by(ctx), action: 'record_printed', objectType: 'visit', objectId: visitId });
      return null;
    },
    'appointments.create': (input, ctx) => {
      assertTaskInScope(db, scope(ctx), input.taskId);
      return actions.book(input, userId(ctx));
    },
    'appointments.cancel': ({ id, reason }, ctx) => actions.cancelAppointment(id, reason, userId(ctx)),
    'appointments.week': ({ weekStart }, ctx) => ({ appointments: actions.week(weekStart, userId(ctx)) }),
    'attempts.log': (input, ctx) => {
      assertTaskInScope(db, scope(ctx), input.taskId);
      return actions.logAttempt(input, userId(ctx));
    },
    'customers.search': ({ q }, ctx) => ({ customers: tasks.searchCustomers(q, scope(ctx)) }),
    'customers.reveal': (input, ctx) => revealCustomerField(db, audit, scope(ctx), { username: ctx.session!.username }, input),
    'visits.start': (input, ctx) => {
      if (input.taskId !== undefined) {
        assertTaskInScope(db, scope(ctx), input.taskId);
        assertNotOwnPolicyProblem(db, input.taskId, userId(ctx));
      }
      if (input.customerId !== undefined) assertCustomerInScope(db, scope(ctx), input.customerId);
      return visits.start(input, userId(ctx));
    },
    'visits.get': ({ id }, ctx) => {
      assertVisitInScope(db, scope(ctx), id);
      return visits.view(id);
    },
    'visits.list': (input, ctx) => visits.list(input, scope(ctx)),
    'visits.setup': ({ visitId, respondent, placeKind, visitedAt }, ctx) => inVisit(ctx, visitId) && visits.setup(visitId, respondent as Respondent, placeKind, visitedAt),
    'visits.answer': (input, ctx) => inVisit(ctx, input.visitId) && visits.answer(input),
    'visits.saveSheet': ({ visitId, sheet }, ctx) => inVisit(ctx, visitId) && visits.saveSheet(visitId, sheet),
    'visits.sign': ({ visitId, role, ...sig }, ctx) => inVisit(ctx, visitId) && visits.sign(visitId, role, sig),
    'visits.clearSignature': ({ visitId, role }, ctx) => inVisit(ctx, visitId) && visits.clearSignature(visitId, role),
    'visits.finalise': ({ visitId }, ctx) => {
      inVisit(ctx, visitId);
      // The record and its chain entry commit together: a crash leaves both or neither.
      return db.transaction(() => {
        const v = visits.finalise(visitId);
        audit.append({ ...by(ctx), action: 'visit_finalised', objectType: 'visit', objectId: v.id, detail: v.contentHash });
        // The transactional outbox: queued for head office in the same transaction that finalises.
        sync.enqueue(v.id);
        return v;
      })();
    },
    'visits.correct': ({ visitId, reason }, ctx) => {
      inVisit(ctx, visitId);
      return db.transaction(() => {
        const v = visits.correct(visitId, reason, userId(ctx));
        audit.append({ ...by(ctx), action: 'visit_corrected', objectType: 'visit', objectId: v.id, detail: `previous=${visitId}` });
        return v;
      })();
    },
    'visits.attach': ({ visitId, uploadId, kind }, ctx) => inVisit(ctx, visitId) && visits.attach(visitId, uploadId, kind, userId(ctx)),
    'visits.attachment': ({ id }, ctx) => {
      const visitId = db.prepare('SELECT visit_id FROM visit_attachments WHERE id = ?').pluck().get(id) as number | undefined;
      if (visitId !== undefined) inVisit(ctx, visitId);
      return visits.attachment(id);
    },
    'countersign.queue': (q) => visits.countersignQueue(q),
    'countersign.sign': async ({ visitIds, password, ...sig }, ctx) => {
      // Countersigning is done with the manager's own credential, typed again, not just a session.
      await auth.confirmPassword(userId(ctx), password);
      const n = db.transaction(() => {
        const signed = visits.countersign(visitIds, userId(ctx), sig);
        for (const id of visitIds) audit.append({ ...by(ctx), action: 'visit_countersigned', objectType: 'visit', objectId: id });
        return signed;
      })();
      return { countersigned: n };
    },
    'countersign.return': ({ visitId, reason }, ctx) => {
      return db.transaction(() => {
        const v = visits.returnVisit(visitId, userId(ctx), reason);
        audit.append({ ...by(ctx), action: 'visit_returned', objectType: 'visit', objectId: visitId });
        return v;
      })();
    },
    'exports.result': ({ jobId }, ctx) => jobs.result(jobId, userId(ctx)),
    'exports.read': ({ exportId, offset }, ctx) => exportsSvc.read(exportId, offset, userId(ctx)),
    // 清单: on screen a page at a time; exports stream from a read connection of their own.
    'lists.get': (input) => lists.page(input),
    'lists.export': (input, ctx) => ({ jobId: exportsSvc.start(`list.${input.list}`, lists.fileName(input.list), input, userId(ctx), (file, p, jc) => lists.exportList(file, p, jc)) }),
    'visits.exportSheets': ({ from, to }, ctx) => {
      checkSheetPeriod(from, to);
      return { jobId: exportsSvc.start('record_sheets', sheetsFileName(from, to), { from, to }, userId(ctx), (file, p, jc) => writeRecordSheets(db, file, p, jc)) };
    },
    // 统计报表: computed at once (a bad or empty period is refused before any job starts), then written.
    'stats.compute': (input) => computeStats(db, input, today(), calendar.current()),
    'stats.export': (input, ctx) => {
      const result = computeStats(db, input, today(), calendar.current());
      return { jobId: exportsSvc.start('stats', `回访统计报表_${input.from}_${input.to}.xlsx`, result, userId(ctx), (file, r) => writeStatsWorkbook(file, r)) };
    },
    'sync.status': () => sync.status(),
    'sync.enrol': async (input) => {
      await sync.enrol(input);
      return sync.status();
    },
    'sync.run': () => {
      sync.start('manual');
      return sync.status();
    },
    'sync.cancel': () => {
      sync.cancel();
      return sync.status();
    },
    'sync.requeue': ({ outboxId }) => {
      sync.requeue(outboxId);
      return sync.status();
    },
    'problems.list': (input, ctx) => problems.list(input, scope(ctx)),
    'problems.summary': (_input, ctx) => problems.summary(scope(ctx)),
    'problems.get': ({ id }, ctx) => problems.get(id, scope(ctx)),
    'problems.open': (input, ctx) => {
      if (input.taskId !== undefined) assertTaskInScope(db, scope(ctx), input.taskId);
      if (input.customerId !== undefined) assertCustomerInScope(db, scope(ctx), input.customerId);
      return problems.open(input, actor(ctx));
    },
    'problems.assign': ({ caseId, handlerId }, ctx) => problems.assign(caseId, handlerId, actor(ctx)),
    'problems.explain': (input, ctx) => problems.explain(input, actor(ctx)),
    'problems.linkSecondVisit': ({ caseId, visitId }, ctx) => problems.linkSecondVisit(caseId, visitId, actor(ctx)),
    'problems.close': (input, ctx) => problems.close(input, actor(ctx)),
    'problems.reopen': ({ caseId, reason }, ctx) => problems.reopen(caseId, reason, actor(ctx)),
    'print.savePdf': async ({ suggestedName }, ctx) => {
      if (!options.printToPdf) {
        throw new AppError('conflict', '浏览器模式下请使用浏览器的“打印”功能，目标打印机选择“另存为 PDF”');
      }
      const saved = await options.printToPdf(ctx.caller, suggestedName);
      // The file name is not logged: it usually carries the customer's name.
      if (saved) audit.append({ ...by(ctx), action: 'export', detail: 'pdf' });
      return { saved: saved !== null, path: saved };
    },
  };

  const dispatch = createDispatcher(handlers, sessions, log);
  const PASS_THROUGH = new Set(['jobs.get', 'jobs.cancel']);
  const call: Call = async (method, input, meta) => {
    while (held && !(typeof method === 'string' && PASS_THROUGH.has(method))) await held.catch(() => undefined);
    return dispatch(method, input, meta);
  };
  const autoSyncMs = options.autoSyncMs ?? 60_000;
  const timer = autoSyncMs > 0 ? setInterval(() => sync.start('auto'), autoSyncMs) : null;
  timer?.unref();
  let closed = false;
  return {
    call,
    sync,
    db,
    checkpoints,
    dataDir,
    close: () => {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      sync.cancel();
      checkpoints.close();
      db.close();
      release();
    },
  };
}
