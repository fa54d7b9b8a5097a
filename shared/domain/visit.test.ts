import { describe, expect, it } from 'vitest';
import { recordSheetDraftSchema, recordSheetFinalSchema, signatureProblem } from './visit';

const stroke = (n: number, dx: number) => Array.from({ length: n }, (_, i) => ({ x: 10 + i * dx, y: 40 + (i % 5) * 8, t: i * 16 }));

describe('the record sheet', () => {
  it('accepts any partial draft within the limits', () => {
    expect(recordSheetDraftSchema.safeParse({ customerName: '张' }).success).toBe(true);
    const long = recordSheetDraftSchema.safeParse({ summary: '字'.repeat(2001) });
    expect(long.success ? '' : long.error.issues[0]?.message).toBe('访问内容概要不能超过 2000 个字');
  });

  it('names every empty required box at finalising, and the key-client items for key clients', () => {
    const r = recordSheetFinalSchema({ keyClient: true, policyRequired: true }).safeParse({ phone: '123' });
    const messages = r.success ? [] : r.error.issues.map((i) => i.message);
    expect(messages).toEqual(expect.arrayContaining(['请填写客户名称', '请填写保单号码', '请填写受访人及职务', '请填写保险风控情况', '受访人电话不正确：手机应为 11 位，固话应带区号']));
    const plain = recordSheetFinalSchema({ keyClient: false, policyRequired: false }).safeParse({
      customerName: '张三', visitor: '张莉', interviewee: '张三（投保人本人）', place: '客户家中', phone: '0531-88886666', summary: '逐项确认',
    });
    expect(plain.success).toBe(true);
  });
});

describe('signatures', () => {
  it('refuses an empty pad, a dot and a short tick, and accepts handwriting', () => {
    expect(signatureProblem([])).toBe('签名为空，请签名');
    expect(signatureProblem([[{ x: 5, y: 5, t: 0 }]])).toMatch(/过短/);
    expect(signatureProblem([stroke(6, 4)])).toMatch(/过短/);
    expect(signatureProblem([stroke(30, 6), stroke(20, 5)])).toBeNull();
  });
});
