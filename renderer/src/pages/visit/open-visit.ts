import type { MethodInput, TaskDetail, VisitView } from '../../../../shared/api/contract';
import type { Envelope } from '../../../../shared/api/envelope';
import { visibleQuestions, type ProductType } from '../../../../shared/questionnaire';
import { call } from '../../api/client';
import { createSessionStore, onSignOut } from '../../stores/session';

/**
 * The open visit (面访) — one at a time, like the paper on the customer's table. Anything in the
 * app opens it through `openForTask` (the task board's 开始面访) or `openVisit` (a record in
 * 面访记录); the workspace mounted in the shell shows whatever this store holds.
 */

export const VISIT_STEPS = ['respondent', 'questions', 'sheet', 'attachments', 'outcome'] as const;
export type VisitStep = (typeof VISIT_STEPS)[number];

type VisitMutation = 'visits.setup' | 'visits.answer' | 'visits.saveSheet' | 'visits.sign' | 'visits.clearSignature' | 'visits.finalise' | 'visits.attach';

export interface SaveState {
  state: 'idle' | 'saving' | 'saved' | 'error';
  message?: string;
}

interface VisitState {
  open: boolean;
  loading: boolean;
  loadError: string | null;
  view: VisitView | null;
  /** The task behind the visit: the policy facts the script's placeholders are filled from. */
  detail: TaskDetail | null;
  step: VisitStep;
  /** Index into the visible questions of the question on screen. */
  questionIndex: number;
  save: SaveState;
  /** Bumped whenever a record changed, so lists showing records reload. */
  revision: number;
  openForTask: (taskId: number) => Promise<void>;
  openVisit: (visitId: number) => Promise<void>;
  /** An on-site visit to a key client that is not on any list. */
  openAdHoc: (customerId: number) => Promise<void>;
  close: () => void;
  goTo: (step: VisitStep, questionIndex?: number) => void;
  /** Sends one change of the open draft; calls run one after another so answers land in order. */
  mutate: <M extends VisitMutation>(method: M, input: MethodInput<M>) => Promise<Envelope<VisitView>>;
  /** Replaces the open record with another one (a correction opens its new version). */
  show: (view: VisitView) => Promise<void>;
}

const visible = (v: VisitView) => visibleQuestions(v.template, (v.productType ?? undefined) as ProductType | undefined);

/** Where a resumed visit picks up: the first thing still missing, in the order the visit is done. */
function resumePoint(v: VisitView): { step: VisitStep; questionIndex: number } {
  const qs = visible(v);
  const answered = new Set(v.answers.filter((a) => a.first !== null).map((a) => a.questionId));
  const firstOpen = qs.findIndex((q) => !answered.has(q.id));
  if (v.state !== 'draft') return { step: 'outcome', questionIndex: 0 };
  if (!v.respondent || !v.visitedAt) return { step: 'respondent', questionIndex: 0 };
  if (firstOpen >= 0) return { step: 'questions', questionIndex: firstOpen };
  if (v.blockers.some((b) => b.path.startsWith('sheet.'))) return { step: 'sheet', questionIndex: 0 };
  return { step: 'outcome', questionIndex: 0 };
}

// Serialises mutations: each waits for the one before, so the last view set is the newest.
let queue: Promise<unknown> = Promise.resolve();
// Guards against a slow open landing after another record was opened.
let openSeq = 0;

export const useVisitStore = createSessionStore<VisitState>((set, get) => {
  async function load(fetch: () => Promise<Envelope<VisitView>>): Promise<void> {
    const seq = ++openSeq;
    set({ open: true, loading: true, loadError: null, view: null, detail: null, save: { state: 'idle' } });
    const r = await fetch();
    if (seq !== openSeq) return;
    if (!r.ok) return set({ loading: false, loadError: r.error.message });
    await showView(r.value, seq);
  }

  async function showView(view: VisitView, seq: number): Promise<void> {
    const detail = view.taskId !== null ? await call('tasks.get', { id: view.taskId }) : null;
    if (seq !== openSeq) return;
    set({ loading: false, view, detail: detail?.ok ? detail.value : null, ...resumePoint(view), revision: get().revision + 1 });
  }

  return {
    open: false,
    loading: false,
    loadError: null,
    view: null,
    detail: null,
    step: 'respondent',
    questionIndex: 0,
    save: { state: 'idle' },
    revision: 0,
    openForTask: (taskId) => load(() => call('visits.start', { taskId })),
    openVisit: (visitId) => load(() => call('visits.get', { id: visitId })),
    openAdHoc: (customerId) => load(() => call('visits.start', { customerId })),
    show: (view) => showView(view, ++openSeq),
    close: () => {
      openSeq++;
      set({ open: false, view: null, detail: null, loadError: null, loading: false, revision: get().revision + 1 });
    },
    goTo: (step, questionIndex) => set(questionIndex === undefined ? { step } : { step, questionIndex }),
    mutate: (method, input) => {
      const run = async (): Promise<Envelope<VisitView>> => {
        set({ save: { state: 'saving' } });
        const r = (await call(method, input)) as Envelope<VisitView>;
        const current = get().view;
        if (r.ok) {
          // Only the record still on screen is updated; a late answer for a closed one is dropped.
          if (current && current.id === r.value.id) set({ view: r.value, save: { state: 'saved' } });
        } else {
          set({ save: { state: 'error', message: r.error.message } });
        }
        return r;
      };
      const next = queue.then(run, run);
      queue = next;
      return next;
    },
  };
});

// Sign-out: a record still loading or saving for the previous person must not land in the reset store.
onSignOut(() => {
  openSeq++;
  queue = Promise.resolve();
});

/** Opens the visit of a task: resumes its draft if there is one, else starts it. For the task board. */
export function openForTask(taskId: number): Promise<void> {
  return useVisitStore.getState().openForTask(taskId);
}

/** Opens a visit record by id (a draft to continue, or a finalised record to read). */
export function openVisit(visitId: number): Promise<void> {
  return useVisitStore.getState().openVisit(visitId);
}
