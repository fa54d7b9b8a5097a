/**
 * Looking templates up. These functions are pure: they take the list of available templates
 * (the built-in ones by default; the app adds those an administrator imported) rather than keeping
 * a mutable registry, so the main process, the renderer and the tests all see the same answer.
 */
import { BUILTIN_TEMPLATES } from './templates';
import {
  PLACEHOLDERS,
  type PlaceholderKey,
  type ProductType,
  type Question,
  type QuestionnaireTemplate,
  type VisitKind,
} from './types';

/** Latest version of each template id, in the order the ids first appear in `available`. */
export function latestTemplates(
  available: readonly QuestionnaireTemplate[] = BUILTIN_TEMPLATES,
): QuestionnaireTemplate[] {
  const latest = new Map<string, QuestionnaireTemplate>();
  for (const t of available) {
    const cur = latest.get(t.id);
    if (!cur || t.version > cur.version) latest.set(t.id, t);
  }
  return [...latest.values()];
}

/**
 * A template by id; the latest version when `version` is omitted. A saved visit passes its
 * version so it is shown with the script it was actually asked with.
 */
export function getTemplate(
  id: string,
  version?: number,
  available: readonly QuestionnaireTemplate[] = BUILTIN_TEMPLATES,
): QuestionnaireTemplate | undefined {
  if (version !== undefined) return available.find((t) => t.id === id && t.version === version);
  return latestTemplates(available.filter((t) => t.id === id))[0];
}

/**
 * Proposes the template for a visit (the visitor may still choose another). Among the latest
 * templates that apply to the visit kind and the product type, one restricted to product types
 * wins over a general one (it was written for this product); then the one whose id is the visit
 * kind itself; then the smallest id, so the choice is always the same.
 */
export function selectTemplate(
  visitKind: VisitKind,
  productType?: ProductType,
  available: readonly QuestionnaireTemplate[] = BUILTIN_TEMPLATES,
): string | undefined {
  const candidates = latestTemplates(available).filter(
    (t) =>
      t.appliesTo.includes(visitKind) &&
      (!t.productTypes || (productType !== undefined && t.productTypes.includes(productType))),
  );
  const rank = (t: QuestionnaireTemplate): [number, number, string] => [
    t.productTypes ? 0 : 1,
    t.id === visitKind ? 0 : 1,
    t.id,
  ];
  candidates.sort((a, b) => {
    const [a1, a2, a3] = rank(a);
    const [b1, b2, b3] = rank(b);
    return a1 - b1 || a2 - b2 || (a3 < b3 ? -1 : a3 > b3 ? 1 : 0);
  });
  return candidates[0]?.id;
}

/** Whether a question is asked for this product type. */
export function isQuestionVisible(question: Question, productType?: ProductType): boolean {
  if (!question.showWhen) return true;
  // Product type unknown: ask the product-specific questions too. Leaving out "dividends are not
  // guaranteed" for a participating product would let a visit pass without a point the rules
  // require (客户回访规范与管理 二 7), while an extra question only costs a minute.
  if (productType === undefined) return true;
  return question.showWhen.productTypes.includes(productType);
}

/** The questions to ask, in template order. */
export function visibleQuestions(template: QuestionnaireTemplate, productType?: ProductType): Question[] {
  return template.questions.filter((q) => isQuestionVisible(q, productType));
}

/**
 * Fills {placeholders} in a question's text from the policy. A value not given is shown as
 * 【label】 so the visitor sees what to read from the policy screen rather than a blank.
 */
export function renderQuestionText(
  text: string,
  values: Partial<Record<PlaceholderKey, string | number>> = {},
): string {
  return text.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, key: string) => {
    if (!Object.hasOwn(PLACEHOLDERS, key)) return whole;
    const k = key as PlaceholderKey;
    const v = values[k];
    return v === undefined || v === '' ? `【${PLACEHOLDERS[k]}】` : String(v);
  });
}
