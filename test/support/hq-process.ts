import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { SyncTask } from '../../shared/sync/protocol';
import { tempDir } from './temp';

export interface HqProcess {
  url: string;
  enrolmentCode: string;
  /** The head-office admin API over HTTP (the server runs in its own process). */
  admin: <T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => Promise<T>;
  addTasks: (tasks: SyncTask[]) => Promise<void>;
  countRows: (key: string) => Promise<number>;
  /** The bytes head office holds for an attachment. */
  blob: (sha256: string) => Promise<Buffer>;
  stop: () => Promise<void>;
}

/** The reference head-office server (`npm run hq`) in a child process, as head office would be. */
export async function startHqProcess(branchCode: string): Promise<HqProcess> {
  const { dir, cleanup } = tempDir('vd-hq-');
  const child: ChildProcess = spawn(process.execPath, [path.resolve('scripts/hq.mjs'), '--port', '0', '--data', dir, '--branch', branchCode, '--quiet'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const info = await new Promise<{ url: string; code: string; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`head-office server did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /地址：(\S+)/.exec(out)?.[1];
      const code = /登记码：(\S+?)（/.exec(out)?.[1];
      const token = /管理令牌：(\S+)/.exec(out)?.[1];
      if (url && code && token) {
        clearTimeout(timer);
        resolve({ url, code, token });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (c) => reject(new Error(`head-office server exited (${c}):\n${out}`)));
  });
  const admin = async <T,>(method: 'GET' | 'POST' | 'DELETE', p: string, body?: unknown): Promise<T> => {
    const res = await fetch(info.url + p, {
      method,
      headers: { authorization: `Bearer ${info.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`HQ admin ${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    url: info.url,
    enrolmentCode: info.code,
    admin,
    addTasks: async (tasks) => {
      await admin('POST', '/admin/tasks', { branchCode, tasks });
    },
    countRows: async (key) => (await admin<{ rows: number }>('GET', `/admin/records/count?key=${encodeURIComponent(key)}`)).rows,
    blob: async (sha256) => Buffer.from(await (await fetch(`${info.url}/admin/blobs/${sha256}`, { headers: { authorization: `Bearer ${info.token}` } })).arrayBuffer()),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      cleanup();
    },
  };
}
