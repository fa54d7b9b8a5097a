import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP proxy on 127.0.0.1 that stands between a client and a real server and misbehaves on
 * demand, the way branch links do: the server down, slow, gone mid-answer, overloaded, replaced
 * by a hotel's login page, or a request delivered twice. It works per request rather than per
 * TCP connection because clients keep connections alive: one pooled connection carries many
 * requests, and a test wants to break exactly the third.
 */

export type FaultMode =
  /** Forward untouched. */
  | { kind: 'pass' }
  /** Accept, then reset the connection at once (the request never reaches the server). */
  | { kind: 'refuse' }
  /**
   * Stop listening: new connections get ECONNREFUSED and open ones are cut. A client that has not
   * yet noticed its pooled connection was cut sees a socket error on it first, as in real life.
   */
  | { kind: 'down' }
  /**
   * Slow server. `before_forward` (default) holds the request back: if the client gives up first
   * the server never sees it. `before_response` forwards at once and holds the answer back: the
   * server has applied the request when the client times out.
   */
  | { kind: 'delay'; ms: number; phase?: 'before_forward' | 'before_response' }
  /** Forward, wait for the server's whole answer, then reset the client's connection: applied, answer lost. */
  | { kind: 'reset_after_forward' }
  /** Answer without forwarding; by default 503 with `Retry-After: 1` and a load balancer's HTML page. */
  | { kind: 'unavailable'; status?: number; retryAfter?: string | null; body?: string; contentType?: string }
  /** Answer 200 with a captive portal's login page (or, with `redirect`, 302 to it first). */
  | { kind: 'captive_portal'; redirect?: boolean }
  /** Deliver the request to the server twice (one after the other, or both at once); the client gets the second answer. */
  | { kind: 'duplicate'; concurrent?: boolean };

export type FaultKind = FaultMode['kind'];

export interface FaultScope {
  /** The fault applies only to matching requests; the others pass through and do not use up `requests`. */
  match?: { method?: string; path?: string | RegExp };
  /** Fault the next N matching requests, then pass through again. */
  requests?: number;
  /** Fault until this many ms from now, then pass through again. */
  forMs?: number;
}

export interface ProxyLogEntry {
  method: string;
  path: string;
  fault: FaultKind;
  /** The status the client received, or what happened instead. */
  outcome: number | 'reset' | 'client_gone' | 'upstream_error';
}

export interface ProxyCounters {
  /** Client connections accepted. */
  connections: number;
  /** Requests received from clients. */
  requests: number;
  /** Requests sent on to the server (a duplicated request counts twice). */
  forwarded: number;
  /** Requests a fault other than `pass` applied to, per kind. */
  faulted: Record<Exclude<FaultKind, 'pass'>, number>;
}

export interface FaultProxy {
  url: string;
  port: number;
  /** The server behind the proxy. */
  target: string;
  setMode(mode: FaultMode, scope?: FaultScope): Promise<void>;
  /** Back to pass-through (and listening again after `down`). */
  pass(): Promise<void>;
  /** The mode now in force (`pass` once a scoped fault has run out). */
  mode(): FaultKind;
  counters(): ProxyCounters;
  log(): ProxyLogEntry[];
  resetCounters(): void;
  close(): Promise<void>;
}

export const CAPTIVE_PORTAL_HTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>无线网络登录</title></head>
<body><h1>欢迎使用酒店无线网络</h1><p>请输入房间号和手机号码登录后上网。</p>
<form method="post" action="/login"><input name="room"><input name="phone"><button>登录</button></form></body></html>`;

const GATEWAY_503_HTML = `<html>
<head><title>503 Service Temporarily Unavailable</title></head>
<body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body>
</html>`;

const PORTAL_PATH = '/__captive_portal';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'content-length']);

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

const emptyFaulted = (): ProxyCounters['faulted'] => ({
  refuse: 0,
  down: 0,
  delay: 0,
  reset_after_forward: 0,
  unavailable: 0,
  captive_portal: 0,
  duplicate: 0,
});

/** Starts the proxy in pass-through mode, in front of `target` (e.g. `http://127.0.0.1:8787`). */
export async function startFaultProxy(target: string, options: { port?: number } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  if (upstream.protocol !== 'http:') throw new Error('the fault proxy forwards plain HTTP only');
  const host = '127.0.0.1';

  let mode: FaultMode = { kind: 'pass' };
  let scope: FaultScope = {};
  let until = Infinity;
  let remaining = Infinity;
  let counters: ProxyCounters = { connections: 0, requests: 0, forwarded: 0, faulted: emptyFaulted() };
  let entries: ProxyLogEntry[] = [];
  let listening = false;
  let closed = false;
  let port = options.port ?? 0;
  const sockets = new Set<Socket>();
  // Pending delays, so close() can end them at once instead of leaving a 30 s timer behind.
  const timers = new Map<NodeJS.Timeout, () => void>();
  let downTimer: NodeJS.Timeout | null = null;

  function later(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.set(t, resolve);
    });
  }

  function expired(): boolean {
    return Date.now() >= until || remaining <= 0;
  }

  function current(): FaultMode {
    if (mode.kind !== 'pass' && mode.kind !== 'down' && expired()) {
      mode = { kind: 'pass' };
      scope = {};
    }
    return mode;
  }

  function matches(req: http.IncomingMessage): boolean {
    const m = scope.match;
    if (!m) return true;
    if (m.method && m.method.toUpperCase() !== req.method) return false;
    const pathname = new URL(req.url ?? '/', 'http://proxy.invalid').pathname;
    if (m.path === undefined) return true;
    return typeof m.path === 'string' ? pathname === m.path : m.path.test(pathname);
  }

  function forward(req: http.IncomingMessage, body: Buffer): Promise<Answer> {
    counters.forwarded += 1;
    return new Promise((resolve, reject) => {
      const out = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...endToEnd(req.headers), host: upstream.host, 'content-length': String(body.length) },
          // A fresh connection per forwarded request: the upstream's keep-alive state must not
          // outlive a mode switch or a closed server.
          agent: false,
        },
        (res) => {
          readAll(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  }

  function reply(res: http.ServerResponse, answer: Answer): number {
    if (res.destroyed) return answer.status;
    res.writeHead(answer.status, { ...endToEnd(answer.headers), 'content-length': String(answer.body.length) });
    res.end(answer.body);
    return answer.status;
  }

  const html = (status: number, body: string, extra: http.OutgoingHttpHeaders = {}): Answer => ({
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...extra } as http.IncomingHttpHeaders,
    body: Buffer.from(body),
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    counters.requests += 1;
    const entry: ProxyLogEntry = { method: req.method ?? 'GET', path: req.url ?? '/', fault: 'pass', outcome: 'reset' };
    entries.push(entry);

    if (req.url === PORTAL_PATH) {
      entry.outcome = reply(res, html(200, CAPTIVE_PORTAL_HTML));
      return;
    }

    let fault = current();
    if (fault.kind !== 'pass' && !matches(req)) fault = { kind: 'pass' };
    if (fault.kind !== 'pass') {
      remaining -= 1;
      if (fault.kind !== 'down') counters.faulted[fault.kind] += 1;
    }
    entry.fault = fault.kind;

    if (fault.kind === 'refuse' || fault.kind === 'down') {
      // `down` can only be seen here by a request already in flight when the listener closed.
      req.socket.resetAndDestroy();
      return;
    }
    if (fault.kind === 'unavailable') {
      const retry = fault.retryAfter === undefined ? '1' : fault.retryAfter;
      entry.outcome = reply(res, {
        status: fault.status ?? 503,
        headers: { 'content-type': fault.contentType ?? 'text/html; charset=utf-8', ...(retry === null ? {} : { 'retry-after': retry }) },
        body: Buffer.from(fault.body ?? GATEWAY_503_HTML),
      });
      return;
    }
    if (fault.kind === 'captive_portal') {
      entry.outcome = reply(res, fault.redirect ? html(302, '', { location: `http://${host}:${port}${PORTAL_PATH}` }) : html(200, CAPTIVE_PORTAL_HTML));
      return;
    }

    let clientGone = false;
    res.on('close', () => {
      if (!res.writableFinished) clientGone = true;
    });
    const body = await readAll(req);

    if (fault.kind === 'delay' && (fault.phase ?? 'before_forward') === 'before_forward') {
      await later(fault.ms);
      if (clientGone || closed) {
        entry.outcome = 'client_gone';
        return;
      }
    }

    let answer: Answer;
    try {
      if (fault.kind === 'duplicate') {
        if (fault.concurrent) {
          const [, second] = await Promise.all([forward(req, body), forward(req, body)]);
          answer = second;
        } else {
          await forward(req, body);
          answer = await forward(req, body);
        }
      } else {
        answer = await forward(req, body);
      }
    } catch {
      // What a reverse proxy says when the server behind it is not there.
      entry.outcome = 'upstream_error';
      reply(res, html(502, '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>'));
      return;
    }

    if (fault.kind === 'delay' && fault.phase === 'before_response') await later(fault.ms);
    if (fault.kind === 'reset_after_forward') {
      req.socket.resetAndDestroy();
      entry.outcome = 'reset';
      return;
    }
    if (clientGone || closed) {
      entry.outcome = 'client_gone';
      return;
    }
    entry.outcome = reply(res, answer);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) req.socket.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    counters.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A reset socket reports ECONNRESET on itself; that is the point, not a failure.
    socket.on('error', () => {});
  });

  function listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        listening = true;
        resolve();
      });
    });
  }

  function stopListening(): Promise<void> {
    if (!listening) return Promise.resolve();
    listening = false;
    return new Promise((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  }

  async function setMode(next: FaultMode, nextScope: FaultScope = {}): Promise<void> {
    if (closed) throw new Error('fault proxy is closed');
    if (next.kind === 'down' && (nextScope.requests !== undefined || nextScope.match !== undefined)) {
      throw new Error('`down` refuses connections, before any request is seen: scope it with forMs only');
    }
    if (downTimer) {
      clearTimeout(downTimer);
      downTimer = null;
    }
    mode = next;
    scope = nextScope;
    until = nextScope.forMs !== undefined ? Date.now() + nextScope.forMs : Infinity;
    remaining = nextScope.requests ?? Infinity;
    if (next.kind === 'down') {
      await stopListening();
      if (nextScope.forMs !== undefined) {
        downTimer = setTimeout(() => {
          downTimer = null;
          if (!closed && mode.kind === 'down') void setMode({ kind: 'pass' });
        }, nextScope.forMs);
      }
    } else if (!listening) {
      await listen();
    }
  }

  await listen();

  return {
    get url() {
      return `http://${host}:${port}`;
    },
    get port() {
      return port;
    },
    target,
    setMode,
    pass: () => setMode({ kind: 'pass' }),
    mode: () => current().kind,
    counters: () => ({ ...counters, faulted: { ...counters.faulted } }),
    log: () => entries.map((e) => ({ ...e })),
    resetCounters() {
      counters = { connections: 0, requests: 0, forwarded: 0, faulted: emptyFaulted() };
      entries = [];
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const [t, resolve] of timers) {
        clearTimeout(t);
        resolve();
      }
      timers.clear();
      if (downTimer) clearTimeout(downTimer);
      await stopListening();
    },
  };
}
