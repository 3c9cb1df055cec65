/**
 * /progress: the program's targets against what was done, the pace needed to
 * finish by the end date, weekly applications, cumulative sessions against
 * the target line, the group-visit pipeline and the next reports due.
 */
import { and, eq, gte, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { organisations, visits, type Stage, type VisitKind, type VisitMode } from "../../db/schema";
import { BOARD_STAGES } from "../crm/stages";
import { getDb, type Db } from "../db.server";
import { addDays, localDateTime, weekday } from "../lib/dates";
import { STAGE_LABELS } from "../lib/labels";
import { statesWhere, upcomingStates } from "../visits/lifecycle";
import { programFor } from "./build.server";
import { sumCounts } from "./counts";
import { completedSessions } from "./data.server";
import { pace, type Pace } from "./pace";
import { NEEDS_ACTION, listReports, type ReportListItem } from "./pages.server";
import { TARGETS, type TargetKey } from "./targets";
import type { Counts } from "./types";

export type TargetProgress = { key: TargetKey; label: string; wording: "at_least" | "about"; target: number; done: number; planned: number; pace: Pace };
export type WeekRow = { weekStart: string; group: number; roaming: number; base: number };
export type CumulativeRow = { weekStart: string; group: number | null; combined: number | null; groupTarget: number; combinedTarget: number };

export type ProgressData = {
  programId: number;
  programName: string;
  programParam: number | null;
  startsOn: string;
  endsOn: string;
  today: string;
  targets: TargetProgress[];
  totals: Counts;
  weekly: WeekRow[];
  cumulative: CumulativeRow[];
  pipeline: { stage: Stage; label: string; count: number }[];
  nextReports: ReportListItem[];
};

const monday = (ymd: string) => addDays(ymd, -((weekday(ymd) + 6) % 7));

/** The same for every signed-in role: the city sees how far the contract is met. */
export function progressData(url: URL, now: Date = new Date(), db: Db = getDb()): ProgressData | null {
  const programParam = url.searchParams.get("program");
  const program = programFor(programParam, db);
  if (!program) return null;
  const today = localDateTime(now).slice(0, 10);
  const sessions = completedSessions(program.id, "0000-01-01", "9999-12-31", db);

  // Still planned: confirmed sessions not yet completed (any date: their results may be pending), and dated sessions waiting for a decision from today on.
  const planned = db
    .select({ kind: visits.kind, mode: visits.mode, n: sql<number>`count(*)` })
    .from(visits)
    .where(
      and(
        eq(visits.programId, program.id),
        isNotNull(visits.date),
        or(inArray(visits.status, upcomingStates()), and(inArray(visits.status, statesWhere("undecided")), gte(visits.date, today)))
      )
    )
    .groupBy(visits.kind, visits.mode)
    .all();
  const count = (rows: { kind: VisitKind; mode: VisitMode }[], t: (typeof TARGETS)[number]) => rows.filter((r) => t.counts(r.kind, r.mode)).length;
  const targets: TargetProgress[] = TARGETS.map((t) => {
    const target = program[t.column];
    const done = count(sessions, t);
    const plannedN = planned.filter((p) => t.counts(p.kind, p.mode)).reduce((n, p) => n + p.n, 0);
    return {
      key: t.key,
      label: t.label,
      wording: t.wording,
      target,
      done,
      planned: plannedN,
      pace: pace({ target, done, planned: plannedN, today, startsOn: program.startsOn, endsOn: program.endsOn }),
    };
  });

  // Weeks (Monday first) of the program: applications so far by kind, cumulative sessions against the straight target line.
  const weeks: string[] = [];
  for (let w = monday(program.startsOn); w <= program.endsOn; w = addDays(w, 7)) weeks.push(w);
  const byWeek = new Map(weeks.map((w) => [w, { group: 0, roaming: 0, base: 0, groupSessions: 0, combinedSessions: 0 }]));
  const combined = TARGETS.find((t) => t.key === "combined")!;
  for (const s of sessions) {
    const w = byWeek.get(monday(s.date));
    if (!w) continue;
    w[s.kind] += s.counts.applications;
    if (s.kind === "group") w.groupSessions += 1;
    if (combined.counts(s.kind, s.mode)) w.combinedSessions += 1;
  }
  const totalDays = Math.max(1, (new Date(program.endsOn).getTime() - new Date(program.startsOn).getTime()) / 86_400_000 + 1);
  const line = (target: number, weekStart: string) => {
    const end = addDays(weekStart, 6) > program.endsOn ? program.endsOn : addDays(weekStart, 6);
    const days = (new Date(end).getTime() - new Date(program.startsOn).getTime()) / 86_400_000 + 1;
    return Math.round(((target * Math.max(0, days)) / totalDays) * 10) / 10;
  };
  let g = 0;
  let c = 0;
  const cumulative: CumulativeRow[] = weeks.map((w) => {
    const row = byWeek.get(w)!;
    g += row.groupSessions;
    c += row.combinedSessions;
    const past = w <= today;
    return {
      weekStart: w,
      group: past ? g : null,
      combined: past ? c : null,
      groupTarget: line(program.targetGroupVisits, w),
      combinedTarget: line(program.targetSupportCombined, w),
    };
  });
  const weekly = weeks.filter((w) => w <= today).map((w) => ({ weekStart: w, group: byWeek.get(w)!.group, roaming: byWeek.get(w)!.roaming, base: byWeek.get(w)!.base }));

  const stageCounts = db
    .select({ stage: organisations.stage, n: sql<number>`count(*)` })
    .from(organisations)
    .where(isNull(organisations.mergedIntoId))
    .groupBy(organisations.stage)
    .all();
  const pipeline = BOARD_STAGES.map((stage) => ({ stage, label: STAGE_LABELS[stage], count: stageCounts.find((s) => s.stage === stage)?.n ?? 0 }));

  const reports = listReports(program, now, db, { programParam: programParam ? program.id : null });
  const nextReports = reports
    .filter((r) => NEEDS_ACTION.includes(r.state) || r.state === "in_progress")
    .sort((a, b) => a.deadline.dueAt.localeCompare(b.deadline.dueAt))
    .slice(0, 5);
  return {
    programId: program.id,
    programName: program.name,
    programParam: programParam ? program.id : null,
    startsOn: program.startsOn,
    endsOn: program.endsOn,
    today,
    targets,
    totals: sumCounts(sessions.map((s) => s.counts)),
    weekly,
    cumulative,
    pipeline,
    nextReports,
  };
}
