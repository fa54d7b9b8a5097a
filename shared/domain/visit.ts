import { z } from 'zod';

/**
 * The customer visit record sheet (客户回访记录表, XX保险…客户回访管理办法 附件一), with exactly the
 * paper form's fields, and the key-client variant's four extra items (第8条). The same schemas
 * validate in the renderer's form and again in main.
 */
export const RECORD_SHEET_FIELDS = [
  { name: 'customerName', label: '客户名称', max: 60 },
  { name: 'policyNo', label: '保单号码', max: 40 },
  { name: 'visitor', label: '访问人', max: 30 },
  { name: 'interviewee', label: '受访人及职务', max: 60 },
  { name: 'place', label: '访问地点', max: 200 },
  { name: 'phone', label: '受访人电话', max: 20 },
  { name: 'summary', label: '访问内容概要', max: 2000 },
  { name: 'feedback', label: '客户反馈问题', max: 2000 },
  { name: 'followUp', label: '问题跟进情况', max: 2000 },
  { name: 'remarks', label: '备注', max: 500 },
] as const;

export const KEY_CLIENT_FIELDS = [
  { name: 'riskControl', label: '保险风控情况', max: 2000 },
  { name: 'coverageNeeds', label: '保险保障需求满足情况', max: 2000 },
  { name: 'claimsService', label: '理赔服务情况', max: 2000 },
  { name: 'newNeeds', label: '新的需求与建议', max: 2000 },
] as const;

export type SheetFieldName = (typeof RECORD_SHEET_FIELDS)[number]['name'] | (typeof KEY_CLIENT_FIELDS)[number]['name'];
export type RecordSheet = Partial<Record<SheetFieldName, string>>;

const ALL_FIELDS = [...RECORD_SHEET_FIELDS, ...KEY_CLIENT_FIELDS];

/** A draft: anything typed so far, within the length limits. Nothing typed is ever refused for being incomplete. */
export const recordSheetDraftSchema = z.object(
  Object.fromEntries(
    ALL_FIELDS.map((f) => [f.name, z.string({ error: `${f.label}应为文字` }).max(f.max, `${f.label}不能超过 ${f.max} 个字`).optional()]),
  ) as Record<SheetFieldName, z.ZodOptional<z.ZodString>>,
);

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

/** What finalising needs: the paper form's required boxes filled, and a plausible phone number. */
export function recordSheetFinalSchema(options: { keyClient: boolean; policyRequired: boolean }) {
  const required = new Set<SheetFieldName>(['customerName', 'visitor', 'interviewee', 'place', 'phone', 'summary']);
  if (options.policyRequired) required.add('policyNo');
  if (options.keyClient) for (const f of KEY_CLIENT_FIELDS) required.add(f.name);
  return z.object(
    Object.fromEntries(
      ALL_FIELDS.map((f) => {
        let s = z.string({ error: `请填写${f.label}` }).trim().max(f.max, `${f.label}不能超过 ${f.max} 个字`);
        if (required.has(f.name)) s = s.min(1, `请填写${f.label}`);
        if (f.name === 'phone') {
          return [f.name, s.refine((v) => PHONE.test(v.replace(/[\s]/g, '')), '受访人电话不正确：手机应为 11 位，固话应带区号')];
        }
        return [f.name, required.has(f.name) ? s : s.optional()];
      }),
    ),
  );
}

export const PLACE_KINDS = [
  { code: 'home', label: '客户家中' },
  { code: 'office', label: '客户单位' },
  { code: 'branch_counter', label: '公司柜面' },
  { code: 'other', label: '其他地点' },
] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number]['code'];

/** One pen/mouse/touch stroke: points with their time since the pad was opened, in ms. */
export const signatureSchema = z.object({
  signerName: z.string({ error: '请填写签名人姓名' }).trim().min(1, '请填写签名人姓名').max(30, '签名人姓名不能超过 30 个字'),
  strokes: z
    .array(
      z
        .array(z.object({ x: z.number().finite(), y: z.number().finite(), t: z.number().finite().min(0), pressure: z.number().min(0).max(1).optional() }))
        .min(1)
        .max(5000, '单笔点数过多'),
    )
    .max(200, '笔画过多'),
  /** data:image/png;base64,… as drawn. */
  png: z
    .string()
    .regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/, '签名图片格式不正确')
    .max(2_000_000, '签名图片过大'),
});
export type SignatureInput = z.infer<typeof signatureSchema>;

/**
 * Refuses an empty or trivially short signature (a dot, a short tick): real handwriting covers an
 * area and a length of ink. Returns the Chinese reason, or null when it looks like a signature.
 */
export function signatureProblem(strokes: SignatureInput['strokes']): string | null {
  const points = strokes.flat();
  if (points.length === 0) return '签名为空，请签名';
  let length = 0;
  for (const s of strokes) for (let i = 1; i < s.length; i++) length += Math.hypot(s[i]!.x - s[i - 1]!.x, s[i]!.y - s[i - 1]!.y);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const width = Math.max(...xs) - Math.min(...xs);
  const height = Math.max(...ys) - Math.min(...ys);
  if (points.length < 10 || length < 150 || Math.max(width, height) < 60) return '签名过短或只有一个点，请清除后重新签名';
  return null;
}
