import type { JobView } from '../../../shared/api/contract';
import type { ApiError, Envelope } from '../../../shared/api/envelope';
import { call } from './client';

/**
 * Long work in main (import preview and commit, later sync) runs as a job: the call returns a job
 * id at once and the renderer polls `jobs.get` for progress. Used by the list import; the sync
 * module will reuse it.
 */

export const JOB_POLL_MS = 300;

export type JobOutcome<T> =
  | { state: 'done'; jobId: string; value: T }
  /** Cancelled by the user; main has changed nothing (its message says so). */
  | { state: 'cancelled'; jobId: string | null; message: string }
  | { state: 'failed'; jobId: string | null; error: ApiError };

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Polls a job until it is no longer running. `signal` stops the polling (not the job). */
export async function waitForJob(
  jobId: string,
  opts: { onProgress?: (job: JobView) => void; signal?: AbortSignal; intervalMs?: number } = {},
): Promise<Envelope<JobView>> {
  for (;;) {
    const r = await call('jobs.get', { jobId });
    if (!r.ok) return r;
    opts.onProgress?.(r.value);
    if (r.value.state !== 'running' || opts.signal?.aborted) return r;
    await sleep(opts.intervalMs ?? JOB_POLL_MS, opts.signal);
  }
}

/** Asks main to stop a job; it stops between chunks and rolls back, so nothing is half-written. */
export function cancelJob(jobId: string): Promise<Envelope<JobView>> {
  return call('jobs.cancel', { jobId });
}

/** Percentage for a progress bar; 0 while the total is not known yet. */
export function jobPercent(job: Pick<JobView, 'done' | 'total' | 'state'> | null): number {
  if (!job) return 0;
  if (job.state === 'done') return 100;
  return job.total > 0 ? Math.min(100, Math.floor((job.done / job.total) * 100)) : 0;
}

/**
 * Starts a job, follows it to the end and fetches its result. `onStart` hands out the id at once
 * so the caller can offer 取消.
 */
export async function runJob<T>(
  start: () => Promise<Envelope<{ jobId: string }>>,
  result: (jobId: string) => Promise<Envelope<T>>,
  opts: { onStart?: (jobId: string) => void; onProgress?: (job: JobView) => void; signal?: AbortSignal } = {},
): Promise<JobOutcome<T>> {
  const started = await start();
  if (!started.ok) return { state: 'failed', jobId: null, error: started.error };
  const { jobId } = started.value;
  opts.onStart?.(jobId);
  const end = await waitForJob(jobId, opts);
  if (!end.ok) return { state: 'failed', jobId, error: end.error };
  const job = end.value;
  if (job.state === 'cancelled') return { state: 'cancelled', jobId, message: job.error?.message ?? '已取消，数据未做任何改动' };
  if (job.state === 'failed') return { state: 'failed', jobId, error: job.error ?? { code: 'internal', message: '后台任务出错' } };
  if (job.state === 'running') return { state: 'cancelled', jobId, message: '已停止等待' };
  const r = await result(jobId);
  return r.ok ? { state: 'done', jobId, value: r.value } : { state: 'failed', jobId, error: r.error };
}
