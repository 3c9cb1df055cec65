/**
 * Staff free text goes through the same individual-number guard as the public
 * form: every CRM path a person types into, refused with the Japanese message
 * and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb } from "../../app/db.server";
import { saveVenue } from "../../app/calendar/venues.server";
import {
  addContact,
  createOrganisation,
  createTask,
  linkContact,
  logManualActivity,
  saveFilter,
  setNextAction,
  updateOrganisation,
} from "../../app/crm/organisations.server";
import { moveStage } from "../../app/crm/pipeline.server";
import { activities, contacts, organisations, savedFilters, tasks, users, venues } from "../../db/schema";
import { useFreshDatabase } from "../support/db";

let ctx: ReturnType<typeof useFreshDatabase>;
let userId: number;
let orgId: number;
let contactId: number;

// Valid numbers (check digits worked out by hand, see tests/unit/individual-number.test.ts), spelled as people write them.
const SPELLINGS = ["1234 - 5678 - 9018", "3141・5926・5352", "2718.2818.2840", "9876/5432/1093", "一二三四五六七八九〇一八", "１２３４５６７８９０１８"];
const MESSAGE = /マイナンバー（個人番号）と思われる12桁/;

const count = (table: typeof activities | typeof tasks | typeof contacts | typeof savedFilters | typeof organisations | typeof venues) =>
  getDb().select({ n: sql<number>`count(*)` }).from(table).get()!.n;

beforeAll(() => {
  ctx = useFreshDatabase();
  const db = getDb();
  userId = db.insert(users).values({ email: "o@t.jp", name: "外勤 花子", role: "outreach", passwordHash: "x" }).returning().get().id;
  orgId = db.insert(organisations).values({ name: "あおば町内会", searchKey: "あおば町内会", kind: "neighbourhood" }).returning().get().id;
  contactId = db.insert(contacts).values({ name: "山田 太郎" }).returning().get().id;
});
afterAll(() => ctx.cleanup());

describe("staff free text refuses individual numbers, however written", () => {
  it.each(SPELLINGS)("activity log: %s", (n) => {
    const before = count(activities);
    const r = logManualActivity(orgId, { kind: "call", summary: `電話あり。会員 ${n} の件` }, userId);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.summary).toMatch(MESSAGE);
    expect(count(activities)).toBe(before);
  });

  it.each(SPELLINGS)("task title: %s", (n) => {
    const before = count(tasks);
    const r = createTask(orgId, { title: `${n} を確認`, dueOn: "" }, userId);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.title).toMatch(MESSAGE);
    expect(count(tasks)).toBe(before);
  });

  it.each(SPELLINGS)("organisation name, notes and email: %s", (n) => {
    const before = getDb().select().from(organisations).where(eq(organisations.id, orgId)).get();
    for (const patch of [{ name: `町内会 ${n}` }, { notes: `メモ\n${n}` }, { email: `${n.replace(/ /g, "")}@example.jp` }]) {
      const r = updateOrganisation(orgId, { name: "あおば町内会", kind: "neighbourhood", ...patch }, userId);
      expect(r.ok).toBe(false);
    }
    expect(getDb().select().from(organisations).where(eq(organisations.id, orgId)).get()).toEqual(before);
    const orgs = count(organisations);
    expect(createOrganisation({ name: `新規 ${n}`, kind: "other" }, userId).ok).toBe(false);
    expect(count(organisations)).toBe(orgs);
  });

  it.each(SPELLINGS)("contact name, phone, role and email: %s", (n) => {
    const before = count(contacts);
    for (const patch of [{ name: n }, { phone: n }, { role: n }, { email: `taro.${n.replace(/ /g, "")}@example.jp` }]) {
      const r = addContact(orgId, { name: "山田 花子", ...patch }, userId);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(Object.values(r.errors).join()).toMatch(MESSAGE);
    }
    expect(count(contacts)).toBe(before);
    expect(linkContact(orgId, contactId, `役員 ${n}`, userId).ok).toBe(false);
  });

  it.each(SPELLINGS)("saved filters, their name and the search words they keep: %s", (n) => {
    const before = count(savedFilters);
    expect(saveFilter(userId, `検索 ${n}`, "stage=contacted").ok).toBe(false);
    const r = saveFilter(userId, "会員で検索", `?q=${encodeURIComponent(n)}&stage=contacted`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.filterName).toMatch(MESSAGE);
    expect(count(savedFilters)).toBe(before);
  });

  it.each(SPELLINGS)("next action, stage reason and venue: %s", (n) => {
    const acts = count(activities);
    expect(setNextAction(orgId, { nextActionOn: "2026-12-01", nextActionNote: n }, userId).ok).toBe(false);
    expect(moveStage({ organisationId: orgId, to: "lost", reason: n, userId }).ok).toBe(false);
    expect(count(activities)).toBe(acts);
    const vs = count(venues);
    const r = saveVenue(null, { name: "公民館", kind: "community_hall", address: "あおば市1-1", contactPhone: n.replace(/[・./]/g, "-") }, userId);
    expect(r.ok).toBe(false);
    expect(count(venues)).toBe(vs);
  });

  it("still takes ordinary text with phone numbers, postal codes and dates", () => {
    expect(logManualActivity(orgId, { kind: "call", summary: "会長(090-1234-5678)と話した。〒030-0801、12/1〜12/5 で調整" }, userId).ok).toBe(true);
    expect(createTask(orgId, { title: "請求番号 123456789012 を確認", dueOn: "" }, userId).ok).toBe(true);
    expect(saveFilter(userId, "町内会", "?q=%E7%94%BA%E5%86%85%E4%BC%9A").ok).toBe(true);
  });
});
