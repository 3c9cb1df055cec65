/**
 * 郵便番号 → 住所 through the lookup service (default: zipcloud), cached in
 * postal_code_cache. The form never depends on it: when the service fails or
 * takes more than 2 seconds the user simply types the address.
 */
import { eq } from "drizzle-orm";
import { postalCodeCache } from "../../db/schema";
import { getDb } from "../db.server";
import { getSettings } from "../settings.server";

export type PostalLookup = { status: "found"; address: string } | { status: "notfound" } | { status: "unavailable" };

export const POSTAL_TIMEOUT_MS = 2000;
/** Answers are kept this long (addresses rarely change; a "not found" may be a new code). */
const FOUND_TTL_MS = 90 * 24 * 60 * 60 * 1000;
const NOT_FOUND_TTL_MS = 7 * 24 * 60 * 60 * 1000;

type ZipcloudResponse = {
  status?: number;
  message?: string | null;
  results?: { address1?: string; address2?: string; address3?: string }[] | null;
};

export async function lookupPostalCode(code: string, now: Date = new Date()): Promise<PostalLookup> {
  const digits = code.normalize("NFKC").replace(/\D/g, "");
  if (digits.length !== 7) return { status: "notfound" };
  const db = getDb();
  const cached = db.select().from(postalCodeCache).where(eq(postalCodeCache.postalCode, digits)).get();
  if (cached) {
    const age = now.getTime() - new Date(cached.fetchedAt).getTime();
    if (cached.address && age < FOUND_TTL_MS) return { status: "found", address: cached.address };
    if (!cached.address && age < NOT_FOUND_TTL_MS) return { status: "notfound" };
  }
  const base = getSettings(db).postalLookupUrl;
  let body: ZipcloudResponse;
  try {
    const url = new URL(base);
    url.searchParams.set("zipcode", digits);
    const res = await fetch(url, { signal: AbortSignal.timeout(POSTAL_TIMEOUT_MS), headers: { accept: "application/json" } });
    if (!res.ok) return { status: "unavailable" };
    body = (await res.json()) as ZipcloudResponse;
  } catch {
    return { status: "unavailable" };
  }
  if (body.status !== undefined && body.status !== 200) return { status: body.status === 400 ? "notfound" : "unavailable" };
  const first = body.results?.[0];
  const address = first ? `${first.address1 ?? ""}${first.address2 ?? ""}${first.address3 ?? ""}`.trim() : "";
  const fetchedAt = now.toISOString();
  db.insert(postalCodeCache)
    .values({ postalCode: digits, address: address || null, fetchedAt })
    .onConflictDoUpdate({ target: postalCodeCache.postalCode, set: { address: address || null, fetchedAt } })
    .run();
  return address ? { status: "found", address } : { status: "notfound" };
}
