/**
 * Importing a questionnaire template from a JSON file (保险公司客户回访工作指引 八: 回访问卷设计).
 * Every problem is reported at once, in Chinese, naming the file and the field, so the
 * administrator can fix the file in one go.
 */
import type { FieldIssue } from '../api/envelope';
import { validateTemplate } from './schema';
import { BUILTIN_TEMPLATES } from './templates';
import type { QuestionnaireTemplate } from './types';

export type TemplateFileResult =
  | { ok: true; template: QuestionnaireTemplate }
  | { ok: false; issues: FieldIssue[] };

function withFile(fileName: string, issue: FieldIssue): FieldIssue {
  const where = issue.path ? `字段 ${issue.path}` : '文件内容';
  return { path: issue.path, message: `文件「${fileName}」${where}：${issue.message}` };
}

/**
 * Parses and validates a template file against the templates already known (`existing`,
 * built-in ones by default plus those imported before). A file for an existing id must carry a
 * higher version: versions are never overwritten because saved visits refer to them.
 */
export function parseTemplateFile(
  jsonText: string,
  fileName: string,
  existing: readonly QuestionnaireTemplate[] = BUILTIN_TEMPLATES,
): TemplateFileResult {
  // Windows Notepad saves UTF-8 with a byte-order mark, which JSON.parse rejects.
  const text = jsonText.replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    return { ok: false, issues: [withFile(fileName, { path: '', message: '文件为空' })] };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      issues: [withFile(fileName, { path: '', message: `不是有效的 JSON 格式（${detail}）` })],
    };
  }

  const checked = validateTemplate(data);
  if (!checked.ok) return { ok: false, issues: checked.issues.map((i) => withFile(fileName, i)) };

  const t = checked.template;
  const sameId = existing.filter((e) => e.id === t.id);
  const maxVersion = Math.max(0, ...sameId.map((e) => e.version));
  if (sameId.length > 0 && t.version <= maxVersion) {
    return {
      ok: false,
      issues: [
        withFile(fileName, {
          path: 'version',
          message: `模板「${t.id}」已有版本 ${maxVersion}，导入的版本号必须大于 ${maxVersion}（当前为 ${t.version}）；已有版本不能覆盖，已保存的回访记录引用它们`,
        }),
      ],
    };
  }
  return { ok: true, template: t };
}

/** A template as a JSON file, e.g. for an administrator to start the next version from. */
export function serializeTemplate(template: QuestionnaireTemplate): string {
  return `${JSON.stringify(template, null, 2)}\n`;
}
