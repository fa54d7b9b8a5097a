import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Collapse, Modal, Progress, Result, Select, Space, Spin, Steps, Table, Tag, Typography, Upload } from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ImportPreview, ImportProbe, ImportSampleRow, ImportSummary, JobView } from '../../../../shared/api/contract';
import type { ApiError, FieldIssue } from '../../../../shared/api/envelope';
import { TASK_KINDS, TASK_KIND_LABELS, type TaskKind } from '../../../../shared/domain/tasks';
import { call } from '../../api/client';
import { cancelJob, jobPercent, runJob } from '../../api/jobs';
import { uploadFile, type UploadProgress } from '../../api/upload';
import { useT } from '../../stores/app-store';
import { ImportErrorAlert } from '../settings/ImportErrorAlert';
import { columnLetter } from './labels';

type FieldName = ImportProbe['fields'][number]['field'];
type Mapping = Partial<Record<FieldName, number>>;

/** 「第 12 行…」 issues carry their row in the path (rows.12.field). */
const rowOf = (issue: FieldIssue): number | null => {
  const m = /^rows\.(\d+)/.exec(issue.path);
  return m ? Number(m[1]) : null;
};

/**
 * 导入清单: head office's visit list into tasks, in four steps — pick the file (uploaded in
 * chunks), confirm which column is which, preview every row with its problems, then import the
 * valid rows in one transaction. Nothing changes until the last step, and it can be cancelled.
 */
export function ImportWizard({ open, onClose }: { open: boolean; onClose: (imported: boolean) => void }) {
  const t = useT();
  const imported = useRef(false);
  useEffect(() => {
    if (open) imported.current = false;
  }, [open]);
  return (
    <Modal
      open={open}
      title={t('import.title')}
      width={1000}
      style={{ top: 40 }}
      footer={null}
      mask={{ closable: false }}
      onCancel={() => onClose(imported.current)}
      destroyOnHidden
    >
      {/* Unmounted on close: a running upload or job is stopped and the next import starts afresh. */}
      <Wizard
        onImported={() => {
          imported.current = true;
        }}
        onDone={() => onClose(imported.current)}
      />
    </Modal>
  );
}

type Running = { kind: 'preview' | 'commit'; job: JobView | null };

function Wizard({ onImported, onDone }: { onImported: () => void; onDone: () => void }) {
  const t = useT();
  const [step, setStep] = useState(0);
  // Step 1: the file.
  const [fileName, setFileName] = useState<string | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [probing, setProbing] = useState(false);
  const [fileError, setFileError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const uploadAbort = useRef<AbortController | null>(null);
  // Step 2: the mapping.
  const [uploadId, setUploadId] = useState<string | null>(null);
  const [probe, setProbe] = useState<ImportProbe | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [kind, setKind] = useState<TaskKind | undefined>();
  const [mappingError, setMappingError] = useState<ApiError | null>(null);
  const [fieldOrder, setFieldOrder] = useState<ImportProbe['fields']>([]);
  // Steps 3 and 4: the jobs.
  const [running, setRunning] = useState<Running | null>(null);
  const jobId = useRef<string | null>(null);
  const [jobError, setJobError] = useState<ApiError | null>(null);
  const [cancelled, setCancelled] = useState<string | null>(null);
  const [previewJobId, setPreviewJobId] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  // Closing the wizard stops whatever is still going (main rolls a cancelled job back).
  useEffect(
    () => () => {
      uploadAbort.current?.abort();
      if (jobId.current) void cancelJob(jobId.current);
    },
    [],
  );

  const pickFile = async (file: File) => {
    setFileError(null);
    setNotice(null);
    setFileName(file.name);
    const abort = new AbortController();
    uploadAbort.current = abort;
    setProgress({ sent: 0, total: file.size });
    const up = await uploadFile(file, { onProgress: setProgress, signal: abort.signal });
    uploadAbort.current = null;
    setProgress(null);
    if (!up.ok) {
      if (up.error.code === 'cancelled') setNotice(up.error.message);
      else setFileError(up.error);
      return;
    }
    setProbing(true);
    const p = await call('import.probe', { uploadId: up.value.uploadId });
    setProbing(false);
    if (!p.ok) return setFileError(p.error);
    setUploadId(up.value.uploadId);
    setProbe(p.value);
    setMapping(p.value.mapping);
    setMappingError(null);
    // Without a remembered kind, a list with a 件类型 column is most likely new-policy cases
    // handed down by the call centre; the user sees the choice and can change it.
    setKind(p.value.defaultKind ?? (p.value.mapping.caseType !== undefined ? 'new_policy' : undefined));
    // Required fields first, then the ones recognised, then the rest; fixed once, so rows do not
    // jump around while the user picks columns.
    const mapped = (f: ImportProbe['fields'][number]) => (f.required ? 0 : p.value.mapping[f.field] !== undefined ? 1 : 2);
    setFieldOrder([...p.value.fields].sort((a, b) => mapped(a) - mapped(b)));
    setStep(1);
  };

  const duplicates = (() => {
    const byColumn = new Map<number, FieldName[]>();
    for (const [f, col] of Object.entries(mapping) as [FieldName, number][]) byColumn.set(col, [...(byColumn.get(col) ?? []), f]);
    return new Set([...byColumn.values()].filter((fs) => fs.length > 1).flat());
  })();
  const missingRequired = probe?.fields.filter((f) => f.required && mapping[f.field] === undefined) ?? [];
  const canPreview = probe !== null && kind !== undefined && duplicates.size === 0 && missingRequired.length === 0;

  const startPreview = async () => {
    if (!uploadId || !kind) return;
    setStep(2);
    setJobError(null);
    setCancelled(null);
    setPreview(null);
    setRunning({ kind: 'preview', job: null });
    const r = await runJob(
      () => call('import.preview', { uploadId, mapping, defaultKind: kind }),
      (id) => call('import.previewResult', { jobId: id }),
      {
        onStart: (id) => (jobId.current = id),
        onProgress: (job) => setRunning({ kind: 'preview', job }),
      },
    );
    jobId.current = null;
    setRunning(null);
    if (r.state === 'done') {
      setPreview(r.value);
      setPreviewJobId(r.jobId);
    } else if (r.state === 'cancelled') setCancelled(r.message);
    else if (r.jobId === null && r.error.code === 'invalid_input') {
      // The mapping itself was refused (a required column missing, one column used twice): back to it.
      setMappingError(r.error);
      setStep(1);
    } else setJobError(r.error);
  };

  const startCommit = async () => {
    if (!previewJobId) return;
    setStep(3);
    setJobError(null);
    setCancelled(null);
    setSummary(null);
    setRunning({ kind: 'commit', job: null });
    const r = await runJob(
      () => call('import.commit', { previewJobId }),
      (id) => call('import.commitResult', { jobId: id }),
      {
        onStart: (id) => (jobId.current = id),
        onProgress: (job) => setRunning({ kind: 'commit', job }),
      },
    );
    jobId.current = null;
    setRunning(null);
    if (r.state === 'done') {
      setSummary(r.value);
      onImported();
    } else if (r.state === 'cancelled') setCancelled(r.message);
    else setJobError(r.error);
  };

  const cancelRunning = () => {
    if (jobId.current) void cancelJob(jobId.current);
  };

  const restart = () => {
    setStep(0);
    setProbe(null);
    setUploadId(null);
    setPreview(null);
    setPreviewJobId(null);
    setFileName(null);
  };

  const cancelledResult = (back: { label: string; to: number }) => (
    <Result
      status="info"
      title={cancelled}
      data-testid="import-cancelled"
      extra={[
        <Button key="back" onClick={() => setStep(back.to)}>
          {back.label}
        </Button>,
        <Button key="close" onClick={onDone}>
          {t('common.close')}
        </Button>,
      ]}
    />
  );

  let body: ReactNode = null;
  let actions: ReactNode = null;
  if (step === 0) {
    body = (
      <div className="import-step">
        <Upload.Dragger
          accept=".xlsx,.csv"
          showUploadList={false}
          disabled={progress !== null || probing}
          // Nothing goes to an upload URL: the file is read here and sent in chunks through the contract.
          beforeUpload={(file) => {
            void pickFile(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('import.file.pick')}</p>
          <p className="ant-upload-hint">{t('import.file.hint')}</p>
        </Upload.Dragger>
        {progress && (
          <div className="import-progress" data-testid="upload-progress">
            <Typography.Text>{t('import.file.uploading', { name: fileName ?? '' })}</Typography.Text>
            <Progress percent={progress.total > 0 ? Math.floor((progress.sent / progress.total) * 100) : 0} />
            <Button onClick={() => uploadAbort.current?.abort()}>{t('common.cancel')}</Button>
          </div>
        )}
        {probing && (
          <div className="import-progress">
            <Spin size="small" /> <Typography.Text>{t('import.file.probing', { name: fileName ?? '' })}</Typography.Text>
          </div>
        )}
        {notice && <Alert type="info" showIcon title={notice} className="import-alert" />}
        {fileError && (
          <div className="import-alert">
            <ImportErrorAlert error={fileError} testId="import-file-error" />
          </div>
        )}
      </div>
    );
  } else if (step === 1 && probe) {
    body = (
      <div className="import-step" data-testid="import-mapping">
        {probe.remembered ? (
          <Alert type="success" showIcon title={t('import.mapping.remembered')} data-testid="mapping-remembered" />
        ) : (
          <Alert type="info" showIcon title={t('import.mapping.recognised', { count: Object.keys(probe.mapping).length })} data-testid="mapping-recognised" />
        )}
        <Typography.Paragraph type="secondary" className="import-file-facts">
          {[
            probe.fileName,
            probe.sheetName ? t('import.mapping.sheet', { name: probe.sheetName }) : probe.encoding ? t('import.mapping.encoding', { encoding: probe.encoding }) : null,
            t('import.mapping.headerRow', { row: probe.headerRow }),
            t('import.mapping.columns', { count: probe.columns.length }),
          ]
            .filter(Boolean)
            .join(' · ')}
        </Typography.Paragraph>
        <div className="mapping-kind">
          <label htmlFor="import-kind">{t('import.mapping.kind')}</label>
          <Select<TaskKind>
            id="import-kind"
            value={kind}
            onChange={setKind}
            placeholder={t('import.mapping.kindPlaceholder')}
            options={TASK_KINDS.map((k) => ({ value: k, label: TASK_KIND_LABELS[k] }))}
            style={{ width: 200 }}
            status={kind === undefined ? 'warning' : ''}
          />
          <Typography.Text type="secondary">{mapping.caseType !== undefined ? t('import.mapping.kindHelpWithColumn') : t('import.mapping.kindHelp')}</Typography.Text>
        </div>
        <UnmappedColumns probe={probe} mapping={mapping} />
        <MappingTable
          probe={probe}
          fields={fieldOrder}
          mapping={mapping}
          onChange={setMapping}
          duplicates={duplicates}
          serverIssues={mappingError?.issues ?? []}
          scrollContainer={() => bodyRef.current ?? document.body}
        />
        {mappingError && !mappingError.issues?.length && <Alert type="error" showIcon title={mappingError.message} className="import-alert" />}
      </div>
    );
    actions = (
      <>
        <Button onClick={restart}>{t('import.back.file')}</Button>
        <span className="import-actions-hint">
          {missingRequired.length > 0 && t('import.mapping.missing', { fields: missingRequired.map((f) => `「${f.label}」`).join('') })}
          {duplicates.size > 0 && t('import.mapping.duplicate')}
          {kind === undefined && t('import.mapping.kindMissing')}
        </span>
        <Button type="primary" disabled={!canPreview} onClick={() => void startPreview()} data-testid="start-preview">
          {t('import.mapping.next')}
        </Button>
      </>
    );
  } else if (step === 2) {
    body = (
      <div className="import-step" data-testid="import-preview">
        {running && <JobProgress running={running} onCancel={cancelRunning} />}
        {cancelled && cancelledResult({ label: t('import.back.mapping'), to: 1 })}
        {jobError && <ImportErrorAlert error={jobError} testId="import-job-error" />}
        {preview && <PreviewResult preview={preview} />}
      </div>
    );
    if (jobError) actions = <Button onClick={() => setStep(1)}>{t('import.back.mapping')}</Button>;
    if (preview) {
      actions = (
        <>
          <Button onClick={onDone} data-testid="preview-discard">
            {t('import.preview.discard')}
          </Button>
          <span className="import-actions-hint">{preview.valid === 0 ? t('import.preview.nothing') : ''}</span>
          <Button type="primary" disabled={preview.valid === 0} onClick={() => void startCommit()} data-testid="commit-import">
            {t('import.preview.commit', { count: preview.valid })}
          </Button>
        </>
      );
    }
  } else if (step === 3) {
    body = (
      <div className="import-step" data-testid="import-commit">
        {running && <JobProgress running={running} onCancel={cancelRunning} />}
        {cancelled && cancelledResult({ label: t('import.back.preview'), to: 2 })}
        {jobError && <ImportErrorAlert error={jobError} testId="import-job-error" />}
        {summary && (
          <Result
            status="success"
            title={t('import.done.title')}
            subTitle={
              <span data-testid="import-summary">
                {t('import.done.summary', { created: summary.created, updated: summary.updated, unchanged: summary.unchanged, skipped: summary.skipped })}
              </span>
            }
            extra={
              <Button type="primary" onClick={onDone} data-testid="import-finish">
                {t('import.done.close')}
              </Button>
            }
          />
        )}
      </div>
    );
    if (jobError) {
      actions = (
        <>
          <Button onClick={() => setStep(2)}>{t('import.back.preview')}</Button>
          <span className="import-actions-hint" />
          <Button onClick={onDone}>{t('common.close')}</Button>
        </>
      );
    }
  }

  return (
    <div className="import-wizard" data-testid="import-wizard">
      <Steps
        current={step}
        size="small"
        className="import-steps"
        items={[{ title: t('import.step.file') }, { title: t('import.step.mapping') }, { title: t('import.step.preview') }, { title: t('import.step.commit') }]}
      />
      {/* The steps and the buttons stay put; only what is between them scrolls. */}
      <div className="import-body" ref={bodyRef}>
        {body}
      </div>
      {actions && <div className="import-actions">{actions}</div>}
    </div>
  );
}

/** The bar shows how far; the text names the phase only (main counts bytes while reading, rows after). */
function JobProgress({ running, onCancel }: { running: Running; onCancel: () => void }) {
  const t = useT();
  const job = running.job;
  return (
    <div className="import-progress job-progress" data-testid="job-progress">
      <Typography.Text>{running.kind === 'preview' ? t('import.job.preview') : t('import.job.commit')}</Typography.Text>
      <Progress percent={jobPercent(job)} status="active" />
      <Space>
        <Typography.Text type="secondary">
          {job ? t('import.job.phase', { phase: job.phase }) : t('import.job.starting')}
        </Typography.Text>
        <Button size="small" onClick={onCancel} data-testid="cancel-job">
          {t('common.cancel')}
        </Button>
      </Space>
    </div>
  );
}

const NOT_MAPPED = -1;

function MappingTable({
  probe,
  fields,
  mapping,
  onChange,
  duplicates,
  serverIssues,
  scrollContainer,
}: {
  probe: ImportProbe;
  fields: ImportProbe['fields'];
  mapping: Mapping;
  onChange: (m: Mapping) => void;
  duplicates: ReadonlySet<FieldName>;
  serverIssues: FieldIssue[];
  scrollContainer: () => HTMLElement;
}) {
  const t = useT();
  const options = [
    { value: NOT_MAPPED, label: t('import.mapping.none') },
    ...probe.columns.map((c) => ({ value: c.index, label: t('import.mapping.column', { letter: columnLetter(c.index), header: c.header || t('import.mapping.noHeader') }) })),
  ];
  const set = (field: FieldName, col: number) => {
    const next = { ...mapping };
    if (col === NOT_MAPPED) delete next[field];
    else next[field] = col;
    onChange(next);
  };
  return (
    <Table<ImportProbe['fields'][number]>
      rowKey="field"
      size="small"
      pagination={false}
      dataSource={fields}
      // One scroll area for the whole step; the header stays visible at its top.
      sticky={{ getContainer: scrollContainer }}
      className="mapping-table"
      data-testid="mapping-table"
      rowClassName={(f) => `mapping-row-${f.field}`}
      columns={[
        {
          title: t('import.mapping.col.field'),
          key: 'field',
          width: 210,
          render: (_v, f) => (
            <span className="mapping-field">
              {f.required && <span className="required-mark">*</span>}
              {f.label}
            </span>
          ),
        },
        {
          title: t('import.mapping.col.column'),
          key: 'column',
          width: 300,
          render: (_v, f) => {
            const issue = serverIssues.find((i) => i.path === `mapping.${f.field}`)?.message;
            const problem = duplicates.has(f.field) ? t('import.mapping.usedTwice') : issue;
            return (
              <>
                <Select<number>
                  id={`map-${f.field}`}
                  value={mapping[f.field] ?? NOT_MAPPED}
                  onChange={(v) => set(f.field, v)}
                  options={options}
                  showSearch={{ optionFilterProp: 'label' }}
                  status={problem ? 'error' : ''}
                  style={{ width: '100%' }}
                  aria-label={f.label}
                />
                {problem && <div className="mapping-problem">{problem}</div>}
              </>
            );
          },
        },
        {
          title: t('import.mapping.col.samples'),
          key: 'samples',
          render: (_v, f) => {
            const col = mapping[f.field];
            const samples = col === undefined ? [] : (probe.columns[col]?.samples ?? []);
            return (
              <Typography.Text type="secondary" ellipsis={{ tooltip: samples.join('、') }} className="mapping-samples">
                {samples.join('、')}
              </Typography.Text>
            );
          },
        },
      ]}
    />
  );
}

/** Columns of the file that no field takes: often the very one the recogniser could not name. */
function UnmappedColumns({ probe, mapping }: { probe: ImportProbe; mapping: Mapping }) {
  const t = useT();
  const used = new Set(Object.values(mapping));
  const left = probe.columns.filter((c) => !used.has(c.index) && (c.header !== '' || c.samples.length > 0));
  if (left.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      className="import-alert"
      data-testid="unmapped-columns"
      title={t('import.mapping.unmapped', {
        columns: left.map((c) => t('import.mapping.column', { letter: columnLetter(c.index), header: c.header || t('import.mapping.noHeader') })).join('、'),
      })}
    />
  );
}

const ACTION_COLORS = { create: 'green', update: 'blue', unchanged: 'default' } as const;

function PreviewResult({ preview: p }: { preview: ImportPreview }) {
  const t = useT();
  const counts: [string, number, string][] = [
    [t('import.preview.valid'), p.valid, 'ok'],
    [t('import.preview.invalid'), p.invalid, p.invalid > 0 ? 'bad' : ''],
    [t('import.preview.duplicates'), p.duplicates, p.duplicates > 0 ? 'warn' : ''],
    [t('import.preview.create'), p.create, ''],
    [t('import.preview.update'), p.update, ''],
    [t('import.preview.unchanged'), p.unchanged, ''],
  ];
  return (
    <div className="preview-result">
      <div className="preview-counts" data-testid="preview-counts">
        <span className="preview-total">{t('import.preview.total', { count: p.rowsTotal })}</span>
        {counts.map(([label, n, tone], i) => (
          <span key={label} className={`preview-count ${tone}`}>
            {i > 0 && <span className="preview-sep"> / </span>}
            {label} <b>{n}</b>
          </span>
        ))}
      </div>
      {p.issues.length > 0 && (
        <>
          <Typography.Title level={5} className="preview-heading">
            {t('import.preview.issues', { count: p.invalid + p.duplicates })}
            {p.issuesTruncated && <Typography.Text type="secondary"> {t('import.preview.issuesTruncated', { count: p.issues.length })}</Typography.Text>}
          </Typography.Title>
          <Table<FieldIssue & { n: number }>
            rowKey="n"
            size="small"
            data-testid="preview-issues"
            dataSource={p.issues.map((i, n) => ({ ...i, n }))}
            pagination={p.issues.length > 6 ? { pageSize: 6, size: 'small', showSizeChanger: false } : false}
            columns={[
              { title: t('import.preview.col.row'), key: 'row', width: 64, render: (_v, i) => rowOf(i) ?? '' },
              { title: t('import.preview.col.message'), dataIndex: 'message' },
            ]}
          />
        </>
      )}
      {p.warnings.length > 0 && (
        <Collapse
          size="small"
          className="preview-warnings"
          data-testid="preview-warnings"
          items={[
            {
              key: 'w',
              label: t('import.preview.warnings', { count: p.warningsTotal }),
              children: (
                <ul className="issue-list">
                  {p.warnings.map((w, i) => (
                    <li key={i}>{w.message}</li>
                  ))}
                  {p.warningsTotal > p.warnings.length && <li>{t('import.preview.warningsMore', { count: p.warningsTotal - p.warnings.length })}</li>}
                </ul>
              ),
            },
          ]}
        />
      )}
      {p.sample.length > 0 && (
        <>
          <Typography.Title level={5} className="preview-heading">
            {t('import.preview.sample', { count: p.sample.length })}
          </Typography.Title>
          <Table<ImportSampleRow>
            rowKey="row"
            size="small"
            data-testid="preview-sample"
            dataSource={p.sample}
            pagination={p.sample.length > 6 ? { pageSize: 6, size: 'small', showSizeChanger: false } : false}
            columns={[
              { title: t('import.preview.col.row'), dataIndex: 'row', width: 64 },
              { title: t('import.preview.col.action'), dataIndex: 'action', width: 84, render: (a: ImportSampleRow['action']) => <Tag color={ACTION_COLORS[a]}>{t(`import.action.${a}`)}</Tag> },
              { title: t('import.preview.col.policyNo'), dataIndex: 'policyNo' },
              { title: t('import.preview.col.name'), dataIndex: 'applicantName', width: 110 },
              { title: t('import.preview.col.kind'), dataIndex: 'kind', width: 130, render: (k: TaskKind) => TASK_KIND_LABELS[k] },
              { title: t('import.preview.col.due'), dataIndex: 'dueOn', width: 110, render: (d: string | null) => d ?? '—' },
            ]}
          />
        </>
      )}
    </div>
  );
}
