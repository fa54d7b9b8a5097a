/** Builders shared by the outcome tests (not exported from index.ts). */
import { visibleQuestions } from '../questionnaire/registry';
import type { ProductType, QuestionnaireTemplate } from '../questionnaire/types';
import type { AnswerRecord, AttemptOutcome, ContactAttempt, ContactMethod } from './types';

let minute = 0;
/** Attempts a minute apart, in the order they are built. */
export function attempt(method: ContactMethod, outcome: AttemptOutcome, extra: Partial<ContactAttempt> = {}): ContactAttempt {
  minute += 1;
  const hh = String(9 + Math.floor(minute / 60) % 10).padStart(2, '0');
  const mm = String(minute % 60).padStart(2, '0');
  return { method, outcome, at: `2024-03-04T${hh}:${mm}:00+08:00`, ...extra };
}

export const reached = (): ContactAttempt[] => [attempt('phone', 'reached')];

/** Every visible question answered with the expected answer. */
export function allExpected(t: QuestionnaireTemplate, productType?: ProductType): Record<string, AnswerRecord> {
  return Object.fromEntries(visibleQuestions(t, productType).map((q) => [q.id, { first: q.expected }]));
}

export const opposite = (a: 'yes' | 'no'): 'yes' | 'no' => (a === 'yes' ? 'no' : 'yes');
