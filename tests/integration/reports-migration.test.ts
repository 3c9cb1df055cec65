/** Migration 0007 turns the old one-row-per-period reports into version 1 of each, drafts or submitted. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../app/db.server";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demado-0007-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("migration 0007 (report versions)", () => {
  it("keeps old reports as version 1: submitted when they had a body and a time, drafts otherwise", () => {
    // The migrations folder as it was before 0007.
    const before = path.join(dir, "migrations");
    fs.cpSync(path.resolve("db/migrations"), before, { recursive: true });
    const journalFile = path.join(before, "meta/_journal.json");
    const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: { tag: string }[] };
    const at = journal.entries.findIndex((e) => e.tag.startsWith("0007_"));
    expect(at).toBeGreaterThan(0);
    journal.entries = journal.entries.slice(0, at);
    fs.writeFileSync(journalFile, JSON.stringify(journal));

    const db = openDatabase(path.join(dir, "old.db"));
    migrate(db, { migrationsFolder: before });
    const c = db.$client;
    c.exec(`insert into users(email, name, role, password_hash) values ('m@t.jp', 'm', 'manager', 'x')`);
    c.exec(`insert into programs(name, fiscal_year, starts_on, ends_on) values ('p', 2026, '2026-04-01', '2027-03-31')`);
    c.exec(`insert into reports(program_id, kind, period_start, period_end, due_at, body, submitted_at, submitted_by_id)
            values (1, 'daily', '2026-12-04', '2026-12-04', '2026-12-07T18:00', '{"kind":"daily"}', '2026-12-07T00:00:00.000Z', 1),
                   (1, 'monthly', '2026-11-01', '2026-11-30', '2026-12-10T23:59', null, null, null)`);

    migrate(db, { migrationsFolder: path.resolve("db/migrations") });
    const rows = c.prepare("select kind, version, status, body, submitted_at, submitted_by_id, updated_at is not null as u from reports order by id").all();
    expect(rows).toEqual([
      { kind: "daily", version: 1, status: "submitted", body: '{"kind":"daily"}', submitted_at: "2026-12-07T00:00:00.000Z", submitted_by_id: 1, u: 1 },
      { kind: "monthly", version: 1, status: "draft", body: null, submitted_at: null, submitted_by_id: null, u: 1 },
    ]);
    // The migrated submitted row is frozen like any other.
    expect(() => c.prepare("update reports set body = '{}' where kind = 'daily'").run()).toThrow(/frozen/);
    db.$client.close();
  });
});
