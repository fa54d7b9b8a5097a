import type { Database } from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/api/envelope';
import type { Channel, ProductType, TaskKind, TaskSource, TaskStatus } from '../../shared/domain/tasks';
import { hashPassword } from '../auth/passwords';
import type { WorkCalendar } from '../../shared/calendar';
import { addDays, halfYearKey, yearKey } from '../../shared/dates';
import { localIsoDate } from '../app/clock';
import { recomputeDeadlines } from '../tasks/deadlines';
import { address, company, idNumber, mobile, personName } from './people';
import { seededRandom, type Random } from './random';

export const DEMO_PASSWORD = 'demo1234';

export const DEMO_USERS = [
  { username: 'zhangli', displayName: '张莉', role: 'staff', employeeNo: 'HF0101' },
  { username: 'wangqiang', displayName: '王强', role: 'sales', employeeNo: 'YW2033' },
  { username: 'liuyang', displayName: '刘洋', role: 'manager', employeeNo: 'ZG0007' },
] as const;

const PRODUCTS: readonly { name: string; type: ProductType }[] = [
  { name: '鑫福年年两全保险（分红型）', type: 'participating' },
  { name: '康宁终身重大疾病保险', type: 'traditional' },
  { name: '金账户年金保险（万能型）', type: 'universal' },
  { name: '稳健投资连结保险', type: 'unit_linked' },
  { name: '安康定期寿险', type: 'traditional' },
];

/** How many tasks of each kind and source the demo branch holds (about 200 in all). */
const MIX: readonly { kind: TaskKind; source: TaskSource; count: number }[] = [
  { kind: 'new_policy', source: 'unreached', count: 40 },
  { kind: 'new_policy', source: 'wrong_number', count: 14 },
  { kind: 'new_policy', source: 'dialect', count: 14 },
  { kind: 'new_policy', source: 'verify', count: 14 },
  { kind: 'new_policy', source: 'letter', count: 10 },
  { kind: 'problem_case', source: 'problem', count: 24 },
  { kind: 'key_client', source: 'plan', count: 22 },
  { kind: 'shareholder_client', source: 'plan', count: 6 },
  { kind: 'survival_benefit', source: 'payment', count: 20 },
  { kind: 'renewal', source: 'plan', count: 16 },
  { kind: 'claim_closed', source: 'plan', count: 12 },
  { kind: 'underwriting', source: 'plan', count: 8 },
];

interface DemoFacts {
  eventDate: string | null;
  amountCents: number | null;
  paymentMethod: 'cash' | 'bank_transfer' | null;
  payee: 'applicant' | 'beneficiary' | null;
  lastVisitDate: string | null;
  cycle: string;
}

/**
 * Key clients are the demo sales rep's (王强 visits them yearly); other policies are spread over
 * him and two agents without accounts, so his "own clients" are a real subset of the branch.
 */
const AGENTS = [['YW2033', '王强'], ['YW2051', '李娜'], ['YW2078', '赵敏']] as const;
function agentFor(kind: TaskKind, seq: number): readonly [string, string] {
  return kind === 'key_client' || kind === 'shareholder_client' ? AGENTS[0] : AGENTS[seq % AGENTS.length]!;
}

function factsFor(kind: TaskKind, r: Random, today: string): DemoFacts {
  const none: DemoFacts = { eventDate: null, amountCents: null, paymentMethod: null, payee: null, lastVisitDate: null, cycle: '' };
  switch (kind) {
    case 'new_policy':
    case 'renewal':
      return none; // their facts live on the policy (receipt signed, expiry)
    case 'problem_case':
      return { ...none, eventDate: addDays(today, -r.int(0, 6)) };
    case 'underwriting':
      return { ...none, eventDate: addDays(today, -r.int(0, 40)) };
    case 'claim_closed':
      return { ...none, eventDate: addDays(today, -r.int(0, 10)) };
    case 'key_client':
      return { ...none, lastVisitDate: r.next() < 0.5 ? addDays(today, -r.int(60, 400)) : null, cycle: yearKey(today) };
    case 'shareholder_client':
      return { ...none, lastVisitDate: r.next() < 0.5 ? addDays(today, -r.int(60, 400)) : null, cycle: halfYearKey(today) };
    case 'survival_benefit':
      return {
        ...none,
        eventDate: addDays(today, -r.int(0, 20)),
        amountCents: r.int(1000, 60_000) * 100,
        paymentMethod: r.next() < 0.7 ? 'bank_transfer' : 'cash',
        payee: r.next() < 0.6 ? 'applicant' : 'beneficiary',
      };
  }
}

/**
 * Fills a realistic demo branch (three users, ~200 tasks of several kinds, customers and
 * policies) so a newcomer sees a working branch at once. Deterministic for a given day.
 */
export async function loadDemoBranch(db: Database, now: Date, calendar: WorkCalendar): Promise<{ tasks: number; customers: number; users: number }> {
  const exists = db.prepare('SELECT 1 FROM users WHERE username = ?').get(DEMO_USERS[0].username);
  if (exists) throw new AppError('conflict', '演示数据已经载入过，无需重复载入');
  const hash = await hashPassword(DEMO_PASSWORD);
  const r = seededRandom(20261125);
  const at = now.toISOString();
  const today = localIsoDate(now);

  return db.transaction(() => {
    const userIds: Record<string, number> = {};
    const insertUser = db.prepare('INSERT INTO users (username, display_name, role, employee_no, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (const u of DEMO_USERS) {
      userIds[u.role] = Number(insertUser.run(u.username, u.displayName, u.role, u.employeeNo, hash, at).lastInsertRowid);
    }
    const insertCustomer = db.prepare('INSERT INTO customers (name, phone, id_number, address, created_at) VALUES (?, ?, ?, ?, ?)');
    const insertPolicy = db.prepare(
      `INSERT INTO policies (policy_no, applicant_id, insured_name, product_name, product_type, channel, premium_cents, pay_years,
         coverage_period, term_years, issue_date, receipt_signed_date, expiry_date, agent_code, agent_name, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertTask = db.prepare(
      `INSERT INTO visit_tasks (customer_id, policy_id, kind, source, cycle, status, assignee_id, event_date, amount_cents,
         payment_method, payee, paid_in_person, last_visit_date, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );

    const insertEvent = db.prepare("INSERT INTO task_events (task_id, at, event, summary) VALUES (?, ?, 'created', ?)");
    const insertAppointment = db.prepare('INSERT INTO appointments (task_id, user_id, starts_at, place, contact_person, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    let tasks = 0;
    let customers = 0;
    let seq = 1;
    for (const { kind, source, count } of MIX) {
      for (let i = 0; i < count; i++) {
        const corporate = kind === 'key_client' || kind === 'shareholder_client';
        const birth = `${r.int(1950, 2000)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
        const name = corporate ? company(r) : personName(r);
        const customerId = Number(
          insertCustomer.run(name, mobile(r), corporate ? null : idNumber(r, birth), address(r), at).lastInsertRowid,
        );
        customers++;
        const product = r.pick(PRODUCTS);
        const channel: Channel = r.next() < 0.7 ? 'individual' : r.pick(['bancassurance', 'bank_direct'] as const);
        const facts = factsFor(kind, r, today);
        const receipt = addDays(today, kind === 'new_policy' ? -r.int(1, 14) : -r.int(30, 900));
        const term = r.pick([5, 10, 20, 30]);
        const expiry = kind === 'renewal' ? addDays(today, r.int(10, 120)) : addDays(receipt, term * 365);
        const policyNo = `P${today.slice(0, 4)}${String(370_000 + seq++).padStart(8, '0')}`;
        const policyId = Number(
          insertPolicy.run(
            policyNo, customerId, corporate ? '员工团体' : personName(r), product.name, product.type, channel,
            r.int(30, 500) * 10_000, r.pick([1, 3, 5, 10, 20]), `${term}年`, term, addDays(receipt, -r.int(3, 15)), receipt, expiry,
            ...agentFor(kind, seq), at,
          ).lastInsertRowid,
        );
        const assigned = r.next() < 0.75;
        const assignee = kind === 'key_client' || kind === 'shareholder_client' ? userIds.sales : userIds.staff;
        const booked = assigned && r.next() < 0.15;
        const status: TaskStatus = !assigned ? 'unassigned' : booked ? 'booked' : 'to_contact';
        const taskId = insertTask.run(
          customerId, policyId, kind, source, facts.cycle, status, assigned ? (assignee ?? null) : null, facts.eventDate,
          facts.amountCents, facts.paymentMethod, facts.payee, facts.paymentMethod ? 0 : null, facts.lastVisitDate, at, at,
        ).lastInsertRowid;
        insertEvent.run(taskId, at, '演示数据');
        // 已预约 only where an appointment really exists: statuses follow from what happened.
        if (booked) {
          const time = `${String(r.int(9, 17)).padStart(2, '0')}:${r.pick(['00', '30'])}`;
          insertAppointment.run(taskId, assignee ?? null, `${addDays(today, r.int(0, 6))} ${time}`, corporate ? `${name}会议室` : '客户家中', corporate ? '财务经理' : '本人', at);
        }
        tasks++;
      }
    }
    recomputeDeadlines(db, calendar, today, now);
    return { tasks, customers, users: DEMO_USERS.length };
  })();
}
