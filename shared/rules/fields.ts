/**
 * Zod field builders whose every message is Chinese and starts with the field's label, so that a
 * FieldIssue can be shown as-is beside the form field: 「回执签署日期：2026-02-30 不是有效日期」.
 */
import { z } from 'zod';
import type { FieldIssue } from '../api/envelope';
import { parseIsoDate } from '../dates';

/**
 * What kind of input a fact needs. Carried as zod metadata (`.meta()`) on every builder below so
 * that a form can be generated from a kind's schema (see field-descriptors.ts) instead of being
 * written by hand for each of the nineteen kinds and drifting from the rule engine.
 */
export type FieldType = 'date' | 'number' | 'boolean' | 'choice' | 'time';

export interface FieldChoice {
  value: string;
  label: string;
}

/** The metadata each builder attaches: `title` is the field's Chinese label (JSON Schema's own key). */
export interface FieldMeta {
  title: string;
  fieldType: FieldType;
  choices?: FieldChoice[];
}

const FIELD_TYPES: readonly string[] = ['date', 'number', 'boolean', 'choice', 'time'] satisfies FieldType[];

/**
 * Reads a builder's metadata back; null for a schema no builder made. The registry stores plain
 * objects, so the shape is checked rather than trusted.
 */
export function readFieldMeta(schema: z.ZodType): FieldMeta | null {
  const m = schema.meta();
  if (!m || typeof m.title !== 'string' || typeof m.fieldType !== 'string' || !FIELD_TYPES.includes(m.fieldType)) return null;
  const meta: FieldMeta = { title: m.title, fieldType: m.fieldType as FieldType };
  if (Array.isArray(m.choices)) meta.choices = (m.choices as FieldChoice[]).map((c) => ({ value: c.value, label: c.label }));
  return meta;
}

const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** A required ISO date; surrounding spaces are trimmed. */
export function dateField(label: string) {
  return z
    .preprocess(
      (v) => (typeof v === 'string' ? v.trim() : v),
      z.string({ error: `${label}：请填写日期（格式 YYYY-MM-DD）` }).superRefine((s, ctx) => {
        const r = parseIsoDate(s, label);
        if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
      }),
    )
    .meta({ title: label, fieldType: 'date' });
}

/** An optional ISO date: empty string, null and absence all mean "not known yet" (null). */
export function optionalDateField(label: string) {
  return z
    .preprocess(
      (v) => (isBlank(v) ? null : typeof v === 'string' ? v.trim() : v),
      z
        .string({ error: `${label}：应为 YYYY-MM-DD 格式的日期` })
        .superRefine((s, ctx) => {
          const r = parseIsoDate(s, label);
          if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
        })
        .nullable(),
    )
    .meta({ title: label, fieldType: 'date' });
}

interface NumberOpts {
  int?: boolean;
  min?: number;
  /** Whether `min` itself is allowed (default true). */
  minInclusive?: boolean;
  max?: number;
  unit?: string;
}

// Spreadsheets and text inputs give "1,000.50" or " 15 "; anything else non-numeric is an error.
function toNumber(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim().replace(/,/g, '');
  if (t === '' || !/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return v;
  return Number(t);
}

export function numberField(label: string, opts: NumberOpts = {}) {
  const unit = opts.unit ?? '';
  let n = z.number({ error: `${label}：必须是数字` });
  if (opts.int) n = n.int(`${label}：必须是整数`);
  if (opts.min !== undefined) {
    n =
      opts.minInclusive === false
        ? n.gt(opts.min, `${label}：必须大于 ${opts.min}${unit}`)
        : n.gte(opts.min, `${label}：不能小于 ${opts.min}${unit}`);
  }
  if (opts.max !== undefined) n = n.lte(opts.max, `${label}：不能大于 ${opts.max}${unit}`);
  return z.preprocess(toNumber, n).meta({ title: label, fieldType: 'number' });
}

export function optionalNumberField(label: string, opts: NumberOpts = {}) {
  return z
    .preprocess((v) => (isBlank(v) ? undefined : v), numberField(label, opts).optional())
    .meta({ title: label, fieldType: 'number' });
}

export function booleanField(label: string) {
  return z.boolean({ error: `${label}：应选择“是”或“否”` }).meta({ title: label, fieldType: 'boolean' });
}

export function optionalBooleanField(label: string) {
  return z
    .preprocess((v) => (v === null ? undefined : v), booleanField(label).optional())
    .meta({ title: label, fieldType: 'boolean' });
}

/** One of a fixed set of codes; the message lists the Chinese choices. */
export function choiceField<const T extends readonly [string, ...string[]]>(
  label: string,
  values: T,
  labels: Readonly<Record<T[number], string>>,
) {
  const choices = values.map((v) => `「${labels[v as T[number]]}」`).join('、');
  return z.enum(values, { error: `${label}：应为${choices}之一` }).meta({
    title: label,
    fieldType: 'choice',
    choices: values.map((v) => ({ value: v, label: labels[v as T[number]] })),
  });
}

/** Zod issues → FieldIssue, path joined with dots ('' for the whole input). */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
