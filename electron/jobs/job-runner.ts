import { randomUUID } from 'node:crypto';
import { AppError, type ApiError } from '../../shared/api/envelope';
import type { JobView } from '../../shared/api/contract';
import { storageFailureMessage } from '../db/storage-error';

export interface JobContext {
  signal: AbortSignal;
  progress: (done: number, total: number, phase: string) => void;
}

interface Job {
  view: JobView;
  userId: number;
  controller: AbortController;
  result: unknown;
  finishedAt: number | null;
}

const KEEP_FINISHED_MS = 30 * 60 * 1000;

/**
 * Long work (imports, exports, sync) runs as a job: the call returns at once with a job id, the
 * renderer polls `jobs.get` for progress and may `jobs.cancel`. Work checks its signal between
 * chunks and keeps every write in one transaction, so a cancel never leaves half a result.
 */
export function createJobRunner(log: (msg: string) => void) {
  const jobs = new Map<string, Job>();

  function sweep(): void {
    const now = Date.now();
    for (const [id, j] of jobs) if (j.finishedAt !== null && now - j.finishedAt > KEEP_FINISHED_MS) jobs.delete(id);
  }

  function own(id: string, userId: number): Job {
    const job = jobs.get(id);
    if (!job || job.userId !== userId) throw new AppError('not_found', '找不到该后台任务（可能已过期），请重新操作');
    return job;
  }

  return {
    start<T>(kind: string, userId: number, work: (ctx: JobContext) => Promise<T>): string {
      sweep();
      const id = randomUUID();
      const controller = new AbortController();
      const job: Job = {
        view: { id, kind, state: 'running', done: 0, total: 0, phase: '准备中', error: null },
        userId,
        controller,
        result: undefined,
        finishedAt: null,
      };
      jobs.set(id, job);
      const ctx: JobContext = {
        signal: controller.signal,
        progress: (done, total, phase) => Object.assign(job.view, { done, total, phase }),
      };
      // Started on the next turn so the caller gets the id before any synchronous work begins.
      setImmediate(() => {
        work(ctx)
          .then((result) => {
            job.result = result;
            job.view.state = controller.signal.aborted ? 'cancelled' : 'done';
          })
          .catch((err: unknown) => {
            const storage = storageFailureMessage(err);
            if (controller.signal.aborted || (err instanceof AppError && err.code === 'cancelled')) {
              job.view.state = 'cancelled';
              job.view.error = { code: 'cancelled', message: '已取消，数据未做任何改动' };
            } else if (err instanceof AppError) {
              job.view.state = 'failed';
              job.view.error = { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) } satisfies ApiError;
            } else if (storage !== null) {
              // A full or failing disk is the user's to fix, and says so, as it does for a call.
              job.view.state = 'failed';
              job.view.error = { code: 'storage_error', message: storage };
            } else {
              log(`[job ${kind}] failed: ${(err as Error)?.name ?? 'unknown'}`);
              job.view.state = 'failed';
              job.view.error = { code: 'internal', message: '后台任务出错，数据未做任何改动。请重试；如仍失败请联系管理员。' };
            }
          })
          .finally(() => {
            job.finishedAt = Date.now();
          });
      });
      return id;
    },

    get(id: string, userId: number): JobView {
      return { ...own(id, userId).view };
    },

    result<T>(id: string, userId: number): T {
      const job = own(id, userId);
      if (job.view.state !== 'done') throw new AppError('conflict', '后台任务尚未完成');
      return job.result as T;
    },

    cancel(id: string, userId: number): JobView {
      const job = own(id, userId);
      if (job.view.state === 'running') job.controller.abort();
      return { ...job.view };
    },
  };
}
export type JobRunner = ReturnType<typeof createJobRunner>;

/** Throws the standard cancellation error when the job was cancelled; call between chunks. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('cancelled', '已取消，数据未做任何改动');
}
