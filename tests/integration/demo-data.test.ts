import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, migrateDatabase, type Db } from "../../app/db.server";
import { verifyPassword } from "../../app/auth.server";
import { addMinutesLocal, isNationalHoliday, isWeekend, isYearEndClosure } from "../../app/lib/dates";
import { dayRefusal } from "../../app/visits/booking";
import { holdsCar, reapprovalFor, statesOf, type ApprovalSnapshot } from "../../app/visits/lifecycle";
import { SETTINGS_SCHEMA } from "../../app/settings";
import { STAGES, type VisitKind, type VisitMode, type VisitStatus } from "../../db/schema";
import { loadDemoData } from "../../db/demo/seed";

const TODAY = "2026-11-22";

let dir: string;
let db: Db;

function all<T = Record<string, unknown>>(sqlText: string, ...params: unknown[]): T[] {
  return db.$client.prepare(sqlText).all(...params) as T[];
}
function one<T = Record<string, unknown>>(sqlText: string, ...params: unknown[]): T {
  return db.$client.prepare(sqlText).get(...params) as T;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "demado-demo-"));
  // Site photos are stored beside the database the app is configured with: this one.
  process.env.DATABASE_URL = path.join(dir, "demo.db");
  db = openDatabase(path.join(dir, "demo.db"));
  migrateDatabase(db);
  await loadDemoData(db, { today: TODAY });
});

afterAll(() => {
  db?.$client.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("demo data", () => {
  it("has the four demo accounts of the contract, with their roles and the demo password", async () => {
    const rows = all<{ email: string; role: string; password_hash: string; active: number }>(
      "select email, role, password_hash, active from users",
    );
    const byEmail = new Map(rows.map((r) => [r.email, r]));
    expect(byEmail.get("admin@demo.example")?.role).toBe("admin");
    expect(byEmail.get("manager@demo.example")?.role).toBe("manager");
    expect(byEmail.get("outreach@demo.example")?.role).toBe("outreach");
    expect(byEmail.get("city@demo.example")?.role).toBe("city");
    for (const r of rows) expect(r.active).toBe(1);
    expect(await verifyPassword(byEmail.get("city@demo.example")!.password_hash, "demo-pass-2026")).toBe(true);
  });

  it("has one active program whose period contains today and the year-end", () => {
    const programs = all<{ starts_on: string; ends_on: string; fiscal_year: number; active: number }>("select * from programs");
    expect(programs).toHaveLength(1);
    const p = programs[0];
    expect(p.active).toBe(1);
    expect(p.fiscal_year).toBe(2026);
    expect(p.starts_on <= TODAY && TODAY <= p.ends_on).toBe(true);
    expect(p.ends_on >= "2027-01-03").toBe(true);
  });

  it("has a group visit in every status of the group lifecycle", () => {
    const statuses = all<{ status: string }>("select distinct status from visits where kind = 'group'").map((r) => r.status);
    for (const s of ["requested", "screening", "awaiting_city", "changes_requested", "approved", "completed", "declined", "cancelled"]) {
      expect(statuses, s).toContain(s);
    }
    // every group visit comes from a request with a sequential receipt number
    const orphans = one<{ n: number }>("select count(*) n from visits where kind = 'group' and request_id is null");
    expect(orphans.n).toBe(0);
    const receipts = all<{ receipt_no: string }>("select receipt_no from visit_requests order by receipt_no").map((r) => r.receipt_no);
    expect(receipts[0]).toBe("G-2026-0001");
    expect(receipts.at(-1)).toBe(`G-2026-${String(receipts.length).padStart(4, "0")}`);
  });

  it("has group, roaming and base sessions, past and upcoming", () => {
    const kinds = all<{ kind: string }>("select distinct kind from visits").map((r) => r.kind);
    expect(kinds.sort()).toEqual(["base", "group", "roaming"]);
    for (const kind of ["roaming", "base"]) {
      expect(one<{ n: number }>("select count(*) n from visits where kind = ? and status = 'completed'", kind).n).toBeGreaterThan(5);
      expect(one<{ n: number }>("select count(*) n from visits where kind = ? and date > ? and status in ('agreed','planned')", kind, TODAY).n).toBeGreaterThan(3);
    }
    // base sessions never use the car; some are in 受付方式
    expect(one<{ n: number }>("select count(*) n from visits where kind = 'base' and vehicle_id is not null").n).toBe(0);
    expect(one<{ n: number }>("select count(*) n from visits where kind = 'base' and mode = 'accept'").n).toBeGreaterThan(0);
  });

  it("never books the car twice at the same time", () => {
    const overlaps = all(
      `select a.id, b.id from visits a join visits b
         on a.vehicle_id = b.vehicle_id and a.id < b.id
        and a.hold_starts_at < b.hold_ends_at and b.hold_starts_at < a.hold_ends_at`,
    );
    expect(overlaps).toEqual([]);
    // Not vacuous: many holds exist.
    expect(one<{ n: number }>("select count(*) n from visits where hold_starts_at is not null").n).toBeGreaterThan(10);
  });

  it("holds base-facility sessions only on Saturdays, Sundays and national holidays", () => {
    const dates = all<{ date: string }>("select date from visits where kind = 'base'").map((r) => r.date);
    expect(dates.length).toBeGreaterThan(10);
    for (const d of dates) expect(isWeekend(d) || isNationalHoliday(d), d).toBe(true);
  });

  it("has a result for every completed visit, and none for the others", () => {
    const missing = one<{ n: number }>(
      "select count(*) n from visits v where v.status = 'completed' and not exists (select 1 from visit_results r where r.visit_id = v.id)",
    );
    expect(missing.n).toBe(0);
    const extra = one<{ n: number }>(
      "select count(*) n from visit_results r join visits v on v.id = r.visit_id where v.status <> 'completed'",
    );
    expect(extra.n).toBe(0);
    const future = one<{ n: number }>("select count(*) n from visits where status = 'completed' and date >= ?", TODAY);
    expect(future.n).toBe(0);
  });

  it("has organisations in every pipeline stage and of every kind", () => {
    const stages = all<{ stage: string }>("select distinct stage from organisations").map((r) => r.stage);
    for (const s of STAGES) expect(stages, s).toContain(s);
    const kinds = all<{ kind: string }>("select distinct kind from organisations").map((r) => r.kind);
    expect(kinds.sort()).toEqual(["company", "medical", "neighbourhood", "other", "school", "welfare"]);
    const lostWithoutReason = one<{ n: number }>("select count(*) n from organisations where stage = 'lost' and (lost_reason is null or lost_at_stage is null)");
    expect(lostWithoutReason.n).toBe(0);
    const overdue = one<{ n: number }>("select count(*) n from organisations where next_action_on < ?", TODAY);
    expect(overdue.n).toBeGreaterThan(0);
  });

  type VisitRow = {
    id: number;
    kind: VisitKind;
    status: VisitStatus;
    mode: VisitMode;
    date: string | null;
    starts_at: string | null;
    ends_at: string | null;
    venue_id: number | null;
    venue: string | null;
    expected_applicants: number | null;
    vehicle_id: number | null;
    hold_starts_at: string | null;
    hold_ends_at: string | null;
    status_reason: string | null;
  };
  const visitRows = () =>
    all<VisitRow>(
      `select v.*, coalesce(ve.name, r.venue_text) venue from visits v
         left join venues ve on ve.id = v.venue_id left join visit_requests r on r.id = v.request_id order by v.id`,
    );

  it("holds the car for exactly the visits whose state holds it, with the buffers of the settings", () => {
    // Defaults: 30 min set-up + 30 min travel before, 30 min tear-down + 30 min travel after.
    const rows = visitRows();
    const holding = rows.filter((v) => holdsCar(v.kind, v.status));
    // The demo has held visits in every holding state (awaiting_city, changes_requested, approved, planned, agreed).
    expect(new Set(holding.map((v) => v.status))).toEqual(new Set(["awaiting_city", "changes_requested", "approved", "planned", "agreed"]));
    for (const v of holding) {
      expect({ id: v.id, status: v.status, vehicle: v.vehicle_id !== null, from: v.hold_starts_at, to: v.hold_ends_at }).toEqual({
        id: v.id,
        status: v.status,
        vehicle: true,
        from: addMinutesLocal(v.starts_at!, -60),
        to: addMinutesLocal(v.ends_at!, 60),
      });
    }
    for (const v of rows.filter((x) => !holdsCar(x.kind, x.status))) {
      expect({ id: v.id, status: v.status, hold: v.hold_starts_at ?? v.hold_ends_at }).toEqual({ id: v.id, status: v.status, hold: null });
    }
  });

  it("has at least one item in every state of the lifecycle, for group visits and for each kind of session", () => {
    const present = (kind: VisitKind) => new Set(all<{ status: string }>("select distinct status from visits where kind = ?", kind).map((r) => r.status));
    expect([...present("group")].sort()).toEqual([...statesOf("group")].sort());
    expect([...present("roaming")].sort()).toEqual([...statesOf("session")].sort());
    expect([...present("base")].sort()).toEqual([...statesOf("session")].sort());
  });

  it("gives every approved or completed group visit the city's approval of exactly what it is (date, times, venue, mode)", () => {
    const settings = SETTINGS_SCHEMA.parse({});
    const confirmed = visitRows().filter((v) => v.kind === "group" && (v.status === "approved" || v.status === "completed"));
    expect(confirmed.length).toBeGreaterThan(5);
    for (const v of confirmed) {
      const last = one<{ snapshot: string } | undefined>(
        "select snapshot from approvals where visit_id = ? and decision = 'approved' order by decided_at desc, id desc limit 1",
        v.id,
      );
      expect(last, `visit ${v.id} (${v.status}) has an approval`).toBeDefined();
      const snap = JSON.parse(last!.snapshot) as ApprovalSnapshot;
      expect({ date: snap.date, startsAt: snap.startsAt, endsAt: snap.endsAt, venueId: snap.venueId, venue: snap.venue, mode: snap.mode }).toEqual({
        date: v.date,
        startsAt: v.starts_at,
        endsAt: v.ends_at,
        venueId: v.venue_id,
        venue: v.venue,
        mode: v.mode,
      });
      const now: ApprovalSnapshot = { date: v.date, startsAt: v.starts_at, endsAt: v.ends_at, venueId: v.venue_id, venue: v.venue ?? "", expectedApplicants: v.expected_applicants, mode: v.mode };
      expect(reapprovalFor(snap, now, settings).kind, `visit ${v.id}`).not.toBe("reapprove");
    }
  });

  it("keeps the city's comment on the visit it sent back or declined, and the reason of each cancellation", () => {
    for (const [status, decision] of [
      ["changes_requested", "changes_requested"],
      ["declined", "declined"],
    ] as const) {
      const rows = all<{ id: number; status_reason: string | null; comment: string | null }>(
        `select v.id, v.status_reason, (select a.comment from approvals a where a.visit_id = v.id and a.decision = ? order by a.id desc limit 1) comment
           from visits v where v.kind = 'group' and v.status = ?`,
        decision,
        status,
      );
      expect(rows.length, status).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.status_reason, `${status} ${r.id}`).toBeTruthy();
        expect(r.comment).toBe(r.status_reason);
      }
    }
    // One group visit cancelled by staff, one by the organisation on its status page.
    const cancels = all<{ action: string }>(
      `select distinct a.action from audit_log a join visits v on a.entity = 'visit' and a.entity_id = cast(v.id as text)
        where v.kind = 'group' and v.status = 'cancelled' and a.action in ('visit.cancel', 'visit.organisation_cancel')`,
    ).map((r) => r.action);
    expect(cancels.sort()).toEqual(["visit.cancel", "visit.organisation_cancel"]);
    const cancelledRequests = one<{ n: number }>(
      "select count(*) n from visits v join visit_requests r on r.id = v.request_id where v.status = 'cancelled' and r.cancelled_at is null",
    );
    expect(cancelledRequests.n).toBe(0);
  });

  it("puts sessions only at public venues, on days the day table allows, and nothing during the year-end closure", () => {
    const atPrivate = one<{ n: number }>(
      "select count(*) n from visits v join venues ve on ve.id = v.venue_id where v.kind in ('roaming','base') and ve.organisation_id is not null",
    );
    expect(atPrivate.n).toBe(0);
    // Group visits do use organisations' own sites, so the rule above is not vacuous.
    expect(one<{ n: number }>("select count(*) n from visits v join venues ve on ve.id = v.venue_id where v.kind = 'group' and ve.organisation_id is not null").n).toBeGreaterThan(0);
    const program = one<{ starts_on: string; ends_on: string }>("select starts_on, ends_on from programs");
    const days = { startsOn: program.starts_on, endsOn: program.ends_on, closedDates: [], openedDates: [] };
    for (const v of visitRows().filter((x) => x.date)) {
      expect(isYearEndClosure(v.date!), `visit ${v.id} on ${v.date}`).toBe(false);
      expect(dayRefusal(v.kind, v.date!, days), `visit ${v.id} (${v.kind}) on ${v.date}`).toBeNull();
    }
    // Roaming stops run on weekdays.
    for (const v of visitRows().filter((x) => x.kind === "roaming")) expect(isWeekend(v.date!) || isNationalHoliday(v.date!), `roaming ${v.id} on ${v.date}`).toBe(false);
  });

  it("agrees sessions a month at a time: each agreed or completed session is in its month's agreed schedule, and one month waits for the city", () => {
    const agreedMonths = all<{ schedule_month: string; snapshot: string }>("select schedule_month, snapshot from approvals where decision = 'agreed'");
    const agreedIds = new Set(agreedMonths.flatMap((m) => (JSON.parse(m.snapshot) as { sessions: { id: number }[] }).sessions.map((s) => s.id)));
    const confirmed = all<{ id: number }>("select id from visits where kind in ('roaming','base') and status in ('agreed','completed')");
    expect(confirmed.length).toBeGreaterThan(20);
    for (const v of confirmed) expect(agreedIds.has(v.id), `session ${v.id}`).toBe(true);
    // A month with planned sessions only, not agreed yet: the city's /city/schedule has work to do.
    const plannedOnly = all<{ month: string }>(
      `select substr(date, 1, 7) month from visits where kind in ('roaming','base') group by month
        having sum(status = 'planned') > 0 and sum(status in ('agreed','completed')) = 0`,
    );
    expect(plannedOnly.length).toBeGreaterThan(0);
    expect(agreedMonths.map((m) => m.schedule_month)).not.toContain(plannedOnly[0].month);
  });

  it("has sent organisations their emails (a receipt for every request) and leaves none waiting to go out", () => {
    const requests = one<{ n: number }>("select count(*) n from visit_requests").n;
    const receipts = one<{ n: number }>("select count(*) n from email_outbox where template = 'receipt'").n;
    expect(receipts).toBe(requests);
    expect(one<{ n: number }>("select count(*) n from email_outbox where template = 'confirmed'").n).toBeGreaterThan(5);
    // Demo addresses are fictional: nothing may be left for the worker to send.
    expect(one<{ n: number }>("select count(*) n from email_outbox where state <> 'sent'").n).toBe(0);
  });

  it("has the city's decisions: per visit and per agreed month", () => {
    const decisions = all<{ decision: string }>("select distinct decision from approvals").map((r) => r.decision);
    expect(decisions.sort()).toEqual(["agreed", "approved", "changes_requested", "declined"]);
    const months = all<{ schedule_month: string }>("select schedule_month from approvals where decision = 'agreed'").map((r) => r.schedule_month);
    expect(months).toContain("2026-11");
    expect(months).toContain("2026-12");
    const deciders = all<{ role: string }>("select distinct u.role from approvals a join users u on u.id = a.decided_by_id").map((r) => r.role);
    expect(deciders).toEqual(["city"]);
  });

  it("has tasks overdue, due today and done", () => {
    expect(one<{ n: number }>("select count(*) n from tasks where done_at is null and due_on < ?", TODAY).n).toBeGreaterThan(0);
    expect(one<{ n: number }>("select count(*) n from tasks where done_at is null and due_on = ?", TODAY).n).toBeGreaterThan(0);
    expect(one<{ n: number }>("select count(*) n from tasks where done_at is not null").n).toBeGreaterThan(0);
  });

  it("shows the day itself: completed sessions of every kind with results, rosters, kit, incidents, inquiries, PR and photos", () => {
    // Every kind has completed sessions, each with its results (entering them is what completes a visit).
    const done = all<{ kind: VisitKind; n: number; withResults: number }>(
      "select v.kind, count(*) as n, count(r.id) as withResults from visits v left join visit_results r on r.visit_id = v.id where v.status = 'completed' group by v.kind order by v.kind",
    );
    expect(done.map((d) => d.kind)).toEqual(["base", "group", "roaming"]);
    for (const d of done) expect(d.withResults, d.kind).toBe(d.n);
    // Every completed 受付方式 session had a city official checking identity documents, and a site lead.
    const acceptWithoutChecker = one<{ n: number }>(
      `select count(*) as n from visits v where v.status = 'completed' and v.mode = 'accept'
         and not exists (select 1 from roster_entries e where e.visit_id = v.id and e.role = 'id_checker')`,
    ).n;
    expect(acceptWithoutChecker).toBe(0);
    const withoutLead = one<{ n: number }>("select count(*) as n from visits v where v.status = 'completed' and not exists (select 1 from roster_entries e where e.visit_id = v.id and e.role = 'lead')").n;
    expect(withoutLead).toBe(0);
    // The staff list has people without accounts and city officials; one retired.
    const members = all<{ affiliation: string; account: number; active: number }>("select affiliation, user_id is not null as account, active from staff_members");
    expect(members.some((m) => m.affiliation === "city" && !m.account)).toBe(true);
    expect(members.some((m) => m.affiliation === "contractor" && !m.account)).toBe(true);
    expect(members.filter((m) => !m.active)).toHaveLength(1);
    // A serious incident still open (on Today and the city's home), and closed ones with their action taken.
    const open = all<{ severity: string }>("select severity from incidents where closed_at is null");
    expect(open.map((o) => o.severity).sort()).toEqual(["minor", "serious"]);
    expect(one<{ n: number }>("select count(*) as n from incidents where closed_at is not null and action_taken is not null").n).toBe(2);
    // Inquiries by every channel, each under a category of the settings.
    const categories = SETTINGS_SCHEMA.parse({}).inquiryCategories.map((c) => c.key);
    const inq = all<{ channel: string; topic: string }>("select channel, topic from inquiries");
    expect(new Set(inq.map((i) => i.channel))).toEqual(new Set(["site", "phone", "email", "counter"]));
    for (const i of inq) expect(categories, i.topic).toContain(i.topic);
    // PR done with the city's approval recorded before use, and planned items.
    const pr = all<{ status: string; approved: string | null; done: string | null }>("select status, city_approved_on as approved, done_on as done from pr_activities");
    expect(pr.filter((p) => p.status === "done").every((p) => p.approved != null && p.approved <= p.done!)).toBe(true);
    expect(pr.some((p) => p.status === "planned")).toBe(true);
    // Photos, stored as files beside the database.
    const photos = all<{ stored_path: string; thumb_path: string }>("select stored_path, thumb_path from site_photos");
    expect(photos.length).toBeGreaterThanOrEqual(6);
    for (const p of photos) {
      expect(fs.existsSync(path.join(dir, "photos", p.stored_path)), p.stored_path).toBe(true);
      expect(fs.existsSync(path.join(dir, "photos", p.thumb_path)), p.thumb_path).toBe(true);
    }
  });
});

describe("demo reports (issue 13)", () => {
  it("has the past reports submitted and mostly acknowledged, and leaves the reports due today or later to the manager", () => {
    const rows = all<{ kind: string; period_start: string; due_at: string; status: string }>("select kind, period_start, due_at, status from reports order by due_at");
    expect(rows.length).toBeGreaterThan(20);
    // Submitted before today only (TODAY is a Sunday: nothing due on it).
    expect(rows.every((r) => r.due_at.slice(0, 10) < TODAY)).toBe(true);
    expect(rows.filter((r) => r.status === "acknowledged").length).toBeGreaterThan(rows.length / 2);
    // The last ones wait for the city.
    expect(rows.at(-1)!.status).toBe("submitted");
    // Every day with completed sessions has its daily report, submitted once (their deadlines, by 11/20, are all past on Sunday 11/22).
    const days = all<{ date: string }>("select distinct date from visits where status = 'completed' order by date").map((d) => d.date);
    const daily = rows.filter((r) => r.kind === "daily").map((r) => r.period_start).sort();
    expect(daily).toEqual(days);
  });
});
