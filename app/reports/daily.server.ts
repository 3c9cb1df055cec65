/** 日次報告書: one day's completed sessions, built from their results (seed 000 §5(9)①). */
import { dailyBody } from "./assemble";
import type { ProgramInfo, ReportSource } from "./data.server";
import type { DailyBody } from "./types";

export function buildDailyReport(program: ProgramInfo, date: string, source: ReportSource): DailyBody {
  return dailyBody({ programId: program.id, programName: program.name }, source.categories, date, source.sessions(date, date));
}
