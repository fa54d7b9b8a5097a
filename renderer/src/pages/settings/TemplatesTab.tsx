import { UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Drawer, Space, Spin, Table, Tag, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { TemplateSummary } from '../../../../shared/api/contract';
import type { ApiError } from '../../../../shared/api/envelope';
import { categoryLabel } from '../../../../shared/outcome';
import {
  PRODUCT_TYPES,
  VISIT_KINDS,
  renderQuestionText,
  type ProductType,
  type Question,
  type QuestionnaireTemplate,
} from '../../../../shared/questionnaire';
import { call } from '../../api/client';
import { useAppStore, useT } from '../../stores/app-store';
import { ImportErrorAlert } from './ImportErrorAlert';
import { readFileAsBase64 } from './file-upload';

const KIND_LABELS: Record<string, string> = Object.fromEntries(VISIT_KINDS.map((k) => [k.code, k.label]));
const PRODUCT_LABELS: Record<ProductType, string> = Object.fromEntries(PRODUCT_TYPES.map((p) => [p.code, p.label])) as Record<ProductType, string>;

function QuestionsDrawer({ summary, onClose }: { summary: TemplateSummary | null; onClose: () => void }) {
  const t = useT();
  const [template, setTemplate] = useState<QuestionnaireTemplate | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!summary) return;
    setTemplate(null);
    setError(null);
    void call('questionnaire.get', { id: summary.id, version: summary.version }).then((r) => (r.ok ? setTemplate(r.value) : setError(r.error.message)));
  }, [summary]);

  return (
    <Drawer
      open={summary !== null}
      onClose={onClose}
      size={900}
      title={summary ? t('templates.detail', { name: summary.name, version: summary.version }) : ''}
    >
      {error && <Alert type="error" showIcon title={t('settings.loadFailed', { message: error })} />}
      {!template && !error && <Spin style={{ display: 'block', margin: '48px auto' }} />}
      {template && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="template-questions">
          <Space wrap>
            {template.appliesTo.map((k) => (
              <Tag key={k} color="blue">
                {KIND_LABELS[k] ?? k}
              </Tag>
            ))}
            {template.productTypes?.map((p) => <Tag key={p}>{PRODUCT_LABELS[p]}</Tag>)}
          </Space>
          {template.source && <Typography.Text type="secondary">{t('templates.source', { source: template.source })}</Typography.Text>}
          <Table<Question>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={[...template.questions]}
            columns={[
              { title: '#', width: 44, render: (_: unknown, _q, i) => i + 1 },
              {
                title: t('templates.q.text'),
                render: (_: unknown, q) => (
                  <>
                    {/* Placeholders show as 【产品名称】, as the visitor sees them before a policy is chosen. */}
                    <div>{renderQuestionText(q.text)}</div>
                    {!q.required && <Tag style={{ marginTop: 4 }}>{t('templates.q.optional')}</Tag>}
                  </>
                ),
              },
              {
                title: t('templates.q.expected'),
                dataIndex: 'expected',
                width: 90,
                render: (e: Question['expected']) => (e === 'yes' ? t('try.yes') : t('try.no')),
              },
              { title: t('templates.q.category'), dataIndex: 'category', width: 150, render: (c: Question['category']) => categoryLabel(c) },
              {
                title: t('templates.q.shownFor'),
                width: 170,
                render: (_: unknown, q) =>
                  q.showWhen ? (
                    <Space size={4} wrap>
                      {q.showWhen.productTypes.map((p) => (
                        <Tag key={p} color="purple">
                          {PRODUCT_LABELS[p]}
                        </Tag>
                      ))}
                    </Space>
                  ) : (
                    <Typography.Text type="secondary">{t('templates.q.allProducts')}</Typography.Text>
                  ),
              },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}

export function TemplatesTab() {
  const t = useT();
  const { message } = App.useApp();
  const isAdmin = useAppStore((s) => s.user?.role === 'admin');
  const [rows, setRows] = useState<TemplateSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [importError, setImportError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState<TemplateSummary | null>(null);

  const load = useCallback(async () => {
    const r = await call('questionnaire.list', {});
    if (!r.ok) return setLoadError(r.error.message);
    setLoadError(null);
    setRows(r.value.templates);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const importFile = async (file: File) => {
    setImporting(true);
    setImportError(null);
    try {
      const r = await call('questionnaire.import', { fileName: file.name, contentBase64: await readFileAsBase64(file) });
      if (r.ok) {
        void message.success(t('templates.imported', { name: r.value.name, version: r.value.version }));
        await load();
      } else {
        setImportError(r.error);
      }
    } catch {
      setImportError({ code: 'internal', message: `无法读取文件「${file.name}」` });
    } finally {
      setImporting(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {isAdmin ? (
        <div data-testid="template-upload">
          <Upload
            accept=".json"
            // Read here and passed through the contract; there is no upload URL.
            showUploadList={false}
            disabled={importing}
            beforeUpload={(file) => {
              void importFile(file);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={importing}>
              {importing ? t('templates.importing') : t('templates.import')}
            </Button>
          </Upload>
        </div>
      ) : (
        <Typography.Text type="secondary">{t('templates.adminOnly')}</Typography.Text>
      )}
      {importError && <ImportErrorAlert error={importError} testId="template-import-error" />}
      {loadError && <Alert type="error" showIcon title={t('settings.loadFailed', { message: loadError })} />}
      <Table<TemplateSummary>
        rowKey={(r) => `${r.id}@${r.version}`}
        size="small"
        data-testid="templates-table"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        onRow={(r) => ({ onClick: () => setOpen(r), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('templates.col.id'), dataIndex: 'id', width: 150, render: (id: string) => <Typography.Text code>{id}</Typography.Text> },
          { title: t('templates.col.name'), dataIndex: 'name', render: (n: string) => <Typography.Text strong>{n}</Typography.Text> },
          { title: t('templates.col.version'), dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
          {
            title: t('templates.col.appliesTo'),
            dataIndex: 'appliesTo',
            render: (kinds: string[]) => (
              <Space size={4} wrap>
                {kinds.map((k) => (
                  <Tag key={k}>{KIND_LABELS[k] ?? k}</Tag>
                ))}
              </Space>
            ),
          },
          { title: t('templates.col.questions'), dataIndex: 'questionCount', width: 70 },
          {
            title: t('templates.col.origin'),
            width: 180,
            render: (_: unknown, r) =>
              r.builtIn ? (
                <Tag color="blue">{t('templates.builtin')}</Tag>
              ) : (
                <Tag color="green">{t('templates.importedAt', { at: r.importedAt ? dayjs(r.importedAt).format('YYYY-MM-DD HH:mm') : '' })}</Tag>
              ),
          },
          {
            title: t('templates.col.latest'),
            dataIndex: 'latest',
            width: 100,
            render: (latest: boolean) => (latest ? <Tag color="green">{t('templates.latest')}</Tag> : <Tag>{t('templates.older')}</Tag>),
          },
          {
            title: '',
            width: 100,
            render: (_: unknown, r) => (
              <Button
                type="link"
                size="small"
                onClick={(e) => {
                  e.stopPropagation();
                  setOpen(r);
                }}
              >
                {t('templates.view')}
              </Button>
            ),
          },
        ]}
      />
      <QuestionsDrawer summary={open} onClose={() => setOpen(null)} />
    </Space>
  );
}
