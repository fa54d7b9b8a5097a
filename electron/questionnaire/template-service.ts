import type { Database } from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/api/envelope';
import type { TemplateSummary } from '../../shared/api/contract';
import { BUILTIN_TEMPLATES, getTemplate, latestTemplates, parseTemplateFile, type QuestionnaireTemplate } from '../../shared/questionnaire';
import type { ProblemCategory } from '../../shared/outcome';
import type { ProductType, Question, VisitKind } from '../../shared/questionnaire';

interface TemplateRow {
  template_id: string;
  version: number;
  name: string;
  source: string | null;
  imported_at: string;
}
interface QuestionRow {
  template_id: string;
  version: number;
  question_id: string;
  text: string;
  expected: 'yes' | 'no';
  category: ProblemCategory;
  required: number;
  explanation_can_resolve: number | null;
  hint: string | null;
  source: string | null;
}

const key = (id: string, version: number) => `${id}@${version}`;

/**
 * Questionnaire versions: the shipped ones plus those an administrator imported. Versions are
 * never replaced or deleted, so a record always finds the version it was filled against.
 */
export function createTemplateService(db: Database) {
  function imported(): { template: QuestionnaireTemplate; importedAt: string }[] {
    const kinds = new Map<string, VisitKind[]>();
    for (const r of db.prepare<[], { template_id: string; version: number; visit_kind: VisitKind }>('SELECT * FROM questionnaire_template_kinds').all()) {
      kinds.set(key(r.template_id, r.version), [...(kinds.get(key(r.template_id, r.version)) ?? []), r.visit_kind]);
    }
    const products = new Map<string, ProductType[]>();
    for (const r of db.prepare<[], { template_id: string; version: number; product_type: ProductType }>('SELECT * FROM questionnaire_template_products').all()) {
      products.set(key(r.template_id, r.version), [...(products.get(key(r.template_id, r.version)) ?? []), r.product_type]);
    }
    const shownFor = new Map<string, ProductType[]>();
    for (const r of db.prepare<[], { template_id: string; version: number; question_id: string; product_type: ProductType }>('SELECT * FROM questionnaire_question_products').all()) {
      const k = `${key(r.template_id, r.version)}#${r.question_id}`;
      shownFor.set(k, [...(shownFor.get(k) ?? []), r.product_type]);
    }
    const questions = new Map<string, Question[]>();
    for (const q of db.prepare<[], QuestionRow>('SELECT * FROM questionnaire_questions ORDER BY template_id, version, position').all()) {
      const k = key(q.template_id, q.version);
      const show = shownFor.get(`${k}#${q.question_id}`);
      const question: Question = {
        id: q.question_id,
        text: q.text,
        expected: q.expected,
        category: q.category,
        required: q.required === 1,
        ...(show ? { showWhen: { productTypes: show } } : {}),
        ...(q.explanation_can_resolve !== null ? { explanationCanResolve: q.explanation_can_resolve === 1 } : {}),
        ...(q.hint !== null ? { hint: q.hint } : {}),
        ...(q.source !== null ? { source: q.source } : {}),
      };
      questions.set(k, [...(questions.get(k) ?? []), question]);
    }
    return db.prepare<[], TemplateRow>('SELECT template_id, version, name, source, imported_at FROM questionnaire_templates').all().map((t) => {
      const k = key(t.template_id, t.version);
      const productTypes = products.get(k);
      return {
        importedAt: t.imported_at,
        template: {
          id: t.template_id,
          version: t.version,
          name: t.name,
          appliesTo: kinds.get(k) ?? [],
          ...(productTypes ? { productTypes } : {}),
          ...(t.source !== null ? { source: t.source } : {}),
          questions: questions.get(k) ?? [],
        },
      };
    });
  }

  const all = (): QuestionnaireTemplate[] => [...BUILTIN_TEMPLATES, ...imported().map((i) => i.template)];

  return {
    all,

    list(): TemplateSummary[] {
      const importedAt = new Map(imported().map((i) => [key(i.template.id, i.template.version), i.importedAt]));
      const latest = new Set(latestTemplates(all()).map((t) => key(t.id, t.version)));
      return all()
        .map((t) => ({
          id: t.id,
          version: t.version,
          name: t.name,
          appliesTo: [...t.appliesTo],
          questionCount: t.questions.length,
          builtIn: !importedAt.has(key(t.id, t.version)),
          importedAt: importedAt.get(key(t.id, t.version)) ?? null,
          latest: latest.has(key(t.id, t.version)),
        }))
        .sort((a, b) => a.id.localeCompare(b.id) || b.version - a.version);
    },

    get(id: string, version?: number): QuestionnaireTemplate {
      const t = getTemplate(id, version, all());
      if (!t) throw new AppError('not_found', version ? `找不到问卷「${id}」第 ${version} 版` : `找不到问卷「${id}」`);
      return t;
    },

    import(fileName: string, text: string, userId: number, now: Date): QuestionnaireTemplate {
      const r = parseTemplateFile(text, fileName, all());
      if (!r.ok) {
        const first = r.issues.slice(0, 3).map((i) => i.message).join('；');
        throw new AppError('invalid_input', `问卷文件「${fileName}」有 ${r.issues.length} 处错误：${first}${r.issues.length > 3 ? ' …' : ''}`, r.issues);
      }
      const t = r.template;
      db.transaction(() => {
        db.prepare('INSERT INTO questionnaire_templates (template_id, version, name, source, file_name, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
          t.id, t.version, t.name, t.source ?? null, fileName, userId, now.toISOString(),
        );
        for (const k of t.appliesTo) db.prepare('INSERT INTO questionnaire_template_kinds VALUES (?, ?, ?)').run(t.id, t.version, k);
        for (const p of t.productTypes ?? []) db.prepare('INSERT INTO questionnaire_template_products VALUES (?, ?, ?)').run(t.id, t.version, p);
        t.questions.forEach((q, position) => {
          db.prepare(
            `INSERT INTO questionnaire_questions (template_id, version, position, question_id, text, expected, category, required,
               explanation_can_resolve, hint, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(t.id, t.version, position, q.id, q.text, q.expected, q.category, q.required ? 1 : 0,
            q.explanationCanResolve === undefined ? null : q.explanationCanResolve ? 1 : 0, q.hint ?? null, q.source ?? null);
          for (const p of q.showWhen?.productTypes ?? []) db.prepare('INSERT INTO questionnaire_question_products VALUES (?, ?, ?, ?)').run(t.id, t.version, q.id, p);
        });
      })();
      return t;
    },
  };
}
