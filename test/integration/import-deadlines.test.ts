import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateImportFixtures, type ImportFixtures } from '../fixtures/generate-import-fixtures.mjs';
import { createCalendarService } from '../../electron/calendar/calendar-service';
import { DEADLINE_SOURCE_SQL, DUE_EXPLANATION_SQL } from '../../electron/tasks/deadline-texts';
import { recomputeDeadlines } from '../../electron/tasks/deadlines';
import { startTestApp, type TestApp } from '../support/app';
import { importFile } from '../support/import-flow';
import { tempDir } from '../support/temp';

const NOW = () => new Date('2026-11-25T09:00:00+08:00');
let fixtures: ImportFixtures;
const dir = tempDir('vd-deadline-fixtures-');
let app: TestApp;
beforeAll(async () => {
  fixtures = await generateImportFixtures(dir.dir, { largeRows: 500 });
});
afterAll(() => dir.cleanup());
afterEach(() => app?.cleanup());

// The texts as a reader sees them, wherever they are kept (see deadline-texts.ts).
const DEADLINE_COLUMNS = `t.id, t.visit_required, t.opens_on, t.due_on, ${DUE_EXPLANATION_SQL} AS due_explanation, t.due_warnings, ${DEADLINE_SOURCE_SQL} AS deadline_source`;

describe('deadlines written with each imported task', () => {
  it('are exactly what recomputing them from the stored facts gives, for every kind of list', async () => {
    app = startTestApp(NOW);
    const admin = await app.setUp();
    await app.api('demo.load', {}, admin);
    const signIn = await app.api('auth.signIn', { username: 'zhangli', password: 'demo1234' });
    if (!signIn.ok) throw new Error(signIn.error.message);
    const staff = signIn.value.sessionToken;
    // Lists of new policies, survival benefits, renewals, key clients and problem cases, some
    // onto policies the branch already holds (the demo branch's).
    await importFile(app, staff, fixtures.unreached);
    await importFile(app, staff, fixtures.survival);
    await importFile(app, staff, fixtures.renewalCsv);
    await importFile(app, staff, fixtures.keyClientsGb);
    await importFile(app, staff, fixtures.problemCsv, 'problem_case');
    await importFile(app, staff, fixtures.large);
    const imported = `SELECT ${DEADLINE_COLUMNS} FROM visit_tasks t WHERE t.batch_id IS NOT NULL ORDER BY t.id`;
    const written = app.db.prepare(imported).all();
    expect(written.length).toBeGreaterThan(500);
    expect(written.every((r) => (r as { due_explanation: string | null }).due_explanation)).toBe(true);
    // Each text is kept once, not in every task's row.
    expect(app.db.prepare('SELECT count(*) FROM visit_tasks WHERE batch_id IS NOT NULL AND (due_explanation IS NOT NULL OR deadline_source IS NOT NULL)').pluck().get()).toBe(0);
    expect(app.db.prepare('SELECT count(*) FROM deadline_texts').pluck().get()).toBeLessThan(written.length / 2);
    const calendar = createCalendarService(app.db).current();
    recomputeDeadlines(app.db, calendar, '2026-11-25', NOW());
    expect(app.db.prepare(imported).all()).toEqual(written);
  }, 120_000);
});
