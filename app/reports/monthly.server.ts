/**
 * 月次報告書: the month's totals, PR done and planned, inquiries, and the
 * analysis of what works best against the month before (seed 000 §5(9)②).
 */
import type { Db, Tx } from "../db.server";
import { monthlyBody } from "./assemble";
import { categoriesOf, completedSessions, inquiriesBetween, prActivitiesOf, type ProgramInfo } from "./data.server";
import { lastDayOf, nextMonth, previousMonth } from "./deadlines";
import type { MonthlyBody } from "./types";

export function buildMonthlyReport(program: ProgramInfo, month: string, db: Db | Tx): MonthlyBody {
  const prev = previousMonth(month);
  const next = nextMonth(month);
  const sessions = completedSessions(program.id, `${prev}-01`, lastDayOf(month), db);
  // Inquiries carry no program: those received within the program's period count.
  const from = maxDay(`${month}-01`, program.startsOn);
  const to = minDay(lastDayOf(month), program.endsOn);
  return monthlyBody({
    header: { programId: program.id, programName: program.name },
    categories: categoriesOf(db),
    month,
    previousMonth: prev,
    sessions: sessions.filter((s) => s.date.startsWith(month)),
    previousSessions: sessions.filter((s) => s.date.startsWith(prev)),
    prDone: prActivitiesOf(program.id, "done", `${month}-01`, lastDayOf(month), db),
    prPlanned: prActivitiesOf(program.id, "planned", `${next}-01`, lastDayOf(next), db),
    inquiries: from <= to ? inquiriesBetween(from, to, db) : [],
  });
}

const maxDay = (a: string, b: string) => (a > b ? a : b);
const minDay = (a: string, b: string) => (a < b ? a : b);
