import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "../../app/db.server";
import { addDays, todayInTokyo } from "../../app/lib/dates";
import { queueCityDigest } from "../../app/visits/digest.server";
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

describe("the city's morning digest", () => {
  it("sends nothing when nothing waits for the city", () => {
    expect(queueCityDigest(tokyo(todayInTokyo(), "08:00"))).toBe(0);
    expect(digests()).toHaveLength(0);
  });

  it("emails every active city official once a day after 07:00, flagging items waiting too long", () => {
    getDb().insert(users).values({ email: "city2@t.jp", name: "市 二郎", role: "city", passwordHash: "x" }).run();
    getDb().insert(users).values({ email: "retired@t.jp", name: "退職 者", role: "city", passwordHash: "x", active: false }).run();
    const g = groupVisit(f, { status: "awaiting_city", date: addDays(todayInTokyo(), 20), name: "長く待つ町内会" });
    getDb().update(visits).set({ statusChangedAt: new Date(Date.now() - 6 * 86_400_000).toISOString() }).where(eq(visits.id, g.visitId)).run();
    const today = todayInTokyo();

    expect(queueCityDigest(tokyo(today, "06:50"))).toBe(0);
    expect(queueCityDigest(tokyo(today, "07:05"))).toBe(2);
    expect(queueCityDigest(tokyo(today, "07:15"))).toBe(0);
    const mails = digests();
    expect(mails.map((m) => m.toAddress).sort()).toEqual(["city2@t.jp", "city@t.jp"]);
    expect(mails[0].subject).toContain("承認待ち 1件");
    expect(mails[0].subject).toContain("滞留 1件");
    expect(mails[0].text).toContain("長く待つ町内会");
    expect(mails[0].text).toContain(`/city/visits/${g.visitId}`);
    // The next day it goes again.
    expect(queueCityDigest(tokyo(addDays(today, 1), "07:30"))).toBe(2);
  });
});
