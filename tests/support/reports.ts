/**
 * Sessions with results for report tests, through the real write path: a
 * confirmed visit (agreed session, approved group visit) is placed as a
 * fixture, then its results go in through recordResults() — which completes
 * the visit through the lifecycle, writes the on-site inquiry rows and, on a
 * correction (expectedVersion), keeps the earlier values in
 * visit_result_history. No completed row is ever inserted here.
 */
import { eq } from "drizzle-orm";
import type { SessionUser } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import { recordResults } from "../../app/visits/results.server";
import { applyTransition } from "../../app/visits/transitions.server";
import { organisations, programs, users, venues, visits, type Role, type VisitKind, type VisitMode } from "../../db/schema";

export function insertProgram(values: Partial<typeof programs.$inferInsert> = {}): number {
  return getDb()
    .insert(programs)
    .values({ name: "令和8年度 マイナンバーカード出張申請等窓口業務", fiscalYear: 2026, startsOn: "2026-04-01", endsOn: "2027-03-31", active: true, ...values })
    .returning({ id: programs.id })
    .get().id;
}

export function insertVenue(name: string, kind: (typeof venues.$inferInsert)["kind"]): number {
  return getDb().insert(venues).values({ name, kind }).returning({ id: venues.id }).get().id;
}

export function insertOrganisation(name: string, kind: (typeof organisations.$inferInsert)["kind"]): number {
  return getDb().insert(organisations).values({ name, searchKey: name, kind, stage: "confirmed" }).returning({ id: organisations.id }).get().id;
}

export function insertUser(role: Role, email: string, name: string): SessionUser {
  const id = getDb().insert(users).values({ email, name, role, passwordHash: "x" }).returning({ id: users.id }).get().id;
  return { id, email, name, role, sessionId: `test-${id}` };
}

/**
 * A confirmed visit, ready for its results: a roaming or base session the
 * city agreed to (agreed), or a group visit the city approved (approved).
 */
export function insertSession(opts: {
  programId: number;
  kind: VisitKind;
  mode: VisitMode;
  date: string;
  from: string;
  to: string;
  venueId?: number | null;
  organisationId?: number | null;
}): number {
  return getDb()
    .insert(visits)
    .values({
      programId: opts.programId,
      kind: opts.kind,
      mode: opts.mode,
      status: opts.kind === "group" ? "approved" : "agreed",
      title: `テスト ${opts.kind} ${opts.date}`,
      venueId: opts.venueId ?? null,
      organisationId: opts.organisationId ?? null,
      date: opts.date,
      startsAt: `${opts.date}T${opts.from}`,
      endsAt: `${opts.date}T${opts.to}`,
      expectedApplicants: opts.kind === "group" ? 20 : null,
    })
    .returning({ id: visits.id })
    .get().id;
}

/** Tokyo wall-clock time ("2026-12-04T18:00") as a Date. */
export const tokyo = (local: string) => new Date(`${local}:00+09:00`);

/** Staff cancel a confirmed session with a reason (the lifecycle's cancel). */
export function cancelSession(visitId: number, by: SessionUser, reason = "荒天のため中止") {
  const r = applyTransition({ visitId, transition: "cancel", actor: by, comment: reason });
  if (!r.ok) throw new Error(r.message);
}

/** The results form's fields, short. */
export type ResultInput = {
  accept?: number;
  online?: number;
  mail?: number;
  acceptOut?: number;
  onlineOut?: number;
  mailOut?: number;
  fallback?: number;
  fallbackReasons?: Record<string, number>;
  other?: Record<string, number>;
  /** On-site inquiries by category (they become the visit's inquiry rows). */
  inquiries?: Record<string, number>;
  notes?: string | null;
};

function formValues(r: ResultInput) {
  return {
    acceptCount: r.accept ?? 0,
    supportOnlineCount: r.online ?? 0,
    supportMailCount: r.mail ?? 0,
    acceptOutOfCityCount: r.acceptOut ?? 0,
    supportOnlineOutOfCityCount: r.onlineOut ?? 0,
    supportMailOutOfCityCount: r.mailOut ?? 0,
    fallbackCount: r.fallback ?? 0,
    fallbackReasons: r.fallbackReasons ?? {},
    otherAssistance: r.other ?? {},
    inquiries: r.inquiries ?? {},
    notes: r.notes ?? null,
  };
}

function visitDate(visitId: number): string {
  return getDb().select({ date: visits.date }).from(visits).where(eq(visits.id, visitId)).get()!.date!;
}

/** Staff enter a visit's results, on its day at 18:00 unless `at` says otherwise; the first entry completes it. */
export function enterResults(visitId: number, r: ResultInput, by: SessionUser, at: Date = tokyo(`${visitDate(visitId)}T18:00`)) {
  const done = recordResults({ visitId, ...formValues(r), expectedVersion: 0 }, by, { now: at });
  if (!done.ok) throw new Error(`results for visit ${visitId} refused: ${done.message} ${JSON.stringify("errors" in done ? done.errors : {})}`);
  return done;
}

/**
 * A correction: the whole form again, saved over `version` (the one the form
 * was filled from), with a reason. The earlier values go to visit_result_history.
 */
export function correctResults(visitId: number, version: number, r: ResultInput, by: SessionUser, at: Date, reason = "集計の誤り") {
  const done = recordResults({ visitId, ...formValues(r), reason, expectedVersion: version }, by, { now: at });
  if (!done.ok) throw new Error(`correction of visit ${visitId} refused: ${done.message}`);
  return done;
}
