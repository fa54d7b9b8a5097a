/** What every benchmark case shares: the result row, statistics, timing and a fresh app in .bench/. */
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../../electron/app/create-app';
import type { MethodInput, MethodName } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/envelope';

export const OUT = path.resolve('.bench');
export const RUNS = Number(process.env.BENCH_RUNS ?? 3);

export interface Row {
  case: string;
  ours: number;
  baseline: number | null;
  unit: string;
  ratio: number | null;
  target: string;
  pass: boolean;
  note?: string;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
export const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))] ?? NaN;

export async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export function freshApp(name: string) {
  const dir = path.join(OUT, `${name}-${process.pid}-${Date.now()}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const app = createApp({ dataDir: dir, transport: 'browser', log: () => {} });
  const call = async <M extends MethodName>(m: M, input: MethodInput<M>, session?: string) => {
    const r = (await app.call(m, input, { sessionToken: session })) as Envelope<never>;
    if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
    return r.value as never;
  };
  const admin = async (): Promise<string> => {
    const r: { sessionToken: string } = await call('setup.init', { branchName: '基准测试', branchCode: 'BENCH', adminUsername: 'admin', adminDisplayName: '管理员', adminPassword: 'bench-pass-1' });
    return r.sessionToken;
  };
  return {
    app,
    call,
    admin,
    dispose: () => {
      app.close();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(`${dir}.key`, { force: true });
    },
  };
}

