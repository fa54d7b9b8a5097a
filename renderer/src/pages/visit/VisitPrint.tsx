import { CloseOutlined, PrinterOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { createPortal } from 'react-dom';
import type { SignatureView, VisitView } from '../../../../shared/api/contract';
import { KEY_CLIENT_FIELDS, RECORD_SHEET_FIELDS, type SheetFieldName } from '../../../../shared/domain/visit';
import { maskPhone } from '../../../../shared/domain/masking';
import { TASK_KIND_LABELS } from '../../../../shared/domain/tasks';
import { ANSWER_LABELS, OUTCOME_STATUS_LABELS, categoryLabel } from '../../../../shared/outcome';
import { renderQuestionText, type PlaceholderKey } from '../../../../shared/questionnaire';
import { useT } from '../../stores/app-store';
import { answerOf, describeRespondent, isKeyClient, localTime, placeLabel, questionsOf, shortHash } from './visit-labels';

const label = (name: SheetFieldName) => [...RECORD_SHEET_FIELDS, ...KEY_CLIENT_FIELDS].find((f) => f.name === name)!.label;

function Sig({ sig, caption }: { sig: SignatureView | undefined; caption: string }) {
  return (
    <div className="print-sig">
      <div className="print-sig-caption">{caption}</div>
      <div className="print-sig-box">{sig ? <img src={sig.png} alt={sig.signerName} /> : null}</div>
      <div className="print-sig-meta">{sig ? `${sig.signerName}\u3000${localTime(sig.signedAt)}` : '\u3000'}</div>
    </div>
  );
}

function Footer({ view }: { view: VisitView }) {
  const t = useT();
  return (
    <div className="print-footer">
      <span>
        {t('print.recordNo')}：{view.recordNo}
      </span>
      <span>{t('visit.version', { n: view.version })}</span>
      <span>
        {t('print.hash')}：{shortHash(view.contentHash)}
      </span>
      <span>{view.state === 'draft' ? t('print.draft') : `${t('visit.record.finalisedAt')}：${localTime(view.finalisedAt)}`}</span>
    </div>
  );
}

/**
 * The record as the branch files it on paper (客户回访记录表, XX保险…管理办法 附件一, then the 面访问卷
 * with the applicant's signature), laid out for A4. Rendered at the top of <body> so that the print
 * stylesheet can hide everything else; on screen it is a preview with the print button.
 */
export function VisitPrint({
  view,
  branchName,
  values,
  onPrint,
  onClose,
}: {
  view: VisitView;
  branchName: string;
  values: Partial<Record<PlaceholderKey, string>>;
  onPrint: () => void;
  onClose: () => void;
}) {
  const t = useT();
  // Paper is masked like the screen: a finalised sheet comes masked from main; a draft's number
  // (kept in full for typing) is masked here.
  const s = view.state === 'draft' && view.sheet.phone ? { ...view.sheet, phone: maskPhone(view.sheet.phone) } : view.sheet;
  const customer = view.signatures.find((x) => x.role === 'customer');
  const staff = view.signatures.find((x) => x.role === 'staff');
  const customerCaption = view.respondent?.kind === 'family_member' ? t('print.familySign') : t('print.customerSign');
  const cell = (name: SheetFieldName) => <td className="pre-wrap">{s[name] ?? ''}</td>;
  const wide = (name: SheetFieldName, text = label(name), cls = 'print-tall') => (
    <tr key={name} className={cls}>
      <th>{text}</th>
      <td colSpan={3} className="pre-wrap">
        {s[name] ?? ''}
      </td>
    </tr>
  );
  const o = view.outcome;
  const conclusion = `${OUTCOME_STATUS_LABELS[o.status]}${o.categories.length ? `（${o.categories.map((c) => categoryLabel(c)).join('、')}）` : ''}`;

  return createPortal(
    <div className="visit-print-host" data-testid="visit-print">
      <div className="visit-print-toolbar">
        <span>{t('print.previewTitle')}</span>
        <Space>
          <Button type="primary" icon={<PrinterOutlined />} onClick={onPrint} data-testid="print-again">
            {t('print.print')}
          </Button>
          <Button icon={<CloseOutlined />} onClick={onClose} data-testid="print-close">
            {t('print.close')}
          </Button>
        </Space>
      </div>

      <section className="print-page">
        <div className="print-branch">{branchName}</div>
        <h1 className="print-title">客户回访记录表</h1>
        <div className="print-meta">
          <span>
            {t('print.recordNo')}：{view.recordNo}
          </span>
          <span>
            {t('print.kind')}：{TASK_KIND_LABELS[view.kind]}
          </span>
          <span>
            {t('print.visitedAt')}：{view.visitedAt ?? ''}
            {view.placeKind ? `（${placeLabel(view.placeKind)}）` : ''}
          </span>
        </div>
        <table className="print-table">
          <colgroup>
            <col style={{ width: '17%' }} />
            <col style={{ width: '33%' }} />
            <col style={{ width: '17%' }} />
            <col style={{ width: '33%' }} />
          </colgroup>
          <tbody>
            <tr>
              <th>{label('customerName')}</th>
              {cell('customerName')}
              <th>{label('policyNo')}</th>
              {cell('policyNo')}
            </tr>
            <tr>
              <th>{label('visitor')}</th>
              {cell('visitor')}
              <th>{label('interviewee')}</th>
              {cell('interviewee')}
            </tr>
            <tr>
              <th>{label('place')}</th>
              {cell('place')}
              <th>{label('phone')}</th>
              {cell('phone')}
            </tr>
            {wide('summary')}
            {isKeyClient(view.kind) && KEY_CLIENT_FIELDS.map((f) => wide(f.name))}
            {wide('feedback')}
            {wide('followUp')}
            <tr className="print-sign-row">
              <th>备注及签字</th>
              <td colSpan={3}>
                <div className="pre-wrap print-remarks">{s.remarks ?? ''}</div>
                <div className="print-sigs">
                  <Sig sig={customer} caption={customerCaption} />
                  <Sig sig={staff} caption={t('print.staffSign')} />
                </div>
                {view.countersign && (
                  <div className="print-sigs" data-testid="print-countersign">
                    <div className="print-sig">
                      <div className="print-sig-caption">{t('print.countersign')}</div>
                      <div className="print-sig-box">
                        <img src={view.countersign.png} alt={view.countersign.managerName} />
                      </div>
                      <div className="print-sig-meta">{`${view.countersign.managerName}\u3000${localTime(view.countersign.signedAt)}`}</div>
                    </div>
                    <div className="print-sig" />
                  </div>
                )}
              </td>
            </tr>
          </tbody>
        </table>
        <Footer view={view} />
      </section>

      <section className="print-page print-page-break">
        <h2 className="print-title print-title-2">面访问卷</h2>
        <div className="print-meta">
          <span>
            {view.template.name}（{t('visit.version', { n: view.template.version })}）
          </span>
          <span>
            {t('print.respondent')}：{describeRespondent(view.respondent, s.customerName)}
          </span>
        </div>
        <table className="print-table print-questions">
          <colgroup>
            <col style={{ width: '9%' }} />
            <col style={{ width: '71%' }} />
            <col style={{ width: '20%' }} />
          </colgroup>
          <thead>
            <tr>
              <th>{t('print.no')}</th>
              <th>{t('visit.q.question')}</th>
              <th>{t('print.answer')}</th>
            </tr>
          </thead>
          <tbody>
            {questionsOf(view).map((q, i) => {
              const a = answerOf(view, q.id);
              return (
                <tr key={q.id}>
                  <td className="center">{i + 1}</td>
                  <td>
                    {renderQuestionText(q.text, values)}
                    {a?.note ? <div className="print-note">{t('print.note', { note: a.note })}</div> : null}
                  </td>
                  <td>
                    {a?.first ? ANSWER_LABELS[a.first] : t('visit.q.unanswered')}
                    {a?.afterExplanation ? <div>{t('print.afterExplanation', { answer: ANSWER_LABELS[a.afterExplanation] })}</div> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="print-conclusion">
          {t('print.conclusion')}：{conclusion}
        </div>
        <div className="print-sigs print-sigs-end">
          <Sig sig={customer} caption={view.respondent?.kind === 'family_member' ? t('print.familySign') : t('print.applicantSign')} />
        </div>
        <Footer view={view} />
      </section>
    </div>,
    document.body,
  );
}
