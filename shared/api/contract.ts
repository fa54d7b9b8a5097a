import { z } from 'zod';
import './zod-issues';
import { defineContract, method } from './define';
import type { Role } from '../domain/roles';
import { TASK_KINDS, TASK_STATUSES, type TaskRow } from '../domain/tasks';
import type { QuestionnaireTemplate } from '../questionnaire';
import type { DeadlineResult, RuleDescription } from '../rules';

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

export const contract = defineContract([
  method<AppStatus>()('app.status', empty, 'public'),
  method<SignedIn>()('setup.init', setupInput, 'public'),
  method<SignedIn>()('auth.signIn', signInInput, 'public'),
  method<null>()('auth.signOut', empty, 'signed_in'),
  method<SessionUser>()('auth.me', empty, 'signed_in'),
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
]);

export type Contract = typeof contract;
export type MethodName = keyof Contract & string;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = NonNullable<Contract[M]['types']>['output'];
export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
