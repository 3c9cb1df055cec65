/**
 * npm run bench — the speed and size budgets. Each line prints the measured
 * figure, its limit, and the ratio (≤ 1.00 is within budget). Exits non-zero
 * when a budget is exceeded. Runs on a throw-away SQLite file.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { performance } from "node:perf_hooks";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demado-bench-"));
process.env.DATABASE_URL = path.join(dir, "bench.db");
process.env.SESSION_SECRET = "bench-secret-bench-secret-bench";
process.env.MAIL_DIR = path.join(dir, "mail");
delete process.env.SMTP_URL;

type Result = { name: string; value: number; limit: number; unit: string };
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

function record(name: string, value: number, limit: number, unit = "ms") {
  results.push({ name, value, limit, unit });
}

export type BenchContext = { time: typeof time; record: typeof record; dir: string };

async function main() {
  const { getDb, migrateDatabase, closeDb } = await import("../../app/db.server");
  migrateDatabase(getDb());
  const suites = (await import("./suites")).suites;
  for (const suite of suites) {
    process.stdout.write(`… ${suite.name}\n`);
    await suite.run({ time, record, dir });
  }
  closeDb();

  // Size budgets of what a phone downloads for the public pages.
  const assets = path.resolve("public/build");
  if (fs.existsSync(assets)) {
    const gz = (file: string) => zlib.gzipSync(fs.readFileSync(file)).length / 1024;
    const files = fs.readdirSync(assets, { recursive: true }).map(String).filter((f) => f.endsWith(".js"));
    const pick = (re: RegExp) => files.filter((f) => re.test(f)).reduce((sum, f) => sum + gz(path.join(assets, f)), 0);
    const shared = pick(/^(entry\.client|root|_shared\/)/);
    record("JS shared by every page (gzip)", shared, 150, "KiB");
    record("JS of /request route (gzip)", pick(/^routes\/request(\.|-)/), 60, "KiB");
    const css = fs.readdirSync(path.join(assets, "_assets")).filter((f) => f.endsWith(".css"));
    record("CSS (gzip)", css.reduce((s, f) => s + gz(path.join(assets, "_assets", f)), 0), 60, "KiB");
  } else {
    console.log("(public/build がないためサイズ予算は省略: 先に npm run build)");
  }

  fs.rmSync(dir, { recursive: true, force: true });
  const width = Math.max(...results.map((r) => r.name.length));
  let over = 0;
  console.log("");
  for (const r of results) {
    const ratio = r.value / r.limit;
    if (ratio > 1) over++;
    console.log(`${r.name.padEnd(width)}  ${r.value.toFixed(2).padStart(9)} ${r.unit.padEnd(4)} / limit ${String(r.limit).padStart(5)} ${r.unit.padEnd(4)}  ratio ${ratio.toFixed(2)}${ratio > 1 ? "  OVER BUDGET" : ""}`);
  }
  console.log(`\n${results.length - over} within budget, ${over} over budget`);
  process.exit(over ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
