// @ts-check
import fs from "node:fs";

/**
 * "file:from-to": the lines from the one containing `start` up to the line
 * before the one containing `end` (or the end of the file), found in the
 * source at run time so the range follows edits to the file.
 */
function linesOf(file, start, end) {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const from = lines.findIndex((l) => l.includes(start));
  const to = end ? lines.findIndex((l, i) => i > from && l.includes(end)) : lines.length;
  if (from < 0 || to < 0) throw new Error(`stryker.config.mjs: ${file} no longer contains ${from < 0 ? start : end}`);
  return `${file}:${from + 1}-${to}`;
}
/**
 * Mutation testing of the rule modules (`npm run mutate`; not part of CI).
 * Stryker changes one thing at a time in these files (a < into <=, a
 * condition into true, …) and runs the tests that cover it: a mutant the
 * tests do not notice is a rule the tests do not really pin down.
 * One module at a time: npm run mutate -- --mutate app/visits/lifecycle.ts
 * (a command-line --mutate replaces the list below, line ranges included).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutate.config.ts" },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: [
    // Lifecycle and booking check, car holds.
    "app/visits/lifecycle.ts",
    "app/visits/booking.ts",
    "app/visits/booking.server.ts",
    // The individual-number guard runs on its own against its unit tests: npm run mutate:guard
    // (its scanners' loops make mutants that never end; here every integration test would wait each one out).
    // Tokens and sessions: the session cookie, opening a session, reading, checking and ending it.
    // Sign-in locks and back-off (in between) are proven by tests/integration/sign-in-locks.test.ts, too slow to run per mutant.
    linesOf("app/auth.server.ts", "function sha256(", "export type LoginResult"),
    linesOf("app/auth.server.ts", "const token = crypto.randomBytes(32)"),
    // The status page's token check.
    "app/requests/status.server.ts",
    // CSV export: the query, the file's format and formula neutralisation.
    "app/crm/export.server.ts",
    linesOf("app/crm/csv.server.ts", "/** One CSV line per row", "// -----"),
    // The outbox: queueing in the transaction and the retry back-off; a failed try, dead letters and the
    // admin's retry. Delivery and the worker are proven by outbox.test.ts and the drills, too slow to run per mutant.
    linesOf("app/email/outbox.server.ts", "export function newMessageId", "// --- transports"),
    linesOf("app/email/outbox.server.ts", "/** A failed try:", "/** The kept .eml"),
    // Rate limits.
    "app/lib/rate-limit.server.ts",
  ],
  coverageAnalysis: "perTest",
  concurrency: 2,
  // On top of twice the covering tests' own time: an infinite-loop mutant (the number guard's scanners) is given up after this.
  timeoutMS: 5_000,
  timeoutFactor: 2,
  ignoreStatic: true,
  reporters: ["clear-text", "progress", "html", "json"],
  clearTextReporter: { reportTests: false },
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  thresholds: { high: 90, low: 80, break: null },
};
