/**
 * npm run bench — the speed and size budgets. Each line prints the measured
 * figure, its limit, and the ratio (≤ 1.00 is within budget). Exits non-zero
 * when a budget is exceeded. Runs on a throw-away SQLite file, removed on exit
 * (also on failure or Ctrl-C, with any server a suite started). The npm script
 * runs `npm run build` first (remix build, then the compressed copies of its
 * assets): the size budgets read public/build, and the
 * whole-page timings start the real server.mjs on the production build.
 * BENCH_PORT picks that server's port (default: a free one). BENCH_ONLY=vitals
 * (npm run bench:vitals) runs only the suites whose name contains that word.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { byteBudgets } from "./bytes";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demado-bench-"));
process.env.DATABASE_URL = path.join(dir, "bench.db");
process.env.SESSION_SECRET = "bench-secret-bench-secret-bench";
process.env.MAIL_DIR = path.join(dir, "mail");
delete process.env.SMTP_URL;

/** `atLeast`: the figure must reach the limit (a throughput ratio) rather than stay under it. */
type Result = { name: string; value: number; limit: number; unit: string; atLeast?: boolean };
const results: Result[] = [];

/** Median and p95 of n runs of fn, in milliseconds. */
async function time(fn: () => unknown | Promise<unknown>, runs = 30) {
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) await fn(); // warm-up
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(runs / 2)], p95: samples[Math.floor(runs * 0.95)] };
}

function record(name: string, value: number, limit: number, unit = "ms", atLeast = false) {
  results.push({ name, value, limit, unit, atLeast });
}

// Clean-up that must happen however the run ends (a server a suite started, the temp folder).
const cleanups: Array<() => unknown | Promise<unknown>> = [];
function defer(fn: () => unknown | Promise<unknown>) {
  cleanups.push(fn);
}
let cleaned = false;
async function cleanUp() {
  if (cleaned) return;
  cleaned = true;
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch (error) {
      console.error(error);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
// `on`, not `once`: Ctrl-C reaches this process twice (from the terminal and relayed by tsx), and a
// second signal with no listener left would kill it before the clean-up ends.
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  process.on(signal, () => void cleanUp().finally(() => process.exit(code)));
}

export type BenchContext = { time: typeof time; record: typeof record; defer: typeof defer; dir: string };

async function main() {
  const { getDb, migrateDatabase, closeDb } = await import("../../app/db.server");
  migrateDatabase(getDb());
  const only = process.env.BENCH_ONLY?.toLowerCase();
  const suites = [...(await import("./suites")).suites, (await import("./vitals")).vitals];
  for (const suite of suites.filter((s) => !only || s.name.toLowerCase().includes(only))) {
    process.stdout.write(`… ${suite.name}\n`);
    await suite.run({ time, record, defer, dir });
  }
  closeDb();

  // Size budgets: the JavaScript and CSS a phone downloads per page, brotli as the server sends them (./bytes.ts).
  if (!only) await byteBudgets({ record, defer });

  await cleanUp();
  const width = Math.max(...results.map((r) => r.name.length));
  let over = 0;
  console.log("");
  for (const r of results) {
    // ≤ 1.00 is within budget either way: for an "at least" figure the ratio is limit / value.
    const ratio = r.atLeast ? r.limit / r.value : r.value / r.limit;
    if (ratio > 1) over++;
    console.log(`${r.name.padEnd(width)}  ${r.value.toFixed(2).padStart(9)} ${r.unit.padEnd(4)} / ${r.atLeast ? "needs" : "limit"} ${String(r.limit).padStart(5)} ${r.unit.padEnd(4)}  ratio ${ratio.toFixed(2)}${ratio > 1 ? "  OVER BUDGET" : ""}`);
  }
  console.log(`\n${results.length - over} within budget, ${over} over budget`);
  process.exit(over ? 1 : 0);
}

main().catch(async (error) => {
  console.error(error);
  await cleanUp();
  process.exit(1);
});
