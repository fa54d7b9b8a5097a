/**
 * Validation of an outcome input (what the visit form submits), with Chinese messages. It checks
 * each field and the rules that tie fields together: a family member needs a relationship and the
 * applicant's authorisation (客户回访规范与管理), answers need someone to have been reached, and a
 * contact method only has the outcomes it can have.
 */
import { z } from 'zod';
import type { FieldIssue } from '../api/envelope';
import { problemCategorySchema, productTypeSchema, templateSchema } from '../questionnaire/schema';
import { toFieldIssues, zhError, zhFallbackError } from '../questionnaire/zh';
import {
  ATTEMPT_OUTCOME_LABELS,
  AUTHORISATION_METHODS,
  AUTHORISATION_REASONS,
  CONTACT_METHODS,
  FAMILY_RELATIONSHIPS,
  type OutcomeInput,
} from './types';

const codes = <C extends string>(list: readonly { code: C }[]) => list.map((x) => x.code) as [C, ...C[]];

const optionalText = (label: string, max = 500) =>
  z.string({ error: zhError(label) }).max(max, { error: zhError(label) }).optional();

const requiredText = (label: string, max = 500) =>
  z
    .string({ error: zhError(label) })
    .trim()
    .min(1, { error: zhError(label) })
    .max(max, { error: zhError(label) });

const dateTime = (label: string) => z.iso.datetime({ offset: true, local: true, error: zhError(label) });

export const answerSchema = z.enum(['yes', 'no', 'unclear'], { error: zhError('回答') });

export const answerRecordSchema = z.strictObject(
  {
    first: answerSchema,
    afterExplanation: answerSchema.optional(),
    note: optionalText('客户原话'),
  },
  { error: zhError('答案') },
);

export const respondentSchema = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject(
        {
          kind: z.literal('in_person'),
          name: optionalText('受访人姓名', 50),
          position: optionalText('受访人职务', 50),
        },
        { error: zhError('受访人') },
      ),
      z.strictObject(
        {
          kind: z.literal('family_member'),
          name: optionalText('代答家属姓名', 50),
          relationship: z.enum(codes(FAMILY_RELATIONSHIPS), { error: zhError('与投保人的关系') }),
          relationshipNote: optionalText('具体关系', 50),
          reason: z.enum(codes(AUTHORISATION_REASONS), { error: zhError('家属代答原因') }),
          reasonNote: optionalText('具体原因', 200),
          authorisation: z.enum(codes(AUTHORISATION_METHODS), { error: zhError('授权方式') }),
          authorisationNote: optionalText('授权说明', 200),
        },
        { error: zhError('受访人') },
      ),
    ],
    {
      error: (iss) =>
        iss.code === 'invalid_union' || iss.code === 'invalid_value'
          ? '受访人身份须为本人（in_person）或经授权的家属（family_member）'
          : zhError('受访人')(iss),
    },
  )
  .superRefine((r, ctx) => {
    if (r.kind !== 'family_member') return;
    if (r.relationship === 'other' && !r.relationshipNote?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['relationshipNote'], message: '关系为“其他家庭成员”时，请说明具体关系' });
    }
    if (r.reason === 'other' && !r.reasonNote?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['reasonNote'], message: '原因为“其他原因”时，请说明具体原因' });
    }
  });

const METHOD_LABEL: Record<string, string> = Object.fromEntries(CONTACT_METHODS.map((m) => [m.code, m.label]));

export const contactAttemptSchema = z
  .strictObject(
    {
      method: z.enum(codes(CONTACT_METHODS), { error: zhError('联系方式') }),
      outcome: z.enum(['not_answered', 'wrong_number', 'refused', 'dialect', 'reached', 'booked'], {
        error: zhError('联系结果'),
      }),
      at: dateTime('联系时间'),
      phone: optionalText('联系电话', 30),
      appointmentAt: dateTime('预约时间').optional(),
      note: optionalText('备注'),
    },
    { error: zhError('联系记录') },
  )
  .superRefine((a, ctx) => {
    const allowed = ATTEMPT_OUTCOME_LABELS[a.method];
    if (!(a.outcome in allowed)) {
      ctx.addIssue({
        code: 'custom',
        path: ['outcome'],
        message: `${METHOD_LABEL[a.method] ?? a.method}联系的结果只能是：${Object.values(allowed).join('、')}`,
      });
    }
    if (a.appointmentAt !== undefined && a.outcome !== 'booked') {
      ctx.addIssue({ code: 'custom', path: ['appointmentAt'], message: '只有结果为“预约”时才填写预约时间' });
    }
  });

export const findingSchema = z.strictObject(
  { category: problemCategorySchema, note: requiredText('问题说明') },
  { error: zhError('回访发现的问题') },
);

export const outcomeInputSchema = z
  .strictObject(
    {
      template: templateSchema,
      productType: productTypeSchema.optional(),
      respondent: respondentSchema.optional(),
      answers: z.record(z.string({ error: zhError('题目编号') }), answerRecordSchema, { error: zhError('答案') }),
      attempts: z.array(contactAttemptSchema, { error: zhError('联系记录') }),
      findings: z.array(findingSchema, { error: zhError('回访发现的问题') }).optional(),
      unableReason: optionalText('不能完成回访的原因'),
    },
    { error: zhError('回访结果') },
  )
  // Runs even when some fields already failed, so the form shows every problem at once; the
  // data may then be malformed and is read defensively.
  .superRefine((input, ctx) => crossFieldChecks(input, ctx), { when: (payload) => isRecord(payload.value) });

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function crossFieldChecks(data: unknown, ctx: z.core.$RefinementCtx<unknown>): void {
  if (!isRecord(data)) return;
  const template = isRecord(data.template) ? data.template : undefined;
  const questions = template && Array.isArray(template.questions) ? template.questions : undefined;
  const answers = isRecord(data.answers) ? data.answers : {};
  const attempts = Array.isArray(data.attempts) ? data.attempts.filter(isRecord) : [];

  if (questions) {
    const ids = new Set(questions.map((q) => (isRecord(q) ? q.id : undefined)));
    for (const key of Object.keys(answers)) {
      if (!ids.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['answers', key],
          message: `问卷「${String(template?.name ?? '')}」（版本 ${String(template?.version ?? '')}）中没有编号为「${key}」的题目`,
        });
      }
    }
  }
  const reached = attempts.some((a) => a.outcome === 'reached' && a.method !== 'sms');
  if (!reached && (data.respondent !== undefined || Object.keys(answers).length > 0)) {
    ctx.addIssue({
      code: 'custom',
      path: ['attempts'],
      message: '已录入受访人或答案，但联系记录中没有“已接通”（电话）、“已回函”（信函）或“已面访”（上门）的记录',
    });
  }
}

// Compile-time check that the schema produces exactly the hand-written input type.
const _outcomeSchemaMatchesType: z.ZodType<OutcomeInput> = outcomeInputSchema;
void _outcomeSchemaMatchesType;

export type OutcomeInputValidation = { ok: true; input: OutcomeInput } | { ok: false; issues: FieldIssue[] };

/** Validates an outcome input; issue paths are like "attempts.2.at" or "respondent.relationship". */
export function parseOutcomeInput(data: unknown): OutcomeInputValidation {
  const r = outcomeInputSchema.safeParse(data, { error: zhFallbackError });
  return r.success ? { ok: true, input: r.data } : { ok: false, issues: toFieldIssues(r.error) };
}
