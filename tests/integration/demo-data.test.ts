import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, migrateDatabase, type Db } from "../../app/db.server";
import { verifyPassword } from "../../app/auth.server";
import { isNationalHoliday, isWeekend } from "../../app/lib/dates";
import { STAGES } from "../../db/schema";
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
    // awaiting_city and approved group visits hold the car
    const unheld = one<{ n: number }>(
      "select count(*) n from visits where kind = 'group' and status in ('awaiting_city','approved') and (hold_starts_at is null or vehicle_id is null)",
    );
    expect(unheld.n).toBe(0);
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
});
