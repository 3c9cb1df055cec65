/**
 * The organisation list and the pipeline at scale (issue 14): search through
 * the trigram index (and its term list for 1–2 characters) with the same
 * results as before, kept in step by every write path; stored priority scores
 * that follow their inputs; counts and pages read from indexes.
 */
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "../../app/db.server";
import { parseFilters } from "../../app/crm/filters";
import { createImportJob, previewImport, startImport } from "../../app/crm/import.server";
import { mergeOrganisations } from "../../app/crm/merge.server";
import { createOrganisation, listOrganisations, priorityFor, updateOrganisation, whereFor } from "../../app/crm/organisations.server";
import { getBoard } from "../../app/crm/pipeline.server";
import { districts, organisations, users } from "../../db/schema";
import { loadDemoData } from "../../db/demo/seed";
import { useFreshDatabase } from "../support/db";

let ctx: ReturnType<typeof useFreshDatabase>;
let userId: number;

beforeAll(async () => {
  ctx = useFreshDatabase();
  await loadDemoData(getDb());
  userId = getDb().select().from(users).where(eq(users.email, "manager@demo.example")).get()!.id;
});
afterAll(() => ctx.cleanup());

const names = (query: string) => listOrganisations(parseFilters(new URLSearchParams(query)), userId).rows.map((r) => r.name);
const q = (text: string) => names(`q=${encodeURIComponent(text)}`);
const orgByName = (name: string) => getDb().select().from(organisations).where(eq(organisations.name, name)).get()!;
const baseForm = { kind: "company", nameKana: "", postalCode: "", address: "", phone: "", email: "", headCount: "", expectedApplicants: "", notes: "" };

describe("organisation search", () => {
  it("finds an organisation by its reading in hiragana, katakana and half-width katakana", () => {
    const r = createOrganisation({ ...baseForm, name: "株式会社東雲物流", nameKana: "しののめぶつりゅう" }, userId);
    expect(r.ok).toBe(true);
    for (const text of ["しののめ", "シノノメ", "ｼﾉﾉﾒ", "ぶつりゅう"]) expect(q(text)).toEqual(["株式会社東雲物流"]);
  });

  it("finds one- and two-character searches anywhere in the name, the key or the reading", () => {
    expect(q("東雲")).toEqual(["株式会社東雲物流"]);
    expect(q("雲")).toContain("株式会社東雲物流");
    expect(q("めぶ")).toEqual(["株式会社東雲物流"]);
    // The last two characters of a name (the end of the indexed text) and upper-case Latin letters.
    createOrganisation({ ...baseForm, name: "ABCテック" }, userId);
    expect(q("ック")).toContain("ABCテック");
    expect(q("bc")).toEqual(["ABCテック"]);
    expect(q("ｂｃ")).toEqual(["ABCテック"]);
    // Characters that mean something to LIKE or to the index's query language are plain text.
    expect(q("%")).toEqual([]);
    expect(q('"')).toEqual([]);
    expect(q('テック"')).toEqual([]);
  });

  it("reads the search index, not the whole table", () => {
    const db = getDb().$client;
    for (const text of ["東雲物流", "東雲", "雲"]) {
      const { where, params } = whereFor(parseFilters(new URLSearchParams({ q: text })), userId, "2026-12-01");
      const plan = (db.prepare(`explain query plan select count(*) from organisations o where ${where}`).all(...params) as { detail: string }[]).map((p) => p.detail);
      expect(plan.join("\n")).toMatch(/organisations_fts/);
      expect(plan.some((d) => /^SCAN o\b/.test(d))).toBe(false);
    }
  });

  it("finds the new name after a rename, and no longer the old one", () => {
    const org = orgByName("株式会社東雲物流");
    expect(updateOrganisation(org.id, { ...baseForm, name: "株式会社暁運輸", nameKana: "あかつきうんゆ" }, userId).ok).toBe(true);
    expect(q("暁運輸")).toEqual(["株式会社暁運輸"]);
    expect(q("暁")).toEqual(["株式会社暁運輸"]);
    expect(q("あかつき")).toEqual(["株式会社暁運輸"]);
    expect(q("東雲物流")).toEqual([]);
    expect(q("東雲")).toEqual([]);
    expect(q("しののめ")).toEqual([]);
  });

  it("after a merge, finds the survivor under the name kept and never the merged-away organisation", () => {
    createOrganisation({ ...baseForm, name: "有限会社夕凪商店", nameKana: "ゆうなぎしょうてん" }, userId);
    const survivor = orgByName("株式会社暁運輸");
    const loser = orgByName("有限会社夕凪商店");
    const r = mergeOrganisations({ survivorId: survivor.id, loserId: loser.id, take: { name: "loser", nameKana: "loser" }, userId });
    expect(r.ok).toBe(true);
    expect(q("夕凪商店").map((n) => n)).toEqual(["有限会社夕凪商店"]);
    expect(listOrganisations(parseFilters(new URLSearchParams({ q: "夕凪" })), userId).rows.map((x) => x.id)).toEqual([survivor.id]);
    expect(q("ゆうなぎ")).toEqual(["有限会社夕凪商店"]);
    expect(q("暁運輸")).toEqual([]);
  });

  it("finds organisations created by a CSV import", async () => {
    const csv = ["団体名,フリガナ,種類", "星見台自治会,ホシミダイジチカイ,町内会"].join("\r\n");
    const job = await createImportJob(new Uint8Array(iconv.encode(csv, "Shift_JIS")), "団体.csv", userId);
    if (!job.ok) throw new Error(job.message);
    const preview = (await previewImport(job.jobId, null))!;
    const started = await startImport(job.jobId, preview.mapping, userId);
    if (!started.ok) throw new Error(started.message);
    await started.done;
    expect(q("星見台")).toEqual(["星見台自治会"]);
    expect(q("星見")).toEqual(["星見台自治会"]);
    expect(q("ほしみだい")).toEqual(["星見台自治会"]);
  });
});

describe("stored priority scores", () => {
  const listed = (query: string) => listOrganisations(parseFilters(new URLSearchParams(query)), userId).rows;
  const agrees = (query = "") => {
    const rows = listed(query);
    const breakdown = priorityFor(rows.map((r) => r.id));
    for (const r of rows) expect([r.name, Math.round(r.priority)]).toEqual([r.name, breakdown.get(r.id)!.score]);
    return rows;
  };

  it("follow a change of head-count and of the district's card figures", () => {
    const org = orgByName("株式会社ほくと電設");
    const before = listed("q=ほくと電設")[0].priority;
    getDb().update(organisations).set({ expectedApplicants: 100 }).where(eq(organisations.id, org.id)).run();
    const bigger = listed("q=ほくと電設")[0].priority;
    expect(bigger).toBeGreaterThan(before);
    getDb().update(districts).set({ cardsIssued: 0 }).where(eq(districts.id, org.districtId!)).run();
    expect(listed("q=ほくと電設")[0].priority).toBeGreaterThan(bigger);
    agrees();
    agrees(`district=${org.districtId}`);
    agrees("sort=name");
  });

  it("follow a visit's results and its date", () => {
    const db = getDb().$client;
    // A completed group visit with results: its organisation's yield and recency parts come from them.
    const v = db
      .prepare(
        `select v.id, v.organisation_id as orgId, v.expected_applicants as expected from visits v join visit_results r on r.visit_id = v.id
         where v.kind = 'group' and v.status = 'completed' and v.expected_applicants > 5 limit 1`,
      )
      .get() as { id: number; orgId: number; expected: number };
    const name = (db.prepare("select name from organisations where id = ?").get(v.orgId) as { name: string }).name;
    const score = () => listed(`q=${encodeURIComponent(name)}`).find((r) => r.id === v.orgId)!.priority;
    const fresh = () => priorityFor([v.orgId]).get(v.orgId)!.score;
    const s0 = score();
    const results = (accept: number) =>
      db
        .prepare(
          `update visit_results set accept_count = ?, support_online_count = 0, support_mail_count = 0, accept_out_of_city_count = 0,
             support_online_out_of_city_count = 0, support_mail_out_of_city_count = 0, in_city_count = ?, out_of_city_count = 0 where visit_id = ?`,
        )
        .run(accept, accept, v.id);
    // Another organisation's score is already waiting to be redone: this one must join it, not be skipped.
    db.prepare("update organisations set head_count = coalesce(head_count, 0) + 1 where id = (select min(id) from organisations where id <> ?)").run(v.orgId);
    // Nobody applied: a lower yield, a lower score.
    results(0);
    const s1 = score();
    expect(s1).toBeLessThan(s0);
    expect(Math.round(s1)).toBe(fresh());
    // Everyone expected applied: higher again.
    results(v.expected);
    expect(score()).toBeGreaterThan(s1);
    expect(Math.round(score())).toBe(fresh());
    const before = score();
    db.prepare("update visits set date = '2000-01-01' where id = ?").run(v.id);
    expect(score()).not.toBe(before);
    expect(Math.round(score())).toBe(fresh());
  });
});

describe("pipeline", () => {
  it("shows ten cards per column with the column's full count, and more on request", () => {
    const db = getDb().$client;
    const insert = db.prepare("insert into organisations (name, search_key, kind, stage) values (?, ?, 'company', 'revisit')");
    db.transaction(() => {
      for (let i = 0; i < 30; i++) insert.run(`再訪テスト${i}`, `再訪てすと${i}`);
    })();
    const m = (db.prepare("select count(*) as n from organisations where stage = 'revisit' and merged_into_id is null").get() as { n: number }).n;
    const col = getBoard().find((c) => c.stage === "revisit")!;
    expect(col.count).toBe(m);
    expect(col.cards).toHaveLength(10);
    expect(getBoard({ limits: { revisit: 30 } }).find((c) => c.stage === "revisit")!.cards).toHaveLength(30);
  });

  it("keeps the kept counts exact through moves, owner changes, merges and deletes", () => {
    const db = getDb().$client;
    const direct = (where = "") =>
      db.prepare(`select stage, count(*) as n, sum(coalesce(expected_applicants, 0)) as s from organisations where merged_into_id is null${where} group by stage`).all() as {
        stage: string;
        n: number;
        s: number;
      }[];
    const check = () => {
      for (const [board, rows] of [
        [getBoard(), direct()],
        [getBoard({ owner: userId }), direct(` and owner_id = ${userId}`)],
      ] as const) {
        for (const col of board) {
          const d = rows.find((r) => r.stage === col.stage);
          expect([col.stage, col.count, col.expectedSum]).toEqual([col.stage, d?.n ?? 0, d?.s ?? 0]);
        }
      }
      const all = (db.prepare("select count(*) as n from organisations where merged_into_id is null").get() as { n: number }).n;
      expect(listOrganisations(parseFilters(new URLSearchParams()), userId).total).toBe(all);
      const mineRevisit = (db.prepare(`select count(*) as n from organisations where merged_into_id is null and owner_id = ${userId} and stage = 'revisit'`).get() as { n: number }).n;
      expect(listOrganisations(parseFilters(new URLSearchParams("owner=me&stage=revisit")), userId).total).toBe(mineRevisit);
      const none = (db.prepare("select count(*) as n from organisations where merged_into_id is null and owner_id is null").get() as { n: number }).n;
      expect(listOrganisations(parseFilters(new URLSearchParams("owner=none")), userId).total).toBe(none);
    };
    check();
    const ids = (db.prepare("select id from organisations where name like '再訪テスト%' order by id").all() as { id: number }[]).map((r) => r.id);
    db.prepare("update organisations set stage = 'contacted', expected_applicants = 7 where id = ?").run(ids[0]);
    db.prepare("update organisations set owner_id = ? where id in (?, ?)").run(userId, ids[1], ids[2]);
    db.prepare("update organisations set expected_applicants = 12 where id = ?").run(ids[2]);
    expect(mergeOrganisations({ survivorId: ids[3], loserId: ids[4], take: {}, userId }).ok).toBe(true);
    db.prepare("delete from organisations where id = ?").run(ids[5]);
    check();
  });

  it("counts and pages each column from an index", () => {
    const db = getDb().$client;
    const plans = [
      "select o.stage, count(*), sum(coalesce(o.expected_applicants, 0)) from organisations o where o.merged_into_id is null group by o.stage",
      "select o.stage, count(*), sum(coalesce(o.expected_applicants, 0)) from organisations o where o.merged_into_id is null and o.owner_id = 1 group by o.stage",
      "select count(*) from organisations o where o.merged_into_id is null",
      "select count(*) from organisations o where o.merged_into_id is null and o.kind = 'welfare'",
    ].map((sql) => (db.prepare(`explain query plan ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(" | "));
    for (const plan of plans) expect(plan).toMatch(/USING COVERING INDEX/);
  });
});
