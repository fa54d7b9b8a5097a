import type { QuestionnaireTemplate } from '../types';
import { NEW_POLICY_V1 } from './newPolicy';
import { CLAIM_V1, KEY_CLIENT_V1, RENEWAL_V1, SURVIVAL_BENEFIT_V1, UNDERWRITING_V1 } from './others';

export { NEW_POLICY_V1 } from './newPolicy';
export { CLAIM_V1, KEY_CLIENT_V1, RENEWAL_V1, SURVIVAL_BENEFIT_V1, UNDERWRITING_V1 } from './others';

/**
 * Templates shipped with the app. Old versions stay here when a new one is added: a saved visit
 * refers to the (id, version) it was asked with and must still print with that script.
 */
export const BUILTIN_TEMPLATES: readonly QuestionnaireTemplate[] = [
  NEW_POLICY_V1,
  UNDERWRITING_V1,
  CLAIM_V1,
  SURVIVAL_BENEFIT_V1,
  RENEWAL_V1,
  KEY_CLIENT_V1,
];
