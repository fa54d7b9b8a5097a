/**
 * Chinese messages for zod schemas. The people who read these are branch staff and the
 * administrator importing a questionnaire file, so every message names the field in Chinese
 * and says what is expected, in Chinese. Each schema node gets its own message function
 * (zod v4 does not pass a parent's message down to its children), and the fallback map covers
 * anything a node did not label.
 */
import type { z } from 'zod';
import type { FieldIssue } from '../api/envelope';

type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  string: '文字',
  number: '数字',
  int: '整数',
  boolean: '是/否（true/false）',
  array: '列表',
  object: '对象',
  record: '对象',
  date: '日期',
};

function typeName(expected: unknown): string {
  return typeof expected === 'string' ? (TYPE_NAMES[expected] ?? expected) : '正确的类型';
}

function quoteValues(values: readonly unknown[]): string {
  return values.map((v) => `「${String(v)}」`).join('、');
}

/** The message for one issue; `label` is the field's Chinese name (may be empty). */
export function zhMessage(iss: RawIssue, label = ''): string {
  const field = label || '该项';
  switch (iss.code) {
    case 'invalid_type':
      if (!('input' in iss) || iss.input === undefined) return `缺少${field}`;
      if (iss.expected === 'int') return `${field}必须是整数`;
      return `${field}应为${typeName(iss.expected)}`;
    case 'too_small': {
      const min = Number(iss.minimum);
      if (iss.origin === 'string') return min <= 1 ? `${field}不能为空` : `${field}至少 ${min} 个字`;
      if (iss.origin === 'array' || iss.origin === 'set') return `${field}至少需要 ${min} 项`;
      return iss.inclusive ? `${field}不能小于 ${min}` : `${field}必须大于 ${min}`;
    }
    case 'too_big': {
      const max = Number(iss.maximum);
      if (iss.origin === 'string') return `${field}不能超过 ${max} 个字`;
      if (iss.origin === 'array' || iss.origin === 'set') return `${field}最多 ${max} 项`;
      return `${field}不能大于 ${max}`;
    }
    case 'invalid_value': {
      if (!('input' in iss) || iss.input === undefined) return `缺少${field}`;
      const got = 'input' in iss && iss.input !== undefined ? `「${String(iss.input)}」` : '';
      return `${field}${got}无效，可选值：${quoteValues(iss.values)}`;
    }
    case 'invalid_format':
      if (iss.format === 'datetime') return `${field}应为日期时间，例如 2024-03-01T09:30:00+08:00`;
      if (iss.format === 'regex') return `${field}格式不正确`;
      return `${field}格式不正确（${iss.format}）`;
    case 'unrecognized_keys':
      return `${field}含有未知字段：${iss.keys.join('、')}（请检查拼写）`;
    case 'invalid_union':
      return `${field}不符合任何一种允许的格式`;
    case 'invalid_key':
      return `${field}的键名无效`;
    case 'invalid_element':
      return `${field}中有无效的项`;
    case 'not_multiple_of':
      return `${field}必须是 ${String(iss.divisor)} 的倍数`;
    case 'custom':
      return iss.message ?? `${field}无效`;
    default:
      return `${field}无效`;
  }
}

/** A zod `error` option that writes Chinese messages for the field named `label`. */
export function zhError(label: string): (iss: RawIssue) => string {
  return (iss) => zhMessage(iss, label);
}

/** Fallback for a whole parse, for nodes that carry no message of their own. */
export const zhFallbackError = (iss: RawIssue): string => zhMessage(iss);

/** "questions.2.category" — the same dotted form `FieldIssue.path` uses elsewhere ("rows.3.policyNo"). */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** Turns a zod error into `FieldIssue`s, optionally prefixing the path (e.g. "template"). */
export function toFieldIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    message: issue.message,
  }));
}
