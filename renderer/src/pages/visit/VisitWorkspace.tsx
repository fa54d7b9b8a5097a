import { CloseOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Drawer, Space, Spin, Steps, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { VisitView } from '../../../../shared/api/contract';
import { TASK_KIND_LABELS } from '../../../../shared/domain/tasks';
import { call, transport } from '../../api/client';
import { useAppStore, useT } from '../../stores/app-store';
import { AttachmentsStep } from './AttachmentsStep';
import { useVisitStore, VISIT_STEPS, type VisitStep } from './open-visit';
import { OutcomeStep } from './OutcomeStep';
import { QuestionnaireStep, useScriptValues } from './QuestionnaireStep';
import { RecordInfo } from './RecordInfo';
import { RespondentStep } from './RespondentStep';
import { SaveIndicator } from './SaveIndicator';
import { SheetStep } from './SheetStep';
import { VisitPrint } from './VisitPrint';
import { STATE_COLORS, questionsOf } from './visit-labels';
import './visit.css';

function stepStatus(v: VisitView, step: VisitStep, current: VisitStep): 'wait' | 'process' | 'finish' | 'error' {
  if (step === current) return 'process';
  const has = (prefix: string) => v.blockers.some((b) => b.path.startsWith(prefix));
  switch (step) {
    case 'respondent':
      return v.respondent && v.visitedAt ? 'finish' : 'wait';
    case 'questions': {
      const answered = new Set(v.answers.filter((a) => a.first).map((a) => a.questionId));
      return questionsOf(v).every((q) => answered.has(q.id)) ? 'finish' : 'wait';
    }
    case 'sheet':
      return has('sheet.') ? 'wait' : 'finish';
    case 'attachments':
      return v.attachments.length > 0 ? 'finish' : 'wait';
    case 'outcome':
      return v.state !== 'draft' ? 'finish' : 'wait';
  }
}

function StepBody({ step }: { step: VisitStep }) {
  switch (step) {
    case 'respondent':
      return <RespondentStep />;
    case 'questions':
      return <QuestionnaireStep />;
    case 'sheet':
      return <SheetStep />;
    case 'attachments':
      return <AttachmentsStep />;
    case 'outcome':
      return <OutcomeStep />;
  }
}

function Workspace({ view }: { view: VisitView }) {
  const t = useT();
  const step = useVisitStore((s) => s.step);
  const goTo = useVisitStore((s) => s.goTo);
  const close = useVisitStore((s) => s.close);
  const branchName = useAppStore((s) => s.status?.branch?.name ?? '');
  const values = useScriptValues();
  const [printing, setPrinting] = useState(false);
  const [printRequest, setPrintRequest] = useState(0);
  // Each click prints (and is logged) once, whatever else makes the effect run again.
  const printed = useRef(0);
  const { message } = App.useApp();

  useEffect(() => {
    if (printRequest === 0 || printRequest === printed.current) return;
    printed.current = printRequest;
    // The signatures are data-URL images: wait until they are decoded so the page never prints blank boxes.
    const images = [...document.querySelectorAll<HTMLImageElement>('.visit-print-host img')];
    void Promise.all(images.map((i) => i.decode().catch(() => undefined))).then(async () => {
      // The desktop saves a PDF itself (Electron printToPDF, which main logs); a browser uses its
      // own print dialog, which main cannot see: the print is reported first, and a print that
      // cannot be logged does not happen.
      if (transport !== 'electron') {
        const logged = await call('audit.notePrint', { visitId: view.id });
        if (!logged.ok) return void message.error(t('print.notLogged', { message: logged.error.message }));
        return window.print();
      }
      const r = await call('print.savePdf', { suggestedName: `客户回访记录表-${view.recordNo}-第${view.version}版` });
      if (!r.ok) void message.error(r.error.message);
      else if (r.value.saved) void message.success(t('print.saved', { path: r.value.path ?? '' }));
    });
  }, [printRequest, view.id, view.recordNo, view.version, message, t]);

  const print = () => {
    setPrinting(true);
    setPrintRequest((n) => n + 1);
  };

  const answered = view.answers.filter((a) => a.first).length;
  const total = questionsOf(view).length;
  const stateLabel: Record<VisitView['state'], string> = { draft: t('visit.state.draft'), finalised: t('visit.state.finalised'), superseded: t('visit.state.superseded') };
  const descriptions: Partial<Record<VisitStep, string>> = {
    questions: `${answered} / ${total}`,
    attachments: view.attachments.length ? String(view.attachments.length) : '',
  };

  return (
    <div className="visit-layout" data-testid="visit-workspace" data-visit-id={view.id}>
      <div className="visit-header">
        <div className="visit-title">
          <span className="visit-customer">{view.sheet.customerName}</span>
          <Tag color={STATE_COLORS[view.state]} data-testid="visit-state">
            {stateLabel[view.state]}
          </Tag>
          <Typography.Text type="secondary">
            {TASK_KIND_LABELS[view.kind]} · {view.recordNo} · {t('visit.version', { n: view.version })}
            {view.sheet.policyNo ? ` · ${view.sheet.policyNo}` : ''}
          </Typography.Text>
        </div>
        <Space>
          {/* The question screen and the sheet show their own, next to what was typed. */}
          {view.state === 'draft' && step !== 'questions' && step !== 'sheet' && <SaveIndicator />}
          <Button icon={<PrinterOutlined />} onClick={print} data-testid="visit-print-button">
            {t('visit.print')}
          </Button>
          <Button icon={<CloseOutlined />} onClick={close} data-testid="visit-close">
            {t('visit.close')}
          </Button>
        </Space>
      </div>
      <div className="visit-steps">
        <Steps
          size="small"
          current={VISIT_STEPS.indexOf(step)}
          onChange={(i) => goTo(VISIT_STEPS[i]!)}
          items={VISIT_STEPS.map((s) => ({
            key: s,
            title: t(`visit.step.${s}`),
            status: stepStatus(view, s, step),
            content: descriptions[s] || undefined,
          }))}
        />
      </div>
      <div className="visit-body">
        <div className="visit-body-inner">
          {(view.state !== 'draft' || view.version > 1) && <RecordInfo />}
          <StepBody step={step} />
        </div>
      </div>
      {printing && <VisitPrint view={view} branchName={branchName} values={values} onPrint={print} onClose={() => setPrinting(false)} />}
    </div>
  );
}

/**
 * The visit (面访), full screen over the app: on a laptop in the customer's living room nothing
 * else should compete for the screen. Mounted once in the shell; opened through open-visit.ts.
 */
export function VisitWorkspace() {
  const t = useT();
  const open = useVisitStore((s) => s.open);
  const loading = useVisitStore((s) => s.loading);
  const loadError = useVisitStore((s) => s.loadError);
  const view = useVisitStore((s) => s.view);
  const close = useVisitStore((s) => s.close);

  return (
    <Drawer
      open={open}
      placement="right"
      size="100%"
      closable={false}
      // Esc must not end a visit half-way through a question; 关闭 is a deliberate click.
      keyboard={false}
      mask={{ closable: false }}
      destroyOnHidden
      rootClassName="visit-drawer"
      styles={{ body: { padding: 0 } }}
    >
      {loading && <Spin size="large" style={{ display: 'block', marginTop: 160 }} />}
      {loadError && (
        <div style={{ padding: 32 }}>
          <Alert
            type="error"
            showIcon
            title={t('visit.loadFailed')}
            description={loadError}
            action={
              <Button onClick={close} data-testid="visit-close">
                {t('visit.close')}
              </Button>
            }
          />
        </div>
      )}
      {view && !loading && <Workspace key={view.id} view={view} />}
    </Drawer>
  );
}
