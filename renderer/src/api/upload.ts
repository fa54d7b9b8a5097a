import type { Envelope } from '../../../shared/api/envelope';
import { call } from './client';

/**
 * Chunked file upload through the contract (uploads.begin → uploads.chunk… → uploads.finish), the
 * same over Electron IPC and the HTTP bridge. The file is read a slice at a time, so a 100 MB list
 * never sits in memory whole. Used by the list import; the sync module will reuse it.
 */

/**
 * The contract caps one chunk's base64 at 6,000,000 characters, i.e. 4.5 MB of bytes; main's
 * suggested chunk size is honoured only up to a safe 4 MiB so a larger suggestion cannot break it.
 */
const MAX_CHUNK_BYTES = 4 * 1024 * 1024;

export interface UploadProgress {
  sent: number;
  total: number;
}

export interface UploadedFile {
  uploadId: string;
  size: number;
  sha256: string;
}

/** Base64 of a blob's bytes. FileReader rather than Buffer: the renderer has no Node. */
export function blobToBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      // A data URL is "data:<type>;base64,<payload>"; main wants the payload only.
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

export const UPLOAD_CANCELLED = '已取消上传，数据未做任何改动';

/**
 * Uploads one file. Never throws: a refusal from main (too large, empty) comes back as its
 * envelope; `signal` stops between chunks (main discards unfinished uploads by itself).
 */
export async function uploadFile(
  file: File,
  opts: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<Envelope<UploadedFile>> {
  const cancelled = { ok: false as const, error: { code: 'cancelled' as const, message: UPLOAD_CANCELLED } };
  const begin = await call('uploads.begin', { fileName: file.name, size: file.size });
  if (!begin.ok) return begin;
  const { uploadId } = begin.value;
  const chunkSize = Math.max(1, Math.min(begin.value.chunkSize, MAX_CHUNK_BYTES));
  let offset = 0;
  opts.onProgress?.({ sent: 0, total: file.size });
  while (offset < file.size) {
    if (opts.signal?.aborted) return cancelled;
    let dataBase64: string;
    try {
      dataBase64 = await blobToBase64(file.slice(offset, offset + chunkSize));
    } catch {
      return { ok: false, error: { code: 'internal', message: `无法读取文件「${file.name}」，请确认文件没有被其他程序占用` } };
    }
    const r = await call('uploads.chunk', { uploadId, offset, dataBase64 });
    if (!r.ok) return r;
    offset = r.value.received;
    opts.onProgress?.({ sent: offset, total: file.size });
  }
  if (opts.signal?.aborted) return cancelled;
  const done = await call('uploads.finish', { uploadId });
  if (!done.ok) return done;
  return { ok: true, value: { uploadId, size: done.value.size, sha256: done.value.sha256 } };
}
