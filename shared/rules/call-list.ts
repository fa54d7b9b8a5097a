/**
 * When a new policy enters the head-office call list (回访清单抽取). These are extraction dates
 * (when the visit can start), not deadlines: the deadline is the cooling-off period.
 */
import { addDays, compareDates } from '../dates';
import type { CallListBancassuranceInput, CallListIndividualInput } from './schemas';
import { SOURCES } from './sources';
import type { DeadlineResult } from './types';

export const INDIVIDUAL_EXTRACTION_DAYS = 10;
export const BANCASSURANCE_PRINT_DAYS = 7;

// The schema requires these per channel; reaching here without one is a caller bug.
function present(v: string | null, label: string): string {
  if (v === null) throw new RangeError(`${label}：必须填写`);
  return v;
}

const NOTE = '清单抽取日是回访开始日，回访期限仍以犹豫期为准。';

// 《人寿保险股份有限公司个人新契约回访管理办法》清单抽取: 出单之日后 10 天.
export function callListIndividualRule(input: CallListIndividualInput): DeadlineResult {
  const opens = addDays(input.issueDate, INDIVIDUAL_EXTRACTION_DAYS);
  return {
    kind: 'call_list_individual',
    required: true,
    opens,
    due: null,
    explanation:
      `出单日 ${input.issueDate}，考虑出单、送达到回执回收约需 3–7 天，` +
      `总公司在出单之日后 ${INDIVIDUAL_EXTRACTION_DAYS} 天（${opens}）抽取回访清单。${NOTE}`,
    warnings: [],
    source: SOURCES.callListIndividual,
    visitee: '投保人',
  };
}

// 《客户回访规范与管理》一、回访清单的抽取: 银保通 = 录入次日; otherwise the earlier of
// 回执录入日次日 and 保单打印日 + 7 天.
export function callListBancassuranceRule(input: CallListBancassuranceInput): DeadlineResult {
  const base = {
    kind: 'call_list_bancassurance' as const,
    required: true,
    due: null,
    warnings: [] as string[],
    source: SOURCES.callListBancassurance,
    visitee: '投保人',
  };
  if (input.channel === 'yinbaotong') {
    const entry = present(input.policyEntryDate, '保单录入日期');
    const opens = addDays(entry, 1);
    return { ...base, opens, explanation: `银保通业务，保单录入系统日 ${entry}，以次日 ${opens} 为抽取日。${NOTE}` };
  }
  const print = present(input.printDate, '保单打印日期');
  const byPrint = addDays(print, BANCASSURANCE_PRINT_DAYS);
  if (input.receiptEntryDate === null) {
    return {
      ...base,
      opens: byPrint,
      explanation:
        `回执尚未录入，以保单打印日 ${print} 加 ${BANCASSURANCE_PRINT_DAYS} 天（${byPrint}）为抽取日；` +
        `若回执录入日次日早于该日，则改以回执录入日次日为抽取日。${NOTE}`,
    };
  }
  const byReceipt = addDays(input.receiptEntryDate, 1);
  const c = compareDates(byReceipt, byPrint);
  const explanation =
    c < 0
      ? `回执录入日次日 ${byReceipt} 早于保单打印日加 ${BANCASSURANCE_PRINT_DAYS} 天（${byPrint}），以回执录入日次日 ${byReceipt} 为抽取日。`
      : c > 0
        ? `回执录入日次日 ${byReceipt} 晚于保单打印日加 ${BANCASSURANCE_PRINT_DAYS} 天（${byPrint}），以 ${byPrint} 为抽取日。`
        : `回执录入日次日与保单打印日加 ${BANCASSURANCE_PRINT_DAYS} 天同为 ${byPrint}，以该日为抽取日。`;
  return { ...base, opens: c < 0 ? byReceipt : byPrint, explanation: explanation + NOTE };
}
