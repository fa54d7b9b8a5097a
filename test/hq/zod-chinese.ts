import type { z } from 'zod';

/**
 * Zod's issues in Chinese for the error body's `message`. The bundled zh-CN locale leaves type
 * names in English ("期望 string"); branch staff read these messages, integrators read the path.
 */

const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '布尔值',
  object: '对象',
  array: '列表',
  null: '空值',
};

const HAS_CJK = /[\u4e00-\u9fff]/;

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '（整个请求）';
}

function issueText(issue: z.core.$ZodIssue): string {
  // The protocol's own messages (regexes) are already Chinese.
  if (HAS_CJK.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if ('input' in issue && issue.input === undefined) return '缺少此项';
      return `应为${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? '不能为空' : `至少 ${min} 个字符`;
      if (issue.origin === 'array') return `至少 ${min} 项`;
      return issue.inclusive === false ? `应大于 ${min}` : `不能小于 ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `最多 ${max} 个字符`;
      if (issue.origin === 'array') return `最多 ${max} 项`;
      return issue.inclusive === false ? `应小于 ${max}` : `不能大于 ${max}`;
    }
    case 'invalid_format':
      return issue.format === 'uuid' ? '应为 UUID' : '格式不正确';
    case 'invalid_value':
      return `取值应为以下之一：${issue.values.map((v) => String(v)).join('、')}`;
    case 'invalid_union':
      return '不符合任何一种允许的格式';
    case 'unrecognized_keys':
      return `含有未知的字段：${issue.keys.join('、')}`;
    default:
      return '内容无效';
  }
}

/** At most `max` issues, each with its path, then how many more there are. */
export function describeIssues(error: z.ZodError, prefix: string, max = 3): string {
  const parts = error.issues.slice(0, max).map((i) => `${pathText(i.path)}：${issueText(i)}`);
  const rest = error.issues.length - parts.length;
  return `${prefix}${parts.join('；')}${rest > 0 ? `（另有 ${rest} 处问题）` : ''}`;
}
