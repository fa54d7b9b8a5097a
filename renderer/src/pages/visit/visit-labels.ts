import dayjs from 'dayjs';
import type { TaskDetail, VisitView } from '../../../../shared/api/contract';
import type { FieldIssue } from '../../../../shared/api/envelope';
import { KEY_CLIENT_FIELDS, PLACE_KINDS, RECORD_SHEET_FIELDS, type PlaceKind } from '../../../../shared/domain/visit';
import {
  AUTHORISATION_METHODS,
  AUTHORISATION_REASONS,
  FAMILY_RELATIONSHIPS,
  type Answer,
  type OutcomeStatus,
  type Respondent,
} from '../../../../shared/outcome';
import { visibleQuestions, type PlaceholderKey, type ProductType, type Question } from '../../../../shared/questionnaire';
import type { MessageKey } from '../../i18n/messages';
import type { VisitStep } from './open-visit';

export const labelOf = <C extends string>(list: readonly { code: C; label: string }[], code: C | null | undefined): string =>
  (code && list.find((x) => x.code === code)?.label) || (code ?? '');

export const placeLabel = (p: PlaceKind | null): string => labelOf(PLACE_KINDS, p);

export const STATE_COLORS: Record<VisitView['state'], string> = { draft: 'gold', finalised: 'green', superseded: 'default' };
export const OUTCOME_COLORS: Record<OutcomeStatus, string> = { success: 'green', problem: 'volcano', incomplete: 'default', not_completed: 'red' };

export const isKeyClient = (kind: VisitView['kind']) => kind === 'key_client' || kind === 'shareholder_client';

/** The sheet's fields as this visit's paper has them: the key-client variant adds four items. */
export function sheetFields(kind: VisitView['kind']) {
  return isKeyClient(kind) ? [...RECORD_SHEET_FIELDS, ...KEY_CLIENT_FIELDS] : [...RECORD_SHEET_FIELDS];
}

export const questionsOf = (v: VisitView): Question[] => visibleQuestions(v.template, (v.productType ?? undefined) as ProductType | undefined);

export function answerOf(v: VisitView, questionId: string) {
  return v.answers.find((a) => a.questionId === questionId && a.first !== null) ?? null;
}

/** "2026-11-25T01:02:03Z" → local "2026-11-25 09:02"; main stores instants in UTC. */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = dayjs(iso);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : iso;
}

export const shortHash = (h: string | null | undefined) => (h ? `${h.slice(0, 12)}…` : '');

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** How the respondent reads on the sheet's 受访人及职务 line and in the record. */
export function describeRespondent(r: Respondent | null, customerName: string | undefined): string {
  if (!r) return '';
  if (r.kind === 'in_person') {
    const who = r.name || customerName || '';
    return [who ? `${who}（本人）` : '本人', r.position].filter(Boolean).join('，');
  }
  const rel = r.relationship === 'other' && r.relationshipNote ? r.relationshipNote : labelOf(FAMILY_RELATIONSHIPS, r.relationship);
  const why = r.reason === 'other' && r.reasonNote ? r.reasonNote : labelOf(AUTHORISATION_REASONS, r.reason);
  return `${r.name ?? ''}（投保人${rel}，经授权代答：${why}；${labelOf(AUTHORISATION_METHODS, r.authorisation)}）`;
}

/** ¥-less "3,000.00" from cents: the script says "每期{premium}元". */
function yuan(cents: number): string {
  return `${Math.trunc(cents / 100).toLocaleString('zh-CN')}.${String(Math.abs(cents % 100)).padStart(2, '0')}`;
}

/**
 * Values for the script's placeholders from what the desk knows about the policy. Anything not
 * known stays out, so the text shows 【缴费年限】 and the visitor reads it from the policy instead
 * of a guess being read to the customer.
 */
export function placeholderValues(v: VisitView, detail: TaskDetail | null, branchName: string | undefined): Partial<Record<PlaceholderKey, string>> {
  const p = detail?.policy ?? null;
  const values: Partial<Record<PlaceholderKey, string>> = {};
  const put = (k: PlaceholderKey, value: string | null | undefined) => {
    if (value) values[k] = value;
  };
  put('applicantName', v.sheet.customerName);
  put('companyName', branchName);
  put('productName', p?.productName);
  put('policyNo', v.sheet.policyNo ?? p?.policyNo);
  put('premium', p?.premiumCents != null ? yuan(p.premiumCents) : null);
  put('paymentYears', p?.payYears != null ? `${p.payYears}年` : null);
  put('coveragePeriod', p?.coveragePeriod);
  put('coolingOffDays', p ? String(p.coolingOffDays) : null);
  put('expiryDate', p?.expiryDate);
  put('address', detail?.customer.address ?? v.sheet.place);
  put('phone', v.sheet.phone);
  return values;
}

/** Which step a blocker (or an outcome issue) is fixed on, and for an answer, which question. */
export function stepOfIssue(v: VisitView, issue: FieldIssue): { step: VisitStep; questionIndex?: number } {
  const [head, rest] = [issue.path.split('.')[0], issue.path.split('.').slice(1).join('.')];
  if (head === 'answers') {
    const i = questionsOf(v).findIndex((q) => q.id === rest);
    return i >= 0 ? { step: 'questions', questionIndex: i } : { step: 'questions' };
  }
  if (head === 'sheet') return { step: 'sheet' };
  if (head === 'signatures') return { step: 'outcome' };
  if (head === 'file') return { step: 'attachments' };
  return { step: 'respondent' };
}

export const ANSWER_ORDER: Answer[] = ['yes', 'no', 'unclear'];

export interface ReturnInfo {
  managerName: string;
  returnedAt: string;
  reason: string;
  by: 'manager' | 'head_office';
  /** 'this': this version was sent back and waits for its correction; 'previous': this version corrects a returned one. */
  which: 'this' | 'previous';
}

/** Who sent a record back, as a sentence needs it: 「主管刘洋」 or 「总公司」. */
export function returnedBy(t: (key: MessageKey, params?: Record<string, string | number>) => string, r: Pick<ReturnInfo, 'managerName' | 'by'>): string {
  return r.by === 'head_office' ? t('return.by.hq') : t('return.by.manager', { name: r.managerName });
}

/**
 * What a manager's return (退回) means for the version on screen. Main reports the latest return
 * of the version, or for a correction the return of the version it corrects; a first version's
 * return is its own, and a return made after this version was finalised can only be its own.
 */
export function returnOf(v: Pick<VisitView, 'returned' | 'previousId' | 'state' | 'finalisedAt'>): ReturnInfo | null {
  if (!v.returned) return null;
  const own = v.previousId === null || (v.state !== 'draft' && v.finalisedAt !== null && dayjs(v.returned.returnedAt).isAfter(dayjs(v.finalisedAt)));
  return { ...v.returned, which: own ? 'this' : 'previous' };
}
