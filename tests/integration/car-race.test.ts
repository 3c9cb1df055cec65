import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isNotNull } from "drizzle-orm";
import { getDb } from "../../app/db.server";
import { visits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { groupVisit, plainWeekdayAhead, seedBasics, type Fixture } from "../support/visits";

let ctx: ReturnType<typeof useFreshDatabase>;
let f: Fixture;
// The child script, bundled once to plain JavaScript so 50 processes start in seconds (packages stay external).
const childScript = path.resolve(__dirname, `../../node_modules/.cache/demado-car-race/child-${process.pid}.mjs`);

beforeAll(async () => {
  ctx = useFreshDatabase();
  f = seedBasics();
  await build({
    entryPoints: [path.resolve(__dirname, "../support/car-race-child.ts")],
    outfile: childScript,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    jsx: "automatic",
    alias: { "~": path.resolve(__dirname, "../../app"), "~db": path.resolve(__dirname, "../../db"), "~emails": path.resolve(__dirname, "../../emails") },
    logLevel: "error",
  });
}, 60_000);
afterAll(() => {
  ctx.cleanup();
  fs.rmSync(childScript, { force: true });
});

const CONTENDERS = 50;

describe("the car under concurrent requests", () => {
  it(`lets exactly one of ${CONTENDERS} processes hold the car for overlapping slots; the others are told who has it`, async () => {
    const date = plainWeekdayAhead(30);
    const user = { ...f.staff, role: "outreach" as const };
    // 40 group visits asking for approval and 10 new roaming stops, every slot overlapping the others (10:00–13:00 ± minutes).
    const jobs = Array.from({ length: CONTENDERS }, (_, i) => {
      const from = `${String(10 + Math.floor(i / 30)).padStart(2, "0")}:${String(i % 30 * 2).padStart(2, "0")}`;
      if (i % 5 === 4) return { kind: "roaming", venueId: f.venueId, date, startsAt: from, endsAt: "13:00", user };
      const g = groupVisit(f, { status: "screening", date, from, to: "13:00", name: `競合団体${i + 1}` });
      return { kind: "submit", visitId: g.visitId, user };
    });

    const children: ChildProcess[] = [];
    const results: Promise<{ ok: boolean; message?: string | null; error?: string }>[] = [];
    const ready: Promise<void>[] = [];
    for (const job of jobs) {
      const child = fork(childScript, [], {
        env: { ...process.env, RACE_JOB: JSON.stringify(job) },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      children.push(child);
      ready.push(new Promise((resolve, reject) => {
        child.once("message", (m) => (m === "ready" ? resolve() : reject(new Error(String(m)))));
        child.once("exit", (code) => reject(new Error(`child exited early (${code})`)));
      }));
    }
    await Promise.all(ready);
    for (const child of children) {
      child.removeAllListeners("exit");
      results.push(new Promise((resolve) => child.once("message", (m) => resolve(m as never))));
    }
    // Everyone is loaded and connected: start them all at once.
    for (const child of children) child.send("go");
    const outcomes = await Promise.all(results);

    expect(outcomes.filter((o) => o.error)).toEqual([]);
    const winners = outcomes.filter((o) => o.ok);
    expect(winners).toHaveLength(1);
    for (const loser of outcomes.filter((o) => !o.ok)) {
      // Both ranges as the car sees them, buffers included.
      expect(loser.message).toMatch(/ラッピングカーは「.+」で \d{4}年\d+月\d+日\(.\) \d\d:\d\d〜\d\d:\d\d に使用予定です（訪問 \d\d:\d\d〜\d\d:\d\d に準備・撤去・移動時間を含む）。この予定の車両使用時間 .+〜\d\d:\d\d（準備・撤去・移動時間を含む）と重なるため予約できません。/);
    }
    // The database agrees: one visit holds the car, every other contender left nothing behind.
    const holders = getDb().select().from(visits).where(isNotNull(visits.holdStartsAt)).all();
    expect(holders).toHaveLength(1);
    const roamingRows = getDb().select().from(visits).all().filter((v) => v.kind === "roaming");
    expect(roamingRows.length).toBeLessThanOrEqual(1);
    for (const loser of outcomes.filter((o) => !o.ok)) expect(loser.message).toContain(holders[0].title);
  }, 120_000);
});
