/**
 * Validation of a questionnaire template, the same for the templates shipped in code and for a
 * file an administrator imports, so a bad file is rejected with Chinese messages naming the field.
 */
import { z } from 'zod';
import type { FieldIssue } from '../api/envelope';
import { PROBLEM_CATEGORIES, PROBLEM_CATEGORY_CODES } from '../outcome/categories';
import {
  PLACEHOLDERS,
  PRODUCT_TYPE_CODES,
  VISIT_KIND_CODES,
  type QuestionnaireTemplate,
} from './types';
import { toFieldIssues, zhError, zhFallbackError } from './zh';

const ID_PATTERN = /^[a-z][a-z0-9_]*$/;
const PLACEHOLDER_PATTERN = /\{([A-Za-z0-9_]+)\}/g;

const idSchema = (label: string) =>
  z
    .string({ error: zhError(label) })
    .min(1, { error: zhError(label) })
    .max(64, { error: zhError(label) })
    .regex(ID_PATTERN, { error: `${label}只能由小写英文字母、数字和下划线组成，且以字母开头` });

const textSchema = (label: string, max: number) =>
  z
    .string({ error: zhError(label) })
    .trim()
    .min(1, { error: zhError(label) })
    .max(max, { error: zhError(label) });

export const productTypeSchema = z.enum(PRODUCT_TYPE_CODES, { error: zhError('产品类型') });
export const visitKindSchema = z.enum(VISIT_KIND_CODES, { error: zhError('回访项目') });

const categoryList = PROBLEM_CATEGORIES.map((c) => `${c.code}（${c.label}）`).join('、');
export const problemCategorySchema = z.enum(PROBLEM_CATEGORY_CODES, {
  error: (iss) =>
    iss.code === 'invalid_value'
      ? `未知的问题分类「${String(iss.input)}」，可用分类：${categoryList}`
      : zhError('问题分类')(iss),
});

const productTypeListSchema = (label: string) =>
  z
    .array(productTypeSchema, { error: zhError(label) })
    .min(1, { error: zhError(label) });

export const showWhenSchema = z.strictObject(
  { productTypes: productTypeListSchema('显示条件的产品类型') },
  { error: zhError('显示条件') },
);

export const questionSchema = z.strictObject(
  {
    id: idSchema('题目编号'),
    text: textSchema('题目话术', 500),
    expected: z.enum(['yes', 'no'], { error: zhError('期望答案') }),
    category: problemCategorySchema,
    showWhen: showWhenSchema.optional(),
    required: z.boolean({ error: zhError('是否必答') }),
    explanationCanResolve: z.boolean({ error: zhError('解释后可否确认') }).optional(),
    hint: textSchema('提示', 500).optional(),
    source: textSchema('依据', 200).optional(),
  },
  { error: zhError('题目') },
);

function duplicates<T>(values: readonly T[]): Map<T, number[]> {
  const seen = new Map<T, number[]>();
  values.forEach((v, i) => seen.set(v, [...(seen.get(v) ?? []), i]));
  return new Map([...seen].filter(([, idx]) => idx.length > 1));
}

export const templateSchema = z
  .strictObject(
    {
      id: idSchema('模板编号'),
      version: z
        .number({ error: zhError('版本号') })
        .int({ error: zhError('版本号') })
        .min(1, { error: zhError('版本号') }),
      name: textSchema('模板名称', 100),
      appliesTo: z
        .array(visitKindSchema, { error: zhError('适用回访项目') })
        .min(1, { error: zhError('适用回访项目') }),
      productTypes: productTypeListSchema('适用产品类型').optional(),
      source: textSchema('依据', 200).optional(),
      questions: z
        .array(questionSchema, { error: zhError('题目列表') })
        .min(1, { error: zhError('题目列表') }),
    },
    { error: zhError('问卷模板') },
  )
  // Runs even when fields already failed (`when`), so an administrator sees every problem in the
  // file at once; the data may therefore be malformed and is read defensively.
  .superRefine((t, ctx) => crossFieldChecks(t, ctx), { when: (payload) => isRecord(payload.value) });

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function crossFieldChecks(data: unknown, ctx: z.core.$RefinementCtx<unknown>): void {
  if (!isRecord(data)) return;
  const questions = Array.isArray(data.questions) ? data.questions.map((q) => (isRecord(q) ? q : {})) : [];
  const templateProducts = Array.isArray(data.productTypes) ? (data.productTypes as unknown[]) : undefined;

  const qIds = questions.map((q) => (typeof q.id === 'string' ? q.id : undefined));
  for (const [id, idx] of duplicates(qIds)) {
    if (id === undefined) continue;
    for (const i of idx.slice(1)) {
      ctx.addIssue({
        code: 'custom',
        path: ['questions', i, 'id'],
        message: `题目编号「${id}」重复（与第 ${(idx[0] ?? 0) + 1} 题相同），答案按题目编号保存，编号不能重复`,
      });
    }
  }
  if (Array.isArray(data.appliesTo)) {
    for (const [kind, idx] of duplicates(data.appliesTo as unknown[])) {
      ctx.addIssue({ code: 'custom', path: ['appliesTo', idx[1] ?? 0], message: `适用回访项目「${String(kind)}」重复` });
    }
  }
  questions.forEach((q, i) => {
    if (typeof q.text === 'string') {
      for (const m of q.text.matchAll(PLACEHOLDER_PATTERN)) {
        const key = m[1] ?? '';
        if (!Object.hasOwn(PLACEHOLDERS, key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['questions', i, 'text'],
            message: `题目话术中的占位符 {${key}} 未知，可用：${Object.entries(PLACEHOLDERS)
              .map(([k, v]) => `{${k}}（${v}）`)
              .join('、')}`,
          });
        }
      }
    }
    const shown = isRecord(q.showWhen) && Array.isArray(q.showWhen.productTypes) ? (q.showWhen.productTypes as unknown[]) : undefined;
    if (!shown) return;
    for (const [p, idx] of duplicates(shown)) {
      ctx.addIssue({
        code: 'custom',
        path: ['questions', i, 'showWhen', 'productTypes', idx[1] ?? 0],
        message: `显示条件的产品类型「${String(p)}」重复`,
      });
    }
    if (templateProducts && shown.length > 0 && !shown.some((p) => templateProducts.includes(p))) {
      ctx.addIssue({
        code: 'custom',
        path: ['questions', i, 'showWhen'],
        message: '该题的显示条件与模板适用的产品类型没有交集，这道题永远不会显示',
      });
    }
  });
}

// Compile-time check that the schema produces exactly the hand-written template type.
const _templateSchemaMatchesType: z.ZodType<QuestionnaireTemplate> = templateSchema;
void _templateSchemaMatchesType;

export type TemplateValidation =
  | { ok: true; template: QuestionnaireTemplate }
  | { ok: false; issues: FieldIssue[] };

/** Validates already-parsed data as a template; issue paths are like "questions.2.category". */
export function validateTemplate(data: unknown): TemplateValidation {
  const r = templateSchema.safeParse(data, { error: zhFallbackError });
  return r.success ? { ok: true, template: r.data } : { ok: false, issues: toFieldIssues(r.error) };
}
