import { z } from 'zod';
import type { FieldIssue } from './envelope';

// zod's own fallback messages in Chinese, for the rare field without a custom message.
z.config(z.locales.zhCN());

/** Turns a zod error into field issues whose path says where (e.g. "tasks.3.dueOn"). */
export function toFieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(整体)',
    message: issue.message,
  }));
}

/** A one-line Chinese summary of the issues, for the envelope's message. */
export function summariseIssues(issues: FieldIssue[]): string {
  // Messages already name their field; a path is added only where it locates a list item.
  const shown = issues.slice(0, 3).map((i) => (/\.\d+(\.|$)|^\d/.test(i.path) ? `${i.path}：${i.message}` : i.message));
  const more = issues.length > 3 ? ` 等 ${issues.length} 处` : '';
  return `输入有误：${shown.join('；')}${more}`;
}
