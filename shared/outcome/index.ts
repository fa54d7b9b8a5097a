export {
  PROBLEM_CATEGORIES,
  PROBLEM_CATEGORY_CODES,
  PROBLEM_CATEGORY_GROUP_LABELS,
  isProblemCategory,
  categoryInfo,
  categoryLabel,
  sortCategories,
  type ProblemCategory,
  type ProblemCategoryGroup,
  type ProblemCategoryInfo,
} from './categories';
export * from './types';
export {
  UNANSWERED_CALLS_BEFORE_LETTER,
  nextContactStep,
  sortAttempts,
  describeAttempt,
  formatTime,
} from './fallback';
export { computeOutcome, evaluateAnswer, type AnswerEvaluation } from './compute';
export {
  answerSchema,
  answerRecordSchema,
  respondentSchema,
  contactAttemptSchema,
  findingSchema,
  outcomeInputSchema,
  parseOutcomeInput,
  type OutcomeInputValidation,
} from './schema';
