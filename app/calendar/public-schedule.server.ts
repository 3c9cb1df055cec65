/**
 * The residents' schedule (/schedule, /schedule.ics): upcoming roaming and
 * base-facility sessions the city has agreed. Never group visits (they are
 * private to their organisation) and never sessions still being planned.
 */
import { and, asc, eq, gte, inArray, isNull, like, type SQL } from "drizzle-orm";
import { districts, venues, visits, type VisitKind, type VisitMode } from "../../db/schema";
import { getDb, type Db, type Tx } from "../db.server";
import { holidayName, todayInTokyo, weekday } from "../lib/dates";
import { statesWhere } from "../visits/lifecycle";

/** The only kinds residents may ever see; the lifecycle says which states are public. */
export const PUBLIC_KINDS = ["roaming", "base"] as const satisfies readonly VisitKind[];
const PUBLIC_STATES = statesWhere("publicVisible", "session");

export type PublicSession = {
  id: number;
  kind: "roaming" | "base";
  mode: VisitMode;
  date: string;
  startsAt: string;
  endsAt: string;
  venueName: string;
  address: string | null;
  districtId: number | null;
  districtName: string | null;
  parkingNotes?: never;
};

export type PublicScheduleQuery = { month?: string | null; districtId?: number | null; from?: string; limit?: number; offset?: number };

export function listPublicSessions(q: PublicScheduleQuery = {}, db: Db | Tx = getDb()): PublicSession[] {
  const from = q.from ?? todayInTokyo();
  const where: SQL[] = [
    inArray(visits.kind, [...PUBLIC_KINDS]),
    inArray(visits.status, PUBLIC_STATES),
    gte(visits.date, from),
    // An organisation's own site is private, whatever was planned there.
    isNull(venues.organisationId),
  ];
  if (q.month && /^\d{4}-\d{2}$/.test(q.month)) where.push(like(visits.date, `${q.month}-%`));
  if (q.districtId) where.push(eq(venues.districtId, q.districtId));
  const rows = db
    .select({
      id: visits.id,
      kind: visits.kind,
      mode: visits.mode,
      date: visits.date,
      startsAt: visits.startsAt,
      endsAt: visits.endsAt,
      venueName: venues.name,
      address: venues.address,
      districtId: venues.districtId,
      districtName: districts.name,
    })
    .from(visits)
    .innerJoin(venues, eq(venues.id, visits.venueId))
    .leftJoin(districts, eq(districts.id, venues.districtId))
    .where(and(...where))
    .orderBy(asc(visits.startsAt), asc(visits.id))
    .limit(q.limit ?? 500)
    .offset(q.offset ?? 0)
    .all();
  // Belt and braces: the query already excludes them, but a group visit must never leak.
  return rows.filter((r) => r.kind !== "group" && r.date && r.startsAt && r.endsAt) as PublicSession[];
}

/** Months (YYYY-MM) that have upcoming public sessions, for the month filter. */
export function publicMonths(db: Db | Tx = getDb(), from = todayInTokyo()): string[] {
  const rows = db
    .selectDistinct({ date: visits.date })
    .from(visits)
    .innerJoin(venues, eq(venues.id, visits.venueId))
    .where(and(inArray(visits.kind, [...PUBLIC_KINDS]), inArray(visits.status, PUBLIC_STATES), gte(visits.date, from), isNull(venues.organisationId)))
    .all();
  return [...new Set(rows.map((r) => r.date!.slice(0, 7)))].sort();
}

export function listDistricts(db: Db | Tx = getDb()) {
  return db.select({ id: districts.id, name: districts.name }).from(districts).orderBy(districts.nameKana, districts.name).all();
}

export function mapLink(address: string): string {
  return `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(address)}`;
}

/** A mark beside a date on the schedule: text first, the colour only helps (JIS X 8341-3 / WCAG 1.4.1). */
export type DayMark = { kind: "sat" | "sun" | "holiday"; text: string };

/**
 * 土曜・日曜・祝日 marks for a day. Holidays come from @holiday-jp's table
 * (app/lib/dates.ts); a holiday on a Sunday shows both, as calendars do.
 */
export function dayMarks(ymd: string): DayMark[] {
  const marks: DayMark[] = [];
  const wd = weekday(ymd);
  if (wd === 6) marks.push({ kind: "sat", text: "土曜" });
  if (wd === 0) marks.push({ kind: "sun", text: "日曜" });
  const holiday = holidayName(ymd);
  if (holiday) marks.push({ kind: "holiday", text: `祝日 ${holiday}` });
  return marks;
}
