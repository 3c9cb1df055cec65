// @ts-check
/**
 * Mutation testing of the rule modules (`npm run mutate`; not part of CI).
 * Stryker changes one thing at a time in these files (a < into <=, a
 * condition into true, …) and runs the tests that cover it: a mutant the
 * tests do not notice is a rule the tests do not really pin down.
 * One module at a time: npm run mutate -- --mutate app/visits/lifecycle.ts
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
    // The individual-number guard.
    "app/lib/individual-number.ts",
    // Tokens and sessions: the session cookie (lines 52-88), opening a session, reading, checking and ending it (245 to the end).
    // Sign-in locks and back-off (in between) are proven by tests/integration/sign-in-locks.test.ts, too slow to run per mutant.
    "app/auth.server.ts:52-88",
    "app/auth.server.ts:245-343",
    // The status page's token check.
    "app/requests/status.server.ts",
    // CSV export.
    "app/crm/export.server.ts",
    // The outbox: queueing in the transaction and the retry back-off (53-96); a failed try, dead letters and
    // the admin's retry (297-390). Delivery and the worker are proven by the drills, too slow to run per mutant.
    "app/email/outbox.server.ts:53-96",
    "app/email/outbox.server.ts:297-390",
    // Rate limits.
    "app/lib/rate-limit.server.ts",
  ],
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 20_000,
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
