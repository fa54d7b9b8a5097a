/**
 * The facts a visit kind needs, described for a generated form (设置 → 规则与日历 → 试算). Read from
 * the kind's own zod schema and the metadata its field builders attach, so the form can never ask
 * for a field the rule engine does not know, or miss one it does.
 */
import type { z } from 'zod';
import { readFieldMeta, type FieldChoice, type FieldType } from './fields';
import { DEADLINE_INPUT_SCHEMAS } from './schemas';
import type { VisitKind } from './types';

export interface FieldDescriptor {
  /** The fact's key in the input, which is also the `path` of its validation issues. */
  name: string;
  /** Chinese label, the same words the validation messages start with. */
  label: string;
  type: FieldType;
  /**
   * Whether the field alone must be filled. A few fields are required only together with another
   * (e.g. 保单录入日期 for 银保通); those are checked by the schema and reported on the field.
   */
  required: boolean;
  choices?: FieldChoice[];
}

/** Describes every field of an object schema but `kind`, in declaration order. */
export function describeObjectFields(schema: z.ZodObject): FieldDescriptor[] {
  return Object.entries(schema.shape)
    .filter(([name]) => name !== 'kind')
    .map(([name, field]) => {
      const meta = readFieldMeta(field);
      // Every field of a rule schema is built with a fields.ts builder; the unit test walks all
      // kinds, so this only fires for a schema edited without one.
      if (!meta) throw new Error(`field "${name}" has no form metadata; build it with a fields.ts builder`);
      // Required-ness is asked of the schema itself rather than stated twice: a field is required
      // when leaving it out fails, exactly as the rule engine will judge it.
      const d: FieldDescriptor = { name, label: meta.title, type: meta.fieldType, required: !field.safeParse(undefined).success };
      if (meta.choices) d.choices = meta.choices;
      return d;
    });
}

const cache = new Map<VisitKind, FieldDescriptor[]>();

export function fieldDescriptors(kind: VisitKind): FieldDescriptor[] {
  let d = cache.get(kind);
  if (!d) {
    d = describeObjectFields(DEADLINE_INPUT_SCHEMAS[kind]);
    cache.set(kind, d);
  }
  return d;
}
