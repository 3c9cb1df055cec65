import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, migrateDatabase } from "../../app/db.server";
import { approvals, auditLog, organisations, programs, users, visitResults, visits } from "../../db/schema";
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

describe("schema constraints", () => {
  const base = seedBasics;
  let ids: ReturnType<typeof seedBasics>;
  beforeAll(() => {
    ids = base();
  });

  it("refuses an unknown role", () => {
    expect(() => getDb().$client.prepare("insert into users (email, name, role, password_hash) values ('z@x.jp','z','superuser','x')").run()).toThrow(/CHECK/);
  });

  it("refuses a duplicate email", () => {
    expect(() => getDb().insert(users).values({ email: "c@x.jp", name: "dup", role: "admin", passwordHash: "x" }).run()).toThrow(/UNIQUE/);
  });

  it("refuses a base-facility session with a car, and a visit that ends before it starts", () => {
    const db = getDb();
    expect(() =>
      db.insert(visits).values({ programId: ids.program.id, kind: "base", mode: "support", status: "planned", title: "x", vehicleId: 1 }).run(),
    ).toThrow();
    expect(() =>
      db
        .insert(visits)
        .values({ programId: ids.program.id, kind: "roaming", mode: "support", status: "planned", title: "x", startsAt: "2026-12-01T12:00", endsAt: "2026-12-01T10:00" })
        .run(),
    ).toThrow(/CHECK/);
  });

  it("refuses a group visit without an organisation and a visit pointing at a missing program", () => {
    const db = getDb();
    expect(() => db.insert(visits).values({ programId: ids.program.id, kind: "group", mode: "accept", status: "requested", title: "x" }).run()).toThrow(/CHECK/);
    expect(() => db.insert(visits).values({ programId: 999, kind: "roaming", mode: "support", status: "planned", title: "x" }).run()).toThrow(/FOREIGN KEY/);
  });

  it("refuses results whose residence split does not add up to the applications", () => {
    const db = getDb();
    const v = db.insert(visits).values({ programId: ids.program.id, kind: "roaming", mode: "support", status: "completed", title: "x" }).returning().get();
    expect(() => db.insert(visitResults).values({ visitId: v.id, supportOnlineCount: 5, inCityCount: 3, outOfCityCount: 1 }).run()).toThrow(/CHECK/);
    db.insert(visitResults).values({ visitId: v.id, supportOnlineCount: 5, inCityCount: 4, outOfCityCount: 1 }).run();
  });

  it("keeps approvals and the audit log append-only", () => {
    const db = getDb();
    const v = db.insert(visits).values({ programId: ids.program.id, kind: "group", organisationId: ids.org.id, mode: "accept", status: "approved", title: "x" }).returning().get();
    const a = db.insert(approvals).values({ visitId: v.id, decision: "approved", decidedById: ids.user.id }).returning().get();
    expect(() => db.update(approvals).set({ decision: "declined" }).where(sql`id = ${a.id}`).run()).toThrow(/append-only/);
    expect(() => db.delete(approvals).run()).toThrow(/append-only/);
    db.insert(auditLog).values({ action: "test" }).run();
    expect(() => db.delete(auditLog).run()).toThrow(/append-only/);
  });

  it("makes an approval name either a visit or a schedule month, not both", () => {
    const db = getDb();
    expect(() => db.insert(approvals).values({ decision: "agreed", decidedById: ids.user.id }).run()).toThrow(/CHECK/);
    db.insert(approvals).values({ scheduleMonth: "2026-12", decision: "agreed", decidedById: ids.user.id }).run();
  });
});
