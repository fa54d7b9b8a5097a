import fc from 'fast-check';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES, type MethodName } from '../../shared/api/contract';
import type { ErrorCode } from '../../shared/api/envelope';
import { ADMIN, type TestApp } from '../support/app';
import { DEMO_NOW, demoBranch } from '../support/visit-flow';

/**
 * Every contract method, called through the real dispatcher with generated payloads — junk of
 * every shape IPC can carry, and near-valid payloads with one field turned hostile — as each role
 * and with no session. Each answer must be a well-formed envelope: a value, or a known error code
 * with a Chinese message, never `internal`; nothing may throw out of `call`, and no promise may be
 * left rejected. A new contract method is fuzzed without touching this file.
 *
 * Seeded: FUZZ_SEED=<n> replays a run (the seed is printed with any failure); FUZZ_SEED=random picks one.
 */
// A fixed seed by default, so \`npm test\` is repeatable; FUZZ_SEED=random explores new inputs.
const BASE_SEED = process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20_261_125);
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const CALL_TIMEOUT_MS = 10_000;
const BLOCK_MS = Number(process.env.FUZZ_BLOCK_MS ?? 2_000);
const MIN_RUNS = 6;

const CODES = [
  'invalid_input', 'unknown_method', 'unauthenticated', 'forbidden', 'locked', 'not_found', 'conflict', 'setup_required',
  'already_setup', 'bad_credentials', 'storage_error', 'tampered', 'cancelled', 'internal',
] as const satisfies readonly ErrorCode[];
// Fails to compile when envelope.ts gains a code this list lacks.
const exhaustive: Exclude<ErrorCode, (typeof CODES)[number]> extends never ? true : false = true;
const KNOWN = new Set<string>(CODES);
const CHINESE = /[\u3400-\u9fff]/;

type Role = 'admin' | 'manager' | 'staff' | 'sales' | 'none';
const ROLES: readonly Role[] = ['admin', 'manager', 'staff', 'sales', 'none'];
const CREDENTIALS: Record<Exclude<Role, 'none'>, { username: string; password: string }> = {
  admin: { username: ADMIN.adminUsername, password: ADMIN.adminPassword },
  manager: { username: 'liuyang', password: 'demo1234' },
  staff: { username: 'zhangli', password: 'demo1234' },
  sales: { username: 'wangqiang', password: 'demo1234' },
};

let app: TestApp;
const sessions: Record<Role, string | undefined> = { admin: undefined, manager: undefined, staff: undefined, sales: undefined, none: undefined };
let people: Record<string, unknown>[] = [];
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

/**
 * Fuzzed payloads may legitimately lock, disable, re-role or re-password the demo people (wrong
 * passwords count toward the lockout; accounts.* is the administrator's to call). Their rows are
 * put back as they were and they sign in again through the contract, so later methods are still
 * exercised by every role.
 */
async function signInAgain(role: Exclude<Role, 'none'>): Promise<void> {
  const update = app.db.prepare(
    'UPDATE users SET role = @role, password_hash = @password_hash, disabled = @disabled, employee_no = @employee_no, display_name = @display_name, failed_signins = 0, locked_until = NULL WHERE id = @id',
  );
  for (const p of people) update.run(p);
  const r = await app.call('auth.signIn', CREDENTIALS[role]);
  if (!r.ok) throw new Error(`cannot sign ${role} in again: ${r.error.message}`);
  sessions[role] = (r.value as { sessionToken: string }).sessionToken;
}

async function ensureSession(role: Role): Promise<void> {
  if (role === 'none') return;
  const me = await app.call('auth.me', {}, { sessionToken: sessions[role] });
  if (!me.ok || (me.value as { role: string }).role !== role) await signInAgain(role);
}

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  const clock = DEMO_NOW().getTime();
  // The clock stands still, so no session locks itself for idleness while the fuzzer runs.
  const b = await demoBranch(() => new Date(clock));
  app = b.app;
  Object.assign(sessions, { admin: b.admin, manager: b.manager, staff: b.staff, sales: b.sales });
  people = app.db.prepare('SELECT id, role, password_hash, disabled, employee_no, display_name FROM users').all() as Record<string, unknown>[];
}, 60_000);

afterAll(() => {
  process.off('unhandledRejection', onRejection);
  app?.cleanup();
});

// ── payloads ─────────────────────────────────────────────────────────────────────────────────

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  options?: z.ZodType[];
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
}
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Values plausible for the contract's fields; a field takes the first its schema accepts. */
const STRINGS = ['测试内容abc', '2026-11-25', '2026-11-25 10:00', '10:00', '00000000-0000-4000-8000-000000000001', '13800138000', 'zhangli', 'abcdefgh1', 'P2026000001', 'http://127.0.0.1:9/', 'x'];
const NUMBERS = [1, 2, 10, 100, 2026, 0];

/** A payload the method's schema accepts, or as near to one as the schema's types allow. */
function sample(schema: z.ZodType, depth = 0): unknown {
  const d = defOf(schema);
  const first = <T>(candidates: T[], fallback: T) => candidates.find((c) => schema.safeParse(c).success) ?? fallback;
  if (depth > 8) return undefined;
  switch (d.type) {
    case 'string':
      return first(STRINGS, 'x');
    case 'number':
    case 'int':
      return first(NUMBERS, 1);
    case 'boolean':
      return true;
    case 'enum':
      return Object.values(d.entries ?? {})[0];
    case 'literal':
      return d.values?.[0];
    case 'object':
      return Object.fromEntries(Object.entries(d.shape ?? {}).map(([k, v]) => [k, sample(v, depth + 1)]));
    case 'array':
      return d.element ? [sample(d.element, depth + 1)] : [];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return d.innerType ? sample(d.innerType, depth + 1) : undefined;
    case 'pipe':
      return d.in ? sample(d.in, depth + 1) : undefined;
    case 'record': {
      const key = d.keyType ? sample(d.keyType, depth + 1) : 'k';
      return { [String(key)]: d.valueType ? sample(d.valueType, depth + 1) : 1 };
    }
    case 'union':
      return d.options?.[0] ? sample(d.options[0], depth + 1) : undefined;
    case 'intersection':
      return { ...(sample(d.left!, depth + 1) as object), ...(sample(d.right!, depth + 1) as object) };
    default:
      return 'x';
  }
}

const nest = (depth: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
};

/** Own keys named like the prototype chain's, as JSON.parse and structured clone deliver them. */
const PROTO_KEYS = () => JSON.parse('{"__proto__":{"polluted":1,"role":"admin"},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1},"toString":"x","hasOwnProperty":1,"valueOf":null}') as object;

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    NaN, Infinity, -Infinity, -1, -0, 0, 0.5, 1.5, 2 ** 31, 2 ** 32 + 1, 2 ** 53, 2 ** 53 + 2, 1e308, -1e308, Number.MIN_VALUE,
    null, undefined, true, false, '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff\ud800', '𠀀𠮷👨‍👩‍👧', '\u202e\u200b', 'İıſ', 'Ⅻ１２３',
    '../../../../etc/passwd', "' OR 1=1 --", '"; DROP TABLE users; --', '<script>alert(1)</script>', '%s%n%x', '${7*7}', '{{7*7}}',
    '__proto__', 'constructor', '2026-02-30', '2026-13-01', '9999-12-31', '0000-00-00', '2026-11-25 24:60', '25:99',
    '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '------------------------------------',
    [], {}, [[]], [null], Object.create(null) as unknown, new Date(NaN), new Date(8.64e15), 10n ** 30n, -1n,
  ),
  fc.constantFrom(1_000, 70_000, 6_100_000).map((n) => '测'.repeat(n)),
  fc.integer({ min: 50, max: 3_000 }).map((d) => nest(d)),
  fc.constant(null).map(() => PROTO_KEYS()),
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.anything({ maxDepth: 2, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }),
);

type Path = (string | number)[];
const isContainer = (v: unknown): v is object =>
  v !== null && typeof v === 'object' && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** Every path into the base payload; its containers are remembered so only they are ever written to. */
function pathsOf(v: unknown, mine: WeakSet<object>, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (isContainer(v)) {
    mine.add(v);
    for (const [k, c] of Object.entries(v)) pathsOf(c, mine, [...at, Array.isArray(v) ? Number(k) : k], out);
  }
  return out;
}

type Mutation = { kind: 'replace' | 'delete' | 'addKey' | 'deep'; pick: number; key: string; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('replace', 'replace', 'replace', 'delete', 'addKey', 'deep'),
  pick: fc.nat(),
  key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'role', 'userId', 'sessionToken', 'id', ''), fc.string({ maxLength: 8 })),
  value: hostileValue,
});

const define = (o: object, k: string | number, value: unknown) => Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });

/**
 * Applies mutations to a copy of the base: a field replaced by a hostile value, removed, buried
 * deep, or a hostile key added beside it. Generated values are inserted but never written into,
 * so one run's mutation cannot leak into the next run's constants.
 */
function mutate(base: unknown, muts: Mutation[]): unknown {
  let root: unknown = structuredClone(base);
  const mine = new WeakSet<object>();
  const paths = pathsOf(root, mine);
  for (const m of muts) {
    const path = paths[m.pick % paths.length]!;
    let parent: unknown = undefined;
    let node: unknown = root;
    let reachable = true;
    for (const k of path) {
      if (!isContainer(node) || !mine.has(node)) {
        reachable = false;
        break;
      }
      parent = node;
      node = (node as Record<string | number, unknown>)[k];
    }
    if (!reachable) continue; // an earlier mutation replaced what this path led through
    const last = path[path.length - 1];
    const set = (v: unknown) => {
      if (last === undefined) root = v;
      else define(parent as object, last, v);
    };
    if (m.kind === 'replace') set(m.value);
    else if (m.kind === 'deep') set(nest(1_000, node));
    else if (m.kind === 'delete' && last !== undefined) delete (parent as Record<string | number, unknown>)[last];
    // defineProperty, so "__proto__" becomes an own key, as JSON.parse and structured clone make it.
    else if (m.kind === 'addKey' && isContainer(node) && mine.has(node)) define(node, m.key, m.value);
  }
  return root;
}

function payloads(method: MethodName): fc.Arbitrary<unknown> {
  const base = sample(contract[method].input as z.ZodType);
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(base) },
    { weight: 5, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms) => mutate(base, ms)) },
    { weight: 2, arbitrary: hostileValue },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true }) },
  );
}

// ── the answers ──────────────────────────────────────────────────────────────────────────────

function describeValue(v: unknown): string {
  try {
    const s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : typeof x === 'string' && x.length > 80 ? `${x.slice(0, 40)}…(${x.length} chars)` : x));
    return (s ?? String(v)).slice(0, 400);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** The envelope's shape, the error's code and message; returns what is wrong, or null. */
function envelopeProblem(r: unknown): string | null {
  if (r === null || typeof r !== 'object') return `not an envelope: ${describeValue(r)}`;
  const e = r as { ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown; issues?: unknown } };
  try {
    // The HTTP bridge sends it as JSON: it must serialise.
    JSON.stringify(r);
  } catch (err) {
    return `does not serialise to JSON: ${(err as Error).message}`;
  }
  if (e.ok === true) return 'value' in e ? null : 'ok without value';
  if (e.ok !== false || !e.error || typeof e.error !== 'object') return `malformed: ${describeValue(r)}`;
  const { code, message, issues } = e.error;
  if (typeof code !== 'string' || !KNOWN.has(code)) return `unknown error code ${describeValue(code)}`;
  if (code === 'internal') return `internal error: ${String(message)}`;
  if (typeof message !== 'string' || message.trim() === '' || !CHINESE.test(message)) return `message not Chinese: ${describeValue(message)}`;
  if (issues !== undefined) {
    if (!Array.isArray(issues)) return 'issues is not an array';
    for (const i of issues as { path?: unknown; message?: unknown }[]) {
      if (typeof i?.path !== 'string' || typeof i.message !== 'string' || !CHINESE.test(i.message)) return `malformed issue ${describeValue(i)}`;
    }
  }
  return null;
}

function seedFor(method: string, role: string): number {
  let h = BASE_SEED | 0;
  for (const c of `${method}/${role}`) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}

async function callOnce(method: unknown, payload: unknown, token: unknown): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      app.call(method, payload, { sessionToken: token }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CALL_TIMEOUT_MS / 1000} s`)), CALL_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function fuzz(label: string, seed: number, arb: fc.Arbitrary<unknown>, run: (payload: unknown) => Promise<void>, runs = RUNS): Promise<void> {
  // Sign-in and password methods hash with scrypt on every call: after a few runs they stop at
  // the time limit rather than stretch the file; the others all run their count.
  const until = Date.now() + BLOCK_MS;
  let done = 0;
  const bounded = async (payload: unknown) => {
    if (done++ >= MIN_RUNS && Date.now() > until) return;
    await run(payload);
  };
  try {
    await fc.assert(fc.asyncProperty(arb, bounded), { numRuns: runs, seed });
  } catch (e) {
    throw new Error(`${label} — replay with FUZZ_SEED=${BASE_SEED}\n${(e as Error).message}`, { cause: e });
  }
}

describe(`contract fuzzing (FUZZ_SEED=${BASE_SEED}, ${RUNS} runs per method and role)`, () => {
  it('knows every error code of the envelope', () => {
    expect(exhaustive).toBe(true);
  });

  it.each([...METHOD_NAMES])('%s', async (method) => {
    for (const role of ROLES) {
      await ensureSession(role);
      await fuzz(`${method} as ${role}`, seedFor(method, role), payloads(method), async (payload) => {
        let answer: unknown;
        try {
          answer = await callOnce(method, payload, sessions[role]);
        } catch (e) {
          throw new Error(`${method} as ${role} threw ${(e as Error)?.name}: ${(e as Error)?.message} for ${describeValue(payload)}`, { cause: e });
        }
        const problem = envelopeProblem(answer);
        if (problem) throw new Error(`${method} as ${role}: ${problem} for ${describeValue(payload)}`);
        const code = (answer as { ok: boolean; error?: { code: string } }).error?.code;
        // A payload that signed this role out (or locked or disabled it) should not blunt the rest of the run.
        if (role !== 'none' && (code === 'unauthenticated' || code === 'locked')) await signInAgain(role);
      });
    }
    // Node reports a rejection nobody handled once the microtasks have drained: let it.
    await new Promise((r) => setTimeout(r, 10));
    expect(rejections.map(String), 'unhandled rejections').toEqual([]);
  }, 90_000);

  it('answers junk method names and junk session tokens with an envelope', async () => {
    await fuzz('method names', BASE_SEED, fc.tuple(fc.oneof(fc.string(), fc.anything(), fc.constantFrom('__proto__', 'constructor', 'toString', 'auth.signIn ', 'AUTH.SIGNIN', 'hasOwnProperty')), fc.anything()), async (t) => {
      const [method, payload] = t as [unknown, unknown];
      const answer = await callOnce(method, payload, undefined);
      const problem = envelopeProblem(answer);
      if (problem) throw new Error(`method ${describeValue(method)}: ${problem}`);
      if (!isKnown(method)) expect((answer as { error?: { code: string } }).error?.code).toBe('invalid_input');
    }, 200);
    await fuzz('session tokens', BASE_SEED + 1, fc.tuple(fc.constantFrom(...METHOD_NAMES), fc.oneof(fc.string(), fc.anything(), fc.constant(PROTO_KEYS()))), async (t) => {
      const [method, token] = t as [MethodName, unknown];
      const answer = await callOnce(method, sample(contract[method].input as z.ZodType), token);
      const problem = envelopeProblem(answer);
      if (problem) throw new Error(`${method} with token ${describeValue(token)}: ${problem}`);
    }, 200);
  }, 60_000);

  it('left no prototype polluted and no promise rejected unhandled', async () => {
    await new Promise((r) => setTimeout(r, 50));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect(rejections).toEqual([]);
  });
});

const isKnown = (m: unknown) => typeof m === 'string' && Object.hasOwn(contract, m);
