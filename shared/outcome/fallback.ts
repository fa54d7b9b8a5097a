/**
 * What to do next when the person has not been reached. The order is fixed by 重庆市人身保险新单
 * 回访管理办法 第六条: phone first; if the applicant cannot be reached, correct the number and
 * phone again; if that still fails, a letter or a home visit; if every method fails, record in
 * detail how the visit went and why it could not be completed.
 */
import { ATTEMPT_OUTCOME_LABELS, CONTACT_METHODS, type ContactAttempt, type NextStep } from './types';

/**
 * Unanswered calls before moving on to a letter or home visit.
 *
 * 第六条 requires at least one further call before a letter or home visit ("再次进行电话回访"),
 * but sets no number. Three calls — the first, the required second one, and one more at a
 * different time of day — is the usual call-centre practice, covers the customer who was simply
 * busy twice, and still leaves time inside a 10-day cooling-off period (第四条) for a letter to go
 * out and come back. More calls would eat that time; fewer would send letters to people who only
 * missed a call.
 */
export const UNANSWERED_CALLS_BEFORE_LETTER = 3;

const METHOD_LABEL: Record<string, string> = Object.fromEntries(CONTACT_METHODS.map((m) => [m.code, m.label]));

export function describeAttempt(a: ContactAttempt): string {
  const outcome = ATTEMPT_OUTCOME_LABELS[a.method][a.outcome] ?? a.outcome;
  return `${formatTime(a.at)} ${METHOD_LABEL[a.method] ?? a.method}：${outcome}${a.note ? `（${a.note}）` : ''}`;
}

/** "2024-03-01T09:30:00+08:00" → "2024-03-01 09:30"; anything else is shown as given. */
export function formatTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

/**
 * Attempts in time order; attempts at the same time (or with a time that does not parse) keep
 * the order they were recorded in.
 */
export function sortAttempts(attempts: readonly ContactAttempt[]): ContactAttempt[] {
  const times = attempts.map((a) => Date.parse(a.at));
  if (times.some((t) => Number.isNaN(t))) return [...attempts];
  return attempts
    .map((a, i) => ({ a, i, t: times[i] ?? 0 }))
    .sort((x, y) => x.t - y.t || x.i - y.i)
    .map((x) => x.a);
}

const RULE = '（重庆市人身保险新单回访管理办法 第六条）';

const letterOrHomeVisit = (why: string): NextStep => ({
  action: 'letter_or_home_visit',
  explanation: `${why}请改用信函回访或上门回访：再访仍无法联系到投保人本人的，可以采用信函回访、上门回访等方式${RULE}。`,
});

/**
 * The next step for a visit that has not reached anyone, or undefined when nothing is left to do
 * (every method failed and the reason is recorded).
 */
export function nextContactStep(attempts: readonly ContactAttempt[], unableReason?: string): NextStep | undefined {
  const sorted = sortAttempts(attempts);
  const last = sorted.at(-1);
  if (!last) {
    return { action: 'phone', explanation: `尚无联系记录。回访应当首先采用电话回访方式，并制作回访录音${RULE}。` };
  }

  if (last.outcome === 'booked') {
    const when = last.appointmentAt ? `于 ${formatTime(last.appointmentAt)} ` : '';
    const how = last.method === 'home_visit' ? '上门回访' : '回访';
    return { action: 'keep_appointment', explanation: `客户已预约，请${when}${how}。` };
  }

  // An SMS only reminds or books; the ladder is decided by the calls, letters and home visits.
  const decisive = sorted.filter((a) => a.method !== 'sms').at(-1);
  if (!decisive) {
    if (sorted.some((a) => a.outcome === 'wrong_number')) {
      return {
        action: 'correct_number_and_phone',
        explanation: `短信发送失败，号码可能有误。请补正投保人联系电话后进行电话回访${RULE}。`,
      };
    }
    return { action: 'phone', explanation: `短信只用于通知或预约，不能代替电话回访；请进行电话回访${RULE}。` };
  }

  if (decisive.method === 'letter' || decisive.method === 'home_visit') {
    if (unableReason && unableReason.trim() !== '') return undefined;
    const what = decisive.method === 'letter' ? '信函回访' : '上门回访';
    const outcome = ATTEMPT_OUTCOME_LABELS[decisive.method][decisive.outcome] ?? decisive.outcome;
    return {
      action: 'record_reason',
      explanation: `${what}仍未能完成（${outcome}）。通过电话、信函、上门等方式均不能完成回访的，应当详细记录回访情况及不能完成回访的原因${RULE}。`,
    };
  }

  // The last decisive attempt is a phone call.
  const calls = sorted.filter((a) => a.method === 'phone');
  switch (decisive.outcome) {
    case 'wrong_number': {
      const wrongs = calls.filter((a) => a.outcome === 'wrong_number');
      const earlier = wrongs.slice(0, -1);
      const sameNumberAgain = earlier.some((w) => w.phone && decisive.phone && w.phone === decisive.phone);
      // A second wrong number on a different (or unrecorded) number means the number was
      // already corrected once and the corrected one failed too.
      const correctedAndStillWrong = earlier.some((w) => !(w.phone && decisive.phone && w.phone === decisive.phone));
      if (correctedAndStillWrong) return letterOrHomeVisit('补正后的电话号码仍然错误。');
      return {
        action: 'correct_number_and_phone',
        explanation: `${
          sameNumberAgain ? '该号码此前已确认错误，仍未补正。' : '电话号码错误（电话错误件）。'
        }回访无法联系到投保人本人的，应当补正投保人联系电话后再次进行电话回访${RULE}；可通过销售人员或投保资料核实号码。`,
      };
    }
    case 'dialect':
      return letterOrHomeVisit(
        '方言件：电话中无法沟通。投保人可授权能听懂普通话的家人代为接受回访（客户回访规范与管理）；否则由分公司通过信函、上门等方式后续回访（保险公司新契约回访管理办法 第八条）。',
      );
    case 'refused':
      return letterOrHomeVisit('客户拒绝电话回访。');
    case 'not_answered': {
      const n = calls.filter((a) => a.outcome === 'not_answered').length;
      if (n >= UNANSWERED_CALLS_BEFORE_LETTER) {
        return letterOrHomeVisit(`已 ${n} 次电话无人接听（达到 ${UNANSWERED_CALLS_BEFORE_LETTER} 次）。`);
      }
      return {
        action: 'phone_again',
        explanation: `已 ${n} 次电话无人接听，请换一个时段再次电话回访；满 ${UNANSWERED_CALLS_BEFORE_LETTER} 次仍无人接听的转信函或上门回访。如怀疑号码有误，先补正号码${RULE}。`,
      };
    }
    default:
      // 'reached' is handled by the caller; nothing to suggest here.
      return undefined;
  }
}
