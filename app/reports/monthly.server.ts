/**
 * 月次報告書: the month's totals, PR done and planned, inquiries, and the
 * analysis of what works best against the month before (seed 000 §5(9)②).
 */
import { monthlyBody } from "./assemble";
import type { ProgramInfo, ReportSource } from "./data.server";
import { lastDayOf, nextMonth, previousMonth } from "./deadlines";
import type { MonthlyBody } from "./types";

export function buildMonthlyReport(program: ProgramInfo, month: string, source: ReportSource): MonthlyBody {
  const prev = previousMonth(month);
  const next = nextMonth(month);
  // Inquiries carry no program: those received within the program's period count.
  const from = maxDay(`${month}-01`, program.startsOn);
  const to = minDay(lastDayOf(month), program.endsOn);
  return monthlyBody({
    header: { programId: program.id, programName: program.name },
    categories: source.categories,
    month,
    previousMonth: prev,
    sessions: source.sessions(`${month}-01`, lastDayOf(month)),
    previousSessions: source.sessions(`${prev}-01`, lastDayOf(prev)),
    prDone: source.pr("done", `${month}-01`, lastDayOf(month)),
    prPlanned: source.pr("planned", `${next}-01`, lastDayOf(next)),
    inquiries: from <= to ? source.inquiries(from, to) : [],
  });
}

const maxDay = (a: string, b: string) => (a > b ? a : b);
const minDay = (a: string, b: string) => (a < b ? a : b);
