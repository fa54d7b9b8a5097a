import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { changesResponse, enrolResponse, recordsBatchResponse, type SyncRecord } from '../../shared/sync/protocol';
import { startHqServer, type HqServer } from '../hq/hq-server';
import { CAPTIVE_PORTAL_HTML, startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { tempDir } from '../support/temp';

/** A plain upstream that remembers what reached it, so each test can see what the proxy let through. */
interface Echo {
  url: string;
  seen: { method: string; path: string; body: string; headers: http.IncomingHttpHeaders }[];
  close: () => Promise<void>;
}

async function startEcho(): Promise<Echo> {
  const seen: Echo['seen'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', path: req.url ?? '', body, headers: req.headers });
      const text = JSON.stringify({ n: seen.length, method: req.method, path: req.url, body });
      res.writeHead(req.url === '/teapot' ? 418 : 200, { 'content-type': 'application/json', 'x-upstream': 'echo' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The network error fetch reports, reduced to its cause's code (ECONNREFUSED, UND_ERR_SOCKET …). */
async function failure(p: Promise<Response>): Promise<string> {
  try {
    const res = await p;
    return `answered ${res.status}`;
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; name?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return e.name;
    return e.cause?.code ?? e.cause?.name ?? e.message;
  }
}

let echo: Echo;
let proxy: FaultProxy;

beforeAll(async () => {
  echo = await startEcho();
  proxy = await startFaultProxy(echo.url);
});
afterAll(async () => {
  await proxy?.close();
  await echo?.close();
});
afterEach(async () => {
  await proxy.pass();
  proxy.resetCounters();
  echo.seen.length = 0;
});

describe('the fault proxy', () => {
  it('passes requests through untouched, body and headers included, and counts them', async () => {
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${proxy.url}/v1/records/batch?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body: '{"a":"回访"}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-upstream')).toBe('echo');
    expect(await res.json()).toMatchObject({ method: 'POST', path: '/v1/records/batch?x=1', body: '{"a":"回访"}' });
    expect(echo.seen[0]?.headers).toMatchObject({ authorization: 'Bearer t', 'content-type': 'application/json' });
    expect((await fetch(`${proxy.url}/teapot`)).status).toBe(418);
    expect(proxy.counters()).toMatchObject({ requests: 2, forwarded: 2 });
    expect(proxy.log().map((e) => [e.method, e.fault, e.outcome])).toEqual([
      ['POST', 'pass', 200],
      ['GET', 'pass', 418],
    ]);
  });

  it('refuse: the connection is reset at once and nothing reaches the server', async () => {
    await proxy.setMode({ kind: 'refuse' });
    expect(await failure(fetch(`${proxy.url}/v1/changes`))).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(echo.seen).toHaveLength(0);
    expect(proxy.counters().faulted.refuse).toBe(1);
    await proxy.pass();
    expect((await fetch(`${proxy.url}/v1/changes`)).status).toBe(200);
  });

  it('down: connections are refused, and the same port serves again afterwards', async () => {
    const port = proxy.port;
    await proxy.setMode({ kind: 'down' });
    // fetch may not yet have noticed that its pooled connection was cut, and find out by using it;
    // once that socket is gone, new connections are refused.
    expect(await failure(fetch(`${proxy.url}/v1/changes`))).toMatch(/ECONNREFUSED|UND_ERR_SOCKET|ECONNRESET/);
    expect(await failure(fetch(`${proxy.url}/v1/changes`))).toBe('ECONNREFUSED');
    await proxy.pass();
    expect(proxy.port).toBe(port);
    expect((await fetch(`${proxy.url}/v1/changes`)).status).toBe(200);

    // Scoped by time, it comes back by itself.
    await proxy.setMode({ kind: 'down' }, { forMs: 100 });
    expect(await failure(fetch(`${proxy.url}/v1/changes`))).toMatch(/ECONNREFUSED|UND_ERR_SOCKET|ECONNRESET/);
    await new Promise((r) => setTimeout(r, 200));
    expect((await fetch(`${proxy.url}/v1/changes`)).status).toBe(200);
    await expect(proxy.setMode({ kind: 'down' }, { requests: 1 })).rejects.toThrow(/forMs/);
  });

  it('delay before forwarding: a client timeout shorter than the delay gives up and the server never sees it', async () => {
    await proxy.setMode({ kind: 'delay', ms: 30_000 });
    const started = Date.now();
    expect(await failure(fetch(`${proxy.url}/v1/changes`, { signal: AbortSignal.timeout(200) }))).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 50));
    expect(echo.seen).toHaveLength(0);
    // A short delay is just slow.
    await proxy.setMode({ kind: 'delay', ms: 150 });
    const t0 = Date.now();
    expect((await fetch(`${proxy.url}/v1/changes`)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('delay before the response: the server applied the request though the client timed out', async () => {
    await proxy.setMode({ kind: 'delay', ms: 30_000, phase: 'before_response' });
    expect(await failure(fetch(`${proxy.url}/v1/records/batch`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(300) }))).toBe('TimeoutError');
    expect(echo.seen.map((s) => s.path)).toEqual(['/v1/records/batch']);
  });

  it('reset after forwarding: the server got the request, the client gets a reset instead of the answer', async () => {
    await proxy.setMode({ kind: 'reset_after_forward' }, { requests: 1 });
    expect(await failure(fetch(`${proxy.url}/v1/records/batch`, { method: 'POST', body: '{"k":1}' }))).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(echo.seen).toHaveLength(1);
    // Only one request was scoped: the retry gets through and answers.
    expect((await fetch(`${proxy.url}/v1/records/batch`, { method: 'POST', body: '{"k":1}' })).status).toBe(200);
    expect(echo.seen).toHaveLength(2);
    expect(proxy.mode()).toBe('pass');
  });

  it('unavailable: 503 with Retry-After for the next N requests, without forwarding', async () => {
    await proxy.setMode({ kind: 'unavailable' }, { requests: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${proxy.url}/v1/changes`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(await res.text()).toMatch(/503 Service Temporarily Unavailable/);
    }
    expect((await fetch(`${proxy.url}/v1/changes`)).status).toBe(200);
    expect(echo.seen).toHaveLength(1);
    expect(proxy.counters()).toMatchObject({ requests: 3, forwarded: 1 });
    expect(proxy.counters().faulted.unavailable).toBe(2);
  });

  it('unavailable for a time window, with a chosen status and body', async () => {
    await proxy.setMode({ kind: 'unavailable', status: 502, retryAfter: null, body: 'bad gateway', contentType: 'text/plain' }, { forMs: 150 });
    const during = await fetch(`${proxy.url}/v1/changes`);
    expect(during.status).toBe(502);
    expect(during.headers.get('retry-after')).toBeNull();
    await new Promise((r) => setTimeout(r, 200));
    expect((await fetch(`${proxy.url}/v1/changes`)).status).toBe(200);
  });

  it('captive portal: 200 with an HTML login page, which no protocol schema accepts', async () => {
    await proxy.setMode({ kind: 'captive_portal' });
    const res = await fetch(`${proxy.url}/v1/changes`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const text = await res.text();
    expect(text).toBe(CAPTIVE_PORTAL_HTML);
    expect(() => JSON.parse(text)).toThrow();
    expect(changesResponse.safeParse(text).success).toBe(false);
    // The redirecting kind: fetch follows it to the login page.
    await proxy.setMode({ kind: 'captive_portal', redirect: true });
    const redirected = await fetch(`${proxy.url}/v1/records/batch`, { method: 'POST', body: '{}' });
    expect(redirected.status).toBe(200);
    expect(redirected.redirected).toBe(true);
    expect(await redirected.text()).toMatch(/无线网络/);
    expect(echo.seen).toHaveLength(0);
  });

  it('duplicate: the server receives the request twice, the client one answer (the second)', async () => {
    await proxy.setMode({ kind: 'duplicate' });
    const res = await fetch(`${proxy.url}/v1/records/batch`, { method: 'POST', body: '{"r":1}' });
    expect(await res.json()).toMatchObject({ n: 2, body: '{"r":1}' });
    expect(echo.seen.map((s) => s.body)).toEqual(['{"r":1}', '{"r":1}']);
    expect(proxy.counters()).toMatchObject({ requests: 1, forwarded: 2 });
    await proxy.setMode({ kind: 'duplicate', concurrent: true });
    await fetch(`${proxy.url}/v1/records/batch`, { method: 'POST', body: '{"r":2}' });
    expect(echo.seen).toHaveLength(4);
  });

  it('applies a fault only to matching requests', async () => {
    await proxy.setMode({ kind: 'unavailable' }, { match: { method: 'POST', path: '/v1/records/batch' }, requests: 1 });
    expect((await fetch(`${proxy.url}/v1/changes`)).status).toBe(200);
    expect((await fetch(`${proxy.url}/v1/records/batch`, { method: 'POST', body: '{}' })).status).toBe(503);
    expect((await fetch(`${proxy.url}/v1/records/batch`, { method: 'POST', body: '{}' })).status).toBe(200);
    await proxy.setMode({ kind: 'refuse' }, { match: { path: /^\/v1\/blobs\// } });
    expect(await failure(fetch(`${proxy.url}/v1/blobs/abc`))).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect((await fetch(`${proxy.url}/v1/changes`)).status).toBe(200);
  });

  it('answers 502 when the server behind it is gone, and closes promptly with a long delay pending', async () => {
    const lonely = await startEcho();
    const p = await startFaultProxy(lonely.url);
    await lonely.close();
    const res = await fetch(`${p.url}/v1/changes`);
    expect(res.status).toBe(502);
    expect(p.log()[0]?.outcome).toBe('upstream_error');
    await p.setMode({ kind: 'delay', ms: 30_000 });
    const pending = failure(fetch(`${p.url}/v1/changes`));
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await p.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await pending).not.toMatch(/^answered 200/);
  });
});

describe('the fault proxy in front of the head-office server', () => {
  let hq: HqServer;
  let front: FaultProxy;
  let temp: { dir: string; cleanup: () => void };
  let token: string;
  let installId: string;
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
  const sha256 = (d: string | Buffer) => createHash('sha256').update(d).digest('hex');

  beforeAll(async () => {
    temp = tempDir('vd-hq-proxy-');
    hq = await startHqServer({ dataDir: temp.dir, seed: { branches: [{ code: 'PX01', name: '代理测试支公司' }], enrolmentCodes: [{ branchCode: 'PX01', code: 'PX-CODE-1' }] } });
    front = await startFaultProxy(hq.url);
    installId = randomUUID();
    const r = await fetch(`${front.url}/v1/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ branchCode: 'PX01', enrolmentCode: 'PX-CODE-1', deviceName: '电脑', installId }),
    });
    token = enrolResponse.parse(await r.json()).deviceToken;
  });
  afterAll(async () => {
    await front?.close();
    await hq?.close();
    temp?.cleanup();
  });

  const record = (recordNo: string): SyncRecord => ({
    key: `${installId}/${recordNo}/1`,
    recordNo,
    version: 1,
    previousKey: null,
    correctionReason: null,
    hqTaskId: null,
    kind: 'key_client',
    policyNo: null,
    customerName: '赵建国',
    templateId: 'key_client_visit',
    templateVersion: 1,
    visitorName: '王强',
    visitedAt: null,
    outcome: 'completed',
    categories: [],
    contentHash: sha256(recordNo),
    finalisedAt: '2025-03-05T09:00:00Z',
    sheet: {},
    answers: [],
    signatures: ['customer', 'staff'].map((role) => ({ role: role as 'customer' | 'staff', signerName: '某人', signedAt: '2025-03-05T09:00:00Z', pngBase64: PNG.toString('base64'), sha256: sha256(PNG) })),
    attachments: [],
  });
  const send = (records: SyncRecord[]) =>
    fetch(`${front.url}/v1/records/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ records }) });

  it('a lost answer leaves the record applied once; the retry is told duplicate', async () => {
    const r = record('PX-1');
    await front.setMode({ kind: 'reset_after_forward' }, { requests: 1 });
    expect(await failure(send([r]))).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(hq.admin.countRows(r.key)).toBe(1);
    const retry = recordsBatchResponse.parse(await (await send([r])).json());
    expect(retry.results).toEqual([{ key: r.key, status: 'duplicate' }]);
    expect(hq.admin.countRows(r.key)).toBe(1);
  });

  it('duplicate delivery, one after the other or at once, stores one row', async () => {
    const a = record('PX-2');
    await front.setMode({ kind: 'duplicate' });
    expect(recordsBatchResponse.parse(await (await send([a])).json()).results[0]?.status).toBe('duplicate');
    const b = record('PX-3');
    await front.setMode({ kind: 'duplicate', concurrent: true });
    expect(['accepted', 'duplicate']).toContain(recordsBatchResponse.parse(await (await send([b])).json()).results[0]?.status);
    expect(hq.admin.countRows(a.key)).toBe(1);
    expect(hq.admin.countRows(b.key)).toBe(1);
    expect(front.counters().forwarded).toBeGreaterThanOrEqual(4);
    await front.pass();
  });
});
