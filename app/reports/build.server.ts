/**
 * One report of a period as it stands now: its body built from the results,
 * its deadline, and whether it may be submitted yet (and if not, why).
 */
import { programs } from "../../db/schema";
import type { Db, Tx } from "../db.server";
import { addDays, formatDate, localDateTime } from "../lib/dates";
import { getActiveProgram, getSettings } from "../settings.server";
import { buildCompletionReport } from "./completion.server";
import { buildDailyReport } from "./daily.server";
import { liveSource, programById, type Pending, type ProgramInfo, type ReportSource } from "./data.server";
import { completionReportDue, dailyReportDue, lastDayOf, monthlyReportDue, nextMonth, type Deadline, type ReportKind } from "./deadlines";
import { buildMonthlyReport } from "./monthly.server";
import { isPeriodKey, reportTitle } from "./titles";
import type { ReportBody } from "./types";

export type { Pending };

export type BuiltReport = {
  program: ProgramInfo;
  kind: ReportKind;
  /** YYYY-MM-DD, YYYY-MM or "" (completion). */
  key: string;
  periodStart: string;
  periodEnd: string;
  title: string;
  deadline: Deadline;
  body: ReportBody;
  /** Confirmed sessions of the period whose results are still missing. */
  pending: Pending[];
  /** Why it may not be submitted yet (null: it may). */
  notReady: string | null;
  /** The period has ended (the day has come, the month is over, the last session has taken place). */
  periodOver: boolean;
};

/** The program a request names (?program=ID), or the active one. Null when there is none. */
export function programFor(programParam: string | null, db: Db | Tx): ProgramInfo | null {
  if (programParam != null && programParam !== "") {
    if (!/^[1-9]\d{0,9}$/.test(programParam)) return null;
    return programById(Number(programParam), db) ?? null;
  }
  return getActiveProgram(db) ?? db.select().from(programs).orderBy(programs.id).get() ?? null;
}

/** Months (YYYY-MM) of a program's period. */
export function programMonths(program: Pick<ProgramInfo, "startsOn" | "endsOn">): string[] {
  const out: string[] = [];
  for (let m = program.startsOn.slice(0, 7); m <= program.endsOn.slice(0, 7); m = nextMonth(m)) out.push(m);
  return out;
}

const pendingText = (pending: Pending[]) =>
  `実績が未入力の回があります（${pending
    .slice(0, 3)
    .map((p) => `${formatDate(p.date)} ${p.title}`)
    .join("、")}${pending.length > 3 ? ` ほか${pending.length - 3}件` : ""}）。実績を入力して実施済にするか、中止した回は取り消してから提出してください。`;

/**
 * Build the report of a period. Null when the period is not one of the
 * program's (a day without sessions, a month outside its period).
 */
export function buildReport(program: ProgramInfo, kind: ReportKind, key: string, now: Date, db: Db | Tx, source: ReportSource = liveSource(program.id, db)): BuiltReport | null {
  if (!isPeriodKey(kind, key)) return null;
  const settings = getSettings(db);
  const today = localDateTime(now).slice(0, 10);
  if (kind === "daily") {
    if (key < program.startsOn || key > program.endsOn) return null;
    const body = buildDailyReport(program, key, source);
    const pending = source.pending(key, key);
    if (body.sessions.length === 0 && pending.length === 0) return null;
    const notReady = key > today ? "実施日になってから提出できます。" : pending.length ? pendingText(pending) : null;
    return {
      program,
      kind,
      key,
      periodStart: key,
      periodEnd: key,
      title: reportTitle(kind, key),
      deadline: dailyReportDue(key, settings.dailyReportHour),
      body,
      pending,
      notReady,
      periodOver: key <= today,
    };
  }
  if (kind === "monthly") {
    if (!programMonths(program).includes(key)) return null;
    const start = `${key}-01`;
    const end = lastDayOf(key);
    const body = buildMonthlyReport(program, key, source);
    const pending = source.pending(start, end < today ? end : today);
    const notReady = today <= end ? `月が終わってから提出できます（${formatDate(addDays(end, 1))}から）。` : pending.length ? pendingText(pending) : null;
    return {
      program,
      kind,
      key,
      periodStart: start,
      periodEnd: end,
      title: reportTitle(kind, key),
      deadline: monthlyReportDue(key, settings.monthlyReportDay),
      body,
      pending,
      notReady,
      periodOver: end < today,
    };
  }
  const body = buildCompletionReport(program, source);
  const last = source.lastSessionDate();
  const pending = source.pending("0000-01-01", today);
  let notReady: string | null = null;
  if (last && last > today) notReady = `実施予定の回が残っています（最終実施予定日 ${formatDate(last)}）。最後の回が終わってから提出できます。`;
  else if (!last) notReady = "実施した回がまだありません。";
  else if (pending.length) notReady = pendingText(pending);
  return {
    program,
    kind,
    key,
    periodStart: program.startsOn,
    periodEnd: program.endsOn,
    title: reportTitle(kind, key),
    deadline: completionReportDue(last ?? program.endsOn, settings.completionReportDays),
    body,
    pending,
    notReady,
    periodOver: last != null && last <= today,
  };
}
