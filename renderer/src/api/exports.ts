import type { JobView } from '../../../shared/api/contract';
import type { ApiError, Envelope } from '../../../shared/api/envelope';
import { call } from './client';
import { runJob } from './jobs';

export type ExportOutcome = { state: 'done'; fileName: string; rows: number } | { state: 'cancelled'; message: string } | { state: 'failed'; error: ApiError };

/**
 * Runs an export job (started by a domain's `…export` method), follows its progress, reads the
 * finished workbook from main in chunks and hands it to the browser as a download. Main writes it
 * to a temporary file first, so a cancel leaves nothing behind.
 */
export async function exportAndDownload(
  start: () => Promise<Envelope<{ jobId: string }>>,
  opts: { onStart?: (jobId: string) => void; onProgress?: (job: JobView) => void; signal?: AbortSignal } = {},
): Promise<ExportOutcome> {
  const r = await runJob(start, (jobId) => call('exports.result', { jobId }), opts);
  if (r.state !== 'done') return r.state === 'cancelled' ? { state: 'cancelled', message: r.message } : { state: 'failed', error: r.error };
  const parts: BlobPart[] = [];
  let offset = 0;
  for (;;) {
    const chunk = await call('exports.read', { exportId: r.value.exportId, offset });
    if (!chunk.ok) return { state: 'failed', error: chunk.error };
    const bytes = Uint8Array.from(atob(chunk.value.dataBase64), (c) => c.charCodeAt(0));
    parts.push(bytes);
    offset += bytes.length;
    if (chunk.value.done) break;
  }
  const url = URL.createObjectURL(new Blob(parts, { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = r.value.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { state: 'done', fileName: r.value.fileName, rows: r.value.rows };
}
