/**
 * Property-based test of the visit rules (issue 10, item 7): random sequences
 * of transitions, form edits, calendar drags, new sessions and month
 * agreements, by random roles, on a real SQLite file. After every step the
 * database must still satisfy the invariants below, written out by hand.
 *
 * Reproduce a failure: the thrown message names the seed and path; run
 *   PROPERTY_SEED=<seed> PROPERTY_PATH=<path> npx vitest run tests/integration/visit-properties.test.ts
 * (fast-check replays the same case; the clock is fixed, so the calendar is too).
 * PROPERTY_RUNS=<n> runs more cases; PROPERTY_DEBUG=1 prints every step.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { SessionUser } from "../../app/auth.server";
import { listPublicSessions } from "../../app/calendar/public-schedule.server";
import { closeDb, getDb, writeTransaction } from "../../app/db.server";
import { addDays, isNationalHoliday, todayInTokyo, weekday } from "../../app/lib/dates";
import { saveSettings } from "../../app/settings.server";
import { rescheduleVisit, scheduleVisit } from "../../app/visits/scheduling.server";
import { agreeMonthSchedule, createSession } from "../../app/visits/sessions.server";
import { recordResults } from "../../app/visits/results.server";
import { applyTransition } from "../../app/visits/transitions.server";
import { programs, vehicles, venues } from "../../db/schema";
import type { VisitKind, VisitMode, VisitStatus } from "../../db/enums";
import { useFreshDatabase } from "../support/db";
import { groupVisit, seedBasics, type Fixture } from "../support/visits";

const SEED = Number(process.env.PROPERTY_SEED ?? 20261201);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 80);
const DEBUG = !!process.env.PROPERTY_DEBUG;
const MAX_STEPS = 25;

/** The clock every step runs at: Tuesday 1 December 2026, 10:00 in Tokyo. */
const NOW = new Date("2026-12-01T01:00:00Z");
const TODAY = "2026-12-01";
const CLOSURE_DAYS = ["2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03"];

// ---- The rules, by hand (tests/unit/lifecycle.test.ts ties the module to the same table) ----
/** States whose visit holds the car, per kind (base sessions never use the car). */
const HOLDS_CAR: Record<VisitKind, VisitStatus[]> = {
  group: ["awaiting_city", "changes_requested", "approved"],
  roaming: ["planned", "agreed"],
  base: [],
};
const CONFIRMED: VisitStatus[] = ["approved", "agreed", "completed"];
/** Default car buffers: 30 min set-up + 30 min travel before, 30 tear-down + 30 travel after. */
const BUFFER_MINUTES = 60;
const MAX_APPLICANTS = 500;
const MIN_APPLICANTS = 5;

const TRANSITION_NAMES = [
  "start_screening",
  "submit_for_approval",
  "approve",
  "request_changes",
  "decline",
  "cancel",
  "organisation_cancel",
  "complete",
  "reschedule_approved",
  "agree_schedule",
  "replan",
  "teleport",
] as const;
type Role = "admin" | "manager" | "outreach" | "city";
type ActorName = Role | "organisation";
/** Who would normally take each transition (so random sequences reach approval often enough). */
const USUAL_ACTOR: Record<string, ActorName[]> = {
  start_screening: ["outreach", "manager"],
  submit_for_approval: ["outreach", "manager", "admin"],
  approve: ["city"],
  request_changes: ["city"],
  decline: ["city"],
  cancel: ["outreach", "manager"],
  organisation_cancel: ["organisation"],
  complete: ["outreach"],
  reschedule_approved: ["outreach"],
  agree_schedule: ["city"],
  replan: ["manager"],
  teleport: ["admin"],
};

// ---- Commands ----
type Times = { dayOffset: number; start: number; minutes: number };
type Headcount = { abs: number } | { factor: number } | "keep";
type VenueChoice = "public" | "public2" | "inactive" | "ownSite" | "otherSite" | "typed";
/** A form edit changes up to three fields and keeps the others, so single-field changes to approved visits are common. */
type FormEdit = { dayOffset?: number; start?: number; minutes?: number; venue?: VenueChoice; headcount?: Headcount; mode?: VisitMode };
type VersionChoice = "none" | "current" | "stale";
/**
 * The usual next step for a visit in each state, by the usual actor: "advance"
 * takes one of them, so random runs reach approval, agreement and completion.
 * ("agree" for a planned session means the city agrees its month.)
 */
const NEXT: Record<VisitStatus, { name: string; actor: ActorName }[]> = {
  requested: [{ name: "start_screening", actor: "outreach" }],
  screening: [{ name: "submit_for_approval", actor: "outreach" }],
  changes_requested: [{ name: "submit_for_approval", actor: "manager" }],
  awaiting_city: [
    { name: "approve", actor: "city" },
    { name: "approve", actor: "city" },
    { name: "request_changes", actor: "city" },
    { name: "decline", actor: "city" },
  ],
  // Completing is entering the day's results (a bare "complete" is refused: see the transition op).
  approved: [
    { name: "results", actor: "outreach" },
    { name: "results", actor: "manager" },
    { name: "cancel", actor: "outreach" },
    { name: "organisation_cancel", actor: "organisation" },
  ],
  planned: [{ name: "agree", actor: "city" }],
  agreed: [
    { name: "results", actor: "outreach" },
    { name: "cancel", actor: "manager" },
  ],
  // A correction of the results.
  completed: [{ name: "results", actor: "outreach" }],
  declined: [{ name: "submit_for_approval", actor: "outreach" }],
  cancelled: [{ name: "start_screening", actor: "outreach" }],
};

type Command =
  | { op: "advance"; visit: number; branch: number }
  | { op: "transition"; visit: number; name: string; actor: ActorName; comment: string; version: VersionChoice }
  | { op: "schedule"; visit: number; approvedFirst: boolean; actor: Role; edit: FormEdit; thenSubmit: boolean; version: VersionChoice }
  | { op: "drag"; visit: number; actor: Role; times: Times }
  | { op: "session"; kind: "roaming" | "base"; venue: "public" | "public2" | "private"; mode: VisitMode; actor: Role; times: Times }
  | { op: "agree"; month: string; actor: Role };

const role = fc.constantFrom<Role>("admin", "manager", "outreach", "city");
const anyActor = fc.constantFrom<ActorName>("admin", "manager", "outreach", "city", "organisation");
/** Days from TODAY: the past, six weeks with weekends, holidays and the closure, and one past the program's end. */
const times: fc.Arbitrary<Times> = fc.record({
  dayOffset: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 55 }) }, { weight: 1, arbitrary: fc.constantFrom(-2, -1, 130) }),
  start: fc.integer({ min: 16, max: 36 }), // half hours: 08:00–18:00
  minutes: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(30, 60, 90, 120, 180, 240) }, { weight: 1, arbitrary: fc.constantFrom(0, -30) }),
});
const version = fc.constantFrom<VersionChoice>("none", "none", "none", "current", "current", "stale");
const transition: fc.Arbitrary<Command> = fc
  .record({
    visit: fc.nat({ max: 7 }),
    // Every name, but the steps that move a visit forward more often, so runs reach approval and agreement.
    name: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TRANSITION_NAMES) }, { weight: 4, arbitrary: fc.constantFrom("submit_for_approval", "approve", "approve", "complete") }),
    usual: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    pick: fc.nat(),
    other: anyActor,
    // Empty, a reason, or one holding an individual number (マイナンバー), which must be refused.
    comment: fc.constantFrom("", "日程の都合", "日程の都合", "番号 123456789018"),
    version,
  })
  .map(({ visit, name, usual, pick, other, comment, version }) => ({
    op: "transition" as const,
    visit,
    name,
    actor: usual ? USUAL_ACTOR[name][pick % USUAL_ACTOR[name].length] : other,
    comment,
    version,
  }));
const headcount: fc.Arbitrary<Headcount> = fc.oneof(
  fc.constant("keep" as const),
  fc.constantFrom(0, 1, 4, 5, 20, 25, 30, 480, 499, 500, 501, 10000).map((abs) => ({ abs })),
  fc.constantFrom(0.8, 1.1, 1.2, 1.49, 1.5, 1.51, 1.6, 2, 0.4).map((factor) => ({ factor })),
);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: transition },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("advance" as const), visit: fc.nat({ max: 7 }), branch: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("schedule" as const),
      visit: fc.nat({ max: 7 }),
      // Half the edits go to an approved visit when there is one: the re-approval rule is the point.
      approvedFirst: fc.boolean(),
      actor: fc.oneof({ weight: 4, arbitrary: fc.constantFrom<Role>("outreach", "manager") }, { weight: 1, arbitrary: role }),
      edit: fc
        .array(
          fc.oneof(
            { weight: 1, arbitrary: times.map((t) => ({ dayOffset: t.dayOffset })) },
            { weight: 1, arbitrary: times.map((t) => ({ start: t.start })) },
            { weight: 1, arbitrary: times.map((t) => ({ minutes: t.minutes })) },
            { weight: 1, arbitrary: fc.constantFrom<VenueChoice>("public", "public2", "inactive", "ownSite", "otherSite", "typed").map((venue) => ({ venue })) },
            { weight: 3, arbitrary: headcount.map((headcount) => ({ headcount })) },
            { weight: 1, arbitrary: fc.constantFrom<VisitMode>("accept", "support").map((mode) => ({ mode })) },
          ),
          { maxLength: 3 },
        )
        .map((changes): FormEdit => Object.assign({}, ...changes)),
      thenSubmit: fc.constantFrom(false, false, false, true),
      version,
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("drag" as const), visit: fc.nat({ max: 7 }), actor: fc.oneof({ weight: 3, arbitrary: fc.constant<Role>("outreach") }, { weight: 1, arbitrary: role }), times }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("session" as const),
      kind: fc.constantFrom("roaming" as const, "base" as const),
      venue: fc.constantFrom("public" as const, "public2" as const, "private" as const),
      mode: fc.constantFrom<VisitMode>("accept", "support"),
      actor: fc.oneof({ weight: 4, arbitrary: fc.constant<Role>("outreach") }, { weight: 1, arbitrary: role }),
      times,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("agree" as const), month: fc.constantFrom("2026-12", "2027-01", "2026-11"), actor: fc.oneof(fc.constant<Role>("city"), role) }) },
);
const scenario = fc.record({
  opened: fc.subarray(CLOSURE_DAYS, { maxLength: 2 }),
  percent: fc.constantFrom(0, 20, 50, 100),
  steps: fc.array(command, { minLength: 8, maxLength: MAX_STEPS, size: "max" }),
});

// ---- The fixture: one migrated, seeded file copied for every run ----
let ctx: ReturnType<typeof useFreshDatabase>;
let template: string;
let f: Fixture;
const ids = { publicVenue: 0, publicVenue2: 0, inactiveVenue: 0, orgSites: new Map<number, number>() };

beforeAll(() => {
  ctx = useFreshDatabase();
  template = ctx.file;
  f = seedBasics();
  const db = getDb();
  db.update(programs).set({ startsOn: "2026-04-01", endsOn: "2027-03-31" }).where(eq(programs.id, f.programId)).run();
  ids.publicVenue = f.venueId;
  ids.publicVenue2 = db.insert(venues).values({ name: "みどり市民センター", kind: "public_facility" }).returning().get().id;
  ids.inactiveVenue = db.insert(venues).values({ name: "閉館した公民館", kind: "community_hall", active: false }).returning().get().id;
  // Three group visits: one just requested, two being arranged (one already placed today, so it can be completed), each with its own organisation and site.
  const g0 = groupVisit(f, { status: "requested", date: null });
  const g1 = groupVisit(f, { status: "screening", date: TODAY, from: "14:00", to: "16:00" });
  const g2 = groupVisit(f, { status: "screening", date: null });
  for (const g of [g0, g1, g2]) {
    ids.orgSites.set(g.organisationId, db.insert(venues).values({ name: `団体${g.organisationId}の集会所`, kind: "organisation_site", organisationId: g.organisationId }).returning().get().id);
  }
  // Through the app's own functions: a visit approved for today (it can be completed), one approved for
  // next week at a public venue (to be edited), and a roaming session the city agreed (on /schedule).
  const g3 = groupVisit(f, { status: "screening", date: TODAY, from: "09:00", to: "10:00" });
  const g4 = groupVisit(f, { status: "screening", date: null });
  const placed = scheduleVisit({ visitId: g4.visitId, date: "2026-12-10", startTime: "10:00", endTime: "12:00", venueId: f.venueId, expectedApplicants: 25, mode: "accept", thenSubmit: true, now: NOW }, f.staff);
  expect(placed).toMatchObject({ ok: true, status: "awaiting_city" });
  expect(applyTransition({ visitId: g3.visitId, transition: "submit_for_approval", actor: f.staff, now: NOW })).toMatchObject({ ok: true });
  for (const g of [g3, g4]) expect(applyTransition({ visitId: g.visitId, transition: "approve", actor: f.city, now: NOW })).toMatchObject({ ok: true, status: "approved" });
  expect(createSession({ kind: "roaming", mode: "support", venueId: ids.publicVenue2, date: "2026-12-15", startsAt: "10:00", endsAt: "14:00", now: NOW }, f.staff)).toMatchObject({ ok: true });
  expect(agreeMonthSchedule({ month: "2026-12", user: f.city, now: NOW })).toMatchObject({ ok: true, count: 1 });
  expect(db.select().from(vehicles).all()).toHaveLength(1);
  expect(todayInTokyo(NOW)).toBe(TODAY);
  closeDb(); // checkpoints the WAL into the file, so a plain copy is complete
});
afterAll(() => ctx.cleanup());

let runNo = 0;
function freshCopy(): string {
  runNo += 1;
  const file = path.join(ctx.dir, `run-${runNo}.db`);
  fs.copyFileSync(template, file);
  process.env.DATABASE_URL = file;
  return file;
}
function dropCopy(file: string) {
  closeDb();
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
}

// ---- Reading the database ----
type VisitRow = {
  id: number;
  kind: VisitKind;
  status: VisitStatus;
  mode: VisitMode;
  organisation_id: number | null;
  vehicle_id: number | null;
  venue_id: number | null;
  date: string | null;
  starts_at: string | null;
  ends_at: string | null;
  hold_starts_at: string | null;
  hold_ends_at: string | null;
  expected_applicants: number | null;
  version: number;
};
const all = <T,>(sql: string, ...params: unknown[]) => getDb().$client.prepare(sql).all(...params) as T[];
const visitRows = () => all<VisitRow>("select * from visits order by id");
const TABLES = ["visits", "approvals", "audit_log", "email_outbox", "activities", "venues", "organisations", "visit_requests", "settings", "visit_results", "visit_result_history", "inquiries"];
const dumpAll = () => Object.fromEntries(TABLES.map((t) => [t, all(`select * from ${t} order by rowid`)]));

function shiftMinutes(local: string, minutes: number): string {
  const d = new Date(`${local}:00Z`);
  d.setUTCMinutes(d.getUTCMinutes() + minutes);
  return d.toISOString().slice(0, 16);
}
function hhmm(halfHours: number, plusMinutes = 0) {
  const total = halfHours * 30 + plusMinutes;
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(((total % 60) + 60) % 60).padStart(2, "0")}`;
}
const halfHoursOf = (local: string) => Number(local.slice(11, 13)) * 2 + Number(local.slice(14, 16)) / 30;
const minutesBetween = (a: string, b: string) => (new Date(`${b}:00Z`).getTime() - new Date(`${a}:00Z`).getTime()) / 60_000;
const isWeekendOrHoliday = (ymd: string) => [0, 6].includes(weekday(ymd)) || isNationalHoliday(ymd);

// ---- Running a command ----
const users = (): Record<Role, SessionUser> => ({ admin: f.admin, manager: f.manager, outreach: f.staff, city: f.city });

function pickVisit(n: number, rows: VisitRow[], kind?: "group"): VisitRow | undefined {
  const pool = kind ? rows.filter((r) => r.kind === kind) : rows;
  return pool.length ? pool[n % pool.length] : undefined;
}
function versionOf(choice: VersionChoice, v: VisitRow): number | undefined {
  return choice === "none" ? undefined : choice === "current" ? v.version : v.version - 1;
}

function run(cmd: Command): { ok: boolean } {
  const rows = visitRows();
  const u = users();
  switch (cmd.op) {
    case "advance": {
      const v = pickVisit(cmd.visit, rows)!;
      const next = NEXT[v.status][cmd.branch % NEXT[v.status].length];
      if (next.name === "agree") return agreeMonthSchedule({ month: v.date!.slice(0, 7), user: u.city, now: NOW });
      if (next.name === "results") {
        const version = all<{ version: number }>("select version from visit_results where visit_id = ?", v.id)[0]?.version ?? 0;
        const counts = { acceptCount: v.mode === "accept" ? 10 + version : 0, supportOnlineCount: 3, supportMailCount: 1, supportMailOutOfCityCount: 1 };
        return recordResults({ visitId: v.id, ...counts, expectedVersion: version }, u[next.actor as Role], { now: NOW });
      }
      const actor = next.actor === "organisation" ? { role: "organisation" as const } : u[next.actor];
      return applyTransition({ visitId: v.id, transition: next.name, actor, comment: "日程の都合", expectedVersion: v.version, now: NOW });
    }
    case "transition": {
      const v = pickVisit(cmd.visit, rows)!;
      const actor = cmd.actor === "organisation" ? { role: "organisation" as const } : u[cmd.actor];
      return applyTransition({ visitId: v.id, transition: cmd.name, actor, comment: cmd.comment, expectedVersion: versionOf(cmd.version, v), now: NOW });
    }
    case "schedule": {
      const approved = rows.filter((r) => r.kind === "group" && r.status === "approved");
      const v = cmd.approvedFirst && approved.length ? approved[cmd.visit % approved.length] : pickVisit(cmd.visit, rows, "group")!;
      // What the form shows (a visit without a date yet: next week, 10:00–12:00), with the edit applied.
      const e = cmd.edit;
      const date = e.dayOffset !== undefined ? addDays(TODAY, e.dayOffset) : (v.date ?? addDays(TODAY, 7));
      const startHalfHours = e.start ?? (v.starts_at ? halfHoursOf(v.starts_at) : 20);
      const minutes = e.minutes ?? (v.starts_at && v.ends_at ? minutesBetween(v.starts_at, v.ends_at) : 120);
      const current = v.expected_applicants ?? 20;
      const expectedApplicants = !e.headcount || e.headcount === "keep" ? current : "abs" in e.headcount ? e.headcount.abs : Math.round(current * e.headcount.factor);
      const otherOrg = [...ids.orgSites.keys()].find((o) => o !== v.organisation_id)!;
      const venue =
        e.venue === undefined
          ? { venueId: v.venue_id ?? undefined }
          : e.venue === "typed"
            ? { venueText: "公民館 大ホール" }
            : {
                venueId: {
                  public: ids.publicVenue,
                  public2: ids.publicVenue2,
                  inactive: ids.inactiveVenue,
                  ownSite: ids.orgSites.get(v.organisation_id!)!,
                  otherSite: ids.orgSites.get(otherOrg)!,
                }[e.venue],
              };
      return scheduleVisit(
        {
          visitId: v.id,
          date,
          startTime: hhmm(startHalfHours),
          endTime: hhmm(startHalfHours, minutes),
          ...venue,
          expectedApplicants,
          mode: e.mode ?? v.mode,
          expectedVersion: versionOf(cmd.version, v),
          thenSubmit: cmd.thenSubmit,
          now: NOW,
        },
        u[cmd.actor],
      );
    }
    case "drag": {
      const v = pickVisit(cmd.visit, rows)!;
      const date = addDays(TODAY, cmd.times.dayOffset);
      return rescheduleVisit({ visitId: v.id, startsAt: `${date}T${hhmm(cmd.times.start)}`, endsAt: `${date}T${hhmm(cmd.times.start, cmd.times.minutes)}`, now: NOW }, u[cmd.actor]);
    }
    case "session": {
      const date = addDays(TODAY, cmd.times.dayOffset);
      const venueId = cmd.venue === "public" ? ids.publicVenue : cmd.venue === "public2" ? ids.publicVenue2 : [...ids.orgSites.values()][0];
      return createSession({ kind: cmd.kind, mode: cmd.mode, venueId, date, startsAt: hhmm(cmd.times.start), endsAt: hhmm(cmd.times.start, cmd.times.minutes), now: NOW }, u[cmd.actor]);
    }
    case "agree":
      return agreeMonthSchedule({ month: cmd.month, user: u[cmd.actor], comment: "了承します", now: NOW });
  }
}

// ---- The invariants ----
function checkInvariants(opened: string[], percent: number) {
  const rows = visitRows();
  const venueOwner = new Map(all<{ id: number; organisation_id: number | null }>("select id, organisation_id from venues").map((v) => [v.id, v.organisation_id]));

  for (const v of rows) {
    const label = `visit #${v.id} (${v.kind}, ${v.status}, ${v.starts_at}–${v.ends_at}, hold ${v.hold_starts_at}–${v.hold_ends_at})`;
    // The car is held exactly while the state holds it, for the visit's own times plus the buffers.
    const shouldHold = HOLDS_CAR[v.kind].includes(v.status);
    expect(v.hold_starts_at !== null, `${label}: car hold present`).toBe(shouldHold);
    if (shouldHold) {
      expect(v.vehicle_id, `${label}: vehicle`).not.toBeNull();
      expect([v.hold_starts_at, v.hold_ends_at], `${label}: hold = times ± buffers`).toEqual([shiftMinutes(v.starts_at!, -BUFFER_MINUTES), shiftMinutes(v.ends_at!, BUFFER_MINUTES)]);
    }
    // Nothing that holds the car or is confirmed sits on a closed year-end day.
    if ((shouldHold || CONFIRMED.includes(v.status)) && v.date && CLOSURE_DAYS.includes(v.date)) {
      expect(opened, `${label}: on the year-end closure`).toContain(v.date);
    }
    // Base-facility sessions only on weekends and national holidays.
    if (v.kind === "base" && v.date) expect(isWeekendOrHoliday(v.date), `${label}: base session on a weekday`).toBe(true);
    // Venues: sessions only at public venues; group visits at public venues or their own organisation's.
    if (v.venue_id != null) {
      const owner = venueOwner.get(v.venue_id) ?? null;
      if (v.kind === "group") expect([null, v.organisation_id], `${label}: at another organisation's venue`).toContain(owner);
      else expect(owner, `${label}: session at an organisation's venue`).toBeNull();
    }
    // Completed exactly when the day's results are recorded (entering them is what completes a visit).
    const results = all<{ n: number }>("select count(*) n from visit_results where visit_id = ?", v.id)[0].n;
    expect(results, `${label}: results rows`).toBe(v.status === "completed" ? 1 : 0);
    if (v.kind === "group" && v.expected_applicants != null) {
      expect(v.expected_applicants, `${label}: head-count`).toBeGreaterThanOrEqual(MIN_APPLICANTS);
      expect(v.expected_applicants, `${label}: head-count`).toBeLessThanOrEqual(MAX_APPLICANTS);
    }
  }

  // No two holds of one car overlap.
  const holds = rows.filter((v) => v.hold_starts_at).sort((a, b) => a.hold_starts_at!.localeCompare(b.hold_starts_at!));
  for (let i = 0; i < holds.length; i++) {
    for (let j = i + 1; j < holds.length; j++) {
      const a = holds[i];
      const b = holds[j];
      if (a.vehicle_id !== b.vehicle_id) continue;
      const overlap = a.hold_starts_at! < b.hold_ends_at! && b.hold_starts_at! < a.hold_ends_at!;
      expect(overlap, `car holds of #${a.id} (${a.hold_starts_at}–${a.hold_ends_at}) and #${b.id} (${b.hold_starts_at}–${b.hold_ends_at}) overlap`).toBe(false);
    }
  }

  // An approved group visit is what the city last approved (head-count within the allowed share).
  for (const v of rows.filter((r) => r.kind === "group" && r.status === "approved")) {
    const decision = all<{ snapshot: string }>("select snapshot from approvals where visit_id = ? and decision = 'approved' order by decided_at desc, id desc limit 1", v.id)[0];
    expect(decision, `approved visit #${v.id} without an approval`).toBeDefined();
    const snap = JSON.parse(decision.snapshot) as { date: string; startsAt: string; endsAt: string; venueId: number | null; mode: VisitMode; expectedApplicants: number };
    expect({ date: v.date, startsAt: v.starts_at, endsAt: v.ends_at, venueId: v.venue_id, mode: v.mode }, `approved visit #${v.id} differs from what the city approved`).toEqual({
      date: snap.date,
      startsAt: snap.startsAt,
      endsAt: snap.endsAt,
      venueId: snap.venueId ?? null,
      mode: snap.mode,
    });
    const drift = Math.abs((v.expected_applicants ?? 0) - snap.expectedApplicants);
    expect(drift * 100, `approved visit #${v.id}: head-count ${snap.expectedApplicants} → ${v.expected_applicants} beyond ${percent}%`).toBeLessThanOrEqual(percent * snap.expectedApplicants);
  }

  // /schedule lists exactly the agreed, upcoming sessions at public venues: never a group visit, never a private venue.
  const listed = listPublicSessions({ from: TODAY }).map((s) => s.id).sort((a, b) => a - b);
  const expected = rows
    .filter((v) => v.kind !== "group" && v.status === "agreed" && v.date! >= TODAY && v.venue_id != null && venueOwner.get(v.venue_id) == null)
    .map((v) => v.id);
  expect(listed, "public schedule").toEqual(expected);
}

describe("visit rules hold under random sequences of steps by random roles", () => {
  it(
    `keeps every invariant (seed ${SEED}, ${RUNS} runs × up to ${MAX_STEPS} steps)`,
    () => {
      const stats = { ok: 0, refused: 0, okByOp: {} as Record<string, number>, seen: new Set<string>(), editedApproved: 0, sentBack: 0 };
      fc.assert(
        fc.property(scenario, ({ opened, percent, steps }) => {
          const file = freshCopy();
          try {
            writeTransaction((tx) => saveSettings(tx, { openedDates: opened, headcountReapprovalPercent: percent }, f.admin.id));
            checkInvariants(opened, percent);
            for (const [i, cmd] of steps.entries()) {
              const before = dumpAll();
              const wasApproved = cmd.op === "schedule" || cmd.op === "drag" ? visitRows().filter((v) => v.status === "approved").map((v) => v.id) : [];
              const result = run(cmd);
              if (result.ok && wasApproved.length) {
                const now = new Map(visitRows().map((v) => [v.id, v.status]));
                for (const id of wasApproved) {
                  if (now.get(id) === "awaiting_city") stats.sentBack += 1;
                }
                if ("status" in result && result.status === "approved") stats.editedApproved += 1;
              }
              if (DEBUG) console.log(i, JSON.stringify(cmd), JSON.stringify(result));
              if (result.ok) stats.ok += 1;
              if (result.ok) stats.okByOp[cmd.op] = (stats.okByOp[cmd.op] ?? 0) + 1;
              else {
                stats.refused += 1;
                // A refused step changes nothing at all.
                expect(dumpAll(), `step ${i} ${JSON.stringify(cmd)} was refused but changed the database`).toEqual(before);
              }
              for (const v of visitRows()) stats.seen.add(`${v.kind === "group" ? "group" : "session"}:${v.status}`);
              try {
                checkInvariants(opened, percent);
              } catch (error) {
                throw new Error(`after step ${i} ${JSON.stringify(cmd)} → ${JSON.stringify(result)}:\n${(error as Error).message}`);
              }
            }
          } finally {
            dropCopy(file);
          }
        }),
        // PROPERTY_PATH (printed with the seed on failure) replays just the failing case.
        { seed: SEED, numRuns: RUNS, ...(process.env.PROPERTY_PATH ? { path: process.env.PROPERTY_PATH } : {}) },
      );
      // The generator must actually reach the interesting states, or the property proves little.
      console.log(`visit properties: ${stats.ok} steps accepted, ${stats.refused} refused; accepted by kind ${JSON.stringify(stats.okByOp)}; states reached ${[...stats.seen].sort().join(", ")}; approved visits edited and still approved ${stats.editedApproved}, sent back to the city ${stats.sentBack}`);
      expect(stats.ok).toBeGreaterThan(RUNS);
      expect(stats.refused).toBeGreaterThan(RUNS);
      expect(stats.editedApproved).toBeGreaterThan(RUNS / 4);
      expect(stats.sentBack).toBeGreaterThan(RUNS / 4);
      expect(Object.keys(stats.okByOp).sort()).toEqual(["advance", "agree", "drag", "schedule", "session", "transition"]);
      for (const state of ["group:awaiting_city", "group:changes_requested", "group:approved", "group:completed", "group:cancelled", "group:declined", "session:planned", "session:agreed", "session:cancelled"]) {
        expect([...stats.seen], `no run reached ${state}`).toContain(state);
      }
    },
    120_000,
  );
});
