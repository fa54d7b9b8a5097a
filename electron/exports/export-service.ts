import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/api/envelope';
import type { AuditLog } from '../audit/audit-log';
import type { JobContext, createJobRunner } from '../jobs/job-runner';

/** One kind of export: writes its workbook to `file` (a temporary path), reporting progress. */
export type ExportWriter<P> = (file: string, params: P, ctx: JobContext & { userId: number }) => Promise<{ rows: number }>;

export interface ExportResult {
  exportId: string;
  fileName: string;
  size: number;
  rows: number;
}

interface Done extends ExportResult {
  file: string;
  userId: number;
  at: number;
}

export const EXPORT_CHUNK_BYTES = 4 * 1024 * 1024;
const KEEP_MS = 30 * 60 * 1000;

/**
 * Exports run as jobs (progress, 取消) and are written to a temporary file that is renamed only
 * when complete, so a cancel, a crash or a full disk never leaves half a workbook behind. The
 * renderer then reads the finished file in chunks through the contract (browser mode has no
 * file system) and saves it where the user chooses. Every export is written to the audit log.
 */
export function createExportService(deps: { dataDir: string; jobs: ReturnType<typeof createJobRunner>; audit: AuditLog; username: (userId: number) => string | null }) {
  const dir = path.join(deps.dataDir, 'exports');
  fs.mkdirSync(dir, { recursive: true });
  // Finished exports hold customers' data: nothing survives a restart.
  for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { force: true, recursive: true });
  const done = new Map<string, Done>();

  function sweep(): void {
    for (const [id, d] of done) {
      if (Date.now() - d.at > KEEP_MS) {
        fs.rmSync(d.file, { force: true });
        done.delete(id);
      }
    }
  }

  return {
    start<P>(kind: string, fileName: string, params: P, userId: number, writer: ExportWriter<P>): string {
      sweep();
      return deps.jobs.start(`export.${kind}`, userId, async (ctx) => {
        const exportId = randomUUID();
        const final = path.join(dir, `${exportId}.xlsx`);
        const tmp = `${final}.part`;
        try {
          const { rows } = await writer(tmp, params, { ...ctx, userId });
          if (ctx.signal.aborted) throw new AppError('cancelled', '已取消导出，未生成文件');
          fs.renameSync(tmp, final);
          const size = fs.statSync(final).size;
          done.set(exportId, { exportId, fileName, size, rows, file: final, userId, at: Date.now() });
          deps.audit.append({ userId, username: deps.username(userId), action: 'export', detail: `${kind}; rows=${rows}` });
          return { exportId, fileName, size, rows } satisfies ExportResult;
        } catch (err) {
          // Best effort: the folder itself may be what is broken; the error below says so.
          try {
            fs.rmSync(tmp, { force: true });
          } catch {
            /* nothing was written there */
          }
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOSPC') throw new AppError('storage_error', '磁盘空间已满，导出未完成，未生成文件。请清理磁盘后重试。');
          if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') throw new AppError('storage_error', `导出文件夹 ${dir} 不可写，导出未完成。请检查磁盘与权限。`);
          throw err;
        }
      });
    },

    /** A chunk of a finished export, for the renderer to assemble and save. */
    read(exportId: string, offset: number, userId: number): { dataBase64: string; size: number; done: boolean } {
      const d = done.get(exportId);
      if (!d || d.userId !== userId) throw new AppError('not_found', '导出文件已过期，请重新导出');
      const fd = fs.openSync(d.file, 'r');
      try {
        const buf = Buffer.alloc(Math.min(EXPORT_CHUNK_BYTES, Math.max(0, d.size - offset)));
        fs.readSync(fd, buf, 0, buf.length, offset);
        return { dataBase64: buf.toString('base64'), size: d.size, done: offset + buf.length >= d.size };
      } finally {
        fs.closeSync(fd);
      }
    },

    /** Where a finished export is, for tests and the desktop's save dialog. */
    fileOf(exportId: string): string | null {
      return done.get(exportId)?.file ?? null;
    },
  };
}
export type ExportService = ReturnType<typeof createExportService>;
