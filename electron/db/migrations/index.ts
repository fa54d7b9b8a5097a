import { initial } from './001_initial';
import { rulesAndCalendar } from './002_rules_and_calendar';
import { tasksIn } from './003_tasks_in';
import { visits } from './004_visits';
import { taskSearch } from './005_task_search';
import { trust } from './006_trust';
import { countersign } from './007_countersign';
import { boardOrder } from './008_board_order';
import { idleLock } from './009_idle_lock';
import { people } from './010_people';
import { sync } from './011_sync';
import { problemCaseLinks } from './013_problem_case_links';
import { problemLifecycle } from './012_problem_lifecycle';
import { visitAttachmentsIndex } from './014_visit_attachments_index';
import { dueFilterIndex } from './015_due_filter_index';
import { dropDuplicateDueIndex } from './016_drop_duplicate_due_index';
import { deadlineTexts } from './017_deadline_texts';
import { taskCreatedByBatch } from './018_task_created_by_batch';
import { listedTasksIndexedInBulk } from './019_listed_tasks_indexed_in_bulk';
import type { Migration } from './types';

export type { Migration } from './types';

/** Every migration, in order. Append only: never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [initial, rulesAndCalendar, tasksIn, visits, taskSearch, trust, countersign, boardOrder, idleLock, people, sync, problemLifecycle, problemCaseLinks, visitAttachmentsIndex, dueFilterIndex, dropDuplicateDueIndex, deadlineTexts, taskCreatedByBatch, listedTasksIndexedInBulk];

export const LATEST_VERSION = MIGRATIONS.length;

MIGRATIONS.forEach((m, i) => {
  if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
});
