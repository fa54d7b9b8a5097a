import type { VerifyReport } from '../../shared/api/contract';
import type { VisitService } from '../visits/visit-service';
import type { AuditLog } from './audit-log';

const MAX_LISTED = 200;

/**
 * The administrator's check: walks the audit chain to its first broken link, then re-checks
 * every finalised record (content, signatures, countersign, attachments) against its hashes and
 * against the hash the chain recorded when it was finalised.
 */
export function verifyEverything(audit: AuditLog, visits: Pick<VisitService, 'verifyAll'>, at: Date): VerifyReport {
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
    entries: chain.entries,
    chainBreak: chain.broken,
    records: step.value,
    recordProblems,
    ok: chain.broken === null && recordProblems.length === 0,
  };
}
