import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "../../app/db.server";
import { parseFilters } from "../../app/crm/filters";
import { mergeOrganisations } from "../../app/crm/merge.server";
import {
  addContact,
  finishTask,
  getOrganisationPage,
  listOrganisations,
  logManualActivity,
  priorityFor,
  setNextAction,
} from "../../app/crm/organisations.server";
import { getBoard, moveStage } from "../../app/crm/pipeline.server";
import { getToday } from "../../app/visits/today.server";
import { activities, auditLog, organisationContacts, organisations, tasks, users, visits } from "../../db/schema";
import { loadDemoData } from "../../db/demo/seed";
import { useFreshDatabase } from "../support/db";

let ctx: ReturnType<typeof useFreshDatabase>;
let outreachId: number;

beforeAll(async () => {
  ctx = useFreshDatabase();
  await loadDemoData(getDb());
  outreachId = getDb().select().from(users).where(eq(users.email, "outreach@demo.example")).get()!.id;
});
afterAll(() => ctx.cleanup());

const list = (query: string) => listOrganisations(parseFilters(new URLSearchParams(query)), outreachId);

describe("organisation list", () => {
  it("sorts by the same priority the breakdown shows", () => {
    const { rows } = list("");
    const breakdown = priorityFor(rows.map((r) => r.id));
    for (const r of rows) expect(Math.round(r.priority)).toBe(breakdown.get(r.id)!.score);
    const scores = rows.map((r) => r.priority);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("finds organisations whatever the width, legal form or spacing typed", () => {
    const target = list("q=あおば交通").rows;
    expect(target.map((r) => r.name)).toContain("株式会社あおば交通");
    for (const q of ["（株）あおば交通", "㈱あおば交通", "あおば 交通", "株式会社　あおば交通"]) {
      expect(list(`q=${encodeURIComponent(q)}`).rows.map((r) => r.name)).toContain("株式会社あおば交通");
    }
  });

  it("finds the welfare facilities of the district with the lowest card rate, best first", () => {
    const lowest = getDb().$client.prepare("select id from districts order by cards_issued * 1.0 / population limit 1").get() as { id: number };
    const { rows } = list(`kind=welfare&district=${lowest.id}`);
    for (const r of rows) expect(r).toMatchObject({ kind: "welfare", districtId: lowest.id });
  });

  it("filters my organisations, open tasks and no next action", () => {
    const mine = list("owner=me");
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.rows.every((r) => r.ownerId === outreachId)).toBe(true);
    expect(list("openTask=1").rows.every((r) => r.openTasks > 0)).toBe(true);
    expect(list("noNext=1").rows.every((r) => r.nextActionOn === null)).toBe(true);
  });

  it("stays fast with 20,000 organisations", () => {
    const db = getDb();
    const insert = db.$client.prepare(
      "insert into organisations (name, search_key, kind, district_id, head_count, phone_key) values (?, ?, ?, ?, ?, ?)",
    );
    const kinds = ["company", "neighbourhood", "welfare", "school", "medical", "other"];
    db.$client.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run(`テスト団体${i}`, `てすと団体${i}`, kinds[i % 6], (i % 12) + 1, i % 400, `0172${String(i).padStart(6, "0")}`);
    })();
    const timed = (q: string) => {
      const t = performance.now();
      const r = list(q);
      return { ms: performance.now() - t, r };
    };
    list(""); // warm the statement cache
    const all = timed("");
    expect(all.r.total).toBeGreaterThan(20_000);
    expect(all.r.rows).toHaveLength(50);
    expect(all.ms).toBeLessThan(1500);
    const search = timed("q=テスト団体1234&page=1");
    expect(search.r.rows[0].name).toBe("テスト団体1234");
    expect(search.ms).toBeLessThan(500);
    const band = timed("band=high&kind=welfare&page=3");
    expect(band.ms).toBeLessThan(1500);
    expect(timed("page=400").r.page).toBe(400);
  });
});

describe("pipeline", () => {
  const orgByStage = (stage: string) =>
    getDb().select().from(organisations).where(and(eq(organisations.stage, stage as "uncontacted"), eq(organisations.ownerId, outreachId))).get()!;

  it("moves a lead by hand and records who, when, from and to", () => {
    const org = orgByStage("uncontacted");
    const r = moveStage({ organisationId: org.id, to: "contacted", userId: outreachId });
    expect(r.ok).toBe(true);
    const after = getDb().select().from(organisations).where(eq(organisations.id, org.id)).get()!;
    expect(after.stage).toBe("contacted");
    expect(Date.now() - Date.parse(after.stageChangedAt)).toBeLessThan(5000);
    const change = getDb()
      .select()
      .from(activities)
      .where(and(eq(activities.organisationId, org.id), eq(activities.kind, "stage_change")))
      .all()
      .pop()!;
    expect(change).toMatchObject({ fromStage: "uncontacted", toStage: "contacted", userId: outreachId });
  });

  it("refuses lifecycle stages and 見送り without a reason, keeping the stage it was lost at", () => {
    const org = orgByStage("consulting");
    const r1 = moveStage({ organisationId: org.id, to: "confirmed", userId: outreachId });
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.message).toContain("手動で移動できません");
    const r2 = moveStage({ organisationId: org.id, to: "lost", reason: "", userId: outreachId });
    expect(r2.ok).toBe(false);
    const r3 = moveStage({ organisationId: org.id, to: "lost", reason: "今年度は見送り", userId: outreachId });
    expect(r3.ok).toBe(true);
    const after = getDb().select().from(organisations).where(eq(organisations.id, org.id)).get()!;
    expect(after).toMatchObject({ stage: "lost", lostReason: "今年度は見送り", lostAtStage: "consulting" });
  });

  it("counts every column and sums the expected applicants", () => {
    const board = getBoard();
    const uncontacted = board.find((c) => c.stage === "uncontacted")!;
    const n = getDb().$client.prepare("select count(*) n, sum(coalesce(expected_applicants,0)) s from organisations where stage='uncontacted' and merged_into_id is null").get() as { n: number; s: number };
    expect(uncontacted.count).toBe(n.n);
    expect(uncontacted.expectedSum).toBe(n.s);
    expect(uncontacted.cards.length).toBeLessThanOrEqual(20);
  });
});

describe("organisation page", () => {
  it("logs a call and a next action on the timeline, and audit-logs the view", () => {
    const org = getDb().select().from(organisations).where(eq(organisations.name, "株式会社あおば交通")).get()!;
    expect(logManualActivity(org.id, { kind: "call", summary: "総務課長に電話。\n来月の朝礼で案内してもらえる" }, outreachId).ok).toBe(true);
    expect(setNextAction(org.id, { nextActionOn: "2026-12-10", nextActionNote: "朝礼の日程を確認" }, outreachId).ok).toBe(true);
    const bad = logManualActivity(org.id, { kind: "call", summary: "番号 123456789018 を控えた" }, outreachId);
    expect(bad.ok).toBe(false);
    const page = getOrganisationPage(org.id, { id: outreachId }, "127.0.0.1")!;
    expect(page.timeline[1]).toMatchObject({ kind: "call", summary: "総務課長に電話。", userName: "佐々木 翔太" });
    expect(page.timeline[0].summary).toContain("次回予定を 2026-12-10");
    expect(page.organisation.nextActionOn).toBe("2026-12-10");
    expect(page.priority?.parts).toHaveLength(5);
    const views = getDb().select().from(auditLog).where(eq(auditLog.action, "crm.organisation_view")).all();
    expect(views.at(-1)).toMatchObject({ userId: outreachId, entityId: String(org.id) });
  });

  it("finishes a task in one step from the Today view", () => {
    const today = getToday(outreachId);
    expect(today.tasks.length).toBeGreaterThan(0);
    const t = today.tasks[0];
    expect(finishTask(t.id, outreachId).ok).toBe(true);
    expect(getDb().select().from(tasks).where(eq(tasks.id, t.id)).get()?.doneById).toBe(outreachId);
    expect(getToday(outreachId).tasks.map((x) => x.id)).not.toContain(t.id);
  });
});

describe("merge", () => {
  it("moves history, contacts, requests, visits and tasks to the survivor in one go", () => {
    const db = getDb();
    const survivor = db.select().from(organisations).where(eq(organisations.name, "株式会社あおば精機")).get()!;
    const loser = db
      .insert(organisations)
      .values({ name: "あおば精機", searchKey: "あおば精機", kind: "company", phone: "0172-99-1111", phoneKey: "0172991111", headCount: 999 })
      .returning()
      .get();
    addContact(loser.id, { name: "重複 太郎", role: "工場長" }, outreachId);
    db.insert(tasks).values({ organisationId: loser.id, title: "重複側のタスク", assigneeId: outreachId }).run();
    const survivorVisits = db.select().from(visits).where(eq(visits.organisationId, survivor.id)).all().length;
    const r = mergeOrganisations({ survivorId: survivor.id, loserId: loser.id, take: { headCount: "loser" }, userId: outreachId });
    expect(r.ok).toBe(true);
    const after = db.select().from(organisations).where(eq(organisations.id, survivor.id)).get()!;
    expect(after.headCount).toBe(999);
    expect(after.name).toBe("株式会社あおば精機");
    expect(db.select().from(organisations).where(eq(organisations.id, loser.id)).get()?.mergedIntoId).toBe(survivor.id);
    expect(db.select().from(organisationContacts).where(eq(organisationContacts.organisationId, survivor.id)).all().length).toBeGreaterThanOrEqual(2);
    expect(db.select().from(tasks).where(eq(tasks.title, "重複側のタスク")).get()?.organisationId).toBe(survivor.id);
    expect(db.select().from(visits).where(eq(visits.organisationId, survivor.id)).all().length).toBe(survivorVisits);
    expect(list("q=あおば精機").rows.map((x) => x.id)).toEqual([survivor.id]);
    expect(mergeOrganisations({ survivorId: survivor.id, loserId: loser.id, take: {}, userId: outreachId }).ok).toBe(false);
  });
});
