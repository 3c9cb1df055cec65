import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, migrateDatabase } from "../../app/db.server";
import { approvals, auditLog, organisations, programs, users, vehicles, visitResults, visits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";

let ctx: ReturnType<typeof useFreshDatabase>;
beforeAll(() => {
  ctx = useFreshDatabase();
});
afterAll(() => ctx.cleanup());

function seedBasics() {
  const db = getDb();
  const user = db.insert(users).values({ email: "c@x.jp", name: "市 職員", role: "city", passwordHash: "x" }).returning().get();
  const program = db.insert(programs).values({ name: "p", fiscalYear: 2026, startsOn: "2026-04-01", endsOn: "2027-03-31" }).returning().get();
  const org = db.insert(organisations).values({ name: "テスト町内会", searchKey: "テスト町内会", kind: "neighbourhood" }).returning().get();
  return { user, program, org };
}

describe("database from empty", () => {
  it("migrates an empty file and can migrate again without change", () => {
    const db = getDb();
    migrateDatabase(db);
    const tables = db.all<{ name: string }>(sql`select name from sqlite_master where type = 'table' order by name`).map((r) => r.name);
    for (const t of ["users", "sessions", "organisations", "visit_requests", "visits", "approvals", "visit_results", "email_outbox", "audit_log", "districts", "venues", "vehicles"]) {
      expect(tables).toContain(t);
    }
  });

  it("runs every connection with WAL, full sync, foreign keys and a busy timeout", () => {
    const client = getDb().$client;
    expect(client.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(client.pragma("synchronous", { simple: true })).toBe(2);
    expect(client.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(client.pragma("busy_timeout", { simple: true })).toBe(5000);
  });
});

/**
 * Run a write that must be refused, and return the database's message. The
 * tests below match the constraint's or trigger's own name, so a different
 * error (a missing foreign row, a typo in a column) fails the test instead of
 * passing it.
 */
function refusal(write: () => unknown): string {
  try {
    write();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the write was accepted, but the database should have refused it");
}

describe("schema constraints", () => {
  const base = seedBasics;
  let ids: ReturnType<typeof seedBasics>;
  let vehicleId: number;
  beforeAll(() => {
    ids = base();
    vehicleId = getDb().insert(vehicles).values({ name: "ラッピングカー1号" }).returning().get().id;
  });
  const session = (values: Partial<typeof visits.$inferInsert>) =>
    getDb()
      .insert(visits)
      .values({ programId: ids.program.id, kind: "roaming", mode: "support", status: "planned", title: "x", ...values })
      .run();

  it("refuses an unknown role (users_role_ck)", () => {
    expect(refusal(() => getDb().$client.prepare("insert into users (email, name, role, password_hash) values ('z@x.jp','z','superuser','x')").run())).toBe(
      "CHECK constraint failed: users_role_ck",
    );
    getDb().$client.prepare("insert into users (email, name, role, password_hash) values ('z@x.jp','z','outreach','x')").run();
  });

  it("refuses a duplicate email (users_email_uq)", () => {
    expect(refusal(() => getDb().insert(users).values({ email: "c@x.jp", name: "dup", role: "admin", passwordHash: "x" }).run())).toBe(
      "UNIQUE constraint failed: users.email",
    );
    getDb().insert(users).values({ email: "d@x.jp", name: "other", role: "admin", passwordHash: "x" }).run();
  });

  it("refuses a base-facility session with a car (visits_base_no_car_ck)", () => {
    // The car exists, so only the base-facility rule can refuse this row.
    expect(refusal(() => session({ kind: "base", vehicleId }))).toBe("CHECK constraint failed: visits_base_no_car_ck");
    session({ kind: "roaming", vehicleId });
    session({ kind: "base", vehicleId: null });
  });

  it("refuses a visit that ends before it starts (visits_times_ck), and a car hold that does (visits_hold_ck)", () => {
    expect(refusal(() => session({ startsAt: "2026-12-01T12:00", endsAt: "2026-12-01T10:00" }))).toBe("CHECK constraint failed: visits_times_ck");
    expect(refusal(() => session({ startsAt: "2026-12-01T10:00", endsAt: "2026-12-01T10:00" }))).toBe("CHECK constraint failed: visits_times_ck");
    expect(refusal(() => session({ vehicleId, holdStartsAt: "2026-12-01T13:00", holdEndsAt: "2026-12-01T09:00" }))).toBe("CHECK constraint failed: visits_hold_ck");
    session({ startsAt: "2026-12-01T10:00", endsAt: "2026-12-01T12:00", vehicleId, holdStartsAt: "2026-12-01T09:00", holdEndsAt: "2026-12-01T13:00" });
  });

  it("refuses an unknown status or kind (visits_status_ck, visits_kind_ck)", () => {
    expect(refusal(() => session({ status: "teleported" as never }))).toBe("CHECK constraint failed: visits_status_ck");
    expect(refusal(() => session({ kind: "drone" as never }))).toBe("CHECK constraint failed: visits_kind_ck");
  });

  it("refuses a group visit without an organisation (visits_group_org_ck) and a visit pointing at a missing program (foreign key)", () => {
    const db = getDb();
    expect(refusal(() => db.insert(visits).values({ programId: ids.program.id, kind: "group", mode: "accept", status: "requested", title: "x" }).run())).toBe(
      "CHECK constraint failed: visits_group_org_ck",
    );
    db.insert(visits).values({ programId: ids.program.id, kind: "group", organisationId: ids.org.id, mode: "accept", status: "requested", title: "x" }).run();
    // SQLite does not name foreign keys in its message, but says which kind of constraint refused.
    expect(refusal(() => session({ programId: 999 }))).toBe("FOREIGN KEY constraint failed");
  });

  it("refuses results whose residence split does not add up to the applications (visit_results_residence_ck)", () => {
    const db = getDb();
    const v = db.insert(visits).values({ programId: ids.program.id, kind: "roaming", mode: "support", status: "completed", title: "x" }).returning().get();
    expect(refusal(() => db.insert(visitResults).values({ visitId: v.id, supportOnlineCount: 5, inCityCount: 3, outOfCityCount: 1 }).run())).toBe(
      "CHECK constraint failed: visit_results_residence_ck",
    );
    expect(refusal(() => db.insert(visitResults).values({ visitId: v.id, supportOnlineCount: -1, inCityCount: -1, outOfCityCount: 0 }).run())).toBe(
      "CHECK constraint failed: visit_results_counts_ck",
    );
    db.insert(visitResults).values({ visitId: v.id, supportOnlineCount: 5, inCityCount: 4, outOfCityCount: 1 }).run();
  });

  it("keeps approvals and the audit log append-only (approvals_no_update/_no_delete, audit_log_no_update/_no_delete triggers)", () => {
    const db = getDb();
    const v = db.insert(visits).values({ programId: ids.program.id, kind: "group", organisationId: ids.org.id, mode: "accept", status: "approved", title: "x" }).returning().get();
    const a = db.insert(approvals).values({ visitId: v.id, decision: "approved", decidedById: ids.user.id }).returning().get();
    expect(refusal(() => db.update(approvals).set({ decision: "declined" }).where(sql`id = ${a.id}`).run())).toBe("approvals are append-only");
    expect(refusal(() => db.delete(approvals).run())).toBe("approvals are append-only");
    const log = db.insert(auditLog).values({ action: "test" }).returning().get();
    expect(refusal(() => db.update(auditLog).set({ action: "rewritten" }).where(sql`id = ${log.id}`).run())).toBe("audit_log is append-only");
    expect(refusal(() => db.delete(auditLog).run())).toBe("audit_log is append-only");
    expect(db.select().from(approvals).where(sql`id = ${a.id}`).get()!.decision).toBe("approved");
  });

  it("makes an approval name either a visit or a schedule month, not both (approvals_target_ck)", () => {
    const db = getDb();
    expect(refusal(() => db.insert(approvals).values({ decision: "agreed", decidedById: ids.user.id }).run())).toBe("CHECK constraint failed: approvals_target_ck");
    const v = db.insert(visits).values({ programId: ids.program.id, kind: "roaming", mode: "support", status: "agreed", title: "x" }).returning().get();
    expect(refusal(() => db.insert(approvals).values({ visitId: v.id, scheduleMonth: "2026-12", decision: "agreed", decidedById: ids.user.id }).run())).toBe(
      "CHECK constraint failed: approvals_target_ck",
    );
    db.insert(approvals).values({ scheduleMonth: "2026-12", decision: "agreed", decidedById: ids.user.id }).run();
  });

  it("refusal() itself fails when the write is accepted", () => {
    expect(() => refusal(() => undefined)).toThrow("the write was accepted");
  });
});
