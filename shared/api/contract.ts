import { z } from 'zod';
import './zod-issues';
import { defineContract, method } from './define';
import { ROLES, type Role } from '../domain/roles';
import { CHANNELS, TASK_KINDS, TASK_STATUSES, type TaskKind, type TaskRow } from '../domain/tasks';
import type { ApiError, FieldIssue } from './envelope';
import { PLACE_KINDS, recordSheetDraftSchema, signatureSchema, type PlaceKind, type RecordSheet } from '../domain/visit';
import { PROBLEM_CATEGORY_CODES, respondentSchema, type Outcome, type ProblemCategory, type Respondent } from '../outcome';
import type { QuestionnaireTemplate } from '../questionnaire';
import type { DeadlineResult, RuleDescription } from '../rules';
import type { StatsResult } from '../stats/types';

/**
 * The one API contract between renderer and main: method name → input schema → output type.
 * Both transports (Electron IPC and the loopback HTTP bridge) carry exactly these methods.
 */

const text = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);

export const branchCodeSchema = z
  .string({ error: '请填写机构代码' })
  .trim()
  .regex(/^[0-9A-Za-z]{2,20}$/, '机构代码应为 2–20 位字母或数字');

export const usernameSchema = z
  .string({ error: '请填写账号' })
  .trim()
  .regex(/^[A-Za-z0-9_.-]{2,32}$/, '账号应为 2–32 位字母、数字或 _ . -');

export const newPasswordSchema = z
  .string({ error: '请填写密码' })
  .min(8, '密码至少 8 位')
  .max(128, '密码不能超过 128 位');

export const setupInput = z.object({
  branchName: text('分公司名称', 60),
  branchCode: branchCodeSchema,
  adminUsername: usernameSchema,
  adminDisplayName: text('管理员姓名', 30),
  adminPassword: newPasswordSchema,
});
export type SetupInput = z.infer<typeof setupInput>;

export const accountCreateInput = z.object({
  username: usernameSchema,
  displayName: text('姓名', 30),
  role: z.enum(ROLES, { error: '请选择角色' }),
  /** 工号; for a sales rep it is the agent code on the policies they sold. */
  employeeNo: z.string().trim().max(30, '工号不能超过 30 位').regex(/^[A-Za-z0-9-]*$/, '工号只能含字母、数字和 -').optional(),
  password: newPasswordSchema,
});
export type AccountCreateInput = z.infer<typeof accountCreateInput>;

export const accountUpdateInput = z.object({
  id: z.number({ error: '缺少账号编号' }).int().positive(),
  displayName: text('姓名', 30).optional(),
  role: z.enum(ROLES, { error: '请选择角色' }).optional(),
  employeeNo: z.string().trim().max(30, '工号不能超过 30 位').regex(/^[A-Za-z0-9-]*$/, '工号只能含字母、数字和 -').optional(),
  disabled: z.boolean().optional(),
});

export const revealInput = z.object({
  customerId: z.number({ error: '缺少客户编号' }).int().positive(),
  field: z.enum(['phone', 'idNumber'], { error: '只能查看电话或证件号码' }),
  reason: z.string({ error: '请填写查看原因' }).trim().min(2, '请填写查看原因（至少 2 个字）').max(200, '查看原因不能超过 200 个字'),
});

export const auditListInput = z.object({
  action: z.string().max(40).optional(),
  userId: z.number().int().positive().optional(),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});

export const signInInput = z.object({
  username: usernameSchema,
  password: z.string({ error: '请填写密码' }).min(1, '请填写密码').max(128, '密码不能超过 128 位'),
});

export const taskListInput = z.object({
  kind: z.enum(TASK_KINDS, { error: '回访类型不正确' }).optional(),
  status: z.enum(TASK_STATUSES, { error: '任务状态不正确' }).optional(),
  search: z.string().trim().max(50, '搜索内容不能超过 50 个字').optional(),
  /** Overdue and due-soon are queries on the stored deadline, never hand-set flags. */
  due: z.enum(['overdue', 'soon'], { error: '期限筛选应为「已逾期」或「即将到期」' }).optional(),
  soonDays: z.number().int('天数应为整数').min(1, '天数至少为 1').max(60, '天数不能超过 60').default(3),
  channel: z.enum(CHANNELS, { error: '渠道不正确' }).optional(),
  assigneeId: z.number().int().positive('经办人不正确').optional(),
  unassigned: z.boolean().optional(),
  hasAppointment: z.boolean().optional(),
  sort: z.enum(['due', '-due'], { error: '排序方式不正确' }).default('due'),
  offset: z.number().int('偏移量应为整数').min(0, '偏移量不能为负').default(0),
  limit: z.number().int('条数应为整数').min(1, '条数至少为 1').max(500, '每次最多取 500 条').default(100),
});

const empty = z.object({}).strict();

const fileName = z.string({ error: '缺少文件名' }).trim().min(1, '缺少文件名').max(255, '文件名过长');

export const fileUploadInput = z.object({
  fileName,
  // Base64 of the file's bytes; 10 MB of file is about 13.4 MB of base64.
  contentBase64: z.string({ error: '缺少文件内容' }).min(1, '文件为空').max(14_000_000, '文件过大（上限 10 MB）'),
});

const id = (label: string) => z.number({ error: `缺少${label}` }).int(`${label}不正确`).positive(`${label}不正确`);
const uuid = (label: string) => z.string({ error: `缺少${label}` }).regex(/^[0-9a-f-]{36}$/, `${label}不正确`);
const isoDate = (label: string) => z.string({ error: `请填写${label}` }).regex(/^\d{4}-\d{2}-\d{2}$/, `${label}应为 YYYY-MM-DD 格式`);
const dateTime = (label: string) =>
  z.string({ error: `请填写${label}` }).regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, `${label}应为 YYYY-MM-DD HH:MM 格式`);
const note = (label: string, max = 500) => z.string().trim().max(max, `${label}不能超过 ${max} 个字`);

export const IMPORT_FIELD_NAMES = [
  'policyNo', 'applicantName', 'applicantPhone', 'insuredName', 'beneficiaryName', 'idNumber', 'address', 'issueDate', 'printDate',
  'receiptSignedDate', 'receiptEntryDate', 'channel', 'productName', 'productType', 'premium', 'payYears', 'coveragePeriod',
  'termYears', 'expiryDate', 'agentName', 'agentCode', 'caseType', 'problemDescription', 'branch', 'eventDate', 'amount',
  'paymentMethod', 'lastVisitDate',
] as const;

export const importPreviewInput = z.object({
  uploadId: uuid('上传编号'),
  mapping: z.partialRecord(z.enum(IMPORT_FIELD_NAMES), z.number().int().min(0, '列号不正确').max(499, '列号不正确')),
  defaultKind: z.enum(TASK_KINDS, { error: '请选择清单的回访类型' }),
});

export const CONTACT_METHODS = ['phone', 'sms', 'letter', 'home_visit'] as const;
export const ATTEMPT_OUTCOMES = ['not_answered', 'wrong_number', 'refused', 'dialect', 'reached', 'booked'] as const;
const phoneSchema = z
  .string({ error: '请填写电话号码' })
  .trim()
  .transform((v) => v.replace(/[\s-]/g, ''))
  .refine((v) => /^1[3-9]\d{9}$/.test(v) || /^0\d{2,3}\d{7,8}$/.test(v), '电话号码不正确：手机应为 11 位，固话应带区号');

export const appointmentInput = z.object({
  taskId: id('任务'),
  date: isoDate('预约日期'),
  time: z.string({ error: '请填写预约时间' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, '预约时间应为 HH:MM 格式'),
  place: z.string({ error: '请填写地点' }).trim().min(1, '请填写地点').max(200, '地点不能超过 200 个字'),
  contactPerson: z.string({ error: '请填写联系人' }).trim().min(1, '请填写联系人').max(50, '联系人不能超过 50 个字'),
  note: note('备注').optional(),
});

export const attemptInput = z.object({
  taskId: id('任务'),
  method: z.enum(CONTACT_METHODS, { error: '请选择联系方式' }),
  attemptedAt: dateTime('联系时间'),
  outcome: z.enum(ATTEMPT_OUTCOMES, { error: '请选择联系结果' }),
  note: note('备注').optional(),
});

export const visitStartInput = z
  .object({
    taskId: id('任务').optional(),
    /** An ad-hoc visit to a key client not on any list. */
    customerId: id('客户').optional(),
    templateId: z.string().min(1).max(64).optional(),
  })
  .refine((v) => v.taskId !== undefined || v.customerId !== undefined, { message: '请选择任务或客户', path: ['taskId'] });

export const visitSetupInput = z.object({
  visitId: id('面访记录'),
  respondent: respondentSchema,
  placeKind: z.enum(PLACE_KINDS.map((p) => p.code) as [PlaceKind, ...PlaceKind[]], { error: '请选择访问地点类型' }),
  visitedAt: dateTime('访问时间'),
});

export const visitAnswerInput = z.object({
  visitId: id('面访记录'),
  questionId: z.string().min(1, '缺少问题编号').max(64),
  /** 'first' is the customer's first answer; 'after_explanation' the answer re-asked after the staff explained. */
  stage: z.enum(['first', 'after_explanation'], { error: '回答阶段不正确' }),
  answer: z.enum(['yes', 'no', 'unclear'], { error: '请选择 是 / 否 / 不清楚' }),
  note: note('备注').optional(),
});

export const visitSignInput = signatureSchema.extend({
  visitId: id('面访记录'),
  role: z.enum(['customer', 'staff'], { error: '签名人类型不正确' }),
});

export const ruleTryInput = z.object({
  /** The facts, validated by the rule engine itself so that its Chinese messages reach the form. */
  facts: z.record(z.string(), z.unknown(), { error: '请填写要试算的资料' }),
});

export interface Branch {
  code: string;
  name: string;
}

export interface AppStatus {
  version: string;
  setupDone: boolean;
  branch: Branch | null;
  /** Whether the main process can reach head office; false until sync is configured. */
  hqReachable: boolean;
  transport: 'electron' | 'browser';
  /** Calendar years the branch needs now but has no data for; shown as a banner to administrators. */
  calendarWarnings: string[];
  /** Minutes without activity before the screen locks itself. */
  idleLockMinutes: number;
}

export interface CalendarYearInfo {
  year: number;
  source: 'builtin' | 'loaded';
  holidays: number;
  makeupWorkdays: number;
  loadedAt: string | null;
  fileName: string | null;
}

export interface CalendarImportResult {
  year: number;
  holidays: number;
  makeupWorkdays: number;
  tasksRecomputed: number;
  warnings: string[];
  replacedBuiltIn: boolean;
}

export interface JobView {
  id: string;
  kind: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  done: number;
  total: number;
  phase: string;
  error: ApiError | null;
}

export interface ImportProbe {
  fileName: string;
  format: 'xlsx' | 'csv';
  encoding: string | null;
  sheetName: string | null;
  headerRow: number;
  columns: { index: number; header: string; samples: string[] }[];
  /** Proposed mapping: the sender's remembered one if this header layout was seen before. */
  mapping: Partial<Record<(typeof IMPORT_FIELD_NAMES)[number], number>>;
  remembered: boolean;
  defaultKind: TaskKind | null;
  fields: { field: (typeof IMPORT_FIELD_NAMES)[number]; label: string; required: boolean }[];
}

export interface ImportSampleRow {
  row: number;
  action: 'create' | 'update' | 'unchanged';
  policyNo: string;
  applicantName: string;
  kind: TaskKind;
  dueOn: string | null;
}

export interface ImportPreview {
  fileName: string;
  rowsTotal: number;
  valid: number;
  invalid: number;
  duplicates: number;
  create: number;
  update: number;
  unchanged: number;
  issues: FieldIssue[];
  issuesTruncated: boolean;
  /** Rows kept but worth a look, e.g. no receipt date so the cooling-off period cannot be computed. */
  warnings: FieldIssue[];
  warningsTotal: number;
  sample: ImportSampleRow[];
}

export interface ImportSummary {
  batchId: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

export interface ImportBatch {
  id: number;
  fileName: string;
  fileSha256: string;
  importedBy: string;
  importedAt: string;
  rowsTotal: number;
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  duplicates: number;
}

export interface AppointmentView {
  id: number;
  taskId: number;
  customerName: string;
  startsAt: string;
  place: string;
  contactPerson: string;
  note: string | null;
  status: 'scheduled' | 'cancelled' | 'done';
  userName: string;
}

export interface AttemptView {
  id: number;
  method: (typeof CONTACT_METHODS)[number];
  attemptedAt: string;
  outcome: (typeof ATTEMPT_OUTCOMES)[number];
  phoneMasked: string;
  note: string | null;
  userName: string;
}

export interface TaskDetail {
  task: TaskRow;
  visitRequired: boolean;
  deadlineSource: string | null;
  problemDescription: string | null;
  unableReason: string | null;
  customer: { id: number; name: string; phoneMasked: string; idNumberMasked: string; address: string | null };
  policy: {
    policyNo: string;
    productName: string;
    productType: string;
    channel: string;
    insuredName: string | null;
    premiumCents: number | null;
    payYears: number | null;
    coveragePeriod: string | null;
    issueDate: string | null;
    receiptSignedDate: string | null;
    agentName: string | null;
    /** The policy's own, else the channel's default (10 days; 15 for bancassurance). */
    coolingOffDays: number;
    expiryDate: string | null;
  } | null;
  attempts: AttemptView[];
  appointments: AppointmentView[];
  history: { at: string; userName: string | null; summary: string; changes: { field: string; oldValue: string | null; newValue: string | null }[] }[];
  nextStep: { action: string; explanation: string } | null;
}

export interface VisitAnswerView {
  questionId: string;
  first: 'yes' | 'no' | 'unclear' | null;
  afterExplanation: 'yes' | 'no' | 'unclear' | null;
  note: string | null;
}

export interface SignatureView {
  role: 'customer' | 'staff';
  signerName: string;
  signedAt: string;
  png: string;
  /** The content hash the signature was given over; differs from the current one if content changed since. */
  contentHash: string;
  current: boolean;
}

export interface AttachmentView {
  id: number;
  kind: 'photo' | 'scan' | 'audio';
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
}

export interface VisitView {
  id: number;
  recordNo: string;
  version: number;
  previousId: number | null;
  correctionReason: string | null;
  state: 'draft' | 'finalised' | 'superseded';
  taskId: number | null;
  customerId: number;
  kind: TaskKind;
  productType: string | null;
  template: QuestionnaireTemplate;
  visitorName: string;
  respondent: Respondent | null;
  placeKind: PlaceKind | null;
  visitedAt: string | null;
  answers: VisitAnswerView[];
  sheet: RecordSheet;
  signatures: SignatureView[];
  attachments: AttachmentView[];
  /** Computed from what is recorded so far (drafts) or as frozen at finalising. */
  outcome: Outcome;
  contentHash: string;
  finalisedAt: string | null;
  /** Set when the stored record no longer matches its hashes: someone changed the database. */
  tampered: string | null;
  problemCaseId: number | null;
  countersign: { managerName: string; signedAt: string; png: string } | null;
  /** The latest return by a manager, shown to the staff member who corrects it. */
  returned: { managerName: string; returnedAt: string; reason: string; by: 'manager' | 'head_office' } | null;
  /** What still blocks finalising, in Chinese, with the field or question it concerns. */
  blockers: FieldIssue[];
}

export interface VisitSummary {
  id: number;
  recordNo: string;
  version: number;
  state: VisitView['state'];
  customerName: string;
  policyNo: string | null;
  kind: TaskKind;
  visitorName: string;
  visitedAt: string | null;
  outcome: Outcome['status'];
  finalisedAt: string | null;
  /** The reason of a return (by the manager or head office) not yet corrected. */
  returnReason: string | null;
}

export interface UserSummary {
  id: number;
  displayName: string;
  role: Role;
}

export interface AccountView {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  employeeNo: string | null;
  disabled: boolean;
  /** Set while five wrong passwords keep the account locked. */
  lockedUntil: string | null;
  createdAt: string;
  lastSignInAt: string | null;
}

export interface AuditEntryView {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  action: string;
  objectType: string | null;
  objectId: number | null;
  detail: string | null;
}

export interface VerifyReport {
  checkedAt: string;
  /** Every page of the database file re-read and authenticated; the problem when one fails, else null. */
  fileProblem: string | null;
  /** Entries walked in the hash chain. */
  entries: number;
  /** The first broken link of the chain, or null when it holds. */
  chainBreak: { id: number; message: string } | null;
  /** Finalised records whose content, signatures, countersign or attachments no longer match their hashes. */
  records: number;
  recordProblems: { visitId: number; recordNo: string; version: number; message: string }[];
  ok: boolean;
}

export interface SyncStatus {
  enrolled: boolean;
  serverUrl: string | null;
  branchCode: string | null;
  deviceName: string | null;
  /** Finalised records waiting to reach head office. */
  pending: number;
  delivered: number;
  /** Records head office refused, with its reason; corrected as a new version, or sent again. */
  rejected: { outboxId: number; visitId: number; recordNo: string; version: number; code: string; message: string; at: string }[];
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  /** After a failure, automatic sync waits until then ("sync now" does not). */
  retryAt: string | null;
  running: boolean;
  progress: { phase: 'upload' | 'download'; done: number; total: number } | null;
  reachable: boolean;
}

export const syncEnrolInput = z.object({
  serverUrl: z.string({ error: '请填写总公司服务器地址' }).trim().min(1, '请填写总公司服务器地址').max(200, '地址过长'),
  branchCode: branchCodeSchema,
  enrolmentCode: z.string({ error: '请填写登记码' }).trim().min(6, '登记码至少 6 位').max(64, '登记码过长'),
  deviceName: z.string().trim().max(60, '设备名称不能超过 60 个字').default(''),
});

export interface TemplateSummary {
  id: string;
  version: number;
  name: string;
  appliesTo: string[];
  questionCount: number;
  builtIn: boolean;
  importedAt: string | null;
  latest: boolean;
}

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
}

export interface SignedIn {
  user: SessionUser;
  /** Opaque token the renderer sends with each call; lives only in memory/sessionStorage. */
  sessionToken: string;
}

export interface TaskSummary {
  total: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
}

// ── 问题件 (problem cases): opening to closure ──────────────────────────────────────────────
export const PROBLEM_STATES = ['open', 'explained', 'closed', 'reopened'] as const;
export type ProblemState = (typeof PROBLEM_STATES)[number];
export const PROBLEM_RESOLUTIONS = ['explained_accepted', 'surrender_cooling_off', 'complaint_transferred', 'other'] as const;
export type ProblemResolution = (typeof PROBLEM_RESOLUTIONS)[number];
export const PROBLEM_EVENTS = ['opened', 'assigned', 'explained', 'second_visit', 'closed', 'reopened', 'escalated'] as const;
export type ProblemEvent = (typeof PROBLEM_EVENTS)[number];

const problemCategory = z.enum(PROBLEM_CATEGORY_CODES, { error: '问题分类不正确' });

export const problemListInput = z.object({
  state: z.enum(PROBLEM_STATES, { error: '问题件状态不正确' }).optional(),
  due: z.enum(['overdue', 'soon'], { error: '期限筛选应为「已逾期」或「即将到期」' }).optional(),
  handlerId: id('处理人').optional(),
  category: problemCategory.optional(),
  openedFrom: isoDate('登记起始日').optional(),
  openedTo: isoDate('登记截止日').optional(),
  offset: z.number().int('偏移量应为整数').min(0, '偏移量不能为负').default(0),
  limit: z.number().int('条数应为整数').min(1, '条数至少为 1').max(500, '每次最多取 500 条').default(100),
});
export type ProblemListInput = z.input<typeof problemListInput>;

export const problemOpenInput = z
  .object({
    taskId: id('任务').optional(),
    customerId: id('客户').optional(),
    policyId: id('保单').optional(),
    categories: z.array(problemCategory, { error: '请选择问题分类' }).min(1, '请至少选择一个问题分类').max(20, '问题分类过多'),
    description: text('问题描述', 500),
  })
  .refine((v) => v.taskId !== undefined || v.customerId !== undefined, { message: '请选择任务，或选择客户和保单', path: ['taskId'] });

export const problemExplainInput = z
  .object({
    caseId: id('问题件'),
    method: z.enum(['phone', 'in_person'], { error: '请选择解释方式' }),
    /** By phone: the call recording's reference (录音编号). */
    recordingRef: z.string().trim().max(100, '录音编号不能超过 100 个字').optional(),
    /** In person: the finalised visit whose questionnaire the applicant signed. */
    visitId: id('面访记录').optional(),
    note: text('解释情况', 500),
  })
  .superRefine((v, ctx) => {
    if (v.method === 'phone' && !v.recordingRef) ctx.addIssue({ code: 'custom', path: ['recordingRef'], message: '电话解释须填写录音编号' });
    if (v.method === 'in_person' && v.visitId === undefined) ctx.addIssue({ code: 'custom', path: ['visitId'], message: '上门解释须选择投保人签名的面访记录' });
  });

export const problemCloseInput = z
  .object({
    caseId: id('问题件'),
    resolution: z.enum(PROBLEM_RESOLUTIONS, { error: '请选择处理结果' }),
    note: note('结案说明').optional(),
  })
  .superRefine((v, ctx) => {
    if (v.resolution === 'other' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: '处理结果为「其他」时须填写结案说明' });
  });

export interface ProblemCaseRow {
  id: number;
  source: 'visit' | 'import' | 'manual';
  policyNo: string | null;
  agentName: string | null;
  agentCode: string | null;
  customerId: number;
  customerName: string;
  categories: ProblemCategory[];
  categoryLabels: string[];
  description: string | null;
  handlerId: number | null;
  handlerName: string | null;
  state: ProblemState;
  /** ISO instant. */
  openedAt: string;
  /** The 3-working-day deadline (YYYY-MM-DD). */
  dueOn: string | null;
  /** Overdue: not yet explained and past the deadline; soon: due today or tomorrow. Null once explained or closed. */
  dueState: 'overdue' | 'soon' | null;
  escalatedAt: string | null;
  closedAt: string | null;
  resolution: ProblemResolution | null;
}

export interface ProblemVisitRef {
  id: number;
  recordNo: string;
  version: number;
  visitorName: string;
  visitedAt: string | null;
  finalisedAt: string | null;
  outcome: string | null;
  /** Answered by the applicant in person and signed by them. */
  signedByApplicant: boolean;
}

export interface ProblemCaseDetail extends ProblemCaseRow {
  taskId: number | null;
  policyId: number | null;
  dueExplanation: string | null;
  explanation: {
    method: 'phone' | 'in_person';
    recordingRef: string | null;
    visit: ProblemVisitRef | null;
    note: string | null;
    at: string;
  } | null;
  openingVisit: ProblemVisitRef | null;
  secondVisit: ProblemVisitRef | null;
  resolutionNote: string | null;
  history: { id: number; at: string; event: ProblemEvent; userName: string | null; detail: string | null }[];
  /** The customer's finalised visits since the case opened, to pick for the explanation or the second visit. */
  candidateVisits: ProblemVisitRef[];
}

export interface ProblemSummary {
  byState: Record<ProblemState, number>;
  overdue: number;
  soon: number;
  total: number;
}

// ── The branch's lists (跟踪件清单, 不成功件清单, 每日回访清单, 问题件清单) and their exports ──
export const LIST_KINDS = ['tracking', 'failed', 'daily', 'problems'] as const;
export type ListKind = (typeof LIST_KINDS)[number];
/** One column of a list, the same on screen and in the exported workbook. */
export interface ListColumn {
  key: string;
  title: string;
  /** Dates arrive as 'YYYY-MM-DD', date-times as 'YYYY-MM-DD HH:MM' (branch time); real Excel dates in exports. */
  type: 'text' | 'date' | 'datetime';
  width: number;
}
export interface ListPage {
  list: ListKind;
  title: string;
  columns: ListColumn[];
  rows: { key: string; values: Record<string, string | null> }[];
  total: number;
  /** What the list covers, in words (e.g. 回访期限 2026-11-25 至 2026-11-27). */
  scope: string;
  /** 每日回访清单 only: counts per staff member. */
  groups: { staffId: number | null; staffName: string; appointments: number; due: number; finalised: number }[];
}
const listKind = z.enum(LIST_KINDS, { error: '清单类型不正确' });
export const listGetInput = z.object({
  list: listKind,
  staffId: id('回访人员').optional(),
  offset: z.number().int('偏移量应为整数').min(0, '偏移量不能为负').default(0),
  limit: z.number().int('条数应为整数').min(1, '条数至少为 1').max(500, '每次最多取 500 条').default(100),
});
export const listExportInput = z.object({ list: listKind, staffId: id('回访人员').optional() });

/** 统计报表: a period (at most 366 days, checked in main with a Chinese message) and optional filters. */
export const statsInput = z.object({
  from: isoDate('统计起始日'),
  to: isoDate('统计截止日'),
  channel: z.enum(CHANNELS, { error: '渠道不正确' }).optional(),
  kind: z.enum(TASK_KINDS, { error: '回访项目不正确' }).optional(),
  staffId: z.number({ error: '人员编号不正确' }).int().positive().optional(),
});

export const contract = defineContract([
  method<AppStatus>()('app.status', empty, 'public'),
  method<SignedIn>()('setup.init', setupInput, 'public'),
  method<SignedIn>()('auth.signIn', signInInput, 'public'),
  method<null>()('auth.signOut', empty, 'signed_in'),
  method<SessionUser>()('auth.me', empty, 'signed_in'),
  method<SessionUser>()('auth.unlock', z.object({ password: z.string({ error: '请输入密码' }).min(1, '请输入密码').max(128) }), 'signed_in'),
  method<{ idleLockMinutes: number }>()(
    'settings.setIdleLock',
    z.object({ minutes: z.number({ error: '请填写分钟数' }).int('应为整数').min(1, '至少 1 分钟').max(120, '不能超过 120 分钟') }),
    ['admin'],
  ),
  method<{ tasks: number; customers: number; users: number }>()('demo.load', empty, ['admin']),
  method<TaskSummary>()('tasks.summary', empty, 'signed_in'),
  method<{ rows: TaskRow[]; total: number }>()('tasks.list', taskListInput, 'signed_in'),
  method<{ years: CalendarYearInfo[]; missing: number[] }>()('calendar.years', empty, 'signed_in'),
  method<CalendarImportResult>()('calendar.import', fileUploadInput, ['admin']),
  method<{ counting: { name: string; description: string; source: string }; rules: readonly RuleDescription[] }>()('rules.list', empty, 'signed_in'),
  method<DeadlineResult>()('rules.try', ruleTryInput, 'signed_in'),
  method<{ templates: TemplateSummary[] }>()('questionnaire.list', empty, 'signed_in'),
  method<QuestionnaireTemplate>()(
    'questionnaire.get',
    z.object({ id: z.string().min(1, '缺少问卷编号').max(64), version: z.number().int().min(1).optional() }),
    'signed_in',
  ),
  method<TemplateSummary>()('questionnaire.import', fileUploadInput, ['admin']),

  method<JobView>()('jobs.get', z.object({ jobId: uuid('后台任务编号') }), 'signed_in'),
  method<JobView>()('jobs.cancel', z.object({ jobId: uuid('后台任务编号') }), 'signed_in'),

  method<{ uploadId: string; chunkSize: number }>()(
    'uploads.begin',
    z.object({ fileName, size: z.number().int('文件大小不正确').min(0, '文件大小不正确') }),
    'signed_in',
  ),
  method<{ received: number }>()(
    'uploads.chunk',
    z.object({ uploadId: uuid('上传编号'), offset: z.number().int().min(0), dataBase64: z.string().min(1).max(6_000_000, '分块过大') }),
    'signed_in',
  ),
  method<{ size: number; sha256: string }>()('uploads.finish', z.object({ uploadId: uuid('上传编号') }), 'signed_in'),

  method<ImportProbe>()('import.probe', z.object({ uploadId: uuid('上传编号') }), ['staff', 'manager', 'admin']),
  method<{ jobId: string }>()('import.preview', importPreviewInput, ['staff', 'manager', 'admin']),
  method<ImportPreview>()('import.previewResult', z.object({ jobId: uuid('后台任务编号') }), ['staff', 'manager', 'admin']),
  method<{ jobId: string }>()('import.commit', z.object({ previewJobId: uuid('预览编号') }), ['staff', 'manager', 'admin']),
  method<ImportSummary>()('import.commitResult', z.object({ jobId: uuid('后台任务编号') }), ['staff', 'manager', 'admin']),
  method<{ batches: ImportBatch[] }>()('import.batches', empty, 'signed_in'),

  method<TaskDetail>()('tasks.get', z.object({ id: id('任务') }), 'signed_in'),
  method<{ updated: number }>()(
    'tasks.assign',
    z.object({ taskIds: z.array(id('任务')).min(1, '请选择任务').max(5000, '一次最多分配 5000 个任务'), assigneeId: id('经办人') }),
    ['manager'],
  ),
  method<TaskDetail>()('tasks.correctPhone', z.object({ taskId: id('任务'), newPhone: phoneSchema, reason: note('更正原因', 200).min(1, '请填写更正原因') }), [
    'staff',
    'manager',
  ]),
  method<TaskDetail>()('tasks.recordUnable', z.object({ taskId: id('任务'), reason: note('原因').min(1, '请填写不能完成回访的原因') }), ['staff', 'sales', 'manager']),
  method<{ users: UserSummary[] }>()('users.list', empty, 'signed_in'),
  method<{ accounts: AccountView[] }>()('accounts.list', empty, ['admin']),
  method<AccountView>()('accounts.create', accountCreateInput, ['admin']),
  method<AccountView>()('accounts.update', accountUpdateInput, ['admin']),
  method<AccountView>()(
    'accounts.resetPassword',
    z.object({ id: z.number({ error: '缺少账号编号' }).int().positive(), password: newPasswordSchema }),
    ['admin'],
  ),
  method<null>()(
    'auth.changePassword',
    z.object({ current: z.string({ error: '请输入当前密码' }).min(1, '请输入当前密码').max(128), next: newPasswordSchema }),
    'signed_in',
  ),
  /** The full phone or ID number, for this one view; the reason and the viewer go to the audit log. */
  method<{ value: string | null }>()('customers.reveal', revealInput, ['staff', 'sales', 'manager']),
  method<{ entries: AuditEntryView[]; total: number }>()('audit.list', auditListInput, ['admin']),
  method<VerifyReport>()('audit.verify', empty, ['admin', 'manager']),
  /** Browser mode prints through the browser's dialog; the renderer reports each print for the audit log. */
  method<null>()('audit.notePrint', z.object({ visitId: z.number({ error: '缺少面访记录编号' }).int().positive() }), ['staff', 'sales', 'manager']),
  method<TaskDetail>()('appointments.create', appointmentInput, ['staff', 'sales', 'manager']),
  method<TaskDetail>()('appointments.cancel', z.object({ id: id('预约'), reason: note('取消原因', 200).min(1, '请填写取消原因') }), ['staff', 'sales', 'manager']),
  method<{ appointments: AppointmentView[] }>()('appointments.week', z.object({ weekStart: isoDate('周起始日') }), 'signed_in'),
  method<TaskDetail>()('attempts.log', attemptInput, ['staff', 'sales', 'manager']),

  method<{ customers: { id: number; name: string; phoneMasked: string; address: string | null }[] }>()(
    'customers.search',
    z.object({ q: z.string().trim().min(1, '请输入客户名称').max(50, '搜索内容不能超过 50 个字') }),
    ['staff', 'sales', 'manager'],
  ),
  method<VisitView>()('visits.start', visitStartInput, ['staff', 'sales', 'manager']),
  method<VisitView>()('visits.get', z.object({ id: id('面访记录') }), ['staff', 'sales', 'manager']),
  method<{ visits: VisitSummary[]; total: number }>()(
    'visits.list',
    z.object({
      taskId: id('任务').optional(),
      state: z.enum(['draft', 'finalised', 'superseded']).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    ['staff', 'sales', 'manager'],
  ),
  method<VisitView>()('visits.setup', visitSetupInput, ['staff', 'sales', 'manager']),
  method<VisitView>()('visits.answer', visitAnswerInput, ['staff', 'sales', 'manager']),
  method<VisitView>()('visits.saveSheet', z.object({ visitId: id('面访记录'), sheet: recordSheetDraftSchema }), ['staff', 'sales', 'manager']),
  method<VisitView>()('visits.sign', visitSignInput, ['staff', 'sales', 'manager']),
  method<VisitView>()('visits.clearSignature', z.object({ visitId: id('面访记录'), role: z.enum(['customer', 'staff']) }), ['staff', 'sales', 'manager']),
  method<VisitView>()('visits.finalise', z.object({ visitId: id('面访记录') }), ['staff', 'sales', 'manager']),
  method<VisitView>()(
    'visits.correct',
    z.object({ visitId: id('面访记录'), reason: note('更正原因', 500).min(1, '请填写更正原因') }),
    ['staff', 'sales', 'manager'],
  ),
  method<VisitView>()(
    'visits.attach',
    z.object({ visitId: id('面访记录'), uploadId: uuid('上传编号'), kind: z.enum(['photo', 'scan', 'audio'], { error: '请选择附件类型' }) }),
    ['staff', 'sales', 'manager'],
  ),
  method<{ mime: string; dataBase64: string }>()('visits.attachment', z.object({ id: id('附件') }), ['staff', 'sales', 'manager']),
  method<{ visits: VisitSummary[]; total: number }>()(
    'countersign.queue',
    z.object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }),
    ['manager', 'admin'],
  ),
  method<{ countersigned: number }>()(
    'countersign.sign',
    signatureSchema.extend({
      visitIds: z.array(id('面访记录')).min(1, '请选择要会签的记录').max(200, '一次最多会签 200 份记录'),
      password: z.string({ error: '请输入本人密码确认' }).min(1, '请输入本人密码确认').max(128),
    }),
    ['manager'],
  ),
  method<VisitView>()('countersign.return', z.object({ visitId: id('面访记录'), reason: note('退回原因', 500).min(1, '请填写退回原因') }), ['manager']),
  method<SyncStatus>()('sync.status', empty, 'signed_in'),
  method<SyncStatus>()('sync.enrol', syncEnrolInput, ['admin']),
  method<SyncStatus>()('sync.run', empty, 'signed_in'),
  method<SyncStatus>()('sync.cancel', empty, 'signed_in'),
  method<SyncStatus>()('sync.requeue', z.object({ outboxId: z.number({ error: '缺少记录编号' }).int().positive() }), ['staff', 'sales', 'manager', 'admin']),
  /** A finished export (started by its domain's `…export` method, which returns a job id). */
  method<{ exportId: string; fileName: string; size: number; rows: number }>()('exports.result', z.object({ jobId: uuid('后台任务编号') }), 'signed_in'),
  /** Reads a finished export in chunks, for the renderer to save where the user chooses. */
  method<{ dataBase64: string; size: number; done: boolean }>()(
    'exports.read',
    z.object({ exportId: uuid('导出编号'), offset: z.number().int().min(0) }),
    'signed_in',
  ),
  method<{ rows: ProblemCaseRow[]; total: number }>()('problems.list', problemListInput, ['staff', 'sales', 'manager']),
  method<ProblemSummary>()('problems.summary', empty, ['staff', 'sales', 'manager']),
  method<ProblemCaseDetail>()('problems.get', z.object({ id: id('问题件') }), ['staff', 'sales', 'manager']),
  method<ProblemCaseDetail>()('problems.open', problemOpenInput, ['staff', 'manager']),
  method<ProblemCaseDetail>()('problems.assign', z.object({ caseId: id('问题件'), handlerId: id('处理人') }), ['manager']),
  method<ProblemCaseDetail>()('problems.explain', problemExplainInput, ['staff', 'manager']),
  method<ProblemCaseDetail>()('problems.linkSecondVisit', z.object({ caseId: id('问题件'), visitId: id('二次回访记录') }), ['staff', 'manager']),
  method<ProblemCaseDetail>()('problems.close', problemCloseInput, ['staff', 'manager']),
  method<ProblemCaseDetail>()('problems.reopen', z.object({ caseId: id('问题件'), reason: note('重开原因').min(1, '请填写重开原因') }), ['staff', 'manager']),
  method<ListPage>()('lists.get', listGetInput, ['staff', 'manager']),
  /** Exports a whole list as a workbook (a job: progress, 取消); the file comes back through exports.result/read. */
  method<{ jobId: string }>()('lists.export', listExportInput, ['staff', 'manager']),
  /** The finalised record sheets (客户回访记录表) of a period as one workbook, signatures embedded. */
  method<{ jobId: string }>()('visits.exportSheets', z.object({ from: isoDate('起始日期'), to: isoDate('截止日期') }), ['manager']),
  /** 统计报表: the figures of a period with their definitions (staff see the branch's figures too). */
  method<StatsResult>()('stats.compute', statsInput, ['staff', 'manager']),
  /** The statistics workbook of the same figures (a job); the file comes back through exports.result/read. */
  method<{ jobId: string }>()('stats.export', statsInput, ['staff', 'manager']),
  /** Desktop only: prints the calling window (showing a print view) to a PDF the user saves. */
  method<{ saved: boolean; path: string | null }>()(
    'print.savePdf',
    z.object({ suggestedName: z.string().trim().min(1, '缺少文件名').max(120, '文件名过长').regex(/^[^\\/:*?"<>|]+$/, '文件名含有不允许的字符') }),
    'signed_in',
  ),
]);

export type Contract = typeof contract;
export type MethodName = keyof Contract & string;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = NonNullable<Contract[M]['types']>['output'];
export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
