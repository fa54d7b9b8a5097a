/**
 * The conclusion of a visit from what was recorded.
 *
 * - success (回访成功): reached the person in person — or a family member the applicant authorised
 *   (客户回访规范与管理) — every visible required item asked, and every answer the expected one
 *   (山东保监局…修订的通知 一: 回访到投保人本人 … 给予肯定答复，表示理解且没有异议).
 * - problem (问题件): reached, but some answer is not the expected one, or the visitor recorded a
 *   finding (山东 一: 回访成功但未给予肯定答复的保单，称为问题件). It takes precedence over
 *   'incomplete': once a customer has denied signing, the case goes to problem handling even if
 *   the call ended before the last question; the unanswered ones are asked at the second visit.
 * - incomplete: reached, no problem so far, but a required visible question (or who answered) is
 *   not yet recorded.
 * - not_completed (不成功): nobody reached; the next step follows 重庆…办法 第六条.
 */
import type { FieldIssue } from '../api/envelope';
import { isQuestionVisible, renderQuestionText } from '../questionnaire/registry';
import type { Question } from '../questionnaire/types';
import { categoryInfo, categoryLabel, sortCategories, type ProblemCategory } from './categories';
import { describeAttempt, nextContactStep, sortAttempts } from './fallback';
import {
  ANSWER_LABELS,
  AUTHORISATION_METHODS,
  AUTHORISATION_REASONS,
  FAMILY_RELATIONSHIPS,
  type Answer,
  type AnswerRecord,
  type NextStep,
  type Outcome,
  type OutcomeInput,
  type Respondent,
} from './types';

const label = <C extends string>(list: readonly { code: C; label: string }[], code: C): string =>
  list.find((x) => x.code === code)?.label ?? code;

/** Short form of a question for messages: "第3题「签名是否本人…」". */
function questionRef(q: Question, index: number): string {
  // Placeholders shown by their Chinese names, so "{paymentYears}" reads as 【缴费年限】.
  const full = renderQuestionText(q.text);
  const text = full.length > 20 ? `${full.slice(0, 20)}…` : full;
  return `第 ${index + 1} 题「${text}」`;
}

export interface AnswerEvaluation {
  /** The answer that counts, or undefined if not answered. */
  effective?: Answer;
  /** The first answer was not the expected one but the re-asked answer is. */
  resolvedByExplanation: boolean;
  /** The first answer was an explicit denial an explanation cannot change (explanationCanResolve: false). */
  firstAnswerBinding: boolean;
}

/**
 * Which answer counts. Normally the re-asked answer after an explanation; but for a question
 * marked `explanationCanResolve: false` an explicit contrary first answer stands — a customer who
 * said someone else signed has stated a fact that no explanation changes, and a visitor who could
 * talk it away would hide a proxy signature (代签名). A first "unclear" (the customer did not
 * understand the question) may still be clarified.
 */
export function evaluateAnswer(q: Question, rec: AnswerRecord | undefined): AnswerEvaluation {
  if (!rec) return { resolvedByExplanation: false, firstAnswerBinding: false };
  const contraryFirst = rec.first !== q.expected && rec.first !== 'unclear';
  if (q.explanationCanResolve === false && contraryFirst) {
    return { effective: rec.first, resolvedByExplanation: false, firstAnswerBinding: true };
  }
  const effective = rec.afterExplanation ?? rec.first;
  return {
    effective,
    resolvedByExplanation: rec.first !== q.expected && effective === q.expected,
    firstAnswerBinding: false,
  };
}

function respondentProblems(r: Respondent | undefined): FieldIssue[] {
  if (!r) return [{ path: 'respondent', message: '已接通，但未记录受访人（本人或经授权的家属）' }];
  if (r.kind === 'in_person') return [];
  const issues: FieldIssue[] = [];
  const blank = (s: string | undefined) => !s || s.trim() === '';
  // 客户回访规范与管理: the applicant may authorise a family member — the relationship and the
  // authorisation are what make the family member's answers count.
  if (!r.relationship) issues.push({ path: 'respondent.relationship', message: '请填写代答家属与投保人的关系' });
  else if (r.relationship === 'other' && blank(r.relationshipNote))
    issues.push({ path: 'respondent.relationshipNote', message: '关系为“其他家庭成员”时，请说明具体关系' });
  if (!r.reason) issues.push({ path: 'respondent.reason', message: '请选择由家属代答的原因' });
  else if (r.reason === 'other' && blank(r.reasonNote))
    issues.push({ path: 'respondent.reasonNote', message: '原因为“其他原因”时，请说明具体原因' });
  if (!r.authorisation) issues.push({ path: 'respondent.authorisation', message: '请记录投保人的授权方式' });
  return issues;
}

function respondentSentence(r: Respondent): string {
  if (r.kind === 'in_person') {
    return `已回访到本人${r.name ? `（${r.name}${r.position ? `，${r.position}` : ''}）` : ''}。`;
  }
  const rel = r.relationship === 'other' && r.relationshipNote ? r.relationshipNote : label(FAMILY_RELATIONSHIPS, r.relationship);
  const why = r.reason === 'other' && r.reasonNote ? r.reasonNote : label(AUTHORISATION_REASONS, r.reason);
  return `经投保人授权（${label(AUTHORISATION_METHODS, r.authorisation)}），由其${rel}${r.name ? ` ${r.name} ` : ''}代为接受回访，原因：${why}（客户回访规范与管理）。`;
}

const RECORD_RESPONDENT: NextStep = {
  action: 'record_respondent',
  explanation: '请先记录受访人：本人，或经投保人授权代答的家属及其关系、代答原因与授权方式（客户回访规范与管理）。',
};

function problemNextStep(categories: ProblemCategory[], unansweredCount: number): NextStep {
  const parts: string[] = [];
  const needsExplanation = categories.some((c) => {
    const g = categoryInfo(c).group;
    return g === 'sales_quality' || g === 'misleading' || g === 'documents' || g === 'rights' || g === 'information';
  });
  if (needsExplanation) {
    parts.push(
      '由公司专人（该保单销售人员除外）与投保人沟通解释；电话沟通须录音，面访沟通须留存面访问卷并由投保人本人签字确认（山东保监局…修订的通知 三）。',
    );
  }
  parts.push('问题件须在工单下达后三个工作日内处理，逾期本身即为问题件（客户回访规范与管理）。');
  parts.push(`处理要点：${categories.map((c) => `${categoryLabel(c)}——${categoryInfo(c).handling}`).join('；')}。`);
  parts.push(
    unansweredCount > 0
      ? `处理后进行二次回访，并补问未答的 ${unansweredCount} 道题目。`
      : '处理后进行二次回访。',
  );
  return { action: 'handle_problem_case', explanation: parts.join('') };
}

export function computeOutcome(input: OutcomeInput): Outcome {
  const attempts = sortAttempts(input.attempts);
  const findings = input.findings ?? [];
  const reached = attempts.some((a) => a.outcome === 'reached' && a.method !== 'sms');

  if (!reached) return notCompleted(input);

  const reasons: string[] = [];
  const issues: FieldIssue[] = [];
  const failed: ProblemCategory[] = [];
  const unanswered: Question[] = [];

  const respondentIssues = respondentProblems(input.respondent);
  issues.push(...respondentIssues);
  if (input.respondent && respondentIssues.length === 0) reasons.push(respondentSentence(input.respondent));

  const visible = input.template.questions.filter((q) => isQuestionVisible(q, input.productType));
  visible.forEach((q, i) => {
    const rec = input.answers[q.id];
    const ev = evaluateAnswer(q, rec);
    const path = `answers.${q.id}`;
    if (!rec || ev.effective === undefined) {
      if (q.required) {
        unanswered.push(q);
        issues.push({ path, message: `${questionRef(q, i)}尚未回答` });
      }
      return;
    }
    if (ev.effective !== q.expected) {
      failed.push(q.category);
      const history =
        rec.afterExplanation !== undefined && rec.afterExplanation !== rec.first
          ? `首次回答「${ANSWER_LABELS[rec.first]}」，解释后回答「${ANSWER_LABELS[rec.afterExplanation]}」`
          : `回答「${ANSWER_LABELS[ev.effective]}」`;
      const binding = ev.firstAnswerBinding && rec.afterExplanation !== undefined && rec.afterExplanation !== rec.first
        ? '；本题为事实确认，以首次明确回答为准'
        : '';
      const message = `${questionRef(q, i)}${history}（期望「${ANSWER_LABELS[q.expected]}」）${binding}：${categoryLabel(q.category)}`;
      issues.push({ path, message });
      reasons.push(message);
    } else if (ev.resolvedByExplanation) {
      reasons.push(
        `${questionRef(q, i)}首次回答「${ANSWER_LABELS[rec.first]}」，经解释后确认「${ANSWER_LABELS[ev.effective]}」（两次回答均已记录）。`,
      );
    }
  });

  findings.forEach((f, i) => {
    failed.push(f.category);
    const message = `回访人员记录：${categoryLabel(f.category)}——${f.note}`;
    issues.push({ path: `findings.${i}`, message });
    reasons.push(message);
  });

  const categories = sortCategories(failed);

  if (categories.length > 0) {
    if (unanswered.length > 0) reasons.push(`另有 ${unanswered.length} 道必答题未回答。`);
    if (respondentIssues.length > 0) {
      return {
        status: 'incomplete',
        categories,
        reasons: [...respondentIssues.map((x) => x.message), ...reasons],
        nextStep: RECORD_RESPONDENT,
        issues,
      };
    }
    reasons.unshift('已联系到受访人，但回访内容未全部得到肯定答复，列为问题件（山东保监局…修订的通知 一）。');
    return { status: 'problem', categories, reasons, nextStep: problemNextStep(categories, unanswered.length), issues };
  }

  if (respondentIssues.length > 0) {
    return {
      status: 'incomplete',
      categories: [],
      reasons: [...respondentIssues.map((x) => x.message), ...reasons],
      nextStep: RECORD_RESPONDENT,
      issues,
    };
  }

  if (unanswered.length > 0) {
    return {
      status: 'incomplete',
      categories: [],
      reasons: [...reasons, `还有 ${unanswered.length} 道必答题未回答：${unanswered.map((q) => q.id).join('、')}。`],
      nextStep: {
        action: 'continue_questions',
        explanation: '请逐一询问未答题目，得到明确答复后再转入下一题（重庆市人身保险新单回访管理办法 第八条）；通话中断的，回拨继续。',
      },
      issues,
    };
  }

  const earlierWrong = attempts.filter((a) => a.outcome === 'wrong_number');
  if (earlierWrong.length > 0) {
    reasons.push(`此前有 ${earlierWrong.length} 次联系因电话/地址错误未成功，号码或地址已补正。`);
  }
  reasons.push('回访内容均已告知，受访人全部给予肯定答复，表示理解且没有异议（山东保监局…修订的通知 一）。');
  return { status: 'success', categories: [], reasons, issues };
}

function notCompleted(input: OutcomeInput): Outcome {
  const attempts = sortAttempts(input.attempts);
  const reasons: string[] = [];
  const issues: FieldIssue[] = [];
  const found: ProblemCategory[] = [];

  if (attempts.length === 0) {
    reasons.push('尚未联系受访人。');
  } else {
    reasons.push(`未能联系到受访人本人，共联系 ${attempts.length} 次：`);
    for (const a of attempts) reasons.push(describeAttempt(a));
  }

  // 客户回访规范与管理 问题件 1: a phone number or address confirmed wrong is itself a
  // problem case (信息错误) for the sales-quality supervisor, even though nobody was reached.
  if (attempts.some((a) => a.outcome === 'wrong_number')) {
    found.push('wrong_info');
    reasons.push('电话或地址错误，列为信息错误（客户回访规范与管理 问题件 1）。');
  }
  (input.findings ?? []).forEach((f, i) => {
    found.push(f.category);
    const message = `回访人员记录：${categoryLabel(f.category)}——${f.note}`;
    issues.push({ path: `findings.${i}`, message });
    reasons.push(message);
  });

  if (Object.keys(input.answers).length > 0 || input.respondent) {
    const message = '已录入的受访人或答案未计入结论：联系记录中没有“已接通”的记录。';
    issues.push({ path: 'attempts', message });
    reasons.push(message);
  }

  if (input.unableReason && input.unableReason.trim() !== '') {
    reasons.push(`不能完成回访的原因：${input.unableReason.trim()}`);
  }

  const nextStep = nextContactStep(attempts, input.unableReason);
  return {
    status: 'not_completed',
    categories: sortCategories(found),
    reasons,
    ...(nextStep ? { nextStep } : {}),
    issues,
  };
}
