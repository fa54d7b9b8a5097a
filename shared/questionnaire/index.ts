export * from './types';
export {
  productTypeSchema,
  visitKindSchema,
  problemCategorySchema,
  showWhenSchema,
  questionSchema,
  templateSchema,
  validateTemplate,
  type TemplateValidation,
} from './schema';
export {
  BUILTIN_TEMPLATES,
  NEW_POLICY_V1,
  UNDERWRITING_V1,
  CLAIM_V1,
  SURVIVAL_BENEFIT_V1,
  RENEWAL_V1,
  KEY_CLIENT_V1,
} from './templates';
export {
  latestTemplates,
  getTemplate,
  selectTemplate,
  isQuestionVisible,
  visibleQuestions,
  renderQuestionText,
} from './registry';
export { parseTemplateFile, serializeTemplate, type TemplateFileResult } from './importFile';
export { zhMessage, zhError, zhFallbackError } from './zh';
