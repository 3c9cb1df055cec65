/**
 * The contract's reports built from results (issue 13): totals equal the sum
 * of the results, before and after a correction; a submitted report stays
 * frozen and a correction becomes a new version that says what changed; the
 * city acknowledges. The results go in the way staff enter them
 * (recordResults, which completes each visit; corrections with the version
 * they were made from). Every expected number below is worked out by hand
 * from the results this file enters.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { SessionUser } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import { buildReport } from "../../app/reports/build.server";
import { programById } from "../../app/reports/data.server";
import { acknowledgeReport, saveDraft, stillMatches, submitReport, versionsOf } from "../../app/reports/store.server";
import type { CompletionBody, DailyBody, MonthlyBody } from "../../app/reports/types";
import { recordResults } from "../../app/visits/results.server";
import { incidents, inquiries, prActivities, reports, sitePhotos, visitResultHistory, visitResults, visits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { cancelSession, correctResults, enterResults, insertOrganisation, insertProgram, insertSession, insertUser, insertVenue, tokyo as at } from "../support/reports";

let ctx: ReturnType<typeof useFreshDatabase>;
let programId: number;
let staff: SessionUser;
let manager: SessionUser;
let city: SessionUser;
const ids = {} as Record<"N1" | "N2" | "D1" | "D2" | "D3" | "D4" | "P1" | "X1", number>;
let photoId: number;

const program = () => programById(programId, getDb())!;
const build = (kind: "daily" | "monthly" | "completion", key: string, now = at("2026-12-07T09:00")) => buildReport(program(), kind, key, now, getDb())!;

beforeAll(() => {
  ctx = useFreshDatabase();
  programId = insertProgram();
  staff = insertUser("outreach", "s@t.jp", "営業 一郎");
  manager = insertUser("manager", "m@t.jp", "総括 花子");
  city = insertUser("city", "c@t.jp", "市役所 三郎");
  const v1 = insertVenue("あおばスーパー本店", "supermarket");
  const v2 = insertVenue("みどり銀行駅前支店", "bank");
  const v3 = insertVenue("さくらモール", "shopping_centre");
  const o1 = insertOrganisation("中央三丁目町内会", "neighbourhood");
  const o2 = insertOrganisation("緑風園", "welfare");

  // November (the month before, for the analysis)
  ids.N1 = insertSession({ programId, kind: "roaming", mode: "support", date: "2026-11-10", from: "10:00", to: "14:00", venueId: v1 });
  enterResults(ids.N1, { online: 10, mail: 2 }, staff);
  ids.N2 = insertSession({ programId, kind: "base", mode: "accept", date: "2026-11-14", from: "10:00", to: "15:00", venueId: v3 });
  enterResults(ids.N2, { accept: 20 }, staff);
  // December
  ids.D1 = insertSession({ programId, kind: "roaming", mode: "support", date: "2026-12-04", from: "10:00", to: "13:00", venueId: v1 });
  enterResults(ids.D1, { online: 12, onlineOut: 1, mail: 3, other: { mynapoint: 2, health_insurance: 1 }, inquiries: { documents: 3 }, notes: "店内放送で案内" }, staff);
  ids.D2 = insertSession({ programId, kind: "group", mode: "accept", date: "2026-12-04", from: "13:30", to: "15:30", organisationId: o1 });
  enterResults(ids.D2, { accept: 18, acceptOut: 2, online: 2, fallback: 2, fallbackReasons: { id_incomplete: 2 }, other: { public_funds_account: 4 } }, staff);
  ids.D3 = insertSession({ programId, kind: "base", mode: "support", date: "2026-12-05", from: "10:00", to: "16:00", venueId: v3 });
  enterResults(ids.D3, { online: 25, onlineOut: 3, mail: 5 }, staff);
  ids.D4 = insertSession({ programId, kind: "group", mode: "accept", date: "2026-12-10", from: "10:00", to: "12:00", organisationId: o2 });
  enterResults(ids.D4, { accept: 9 }, staff);
  // Agreed but without results yet: its day's report is not ready.
  ids.P1 = insertSession({ programId, kind: "roaming", mode: "support", date: "2026-12-11", from: "10:00", to: "14:00", venueId: v2 });
  // A cancelled session never counts (and takes no results).
  ids.X1 = insertSession({ programId, kind: "roaming", mode: "support", date: "2026-12-04", from: "15:00", to: "16:00", venueId: v2 });
  cancelSession(ids.X1, staff);

  const db = getDb();
  photoId = db
    .insert(sitePhotos)
    .values({ visitId: ids.D1, storedPath: "photos/1.jpg", mimeType: "image/jpeg", caption: "会場の様子（顔が写らない位置から）" })
    .returning({ id: sitePhotos.id })
    .get().id;
  db.insert(incidents)
    .values({ visitId: ids.D2, kind: "complaint", severity: "minor", occurredAt: "2026-12-04T14:10", what: "待ち時間が長いとの声", actionTaken: "整理券を配布" })
    .run();
  // The inquiry log's own rows (the 3 on-site ones of 12/4 came with D1's results).
  db.insert(inquiries)
    .values([
      { channel: "phone", receivedOn: "2026-12-03", topic: "how_to_apply", count: 2 },
      { channel: "email", receivedOn: "2026-12-08", topic: "how_to_apply", count: 1 },
      { channel: "phone", receivedOn: "2026-11-20", topic: "pickup", count: 1 },
    ])
    .run();
  db.insert(prActivities)
    .values([
      { programId, medium: "sns", title: "市公式SNSで巡回日程を告知", status: "done", doneOn: "2026-11-05", reach: 12000, reachUnit: "表示" },
      { programId, medium: "flyer", title: "巡回日程チラシ", status: "done", doneOn: "2026-12-02", reach: 3000, reachUnit: "枚", cityApprovedOn: "2026-11-25" },
      { programId, medium: "radio", title: "コミュニティFMで紹介", status: "planned", plannedOn: "2027-01-15" },
      { programId, medium: "poster", title: "年末のポスター", status: "planned", plannedOn: "2026-12-20" },
    ])
    .run();
});
afterAll(() => ctx.cleanup());

describe("the daily report", () => {
  it("lists each completed session of the day with its results, and the day's totals", () => {
    const r = build("daily", "2026-12-04");
    const body = r.body as DailyBody;
    expect(r.deadline).toEqual({ dueOn: "2026-12-07", dueAt: "2026-12-07T18:00" });
    expect(r.notReady).toBeNull();
    expect(body.sessions.map((s) => [s.place, s.kind, s.counts.applications])).toEqual([
      ["あおばスーパー本店", "roaming", 15],
      ["中央三丁目町内会", "group", 20],
    ]);
    const [d1, d2] = body.sessions;
    expect(d1.counts).toMatchObject({ supportOnline: 12, supportMail: 3, inCity: 14, outOfCity: 1, supportOnlineOutOfCity: 1, hours: 3, inquiries: 3 });
    expect(d1.photos).toEqual([{ id: photoId, caption: "会場の様子（顔が写らない位置から）" }]);
    expect(d2.counts).toMatchObject({ accept: 18, supportOnline: 2, fallback: 2, fallbackReasons: { id_incomplete: 2 }, acceptOutOfCity: 2 });
    expect(d2.incidents).toMatchObject([{ kind: "complaint", severity: "minor", what: "待ち時間が長いとの声", closed: false }]);
    expect(body.totals).toEqual({
      sessions: 2,
      hours: 5,
      accept: 18,
      supportOnline: 14,
      supportMail: 3,
      applications: 35,
      inCity: 32,
      outOfCity: 3,
      acceptOutOfCity: 2,
      supportOnlineOutOfCity: 1,
      supportMailOutOfCity: 0,
      fallback: 2,
      fallbackReasons: { id_incomplete: 2 },
      otherAssistance: { mynapoint: 2, health_insurance: 1, public_funds_account: 4 },
      inquiries: 3,
    });
  });

  it("is not ready while a confirmed session of the day has no results, and a day without sessions has no report", () => {
    const r = build("daily", "2026-12-11", at("2026-12-14T09:00"));
    expect(r.pending.map((p) => p.visitId)).toEqual([ids.P1]);
    expect(r.notReady).toContain("実績が未入力の回があります");
    expect(buildReport(program(), "daily", "2026-12-06", at("2026-12-07T09:00"), getDb())).toBeNull();
    expect(buildReport(program(), "daily", "2026-02-30", at("2026-12-07T09:00"), getDb())).toBeNull();
  });

  it("refuses to submit a day that is not ready, and writes nothing", () => {
    const r = submitReport({ program: program(), kind: "daily", key: "2026-12-11", remarks: "", user: manager, now: at("2026-12-14T09:00") });
    expect(r).toMatchObject({ ok: false });
    expect(getDb().select().from(reports).all()).toHaveLength(0);
  });
});

describe("versions: submitted reports are frozen, corrections make new versions", () => {
  it("keeps a draft of the remarks without freezing anything", () => {
    expect(saveDraft({ program: program(), kind: "daily", key: "2026-12-04", remarks: "雨天のため来場少なめ", user: manager, now: at("2026-12-07T08:30") })).toEqual({ ok: true });
    const [draft] = versionsOf(programId, "daily", "2026-12-04");
    expect(draft).toMatchObject({ version: 1, status: "draft", remarks: "雨天のため来場少なめ", body: null });
  });

  it("refuses remarks holding an individual number", () => {
    const r = submitReport({ program: program(), kind: "daily", key: "2026-12-04", remarks: "番号 1234 5678 9018", user: manager, now: at("2026-12-07T09:00") });
    expect(r).toMatchObject({ ok: false, field: "remarks" });
  });

  it("freezes the body on submission; a later correction leaves version 1 as it was and version 2 says what changed", () => {
    const first = submitReport({ program: program(), kind: "daily", key: "2026-12-04", remarks: "雨天のため来場少なめ", user: manager, now: at("2026-12-07T09:00") });
    expect(first).toMatchObject({ ok: true, version: 1, changes: [] });
    const v1 = () => versionsOf(programId, "daily", "2026-12-04").find((v) => v.version === 1)!;
    expect(v1()).toMatchObject({ status: "submitted", remarks: "雨天のため来場少なめ", changeSummary: null, dueAt: "2026-12-07T18:00" });
    expect((v1().body as DailyBody).totals.supportOnline).toBe(14);

    // The roaming stop had 13 online applications, not 12 (one more in-city applicant):
    // the manager corrects the results form filled from version 1.
    const fixed = { online: 13, onlineOut: 1, mail: 3, other: { mynapoint: 2, health_insurance: 1 }, inquiries: { documents: 3 }, notes: "店内放送で案内" };
    expect(correctResults(ids.D1, 1, fixed, manager, at("2026-12-08T08:45"), "オンライン申請の数え漏れ")).toMatchObject({ ok: true, first: false, version: 2 });
    const history = getDb().select().from(visitResultHistory).where(eq(visitResultHistory.visitId, ids.D1)).all();
    expect(history.map((h) => [h.reason, h.replacedById, (h.previous as { supportOnlineCount: number; version: number }).supportOnlineCount, (h.previous as { version: number }).version])).toEqual([
      ["オンライン申請の数え漏れ", manager.id, 12, 1],
    ]);

    expect((v1().body as DailyBody).totals.supportOnline).toBe(14);
    const live = build("daily", "2026-12-04", at("2026-12-08T09:00")).body as DailyBody;
    expect(live.totals).toMatchObject({ supportOnline: 15, applications: 36, inCity: 33 });
    expect(stillMatches(v1().body!, live)).toBe(false);

    const second = submitReport({ program: program(), kind: "daily", key: "2026-12-04", remarks: "雨天のため来場少なめ", user: manager, now: at("2026-12-08T10:00") });
    expect(second).toMatchObject({ ok: true, version: 2 });
    const v2 = versionsOf(programId, "daily", "2026-12-04").find((v) => v.version === 2)!;
    expect(v2.changeSummary!.split("\n")).toEqual([
      "あおばスーパー本店（巡回）: サポート方式（オンライン） 12 → 13件",
      "あおばスーパー本店（巡回）: 申請件数 15 → 16件",
      "あおばスーパー本店（巡回）: 市内 14 → 15件",
      "当日の合計: サポート方式（オンライン） 14 → 15件",
      "当日の合計: 申請件数 35 → 36件",
      "当日の合計: 市内 32 → 33件",
    ]);
    expect((v2.body as DailyBody).totals.supportOnline).toBe(15);
    expect((v1().body as DailyBody).totals.supportOnline).toBe(14);
  });

  it("refuses to submit the same figures and remarks again", () => {
    const r = submitReport({ program: program(), kind: "daily", key: "2026-12-04", remarks: "雨天のため来場少なめ", user: manager, now: at("2026-12-08T11:00") });
    expect(r).toEqual({ ok: false, message: "第2版から実績も備考も変わっていません。訂正がある場合は、実績を訂正してから提出してください。" });
  });

  it("lets the database itself refuse any change to a submitted version", () => {
    const c = getDb().$client;
    expect(() => c.prepare("update reports set body = '{}' where version = 1").run()).toThrow(/frozen/);
    expect(() => c.prepare("update reports set remarks = 'x' where version = 2").run()).toThrow(/frozen/);
    expect(() => c.prepare("delete from reports where version = 1").run()).toThrow(/frozen/);
  });

  it("lets the city acknowledge a submitted version once", () => {
    const v2 = versionsOf(programId, "daily", "2026-12-04").find((v) => v.version === 2)!;
    expect(acknowledgeReport({ reportId: v2.id, user: city, now: at("2026-12-08T15:00") })).toEqual({ ok: true, version: 2 });
    expect(versionsOf(programId, "daily", "2026-12-04").find((v) => v.version === 2)).toMatchObject({ status: "acknowledged", acknowledgedByName: "市役所 三郎" });
    expect(acknowledgeReport({ reportId: v2.id, user: city })).toEqual({ ok: false, message: "第2版は既に確認済みです。" });
    expect(acknowledgeReport({ reportId: 999999, user: city })).toBeNull();
  });

  it("does not count a photo deleted by retention as a correction", () => {
    const v2 = versionsOf(programId, "daily", "2026-12-04").find((v) => v.version === 2)!;
    getDb().delete(sitePhotos).where(eq(sitePhotos.id, photoId)).run();
    const live = build("daily", "2026-12-04", at("2026-12-09T09:00")).body as DailyBody;
    expect(live.sessions[0].photos).toEqual([]);
    expect(stillMatches(v2.body!, live)).toBe(true);
    // The frozen copy still names the photo; the page says it was deleted.
    expect((v2.body as DailyBody).sessions[0].photos).toEqual([{ id: photoId, caption: "会場の様子（顔が写らない位置から）" }]);
  });
});

describe("the monthly report", () => {
  it("is not ready before the month ends", () => {
    expect(build("monthly", "2026-12", at("2026-12-20T09:00")).notReady).toBe("月が終わってから提出できます（2027年1月1日(金)から）。");
    expect(build("monthly", "2026-12").deadline).toEqual({ dueOn: "2027-01-10", dueAt: "2027-01-10T23:59" });
  });

  it("adds up the month's results (after the correction) by kind, place and organisation kind", () => {
    const body = build("monthly", "2026-12").body as MonthlyBody;
    // D1 (16 after the correction) + D2 20 + D3 30 + D4 9
    expect(body.totals).toMatchObject({ sessions: 4, hours: 13, accept: 27, supportOnline: 40, supportMail: 8, applications: 75, inCity: 69, outOfCity: 6 });
    expect(body.byKind.map((k) => [k.key, k.counts.sessions, k.counts.applications])).toEqual([
      ["group", 2, 29],
      ["roaming", 1, 16],
      ["base", 1, 30],
    ]);
    expect(body.byOrganisationKind.map((k) => [k.label, k.counts.applications])).toEqual([
      ["町内会・自治会", 20],
      ["福祉施設", 9],
    ]);
    expect(body.days.map((d) => [d.date, d.counts.applications])).toEqual([
      ["2026-12-04", 36],
      ["2026-12-05", 30],
      ["2026-12-10", 9],
    ]);
    expect(body.incidents).toEqual({ serious: 0, total: 1 });
  });

  it("equals the sum of the results rows it comes from", () => {
    const sums = getDb()
      .$client.prepare(
        `select sum(accept_count) a, sum(support_online_count) o, sum(support_mail_count) m, sum(in_city_count) i, sum(out_of_city_count) x
           from visit_results r join visits v on v.id = r.visit_id where v.status = 'completed' and v.date like '2026-12-%'`
      )
      .get() as { a: number; o: number; m: number; i: number; x: number };
    const t = (build("monthly", "2026-12").body as MonthlyBody).totals;
    expect([t.accept, t.supportOnline, t.supportMail, t.inCity, t.outOfCity]).toEqual([sums.a, sums.o, sums.m, sums.i, sums.x]);
  });

  it("ranks places, kinds and organisation kinds by applications per session hour, with the month before beside", () => {
    const a = (build("monthly", "2026-12").body as MonthlyBody).analysis;
    expect(a.previousMonth).toBe("2026-11");
    expect(a.places.map((p) => [p.label, p.perHour, p.previous?.perHour ?? null])).toEqual([
      ["中央三丁目町内会", 10, null], // 20 / 2 h
      ["あおばスーパー本店", 5.3, 3], // 16 / 3 h; November 12 / 4 h
      ["さくらモール", 5, 4], // 30 / 6 h; November 20 / 5 h
      ["緑風園", 4.5, null], // 9 / 2 h
    ]);
    expect(a.kinds.map((k) => [k.key, k.perHour, k.previous?.perHour ?? null])).toEqual([
      ["group", 7.3, null], // 29 / 4 h
      ["roaming", 5.3, 3],
      ["base", 5, 4],
    ]);
    expect(a.organisationKinds.map((k) => [k.key, k.perHour])).toEqual([
      ["neighbourhood", 10],
      ["welfare", 4.5],
    ]);
  });

  it("lists PR done this month and planned for next, and inquiries by channel and category", () => {
    const body = build("monthly", "2026-12").body as MonthlyBody;
    expect(body.pr.done.map((p) => [p.title, p.reach, p.reachUnit])).toEqual([["巡回日程チラシ", 3000, "枚"]]);
    expect(body.pr.planned.map((p) => [p.title, p.on])).toEqual([["コミュニティFMで紹介", "2027-01-15"]]);
    expect(body.inquiries).toEqual({
      total: 6,
      byChannel: [
        { channel: "phone", count: 2 },
        { channel: "site", count: 3 },
        { channel: "email", count: 1 },
      ],
      byCategory: [
        { key: "how_to_apply", label: "申請方法", count: 3 },
        { key: "documents", label: "必要書類・本人確認", count: 3 },
      ],
    });
  });
});

describe("the completion report", () => {
  it("waits for the last session, then totals the whole period against the targets", () => {
    expect(build("completion", "", at("2026-12-14T09:00")).notReady).toContain("実績が未入力の回があります");
    const r = build("completion", "", at("2026-12-14T09:00"));
    // The last session still going ahead is 12/11: due 30 days later.
    expect(r.deadline.dueOn).toBe("2027-01-10");
    const body = r.body as CompletionBody;
    expect(body.byMonth.map((m) => [m.month, m.counts.sessions, m.counts.applications])).toEqual([
      ["2026-11", 2, 32],
      ["2026-12", 4, 75],
    ]);
    expect(body.totals).toMatchObject({ sessions: 6, applications: 107 });
    expect(body.targets.map((t) => [t.key, t.target, t.done])).toEqual([
      ["group", 100, 2],
      ["roaming", 100, 2],
      ["baseAccept", 10, 1],
      ["baseSupport", 40, 1],
      ["combined", 150, 4],
    ]);
    expect(body.inquiries.site).toMatchObject({ total: 3, byCategory: [{ key: "documents", count: 3 }] });
    expect(body.inquiries.phone).toMatchObject({
      total: 3,
      byCategory: [
        { key: "how_to_apply", count: 2 },
        { key: "pickup", count: 1 },
      ],
    });
    expect(body.inquiries.other.total).toBe(1);
    expect(body.pr.byMedium).toEqual([
      { medium: "sns", count: 1, reach: [{ unit: "表示", total: 12000 }] },
      { medium: "flyer", count: 1, reach: [{ unit: "枚", total: 3000 }] },
    ]);
  });
});

describe("the results the reports read are the ones staff entered", () => {
  it("completed each visit by entering its results, and keeps a stale correction out of the reports", () => {
    const status = (id: number) => getDb().select({ s: visits.status }).from(visits).where(eq(visits.id, id)).get()!.s;
    expect([ids.N1, ids.N2, ids.D1, ids.D2, ids.D3, ids.D4].map(status)).toEqual(Array(6).fill("completed"));
    expect([status(ids.P1), status(ids.X1)]).toEqual(["agreed", "cancelled"]);
    expect(getDb().select().from(visitResults).where(eq(visitResults.visitId, ids.X1)).get()).toBeUndefined();

    // A second correction filled from version 1 (someone else saved version 2 meanwhile) is refused: nothing moves.
    const stale = recordResults({ visitId: ids.D1, supportOnlineCount: 40, expectedVersion: 1 }, staff, { now: at("2026-12-09T10:00") });
    expect(stale).toMatchObject({ ok: false, message: "他の人が先にこの実績を保存しました。画面を再読み込みして最新の値を確認してから、もう一度入力してください。" });
    expect((build("daily", "2026-12-04", at("2026-12-09T10:00")).body as DailyBody).totals).toMatchObject({ supportOnline: 15, applications: 36 });
    expect(getDb().select().from(visitResultHistory).where(eq(visitResultHistory.visitId, ids.D1)).all()).toHaveLength(1);
  });
});
