/**
 * What an organisation sees on its status page (/request/status/:token) in
 * each state, its calendar file, and its own cancel: on a real SQLite file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb } from "../../app/db.server";
import { addDays, formatDate, todayInTokyo } from "../../app/lib/dates";
import { cancelRequestByToken, getRequestStatus, isWellFormedToken, requestIcs } from "../../app/requests/status.server";
import { emailOutbox, venues, visitRequests, visits, type VisitStatus } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { groupVisit, seedBasics, type Fixture } from "../support/visits";

let ctx: ReturnType<typeof useFreshDatabase>;
let f: Fixture;
const date = addDays(todayInTokyo(), 40);

beforeAll(() => {
  ctx = useFreshDatabase();
  f = seedBasics();
});
afterAll(() => ctx.cleanup());

function visitIn(status: VisitStatus, patch: Partial<typeof visits.$inferInsert> = {}, name?: string) {
  const v = groupVisit(f, { status, date, name });
  if (Object.keys(patch).length) getDb().update(visits).set(patch).where(eq(visits.id, v.visitId)).run();
  return v;
}
const outboxCount = () => getDb().select({ n: sql<number>`count(*)` }).from(emailOutbox).get()!.n;

describe("the status token", () => {
  it("is 22 to 64 base64url characters, nothing else", () => {
    expect(isWellFormedToken("A".repeat(22))).toBe(true);
    expect(isWellFormedToken("aZ09_-".repeat(10) + "abcd")).toBe(true);
    expect(isWellFormedToken("A".repeat(21))).toBe(false);
    expect(isWellFormedToken("A".repeat(65))).toBe(false);
    expect(isWellFormedToken(`${"A".repeat(22)}!`)).toBe(false);
    expect(isWellFormedToken(`!${"A".repeat(22)}`)).toBe(false);
    expect(isWellFormedToken(`${"A".repeat(22)}\n`)).toBe(false);
    expect(isWellFormedToken("")).toBe(false);
    expect(isWellFormedToken(undefined)).toBe(false);
  });
});

describe("what the status page shows", () => {
  it("lists the preferred dates with their time slots", () => {
    const v = visitIn("requested");
    getDb()
      .update(visitRequests)
      .set({ preferredDate1: "2030-06-03", preferredSlot1: "am", preferredDate2: null, preferredSlot2: null, preferredDate3: "2030-06-10", preferredSlot3: "allday" })
      .where(eq(visitRequests.id, v.requestId))
      .run();
    expect(getRequestStatus(v.token)!.preferred).toEqual([
      { date: "2030年6月3日(月)", slot: "午前" },
      { date: "2030年6月10日(月)", slot: "終日" },
    ]);
  });

  it("shows the head-count staff agreed on, else the one the organisation asked for", () => {
    const v = visitIn("screening", { expectedApplicants: 35 });
    expect(getRequestStatus(v.token)!.expectedApplicants).toBe(35);
    getDb().update(visits).set({ expectedApplicants: null }).where(eq(visits.id, v.visitId)).run();
    expect(getRequestStatus(v.token)!.expectedApplicants).toBe(20);
  });

  it("says what happens next in each state: what to bring once with the city, the confirmed place and a calendar file once approved", () => {
    const waiting = getRequestStatus(visitIn("awaiting_city").token)!;
    expect(waiting).toMatchObject({ showWhatToBring: true, confirmed: null, ended: false, statusReason: null });
    const screening = getRequestStatus(visitIn("screening").token)!;
    expect(screening).toMatchObject({ showWhatToBring: false, confirmed: null, ended: false });

    const venue = getDb().insert(venues).values({ name: "あおば市民センター", kind: "public_facility", address: "あおば市中央2-3-4" }).returning().get();
    const approved = visitIn("approved", { venueId: venue.id }, "確定表示テスト会");
    const s = getRequestStatus(approved.token)!;
    // The default cut-off is 3 days before the visit.
    expect(s).toMatchObject({ showWhatToBring: true, ended: false, canCancel: true, cancelDeadline: formatDate(addDays(date, -3)) });
    expect(s.confirmed).toEqual({ when: expect.stringContaining(formatDate(date)), place: "あおば市民センター", address: "あおば市中央2-3-4", hasIcs: true });
    const ics = requestIcs(approved.token)!;
    expect(ics).toContain("BEGIN:VCALENDAR");
    expect(ics.replace(/\r\n[ \t]/g, "")).toContain("出張申請窓口（確定表示テスト会）");
    expect(ics.replace(/\r\n[ \t]/g, "")).toContain("あおば市民センター あおば市中央2-3-4");

    // Approved with a date but no times yet: no calendar file.
    const noTimes = visitIn("approved", { startsAt: null, endsAt: null });
    expect(getRequestStatus(noTimes.token)!.confirmed).toMatchObject({ when: formatDate(date), hasIcs: false });
    expect(requestIcs(noTimes.token)).toBeNull();

    // Done: still confirmed, no longer a calendar file, not "ended" as a refusal is.
    const done = visitIn("completed");
    expect(getRequestStatus(done.token)).toMatchObject({ ended: false, canCancel: false, confirmed: { hasIcs: false } });
    expect(requestIcs(done.token)).toBeNull();
    expect(requestIcs(visitIn("awaiting_city").token)).toBeNull();
  });

  it("shows the reason of a decline or cancellation, the organisation's own reason when staff wrote none", () => {
    const declined = visitIn("declined", { statusReason: "日程の都合がつかないため" });
    expect(getRequestStatus(declined.token)).toMatchObject({ ended: true, statusReason: "日程の都合がつかないため", showWhatToBring: false });
    const cancelled = visitIn("cancelled", { statusReason: null });
    getDb().update(visitRequests).set({ cancelReason: "行事と重なったため" }).where(eq(visitRequests.id, cancelled.requestId)).run();
    expect(getRequestStatus(cancelled.token)).toMatchObject({ ended: true, statusReason: "行事と重なったため" });
    // A reason kept from an earlier change request is not shown once the visit is back on track.
    const resubmitted = visitIn("awaiting_city", { statusReason: "会場を変更してください" });
    expect(getRequestStatus(resubmitted.token)!.statusReason).toBeNull();
  });
});

describe("until when the status page offers the online cancel (default cut-off: 3 days before)", () => {
  const today = todayInTokyo();
  it("offers it up to and including the deadline day, and names that day", () => {
    const ahead = getRequestStatus(visitIn("approved", { date: addDays(today, 10) }).token)!;
    expect(ahead).toMatchObject({ canCancel: true, cancelClosedByDeadline: false, cancelDeadline: formatDate(addDays(today, 7)) });
    const lastDay = getRequestStatus(visitIn("approved", { date: addDays(today, 3) }).token)!;
    expect(lastDay).toMatchObject({ canCancel: true, cancelClosedByDeadline: false, cancelDeadline: formatDate(today) });
  });

  it("after the deadline, while the visit is still ahead, says the online cancel has closed (so the page gives the window's number)", () => {
    const closed = getRequestStatus(visitIn("approved", { date: addDays(today, 2) }).token)!;
    expect(closed).toMatchObject({ canCancel: false, cancelClosedByDeadline: true, cancelDeadline: formatDate(addDays(today, -1)) });
    const onTheDay = getRequestStatus(visitIn("approved", { date: today }).token)!;
    expect(onTheDay).toMatchObject({ canCancel: false, cancelClosedByDeadline: true });
  });

  it("says nothing about a closed cancel once the visit day has passed, or for a request that cannot be cancelled at all", () => {
    expect(getRequestStatus(visitIn("approved", { date: addDays(today, -1) }).token)!).toMatchObject({ canCancel: false, cancelClosedByDeadline: false });
    expect(getRequestStatus(visitIn("completed", { date: addDays(today, 1) }).token)!).toMatchObject({ canCancel: false, cancelClosedByDeadline: false });
    expect(getRequestStatus(visitIn("cancelled", { date: addDays(today, 1) }).token)!).toMatchObject({ canCancel: false, cancelClosedByDeadline: false });
  });
});

describe("the organisation's own cancel", () => {
  it("answers a double submit the same way without writing or emailing twice", () => {
    const v = visitIn("screening");
    expect(cancelRequestByToken(v.token, { reason: "都合により" })).toEqual({ ok: true });
    const emails = outboxCount();
    const first = getDb().select().from(visitRequests).where(eq(visitRequests.id, v.requestId)).get()!;
    expect(cancelRequestByToken(v.token, { reason: "二度目" })).toEqual({ ok: true });
    expect(outboxCount()).toBe(emails);
    expect(getDb().select().from(visitRequests).where(eq(visitRequests.id, v.requestId)).get()).toEqual(first);
  });

  it("takes a reason that is not text as no reason", () => {
    const v = visitIn("requested");
    expect(cancelRequestByToken(v.token, { reason: 42 })).toEqual({ ok: true });
    expect(getDb().select().from(visits).where(eq(visits.id, v.visitId)).get()!.status).toBe("cancelled");
  });

  it("says plainly that a finished visit cannot be cancelled", () => {
    const v = visitIn("completed");
    expect(cancelRequestByToken(v.token, { reason: "" })).toEqual({ ok: false, errors: {}, formError: "このお申し込みは取り消せない状態です。" });
  });

  it("checks the token before anything else: a malformed one gets no form errors either", () => {
    expect(cancelRequestByToken("short", { reason: "あ".repeat(600) })).toBeNull();
  });
});
