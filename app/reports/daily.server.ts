/** 日次報告書: one day's completed sessions, built from their results (seed 000 §5(9)①). */
import type { Db, Tx } from "../db.server";
import { dailyBody } from "./assemble";
import { categoriesOf, completedSessions, type ProgramInfo } from "./data.server";
import type { DailyBody } from "./types";

export function buildDailyReport(program: ProgramInfo, date: string, db: Db | Tx): DailyBody {
  return dailyBody({ programId: program.id, programName: program.name }, categoriesOf(db), date, completedSessions(program.id, date, date, db));
}
