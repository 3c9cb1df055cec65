/**
 * Fixed-window rate limits stored in SQLite (rate_limits), so every process on
 * the database shares them. Call inside the caller's writeTransaction when the
 * limit guards a write, so the count and the write commit together.
 */
import crypto from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import { rateLimits } from "../../db/schema";
import { getDb, type Db, type Tx } from "../db.server";

export type RateLimitResult = { allowed: boolean; count: number; limit: number; retryAfterSeconds: number };

function windowStartOf(now: Date, windowMs: number): string {
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs).toISOString();
}

/** Count one hit against `key`; allowed while the window's count stays within `limit`. */
export function hitRateLimit(
  key: string,
  limit: number,
  windowMs: number,
  opts: { db?: Db | Tx; now?: Date } = {},
): RateLimitResult {
  const db = opts.db ?? getDb();
  const now = opts.now ?? new Date();
  const windowStart = windowStartOf(now, windowMs);
  const row = db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ count: rateLimits.count })
    .get();
  // Old windows are useless: drop this key's expired rows as we go.
  db.delete(rateLimits)
    .where(and(eq(rateLimits.key, key), lt(rateLimits.windowStart, windowStartOf(new Date(now.getTime() - windowMs), windowMs))))
    .run();
  const retryAfterSeconds = Math.ceil((new Date(windowStart).getTime() + windowMs - now.getTime()) / 1000);
  return { allowed: row.count <= limit, count: row.count, limit, retryAfterSeconds };
}

/** How many hits `key` has in the current window (without counting one). */
export function peekRateLimit(key: string, windowMs: number, opts: { db?: Db | Tx; now?: Date } = {}): number {
  const db = opts.db ?? getDb();
  const windowStart = windowStartOf(opts.now ?? new Date(), windowMs);
  return (
    db
      .select({ count: rateLimits.count })
      .from(rateLimits)
      .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStart)))
      .get()?.count ?? 0
  );
}

/**
 * What a stranger can make the service email to an address they type in.
 * Per client the public form's own limit applies (settings:
 * requestRateLimitPerHour, keyed on the client's address); this caps the
 * receipts one recipient can get in a day, whoever sends the form.
 */
export const EMAIL_LIMITS = {
  receiptsPerRecipientPerDay: 3,
  dayMs: 24 * 60 * 60 * 1000,
} as const;

/**
 * The counter key of a recipient: case and "+tag" do not make another
 * mailbox (hanako+1@… reaches hanako@…). Hashed, so the table holds no
 * address.
 */
export function recipientKey(address: string): string {
  // Stryker disable next-line MethodExpression: toUpperCase would fold case as well (only the hash changes); the other removals are tested.
  const [local, domain = ""] = address.normalize("NFKC").trim().toLowerCase().split(/@(?=[^@]*$)/);
  const mailbox = `${local.split("+")[0]}@${domain}`;
  return `mail-to:${crypto.createHash("sha256").update(mailbox).digest("hex").slice(0, 32)}`;
}

/** Count one receipt to `address`; allowed while today's count stays within the limit. */
export function hitRecipientLimit(address: string, opts: { db?: Db | Tx; now?: Date } = {}): RateLimitResult {
  return hitRateLimit(recipientKey(address), EMAIL_LIMITS.receiptsPerRecipientPerDay, EMAIL_LIMITS.dayMs, opts);
}

export const RECIPIENT_LIMITED =
  "このメールアドレスでのお申し込みが本日は多いため、受付を止めています。明日以降にもう一度お送りいただくか、窓口までお電話ください。";
