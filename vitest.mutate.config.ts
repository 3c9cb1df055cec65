/**
 * The tests `npm run mutate` (StrykerJS) runs against each mutant: the unit
 * and integration tests that exercise the rule modules listed in
 * stryker.config.mjs. Slow drills, child-process races, the access matrix and
 * browser tests are left out so a run stays feasible on a small machine; they
 * still run in `npm test`. calendar.test.ts is left out too: one of its tests
 * depends on today's date (it fails when run on 2026-11-30 in Tokyo), and
 * Stryker refuses to start on a failing test; booking.test.ts covers the
 * booking check with a fixed clock.
 */
import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// Spread rather than mergeConfig: merging would append to the base's include globs instead of replacing them.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // One plain project: the base config's projects (with the server tests and their build) are left out.
    projects: undefined,
    // MUTATE_GUARD=1 (npm run mutate:guard): the individual-number guard against its own unit tests only;
    // its scanners' loops make mutants that never end, and each is waited out, so fewer tests keep that feasible.
    include: process.env.MUTATE_GUARD ? ["tests/unit/individual-number.test.ts"] : [
      "tests/unit/lifecycle.test.ts",
      "tests/unit/calendar-rules.test.ts",
      "tests/unit/request-schema.test.ts",
      "tests/unit/individual-number.test.ts",
      "tests/integration/visits-lifecycle.test.ts",
      "tests/integration/booking.test.ts",
      "tests/integration/approval-emails.test.ts",
      "tests/integration/auth.test.ts",
      "tests/integration/sessions.test.ts",
      "tests/integration/requests.test.ts",
      "tests/integration/request-status.test.ts",
      "tests/integration/request-limits.test.ts",
      "tests/integration/rate-limit.test.ts",
      "tests/integration/outbox.test.ts",
      "tests/integration/crm-import.test.ts",
      "tests/integration/crm-free-text.test.ts",
    ],
  },
});
