import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "../../app/db.server";
import { queueCityDigest } from "../../app/visits/digest.server";
import { waitedDays } from "../../app/visits/queries.server";
import { emailOutbox, users, visits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { groupVisit, seedBasics, type Fixture } from "../support/visits";

let ctx: ReturnType<typeof useFreshDatabase>;
let f: Fixture;

beforeAll(() => {
  ctx = useFreshDatabase();
  f = seedBasics();
});
afterAll(() => ctx.cleanup());

const digests = () => getDb().select().from(emailOutbox).where(eq(emailOutbox.template, "city_digest")).all();
/** An instant at HH:mm Tokyo time on a Tokyo day. */
const tokyo = (ymd: string, hm: string) => new Date(`${ymd}T${hm}:00+09:00`);

describe("waiting is counted in business days", () => {
  // Expected values counted by hand on a calendar of 2026.
  it.each([
    ["2026-11-27", "2026-11-27", 0], // same day
    ["2026-11-27", "2026-11-30", 1], // Friday → Monday: the weekend does not count
    ["2026-11-20", "2026-11-24", 1], // Friday → Tuesday over 勤労感謝の日 (Mon 11/23)
    ["2026-11-20", "2026-12-02", 7], // 11/24, 25, 26, 27, 30, 12/1, 12/2 (12 calendar days)
    ["2026-12-28", "2027-01-04", 1], // the year-end closure 12/29–1/3 does not count
    ["2026-09-18", "2026-09-24", 1], // 敬老の日, 国民の休日 9/22 and 秋分の日
  ])("from %s to %s: %i", (from, to, expected) => {
    expect(waitedDays(tokyo(from, "10:00").toISOString(), tokyo(to, "08:00"))).toBe(expected);
  });
});

describe("the city's morning digest", () => {
  it("sends nothing when nothing waits for the city", () => {
    expect(queueCityDigest(tokyo("2026-11-30", "08:00"))).toBe(0);
    expect(digests()).toHaveLength(0);
  });

  it("emails every active city official once a business day after 07:00, with waits in business days", () => {
    getDb().insert(users).values({ email: "city2@t.jp", name: "市 二郎", role: "city", passwordHash: "x" }).run();
    getDb().insert(users).values({ email: "retired@t.jp", name: "退職 者", role: "city", passwordHash: "x", active: false }).run();
    const long = groupVisit(f, { status: "awaiting_city", date: "2026-12-20", name: "長く待つ町内会" });
    getDb().update(visits).set({ statusChangedAt: tokyo("2026-11-20", "15:00").toISOString() }).where(eq(visits.id, long.visitId)).run();
    // Five calendar days but three business days on Wednesday 12/2: not stale (stale is more than 3).
    const recent = groupVisit(f, { status: "awaiting_city", date: "2026-12-21", name: "週末をはさむ自治会" });
    getDb().update(visits).set({ statusChangedAt: tokyo("2026-11-27", "15:00").toISOString() }).where(eq(visits.id, recent.visitId)).run();

    expect(queueCityDigest(tokyo("2026-12-02", "06:50"))).toBe(0);
    expect(queueCityDigest(tokyo("2026-12-02", "07:05"))).toBe(2);
    expect(queueCityDigest(tokyo("2026-12-02", "07:15"))).toBe(0);
    const mails = digests();
    expect(mails.map((m) => m.toAddress).sort()).toEqual(["city2@t.jp", "city@t.jp"]);
    expect(mails[0].subject).toContain("承認待ち 2件");
    expect(mails[0].subject).toContain("滞留 1件");
    expect(mails[0].text).toContain("長く待つ町内会（20人）— 7営業日待ち【滞留: 3営業日超】");
    expect(mails[0].text).toContain("週末をはさむ自治会（20人）— 3営業日待ち\n");
    expect(mails[0].text).toContain(`/city/visits/${long.visitId}`);
    // The next business day it goes again.
    expect(queueCityDigest(tokyo("2026-12-03", "07:30"))).toBe(2);
  });

  it.each([
    ["2026-12-05", "a Saturday"],
    ["2026-12-06", "a Sunday"],
    ["2026-11-23", "勤労感謝の日"],
    ["2026-09-22", "国民の休日"],
    ["2026-12-29", "the year-end closure"],
    ["2027-01-03", "the year-end closure"],
  ])("stays silent on %s (%s)", (day) => {
    const before = digests().length;
    expect(queueCityDigest(tokyo(day, "09:00"))).toBe(0);
    expect(digests()).toHaveLength(before);
  });

  it("goes out on the Monday after a weekend", () => {
    expect(queueCityDigest(tokyo("2026-12-07", "07:10"))).toBe(2);
  });
});
