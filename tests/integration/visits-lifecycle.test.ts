import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "../../app/db.server";
import { addDays, todayInTokyo, weekday } from "../../app/lib/dates";
import { cityQueue, recentDecisionsFor } from "../../app/visits/queries.server";
import { rescheduleVisit, scheduleVisit } from "../../app/visits/scheduling.server";
import { agreeMonthSchedule, createSession } from "../../app/visits/sessions.server";
import { recordResults } from "../../app/visits/results.server";
import { applyTransition } from "../../app/visits/transitions.server";
import { activities, approvals, auditLog, emailOutbox, organisations, visitRequests, visits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { groupVisit, plainWeekdayAhead, seedBasics, type Fixture } from "../support/visits";

let ctx: ReturnType<typeof useFreshDatabase>;
let f: Fixture;

beforeAll(() => {
  ctx = useFreshDatabase();
  f = seedBasics();
});
afterAll(() => ctx.cleanup());

const visit = (id: number) => getDb().select().from(visits).where(eq(visits.id, id)).get()!;
const emailsFor = (id: number) =>
  getDb()
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.relatedEntity, "visit"), eq(emailOutbox.relatedId, id)))
    .all()
    .map((e) => e.template);
const stageOf = (orgId: number) => getDb().select().from(organisations).where(eq(organisations.id, orgId)).get()!.stage;

/** A weekday at least `min` days ahead (group visits and roaming stops in tests). */
const usedDays = new Set<string>();
function weekdayAhead(min: number) {
  // Each test gets its own day, so tests never share the car by accident.
  const d = plainWeekdayAhead(min, (x) => usedDays.has(x));
  usedDays.add(d);
  return d;
}
function saturdayAhead(min: number) {
  let d = addDays(todayInTokyo(), min);
  while (weekday(d) !== 6 || ["12-29", "12-30", "12-31", "01-01", "01-02", "01-03"].includes(d.slice(5))) d = addDays(d, 1);
  return d;
}

describe("group visit: request → schedule → approval → completion", () => {
  it("walks the whole happy path with the car held, the decision recorded and the organisation told", () => {
    const date = weekdayAhead(40);
    const g = groupVisit(f, { status: "requested", date: null });

    const scheduled = scheduleVisit(
      { visitId: g.visitId, date, startTime: "10:00", endTime: "12:00", venueText: "中央町内会館", expectedApplicants: "25", mode: "accept" },
      f.staff,
    );
    expect(scheduled).toMatchObject({ ok: true, status: "screening" });
    let v = visit(g.visitId);
    expect(v).toMatchObject({ date, startsAt: `${date}T10:00`, endsAt: `${date}T12:00`, expectedApplicants: 25, mode: "accept", holdStartsAt: null });

    const submitted = applyTransition({ visitId: g.visitId, transition: "submit_for_approval", actor: f.staff, expectedVersion: v.version });
    expect(submitted).toMatchObject({ ok: true, status: "awaiting_city" });
    expect(submitted.ok && submitted.warning).toBeFalsy();
    v = visit(g.visitId);
    // Default buffers: 30 set-up + 30 travel before, 30 tear-down + 30 travel after.
    expect(v.holdStartsAt).toBe(`${date}T09:00`);
    expect(v.holdEndsAt).toBe(`${date}T13:00`);
    expect(stageOf(g.organisationId)).toBe("awaiting_city");

    const approved = applyTransition({ visitId: g.visitId, transition: "approve", actor: f.city, comment: "駐車位置に注意" });
    expect(approved).toMatchObject({ ok: true, status: "approved" });
    const rows = getDb().select().from(approvals).where(eq(approvals.visitId, g.visitId)).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ decision: "approved", comment: "駐車位置に注意", decidedById: f.city.id });
    // The snapshot records everything the re-approval rule compares, mode and venue id included.
    const venueId = visit(g.visitId).venueId;
    expect(venueId).toBeTypeOf("number");
    expect(rows[0].snapshot).toEqual({ date, startsAt: `${date}T10:00`, endsAt: `${date}T12:00`, venueId, venue: "中央町内会館", expectedApplicants: 25, mode: "accept" });
    expect(emailsFor(g.visitId)).toEqual(["confirmed"]);
    expect(stageOf(g.organisationId)).toBe("confirmed");
    const timeline = getDb().select().from(activities).where(eq(activities.visitId, g.visitId)).all();
    expect(timeline.some((a) => a.kind === "approval" && a.summary.includes("承認"))).toBe(true);
    expect(visit(g.visitId).holdStartsAt).toBe(`${date}T09:00`);

    // The owner sees the decision in their Today view.
    const decisions = recentDecisionsFor(f.staff.id);
    expect(decisions[0]).toMatchObject({ visitId: g.visitId, decision: "approved", decidedBy: f.city.name });

    // Completing (by entering the results) before the day is refused; on the day it works and frees the car.
    const early = recordResults({ visitId: g.visitId, acceptCount: 20 }, f.staff);
    expect(early.ok).toBe(false);
    expect(visit(g.visitId).status).toBe("approved");
    getDb().update(visits).set({ date: todayInTokyo() }).where(eq(visits.id, g.visitId)).run();
    expect(recordResults({ visitId: g.visitId, acceptCount: 20 }, f.staff)).toMatchObject({ ok: true, first: true });
    expect(visit(g.visitId)).toMatchObject({ status: "completed", holdStartsAt: null });
    expect(stageOf(g.organisationId)).toBe("visited");
  });

  it("refuses staff and admins the city's decision, and records nothing", () => {
    const g = groupVisit(f, { status: "awaiting_city", date: weekdayAhead(41) });
    for (const actor of [f.staff, f.manager, f.admin]) {
      const r = applyTransition({ visitId: g.visitId, transition: "approve", actor });
      expect(r).toEqual({ ok: false, message: "「承認する」は市職員のみが行えます。" });
    }
    expect(visit(g.visitId).status).toBe("awaiting_city");
    expect(getDb().select().from(approvals).where(eq(approvals.visitId, g.visitId)).all()).toHaveLength(0);
  });

  it("sends a change request back to staff with the city's comment, and staff can resubmit", () => {
    const g = groupVisit(f, { status: "screening", date: weekdayAhead(42) });
    expect(applyTransition({ visitId: g.visitId, transition: "submit_for_approval", actor: f.staff }).ok).toBe(true);
    const noComment = applyTransition({ visitId: g.visitId, transition: "request_changes", actor: f.city, comment: "" });
    expect(noComment.ok).toBe(false);
    const r = applyTransition({ visitId: g.visitId, transition: "request_changes", actor: f.city, comment: "会場の駐車場の広さを確認してください" });
    expect(r).toMatchObject({ ok: true, status: "changes_requested" });
    const v = visit(g.visitId);
    expect(v.statusReason).toBe("会場の駐車場の広さを確認してください");
    expect(v.holdStartsAt).not.toBeNull();
    const queue = cityQueue();
    const item = queue.others.find((i) => i.id === g.visitId);
    expect(item).toMatchObject({ waitingOn: "staff", statusReason: "会場の駐車場の広さを確認してください" });
    expect(recentDecisionsFor(f.staff.id).some((d) => d.visitId === g.visitId && d.decision === "changes_requested")).toBe(true);
    expect(applyTransition({ visitId: g.visitId, transition: "submit_for_approval", actor: f.staff })).toMatchObject({ ok: true, status: "awaiting_city" });
  });

  it("declines with a reason, frees the car and tells the organisation", () => {
    const g = groupVisit(f, { status: "screening", date: weekdayAhead(43) });
    applyTransition({ visitId: g.visitId, transition: "submit_for_approval", actor: f.staff });
    const r = applyTransition({ visitId: g.visitId, transition: "decline", actor: f.city, comment: "同日に市のイベントがあるため" });
    expect(r).toMatchObject({ ok: true, status: "declined" });
    expect(visit(g.visitId)).toMatchObject({ holdStartsAt: null, holdEndsAt: null, statusReason: "同日に市のイベントがあるため" });
    expect(emailsFor(g.visitId)).toEqual(["declined"]);
    expect(stageOf(g.organisationId)).toBe("lost");
  });

  it("sends a moved approved visit back to the city, and the re-approval emails a change", () => {
    const date = weekdayAhead(44);
    const g = groupVisit(f, { status: "screening", date });
    applyTransition({ visitId: g.visitId, transition: "submit_for_approval", actor: f.staff });
    applyTransition({ visitId: g.visitId, transition: "approve", actor: f.city });
    const moved = rescheduleVisit({ visitId: g.visitId, startsAt: `${date}T13:00`, endsAt: `${date}T15:00` }, f.staff);
    expect(moved).toMatchObject({ ok: true, status: "awaiting_city" });
    expect(visit(g.visitId)).toMatchObject({ holdStartsAt: `${date}T12:00`, holdEndsAt: `${date}T16:00` });
    expect(applyTransition({ visitId: g.visitId, transition: "approve", actor: f.city }).ok).toBe(true);
    expect(emailsFor(g.visitId)).toEqual(["confirmed", "changed"]);
    const snaps = getDb().select().from(approvals).where(eq(approvals.visitId, g.visitId)).all();
    expect(snaps.map((s) => (s.snapshot as { startsAt: string }).startsAt)).toEqual([`${date}T10:00`, `${date}T13:00`]);

    // A small head-count correction (within the allowed share): stays approved, the organisation and the city are told.
    const v = visit(g.visitId);
    const r = scheduleVisit({ visitId: g.visitId, date, startTime: "13:00", endTime: "15:00", expectedApplicants: v.expectedApplicants! + 5, mode: v.mode, expectedVersion: v.version }, f.staff);
    expect(r).toMatchObject({ ok: true, status: "approved" });
    expect(emailsFor(g.visitId)).toEqual(["confirmed", "changed", "changed", "staff-notice"]);
    const cityNotices = getDb().select().from(emailOutbox).all().filter((m) => m.toAddress === f.city.email && m.subject.includes("人数の変更"));
    expect(cityNotices).toHaveLength(1);
  });

  it("refuses an edit made from a stale screen", () => {
    const g = groupVisit(f, { status: "screening", date: weekdayAhead(45) });
    const v = visit(g.visitId);
    applyTransition({ visitId: g.visitId, transition: "cancel", actor: f.staff, comment: "団体の都合", expectedVersion: v.version });
    const r = applyTransition({ visitId: g.visitId, transition: "submit_for_approval", actor: f.manager, expectedVersion: v.version });
    expect(r.ok).toBe(false);
    expect(visit(g.visitId).status).toBe("cancelled");
    expect(emailsFor(g.visitId)).toEqual(["cancelled"]);
    expect(getDb().select().from(visitRequests).where(eq(visitRequests.id, g.requestId)).get()?.cancelReason).toBe("団体の都合");
  });

  it("warns (without blocking) when approval is asked at short notice", () => {
    const g = groupVisit(f, { status: "screening", date: addDays(todayInTokyo(), 2), from: "07:00", to: "07:30" });
    const r = applyTransition({ visitId: g.visitId, transition: "submit_for_approval", actor: f.staff });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.warning).toMatch(/まで2日しかありません/);
  });

  it("lets the organisation cancel from its status page, until the cut-off before an approved visit", () => {
    const g = groupVisit(f, { status: "requested", date: null });
    expect(applyTransition({ visitId: g.visitId, transition: "organisation_cancel", actor: { role: "organisation" } })).toMatchObject({ ok: true, status: "cancelled" });
    const soon = groupVisit(f, { status: "approved", date: addDays(todayInTokyo(), 1), from: "06:00", to: "06:30" });
    const r = applyTransition({ visitId: soon.visitId, transition: "organisation_cancel", actor: { role: "organisation" }, comment: "都合が悪くなった" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain("お電話");
    // Organisations cannot use staff transitions.
    expect(applyTransition({ visitId: soon.visitId, transition: "complete", actor: { role: "organisation" } }).ok).toBe(false);
  });

  it("refuses a free-text comment containing an individual number", () => {
    const g = groupVisit(f, { status: "awaiting_city", date: weekdayAhead(46) });
    const r = applyTransition({ visitId: g.visitId, transition: "request_changes", actor: f.city, comment: "申請者 1234 5678 9018 の件" });
    expect(r.ok).toBe(false);
    expect(visit(g.visitId).status).toBe("awaiting_city");
  });
});

describe("the car is never in two places", () => {
  it("refuses a second hold on overlapping times, naming the visit that has the car", () => {
    const date = weekdayAhead(50);
    const a = groupVisit(f, { status: "screening", date, name: "先約福祉会" });
    const b = groupVisit(f, { status: "screening", date, from: "12:30", to: "14:00" });
    expect(applyTransition({ visitId: a.visitId, transition: "submit_for_approval", actor: f.staff }).ok).toBe(true);
    const r = applyTransition({ visitId: b.visitId, transition: "submit_for_approval", actor: f.staff });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain("先約福祉会");
    expect(visit(b.visitId)).toMatchObject({ status: "screening", holdStartsAt: null });
    // A roaming stop cannot take the car either …
    const s = createSession({ kind: "roaming", mode: "support", venueId: f.venueId, date, startsAt: "13:30", endsAt: "15:00" }, f.staff);
    expect(s.ok).toBe(false);
    if (!s.ok) expect(s.message).toContain("先約福祉会");
    // … nor can the approved visit be moved onto a roaming stop.
    const later = createSession({ kind: "roaming", mode: "support", venueId: f.venueId, date, startsAt: "16:00", endsAt: "17:00" }, f.staff);
    expect(later.ok).toBe(true);
    const move = rescheduleVisit({ visitId: a.visitId, startsAt: `${date}T14:00`, endsAt: `${date}T16:00` }, f.staff);
    expect(move.ok).toBe(false);
    expect(visit(a.visitId)).toMatchObject({ startsAt: `${date}T10:00`, status: "awaiting_city" });
    // Cancelling frees the car.
    applyTransition({ visitId: a.visitId, transition: "cancel", actor: f.staff, comment: "日程変更のため" });
    expect(applyTransition({ visitId: b.visitId, transition: "submit_for_approval", actor: f.staff }).ok).toBe(true);
  });
});

describe("roaming and base-facility sessions", () => {
  it("keeps base-facility sessions to weekends and holidays, without the car", () => {
    const weekdayDate = weekdayAhead(60);
    const r = createSession({ kind: "base", mode: "support", venueId: f.venueId, date: weekdayDate, startsAt: "10:00", endsAt: "15:00" }, f.staff);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain("土曜・日曜・祝日");
    const sat = saturdayAhead(60);
    const ok = createSession({ kind: "base", mode: "accept", venueId: f.venueId, date: sat, startsAt: "10:00", endsAt: "15:00" }, f.staff);
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(visit(ok.id)).toMatchObject({ status: "planned", vehicleId: null, holdStartsAt: null });
  });

  it("agrees a month at once, and a moved agreed session goes back to planned", () => {
    const date = weekdayAhead(70);
    const month = date.slice(0, 7);
    const s = createSession({ kind: "roaming", mode: "support", venueId: f.venueId, date, startsAt: "10:00", endsAt: "14:00" }, f.staff);
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(agreeMonthSchedule({ month, user: f.staff }).ok).toBe(false);
    const agreed = agreeMonthSchedule({ month, user: f.city, comment: "了承" });
    expect(agreed.ok).toBe(true);
    expect(visit(s.id).status).toBe("agreed");
    const rows = getDb().select().from(approvals).where(eq(approvals.scheduleMonth, month)).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ decision: "agreed", visitId: null, comment: "了承" });
    expect(agreeMonthSchedule({ month, user: f.city }).ok).toBe(false);

    const moved = rescheduleVisit({ visitId: s.id, startsAt: `${date}T11:00`, endsAt: `${date}T15:00` }, f.staff);
    expect(moved).toMatchObject({ ok: true, status: "planned" });
    expect(visit(s.id).holdStartsAt).toBe(`${date}T10:00`);
    expect(applyTransition({ visitId: s.id, transition: "cancel", actor: f.staff, comment: "店舗改装のため" })).toMatchObject({ ok: true, status: "cancelled" });
    expect(visit(s.id).holdStartsAt).toBeNull();
    const auditRows = getDb().select().from(auditLog).where(eq(auditLog.entityId, String(s.id))).all();
    expect(auditRows.map((a) => a.action)).toEqual(expect.arrayContaining(["visit.create_session", "visit.replan", "visit.cancel"]));
  });
});
