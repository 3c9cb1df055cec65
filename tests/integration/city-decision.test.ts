/**
 * The city's decision page (issue 15 items 9 and 10): it shows what the city
 * decides on and the organisation's wishes beside it, but never the contact
 * person's name or phone unless the official asks (「連絡先を表示」), which the
 * permission module allows and the audit log records. Through the route's
 * real loader and action on a real SQLite file.
 */
import argon2 from "argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { login } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import * as cityVisit from "../../app/routes/city.visits.$id";
import { activities, auditLog, users, visitRequests } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { callRoute } from "../support/routes";
import { groupVisit, seedBasics, type Fixture } from "../support/visits";

let ctx: ReturnType<typeof useFreshDatabase>;
let f: Fixture;
let cityCookie: string;
let staffCookie: string;
let cityId: number;
let visit: ReturnType<typeof groupVisit>;
const CONTACT = { name: "山田 花子", phone: "090-1234-5678" };

beforeAll(async () => {
  ctx = useFreshDatabase();
  f = seedBasics();
  const hash = await argon2.hash("city-password-0123", { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  cityId = getDb().insert(users).values({ email: "decider@t.jp", name: "判断 一郎", role: "city", passwordHash: hash }).returning().get().id;
  getDb().insert(users).values({ email: "outreach2@t.jp", name: "営業 二郎", role: "outreach", passwordHash: hash }).run();
  const signIn = async (email: string) => {
    const r = await login({ email, password: "city-password-0123" });
    if (!r.ok) throw new Error(r.message);
    return r.setCookie.split(";")[0];
  };
  cityCookie = await signIn("decider@t.jp");
  staffCookie = await signIn("outreach2@t.jp");
  visit = groupVisit(f, { status: "awaiting_city", date: "2027-02-10" });
  getDb()
    .update(visitRequests)
    .set({
      contactName: CONTACT.name,
      phone: CONTACT.phone,
      preferredDate1: "2027-02-08",
      preferredSlot1: "pm",
      preferredDate2: "2027-02-10",
      preferredSlot2: "am",
      preferredDate3: "2027-02-15",
      preferredSlot3: "allday",
      parking: "ask",
      venueText: "中央町内会館 2階",
      message: "階段しかありません。",
    })
    .where(eq(visitRequests.id, visit.requestId))
    .run();
  // A proposal applied from the request lists the contact's details on the timeline; staff's call notes name them too.
  getDb()
    .insert(activities)
    .values([
      { organisationId: visit.organisationId, visitId: visit.visitId, kind: "note", summary: "申込の内容を反映", body: `担当者: ${CONTACT.name}（09012345678）` },
      { organisationId: visit.organisationId, visitId: visit.visitId, kind: "call", summary: `${CONTACT.name}さんに電話`, body: null },
      { organisationId: visit.organisationId, visitId: visit.visitId, kind: "request", summary: `電話で申込を受付（${CONTACT.name}様）`, body: null },
    ])
    .run();
});
afterAll(() => ctx.cleanup());

const url = () => `/city/visits/${visit.visitId}`;
const params = () => ({ id: String(visit.visitId) });

describe("the city's decision page", () => {
  it("shows the wishes beside the proposal, and carries no contact name or phone", async () => {
    const r = await callRoute(cityVisit.loader as never, { url: url(), params: params(), cookie: cityCookie });
    expect(r.status).toBe(200);
    const text = JSON.stringify(r.body);
    for (const secret of ["山田", "花子", "090-1234-5678", "09012345678"]) expect(text).not.toContain(secret);
    const d = r.body as { request: Record<string, unknown>; visit: { date: string; expectedApplicants: number; mode: string }; history: { summary: string }[] };
    expect(d.request).toMatchObject({
      preferred: [
        { date: "2027-02-08", slot: "pm" },
        { date: "2027-02-10", slot: "am" },
        { date: "2027-02-15", slot: "allday" },
      ],
      parking: "ask",
      venueText: "中央町内会館 2階",
      message: "階段しかありません。",
      expectedApplicants: 20,
    });
    expect(d.visit).toMatchObject({ date: "2027-02-10", expectedApplicants: 20, mode: "accept" });
    // Staff's call note is not the city's to read; the request line stays, with the name blanked.
    expect(d.history.map((h) => h.summary)).toEqual(["電話で申込を受付（（連絡先）様）"]);
  });

  it("shows the contact only on 「連絡先を表示」, and logs who looked at which visit", async () => {
    const before = getDb().select().from(auditLog).where(eq(auditLog.action, "visit.contact_view")).all().length;
    const r = await callRoute(cityVisit.action as never, { url: url(), params: params(), cookie: cityCookie, form: { intent: "show_contact" }, headers: { "x-demado-client-ip": "192.0.2.7" } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, intent: "show_contact", contact: { name: CONTACT.name, phone: CONTACT.phone } });
    const rows = getDb()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "visit.contact_view"), eq(auditLog.entityId, String(visit.visitId))))
      .all();
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ userId: cityId, entity: "visit", ip: "192.0.2.7" });
    expect(rows.at(-1)!.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("refuses staff on the city's page (they see contacts on their own pages), writing nothing but the refusal", async () => {
    const r = await callRoute(cityVisit.action as never, { url: url(), params: params(), cookie: staffCookie, form: { intent: "show_contact" } });
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).not.toContain(CONTACT.phone);
  });
});
