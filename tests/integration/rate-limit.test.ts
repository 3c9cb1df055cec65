/**
 * The fixed-window counters behind every rate limit (the public form, postal
 * codes, receipts per recipient), on a real SQLite file with a fixed clock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "../../app/db.server";
import { EMAIL_LIMITS, hitRateLimit, hitRecipientLimit, peekRateLimit, recipientKey } from "../../app/lib/rate-limit.server";
import { rateLimits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";

let ctx: ReturnType<typeof useFreshDatabase>;
beforeAll(() => {
  ctx = useFreshDatabase();
});
afterAll(() => ctx.cleanup());

const HOUR = 60 * 60 * 1000;
const at = (iso: string) => new Date(iso);
const rowsOf = (key: string) => getDb().select().from(rateLimits).where(eq(rateLimits.key, key)).all();

describe("a fixed-window rate limit", () => {
  it("allows up to the limit in a window, refuses after, and says how long until the window ends", () => {
    const key = "test:window";
    const r1 = hitRateLimit(key, 2, HOUR, { now: at("2026-05-01T10:15:00.000Z") });
    expect(r1).toEqual({ allowed: true, count: 1, limit: 2, retryAfterSeconds: 45 * 60 });
    expect(hitRateLimit(key, 2, HOUR, { now: at("2026-05-01T10:30:00.000Z") })).toEqual({ allowed: true, count: 2, limit: 2, retryAfterSeconds: 30 * 60 });
    // 0.5 s before the window ends: rounded up to a whole second.
    expect(hitRateLimit(key, 2, HOUR, { now: at("2026-05-01T10:59:59.500Z") })).toEqual({ allowed: false, count: 3, limit: 2, retryAfterSeconds: 1 });
    // Peeking does not count.
    expect(peekRateLimit(key, HOUR, { now: at("2026-05-01T10:45:00.000Z") })).toBe(3);
    expect(peekRateLimit(key, HOUR, { now: at("2026-05-01T10:45:00.000Z") })).toBe(3);
    expect(peekRateLimit("test:never", HOUR, { now: at("2026-05-01T10:45:00.000Z") })).toBe(0);
  });

  it("starts again in the next window, and drops windows older than the previous one", () => {
    const key = "test:rollover";
    hitRateLimit(key, 1, HOUR, { now: at("2026-05-01T08:10:00.000Z") });
    hitRateLimit(key, 1, HOUR, { now: at("2026-05-01T09:10:00.000Z") });
    expect(hitRateLimit(key, 1, HOUR, { now: at("2026-05-01T09:20:00.000Z") }).allowed).toBe(false);
    expect(rowsOf(key).map((r) => r.windowStart).sort()).toEqual(["2026-05-01T08:00:00.000Z", "2026-05-01T09:00:00.000Z"]);
    const next = hitRateLimit(key, 1, HOUR, { now: at("2026-05-01T10:00:00.000Z") });
    expect(next).toEqual({ allowed: true, count: 1, limit: 1, retryAfterSeconds: 3600 });
    // 08:00 is gone; 09:00 (the previous window) stays until the next hit after it.
    expect(rowsOf(key).map((r) => r.windowStart).sort()).toEqual(["2026-05-01T09:00:00.000Z", "2026-05-01T10:00:00.000Z"]);
    expect(peekRateLimit(key, HOUR, { now: at("2026-05-01T09:30:00.000Z") })).toBe(2);
  });

  it("counts each key on its own and leaves other keys' old windows alone", () => {
    hitRateLimit("test:a", 5, HOUR, { now: at("2026-05-01T01:00:00.000Z") });
    hitRateLimit("test:b", 5, HOUR, { now: at("2026-05-01T05:00:00.000Z") });
    expect(hitRateLimit("test:b", 5, HOUR, { now: at("2026-05-01T05:01:00.000Z") }).count).toBe(2);
    expect(rowsOf("test:a")).toHaveLength(1);
  });

  it("caps the receipts to one mailbox per day", () => {
    expect(EMAIL_LIMITS).toEqual({ receiptsPerRecipientPerDay: 3, dayMs: 24 * HOUR });
    const now = at("2026-05-02T12:00:00.000Z");
    const results = ["aki@example.jp", "Aki+1@Example.jp", "ａｋｉ@example.jp", "aki@example.jp"].map((a) => hitRecipientLimit(a, { now }).allowed);
    expect(results).toEqual([true, true, true, false]);
    expect(hitRecipientLimit("aki@example.jp", { now: at("2026-05-03T00:00:00.000Z") }).allowed).toBe(true);
    expect(recipientKey("aki@example.jp")).toMatch(/^mail-to:[0-9a-f]{32}$/);
    expect(recipientKey("aki@example.jp")).not.toBe(recipientKey("aki@example.jpx"));
    expect(recipientKey(" aki@example.jp\t")).toBe(recipientKey("aki@example.jp"));
    expect(recipientKey("aki@example.jp")).not.toBe(recipientKey("ami@example.jp"));
    // Only the last @ separates the domain.
    expect(recipientKey("a@b@example.jp")).not.toBe(recipientKey("a@b@other.jp"));
  });
});
