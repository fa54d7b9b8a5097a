import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../electron/bridge/http-bridge';
import { startTestApp, type TestApp } from '../support/app';
import { tempDir } from '../support/temp';

let app: TestApp;
let bridge: Bridge;
let staticDir: { dir: string; cleanup: () => void };

beforeAll(async () => {
  app = startTestApp();
  staticDir = tempDir('vd-static-');
  fs.writeFileSync(path.join(staticDir.dir, 'index.html'), '<!doctype html><title>回访台</title>');
  bridge = await startBridge({ call: app.call, staticDir: staticDir.dir, port: 0 });
});
afterAll(async () => {
  await bridge.close();
  app.cleanup();
  staticDir.cleanup();
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function send(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string; host?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: opts.host ?? '127.0.0.1', port: bridge.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** The status code of a request written byte for byte on a socket. */
function rawStatus(request: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let head = '';
    const socket = net.connect(bridge.port, '127.0.0.1', () => socket.end(request));
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (head += c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0)));
  });
}

const json = { 'Content-Type': 'application/json' };
const auth = () => ({ ...json, Authorization: `Bearer ${bridge.token}` });
const api = (method: string, body: unknown, headers: Record<string, string> = auth()) =>
  send({ method: 'POST', path: `/api/${method}`, headers, body: JSON.stringify(body) });

describe('the loopback HTTP bridge', () => {
  it('binds to 127.0.0.1 only', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });

  it('is not reachable on the machine\'s other addresses', async () => {
    const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // a machine with only loopback has nothing else to refuse on
    await expect(send({ path: '/', host: external.address })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('refuses requests without the token or with a wrong one', async () => {
    const none = await api('app.status', {}, json);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const wrong = await api('app.status', {}, { ...json, Authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    const page = await send({ path: '/' });
    expect(page.status).toBe(401);
    expect(page.body).toContain('访问令牌');
    const wrongQuery = await send({ path: '/?token=guess' });
    expect(wrongQuery.status).toBe(401);
  });

  it('answers with the token, and moves a token from the URL into a strict cookie', async () => {
    const ok = await api('app.status', {});
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { transport: 'browser' } });

    const redirect = await send({ path: `/?token=${bridge.token}` });
    expect(redirect.status).toBe(302);
    const cookie = String(redirect.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await api('app.status', {}, { ...json, Cookie: cookie.split(';')[0] ?? '' });
    expect(withCookie.status).toBe(200);
    const page = await send({ path: '/', headers: { Cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses non-loopback Host headers (DNS rebinding) and foreign Origins', async () => {
    const rebind = await send({ method: 'POST', path: '/api/app.status', headers: { ...auth(), Host: `evil.example:${bridge.port}` }, body: '{}' });
    expect(rebind.status).toBe(403);
    const origin = await api('app.status', {}, { ...auth(), Origin: 'http://evil.example' });
    expect(origin.status).toBe(403);
    const otherPort = await api('app.status', {}, { ...auth(), Origin: 'http://127.0.0.1:1' });
    expect(otherPort.status).toBe(403);
    const crossSite = await api('app.status', {}, { ...auth(), 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const sameOrigin = await api('app.status', {}, { ...auth(), Origin: `http://127.0.0.1:${bridge.port}` });
    expect(sameOrigin.status).toBe(200);
  });

  it('refuses cross-site form posts (not JSON)', async () => {
    const form = await send({
      method: 'POST',
      path: '/api/setup.init',
      headers: { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'branchName=x',
    });
    expect(form.status).toBe(415);
    expect(JSON.parse(form.body).error.code).toBe('invalid_input');
  });

  it('refuses a wrong token of the right length, by header and by cookie', async () => {
    const flipped = [...bridge.token].map((c, i) => (i === bridge.token.length - 1 ? (c === 'A' ? 'B' : 'A') : c)).join('');
    expect(flipped).toHaveLength(bridge.token.length);
    expect(flipped).not.toBe(bridge.token);
    expect((await api('app.status', {}, { ...json, Authorization: `Bearer ${flipped}` })).status).toBe(401);
    expect((await api('app.status', {}, { ...json, Cookie: `vd_token_${bridge.port}=${flipped}` })).status).toBe(401);
    // A cookie for another port's bridge (cookies are not isolated by port) does not count here.
    expect((await api('app.status', {}, { ...json, Cookie: `vd_token_1=${bridge.token}` })).status).toBe(401);
    expect((await send({ path: `/?token=${flipped}` })).status).toBe(401);
  });

  it('never takes the token from the query string of an API call', async () => {
    const post = await send({ method: 'POST', path: `/api/app.status?token=${bridge.token}`, headers: json, body: '{}' });
    expect(post.status).toBe(401);
    expect(post.headers['set-cookie']).toBeUndefined();
    // Nor from a GET to an API address: that would hand out the cookie from a link to an API call.
    const get = await send({ path: `/api/app.status?token=${bridge.token}` });
    expect(get.status).toBe(401);
    expect(get.headers['set-cookie']).toBeUndefined();
  });

  it('refuses requests the browser marks cross-site, even with a valid cookie', async () => {
    const cookie = { Cookie: `vd_token_${bridge.port}=${bridge.token}` };
    const apiCall = await api('app.status', {}, { ...json, ...cookie, 'Sec-Fetch-Site': 'cross-site' });
    expect(apiCall.status).toBe(403);
    expect(JSON.parse(apiCall.body).error.code).toBe('forbidden');
    const page = await send({ path: '/', headers: { ...cookie, 'Sec-Fetch-Site': 'cross-site' } });
    expect(page.status).toBe(403);
    const tokenLink = await send({ path: `/?token=${bridge.token}`, headers: { 'Sec-Fetch-Site': 'cross-site' } });
    expect(tokenLink.status).toBe(403);
    expect(tokenLink.headers['set-cookie']).toBeUndefined();
    expect((await api('app.status', {}, { ...json, ...cookie, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
  });

  it('refuses every body a cross-site form can send, even carrying valid JSON, and runs nothing', async () => {
    const cookie = `vd_token_${bridge.port}=${bridge.token}`;
    // The classic trick: a text/plain form whose field name and value spell out a JSON body.
    const body = JSON.stringify({ input: { branchName: '伪造支公司', branchCode: '999999', adminUsername: 'evil', adminDisplayName: '伪造', adminPassword: 'evil-pass-1' } });
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'multipart/form-data; boundary=----x', 'application/x-www-form-urlencoded', '']) {
      for (const credentials of [{ Cookie: cookie }, { Authorization: `Bearer ${bridge.token}` }] as Record<string, string>[]) {
        const r = await send({ method: 'POST', path: '/api/setup.init', headers: { ...credentials, ...(type ? { 'Content-Type': type } : {}) }, body });
        expect([type, r.status]).toEqual([type, 415]);
        expect(JSON.parse(r.body).error.code).toBe('invalid_input');
      }
    }
    const status = await app.api('app.status', {});
    expect(status.ok && status.value.setupDone).toBe(false);
  });

  it('refuses Origins and Hosts that only look like loopback, and the null Origin', async () => {
    for (const origin of [
      'http://127.0.0.1.evil.com',
      `http://127.0.0.1.evil.com:${bridge.port}`,
      'http://localhost.evil.com',
      `http://localhost.evil.com:${bridge.port}`,
      `http://127.0.0.1:${bridge.port}.evil.com`,
      `http://evil.com#127.0.0.1:${bridge.port}`,
      `https://127.0.0.1:${bridge.port}`,
      `http://127.0.0.1:${bridge.port}/`,
      'null',
    ]) {
      const r = await api('app.status', {}, { ...auth(), Origin: origin });
      expect([origin, r.status]).toEqual([origin, 403]);
    }
    for (const host of ['127.0.0.1.nip.io', `127.0.0.1.nip.io:${bridge.port}`, `localhost.evil.com:${bridge.port}`, `127.0.0.1:${bridge.port}.evil.com`, `127.0.0.1`]) {
      const r = await send({ method: 'POST', path: '/api/app.status', headers: { ...auth(), Host: host }, body: '{}' });
      expect([host, r.status]).toEqual([host, 403]);
      const page = await send({ path: `/?token=${bridge.token}`, headers: { Host: host } });
      expect([host, page.status]).toEqual([host, 403]);
    }
    // No Host at all (HTTP/1.0) or an empty one: written by hand, as Node's client always adds one.
    for (const head of [`POST /api/app.status HTTP/1.0`, `POST /api/app.status HTTP/1.1\r\nHost: `]) {
      const status = await rawStatus(`${head}\r\nAuthorization: Bearer ${bridge.token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
      expect([head, status]).toEqual([head, expect.toSatisfy((s: number) => s === 400 || s === 403)]);
    }
    expect((await api('app.status', {}, { ...auth(), Origin: `http://localhost:${bridge.port}`, Host: `localhost:${bridge.port}` })).status).toBe(200);
  });

  it('rejects unknown methods, malformed JSON and malformed payloads with invalid_input', async () => {
    const unknown = JSON.parse((await api('tasks.dropEverything', {})).body);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(unknown.error.message).toContain('未知的接口方法');
    const notJson = await send({ method: 'POST', path: '/api/app.status', headers: auth(), body: '{not json' });
    expect(JSON.parse(notJson.body).error.code).toBe('invalid_input');
    const badPercent = await send({ method: 'POST', path: '/api/%E0%A4%A', headers: auth(), body: '{}' });
    expect(JSON.parse(badPercent.body).error.code).toBe('invalid_input');
    const malformed = JSON.parse((await api('setup.init', { input: { branchName: 42 } })).body);
    expect(malformed.error.code).toBe('invalid_input');
    expect(malformed.error.issues.map((i: { path: string }) => i.path)).toContain('branchName');
  });

  it('serves the build\'s precompressed copies the browser accepts, keeps hashed assets for good, and 404s a missing one', async () => {
    // As scripts/build.mjs leaves them: a content-named script with its brotli and gzip copies.
    const script = `console.log(${JSON.stringify('回访台'.repeat(500))});`;
    const assets = path.join(staticDir.dir, 'assets');
    fs.mkdirSync(assets, { recursive: true });
    fs.writeFileSync(path.join(assets, 'index-Ab12Cd34.js'), script);
    fs.writeFileSync(path.join(assets, 'index-Ab12Cd34.js.br'), zlib.brotliCompressSync(script));
    fs.writeFileSync(path.join(assets, 'index-Ab12Cd34.js.gz'), zlib.gzipSync(script));
    const get = (p: string, acceptEncoding?: string) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
        const headers: Record<string, string> = { Authorization: `Bearer ${bridge.token}`, ...(acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {}) };
        http
          .get({ host: '127.0.0.1', port: bridge.port, path: p, headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });

    const br = await get('/assets/index-Ab12Cd34.js', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.bytes).toString()).toBe(script);
    expect(Number(br.headers['content-length'])).toBe(br.bytes.length);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['content-security-policy']).toContain("script-src 'self'");

    const gz = await get('/assets/index-Ab12Cd34.js', 'br;q=0, gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.bytes).toString()).toBe(script);

    const plain = await get('/assets/index-Ab12Cd34.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.toString()).toBe(script);

    // A missing script is an error, not the page; any other path is the single-page app's.
    expect((await get('/assets/index-Gone0000.js', 'br')).status).toBe(404);
    const route = await get('/tasks', 'br');
    expect(route.status).toBe(200);
    expect(route.bytes.toString()).toContain('<title>回访台</title>');
    expect(route.headers['cache-control']).toBe('no-store');
  });

  it('never serves files outside the renderer folder', async () => {
    const r = await send({ path: '/..%2F..%2F..%2Fetc%2Fpasswd', headers: { Authorization: `Bearer ${bridge.token}` } });
    expect(r.body).not.toContain('root:');
  });
});
