import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { builtInCalendar } from '../calendar';
import {
  DEADLINE_INPUT_SCHEMAS,
  VISIT_KIND_CODES,
  computeDeadline,
  dateField,
  describeObjectFields,
  fieldDescriptors,
  optionalBooleanField,
  optionalDateField,
  optionalNumberField,
  readFieldMeta,
} from './index';

describe('fieldDescriptors', () => {
  it('describes 问题件处理 as one required date', () => {
    expect(fieldDescriptors('problem_case')).toEqual([{ name: 'workOrderDate', label: '问题件工单下达日期', type: 'date', required: true }]);
  });

  it('describes 新契约回访 field by field, in schema order', () => {
    expect(fieldDescriptors('new_policy')).toEqual([
      { name: 'receiptSignedDate', label: '回执签署日期', type: 'date', required: false },
      { name: 'coolingOffDays', label: '犹豫期天数', type: 'number', required: false },
      { name: 'termYears', label: '保险期限（年）', type: 'number', required: true },
      { name: 'individualApplicant', label: '投保人为个人', type: 'boolean', required: false },
      { name: 'issueDate', label: '出单日期', type: 'date', required: false },
      { name: 'visitDate', label: '回访日期', type: 'date', required: false },
    ]);
  });

  it('gives choices with their Chinese labels', () => {
    expect(fieldDescriptors('survival_benefit')).toEqual([
      {
        name: 'method',
        label: '领取方式',
        type: 'choice',
        required: true,
        choices: [
          { value: 'cash', label: '现金领取' },
          { value: 'bank_transfer', label: '银行转账领取' },
        ],
      },
      { name: 'amount', label: '给付金额（元）', type: 'number', required: true },
      {
        name: 'payee',
        label: '领取人',
        type: 'choice',
        required: true,
        choices: [
          { value: 'applicant', label: '投保人' },
          { value: 'beneficiary', label: '受益人' },
        ],
      },
      { name: 'paidInPerson', label: '领取人亲自办理', type: 'boolean', required: false },
      { name: 'juvenilePolicy', label: '少儿险', type: 'boolean', required: false },
      { name: 'paymentDate', label: '给付日期', type: 'date', required: false },
    ]);
  });

  it('describes the visit time of 外勤拜访 as an optional time', () => {
    expect(fieldDescriptors('sales_call')).toEqual([
      { name: 'visitDate', label: '外勤拜访日期', type: 'date', required: true },
      { name: 'visitTime', label: '拜访时间', type: 'time', required: false },
    ]);
  });

  describe.each(VISIT_KIND_CODES.map((k) => [k]))('%s', (kind) => {
    const schema = DEADLINE_INPUT_SCHEMAS[kind];
    const fields = fieldDescriptors(kind);

    it('covers every fact of the schema but the kind itself', () => {
      // Schemas with cross-field checks (.superRefine) are still ZodObject in zod 4, shape and all.
      expect(schema).toBeInstanceOf(z.ZodObject);
      expect(fields.map((f) => f.name)).toEqual(Object.keys(schema.shape).filter((k) => k !== 'kind'));
      expect(fields.length).toBeGreaterThan(0);
    });

    it('offers exactly the codes the schema accepts for each choice', () => {
      for (const f of fields.filter((d) => d.type === 'choice')) {
        const options = (schema.shape as Record<string, z.ZodType>)[f.name] as z.ZodEnum;
        expect(f.choices?.map((c) => c.value)).toEqual(options.options);
        for (const c of f.choices ?? []) expect(c.label).toMatch(/[\u4e00-\u9fff]/);
      }
    });

    it('labels required fields with the words their messages start with', () => {
      const r = computeDeadline({ kind }, builtInCalendar());
      const required = fields.filter((f) => f.required);
      if (required.length === 0) {
        expect(r.ok).toBe(true);
        return;
      }
      expect(r.ok).toBe(false);
      if (r.ok) return;
      for (const f of required) {
        const issue = r.issues.find((i) => i.path === f.name);
        expect(issue?.message.startsWith(`${f.label}：`)).toBe(true);
      }
      // Nothing but the required fields (and cross-field checks on them) is reported for an empty form.
      for (const i of r.issues) expect(required.map((f) => f.name)).toContain(i.path);
    });

    it('is plain data (safe to hand to React and to serialise)', () => {
      expect(JSON.parse(JSON.stringify(fields))).toEqual(fields);
    });
  });
});

describe('builder metadata', () => {
  it('is attached by each builder without changing what it accepts or says', () => {
    expect(readFieldMeta(dateField('出单日期'))).toEqual({ title: '出单日期', fieldType: 'date' });
    expect(dateField('出单日期').parse(' 2026-03-01 ')).toBe('2026-03-01');
    expect(dateField('出单日期').safeParse('2026-02-30').error?.issues[0]?.message).toBe('出单日期：2026-02-30 不是有效日期');
    expect(optionalDateField('回访日期').parse('')).toBeNull();
    expect(optionalNumberField('犹豫期天数', { int: true, min: 10 }).parse(' 15 ')).toBe(15);
    expect(optionalBooleanField('少儿险').parse(null)).toBeUndefined();
  });

  it('is absent from schemas no builder made, and such a field is refused', () => {
    expect(readFieldMeta(z.string())).toBeNull();
    expect(readFieldMeta(z.string().meta({ title: '备注' }))).toBeNull();
    expect(() => describeObjectFields(z.object({ kind: z.literal('x'), note: z.string() }))).toThrow(/note/);
  });
});
