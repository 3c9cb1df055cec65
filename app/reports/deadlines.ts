/**
 * When each of the contract's reports is due (seed 000 §5(9)). Pure, so the
 * /reports list, the home pages, the morning email and the browser all ask
 * the same rules. Deadlines are local Tokyo wall-clock times
 * `YYYY-MM-DDTHH:mm` (docs/decisions/002); a deadline "by the day" is that
 * day's 23:59.
 *
 * - 日次報告書: 18:00 (settings.dailyReportHour) on the next business day
 *   after the session day. Business days are asked of app/lib/dates.ts
 *   (weekends, national holidays incl. 振替休日 and 国民の休日, 12/29–1/3).
 * - 月次報告書: the N-th (settings.monthlyReportDay) of the next month, as the
 *   contract writes it (翌月の10日まで), not moved off weekends.
 * - 完了報告書: N days (settings.completionReportDays) after the last session
 *   (最終実施日より30日以内).
 */
import type { ReportKind } from "../../db/enums";
import { addDays, formatDate, formatWareki, isBusinessDay, nextBusinessDay } from "../lib/dates";

export type { ReportKind };

export const REPORT_KIND_LABELS: Record<ReportKind, string> = {
  daily: "日次報告書",
  monthly: "月次報告書",
  completion: "委託業務完了報告書",
};

/** A deadline: the day, and the local time on it (`YYYY-MM-DDTHH:mm`). */
export type Deadline = { dueOn: string; dueAt: string };

const END_OF_DAY = "23:59";

const at = (ymd: string, hm: string): Deadline => ({ dueOn: ymd, dueAt: `${ymd}T${hm}` });

/** 日次報告書: `hour`:00 on the next business day after the session day. */
export function dailyReportDue(sessionDate: string, hour: number): Deadline {
  return at(nextBusinessDay(sessionDate), `${String(hour).padStart(2, "0")}:00`);
}

/** The month after `YYYY-MM`. */
export function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** The last day of `YYYY-MM`. */
export function lastDayOf(month: string): string {
  return addDays(`${nextMonth(month)}-01`, -1);
}

/** 月次報告書 of `YYYY-MM`: by the end of day `day` of the next month. */
export function monthlyReportDue(month: string, day: number): Deadline {
  return at(`${nextMonth(month)}-${String(day).padStart(2, "0")}`, END_OF_DAY);
}

/** 完了報告書: by the end of the day `days` days after the last session. */
export function completionReportDue(lastSessionDate: string, days: number): Deadline {
  return at(addDays(lastSessionDate, days), END_OF_DAY);
}

/** The `n`-th business day after `ymd` (n = 0: `ymd` itself). */
export function addBusinessDays(ymd: string, n: number): string {
  let d = ymd;
  for (let i = 0; i < n; i++) d = nextBusinessDay(d);
  return d;
}

/** How far a deadline is: past it, due today, due within the next three business days, or later. */
export type DueState = "overdue" | "due_today" | "due_soon" | "later";

/** Business days ahead within which a report counts as due soon (flagged on the home pages). */
export const DUE_SOON_BUSINESS_DAYS = 3;

export function dueState(deadline: Deadline, nowLocal: string): DueState {
  if (nowLocal >= deadline.dueAt) return "overdue";
  const today = nowLocal.slice(0, 10);
  if (deadline.dueOn === today) return "due_today";
  // From a weekend or holiday, count from the next business day.
  const from = isBusinessDay(today) ? today : nextBusinessDay(today);
  return deadline.dueOn <= addBusinessDays(from, DUE_SOON_BUSINESS_DAYS) ? "due_soon" : "later";
}

export const DUE_STATE_LABELS: Record<DueState, string> = {
  overdue: "期限超過",
  due_today: "本日期限",
  due_soon: "期限間近",
  later: "",
};

/**
 * 「2026年12月7日(月) 18:00まで」 or 「2027年1月10日(日)まで」 for a deadline by
 * the end of the day; in 和暦 for the report itself (「令和8年12月7日(月) 18:00まで」).
 */
export function deadlineLabel(deadline: Deadline, opts: { wareki?: boolean } = {}): string {
  const time = deadline.dueAt.slice(11, 16);
  const day = opts.wareki ? `${formatWareki(deadline.dueOn)}${formatDate(deadline.dueOn).slice(-3)}` : formatDate(deadline.dueOn);
  return time === END_OF_DAY ? `${day}まで` : `${day} ${time}まで`;
}
