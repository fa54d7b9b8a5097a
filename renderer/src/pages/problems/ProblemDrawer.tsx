import { Alert, Button, Card, Descriptions, Drawer, Space, Spin, Tag, Timeline } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { ProblemCaseDetail, ProblemVisitRef, UserSummary } from '../../../../shared/api/contract';
import { call } from '../../api/client';
import { useAppStore, useT } from '../../stores/app-store';
import { openVisit } from '../visit/open-visit';
import { localTime } from '../visit/visit-labels';
import { AssignForm, CloseForm, ExplainForm, ReopenForm, SecondVisitForm } from './ProblemActions';
import { DUE_COLORS, DUE_KEYS, EVENT_COLORS, EVENT_KEYS, RESOLUTION_KEYS, STATE_COLORS, STATE_KEYS } from './problem-labels';

function VisitLink({ v }: { v: ProblemVisitRef | null }) {
  if (!v) return null;
  return (
    <Button type="link" size="small" style={{ padding: 0 }} onClick={() => void openVisit(v.id)}>
      {v.recordNo} v{v.version}（{v.visitorName}）
    </Button>
  );
}

/** One 问题件: what it is, its history with who and when, and the next steps of its lifecycle as forms. */
export function ProblemDrawer({ caseId, users, onClose, onChanged }: { caseId: number | null; users: UserSummary[]; onClose: () => void; onChanged: () => void }) {
  const t = useT();
  const role = useAppStore((s) => s.user?.role);
  const [detail, setDetail] = useState<ProblemCaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (caseId === null) return;
    const r = await call('problems.get', { id: caseId });
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setDetail(r.value);
  }, [caseId]);

  useEffect(() => {
    setDetail(null);
    void load();
  }, [load]);

  const done = (d: ProblemCaseDetail) => {
    setDetail(d);
    onChanged();
  };

  const works = role === 'staff' || role === 'manager';
  const waiting = detail?.state === 'open' || detail?.state === 'reopened';

  return (
    <Drawer open={caseId !== null} onClose={onClose} size={620} destroyOnHidden title={detail ? t('problems.drawer.title', { id: detail.id, name: detail.customerName }) : ''}>
      {error && <Alert type="error" showIcon title={error} />}
      {!detail && !error && <Spin />}
      {detail && (
        <div data-testid="problem-drawer">
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('problems.col.state')}>
              <Space>
                <Tag color={STATE_COLORS[detail.state]} data-testid="problem-state">
                  {t(STATE_KEYS[detail.state])}
                </Tag>
                {detail.dueState && <Tag color={DUE_COLORS[detail.dueState]}>{t(DUE_KEYS[detail.dueState])}</Tag>}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('problems.col.due')}>{detail.dueOn ?? ''}</Descriptions.Item>
            <Descriptions.Item label={t('problems.col.policy')}>
              <span className="mono">{detail.policyNo ?? ''}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('problems.col.agent')}>{detail.agentName ? `${detail.agentName}（${detail.agentCode ?? ''}）` : ''}</Descriptions.Item>
            <Descriptions.Item label={t('problems.col.customer')}>{detail.customerName}</Descriptions.Item>
            <Descriptions.Item label={t('problems.col.handler')}>
              <span data-testid="problem-handler">{detail.handlerName ?? t('problems.unassigned')}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('problems.col.categories')} span={2}>
              {detail.categoryLabels.map((c) => (
                <Tag key={c}>{c}</Tag>
              ))}
            </Descriptions.Item>
            <Descriptions.Item label={t('problems.col.description')} span={2}>
              {detail.description ?? ''}
            </Descriptions.Item>
            {detail.openingVisit && (
              <Descriptions.Item label={t('problems.openingVisit')} span={2}>
                <VisitLink v={detail.openingVisit} />
              </Descriptions.Item>
            )}
            {detail.explanation && (
              <Descriptions.Item label={t('problems.explanation')} span={2}>
                {detail.explanation.method === 'phone'
                  ? t('problems.explanation.phone', { ref: detail.explanation.recordingRef ?? '' })
                  : t('problems.explanation.inPerson')}{' '}
                <VisitLink v={detail.explanation.visit} /> {detail.explanation.note}
              </Descriptions.Item>
            )}
            {detail.secondVisit && (
              <Descriptions.Item label={t('problems.secondVisit')} span={2}>
                <VisitLink v={detail.secondVisit} />
              </Descriptions.Item>
            )}
            {detail.resolution && (
              <Descriptions.Item label={t('problems.close.resolution')} span={2}>
                {t(RESOLUTION_KEYS[detail.resolution])}
                {detail.resolutionNote ? `：${detail.resolutionNote}` : ''}（{localTime(detail.closedAt)}）
              </Descriptions.Item>
            )}
          </Descriptions>
          {detail.dueExplanation && waiting && <Alert type="info" showIcon title={detail.dueExplanation} style={{ marginTop: 12 }} />}

          {works && detail.state !== 'closed' && role === 'manager' && (
            <Card size="small" title={t('problems.assign.title')} style={{ marginTop: 16 }}>
              <AssignForm key={`assign-${detail.handlerId ?? 0}`} detail={detail} users={users} onDone={done} />
            </Card>
          )}
          {works && waiting && (
            <Card size="small" title={t('problems.explain.title')} style={{ marginTop: 16 }}>
              <ExplainForm detail={detail} onDone={done} />
            </Card>
          )}
          {works && detail.state === 'explained' && !detail.secondVisit && (
            <Card size="small" title={t('problems.second.title')} style={{ marginTop: 16 }}>
              <SecondVisitForm detail={detail} onDone={done} />
            </Card>
          )}
          {works && detail.state === 'explained' && (
            <Card size="small" title={t('problems.close.title')} style={{ marginTop: 16 }}>
              <CloseForm detail={detail} onDone={done} />
            </Card>
          )}
          {works && (detail.state === 'closed' || detail.state === 'explained') && (
            <Card size="small" title={t('problems.reopen.title')} style={{ marginTop: 16 }}>
              <ReopenForm detail={detail} onDone={done} />
            </Card>
          )}

          <Card size="small" title={t('problems.history')} style={{ marginTop: 16 }}>
            <div data-testid="problem-history">
              <Timeline
                className="history"
                items={detail.history.map((h) => ({
                  key: h.id,
                  color: EVENT_COLORS[h.event],
                  content: (
                    <>
                      <div className="history-when">
                        {localTime(h.at)} · {h.userName ?? t('problems.system')}
                      </div>
                      <div>
                        <strong>{t(EVENT_KEYS[h.event])}</strong>
                        {h.detail ? `：${h.detail}` : ''}
                      </div>
                    </>
                  ),
                }))}
              />
            </div>
          </Card>
        </div>
      )}
    </Drawer>
  );
}
