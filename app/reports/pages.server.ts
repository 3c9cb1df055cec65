/**
 * What the report pages, the /reports list and the home pages show: each
 * period's report with its deadline and where it stands, for staff (the
 * report as built now, its versions, the remarks form) and for the city
 * (only what was submitted, and the acknowledgement).
 */
import { desc, eq } from "drizzle-orm";
import { programs, reports, sitePhotos, visits } from "../../db/schema";
import type { SessionUser } from "../auth.server";
import { getDb, type Db } from "../db.server";
import { localDateTime } from "../lib/dates";
import { can } from "../permissions";
import { buildReport, programFor, programMonths, type BuiltReport } from "./build.server";
import { existingPhotoIds, preloadedSource, sessionDays, type ProgramInfo } from "./data.server";
import { deadlineLabel, dueState, type Deadline, type DueState, type ReportKind } from "./deadlines";
import { describeChanges, sameFigures } from "./diff";
import type { ReportState } from "./labels";
import { versionsOf, type VersionView } from "./store.server";
import { reportPath } from "./titles";
import type { ReportBody } from "./types";

export type VersionSummary = {
  id: number;
  version: number;
  status: "submitted" | "acknowledged";
  submittedAt: string | null;
  submittedByName: string | null;
  acknowledgedAt: string | null;
  acknowledgedByName: string | null;
  remarks: string | null;
  changeSummary: string | null;
};

const summary = (v: VersionView): VersionSummary => ({
  id: v.id,
  version: v.version,
  status: v.status as VersionSummary["status"],
  submittedAt: v.submittedAt,
  submittedByName: v.submittedByName,
  acknowledgedAt: v.acknowledgedAt,
  acknowledgedByName: v.acknowledgedByName,
  remarks: v.remarks,
  changeSummary: v.changeSummary,
});

/** Where a period stands, from its build and its latest submitted version. */
export function stateOf(built: BuiltReport, latest: { status: string; body: ReportBody | null } | undefined, photoExists: (id: number) => boolean): ReportState {
  if (latest?.body) return sameFigures(latest.body, built.body, photoExists) ? (latest.status as ReportState) : "changed";
  if (!built.periodOver) return "in_progress";
  return built.pending.length ? "not_ready" : "open";
}

/** States that wait for the contractor. */
export const NEEDS_ACTION: readonly ReportState[] = ["not_ready", "open", "changed"];

/**
 * How near the deadline is, for reports not yet submitted. A correction to
 * resubmit has no deadline of its own (the first version met or missed it):
 * it is flagged as a correction, not as overdue.
 */
function dueOf(state: ReportState, deadline: Deadline, nowLocal: string): DueState | null {
  return state === "open" || state === "not_ready" ? dueState(deadline, nowLocal) : null;
}

export type ReportPageData = {
  programId: number;
  programName: string;
  /** Set when the address named a program (kept in links). */
  programParam: number | null;
  kind: ReportKind;
  key: string;
  title: string;
  deadline: Deadline;
  deadlineText: string;
  /** The same in 和暦, as the report itself prints it. */
  deadlineWareki: string;
  dueState: DueState | null;
  state: ReportState;
  /** The report shown: as built now (staff, while not submitted or changed since) or a submitted version. */
  shown: { source: "live" } | { source: "version"; version: VersionSummary };
  body: ReportBody | null;
  versions: VersionSummary[];
  draftRemarks: string | null;
  notReady: string | null;
  pending: { visitId: number; date: string; title: string }[];
  /** Photos a frozen version names that retention has deleted since. */
  deletedPhotoIds: number[];
  /** Staff, after a correction: what a new version would change against the latest submitted one. */
  pendingChanges: string[];
  can: { draft: boolean; submit: boolean; acknowledge: boolean; seeLive: boolean; photos: boolean };
  downloads: { xlsx: string; csv: string } | null;
};

export type PageResult = { ok: true; data: ReportPageData } | { ok: false; status: 404; message: string };

const NO_PROGRAM = "業務（program）が見つかりません。報告書の一覧から選び直してください。";
const NO_PERIOD: Record<ReportKind, string> = {
  daily: "この日の日次報告書はありません（実施した回がない日か、業務期間の外の日付です）。報告書の一覧から選んでください。",
  monthly: "この月の月次報告書はありません（業務期間の外の月です）。報告書の一覧から選んでください。",
  completion: "完了報告書が見つかりません。",
};

/** One report page (and what its downloads render). `versionParam` picks a submitted version. */
export function reportPage(input: { url: URL; kind: ReportKind; key: string; user: SessionUser; now?: Date }, db: Db = getDb()): PageResult {
  const now = input.now ?? new Date();
  const programParam = input.url.searchParams.get("program");
  const program = programFor(programParam, db);
  if (!program) return { ok: false, status: 404, message: NO_PROGRAM };
  const built = buildReport(program, input.kind, input.key, now, db);
  if (!built) return { ok: false, status: 404, message: NO_PERIOD[input.kind] };
  const seeLive = can(input.user.role, "reports.write");
  const all = versionsOf(program.id, input.kind, built.periodStart, db);
  const submitted = all.filter((v) => v.status !== "draft");
  const latest = submitted[0];
  const photoIds = [...new Set(submitted.flatMap((v) => (v.body?.kind === "daily" ? v.body.sessions.flatMap((s) => s.photos.map((p) => p.id)) : [])))];
  const existing = photoIds.length ? existingPhotoIds(photoIds, db) : new Set<number>();
  const state = stateOf(built, latest, (id) => existing.has(id));

  const versionParam = input.url.searchParams.get("version");
  let shownVersion: VersionView | undefined;
  if (versionParam != null) {
    shownVersion = /^[1-9]\d{0,4}$/.test(versionParam) ? submitted.find((v) => v.version === Number(versionParam)) : undefined;
    if (!shownVersion) return { ok: false, status: 404, message: `この報告書に第${versionParam}版はありません。版の一覧から選んでください。` };
  } else if (!seeLive || state === "submitted" || state === "acknowledged") {
    shownVersion = latest;
  }
  const body = shownVersion ? shownVersion.body : seeLive ? built.body : null;
  const shownPhotoIds = body?.kind === "daily" ? body.sessions.flatMap((s) => s.photos.map((p) => p.id)) : [];
  const pathOpts = { programId: programParam ? program.id : null, version: shownVersion && versionParam != null ? shownVersion.version : null };
  return {
    ok: true,
    data: {
      programId: program.id,
      programName: program.name,
      programParam: programParam ? program.id : null,
      kind: input.kind,
      key: input.key,
      title: built.title,
      deadline: built.deadline,
      deadlineText: deadlineLabel(built.deadline),
      deadlineWareki: deadlineLabel(built.deadline, { wareki: true }),
      dueState: dueOf(state, built.deadline, localDateTime(now)),
      state,
      shown: shownVersion ? { source: "version", version: summary(shownVersion) } : { source: "live" },
      body,
      versions: submitted.map(summary),
      draftRemarks: seeLive ? all.find((v) => v.status === "draft")?.remarks ?? null : null,
      notReady: seeLive ? built.notReady : null,
      pending: seeLive ? built.pending.map((p) => ({ visitId: p.visitId, date: p.date, title: p.title })) : [],
      deletedPhotoIds: shownVersion ? shownPhotoIds.filter((id) => !existing.has(id)) : [],
      pendingChanges: seeLive && state === "changed" && latest?.body ? describeChanges(latest.body, built.body) : [],
      can: {
        draft: can(input.user.role, "reports.write") && state !== "in_progress",
        submit: can(input.user.role, "reports.submit") && state !== "in_progress",
        acknowledge: can(input.user.role, "reports.acknowledge"),
        seeLive,
        photos: can(input.user.role, "reports.view"),
      },
      downloads: body ? { xlsx: reportPath(input.kind, input.key, { ...pathOpts, ext: "xlsx" }), csv: reportPath(input.kind, input.key, { ...pathOpts, ext: "csv" }) } : null,
    },
  };
}

// ---------------------------------------------------------------------------
// The list of every report of a program, and the flags of the home pages

export type ReportListItem = {
  kind: ReportKind;
  key: string;
  title: string;
  href: string;
  deadline: Deadline;
  deadlineText: string;
  dueState: DueState | null;
  state: ReportState;
  latestVersion: number | null;
  submittedAt: string | null;
  acknowledgedAt: string | null;
  /** The latest version's id, for the city's acknowledgement. */
  latestId: number | null;
};

/**
 * Every report period of a program up to today: the completion report, each
 * month begun, each day with sessions. Built in memory from one read of the
 * program (preloadedSource).
 */
export function listReports(program: ProgramInfo, now: Date = new Date(), db: Db = getDb(), opts: { programParam?: number | null } = {}): ReportListItem[] {
  const local = localDateTime(now);
  const today = local.slice(0, 10);
  const source = preloadedSource(program.id, db);
  const rows = db.select().from(reports).where(eq(reports.programId, program.id)).all() as (typeof reports.$inferSelect & { body: ReportBody | null })[];
  const latestOf = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    if (r.status === "draft") continue;
    const k = r.kind === "completion" ? "completion" : `${r.kind}:${r.periodStart}`;
    if (!latestOf.has(k) || latestOf.get(k)!.version < r.version) latestOf.set(k, r);
  }
  const photos = new Set(
    db
      .select({ id: sitePhotos.id })
      .from(sitePhotos)
      .innerJoin(visits, eq(visits.id, sitePhotos.visitId))
      .where(eq(visits.programId, program.id))
      .all()
      .map((p) => p.id)
  );
  const items: ReportListItem[] = [];
  const add = (kind: ReportKind, key: string) => {
    const built = buildReport(program, kind, key, now, db, source);
    if (!built) return;
    const latest = latestOf.get(kind === "completion" ? "completion" : `${kind}:${built.periodStart}`);
    const state = stateOf(built, latest, (id) => photos.has(id));
    items.push({
      kind,
      key,
      title: built.title,
      href: reportPath(kind, key, { programId: opts.programParam ?? null }),
      deadline: built.deadline,
      deadlineText: deadlineLabel(built.deadline),
      dueState: dueOf(state, built.deadline, local),
      state,
      latestVersion: latest?.version ?? null,
      submittedAt: latest?.submittedAt ?? null,
      acknowledgedAt: latest?.acknowledgedAt ?? null,
      latestId: latest?.id ?? null,
    });
  };
  add("completion", "");
  for (const m of programMonths(program)
    .filter((m) => `${m}-01` <= today)
    .reverse())
    add("monthly", m);
  for (const d of sessionDays(program.id, today, db).reverse()) add("daily", d);
  return items;
}

export type ReportFlags = {
  /** Reports waiting for the contractor that are overdue, due today or due soon (and corrections to resubmit). */
  due: ReportListItem[];
  /** Submitted versions the city has not acknowledged yet. */
  awaitingAcknowledgement: ReportListItem[];
};

/** The flags of the home pages (/staff for staff, /city for the city). */
export function reportFlags(now: Date = new Date(), db: Db = getDb()): ReportFlags {
  const program = programFor(null, db);
  if (!program) return { due: [], awaitingAcknowledgement: [] };
  const items = listReports(program, now, db);
  const rank: Record<DueState, number> = { overdue: 0, due_today: 1, due_soon: 2, later: 3 };
  return {
    due: items
      .filter((i) => i.state === "changed" || (i.dueState && i.dueState !== "later"))
      .sort((a, b) => rank[a.dueState ?? "later"] - rank[b.dueState ?? "later"] || a.deadline.dueAt.localeCompare(b.deadline.dueAt)),
    awaitingAcknowledgement: items.filter((i) => i.state === "submitted"),
  };
}

export { programFor };

export type ReportListPage = {
  programId: number;
  programName: string;
  programParam: number | null;
  programs: { id: number; name: string }[];
  /** Reports waiting for the contractor (staff) or for the city's acknowledgement (city). */
  attention: ReportListItem[];
  completion: ReportListItem | null;
  monthly: ReportListItem[];
  /** Months that have daily reports, newest first, and the one shown. */
  dailyMonths: string[];
  dailyMonth: string | null;
  daily: ReportListItem[];
};

/** /reports: every report of the program with its deadline and state; daily reports one month at a time. */
export function reportListPage(
  url: URL,
  user: SessionUser,
  now: Date = new Date(),
  db: Db = getDb()
): { ok: true; data: ReportListPage } | { ok: false; status: 404; message: string } {
  const programParam = url.searchParams.get("program");
  const program = programFor(programParam, db);
  if (!program) return { ok: false, status: 404, message: NO_PROGRAM };
  const param = programParam ? program.id : null;
  const items = listReports(program, now, db, { programParam: param });
  const daily = items.filter((i) => i.kind === "daily");
  const dailyMonths = [...new Set(daily.map((i) => i.key.slice(0, 7)))];
  const asked = url.searchParams.get("month");
  const dailyMonth = asked && dailyMonths.includes(asked) ? asked : dailyMonths[0] ?? null;
  const staff = can(user.role, "reports.write");
  return {
    ok: true,
    data: {
      programId: program.id,
      programName: program.name,
      programParam: param,
      programs: db.select({ id: programs.id, name: programs.name }).from(programs).orderBy(desc(programs.startsOn)).all(),
      attention: staff
        ? items.filter((i) => NEEDS_ACTION.includes(i.state)).sort((a, b) => a.deadline.dueAt.localeCompare(b.deadline.dueAt))
        : items.filter((i) => i.state === "submitted"),
      completion: items.find((i) => i.kind === "completion") ?? null,
      monthly: items.filter((i) => i.kind === "monthly"),
      dailyMonths,
      dailyMonth,
      daily: daily.filter((i) => i.key.startsWith(dailyMonth ?? "")),
    },
  };
}
