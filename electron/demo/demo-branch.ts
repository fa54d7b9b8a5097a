import type { Database } from 'better-sqlite3';
import { AppError } from '../../shared/api/envelope';
import type { Channel, ProductType, TaskKind, TaskSource, TaskStatus } from '../../shared/domain/tasks';
import { hashPassword } from '../auth/passwords';
import { taskDeadline, type TaskFacts } from '../tasks/deadlines';
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

const iso = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (today: Date, n: number) => iso(new Date(today.getTime() - n * 86_400_000));

function factsFor(kind: TaskKind, r: Random, today: Date, channel: Channel): TaskFacts {
  switch (kind) {
    case 'new_policy':
      return { kind, receiptSignedDate: daysAgo(today, r.int(1, 14)), channel };
    case 'problem_case':
      return { kind, workOrderDate: daysAgo(today, r.int(0, 6)) };
    case 'key_client':
    case 'shareholder_client':
      return { kind, today: iso(today), lastVisitDate: r.next() < 0.5 ? daysAgo(today, r.int(60, 400)) : null };
    case 'survival_benefit':
      return { kind, paymentDate: daysAgo(today, r.int(0, 20)), amountYuan: r.int(1000, 60_000), method: r.next() < 0.7 ? 'bank_transfer' : 'cash', collectedInPerson: false };
    case 'renewal':
      return { kind, expiryDate: daysAgo(today, -r.int(10, 120)) };
    case 'claim_closed':
      return { kind, closedDate: daysAgo(today, r.int(0, 10)) };
    case 'underwriting':
      return { kind, underwritingDate: daysAgo(today, r.int(0, 40)) };
  }
}

/**
 * Fills a realistic demo branch (three users, ~200 tasks of several kinds, customers and
 * policies) so a newcomer sees a working branch at once. Deterministic for a given day.
 */
export async function loadDemoBranch(db: Database, today: Date): Promise<{ tasks: number; customers: number; users: number }> {
  const exists = db.prepare('SELECT 1 FROM users WHERE username = ?').get(DEMO_USERS[0].username);
  if (exists) throw new AppError('conflict', '演示数据已经载入过，无需重复载入');
  const hash = await hashPassword(DEMO_PASSWORD);
  const r = seededRandom(20261125);
  const at = today.toISOString();

  return db.transaction(() => {
    const userIds: Record<string, number> = {};
    const insertUser = db.prepare('INSERT INTO users (username, display_name, role, employee_no, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (const u of DEMO_USERS) {
      userIds[u.role] = Number(insertUser.run(u.username, u.displayName, u.role, u.employeeNo, hash, at).lastInsertRowid);
    }
    const insertCustomer = db.prepare('INSERT INTO customers (name, phone, id_number, address, created_at) VALUES (?, ?, ?, ?, ?)');
    const insertPolicy = db.prepare(
      `INSERT INTO policies (policy_no, applicant_id, insured_name, product_name, product_type, channel, premium_cents, pay_years,
         coverage_period, issue_date, receipt_signed_date, agent_code, agent_name, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertTask = db.prepare(
      `INSERT INTO visit_tasks (customer_id, policy_id, kind, source, cycle, status, assignee_id, opens_on, due_on, due_explanation, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );

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
        const facts = factsFor(kind, r, today, channel);
        const receipt = facts.kind === 'new_policy' ? facts.receiptSignedDate : daysAgo(today, r.int(30, 900));
        const policyNo = `P${today.getUTCFullYear()}${String(370_000 + seq++).padStart(8, '0')}`;
        const policyId = Number(
          insertPolicy.run(
            policyNo, customerId, corporate ? '员工团体' : personName(r), product.name, product.type, channel,
            r.int(30, 500) * 10_000, r.pick([1, 3, 5, 10, 20]), r.pick(['10年', '20年', '终身', '至70周岁']),
            daysAgo(today, Math.round((today.getTime() - Date.parse(receipt)) / 86_400_000) + r.int(3, 15)), receipt,
            'YW2033', '王强', at,
          ).lastInsertRowid,
        );
        const deadline = taskDeadline(facts);
        const assigned = r.next() < 0.75;
        const assignee = kind === 'key_client' || kind === 'shareholder_client' ? userIds.sales : userIds.staff;
        const status: TaskStatus = !assigned ? 'unassigned' : r.next() < 0.15 ? 'booked' : 'to_contact';
        insertTask.run(
          customerId, policyId, kind, source, deadline.cycle, status, assigned ? (assignee ?? null) : null,
          deadline.opens, deadline.due, deadline.explanation, at, at,
        );
        tasks++;
      }
    }
    return { tasks, customers, users: DEMO_USERS.length };
  })();
}
