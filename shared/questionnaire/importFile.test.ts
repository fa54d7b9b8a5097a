import { describe, expect, it } from 'vitest';
import { BUILTIN_TEMPLATES, NEW_POLICY_V1, parseTemplateFile, serializeTemplate, validateTemplate } from './index';

const FILE = '新契约问卷_v2.json';
const CHINESE = /[\u4e00-\u9fff]/;

/** The new-policy template as a mutable JSON object, to break in one place per test. */
function draft(): Record<string, unknown> & { questions: Record<string, unknown>[] } {
  return { ...JSON.parse(serializeTemplate(NEW_POLICY_V1)), version: 2 };
}

function issuesOf(data: unknown, existing = BUILTIN_TEMPLATES) {
  const r = parseTemplateFile(typeof data === 'string' ? data : JSON.stringify(data), FILE, existing);
  if (r.ok) throw new Error('expected the file to be rejected');
  for (const i of r.issues) {
    expect(i.message).toMatch(CHINESE);
    expect(i.message).toContain(FILE);
  }
  return r.issues;
}

describe('parseTemplateFile', () => {
  it('accepts a new version of an existing template', () => {
    const r = parseTemplateFile(JSON.stringify(draft()), FILE);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.template.version).toBe(2);
  });

  it('accepts a file saved with a byte-order mark (Windows Notepad)', () => {
    expect(parseTemplateFile(`\uFEFF${JSON.stringify(draft())}`, FILE).ok).toBe(true);
  });

  it('accepts a template with a new id at version 1', () => {
    const t = { ...draft(), id: 'new_policy_bank', version: 1 };
    expect(parseTemplateFile(JSON.stringify(t), FILE).ok).toBe(true);
  });

  it('rejects text that is not JSON, naming the file', () => {
    const [issue] = issuesOf('{ "id": "new_policy", ');
    expect(issue?.message).toContain('不是有效的 JSON');
  });

  it('rejects an empty file', () => {
    expect(issuesOf('  ')[0]?.message).toContain('文件为空');
  });

  it('rejects a version not greater than the existing one', () => {
    const issues = issuesOf({ ...draft(), version: 1 });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('version');
    expect(issues[0]?.message).toContain('必须大于 1');
  });

  it('rejects a version that is not a positive integer', () => {
    expect(issuesOf({ ...draft(), version: 1.5 })[0]).toMatchObject({ path: 'version' });
    expect(issuesOf({ ...draft(), version: 0 })[0]).toMatchObject({ path: 'version' });
    expect(issuesOf({ ...draft(), version: '2' })[0]?.message).toContain('版本号应为数字');
  });

  it('rejects duplicate question ids, pointing at the second one', () => {
    const d = draft();
    d.questions[3] = { ...d.questions[3], id: 'policy_received' };
    const issues = issuesOf(d);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('questions.3.id');
    expect(issues[0]?.message).toContain('题目编号「policy_received」重复');
  });

  it('rejects an unknown category, listing the known ones', () => {
    const d = draft();
    d.questions[0] = { ...d.questions[0], category: 'misleading_everything' };
    const issues = issuesOf(d);
    expect(issues[0]?.path).toBe('questions.0.category');
    expect(issues[0]?.message).toContain('未知的问题分类「misleading_everything」');
    expect(issues[0]?.message).toContain('proxy_signature（代签名）');
  });

  it('rejects a missing field and a misspelt one', () => {
    const d = draft();
    const { required: _omit, ...rest } = d.questions[1] ?? {};
    d.questions[1] = { ...rest, requried: true };
    const issues = issuesOf(d);
    expect(issues).toContainEqual(expect.objectContaining({ path: 'questions.1.required' }));
    expect(issues.find((i) => i.path === 'questions.1.required')?.message).toContain('缺少是否必答');
    expect(issues.find((i) => i.path === 'questions.1')?.message).toContain('未知字段：requried');
  });

  it('rejects an unknown visit kind, product type and expected answer', () => {
    const d = draft();
    d.appliesTo = ['new_policy', 'lapse'];
    d.questions[0] = { ...d.questions[0], expected: 'maybe' };
    d.questions[10] = { ...d.questions[10], showWhen: { productTypes: ['dividend'] } };
    const paths = issuesOf(d).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['appliesTo.1', 'questions.0.expected', 'questions.10.showWhen.productTypes.0']),
    );
  });

  it('rejects an empty condition, empty text and an empty question list', () => {
    const d = draft();
    d.questions[10] = { ...d.questions[10], showWhen: { productTypes: [] }, text: '   ' };
    const paths = issuesOf(d).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['questions.10.showWhen.productTypes', 'questions.10.text']));
    expect(issuesOf({ ...draft(), questions: [] })[0]).toMatchObject({ path: 'questions' });
  });

  it('rejects unknown placeholders in the script', () => {
    const d = draft();
    d.questions[4] = { ...d.questions[4], text: '保费为{premiun}元，是否一致？' };
    const issues = issuesOf(d);
    expect(issues[0]?.path).toBe('questions.4.text');
    expect(issues[0]?.message).toContain('{premiun}');
  });

  it('rejects a bad template id', () => {
    expect(issuesOf({ ...draft(), id: 'New Policy' })[0]).toMatchObject({ path: 'id' });
  });

  it('rejects something that is not an object', () => {
    expect(issuesOf('[]')[0]?.message).toContain('问卷模板应为对象');
  });

  it('reports every problem at once', () => {
    const d = draft();
    d.name = '';
    d.questions[0] = { ...d.questions[0], category: 'x' };
    d.questions[2] = { ...d.questions[2], required: 'yes' };
    d.questions[5] = { ...d.questions[5], id: 'premium' }; // cross-field check still runs
    expect(issuesOf(d).map((i) => i.path)).toEqual([
      'name',
      'questions.0.category',
      'questions.2.required',
      'questions.5.id',
    ]);
  });
});

describe('validateTemplate', () => {
  it('gives Chinese messages with dotted paths', () => {
    const r = validateTemplate({});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => i.path)).toEqual(['id', 'version', 'name', 'appliesTo', 'questions']);
      for (const i of r.issues) expect(i.message).toMatch(/^缺少/);
    }
  });
});
