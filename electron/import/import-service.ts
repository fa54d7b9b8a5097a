import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { ImportPreview, ImportProbe, ImportSampleRow, ImportSummary } from '../../shared/api/contract';
import { AppError, type FieldIssue } from '../../shared/api/envelope';
import type { WorkCalendar } from '../../shared/calendar';
import type { TaskKind } from '../../shared/domain/tasks';
import { throwIfCancelled, type JobRunner } from '../jobs/job-runner';
import { recomputeDeadlines, taskDeadline } from '../tasks/deadlines';
import type { UploadService } from '../uploads/upload-service';
import { IMPORT_FIELD_LABELS } from './headers';
import { createImportWriter, identityKey, type RowAction } from './import-writer';
import { probeFile } from './probe';
import { readRows } from './read';
import { StagedRows } from './staged-rows';
import { IMPORT_FIELDS, type ColumnMapping, type NormalizedRow, type SheetProbe } from './types';

const MAX_ISSUES = 1000;
/** Rows written between two yields of the commit (a few tens of milliseconds of work). */
const WRITE_CHUNK = 2000;
const SAMPLE_ROWS = 50;
/** Rows compared with the stored tasks per lookup during the preview. */
const CLASSIFY_BATCH = 500;
const REQUIRED_FIELDS = ['policyNo', 'applicantName'] as const;

interface Preview {
  userId: number;
  uploadId: string;
  probe: SheetProbe;
  mapping: ColumnMapping;
  defaultKind: TaskKind;
  /** The rows to write, packed (see StagedRows): held from preview until commit or expiry. */
  rows: StagedRows;
  result: ImportPreview;
}

export interface ImportDeps {
  db: Database;
  uploads: UploadService;
  jobs: JobRunner;
  calendar: () => WorkCalendar;
  now: () => Date;
  today: () => string;
  /** Runs work while every other contract call waits (but progress polls and cancels). */
  exclusive: <T>(work: () => Promise<T>) => Promise<T>;
  /** Called after a commit wrote many rows (the database copies its log back in the background). */
  afterBulkWrite?: () => void;
}

/**
 * Importing head office's lists: probe the file and propose a column mapping (remembered per
 * sender's header layout), preview every row with its problems, then write the valid rows — all
 * in one transaction, so a cancelled or failed import changes nothing.
 */
export function createImportService({ db, uploads, jobs, calendar, now, today, exclusive, afterBulkWrite }: ImportDeps) {
  const probes = new Map<string, SheetProbe>();
  const previews = new Map<string, Preview>();

  async function probeOf(uploadId: string, userId: number): Promise<SheetProbe> {
    const cached = probes.get(uploadId);
    if (cached) return cached;
    const up = uploads.get(uploadId, userId);
    const probe = await probeFile(up.file, up.fileName);
    probes.set(uploadId, probe);
    return probe;
  }

  function checkMapping(mapping: ColumnMapping, probe: SheetProbe): void {
    const issues: FieldIssue[] = [];
    for (const f of REQUIRED_FIELDS) {
      if (mapping[f] === undefined) issues.push({ path: `mapping.${f}`, message: `请指定「${IMPORT_FIELD_LABELS[f]}」对应的列` });
    }
    const seen = new Map<number, string>();
    for (const [field, col] of Object.entries(mapping) as [keyof typeof IMPORT_FIELD_LABELS, number][]) {
      if (col >= probe.columns.length) issues.push({ path: `mapping.${field}`, message: `「${IMPORT_FIELD_LABELS[field]}」指向的第 ${col + 1} 列不存在` });
      const other = seen.get(col);
      if (other) issues.push({ path: `mapping.${field}`, message: `第 ${col + 1} 列同时对应了「${other}」和「${IMPORT_FIELD_LABELS[field]}」` });
      seen.set(col, IMPORT_FIELD_LABELS[field]);
    }
    if (issues.length) throw new AppError('invalid_input', `列对应关系有误：${issues.map((i) => i.message).join('；')}`, issues);
  }

  return {
    async probe(uploadId: string, userId: number): Promise<ImportProbe> {
      const p = await probeOf(uploadId, userId);
      const remembered = db
        .prepare<[string], { field: string; column_index: number }>('SELECT field, column_index FROM import_mappings WHERE header_signature = ?')
        .all(p.headerSignature)
        .filter((r) => r.column_index < p.columns.length && (IMPORT_FIELDS as readonly string[]).includes(r.field));
      const kind = db.prepare('SELECT default_kind FROM import_mapping_kinds WHERE header_signature = ?').pluck().get(p.headerSignature) as TaskKind | undefined;
      return {
        fileName: p.fileName,
        format: p.format,
        encoding: p.encoding,
        sheetName: p.sheetName,
        headerRow: p.headerRow,
        columns: p.columns,
        mapping: remembered.length ? Object.fromEntries(remembered.map((r) => [r.field, r.column_index])) : p.suggested,
        remembered: remembered.length > 0,
        defaultKind: kind ?? null,
        fields: IMPORT_FIELDS.map((f) => ({ field: f, label: IMPORT_FIELD_LABELS[f], required: (REQUIRED_FIELDS as readonly string[]).includes(f) })),
      };
    },

    preview(uploadId: string, mapping: ColumnMapping, defaultKind: TaskKind, userId: number): string {
      const up = uploads.get(uploadId, userId);
      const probe = probes.get(uploadId);
      if (!probe) throw new AppError('conflict', '请先识别文件的列');
      checkMapping(mapping, probe);
      const jobId = jobs.start('import.preview', userId, async ({ signal, progress }) => {
        const rows = new StagedRows();
        const issues: FieldIssue[] = [];
        const warnings: FieldIssue[] = [];
        let warningsTotal = 0;
        const firstRowOf = new Map<string, number>();
        let total = 0;
        let invalid = 0;
        let duplicates = 0;
        const day = today();
        // Each row is compared with the tasks already stored as it is read, then packed: the
        // rows are never all held as objects at once.
        const writer = createImportWriter(db, day);
        const counts: Record<RowAction, number> = { create: 0, update: 0, unchanged: 0 };
        const sample: ImportSampleRow[] = [];
        // Rows are compared with the stored tasks a batch at a time: one lookup answers which of
        // a batch's policies exist.
        const pending: NormalizedRow[] = [];
        const classifyPending = () => {
          writer.prefetch(pending);
          for (const row of pending) {
            const action = writer.classify(row);
            counts[action]++;
            if (sample.length < SAMPLE_ROWS) sample.push({ row: row.row, action, policyNo: row.policyNo, applicantName: row.applicantName, kind: row.kind, dueOn: dueFor(row) });
            warningsTotal += row.warnings.length;
            if (warnings.length < MAX_ISSUES) warnings.push(...row.warnings.slice(0, MAX_ISSUES - warnings.length));
            rows.push(row);
          }
          pending.length = 0;
        };
        for await (const r of readRows(up.file, up.fileName, probe, {
          mapping,
          defaultKind,
          signal,
          onProgress: (done, all) => progress(done, all, '读取并检查每一行'),
          // Totals and repeated header rows are skipped quietly; a repeated row is reported.
          onSkip: (row, reason) => {
            if (!reason.includes('重复行')) return;
            duplicates++;
            if (issues.length < MAX_ISSUES) issues.push({ path: `rows.${row}`, message: `第 ${row} 行${reason}，已跳过` });
          },
        })) {
          total++;
          if (!r.ok) {
            invalid++;
            if (issues.length < MAX_ISSUES) issues.push(...r.issues.slice(0, MAX_ISSUES - issues.length));
            continue;
          }
          const key = identityKey(r.value, day);
          const first = firstRowOf.get(key);
          if (first !== undefined) {
            duplicates++;
            if (issues.length < MAX_ISSUES) {
              issues.push({ path: `rows.${r.value.row}`, message: `第 ${r.value.row} 行与第 ${first} 行重复（保单号 ${r.value.policyNo}，同一回访类型与周期），将只导入第 ${first} 行` });
            }
            continue;
          }
          firstRowOf.set(key, r.value.row);
          pending.push(r.value);
          if (pending.length === CLASSIFY_BATCH) classifyPending();
        }
        classifyPending();
        throwIfCancelled(signal);
        const result: ImportPreview = {
          fileName: up.fileName,
          rowsTotal: total,
          valid: rows.length,
          invalid,
          duplicates,
          ...counts,
          issues,
          issuesTruncated: invalid + duplicates > issues.length,
          warnings,
          warningsTotal,
          sample,
        };
        previews.set(jobId, { userId, uploadId, probe, mapping, defaultKind, rows, result });
        return result;
      });
      return jobId;

      function dueFor(row: NormalizedRow): string | null {
        return taskDeadline(
          {
            id: 0, kind: row.kind, event_date: row.eventDate, amount_cents: row.amountCents, payment_method: row.paymentMethod, payee: null,
            paid_in_person: null, juvenile_policy: null, last_visit_date: row.lastVisitDate, receipt_signed_date: row.receiptSignedDate,
            issue_date: row.issueDate, term_years: row.termYears, cooling_off_days: null, channel: row.channel, expiry_date: row.expiryDate,
          },
          calendar(),
          today(),
        ).due;
      }
    },

    previewResult(jobId: string, userId: number): ImportPreview {
      return jobs.result<ImportPreview>(jobId, userId);
    },

    commit(previewJobId: string, userId: number): string {
      const preview = previews.get(previewJobId);
      if (!preview || preview.userId !== userId) throw new AppError('not_found', '预览已过期，请重新选择文件导入');
      if (preview.rows.length === 0) throw new AppError('invalid_input', '没有可导入的有效行');
      return jobs.start('import.commit', userId, async ({ signal, progress }) => {
        throwIfCancelled(signal);
        progress(0, preview.rows.length, '写入数据库');
        const up = uploads.get(preview.uploadId, userId);
        const at = now().toISOString();
        const day = today();
        const cal = calendar();
        const writer = createImportWriter(db, day, (facts) => taskDeadline(facts, cal, day));
        // One transaction: the list is imported whole or not at all. It is written in chunks,
        // yielding between them so progress and 取消 still answer; meanwhile every other call
        // waits (see `exclusive` in create-app), so nothing else lands inside this transaction.
        const summary = await exclusive(async (): Promise<ImportSummary> => {
          db.exec('BEGIN IMMEDIATE');
          try {
            const batchId = Number(
              db
                .prepare(
                  `INSERT INTO import_batches (file_name, file_sha256, file_size, header_signature, default_kind, imported_by, imported_at,
                     rows_total, rows_created, rows_updated, rows_unchanged, rows_invalid, rows_duplicate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?)`,
                )
                .run(up.fileName, up.sha256, up.size, preview.probe.headerSignature, preview.defaultKind, userId, at, preview.result.rowsTotal, preview.result.invalid, preview.result.duplicates)
                .lastInsertRowid,
            );
            const counts: Record<RowAction, number> = { create: 0, update: 0, unchanged: 0 };
            const touched: number[] = [];
            let done = 0;
            // The packed rows are unpacked a block at a time, so only one block is ever held as objects.
            for (const block of preview.rows.blocksOfRows()) {
              writer.prefetch(block);
              for (const row of block) {
                const r = writer.apply(row, { batchId, userId, at });
                counts[r.action]++;
                if (r.taskId !== null && !r.deadlineDone) touched.push(r.taskId);
                if (++done % WRITE_CHUNK === 0) {
                  writer.flush();
                  progress(done, preview.rows.length, '写入数据库');
                  await new Promise((resolve) => setImmediate(resolve));
                  throwIfCancelled(signal);
                }
              }
            }
            writer.finish();
            progress(preview.rows.length, preview.rows.length, '计算回访期限');
            await new Promise((resolve) => setImmediate(resolve));
            throwIfCancelled(signal);
            recomputeDeadlines(db, calendar(), day, now(), touched);
            db.prepare('UPDATE import_batches SET rows_created = ?, rows_updated = ?, rows_unchanged = ? WHERE id = ?').run(counts.create, counts.update, counts.unchanged, batchId);
            // Remember this sender's layout and list kind for next time.
            db.prepare('DELETE FROM import_mappings WHERE header_signature = ?').run(preview.probe.headerSignature);
            for (const [field, col] of Object.entries(preview.mapping)) {
              db.prepare('INSERT INTO import_mappings (header_signature, field, column_index, updated_at) VALUES (?, ?, ?, ?)').run(preview.probe.headerSignature, field, col, at);
            }
            db.prepare('INSERT INTO import_mapping_kinds VALUES (?, ?) ON CONFLICT (header_signature) DO UPDATE SET default_kind = excluded.default_kind').run(
              preview.probe.headerSignature,
              preview.defaultKind,
            );
            db.exec('COMMIT');
            return { batchId, created: counts.create, updated: counts.update, unchanged: counts.unchanged, skipped: preview.result.invalid + preview.result.duplicates };
          } catch (err) {
            if (db.inTransaction) db.exec('ROLLBACK');
            throw err;
          }
        });
        afterBulkWrite?.();
        previews.delete(previewJobId);
        probes.delete(preview.uploadId);
        uploads.discard(preview.uploadId);
        progress(preview.rows.length, preview.rows.length, '完成');
        return summary;
      });
    },

    commitResult(jobId: string, userId: number): ImportSummary {
      return jobs.result<ImportSummary>(jobId, userId);
    },
  };
}
