/**
 * The public form's limits, through the /request route's action (not only the
 * domain function): keyed on the client's address the server puts in
 * x-demado-client-ip, and a cap on receipts one recipient can be sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb, writeTransaction } from "../../app/db.server";
import { addDays, isYearEndClosure, todayInTokyo } from "../../app/lib/dates";
import { EMAIL_LIMITS, recipientKey, RECIPIENT_LIMITED } from "../../app/lib/rate-limit.server";
import { newIdempotencyKey } from "../../app/requests/submit.server";
import { action as requestAction } from "../../app/routes/request._index";
import { saveSettings } from "../../app/settings.server";
import { emailOutbox, programs, rateLimits, visitRequests } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { callRoute } from "../support/routes";

let ctx: ReturnType<typeof useFreshDatabase>;
const today = todayInTokyo();
let seq = 0;

function dateAhead(offset: number) {
  let d = addDays(today, offset);
  while (isYearEndClosure(d)) d = addDays(d, 1);
  return d;
}

/** A valid form for a new organisation each time (so only the limits can refuse it). */
function form(patch: Record<string, string> = {}) {
  seq += 1;
  return {
    organisationName: `制限テスト会${seq}`,
    organisationKind: "neighbourhood",
    postalCode: "030-0801",
    address: "あおば市新町1-2-3",
    contactName: "山田 花子",
    phone: `017-555-${String(1000 + seq)}`,
    email: `limit${seq}@aoba.example.jp`,
    expectedApplicants: "20",
    preferredDate1: dateAhead(20),
    preferredSlot1: "am",
    venueText: "町内会館",
    parking: "yes",
    message: "よろしくお願いします。",
    consent: "on",
    idempotencyKey: newIdempotencyKey(),
    ...patch,
  };
}

function post(ip: string | null, body: Record<string, string>) {
  return callRoute(requestAction as never, { url: "/request", form: body, headers: ip ? { "x-demado-client-ip": ip } : {} });
}

const requestCount = () => getDb().select({ n: sql<number>`count(*)` }).from(visitRequests).get()!.n;
const mailsTo = (address: string) => getDb().select().from(emailOutbox).where(eq(emailOutbox.toAddress, address)).all().length;
/** Emails to any spelling of local@example.jp (case, +tag). */
const mailsToMailbox = (local: string) =>
  getDb().select().from(emailOutbox).all().filter((m) => m.toAddress.toLowerCase().replace(/\+[^@]*/, "") === `${local}@example.jp`).length;

beforeAll(() => {
  ctx = useFreshDatabase();
  getDb()
    .insert(programs)
    .values({ name: "テスト業務", fiscalYear: Number(today.slice(0, 4)), startsOn: addDays(today, -30), endsOn: addDays(today, 200), active: true })
    .run();
});
afterAll(() => ctx.cleanup());

describe("the /request route", () => {
  it("limits submissions per client address, taken from the request the server forwarded", async () => {
    writeTransaction((tx) => saveSettings(tx, { requestRateLimitPerHour: 2 }, null));
    expect((await post("192.0.2.10", form())).status).toBe(303);
    expect((await post("192.0.2.10", form())).status).toBe(303);
    const before = requestCount();
    const third = await post("192.0.2.10", form());
    expect(third.status).toBe(429);
    expect((third.body as { formError: string }).formError).toMatch(/待ってから/);
    expect(requestCount()).toBe(before);
    // Another client is not held back by the first one's allowance.
    expect((await post("192.0.2.11", form())).status).toBe(303);
    writeTransaction((tx) => saveSettings(tx, { requestRateLimitPerHour: 10 }, null));
  });

  it("caps the receipts one recipient can be sent in a day, whichever clients send the form", async () => {
    const victim = "victim@example.jp";
    const limit = EMAIL_LIMITS.receiptsPerRecipientPerDay;
    for (let i = 0; i < limit; i++) {
      const r = await post(`192.0.2.${20 + i}`, form({ email: victim }));
      // Accepted: 303 to the receipt page.
      expect(r.status, `receipt ${i + 1}`).toBe(303);
    }
    expect(mailsTo(victim)).toBe(limit);
    const before = requestCount();
    // Case and a +tag still reach the same mailbox: refused as well, from yet another client.
    for (const [i, email] of ["victim@example.jp", "VICTIM@example.jp", "victim+again@example.jp"].entries()) {
      const r = await post(`192.0.2.${40 + i}`, form({ email }));
      expect(r.status, email).toBe(429);
      expect((r.body as { formError: string }).formError).toBe(RECIPIENT_LIMITED);
    }
    expect(requestCount()).toBe(before);
    expect(mailsToMailbox("victim")).toBe(limit);
    // Someone else's address is unaffected.
    expect((await post("192.0.2.50", form({ email: "someone-else@example.jp" }))).status).toBe(303);
  });

  it("keeps no email address in the counters", () => {
    const keys = getDb().select({ key: rateLimits.key }).from(rateLimits).all().map((r) => r.key);
    expect(keys).toContain(recipientKey("victim@example.jp"));
    expect(keys.some((k) => k.includes("@"))).toBe(false);
    expect(recipientKey("Victim+x@Example.jp")).toBe(recipientKey("victim@example.jp"));
    expect(recipientKey("victim@example.jp")).not.toBe(recipientKey("victim@example.com"));
  });
});
