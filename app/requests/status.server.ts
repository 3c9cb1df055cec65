/**
 * The organisation's status page (/request/status/:token): what it may see
 * (never internal ids or staff names) and the cancel it may do.
 * Cancelling goes through the visit lifecycle (transition organisation_cancel).
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { venues, visitRequests, visits, type VisitStatus } from "../../db/schema";
import { getDb, type Db } from "../db.server";
import { formatDate, formatInstant, formatTimeRange, todayInTokyo } from "../lib/dates";
import { TIME_SLOT_LABELS } from "../lib/labels";
import { fieldErrors, freeText } from "../lib/validation";
import { getSettings } from "../settings.server";
import { INACTIVE_STATES, isConfirmed, isFinal, organisationCancelDeadline, organisationMayCancel, upcomingStates, waitingOn } from "../visits/lifecycle";
import { applyTransition } from "../visits/transitions.server";
import { statusUrl, visitIcs } from "../visits/emails.server";

/** base64url, at least 128 bits (22 characters). */
export function isWellFormedToken(token: string | undefined): token is string {
  return !!token && /^[A-Za-z0-9_-]{22,64}$/.test(token);
}

function findByToken(db: Db, token: string) {
  return db
    .select({ visit: visits, request: visitRequests, venue: venues })
    .from(visitRequests)
    .innerJoin(visits, eq(visits.requestId, visitRequests.id))
    .leftJoin(venues, eq(venues.id, visits.venueId))
    .where(eq(visitRequests.statusToken, token))
    .get();
}

export const cancelDeadline = organisationCancelDeadline;

export function canCancel(status: VisitStatus, visitDate: string | null, cutoffDays: number, today: string): boolean {
  return organisationMayCancel(status, visitDate, cutoffDays, today);
}

/** What the status page shows: plain data, no internal ids, no staff names. */
export function getRequestStatus(token: string, now: Date = new Date()) {
  // Stryker disable next-line ConditionalExpression: equivalent, a malformed token matches no row either; this only spares the query.
  if (!isWellFormedToken(token)) return null;
  const db = getDb();
  const row = findByToken(db, token);
  if (!row) return null;
  const { visit, request, venue } = row;
  const settings = getSettings(db);
  const today = todayInTokyo(now);
  const confirmed = isConfirmed(visit.status);
  const mayCancel = canCancel(visit.status, visit.date, settings.cancelCutoffDays, today);
  // The lifecycle's own rule asked without a date: may a request in this status be cancelled at all (no deadline to pass)?
  const statusAllowsCancel = organisationMayCancel(visit.status, null, settings.cancelCutoffDays, today);
  const preferred = [
    [request.preferredDate1, request.preferredSlot1],
    [request.preferredDate2, request.preferredSlot2],
    [request.preferredDate3, request.preferredSlot3],
  ]
    .filter(([d]) => d)
    .map(([d, s]) => ({ date: formatDate(d), slot: s ? TIME_SLOT_LABELS[s as keyof typeof TIME_SLOT_LABELS] : "" }));
  return {
    receiptNo: request.receiptNo,
    organisationName: request.organisationName,
    contactName: request.contactName,
    submittedAt: formatInstant(request.createdAt),
    status: visit.status,
    statusReason: INACTIVE_STATES.includes(visit.status) ? visit.statusReason ?? request.cancelReason : null,
    preferred,
    expectedApplicants: visit.expectedApplicants ?? request.expectedApplicants,
    venueText: request.venueText,
    confirmed: confirmed
      ? {
          when: visit.startsAt ? formatTimeRange(visit.startsAt, visit.endsAt) : formatDate(visit.date),
          place: venue ? venue.name : request.venueText,
          address: venue?.address ?? request.address,
          hasIcs: !!(visit.startsAt && visit.endsAt) && upcomingStates("group").includes(visit.status),
        }
      : null,
    mode: visit.mode,
    /** Cancelled or declined: nothing more will happen. */
    ended: isFinal(visit.status) && !confirmed,
    /** What to bring is worth showing once a concrete plan is with the city or confirmed. */
    showWhatToBring: confirmed || waitingOn(visit.status) === "city",
    canCancel: mayCancel,
    cancelDeadline: visit.date ? formatDate(cancelDeadline(visit.date, settings.cancelCutoffDays)) : null,
    /**
     * The online cancel has closed only because its deadline passed (the
     * visit is still ahead): the page says to call the window instead.
     */
    cancelClosedByDeadline: !mayCancel && statusAllowsCancel && !!visit.date && visit.date >= today,
    cancelledAt: request.cancelledAt ? formatInstant(request.cancelledAt) : null,
  };
}

export type RequestStatusView = NonNullable<ReturnType<typeof getRequestStatus>>;

/** The .ics of a confirmed visit, or null. */
export function requestIcs(token: string): string | null {
  // Stryker disable next-line ConditionalExpression: equivalent, as in getRequestStatus.
  if (!isWellFormedToken(token)) return null;
  const row = findByToken(getDb(), token);
  if (!row || !upcomingStates("group").includes(row.visit.status) || !row.visit.startsAt || !row.visit.endsAt) return null;
  return visitIcs({
    visitId: row.visit.id,
    title: `出張申請窓口（${row.request.organisationName}）`,
    startsAt: row.visit.startsAt,
    endsAt: row.visit.endsAt,
    place: row.venue ? [row.venue.name, row.venue.address].filter(Boolean).join(" ") : row.request.venueText,
    statusUrl: statusUrl(token),
    version: row.visit.version,
    updatedAt: row.visit.updatedAt,
  });
}

const cancelSchema = z.object({
  // Optional, as in the lifecycle's organisation_cancel: a reason helps staff but is never demanded.
  reason: freeText(500, { multiline: true }).optional(),
});

export type CancelResult = { ok: true } | { ok: false; errors: Record<string, string>; formError?: string };

/** The organisation cancels its request (until the cut-off). One transaction. */
export function cancelRequestByToken(token: string, input: { reason: unknown }): CancelResult | null {
  if (!isWellFormedToken(token)) return null;
  const parsed = cancelSchema.safeParse({ reason: typeof input.reason === "string" ? input.reason : "" });
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const row = findByToken(getDb(), token);
  if (!row) return null;
  // Cancelled already (a double submit): the same answer, nothing written twice.
  if (row.request.cancelledAt) return { ok: true };
  // The lifecycle owns the cancel: cut-off, car release, CRM, timeline and emails in one transaction.
  const result = applyTransition({ visitId: row.visit.id, transition: "organisation_cancel", actor: { role: "organisation" }, comment: parsed.data.reason ?? null });
  if (!result.ok) {
    const formError = isFinal(row.visit.status) ? "このお申し込みは取り消せない状態です。" : result.message;
    return { ok: false, errors: {}, formError };
  }
  return { ok: true };
}
