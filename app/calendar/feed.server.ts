/**
 * The calendar feed (GET /calendar/events): visits of every kind as
 * FullCalendar event objects, for signed-in staff and city officials.
 * Times are Tokyo wall-clock with an explicit +09:00 offset.
 */
import { and, eq, gt, inArray, isNotNull, lt, notInArray, type SQL } from "drizzle-orm";
import { organisations, venues, visits, VISIT_KINDS, type Role, type VisitKind, type VisitMode, type VisitStatus } from "../../db/schema";
import { getDb, type Db, type Tx } from "../db.server";
import { addDays, todayInTokyo, toIsoWithOffset } from "../lib/dates";
import { VISIT_KIND_LABELS, VISIT_KIND_MARKERS, VISIT_MODE_LABELS, VISIT_STATUS_LABELS } from "../lib/labels";
import { can } from "../permissions";
import { INACTIVE_STATES, isMovable } from "../visits/lifecycle";
import { localFromIso, STATUS_PREFIX } from "./display";

export const KIND_COLOURS: Record<VisitKind, string> = {
  group: "#7a3ea1",
  roaming: "#0b5cad",
  base: "#1b6e3a",
};

export type FeedEvent = {
  id: string;
  title: string;
  start: string;
  end: string;
  className: string;
  color: string;
  editable: boolean;
  /** The session's own page for this viewer (absent: none they may open). */
  url?: string;
  extendedProps: {
    kind: VisitKind;
    status: VisitStatus;
    mode: VisitMode;
    visitId: number;
    kindLabel: string;
    statusLabel: string;
    statusPrefix: string;
    modeLabel: string;
    venue: string | null;
    address: string | null;
    organisation: string | null;
    version: number;
  };
};

export type FeedRange = { start: string; end: string };

/**
 * Read the start/end query parameters (ISO with Z, +09:00 or no offset, or
 * plain dates) into local Tokyo `YYYY-MM-DDTHH:mm` bounds. Null when missing
 * or unreadable, or when the range is empty or longer than about a year.
 */
export function parseFeedRange(params: URLSearchParams): FeedRange | null {
  const rawStart = params.get("start");
  const rawEnd = params.get("end");
  if (!rawStart || !rawEnd) return null;
  const start = localFromIso(rawStart.replace(/ /g, "+"));
  const end = localFromIso(rawEnd.replace(/ /g, "+"));
  if (!start || !end || start >= end) return null;
  if (end.slice(0, 10) > addDays(start.slice(0, 10), 400)) return null;
  return { start, end };
}

export type FeedFilter = {
  kinds?: readonly VisitKind[];
  /** Include cancelled and declined visits (default true: the feed is complete unless asked otherwise). */
  includeInactive?: boolean;
  /** May the viewer move events (calendar.plan)? */
  canPlan?: boolean;
  /** Who is looking: decides each event's `url` (none when absent). */
  viewerRole?: Role;
  today?: string;
};

export function parseKinds(value: string | null): VisitKind[] | undefined {
  if (!value) return undefined;
  const kinds = value.split(",").filter((k): k is VisitKind => (VISIT_KINDS as readonly string[]).includes(k));
  return kinds;
}

type Row = {
  id: number;
  kind: VisitKind;
  mode: VisitMode;
  status: VisitStatus;
  title: string;
  date: string | null;
  startsAt: string | null;
  endsAt: string | null;
  version: number;
  venueName: string | null;
  venueAddress: string | null;
  organisationName: string | null;
};

function selectVisits(db: Db | Tx, where: SQL[]): Row[] {
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
      version: visits.version,
      venueName: venues.name,
      venueAddress: venues.address,
      organisationName: organisations.name,
    })
    .from(visits)
    .leftJoin(venues, eq(venues.id, visits.venueId))
    .leftJoin(organisations, eq(organisations.id, visits.organisationId))
    .where(and(...where))
    .orderBy(visits.startsAt, visits.id)
    .all();
}

/** The short name shown on the calendar: the organisation for group visits, the venue otherwise. */
function shortName(r: Row): string {
  if (r.kind === "group") return r.organisationName ?? r.title;
  return r.venueName ?? r.title;
}

/**
 * The page of a visit or session a role may open: staff who manage visits get
 * the session page of every kind; city officials the approval page of group
 * visits (roaming and base sessions have none of theirs).
 */
export function visitPageUrl(kind: VisitKind, id: number, role: Role | undefined): string | undefined {
  if (can(role, "visits.manage")) return `/staff/visits/${id}`;
  if (can(role, "visits.approve") && kind === "group") return `/city/visits/${id}`;
  return undefined;
}

export function toFeedEvent(r: Row, opts: { canPlan: boolean; today: string; viewerRole?: Role }): FeedEvent {
  const movable = opts.canPlan && isMovable(r.kind, r.status) && (r.date ?? "") >= opts.today;
  const url = visitPageUrl(r.kind, r.id, opts.viewerRole);
  return {
    id: String(r.id),
    title: `【${VISIT_KIND_MARKERS[r.kind]}】${shortName(r)}`,
    start: toIsoWithOffset(r.startsAt!),
    end: toIsoWithOffset(r.endsAt!),
    className: `ev ev--${r.kind} ev--status-${r.status}`,
    color: KIND_COLOURS[r.kind],
    editable: movable,
    ...(url ? { url } : {}),
    extendedProps: {
      kind: r.kind,
      status: r.status,
      mode: r.mode,
      visitId: r.id,
      kindLabel: VISIT_KIND_LABELS[r.kind],
      statusLabel: VISIT_STATUS_LABELS[r.status],
      statusPrefix: STATUS_PREFIX[r.status],
      modeLabel: VISIT_MODE_LABELS[r.mode],
      venue: r.venueName,
      address: r.venueAddress,
      organisation: r.kind === "group" ? r.organisationName : null,
      version: r.version,
    },
  };
}

/**
 * Visits overlapping [start, end): a visit that began before the range and
 * ends inside it (or spans it) is included. Visits without a date (group
 * visits still being consulted) never appear.
 */
export function listFeedEvents(range: FeedRange, filter: FeedFilter = {}, db: Db | Tx = getDb()): FeedEvent[] {
  const where: SQL[] = [isNotNull(visits.date), isNotNull(visits.startsAt), isNotNull(visits.endsAt), lt(visits.startsAt, range.end), gt(visits.endsAt, range.start)];
  if (filter.kinds) {
    if (filter.kinds.length === 0) return [];
    where.push(inArray(visits.kind, [...filter.kinds]));
  }
  if (filter.includeInactive === false) where.push(notInArray(visits.status, [...INACTIVE_STATES]));
  const today = filter.today ?? todayInTokyo();
  return selectVisits(db, where).map((r) => toFeedEvent(r, { canPlan: !!filter.canPlan, today, viewerRole: filter.viewerRole }));
}
