import { AudioOutlined, FileImageOutlined, FilePdfOutlined, PauseCircleOutlined, PlayCircleOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Progress, Select, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { AttachmentView } from '../../../../shared/api/contract';
import { call } from '../../api/client';
import { uploadFile } from '../../api/upload';
import { useT } from '../../stores/app-store';
import { onSignOut } from '../../stores/session';
import { useVisitStore } from './open-visit';
import { formatSize } from './visit-labels';

type Kind = AttachmentView['kind'];

/** Main's limit for one attachment (electron/visits MAX_ATTACHMENT_BYTES); checked here too so a 90 MB video is not uploaded only to be refused. */
const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

const ACCEPT: Record<Kind, string> = {
  photo: 'image/jpeg,image/png,image/webp',
  scan: 'image/jpeg,image/png,image/webp,application/pdf',
  audio: 'audio/*,.mp3,.m4a,.wav,.ogg,.webm',
};

// Attachment bytes never change (they are stored under their SHA-256), so one fetch per file will do.
const dataCache = new Map<number, Promise<{ mime: string; dataBase64: string } | string>>();
// The photos are the customer's: they go at sign-out with everything else.
onSignOut(() => dataCache.clear());
export function attachmentData(id: number) {
  let p = dataCache.get(id);
  if (!p) {
    p = call('visits.attachment', { id }).then((r) => (r.ok ? r.value : r.error.message));
    dataCache.set(id, p);
    void p.then((v) => typeof v === 'string' && dataCache.delete(id));
  }
  return p;
}

export function AttachmentThumb({ a }: { a: AttachmentView }) {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!a.mime.startsWith('image/')) return;
    let live = true;
    void attachmentData(a.id).then((d) => {
      if (!live) return;
      if (typeof d === 'string') setError(d);
      else setSrc(`data:${d.mime};base64,${d.dataBase64}`);
    });
    return () => {
      live = false;
    };
  }, [a.id, a.mime]);
  if (a.mime.startsWith('audio/')) return <AudioPlayer a={a} />;
  if (!a.mime.startsWith('image/')) return <FilePdfOutlined className="attachment-icon" />;
  if (error) return <Typography.Text type="danger">{error}</Typography.Text>;
  return src ? <img src={src} alt={a.fileName} className="attachment-thumb" /> : <Spin />;
}

/**
 * Plays a recording through Web Audio. An <audio> element cannot load it: the app's
 * Content-Security-Policy has no media-src, so data: and blob: media are refused; decoding the
 * bytes ourselves needs no URL at all.
 */
function AudioPlayer({ a }: { a: AttachmentView }) {
  const t = useT();
  const [state, setState] = useState<'idle' | 'loading' | 'playing'>('idle');
  const [duration, setDuration] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ctx = useRef<AudioContext | null>(null);
  const source = useRef<AudioBufferSourceNode | null>(null);
  const buffer = useRef<AudioBuffer | null>(null);

  useEffect(
    () => () => {
      source.current?.stop();
      void ctx.current?.close();
    },
    [],
  );

  const play = async () => {
    setError(null);
    if (!buffer.current) {
      setState('loading');
      const d = await attachmentData(a.id);
      if (typeof d === 'string') {
        setState('idle');
        return setError(d);
      }
      const bytes = Uint8Array.from(atob(d.dataBase64), (c) => c.charCodeAt(0));
      ctx.current ??= new AudioContext();
      try {
        buffer.current = await ctx.current.decodeAudioData(bytes.buffer);
        setDuration(buffer.current.duration);
      } catch {
        setState('idle');
        return setError(t('visit.att.cannotPlay'));
      }
    }
    ctx.current ??= new AudioContext();
    const node = ctx.current.createBufferSource();
    node.buffer = buffer.current;
    node.connect(ctx.current.destination);
    node.onended = () => setState('idle');
    node.start();
    source.current = node;
    setState('playing');
  };

  return (
    <div className="audio-player" data-testid="audio-player">
      <AudioOutlined className="attachment-icon" />
      {state === 'playing' ? (
        <Button icon={<PauseCircleOutlined />} onClick={() => source.current?.stop()}>
          {t('visit.att.stop')}
        </Button>
      ) : (
        <Button icon={<PlayCircleOutlined />} loading={state === 'loading'} onClick={() => void play()}>
          {t('visit.att.play')}
        </Button>
      )}
      {duration !== null && <span>{t('visit.att.duration', { s: duration.toFixed(1) })}</span>}
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </div>
  );
}

export function AttachmentList({ attachments }: { attachments: AttachmentView[] }) {
  const t = useT();
  if (attachments.length === 0) return <Empty description={t('visit.att.none')} />;
  const kindLabel: Record<Kind, string> = { photo: t('visit.att.photo'), scan: t('visit.att.scan'), audio: t('visit.att.audio') };
  return (
    <div className="attachment-list" data-testid="attachment-list">
      {attachments.map((a) => (
        <div key={a.id} className="attachment-card" data-testid="attachment-card">
          <div className="attachment-preview">
            <AttachmentThumb a={a} />
          </div>
          <div className="attachment-meta">
            <div>
              <Tag>{kindLabel[a.kind]}</Tag>
              <Typography.Text strong ellipsis={{ tooltip: a.fileName }} style={{ maxWidth: 180 }}>
                {a.fileName}
              </Typography.Text>
            </div>
            <div className="mono" title={a.sha256}>
              SHA-256 {a.sha256.slice(0, 16)}…
            </div>
            <div>{formatSize(a.size)}</div>
          </div>
        </div>
      ))}
    </div>
  );
}

/** Step 4 附件: photos of the signed receipt, scans, a recording; each uploaded in chunks, then attached. */
export function AttachmentsStep() {
  const t = useT();
  const view = useVisitStore((s) => s.view)!;
  const mutate = useVisitStore((s) => s.mutate);
  const [kind, setKind] = useState<Kind>('photo');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const readOnly = view.state !== 'draft';

  const onFile = async (file: File) => {
    setError(null);
    if (file.size > MAX_ATTACHMENT_BYTES) {
      return setError(t('visit.att.tooLarge', { name: file.name, mb: (file.size / 1048576).toFixed(1), max: MAX_ATTACHMENT_BYTES / 1048576 }));
    }
    setProgress(0);
    const up = await uploadFile(file, { onProgress: (p) => setProgress(p.total ? Math.floor((p.sent / p.total) * 100) : 100) });
    if (!up.ok) {
      setProgress(null);
      return setError(up.error.message);
    }
    const r = await mutate('visits.attach', { visitId: view.id, uploadId: up.value.uploadId, kind });
    setProgress(null);
    if (!r.ok) setError(r.error.message);
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="attachments-step">
      {!readOnly && (
        <>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('visit.att.intro')}
          </Typography.Paragraph>
          <Space wrap>
            <Select<Kind>
              id="attachment-kind"
              value={kind}
              onChange={setKind}
              style={{ width: 160 }}
              options={[
                { value: 'photo', label: t('visit.att.photo') },
                { value: 'scan', label: t('visit.att.scan') },
                { value: 'audio', label: t('visit.att.audio') },
              ]}
            />
            <Button type="primary" icon={kind === 'audio' ? <AudioOutlined /> : kind === 'photo' ? <FileImageOutlined /> : <UploadOutlined />} loading={progress !== null} onClick={() => input.current?.click()} data-testid="attachment-add">
              {t('visit.att.add')}
            </Button>
            <input
              ref={input}
              type="file"
              hidden
              accept={ACCEPT[kind]}
              data-testid="attachment-input"
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (f) void onFile(f);
              }}
            />
          </Space>
          {progress !== null && <Progress percent={progress} size="small" style={{ maxWidth: 420 }} />}
          {error && <Alert type="error" showIcon title={t('visit.att.failed')} description={error} data-testid="attachment-error" closable={{ onClose: () => setError(null) }} />}
          {view.signatures.length > 0 && <Alert type="warning" showIcon title={t('visit.att.afterSign')} />}
        </>
      )}
      <AttachmentList attachments={view.attachments} />
    </Space>
  );
}
