import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, isNotNull } from "drizzle-orm";
import { login, type SessionUser } from "../../app/auth.server";
import { listFeedEvents, parseFeedRange, type FeedEvent } from "../../app/calendar/feed.server";
import { regenerateCalendarToken } from "../../app/calendar/feeds.server";
import { moveOnCalendar, planSessions } from "../../app/calendar/planning.server";
import { getDb } from "../../app/db.server";
import { addDays, daysBetween, isBusinessDay, todayInTokyo, weekday } from "../../app/lib/dates";
import { loader as feedLoader } from "../../app/routes/calendar.events";
import { loader as userIcsLoader } from "../../app/routes/feeds.user.$token";
import { loader as scheduleLoader } from "../../app/routes/schedule";
import { loader as scheduleIcsLoader } from "../../app/routes/schedule[.]ics";
import { agreeMonthSchedule } from "../../app/visits/sessions.server";
import { loadDemoData, DEMO_PASSWORD } from "../../db/demo/seed";
import { organisations, programs, users, venues, visits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";

let ctx: ReturnType<typeof useFreshDatabase>;
let staff: { user: SessionUser; cookie: string };
let city: { user: SessionUser; cookie: string };
const today = todayInTokyo();

async function signIn(email: string) {
  const r = await login({ email, password: DEMO_PASSWORD });
  if (!r.ok) throw new Error(r.message);
  return { user: r.user, cookie: r.setCookie.split(";")[0] };
}

/** A business day at least `ahead` days away (the car is free after 18:00 on every demo day). */
function freeWeekday(ahead: number) {
  let d = addDays(today, ahead);
  while (!isBusinessDay(d)) d = addDays(d, 1);
  return d;
}

function args(url: string, cookie?: string, params: Record<string, string> = {}) {
  return { request: new Request(`http://localhost${url}`, { headers: cookie ? { Cookie: cookie } : {} }), params, context: {} } as never;
}

/** VEVENTs of an .ics body by simple line splitting (folded lines joined). */
function parseIcs(body: string) {
  const lines = body.replace(/\r\n[ \t]/g, "").split(/\r\n/);
  const events: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") current = {};
    else if (line === "END:VEVENT" && current) {
      events.push(current);
      current = null;
    } else if (current) {
      const i = line.indexOf(":");
      const key = line.slice(0, i).split(";")[0];
      current[key] = line.slice(i + 1);
    }
  }
  return events;
}

/** 2026-12-01T18:00 (Tokyo) → 20261201T090000Z */
function utcStamp(local: string) {
  return new Date(`${local}:00+09:00`).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

beforeAll(async () => {
  ctx = useFreshDatabase();
  await loadDemoData(getDb(), { today });
  staff = await signIn("outreach@demo.example");
  city = await signIn("city@demo.example");
}, 60_000);
afterAll(() => ctx.cleanup());

function roamingVenueId() {
  return getDb().select({ id: venues.id }).from(venues).where(eq(venues.kind, "supermarket")).get()!.id;
}

describe("the calendar feed", () => {
  let date: string;
  let id: number;
  beforeAll(() => {
    date = freeWeekday(12);
    const r = planSessions({ kind: "roaming", mode: "support", venueId: String(roamingVenueId()), date, startTime: "18:00", endTime: "19:30", repeatWeeks: "1" }, staff.user);
    expect(r.ok).toBe(true);
    if (r.ok) id = r.created[0].id;
  });

  const idsIn = (events: FeedEvent[]) => events.map((e) => Number(e.id));

  it("includes a session crossing either end of the range, and excludes one that only touches it", () => {
    const at = (q: string) => listFeedEvents(parseFeedRange(new URLSearchParams(q))!);
    // The range starts inside the session (+09:00 offset) …
    expect(idsIn(at(`start=${date}T19:00:00+09:00&end=${date}T23:00:00+09:00`))).toContain(id);
    // … or ends inside it.
    expect(idsIn(at(`start=${date}T12:00:00+09:00&end=${date}T18:30:00+09:00`))).toContain(id);
    // The same instants written in UTC (Z): 19:00 Tokyo is 10:00Z.
    expect(idsIn(at(`start=${date}T10:00:00Z&end=${date}T14:00:00Z`))).toContain(id);
    // Touching is not overlapping: a range ending at 18:00 or starting at 19:30 leaves it out.
    expect(idsIn(at(`start=${date}T12:00:00+09:00&end=${date}T18:00:00+09:00`))).not.toContain(id);
    expect(idsIn(at(`start=${date}T10:30:00Z&end=${date}T14:00:00Z`))).not.toContain(id);
    // A range from the day before (UTC midnight is 09:00 Tokyo) that spans it.
    expect(idsIn(at(`start=${addDays(date, -1)}T00:00:00Z&end=${addDays(date, 1)}T00:00:00Z`))).toContain(id);
  });

  it("answers signed-in staff and city with events carrying kind, status and +09:00 times", async () => {
    for (const who of [staff, city]) {
      const res: Response = await feedLoader(args(`/calendar/events?start=${date}T00:00:00%2B09:00&end=${addDays(date, 1)}T00:00:00%2B09:00`, who.cookie));
      expect(res.status).toBe(200);
      const events = (await res.json()) as FeedEvent[];
      const mine = events.find((e) => Number(e.id) === id)!;
      expect(mine.title).toMatch(/^【巡】/);
      expect(mine.start).toBe(`${date}T18:00:00+09:00`);
      expect(mine.end).toBe(`${date}T19:30:00+09:00`);
      expect(mine.extendedProps).toMatchObject({ kind: "roaming", status: "planned" });
      // Only staff may drag it.
      expect(mine.editable).toBe(who === staff);
      for (const e of events) {
        expect(["group", "roaming", "base"]).toContain(e.extendedProps.kind);
        expect(typeof e.extendedProps.status).toBe("string");
      }
    }
  });

  it("refuses anonymous visitors and unreadable ranges", async () => {
    const anon = await Promise.resolve(feedLoader(args(`/calendar/events?start=${date}&end=${addDays(date, 1)}`))).catch((e) => e);
    expect(anon).toBeInstanceOf(Response);
    expect((anon as Response).status).toBe(302);
    const bad: Response = await feedLoader(args(`/calendar/events?start=yesterday&end=tomorrow`, staff.cookie));
    expect(bad.status).toBe(400);
  });

  it("never shows group visits that have no date yet, and hides cancelled ones when asked", () => {
    const db = getDb();
    const undated = db.select({ id: visits.id, date: visits.date }).from(visits).where(eq(visits.kind, "group")).all().filter((v) => !v.date);
    expect(undated.length).toBeGreaterThan(0);
    const program = db.select().from(programs).get()!;
    const all = listFeedEvents({ start: `${program.startsOn}T00:00`, end: `${addDays(program.endsOn, 1)}T00:00` });
    const ids = new Set(idsIn(all));
    for (const v of undated) expect(ids.has(v.id)).toBe(false);
    expect(all.some((e) => e.extendedProps.status === "cancelled")).toBe(true);
    const active = listFeedEvents({ start: `${program.startsOn}T00:00`, end: `${addDays(program.endsOn, 1)}T00:00` }, { includeInactive: false });
    expect(active.some((e) => ["cancelled", "declined"].includes(e.extendedProps.status))).toBe(false);
    expect(active.length).toBeGreaterThan(0);
  });
});

describe("planning and moving sessions", () => {
  it("plans a weekly series, skipping (and naming) weeks that clash with the car or fall on closed days", () => {
    const date = freeWeekday(20);
    const venueId = String(roamingVenueId());
    // Occupy the car on the second week first.
    const blocker = planSessions({ kind: "roaming", mode: "support", venueId, date: addDays(date, 7), startTime: "18:30", endTime: "19:00", repeatWeeks: "1" }, staff.user);
    expect(blocker.ok).toBe(true);
    const r = planSessions({ kind: "roaming", mode: "support", venueId, date, startTime: "18:00", endTime: "19:30", repeatWeeks: "3" }, staff.user);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.created.map((c) => c.date)).toEqual([date, addDays(date, 14)]);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0].date).toBe(addDays(date, 7));
    expect(r.skipped[0].reason).toMatch(/ラッピングカー/);
  });

  it("refuses a base-facility session on a weekday and any session on the year-end closure", () => {
    const weekdayDate = freeWeekday(15);
    const base = planSessions({ kind: "base", mode: "support", venueId: String(roamingVenueId()), date: weekdayDate, startTime: "10:00", endTime: "15:00" }, staff.user);
    expect(base.ok).toBe(false);
    if (!base.ok) expect(base.message).toMatch(/土曜・日曜・祝日/);
    const program = getDb().select().from(programs).get()!;
    const closure = `${Number(today.slice(0, 4)) + (today.slice(5) > "12-30" ? 1 : 0)}-12-30`;
    if (closure <= program.endsOn) {
      const r = planSessions({ kind: "roaming", mode: "support", venueId: String(roamingVenueId()), date: closure, startTime: "10:00", endTime: "12:00" }, staff.user);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/年末年始/);
    }
  });

  it("refuses to move a session onto the car's other booking and leaves it where it was", () => {
    // Two working days in a row on which the demo data holds the car nowhere.
    const held = new Set(getDb().select({ d: visits.date }).from(visits).where(isNotNull(visits.holdStartsAt)).all().map((r) => r.d));
    let date = freeWeekday(30);
    while (held.has(date) || held.has(addDays(date, 1)) || !isBusinessDay(addDays(date, 1))) date = freeWeekday(daysBetween(today, date) + 1);
    const venueId = String(roamingVenueId());
    const a = planSessions({ kind: "roaming", mode: "support", venueId, date, startTime: "08:00", endTime: "09:00" }, staff.user);
    const b = planSessions({ kind: "roaming", mode: "support", venueId, date: addDays(date, 1), startTime: "18:00", endTime: "19:00" }, staff.user);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    const bId = b.created[0].id;
    const moved = moveOnCalendar({ visitId: bId, startsAt: `${date}T08:30`, endsAt: `${date}T09:30` }, staff.user);
    expect(moved.ok).toBe(false);
    if (!moved.ok) expect(moved.message).toMatch(/ラッピングカー/);
    const row = getDb().select().from(visits).where(eq(visits.id, bId)).get()!;
    expect(row.startsAt).toBe(`${addDays(date, 1)}T18:00`);
    // A free slot is accepted.
    const ok = moveOnCalendar({ visitId: bId, startsAt: `${addDays(date, 1)}T18:30`, endsAt: `${addDays(date, 1)}T19:30` }, staff.user);
    expect(ok).toMatchObject({ ok: true });
  });
});

describe("the residents' schedule and public feed", () => {
  it("never shows a group visit, even one at a public venue, and shows a session only once the city agrees", async () => {
    const db = getDb();
    const program = db.select().from(programs).get()!;
    const org = db.select().from(organisations).get()!;
    const venueId = roamingVenueId();
    const date = freeWeekday(9);
    // A group visit at the same supermarket, approved — and one with a status residents' sessions use.
    for (const status of ["approved", "agreed"] as const) {
      db.insert(visits)
        .values({ programId: program.id, kind: "group", mode: "accept", status, title: `秘密の団体訪問${status}`, organisationId: org.id, venueId, date, startsAt: `${date}T08:00`, endsAt: `${date}T09:00` })
        .run();
    }
    const planned = planSessions({ kind: "roaming", mode: "support", venueId: String(venueId), date, startTime: "18:00", endTime: "19:00" }, staff.user);
    expect(planned.ok).toBe(true);
    const sessionId = planned.ok ? planned.created[0].id : 0;

    const before = (await scheduleLoader(args("/schedule"))) as { sessions: { id: number; kind: string }[] };
    expect(before.sessions.length).toBeGreaterThan(0);
    expect(before.sessions.every((s) => s.kind === "roaming" || s.kind === "base")).toBe(true);
    expect(before.sessions.map((s) => s.id)).not.toContain(sessionId);
    expect(JSON.stringify(before)).not.toContain("秘密の団体訪問");
    expect(JSON.stringify(before)).not.toContain(org.name);

    const agreed = agreeMonthSchedule({ month: date.slice(0, 7), user: city.user });
    expect(agreed.ok).toBe(true);
    const after = (await scheduleLoader(args(`/schedule?month=${date.slice(0, 7)}`))) as { sessions: { id: number; startsAt: string }[] };
    expect(after.sessions.map((s) => s.id)).toContain(sessionId);
    expect(JSON.stringify(after)).not.toContain("秘密の団体訪問");

    const res: Response = await scheduleIcsLoader();
    expect(res.headers.get("Content-Type")).toMatch(/text\/calendar/);
    const body = await res.text();
    expect(body).not.toContain("秘密の団体訪問");
    expect(body).not.toContain(org.name);
    const events = parseIcs(body);
    const mine = events.find((e) => e.UID === `session-${sessionId}@localhost`);
    expect(mine).toBeDefined();
    // Tokyo 18:00 is 09:00 UTC the same day.
    expect(mine!.DTSTART).toBe(utcStamp(`${date}T18:00`));
    expect(mine!.DTEND).toBe(utcStamp(`${date}T19:00`));
    expect(events.every((e) => !/^visit-/.test(e.UID))).toBe(true);
  });

  it("filters by district and month", async () => {
    const all = (await scheduleLoader(args("/schedule"))) as { sessions: { districtId: number | null; date: string }[]; months: string[] };
    const district = all.sessions.find((s) => s.districtId)?.districtId;
    const byDistrict = (await scheduleLoader(args(`/schedule?district=${district}`))) as { sessions: { districtId: number | null }[] };
    expect(byDistrict.sessions.length).toBeGreaterThan(0);
    expect(byDistrict.sessions.every((s) => s.districtId === district)).toBe(true);
    const month = all.months[0];
    const byMonth = (await scheduleLoader(args(`/schedule?month=${month}`))) as { sessions: { date: string }[] };
    expect(byMonth.sessions.every((s) => s.date.startsWith(month))).toBe(true);
  });
});

describe("personal calendar subscriptions", () => {
  it("serves the holder everything they can see, in UTC, and stops the old URL once regenerated", async () => {
    const oldToken = regenerateCalendarToken(staff.user.id);
    expect(oldToken.length).toBeGreaterThanOrEqual(43); // 256 bits in base64url
    const res: Response = await userIcsLoader(args(`/feeds/user/${oldToken}.ics`, undefined, { token: `${oldToken}.ics` }));
    expect(res.status).toBe(200);
    const events = parseIcs(await res.text());
    const groupVisit = getDb().select().from(visits).where(eq(visits.status, "approved")).all().find((v) => v.kind === "group" && v.date! >= today)!;
    const ev = events.find((e) => e.UID === `visit-${groupVisit.id}@localhost`);
    expect(ev?.SUMMARY).toMatch(/^【団】/);
    expect(ev?.DTSTART).toBe(utcStamp(groupVisit.startsAt!));

    const newToken = regenerateCalendarToken(staff.user.id);
    expect(newToken).not.toBe(oldToken);
    const stale: Response = await userIcsLoader(args(`/feeds/user/${oldToken}.ics`, undefined, { token: `${oldToken}.ics` }));
    expect(stale.status).toBe(404);
    const fresh: Response = await userIcsLoader(args(`/feeds/user/${newToken}.ics`, undefined, { token: `${newToken}.ics` }));
    expect(fresh.status).toBe(200);
    // A deactivated user's feed stops too.
    getDb().update(users).set({ active: false }).where(eq(users.id, staff.user.id)).run();
    const gone: Response = await userIcsLoader(args(`/feeds/user/${newToken}.ics`, undefined, { token: `${newToken}.ics` }));
    expect(gone.status).toBe(404);
    getDb().update(users).set({ active: true }).where(eq(users.id, staff.user.id)).run();
  });
});
