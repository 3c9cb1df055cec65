/**
 * What the on-the-day logs show of the session they belong to. Read here from
 * the tables (not from app/visits/): onsite sits below visits, so the Today
 * view in visits may ask it for open incidents (docs/decisions/006).
 */
import { eq } from "drizzle-orm";
import { organisations, venues, visitRequests, visits, type VisitKind, type VisitMode, type VisitStatus } from "../../db/schema";
import { getDb, type Db, type Tx } from "../db.server";

export type SessionHeading = {
  id: number;
  kind: VisitKind;
  status: VisitStatus;
  mode: VisitMode;
  title: string;
  date: string | null;
  startsAt: string | null;
  endsAt: string | null;
  /** The organisation for a group visit (null for roaming and base sessions). */
  organisationName: string | null;
  venueName: string;
  venueAddress: string | null;
};

/** The session's heading facts, or null when there is no visit with this id. */
export function sessionHeading(visitId: number, db: Db | Tx = getDb()): SessionHeading | null {
  const row = db
    .select({
      id: visits.id,
      kind: visits.kind,
      status: visits.status,
      mode: visits.mode,
      title: visits.title,
      date: visits.date,
      startsAt: visits.startsAt,
      endsAt: visits.endsAt,
      organisationName: organisations.name,
      venueName: venues.name,
      venueAddress: venues.address,
      requestVenue: visitRequests.venueText,
      requestAddress: visitRequests.address,
    })
    .from(visits)
    .leftJoin(organisations, eq(organisations.id, visits.organisationId))
    .leftJoin(venues, eq(venues.id, visits.venueId))
    .leftJoin(visitRequests, eq(visitRequests.id, visits.requestId))
    .where(eq(visits.id, visitId))
    .get();
  if (!row) return null;
  const { requestVenue, requestAddress, ...rest } = row;
  return {
    ...rest,
    venueName: row.venueName ?? requestVenue ?? "",
    venueAddress: row.venueName ? row.venueAddress : (requestAddress ?? null),
  };
}
