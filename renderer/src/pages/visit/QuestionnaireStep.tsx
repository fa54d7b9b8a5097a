import { CheckCircleFilled, LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Progress, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { VisitAnswerView, VisitView } from '../../../../shared/api/contract';
import { ANSWER_LABELS, categoryLabel, evaluateAnswer, type Answer } from '../../../../shared/outcome';
import { renderQuestionText, type Question } from '../../../../shared/questionnaire';
import { useAppStore, useT } from '../../stores/app-store';
import { useVisitStore } from './open-visit';
import { SaveIndicator } from './SaveIndicator';
import { ANSWER_ORDER, answerOf, placeholderValues, questionsOf } from './visit-labels';

/** The script with the values it could not fill (【缴费年限】) marked, so the visitor reads them off the policy. */
export function ScriptText({ text }: { text: string }) {
  const parts = text.split(/(【[^】]+】)/);
  return (
    <>
      {parts.map((p, i) =>
        /^【[^】]+】$/.test(p) ? (
          <mark key={i} className="script-missing">
            {p}
          </mark>
        ) : (
          <span key={i}>{p}</span>
        ),
      )}
    </>
  );
}

export function useScriptValues() {
  const view = useVisitStore((s) => s.view)!;
  const detail = useVisitStore((s) => s.detail);
  const branchName = useAppStore((s) => s.status?.branch?.name);
  return placeholderValues(view, detail, branchName);
}

function toRecord(a: VisitAnswerView | null) {
  if (!a?.first) return undefined;
  return { first: a.first, ...(a.afterExplanation ? { afterExplanation: a.afterExplanation } : {}) };
}

/** Step 2 问卷: one question per screen, each answered before the next (重庆…办法 第八条). */
export function QuestionnaireStep() {
  const t = useT();
  const view = useVisitStore((s) => s.view)!;
  const goTo = useVisitStore((s) => s.goTo);
  const questionIndex = useVisitStore((s) => s.questionIndex);
  const values = useScriptValues();
  const qs = questionsOf(view);

  if (view.state !== 'draft') return <AnswersTable view={view} values={values} />;
  if (!view.respondent || !view.visitedAt) {
    return (
      <Alert
        type="warning"
        showIcon
        title={t('visit.q.needRespondent')}
        action={
          <Button onClick={() => goTo('respondent')} type="primary">
            {t('visit.step.respondent')}
          </Button>
        }
      />
    );
  }
  const index = Math.min(Math.max(questionIndex, 0), qs.length - 1);
  const q = qs[index]!;
  // Keyed by question so the note box starts from that question's saved note.
  return <QuestionScreen key={q.id} view={view} questions={qs} index={index} values={values} />;
}

function QuestionScreen({ view, questions, index, values }: { view: VisitView; questions: Question[]; index: number; values: ReturnType<typeof useScriptValues> }) {
  const t = useT();
  const mutate = useVisitStore((s) => s.mutate);
  const goTo = useVisitStore((s) => s.goTo);
  const q = questions[index]!;
  const rec = answerOf(view, q.id);
  const [note, setNote] = useState(rec?.note ?? '');
  const [error, setError] = useState<string | null>(null);
  const answered = new Set(view.answers.filter((a) => a.first).map((a) => a.questionId));
  const firstOpen = questions.findIndex((x) => !answered.has(x.id));
  const last = index === questions.length - 1;
  const ev = evaluateAnswer(q, toRecord(rec));
  const needsExplanation = !!rec?.first && rec.first !== q.expected;
  const binding = q.explanationCanResolve === false && !!rec?.first && rec.first !== q.expected && rec.first !== 'unclear';

  const send = async (stage: 'first' | 'after_explanation', answer: Answer, withNote = note) => {
    setError(null);
    const trimmed = withNote.trim();
    const r = await mutate('visits.answer', { visitId: view.id, questionId: q.id, stage, answer, ...(trimmed || rec?.note ? { note: trimmed } : {}) });
    if (!r.ok) setError(r.error.message);
  };

  const answerFirst = (a: Answer) => {
    // Sending the same first answer again would wipe the re-asked one (main resets it).
    if (rec?.first === a) return;
    void send('first', a);
  };
  const answerAgain = (a: Answer) => {
    if (rec?.afterExplanation === a) return;
    void send('after_explanation', a);
  };
  const saveNote = () => {
    if (!rec?.first || note.trim() === (rec.note ?? '').trim()) return;
    // The note rides on the latest answer, so saving it never clears the re-asked answer.
    if (rec.afterExplanation) void send('after_explanation', rec.afterExplanation);
    else void send('first', rec.first);
  };

  const dot = (x: Question, i: number) => {
    const a = answerOf(view, x.id);
    const e = evaluateAnswer(x, toRecord(a));
    const cls = !a ? 'q-dot-open' : e.effective === x.expected ? 'q-dot-ok' : 'q-dot-problem';
    return (
      <button
        key={x.id}
        type="button"
        className={`q-dot ${cls}${i === index ? ' q-dot-current' : ''}`}
        disabled={firstOpen >= 0 && i > firstOpen}
        onClick={() => goTo('questions', i)}
        title={t('visit.q.progress', { n: i + 1, total: questions.length })}
      >
        {i + 1}
      </button>
    );
  };

  return (
    <div className="question-screen" data-testid="question-screen" data-question-id={q.id}>
      <div className="question-top">
        <Typography.Text strong className="question-progress" data-testid="question-progress">
          {t('visit.q.progress', { n: index + 1, total: questions.length })}
        </Typography.Text>
        <Progress percent={Math.round((answered.size / questions.length) * 100)} showInfo={false} size="small" className="question-progress-bar" />
        <Typography.Text type="secondary">{t('visit.q.answeredCount', { n: answered.size, total: questions.length })}</Typography.Text>
      </div>
      <div className="q-dots">{questions.map(dot)}</div>

      <div className="question-card">
        <div className="question-label">{t('visit.q.readAloud')}</div>
        <div className="question-script" data-testid="question-text">
          <ScriptText text={renderQuestionText(q.text, values)} />
        </div>
        {q.hint && <Alert type="info" showIcon className="question-hint" title={t('visit.q.hint', { hint: q.hint })} />}

        <div className="answer-row" role="group" aria-label={t('visit.q.firstAnswer')}>
          {ANSWER_ORDER.map((a) => (
            <Button
              key={a}
              size="large"
              className="answer-button"
              data-testid={`answer-${a}`}
              type={rec?.first === a ? 'primary' : 'default'}
              danger={rec?.first === a && a !== q.expected}
              onClick={() => answerFirst(a)}
            >
              {ANSWER_LABELS[a]}
            </Button>
          ))}
        </div>

        {needsExplanation && (
          <div className="explain-box" data-testid="explain-box">
            <div className="explain-title">{t('visit.q.explainTitle')}</div>
            <div className="explain-text">
              {t('visit.q.explainText', { first: ANSWER_LABELS[rec.first!], expected: ANSWER_LABELS[q.expected] })}
            </div>
            {binding && <Alert type="warning" showIcon style={{ margin: '8px 0' }} title={t('visit.q.binding')} />}
            <div className="explain-label">{t('visit.q.afterExplanation')}</div>
            <div className="answer-row answer-row-small" role="group" aria-label={t('visit.q.afterExplanation')}>
              {ANSWER_ORDER.map((a) => (
                <Button
                  key={a}
                  size="large"
                  className="answer-button answer-button-small"
                  data-testid={`reask-${a}`}
                  type={rec.afterExplanation === a ? 'primary' : 'default'}
                  danger={rec.afterExplanation === a && a !== q.expected}
                  onClick={() => answerAgain(a)}
                >
                  {ANSWER_LABELS[a]}
                </Button>
              ))}
            </div>
          </div>
        )}

        {rec?.first && (
          <div className="answer-history" data-testid="answer-history">
            <span>
              {t('visit.q.firstAnswer')}：<b>{ANSWER_LABELS[rec.first]}</b>
            </span>
            {rec.afterExplanation && (
              <span>
                {t('visit.q.afterExplanation')}：<b>{ANSWER_LABELS[rec.afterExplanation]}</b>
              </span>
            )}
            {ev.effective === q.expected ? (
              <Tag color="green" icon={<CheckCircleFilled />}>
                {ev.resolvedByExplanation ? t('visit.q.resolved') : t('visit.q.affirmative')}
              </Tag>
            ) : (
              <Tag color="volcano">{categoryLabel(q.category)}</Tag>
            )}
          </div>
        )}

        <div className="question-note">
          <label htmlFor="visit-answer-note">{t('visit.q.note')}</label>
          <Input.TextArea
            id="visit-answer-note"
            value={note}
            maxLength={500}
            autoSize={{ minRows: 1, maxRows: 3 }}
            onChange={(e) => setNote(e.target.value)}
            onBlur={saveNote}
            placeholder={t('visit.q.notePlaceholder')}
          />
        </div>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      </div>

      <div className="question-nav">
        <Button size="large" icon={<LeftOutlined />} disabled={index === 0} onClick={() => goTo('questions', index - 1)} data-testid="question-prev">
          {t('visit.q.prev')}
        </Button>
        <SaveIndicator />
        <Space>
          {last ? (
            <Button size="large" type="primary" disabled={!rec?.first} onClick={() => goTo('sheet')} data-testid="question-next">
              {t('visit.q.finish')}
            </Button>
          ) : (
            <Button
              size="large"
              type="primary"
              disabled={!rec?.first}
              onClick={() => goTo('questions', index + 1)}
              data-testid="question-next"
            >
              {t('visit.q.next')} <RightOutlined />
            </Button>
          )}
        </Space>
      </div>
    </div>
  );
}

/** A finished questionnaire read back: every question, both answers where explained, and what it meant. */
export function AnswersTable({ view, values }: { view: VisitView; values: ReturnType<typeof useScriptValues> }) {
  const t = useT();
  const qs = questionsOf(view);
  return (
    <Table<Question>
      rowKey="id"
      size="small"
      pagination={false}
      data-testid="answers-table"
      dataSource={qs}
      columns={[
        { title: '#', width: 44, render: (_: unknown, _q, i) => i + 1 },
        { title: t('visit.q.question'), render: (_: unknown, q) => <ScriptText text={renderQuestionText(q.text, values)} /> },
        { title: t('visit.q.firstAnswer'), width: 100, render: (_: unknown, q) => (answerOf(view, q.id)?.first ? ANSWER_LABELS[answerOf(view, q.id)!.first!] : '—') },
        {
          title: t('visit.q.afterShort'),
          width: 120,
          render: (_: unknown, q) => {
            const a = answerOf(view, q.id)?.afterExplanation;
            return a ? ANSWER_LABELS[a] : '';
          },
        },
        { title: t('visit.q.noteShort'), width: 200, render: (_: unknown, q) => answerOf(view, q.id)?.note ?? '' },
        {
          title: t('visit.q.result'),
          width: 140,
          render: (_: unknown, q) => {
            const ev = evaluateAnswer(q, toRecord(answerOf(view, q.id)));
            if (!ev.effective) return <Tag>{t('visit.q.unanswered')}</Tag>;
            return ev.effective === q.expected ? <Tag color="green">{t('visit.q.affirmative')}</Tag> : <Tag color="volcano">{categoryLabel(q.category)}</Tag>;
          },
        },
      ]}
    />
  );
}
