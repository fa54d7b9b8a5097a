import { Button, Progress, Space, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';
import type { JobView } from '../../../../shared/api/contract';
import type { Envelope } from '../../../../shared/api/envelope';
import { exportAndDownload, type ExportOutcome } from '../../api/exports';
import { cancelJob, jobPercent } from '../../api/jobs';
import { useT } from '../../stores/app-store';

/**
 * Runs one export at a time with a progress bar and 取消: main writes to a temporary file and
 * renames it only when complete, so a cancel leaves nothing behind.
 */
export function useExport() {
  const [job, setJob] = useState<JobView | null>(null);
  const [running, setRunning] = useState(false);
  const jobId = useRef<string | null>(null);

  const run = useCallback(async (start: () => Promise<Envelope<{ jobId: string }>>): Promise<ExportOutcome> => {
    setRunning(true);
    setJob(null);
    try {
      return await exportAndDownload(start, {
        onStart: (id) => {
          jobId.current = id;
        },
        onProgress: setJob,
      });
    } finally {
      jobId.current = null;
      setRunning(false);
    }
  }, []);

  const cancel = useCallback(() => {
    if (jobId.current) void cancelJob(jobId.current);
  }, []);

  return { run, cancel, running, job };
}

/** The progress bar and 取消 shown while an export runs. */
export function ExportProgress({ running, job, onCancel }: { running: boolean; job: JobView | null; onCancel: () => void }) {
  const t = useT();
  if (!running) return null;
  return (
    <Space data-testid="export-progress">
      <Progress percent={jobPercent(job)} size="small" style={{ width: 160 }} status="active" />
      <Typography.Text type="secondary" className="nowrap">
        {t('lists.exporting', { done: job?.done ?? 0, total: job?.total ?? 0 })}
      </Typography.Text>
      <Button size="small" onClick={onCancel} data-testid="export-cancel">
        {t('lists.cancel')}
      </Button>
    </Space>
  );
}
