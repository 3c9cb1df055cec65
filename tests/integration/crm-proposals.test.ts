/**
 * A public request that matches an organisation already in the CRM changes
 * nothing of it: staff see a proposal and apply or decline it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "../../app/db.server";
import { mergeOrganisations } from "../../app/crm/merge.server";
import { applyProposal, dismissProposal, listPendingProposals } from "../../app/crm/proposals.server";
import { addDays, isYearEndClosure, todayInTokyo } from "../../app/lib/dates";
import { organisationSearchKey } from "../../app/lib/normalise";
import { newIdempotencyKey, submitVisitRequest } from "../../app/requests/submit.server";
import { activities, contacts, crmProposals, organisationContacts, organisations, programs, users, visitRequests, visits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";

let ctx: ReturnType<typeof useFreshDatabase>;
let staffId: number;
const today = todayInTokyo();

function dateAhead(offset: number) {
  let d = addDays(today, offset);
  while (isYearEndClosure(d)) d = addDays(d, 1);
  return d;
}

function form(patch: Record<string, string> = {}) {
  return {
    organisationName: "特別養護老人ホーム あおばの里",
    organisationKind: "welfare",
    postalCode: "030-0801",
    address: "あおば市新町9-9-9",
    contactName: "山田 花子",
    phone: "017-800-0001",
    email: "yamada@aoba-sato.example.jp",
    expectedApplicants: "20",
    preferredDate1: dateAhead(20),
    preferredSlot1: "am",
    venueText: "1階 食堂",
    parking: "yes",
    message: "",
    consent: "on",
    idempotencyKey: newIdempotencyKey(),
    ...patch,
  };
}

/** An organisation staff entered and are already working with. */
function staffOrganisation(name: string, phone: string) {
  const db = getDb();
  const org = db
    .insert(organisations)
    .values({
      name,
      searchKey: organisationSearchKey(name),
      kind: "welfare",
      address: "あおば市本町1-1（職員が確認済み）",
      phone,
      phoneKey: phone.replace(/\D/g, ""),
      expectedApplicants: 40,
      stage: "contacted",
      stageChangedAt: "2026-01-05T00:00:00.000Z",
      ownerId: staffId,
    })
    .returning()
    .get();
  const c = db.insert(contacts).values({ name: "施設長 佐藤", phone }).returning().get();
  db.insert(organisationContacts).values({ organisationId: org.id, contactId: c.id, role: "施設長", isPrimary: true }).run();
  return org;
}

const contactNames = (organisationId: number) =>
  getDb()
    .select({ name: contacts.name })
    .from(organisationContacts)
    .innerJoin(contacts, eq(contacts.id, organisationContacts.contactId))
    .where(eq(organisationContacts.organisationId, organisationId))
    .all()
    .map((c) => c.name)
    .sort();

beforeAll(() => {
  ctx = useFreshDatabase();
  const db = getDb();
  db.insert(programs).values({ name: "テスト業務", fiscalYear: Number(today.slice(0, 4)), startsOn: addDays(today, -30), endsOn: addDays(today, 200), active: true }).run();
  staffId = db.insert(users).values({ email: "outreach@t.jp", name: "外勤 次郎", role: "outreach", passwordHash: "x" }).returning().get().id;
});
afterAll(() => ctx.cleanup());

describe("a public request matching an organisation in the CRM", () => {
  it("leaves its stage, contacts and details alone, links the new visit and records one proposal", async () => {
    const org = staffOrganisation("特別養護老人ホーム あおばの里", "017-800-0001");
    const r = await submitVisitRequest(form(), { ip: "10.8.0.1" });
    expect(r.ok).toBe(true);

    const after = getDb().select().from(organisations).where(eq(organisations.id, org.id)).get()!;
    expect(after).toMatchObject({
      stage: "contacted",
      stageChangedAt: "2026-01-05T00:00:00.000Z",
      address: "あおば市本町1-1（職員が確認済み）",
      postalCode: null,
      email: null,
      expectedApplicants: 40,
      name: "特別養護老人ホーム あおばの里",
    });
    expect(contactNames(org.id)).toEqual(["施設長 佐藤"]);
    // The sender's own request and visit exist, linked to the organisation.
    const req = getDb().select().from(visitRequests).where(eq(visitRequests.organisationId, org.id)).get()!;
    expect(getDb().select().from(visits).where(eq(visits.requestId, req.id)).get()).toMatchObject({ organisationId: org.id, status: "requested" });
    // No stage change on the timeline; the request entry points to the proposal.
    const timeline = getDb().select().from(activities).where(eq(activities.organisationId, org.id)).all();
    expect(timeline.map((a) => a.kind)).toEqual(["request"]);
    expect(timeline[0].body).toContain("申込からの変更の提案");
    const proposals = getDb().select().from(crmProposals).where(eq(crmProposals.organisationId, org.id)).all();
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ state: "pending", requestId: req.id });

    const [shown] = listPendingProposals(org.id);
    expect(shown.receiptNo).toBe(req.receiptNo);
    expect(shown.changes.fields).toEqual([
      { field: "postalCode", label: "郵便番号", from: null, to: "030-0801" },
      { field: "email", label: "メールアドレス", from: null, to: "yamada@aoba-sato.example.jp" },
      { field: "expectedApplicants", label: "申請見込み人数", from: 40, to: 20 },
    ]);
    expect(shown.changes.contact).toEqual({ name: "山田 花子", phone: "017-800-0001", email: "yamada@aoba-sato.example.jp" });
    expect(shown.changes.stage).toEqual({ from: "contacted", to: "applied" });
  });

  it("is applied when staff confirm: contact added, empty details filled, stage follows the visit; staff's own details kept", () => {
    const org = getDb().select().from(organisations).where(eq(organisations.phoneKey, "0178000001")).get()!;
    const [p] = listPendingProposals(org.id);
    const r = applyProposal(p.id, org.id, staffId);
    expect(r).toEqual({ ok: true, message: "申込の内容を団体に反映しました。" });
    const after = getDb().select().from(organisations).where(eq(organisations.id, org.id)).get()!;
    expect(after).toMatchObject({
      stage: "applied",
      postalCode: "030-0801",
      email: "yamada@aoba-sato.example.jp",
      expectedApplicants: 20,
      address: "あおば市本町1-1（職員が確認済み）",
    });
    expect(contactNames(org.id)).toEqual(["山田 花子", "施設長 佐藤"]);
    expect(getDb().select().from(crmProposals).where(eq(crmProposals.id, p.id)).get()).toMatchObject({ state: "applied", decidedById: staffId });
    const note = getDb()
      .select()
      .from(activities)
      .where(and(eq(activities.organisationId, org.id), eq(activities.kind, "note")))
      .get()!;
    expect(note).toMatchObject({ userId: staffId, summary: expect.stringContaining("の内容を反映") });
    expect(note.body).toContain("段階: 接触済 → 申込受付");
    expect(listPendingProposals(org.id)).toEqual([]);
    // A second click changes nothing more.
    expect(applyProposal(p.id, org.id, staffId).ok).toBe(false);
    expect(contactNames(org.id)).toHaveLength(2);
  });

  it("changes nothing when staff decline it, and is scoped to its organisation", async () => {
    const org = staffOrganisation("特別養護老人ホーム みどり苑", "017-800-0002");
    const other = staffOrganisation("特別養護老人ホーム さくら苑", "017-800-0003");
    const r = await submitVisitRequest(form({ organisationName: "特別養護老人ホーム みどり苑", phone: "017-800-0002", contactName: "鈴木 一郎", email: "suzuki@midori.example.jp" }), { ip: "10.8.0.2" });
    expect(r.ok).toBe(true);
    const before = getDb().select().from(organisations).where(eq(organisations.id, org.id)).get();
    const [p] = listPendingProposals(org.id);
    // Another organisation's page cannot act on it.
    expect(applyProposal(p.id, other.id, staffId).ok).toBe(false);
    expect(dismissProposal(p.id, org.id, staffId)).toEqual({ ok: true, message: "団体の情報は変更せずに、提案を閉じました。" });
    const after = getDb().select().from(organisations).where(eq(organisations.id, org.id)).get()!;
    expect({ ...after, lastActivityAt: null, updatedAt: null }).toEqual({ ...before, lastActivityAt: null, updatedAt: null });
    expect(contactNames(org.id)).toEqual(["施設長 佐藤"]);
    expect(getDb().select().from(crmProposals).where(eq(crmProposals.id, p.id)).get()?.state).toBe("dismissed");
    expect(applyProposal(p.id, org.id, staffId).ok).toBe(false);
  });

  it("still sets up a brand-new organisation from the request itself", async () => {
    const r = await submitVisitRequest(form({ organisationName: "新規の町内会", organisationKind: "neighbourhood", phone: "017-800-0100", email: "new@t.jp", contactName: "新井 三郎" }), { ip: "10.8.0.3" });
    expect(r.ok).toBe(true);
    const org = getDb().select().from(organisations).where(eq(organisations.phoneKey, "0178000100")).get()!;
    expect(org.stage).toBe("applied");
    expect(contactNames(org.id)).toEqual(["新井 三郎"]);
    expect(getDb().select().from(crmProposals).where(eq(crmProposals.organisationId, org.id)).all()).toEqual([]);
  });

  it("follows a merge to the surviving organisation", async () => {
    const loser = staffOrganisation("特別養護老人ホーム ひかり園", "017-800-0004");
    const survivor = staffOrganisation("特別養護老人ホーム ひかり園本館", "017-800-0005");
    await submitVisitRequest(form({ organisationName: "特別養護老人ホーム ひかり園", phone: "017-800-0004", email: "hikari@t.jp" }), { ip: "10.8.0.4" });
    expect(listPendingProposals(loser.id)).toHaveLength(1);
    expect(mergeOrganisations({ survivorId: survivor.id, loserId: loser.id, take: {}, userId: staffId }).ok).toBe(true);
    expect(listPendingProposals(survivor.id)).toHaveLength(1);
  });
});
