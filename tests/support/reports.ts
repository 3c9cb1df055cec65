/**
 * Sessions with results for report tests, written straight into the tables
 * (as the results form of issue 12 will: visit_results respecting its checks,
 * the visit marked completed; a correction updates the row, bumps its
 * version and appends the previous values to visit_result_history).
 */
import { eq } from "drizzle-orm";
import { getDb } from "../../app/db.server";
import { organisations, programs, venues, visitResultHistory, visitResults, visits, type VisitKind, type VisitMode, type VisitStatus } from "../../db/schema";

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
  return getDb().insert(organisations).values({ name, searchKey: name, kind, stage: "visited" }).returning({ id: organisations.id }).get().id;
}

export function insertSession(opts: {
  programId: number;
  kind: VisitKind;
  mode: VisitMode;
  date: string;
  from: string;
  to: string;
  venueId?: number | null;
  organisationId?: number | null;
  status?: VisitStatus;
}): number {
  return getDb()
    .insert(visits)
    .values({
      programId: opts.programId,
      kind: opts.kind,
      mode: opts.mode,
      status: opts.status ?? "completed",
      title: `テスト ${opts.kind} ${opts.date}`,
      venueId: opts.venueId ?? null,
      organisationId: opts.organisationId ?? null,
      date: opts.date,
      startsAt: `${opts.date}T${opts.from}`,
      endsAt: `${opts.date}T${opts.to}`,
    })
    .returning({ id: visits.id })
    .get().id;
}

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
  inquiries?: number;
  notes?: string | null;
};

function resultValues(r: ResultInput) {
  const accept = r.accept ?? 0;
  const online = r.online ?? 0;
  const mail = r.mail ?? 0;
  const out = (r.acceptOut ?? 0) + (r.onlineOut ?? 0) + (r.mailOut ?? 0);
  return {
    acceptCount: accept,
    supportOnlineCount: online,
    supportMailCount: mail,
    acceptOutOfCityCount: r.acceptOut ?? 0,
    supportOnlineOutOfCityCount: r.onlineOut ?? 0,
    supportMailOutOfCityCount: r.mailOut ?? 0,
    inCityCount: accept + online + mail - out,
    outOfCityCount: out,
    fallbackCount: r.fallback ?? 0,
    fallbackReasons: r.fallbackReasons ?? {},
    otherAssistance: r.other ?? {},
    inquiryCount: r.inquiries ?? 0,
    notes: r.notes ?? null,
  };
}

export function insertResults(visitId: number, r: ResultInput) {
  getDb()
    .insert(visitResults)
    .values({ visitId, ...resultValues(r) })
    .run();
}

/** A correction: the row takes the new values (all of them), its version goes up, the old row goes to the history. */
export function correctResults(visitId: number, r: ResultInput, reason = "集計の誤り") {
  const db = getDb();
  const before = db.select().from(visitResults).where(eq(visitResults.visitId, visitId)).get()!;
  db.transaction((tx) => {
    tx.insert(visitResultHistory).values({ visitId, previous: before, reason }).run();
    tx.update(visitResults)
      .set({ ...resultValues(r), version: before.version + 1, updatedAt: new Date().toISOString() })
      .where(eq(visitResults.visitId, visitId))
      .run();
  });
}
