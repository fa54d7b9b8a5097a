// A branch app in its own process doing one piece of work through the contract, printing a line
// at every step so the crash-safety test can SIGKILL it at a chosen moment. Bundled with esbuild
// (like sync-child.ts) and run as `node crash-child.cjs '<json>'`.
import fs from 'node:fs';
import { createApp } from '../../electron/app/create-app';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/api/contract';
import { visibleQuestions } from '../../shared/questionnaire';
import { fakeSignature } from './signature';

export type CrashJob =
  | { scenario: 'import'; file: string; username: string; password: string }
  | { scenario: 'finalise'; visitIds: number[] }
  | { scenario: 'countersign'; batches: number[][] }
  | { scenario: 'outbox' }
  | { scenario: 'draft'; taskId: number; visitedAt: string };

const job = JSON.parse(process.argv[2] ?? '{}') as CrashJob & { dataDir: string };
const line = (s: string) => process.stdout.write(`${s}\n`);
const app = createApp({ dataDir: job.dataDir, transport: 'browser', autoSyncMs: 0, syncTimeoutMs: 5_000, log: () => {} });

async function api<M extends MethodName>(method: M, input: MethodInput<M>, session?: string): Promise<MethodOutput<M>> {
  const r = await app.call(method, input, { sessionToken: session });
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as MethodOutput<M>;
}
const signIn = async (username: string, password = 'demo1234') => (await api('auth.signIn', { username, password })).sessionToken;

async function waitForJob(session: string, jobId: string, report: boolean) {
  for (;;) {
    const view = await api('jobs.get', { jobId }, session);
    if (report) line(`progress ${view.done}/${view.total} ${view.phase}`);
    if (view.state !== 'running') return view;
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function run(): Promise<string> {
  switch (job.scenario) {
    case 'import': {
      const s = await signIn(job.username, job.password);
      line('ready');
      const bytes = fs.readFileSync(job.file);
      const { uploadId, chunkSize } = await api('uploads.begin', { fileName: 'crash-list.xlsx', size: bytes.length }, s);
      for (let offset = 0; offset < bytes.length; offset += chunkSize) {
        await api('uploads.chunk', { uploadId, offset, dataBase64: bytes.subarray(offset, offset + chunkSize).toString('base64') }, s);
      }
      await api('uploads.finish', { uploadId }, s);
      const probe = await api('import.probe', { uploadId }, s);
      line('probed');
      const preview = await api('import.preview', { uploadId, mapping: probe.mapping, defaultKind: probe.defaultKind ?? 'new_policy' }, s);
      const p = await waitForJob(s, preview.jobId, false);
      if (p.state !== 'done') throw new Error(`preview ${p.state}: ${p.error?.message}`);
      line('commit');
      const { jobId } = await api('import.commit', { previewJobId: preview.jobId }, s);
      const c = await waitForJob(s, jobId, true);
      if (c.state !== 'done') throw new Error(`commit ${c.state}: ${c.error?.message}`);
      return `batch ${(await api('import.commitResult', { jobId }, s)).batchId}`;
    }
    case 'finalise': {
      const s = await signIn('zhangli');
      line('ready');
      for (const visitId of job.visitIds) {
        await api('visits.finalise', { visitId }, s);
        line(`finalised ${visitId}`);
      }
      return 'all finalised';
    }
    case 'countersign': {
      const s = await signIn('liuyang');
      line('ready');
      for (const visitIds of job.batches) {
        await api('countersign.sign', { visitIds, password: 'demo1234', ...fakeSignature('刘洋') }, s);
        line(`countersigned ${visitIds.join(',')}`);
      }
      return 'all countersigned';
    }
    case 'outbox': {
      line('ready');
      // The upload is network-bound, so a poll gets in between its steps: one line per change.
      let last = '';
      const poll = setInterval(() => {
        const st = app.sync.status();
        const now = `sync pending ${st.pending} ${st.progress?.phase ?? '-'}`;
        if (now !== last) line((last = now));
      }, 1);
      const r = await app.sync.runOnce(new AbortController().signal);
      clearInterval(poll);
      return `synced ${JSON.stringify(r)}`;
    }
    case 'draft': {
      const s = await signIn('zhangli');
      line('ready');
      let v = await api('visits.start', { taskId: job.taskId }, s);
      line(`started ${v.id}`);
      v = await api('visits.setup', { visitId: v.id, respondent: { kind: 'in_person' }, placeKind: 'home', visitedAt: job.visitedAt }, s);
      line('setup');
      let n = 0;
      for (const q of visibleQuestions(v.template, (v.productType ?? undefined) as never)) {
        v = await api('visits.answer', { visitId: v.id, questionId: q.id, stage: 'first', answer: q.expected }, s);
        line(`answered ${q.id}`);
        // The record sheet is saved as it is typed: here, after every answer.
        v = await api('visits.saveSheet', { visitId: v.id, sheet: { summary: `已问完前 ${++n} 题` } }, s);
        line(`sheet ${n}`);
      }
      return 'draft complete';
    }
  }
}

run().then(
  (summary) => {
    line(`done ${summary}`);
    app.close();
  },
  (err: unknown) => {
    line(`error ${(err as Error).message}`);
    app.close();
    process.exitCode = 1;
  },
);
