import type { z } from 'zod';
import {
  API_PREFIX,
  blobStatus,
  changesResponse,
  enrolResponse,
  errorBody,
  MAX_CHUNK_BYTES,
  recordsBatchResponse,
  type BlobStatus,
  type SyncRecord,
} from '../../shared/sync/protocol';

/**
 * Why a call to head office did not go through. `retryable` failures (network, timeout, 5xx,
 * 429, an answer that is not ours) leave everything queued for the next attempt; the others need
 * a person (a revoked device, a refused enrolment).
 */
export class HqError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null,
    /** Seconds head office asked us to wait (Retry-After). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'HqError';
  }
}

export interface HqClientOptions {
  baseUrl: string;
  token?: string | null;
  timeoutMs: number;
  signal?: AbortSignal;
}

function retryAfterSeconds(h: string | null): number | null {
  if (!h) return null;
  const n = Number(h);
  if (Number.isFinite(n)) return Math.max(0, Math.min(n, 3600));
  const at = Date.parse(h);
  return Number.isFinite(at) ? Math.max(0, Math.min((at - Date.now()) / 1000, 3600)) : null;
}

/** The body of POST /records/batch from records serialised one by one: `{"records":[…]}` as UTF-8. */
export function recordsBody(recordsJson: readonly string[]): Buffer<ArrayBuffer> {
  return Buffer.from(`{"records":[${recordsJson.join(',')}]}`, 'utf8');
}

/** A thin, strict client: every 2xx body is validated, so a captive portal's 200 never counts. */
export function createHqClient(o: HqClientOptions) {
  const base = o.baseUrl.replace(/\/+$/, '') + API_PREFIX;

  async function request<T extends z.ZodType>(path: string, init: RequestInit, schema: T, accept409?: z.ZodType): Promise<z.output<T>> {
    const signals = [AbortSignal.timeout(o.timeoutMs), ...(o.signal ? [o.signal] : [])];
    let res: Response;
    try {
      res = await fetch(base + path, {
        ...init,
        headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(init.headers as Record<string, string> | undefined) },
        signal: AbortSignal.any(signals),
        redirect: 'manual',
      });
    } catch (err) {
      if (o.signal?.aborted) throw new HqError('已取消', false, null);
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new HqError(timedOut ? `总公司服务器 ${o.timeoutMs / 1000} 秒内没有响应` : '无法连接总公司服务器（网络不通或服务器未启动）', true, null);
    }
    let body: unknown = null;
    const text = await res.text().catch(() => '');
    const isJson = (res.headers.get('content-type') ?? '').includes('application/json');
    if (isJson) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    if (res.ok) {
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        // A login page of a hotel or hospital Wi-Fi answers 200 with HTML: not delivered.
        throw new HqError('收到的应答不是总公司服务器的（可能需要先登录网络，如酒店/医院 Wi-Fi 认证页面）', true, res.status);
      }
      return parsed.data;
    }
    if (res.status === 409 && accept409) {
      const parsed = accept409.safeParse(body);
      if (parsed.success) return parsed.data as z.output<T>;
    }
    const err = errorBody.safeParse(body);
    const msg = err.success ? err.data.message : `总公司服务器返回错误（HTTP ${res.status}）`;
    const retryable = res.status >= 500 || res.status === 429 || res.status === 408 || !err.success;
    throw new HqError(msg, retryable, res.status, retryAfterSeconds(res.headers.get('retry-after')));
  }

  const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  return {
    enrol: (input: { branchCode: string; enrolmentCode: string; deviceName: string; installId: string }) => request('/enrol', json(input), enrolResponse),

    blobStatus: (sha256: string): Promise<BlobStatus> => request(`/blobs/${sha256}`, { method: 'GET' }, blobStatus),

    /** Sends what head office lacks of a blob, from where it stopped, a chunk at a time. */
    async uploadBlob(sha256: string, bytes: Buffer, onBytes?: (n: number) => void): Promise<void> {
      let status = await this.blobStatus(sha256);
      while (!status.complete) {
        const offset = status.received;
        const chunk = bytes.subarray(offset, offset + MAX_CHUNK_BYTES);
        // 409 carries the server's position: resume from there.
        status = await request(
          `/blobs/${sha256}?offset=${offset}&total=${bytes.length}`,
          { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(chunk) },
          blobStatus,
          blobStatus,
        );
        onBytes?.(chunk.length);
      }
    },

    sendRecords: (records: SyncRecord[]) => request('/records/batch', json({ records }), recordsBatchResponse),

    /**
     * The same, with the body already encoded by recordsBody (each record stringified once, also to
     * size the batch, and the next batch encoded while this one is in flight). The body goes as
     * bytes: given a 2 MB string, fetch re-checks every character for lone surrogates before
     * encoding it, which cost more than building the batch.
     */
    sendRecordsBody: (body: Buffer<ArrayBuffer>) => request('/records/batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body }, recordsBatchResponse),

    changes: (cursor: string, limit: number) => request(`/changes?cursor=${encodeURIComponent(cursor)}&limit=${limit}`, { method: 'GET' }, changesResponse),
  };
}
export type HqClient = ReturnType<typeof createHqClient>;
