/**
 * Reading what reports are built from, straight from the schema tables:
 * completed sessions (DONE_STATES of the lifecycle) with their results,
 * incidents and site photos; inquiries; PR activities. Bulk reads by date
 * range, so a year's reports are built from a handful of queries.
 */
import { and, asc, between, eq, inArray, isNotNull, lte, sql } from "drizzle-orm";
import type { OrganisationKind, VisitKind, VisitMode } from "../../db/enums";
import { incidents, inquiries, organisations, prActivities, programs, sitePhotos, venues, visitRequests, visitResults, visits } from "../../db/schema";
import type { Db, Tx } from "../db.server";
import { getSettings } from "../settings.server";
import { DONE_STATES, statesWhere, upcomingStates } from "../visits/lifecycle";
import { hoursBetween } from "./counts";
import type { Categories, Counts, IncidentLine, PhotoLine, PrLine } from "./types";

type Reader = Db | Tx;

export type SessionRow = {
  visitId: number;
  date: string;
  kind: VisitKind;
  mode: VisitMode;
  place: string;
  /** Grouping key of the place: the venue, or the organisation for a group visit at its own site. */
  placeKey: string;
  organisationKind: OrganisationKind | null;
  startsAt: string | null;
  endsAt: string | null;
  resultsMissing: boolean;
  counts: Counts;
  notes: string | null;
  incidents: IncidentLine[];
  photos: PhotoLine[];
};

export type ProgramInfo = typeof programs.$inferSelect;

export function programById(id: number, db: Reader): ProgramInfo | undefined {
  return db.select().from(programs).where(eq(programs.id, id)).get();
}

export function categoriesOf(db: Reader): Categories {
  const s = getSettings(db);
  return { assistance: s.assistanceCategories, fallbackReasons: s.fallbackReasons, inquiry: s.inquiryCategories };
}

/** Completed sessions of a program between two days (inclusive), in date and time order, with everything a report shows about each. */
export function completedSessions(programId: number, from: string, to: string, db: Reader): SessionRow[] {
  const rows = db
    .select({
      visitId: visits.id,
      date: visits.date,
      kind: visits.kind,
      mode: visits.mode,
      title: visits.title,
      startsAt: visits.startsAt,
      endsAt: visits.endsAt,
      venueId: visits.venueId,
      venueName: venues.name,
      organisationId: visits.organisationId,
      organisationName: organisations.name,
      organisationKind: organisations.kind,
      venueText: visitRequests.venueText,
      r: visitResults,
    })
    .from(visits)
    .leftJoin(venues, eq(venues.id, visits.venueId))
    .leftJoin(organisations, eq(organisations.id, visits.organisationId))
    .leftJoin(visitRequests, eq(visitRequests.id, visits.requestId))
    .leftJoin(visitResults, eq(visitResults.visitId, visits.id))
    .where(and(eq(visits.programId, programId), between(visits.date, from, to), inArray(visits.status, [...DONE_STATES])))
    .orderBy(asc(visits.date), asc(visits.startsAt), asc(visits.id))
    .all();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.visitId);
  const incidentsBy = new Map<number, IncidentLine[]>();
  const photosBy = new Map<number, PhotoLine[]>();
  // Chunks keep the number of SQL variables well under SQLite's limit for a long program.
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const x of db.select().from(incidents).where(inArray(incidents.visitId, chunk)).orderBy(asc(incidents.occurredAt), asc(incidents.id)).all()) {
      const list = incidentsBy.get(x.visitId) ?? [];
      list.push({ id: x.id, kind: x.kind, severity: x.severity, occurredAt: x.occurredAt, what: x.what, actionTaken: x.actionTaken, closed: x.closedAt != null });
      incidentsBy.set(x.visitId, list);
    }
    for (const p of db
      .select({ id: sitePhotos.id, visitId: sitePhotos.visitId, caption: sitePhotos.caption })
      .from(sitePhotos)
      .where(inArray(sitePhotos.visitId, chunk))
      .orderBy(asc(sitePhotos.id))
      .all()) {
      const list = photosBy.get(p.visitId) ?? [];
      list.push({ id: p.id, caption: p.caption });
      photosBy.set(p.visitId, list);
    }
  }
  return rows.map((row) => {
    const r = row.r;
    const hours = hoursBetween(row.startsAt, row.endsAt);
    const counts: Counts = {
      sessions: 1,
      hours,
      accept: r?.acceptCount ?? 0,
      supportOnline: r?.supportOnlineCount ?? 0,
      supportMail: r?.supportMailCount ?? 0,
      applications: (r?.acceptCount ?? 0) + (r?.supportOnlineCount ?? 0) + (r?.supportMailCount ?? 0),
      inCity: r?.inCityCount ?? 0,
      outOfCity: r?.outOfCityCount ?? 0,
      acceptOutOfCity: r?.acceptOutOfCityCount ?? 0,
      supportOnlineOutOfCity: r?.supportOnlineOutOfCityCount ?? 0,
      supportMailOutOfCity: r?.supportMailOutOfCityCount ?? 0,
      fallback: r?.fallbackCount ?? 0,
      fallbackReasons: nonZero(r?.fallbackReasons),
      otherAssistance: nonZero(r?.otherAssistance),
      inquiries: r?.inquiryCount ?? 0,
    };
    const atOwnSite = row.kind === "group" && row.organisationId != null;
    const site = row.venueName ?? row.venueText;
    return {
      visitId: row.visitId,
      date: row.date!,
      kind: row.kind,
      mode: row.mode,
      place: atOwnSite ? `${row.organisationName}${site ? `（${site}）` : ""}` : site ?? row.title,
      placeKey: atOwnSite ? `org:${row.organisationId}` : row.venueId != null ? `venue:${row.venueId}` : `visit:${row.visitId}`,
      organisationKind: row.kind === "group" ? row.organisationKind ?? null : null,
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      resultsMissing: !r,
      counts,
      notes: r?.notes ?? null,
      incidents: incidentsBy.get(row.visitId) ?? [],
      photos: photosBy.get(row.visitId) ?? [],
    };
  });
}

/** Category counts without zero entries, keys in a stable order, so equal results give equal JSON. */
function nonZero(record: Record<string, number> | null | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(record ?? {}).sort()) if (record![k]) out[k] = record![k];
  return out;
}

/**
 * Sessions confirmed for these days (approved, agreed) that have not been
 * completed yet: their results are missing, so the day's report is not ready.
 */
export function pendingSessions(programId: number, from: string, to: string, db: Reader): Pending[] {
  return db
    .select({ visitId: visits.id, date: visits.date, title: visits.title, kind: visits.kind })
    .from(visits)
    .where(and(eq(visits.programId, programId), between(visits.date, from, to), inArray(visits.status, upcomingStates())))
    .orderBy(asc(visits.date), asc(visits.startsAt))
    .all()
    .map((v) => ({ ...v, date: v.date! }));
}

/** The last day of a session done or still going ahead (cancelled and declined ones do not count). */
export function lastSessionDate(programId: number, db: Reader): string | null {
  const states = [...DONE_STATES, ...statesWhere("open")];
  const row = db
    .select({ d: sql<string | null>`max(${visits.date})` })
    .from(visits)
    .where(and(eq(visits.programId, programId), isNotNull(visits.date), inArray(visits.status, states)))
    .get();
  return row?.d ?? null;
}

/** Days (YYYY-MM-DD) up to `until` with completed sessions or confirmed sessions not yet completed: the days that owe a daily report. */
export function sessionDays(programId: number, until: string, db: Reader): string[] {
  const states = [...DONE_STATES, ...upcomingStates()];
  return db
    .selectDistinct({ date: visits.date })
    .from(visits)
    .where(and(eq(visits.programId, programId), isNotNull(visits.date), lte(visits.date, until), inArray(visits.status, states)))
    .orderBy(asc(visits.date))
    .all()
    .map((r) => r.date!);
}

export type InquiryRow = { channel: (typeof inquiries.$inferSelect)["channel"]; topic: string; count: number; receivedOn: string };

/** Inquiries received between two days (inclusive). */
export function inquiriesBetween(from: string, to: string, db: Reader): InquiryRow[] {
  return db
    .select({ channel: inquiries.channel, topic: inquiries.topic, count: inquiries.count, receivedOn: inquiries.receivedOn })
    .from(inquiries)
    .where(between(inquiries.receivedOn, from, to))
    .all();
}

/** PR done between two days, or planned (not yet done) between two days. */
export function prActivitiesOf(programId: number, which: "done" | "planned", from: string, to: string, db: Reader): PrLine[] {
  const on = which === "done" ? prActivities.doneOn : prActivities.plannedOn;
  return db
    .select()
    .from(prActivities)
    .where(and(eq(prActivities.programId, programId), eq(prActivities.status, which), between(on, from, to)))
    .orderBy(asc(on), asc(prActivities.id))
    .all()
    .map((p) => ({
      id: p.id,
      medium: p.medium,
      title: p.title,
      on: which === "done" ? p.doneOn : p.plannedOn,
      reach: p.reach,
      reachUnit: p.reachUnit,
      cityApprovedOn: p.cityApprovedOn,
    }));
}

/** Ids of photos that still exist (retention may have deleted some a frozen report names). */
export function existingPhotoIds(ids: number[], db: Reader): Set<number> {
  const found = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const p of db
      .select({ id: sitePhotos.id })
      .from(sitePhotos)
      .where(inArray(sitePhotos.id, ids.slice(i, i + 500)))
      .all())
      found.add(p.id);
  }
  return found;
}

export type Pending = { visitId: number; date: string; title: string; kind: VisitKind };

/**
 * Where the builders read from. `liveSource` asks the database for each
 * period; `preloadedSource` reads a whole program once and filters in
 * memory, for pages that build many periods at once (the /reports list, the
 * home pages' flags). Both give the same rows.
 */
export type ReportSource = {
  categories: Categories;
  sessions(from: string, to: string): SessionRow[];
  pending(from: string, to: string): Pending[];
  inquiries(from: string, to: string): InquiryRow[];
  pr(which: "done" | "planned", from: string, to: string): PrLine[];
  lastSessionDate(): string | null;
};

const EVER = ["0000-01-01", "9999-12-31"] as const;

export function liveSource(programId: number, db: Reader): ReportSource {
  return {
    categories: categoriesOf(db),
    sessions: (from, to) => completedSessions(programId, from, to, db),
    pending: (from, to) => pendingSessions(programId, from, to, db),
    inquiries: (from, to) => inquiriesBetween(from, to, db),
    pr: (which, from, to) => prActivitiesOf(programId, which, from, to, db),
    lastSessionDate: () => lastSessionDate(programId, db),
  };
}

export function preloadedSource(programId: number, db: Reader): ReportSource {
  const sessions = completedSessions(programId, ...EVER, db);
  const pending = pendingSessions(programId, ...EVER, db);
  const allInquiries = inquiriesBetween(...EVER, db);
  const pr = { done: prActivitiesOf(programId, "done", ...EVER, db), planned: prActivitiesOf(programId, "planned", ...EVER, db) };
  const last = lastSessionDate(programId, db);
  const within = <T>(rows: T[], day: (r: T) => string | null, from: string, to: string) =>
    rows.filter((r) => {
      const d = day(r);
      return d != null && d >= from && d <= to;
    });
  return {
    categories: categoriesOf(db),
    sessions: (from, to) => within(sessions, (s) => s.date, from, to),
    pending: (from, to) => within(pending, (p) => p.date, from, to),
    inquiries: (from, to) => within(allInquiries, (i) => i.receivedOn, from, to),
    pr: (which, from, to) => within(pr[which], (p) => p.on, from, to),
    lastSessionDate: () => last,
  };
}
