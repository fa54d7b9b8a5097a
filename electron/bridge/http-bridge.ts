import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fail, type Envelope } from '../../shared/api/envelope';
import type { Call } from '../api/dispatcher';
import { CONTENT_SECURITY_POLICY } from '../shell/security-policy';

export interface BridgeOptions {
  call: Call;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  port?: number;
  token?: string;
}

export interface Bridge {
  url: string;
  port: number;
  token: string;
  close: () => Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** The precompressed copy of `file` the browser accepts, if the build wrote one: brotli, else gzip. */
function pickEncoding(accepted: string | undefined, file: string): 'br' | 'gzip' | null {
  const offered = (accepted ?? '')
    .split(',')
    .map((e) => e.trim().split(/\s*;\s*/))
    .filter(([, q]) => q === undefined || !/^q=0(\.0*)?$/.test(q))
    .map(([name]) => name);
  if (offered.includes('br') && isFile(`${file}.br`)) return 'br';
  if (offered.includes('gzip') && isFile(`${file}.gz`)) return 'gzip';
  return null;
}

function sendJson(res: http.ServerResponse, status: number, body: Envelope<unknown>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendText(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(message);
}

/**
 * Browser mode: the same contract over HTTP on 127.0.0.1 only. A random per-run token (given in
 * the printed URL, then kept in a SameSite=Strict cookie) guards every request; Host and Origin
 * must be this loopback address, which defeats DNS rebinding and cross-site form posts.
 */
export function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticDir = path.resolve(options.staticDir);
  let port = 0;
  const cookieName = () => `vd_token_${port}`;

  const loopbackOrigins = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  function authorised(req: http.IncomingMessage): boolean {
    const auth = req.headers.authorization;
    const presented = auth?.startsWith('Bearer ') ? auth.slice(7) : cookieValue(req.headers.cookie, cookieName());
    return presented !== null && sameSecret(presented, token);
  }

  async function readBody(req: http.IncomingMessage): Promise<string | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return null;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, fail('invalid_input', '接口只接受 POST 请求'));
    // A cross-site HTML form cannot send application/json without a CORS preflight, which we never answer.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(res, 415, fail('invalid_input', '请求格式不正确：需要 application/json'));
    }
    const text = await readBody(req);
    if (text === null) return sendJson(res, 413, fail('invalid_input', '请求内容过大（上限 10 MB）'));
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return sendJson(res, 400, fail('invalid_input', '请求内容不是有效的 JSON'));
    }
    const { input, session } = (body && typeof body === 'object' ? body : {}) as { input?: unknown; session?: unknown };
    sendJson(res, 200, await options.call(safeDecode(method), input, { sessionToken: session }));
  }

  function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, '不支持的请求方法');
    const decoded = safeDecode(pathname);
    if (decoded === null) return sendText(res, 400, '地址格式不正确');
    const rel = path.normalize(decoded).replace(/^([/\\])+/, '');
    let file = path.join(staticDir, rel);
    if (!file.startsWith(staticDir + path.sep) && file !== staticDir) return sendText(res, 404, '未找到');
    const hashed = rel.startsWith(`assets${path.sep}`);
    if (!isFile(file)) {
      // A missing script or style is an error, not the page: answering index.html would only
      // turn into a MIME-type error in the console.
      if (hashed) return sendText(res, 404, '未找到');
      file = path.join(staticDir, 'index.html');
    }
    if (!isFile(file)) return sendText(res, 500, '界面文件缺失：请先运行 npm run build');
    const type = MIME[path.extname(file)] ?? 'application/octet-stream';
    // scripts/build.mjs writes .br and .gz beside every text file: the sign-in page's script is
    // about a quarter of the bytes that way, with no compression work per request.
    const encoding = pickEncoding(req.headers['accept-encoding'], file);
    const body = encoding ? `${file}.${encoding === 'br' ? 'br' : 'gz'}` : file;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': type,
      'Content-Length': String(fs.statSync(body).size),
      ...(encoding ? { 'Content-Encoding': encoding } : {}),
      Vary: 'Accept-Encoding',
      // Files under assets/ are named by their content hash, so a browser may keep them for good;
      // index.html names the current ones and is always asked for afresh.
      'Cache-Control': file.endsWith('.html') ? 'no-store' : hashed ? 'public, max-age=31536000, immutable' : 'max-age=3600',
    });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(body).pipe(res);
  }

  const server = http.createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (!loopbackOrigins().has(host)) return sendText(res, 403, '拒绝访问：请求的主机名不是本机回环地址');
    const origin = req.headers.origin;
    if (origin !== undefined && !loopbackOrigins().has(origin.replace(/^http:\/\//, ''))) {
      return sendJson(res, 403, fail('forbidden', '拒绝访问：请求来自其他网站'));
    }
    if (req.headers['sec-fetch-site'] === 'cross-site') return sendJson(res, 403, fail('forbidden', '拒绝访问：跨站请求'));

    const url = new URL(req.url ?? '/', `http://${host}`);
    const offered = url.searchParams.get('token');
    // Only the printed page address carries the token; an API address with it is just unauthorised.
    if (req.method === 'GET' && offered !== null && !url.pathname.startsWith('/api/') && sameSecret(offered, token)) {
      // Move the token from the address bar into a cookie so it does not linger in history.
      res.writeHead(302, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname,
      });
      return void res.end();
    }
    if (!authorised(req)) {
      if (url.pathname.startsWith('/api/')) return sendJson(res, 401, fail('unauthenticated', '缺少或错误的访问令牌'));
      return sendText(res, 401, '缺少访问令牌：请使用回访台启动时打印的完整地址（含 token）打开。');
    }
    const api = /^\/api\/([^/]+)$/.exec(url.pathname);
    if (api) {
      handleApi(req, res, api[1] ?? '').catch(() => {
        if (!res.headersSent) sendJson(res, 500, fail('internal', '系统内部错误'));
      });
      return;
    }
    serveStatic(req, res, url.pathname);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}/?token=${token}`,
        port,
        token,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
