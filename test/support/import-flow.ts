import fs from 'node:fs';
import type { ImportPreview, ImportProbe, ImportSummary, JobView } from '../../shared/api/contract';
import type { TaskKind } from '../../shared/domain/tasks';
import type { TestApp } from './app';

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T => {
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value;
};

/** Sends a file through the contract in chunks, as the renderer does. */
export async function upload(app: TestApp, session: string, file: string, fileName = file.split('/').pop() ?? 'file'): Promise<string> {
  const bytes = fs.readFileSync(file);
  const { uploadId, chunkSize } = ok(await app.api('uploads.begin', { fileName, size: bytes.length }, session));
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    ok(await app.api('uploads.chunk', { uploadId, offset, dataBase64: bytes.subarray(offset, offset + chunkSize).toString('base64') }, session));
  }
  ok(await app.api('uploads.finish', { uploadId }, session));
  return uploadId;
}

export async function waitForJob(app: TestApp, session: string, jobId: string): Promise<JobView> {
  for (;;) {
    const view = ok(await app.api('jobs.get', { jobId }, session));
    if (view.state !== 'running') return view;
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function previewImport(
  app: TestApp,
  session: string,
  file: string,
  opts: { defaultKind?: TaskKind; fix?: (probe: ImportProbe) => ImportProbe['mapping'] } = {},
): Promise<{ probe: ImportProbe; jobId: string; preview: ImportPreview }> {
  const uploadId = await upload(app, session, file);
  const probe = ok(await app.api('import.probe', { uploadId }, session));
  const { jobId } = ok(
    await app.api('import.preview', { uploadId, mapping: opts.fix ? opts.fix(probe) : probe.mapping, defaultKind: opts.defaultKind ?? probe.defaultKind ?? 'new_policy' }, session),
  );
  const job = await waitForJob(app, session, jobId);
  if (job.state !== 'done') throw new Error(`preview ${job.state}: ${job.error?.message}`);
  return { probe, jobId, preview: ok(await app.api('import.previewResult', { jobId }, session)) };
}

export async function commitImport(app: TestApp, session: string, previewJobId: string): Promise<ImportSummary> {
  const { jobId } = ok(await app.api('import.commit', { previewJobId }, session));
  const job = await waitForJob(app, session, jobId);
  if (job.state !== 'done') throw new Error(`commit ${job.state}: ${job.error?.message}`);
  return ok(await app.api('import.commitResult', { jobId }, session));
}

export async function importFile(app: TestApp, session: string, file: string, defaultKind?: TaskKind) {
  const p = await previewImport(app, session, file, defaultKind ? { defaultKind } : {});
  return { ...p, summary: await commitImport(app, session, p.jobId) };
}
