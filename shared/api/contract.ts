import { z } from 'zod';
import './zod-issues';
import { defineContract, method } from './define';
import type { Role } from '../domain/roles';
import { TASK_KINDS, TASK_STATUSES, type TaskRow } from '../domain/tasks';

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
  offset: z.number().int('偏移量应为整数').min(0, '偏移量不能为负').default(0),
  limit: z.number().int('条数应为整数').min(1, '条数至少为 1').max(500, '每次最多取 500 条').default(100),
});

const empty = z.object({}).strict();

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
]);

export type Contract = typeof contract;
export type MethodName = keyof Contract & string;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = NonNullable<Contract[M]['types']>['output'];
export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}
