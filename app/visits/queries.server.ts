/**
 * Reading visits: the city's queue, one visit's page, the car's schedule,
 * the staff list and month views. State lists come from ./lifecycle.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lte, sql } from "drizzle-orm";
import type { VisitKind, VisitMode, VisitStatus } from "../../db/enums";
import { activities, approvals, auditLog, organisations, users, vehicles, venues, visitRequests, visits } from "../../db/schema";
import { getDb, type Db } from "../db.server";
import { addDays, businessDaysBetween, daysBetween, formatTimeRange, todayInTokyo } from "../lib/dates";
import { getSettings } from "../settings.server";
import { statesWhere, transitionFrom, trackOf, waitingOn, type ApprovalSnapshot, type WaitingOn } from "./lifecycle";
import { ROSTER_ROLE_LABELS } from "./roster";

/** What the car's schedule shows: visits holding it, and confirmed or done ones for context. */
const CAR_SCHEDULE_STATES: VisitStatus[] = [...new Set([...statesWhere("holdsCar"), ...statesWhere("confirmed")])];

/**
 * Business days an item has waited since its status last changed (weekends,
 * national holidays and the year-end closure do not count: a request sent on
 * Friday has waited 1 day on Monday). The one answer to 「N日待ち」.
 */
export function waitedDays(statusChangedAt: string, now: Date = new Date()): number {
  return businessDaysBetween(todayInTokyo(new Date(statusChangedAt)), todayInTokyo(now));
}

export type QueueItem = {
  id: number;
  title: string;
  organisationName: string | null;
  status: VisitStatus;
  date: string | null;
  startsAt: string | null;
  endsAt: string | null;
  expectedApplicants: number | null;
  mode: VisitMode;
  ownerName: string | null;
  statusChangedAt: string;
  statusReason: string | null;
  waitingOn: WaitingOn;
  waitedDays: number;
  stale: boolean;
};

/** Columns of a group visit in the city's queue and the staff list (joined with organisations and users). */
const groupVisitColumns = {
  id: visits.id,
  title: visits.title,
  organisationName: organisations.name,
  status: visits.status,
  date: visits.date,
  startsAt: visits.startsAt,
  endsAt: visits.endsAt,
  expectedApplicants: visits.expectedApplicants,
  mode: visits.mode,
  ownerName: users.name,
  statusChangedAt: visits.statusChangedAt,
  statusReason: visits.statusReason,
};

/** The city's queue: open group visits ordered by visit date (undated last), with who they wait on and since when. */
export function cityQueue(now: Date = new Date(), db: Db = getDb()): { awaiting: QueueItem[]; others: QueueItem[]; staleDays: number; plannedMonths: { month: string; count: number }[] } {
  const staleDays = getSettings(db).approvalStaleDays;
  const rows = db
    .select(groupVisitColumns)
    .from(visits)
    .leftJoin(organisations, eq(organisations.id, visits.organisationId))
    .leftJoin(users, eq(users.id, visits.ownerId))
    .where(and(eq(visits.kind, "group"), inArray(visits.status, statesWhere("undecided", "group"))))
    .orderBy(sql`${visits.date} is null`, asc(visits.date), asc(visits.startsAt), asc(visits.statusChangedAt))
    .all();
  const items: QueueItem[] = rows.map((r) => {
    const days = waitedDays(r.statusChangedAt, now);
    return { ...r, waitingOn: waitingOn(r.status), waitedDays: days, stale: days > staleDays };
  });
  const plannedMonths = db
    .select({ month: sql<string>`substr(${visits.date}, 1, 7)`, count: sql<number>`count(*)` })
    .from(visits)
    .where(and(inArray(visits.kind, ["roaming", "base"]), inArray(visits.status, transitionFrom("agree_schedule", "session"))))
    .groupBy(sql`substr(${visits.date}, 1, 7)`)
    .orderBy(sql`substr(${visits.date}, 1, 7)`)
    .all();
  return {
    awaiting: items.filter((i) => i.waitingOn === "city"),
    others: items.filter((i) => i.waitingOn !== "city"),
    staleDays,
    plannedMonths,
  };
}

/** Everything a visit's or session's page shows about it (staff and the city). */
export function visitDetail(id: number, db: Db = getDb()) {
  const visit = db.select().from(visits).where(eq(visits.id, id)).get();
  if (!visit) return null;
  const organisation = visit.organisationId ? (db.select().from(organisations).where(eq(organisations.id, visit.organisationId)).get() ?? null) : null;
  const request = visit.requestId ? (db.select().from(visitRequests).where(eq(visitRequests.id, visit.requestId)).get() ?? null) : null;
  const venue = visit.venueId ? (db.select().from(venues).where(eq(venues.id, visit.venueId)).get() ?? null) : null;
  const vehicle = visit.vehicleId ? (db.select({ id: vehicles.id, name: vehicles.name, plate: vehicles.plate }).from(vehicles).where(eq(vehicles.id, visit.vehicleId)).get() ?? null) : null;
  const owner = visit.ownerId ? (db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, visit.ownerId)).get() ?? null) : null;
  const decisions = [
    ...db
      .select({ id: approvals.id, decision: approvals.decision, comment: approvals.comment, snapshot: approvals.snapshot, decidedAt: approvals.decidedAt, decidedBy: users.name })
      .from(approvals)
      .leftJoin(users, eq(users.id, approvals.decidedById))
      .where(eq(approvals.visitId, id))
      .all()
      .map((d) => ({ ...d, snapshot: d.snapshot as Partial<ApprovalSnapshot> | null })),
    ...(trackOf(visit.kind) === "session" ? monthAgreementsOf(visit, db) : []),
  ].sort((a, b) => b.decidedAt.localeCompare(a.decidedAt) || b.id - a.id);
  const timeline = db
    .select({ id: activities.id, kind: activities.kind, summary: activities.summary, body: activities.body, occurredAt: activities.occurredAt, userName: users.name })
    .from(activities)
    .leftJoin(users, eq(users.id, activities.userId))
    .where(eq(activities.visitId, id))
    .orderBy(desc(activities.occurredAt), desc(activities.id))
    .limit(50)
    .all();
  // Sessions have no CRM timeline: their history is read from the audit log. Group visits add roster changes to theirs.
  const history = [...timeline, ...auditHistory(visit, db)].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.id - a.id).slice(0, 50);
  return { visit, organisation, request, venue, vehicle, owner, decisions, history, venueName: venue?.name ?? request?.venueText ?? "" };
}

/** The city's month agreements that covered this session (one approvals row per month, listing its sessions). */
function monthAgreementsOf(visit: { id: number; date: string | null }, db: Db) {
  if (!visit.date) return [];
  return db
    .select({ id: approvals.id, decision: approvals.decision, comment: approvals.comment, snapshot: approvals.snapshot, decidedAt: approvals.decidedAt, decidedBy: users.name })
    .from(approvals)
    .leftJoin(users, eq(users.id, approvals.decidedById))
    .where(eq(approvals.scheduleMonth, visit.date.slice(0, 7)))
    .all()
    .flatMap((d) => {
      const mine = ((d.snapshot as { sessions?: { id: number; date: string | null; startsAt: string | null; endsAt: string | null; venue: string }[] } | null)?.sessions ?? []).find((x) => x.id === visit.id);
      // Negative ids keep month rows apart from the visit's own approvals in one list.
      return mine ? [{ ...d, id: -d.id, snapshot: { date: mine.date, startsAt: mine.startsAt, endsAt: mine.endsAt, venue: mine.venue } as Partial<ApprovalSnapshot> }] : [];
    });
}

/** What each audited change of a visit reads as in its history; group visits take only the roster's (their timeline has the rest). */
const HISTORY_ACTIONS: Record<string, { label: string; group: boolean }> = {
  "visit.create_session": { label: "予定を作成", group: false },
  "visit.schedule": { label: "日時・会場を変更", group: false },
  "visit.replan": { label: "予定を変更（市の再合意待ち）", group: false },
  "visit.cancel": { label: "取り消し", group: false },
  "visit.complete": { label: "実施済にした", group: false },
  "roster.add": { label: "体制に追加", group: true },
  "roster.remove": { label: "体制から外す", group: true },
};

function auditHistory(visit: { id: number; kind: VisitKind }, db: Db) {
  const group = visit.kind === "group";
  const actions = Object.entries(HISTORY_ACTIONS)
    .filter(([, a]) => !group || a.group)
    .map(([k]) => k);
  return db
    .select({ id: auditLog.id, action: auditLog.action, detail: auditLog.detail, at: auditLog.at, userName: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .where(and(eq(auditLog.entity, "visit"), eq(auditLog.entityId, String(visit.id)), inArray(auditLog.action, actions)))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(50)
    .all()
    .map((a) => {
      const d = (a.detail ?? {}) as { name?: string; role?: keyof typeof ROSTER_ROLE_LABELS; comment?: string; to?: { startsAt?: string | null; endsAt?: string | null } | string; startsAt?: string; endsAt?: string };
      let summary = HISTORY_ACTIONS[a.action].label;
      if (a.action.startsWith("roster.") && d.name) summary += `: ${d.name}（${d.role ? ROSTER_ROLE_LABELS[d.role] : ""}）`;
      if (a.action === "visit.create_session" && d.startsAt) summary += `: ${formatTimeRange(d.startsAt, d.endsAt)}`;
      if (a.action === "visit.schedule" && typeof d.to === "object" && d.to?.startsAt) summary += `: ${formatTimeRange(d.to.startsAt, d.to.endsAt)}`;
      // Audit ids are offset so they never collide with timeline ids as React keys.
      return { id: 1_000_000_000 + a.id, kind: "audit", summary, body: d.comment ?? null, occurredAt: a.at, userName: a.userName };
    });
}

export type CarEntry = { id: number; title: string; kind: VisitKind; status: VisitStatus; date: string | null; startsAt: string | null; endsAt: string | null; holdStartsAt: string | null; holdEndsAt: string | null };

/** What the car does between two dates (inclusive): visits holding it, and completed ones for context. */
export function carSchedule(fromYmd: string, toYmd: string, db: Db = getDb()): CarEntry[] {
  return db
    .select({
      id: visits.id,
      title: visits.title,
      kind: visits.kind,
      status: visits.status,
      date: visits.date,
      startsAt: visits.startsAt,
      endsAt: visits.endsAt,
      holdStartsAt: visits.holdStartsAt,
      holdEndsAt: visits.holdEndsAt,
    })
    .from(visits)
    .where(
      and(
        gte(visits.date, fromYmd),
        lte(visits.date, toYmd),
        inArray(visits.kind, ["group", "roaming"]),
        inArray(visits.status, CAR_SCHEDULE_STATES),
      ),
    )
    .orderBy(asc(visits.startsAt))
    .all();
}

/** Monday–Sunday week around a date. */
export function weekOf(ymd: string): { from: string; to: string } {
  const w = new Date(`${ymd}T00:00:00Z`).getUTCDay();
  const from = addDays(ymd, -((w + 6) % 7));
  return { from, to: addDays(from, 6) };
}

/** The last city decisions on visits a staff member owns (for the Today view). */
export function recentDecisionsFor(userId: number, opts: { limit?: number; sinceDays?: number } = {}, db: Db = getDb()) {
  const since = new Date(Date.now() - (opts.sinceDays ?? 14) * 86_400_000).toISOString();
  return db
    .select({
      approvalId: approvals.id,
      visitId: visits.id,
      title: visits.title,
      organisationName: organisations.name,
      decision: approvals.decision,
      comment: approvals.comment,
      decidedAt: approvals.decidedAt,
      decidedBy: users.name,
      visitStatus: visits.status,
      date: visits.date,
    })
    .from(approvals)
    .innerJoin(visits, eq(visits.id, approvals.visitId))
    .leftJoin(organisations, eq(organisations.id, visits.organisationId))
    .leftJoin(users, eq(users.id, approvals.decidedById))
    .where(and(eq(visits.ownerId, userId), gte(approvals.decidedAt, since)))
    .orderBy(desc(approvals.decidedAt), desc(approvals.id))
    .limit(opts.limit ?? 10)
    .all();
}

export const DECISION_LABELS = {
  approved: "承認",
  changes_requested: "修正依頼",
  declined: "見送り",
  agreed: "合意",
} as const;

/** Visits and sessions for the staff list (/staff/visits), filtered by kind and state, paginated. */
export function listVisits(
  filter: { kind?: VisitKind | "all"; status?: VisitStatus | "open" | "all"; q?: string; ownerId?: number | null; page?: number; pageSize?: number },
  db: Db = getDb(),
) {
  const pageSize = filter.pageSize ?? 25;
  const kind = filter.kind ?? "group";
  const conditions = kind === "all" ? [] : [eq(visits.kind, kind)];
  const status = filter.status ?? "open";
  if (status === "open") conditions.push(inArray(visits.status, statesWhere("open", kind === "all" ? undefined : trackOf(kind))));
  else if (status !== "all") conditions.push(eq(visits.status, status));
  if (filter.ownerId) conditions.push(eq(visits.ownerId, filter.ownerId));
  const q = filter.q?.normalize("NFKC").trim();
  if (q) conditions.push(sql`(${organisations.name} like ${`%${q}%`} or ${visits.title} like ${`%${q}%`} or ${visitRequests.receiptNo} like ${`%${q}%`} or ${venues.name} like ${`%${q}%`})`);
  const where = and(...conditions);
  const total =
    db
      .select({ n: sql<number>`count(*)` })
      .from(visits)
      .leftJoin(organisations, eq(organisations.id, visits.organisationId))
      .leftJoin(visitRequests, eq(visitRequests.id, visits.requestId))
      .leftJoin(venues, eq(venues.id, visits.venueId))
      .where(where)
      .get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, filter.page ?? 1), pageCount);
  const rows = db
    .select({ ...groupVisitColumns, kind: visits.kind, venueName: venues.name, receiptNo: visitRequests.receiptNo })
    .from(visits)
    .leftJoin(organisations, eq(organisations.id, visits.organisationId))
    .leftJoin(visitRequests, eq(visitRequests.id, visits.requestId))
    .leftJoin(venues, eq(venues.id, visits.venueId))
    .leftJoin(users, eq(users.id, visits.ownerId))
    .where(where)
    .orderBy(sql`${visits.date} is null`, asc(visits.date), asc(visits.startsAt), desc(visits.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  const counts = db
    .select({ status: visits.status, n: sql<number>`count(*)` })
    .from(visits)
    .where(kind === "all" ? undefined : eq(visits.kind, kind))
    .groupBy(visits.status)
    .all();
  return { rows, total, page, pageCount, counts: Object.fromEntries(counts.map((c) => [c.status, c.n])) as Partial<Record<VisitStatus, number>> };
}

/** Sessions of a month (roaming / base), for the city's month agreement. */
export function monthSessions(month: string, db: Db = getDb()) {
  return db
    .select({
      id: visits.id,
      kind: visits.kind,
      mode: visits.mode,
      status: visits.status,
      title: visits.title,
      date: visits.date,
      startsAt: visits.startsAt,
      endsAt: visits.endsAt,
      venueName: venues.name,
      statusReason: visits.statusReason,
    })
    .from(visits)
    .leftJoin(venues, eq(venues.id, visits.venueId))
    .where(and(inArray(visits.kind, ["roaming", "base"]), gte(visits.date, `${month}-01`), lte(visits.date, `${month}-31`)))
    .orderBy(asc(visits.startsAt))
    .all();
}

/** The city's decisions on a month (agreed, or returned with a comment), newest first, with how many sessions each covered. */
export function monthDecisions(month: string, db: Db = getDb()) {
  return db
    .select({ id: approvals.id, decision: approvals.decision, comment: approvals.comment, snapshot: approvals.snapshot, decidedAt: approvals.decidedAt, decidedBy: users.name })
    .from(approvals)
    .leftJoin(users, eq(users.id, approvals.decidedById))
    .where(eq(approvals.scheduleMonth, month))
    .orderBy(desc(approvals.decidedAt), desc(approvals.id))
    .all()
    .map(({ snapshot, ...d }) => ({ ...d, count: ((snapshot as { sessions?: unknown[] } | null)?.sessions ?? []).length }));
}

/** Venues staff may pick for a group visit: the organisation's own sites first, then public ones. */
export function venueChoices(organisationId: number | null, db: Db = getDb()) {
  return db
    .select({ id: venues.id, name: venues.name, organisationId: venues.organisationId })
    .from(venues)
    .where(and(eq(venues.active, true), organisationId ? sql`(${venues.organisationId} is null or ${venues.organisationId} = ${organisationId})` : isNull(venues.organisationId)))
    .orderBy(sql`${venues.organisationId} is null`, asc(venues.name))
    .all();
}

/** The kind of a visit, or null when no visit has this id (routes answer 404 before any write). */
export function visitKindOf(id: number, db: Db = getDb()): VisitKind | null {
  return db.select({ kind: visits.kind }).from(visits).where(eq(visits.id, id)).get()?.kind ?? null;
}
