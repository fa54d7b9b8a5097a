import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { VerifyReport } from '../../shared/api/contract';
import type { VisitService } from '../visits/visit-service';
import type { AuditLog } from './audit-log';

const MAX_LISTED = 200;

/**
 * Re-reads every page of the database file. Each page is authenticated by the encryption (an
 * HMAC per page), so one changed byte anywhere in the file — in a table verify does not walk,
 * an index, free space in use — shows up here.
 */
function checkFile(db: Database): string | null {
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const bad = rows.map((r) => r.integrity_check).filter((m) => m !== 'ok');
    return bad.length ? `数据库文件校验未通过：${bad.slice(0, 3).join('；')}` : null;
  } catch (err) {
    return `数据库文件有页面校验失败，文件被改动或已损坏（${(err as { code?: string }).code ?? (err as Error).message}）。请联系管理员从备份恢复。`;
  }
}

/**
 * The administrator's check: walks the audit chain to its first broken link, then re-checks
 * every finalised record (content, signatures, countersign, attachments) against its hashes and
 * against the hash the chain recorded when it was finalised.
 */
export function verifyEverything(db: Database, audit: AuditLog, visits: Pick<VisitService, 'verifyAll'>, at: Date): VerifyReport {
  const fileProblem = checkFile(db);
  if (fileProblem) {
    // Pages that fail to authenticate cannot be read, so the walks below would stop at them.
    return { checkedAt: at.toISOString(), fileProblem, entries: 0, chainBreak: null, records: 0, recordProblems: [], ok: false };
  }
  const chain = audit.walk();
  const recordProblems: VerifyReport['recordProblems'] = [];
  const walk = visits.verifyAll(audit.finalisedHashes());
  let step = walk.next();
  while (!step.done) {
    if (recordProblems.length < MAX_LISTED) recordProblems.push(step.value);
    step = walk.next();
  }
  return {
    checkedAt: at.toISOString(),
    fileProblem: null,
    entries: chain.entries,
    chainBreak: chain.broken,
    records: step.value,
    recordProblems,
    ok: chain.broken === null && recordProblems.length === 0,
  };
}
