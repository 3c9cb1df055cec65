/**
 * Results entry (実施結果, issue 12 item 2) on a real SQLite file: the first
 * entry completes the visit and moves the organisation, corrections keep the
 * earlier values, and nothing is half-written or counted twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "../../app/db.server";
import { addDays, todayInTokyo } from "../../app/lib/dates";
import { deleteInquiry, logInquiry, updateInquiry } from "../../app/onsite/inquiries.server";
import { recordResults, resultsSummary, STALE_RESULTS } from "../../app/visits/results.server";
import { applyTransition } from "../../app/visits/transitions.server";
import {
  activities,
  auditLog,
  contacts,
  emailOutbox,
  inquiries,
  organisationContacts,
  organisations,
  visitResultHistory,
  visitResults,
  visits,
} from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { groupVisit, seedBasics, type Fixture } from "../support/visits";

let ctx: ReturnType<typeof useFreshDatabase>;
let f: Fixture;
const today = todayInTokyo();

beforeAll(() => {
  ctx = useFreshDatabase();
  f = seedBasics();
});
afterAll(() => ctx.cleanup());

const db = () => getDb();
const visit = (id: number) => db().select().from(visits).where(eq(visits.id, id)).get()!;
const resultRow = (id: number) => db().select().from(visitResults).where(eq(visitResults.visitId, id)).get();
const stageOf = (orgId: number) => db().select().from(organisations).where(eq(organisations.id, orgId)).get()!.stage;
const emails = (id: number) =>
  db()
    .select({ to: emailOutbox.toAddress, template: emailOutbox.template, subject: emailOutbox.subject, text: emailOutbox.text })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.relatedEntity, "visit"), eq(emailOutbox.relatedId, id)))
    .all();
const count = (table: typeof visitResults | typeof inquiries | typeof visitResultHistory | typeof emailOutbox | typeof auditLog) => db().$count(table);

/** An approved group visit on `date` (today unless said), expecting 20 people, with a primary contact. */
function approvedGroup(date = today) {
  const g = groupVisit(f, { status: "approved", date, email: "request-form@example.jp" });
  db().update(organisations).set({ stage: "confirmed" }).where(eq(organisations.id, g.organisationId)).run();
  const c = db().insert(contacts).values({ name: "会長 花子", email: "kaichou@example.jp" }).returning({ id: contacts.id }).get();
  db().insert(organisationContacts).values({ organisationId: g.organisationId, contactId: c.id, role: "会長", isPrimary: true }).run();
  return g;
}

function agreedSession(kind: "roaming" | "base", mode: "accept" | "support", date = today) {
  return db()
    .insert(visits)
    .values({
      programId: f.programId,
      kind,
      mode,
      status: "agreed",
      title: `${kind} テスト会場`,
      venueId: f.venueId,
      vehicleId: kind === "roaming" ? f.vehicleId : null,
      date,
      startsAt: `${date}T10:00`,
      endsAt: `${date}T14:00`,
      ownerId: f.staff.id,
    })
    .returning({ id: visits.id })
    .get().id;
}

describe("the first entry completes the visit", () => {
  it("completes an approved group visit for today, frees the car, moves the organisation to 実施済 and thanks its primary contact once", () => {
    const g = approvedGroup();
    db().update(visits).set({ holdStartsAt: `${today}T09:00`, holdEndsAt: `${today}T13:00` }).where(eq(visits.id, g.visitId)).run();
    const r = recordResults(
      { visitId: g.visitId, acceptCount: "14", supportOnlineCount: "2", supportMailCount: "1", fallbackCount: "2", fallbackReasons: { id_incomplete: "2" }, expectedVersion: "0" },
      f.staff,
    );
    expect(r).toEqual({ ok: true, first: true, version: 1, stage: "visited", emailed: true });
    expect(visit(g.visitId)).toMatchObject({ status: "completed", holdStartsAt: null, holdEndsAt: null });
    expect(stageOf(g.organisationId)).toBe("visited");
    expect(resultRow(g.visitId)).toMatchObject({ acceptCount: 14, supportOnlineCount: 2, supportMailCount: 1, inCityCount: 17, outOfCityCount: 0, fallbackCount: 2, fallbackReasons: { id_incomplete: 2 }, version: 1, recordedById: f.staff.id, updatedById: f.staff.id });
    const sent = emails(g.visitId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: "kaichou@example.jp", template: "thank-you" });
    expect(sent[0].text).toContain("会長 花子 様");
    expect(sent[0].text).toContain("当日の申請: 17件");
    const timeline = db().select().from(activities).where(eq(activities.visitId, g.visitId)).all();
    expect(timeline.map((a) => a.summary)).toEqual(expect.arrayContaining(["実績を入力し、訪問を実施済にした", "実施結果を登録（申請 17 件）"]));
    expect(db().select().from(auditLog).where(and(eq(auditLog.entityId, String(g.visitId)), eq(auditLog.action, "visit.results.record"))).all()).toHaveLength(1);

    // A correction sends nothing more.
    expect(recordResults({ visitId: g.visitId, acceptCount: "15", supportOnlineCount: "2", supportMailCount: "1", fallbackCount: "2", fallbackReasons: { id_incomplete: "2" }, expectedVersion: 1 }, f.manager)).toMatchObject({
      ok: true,
      first: false,
      version: 2,
      emailed: false,
    });
    expect(emails(g.visitId)).toHaveLength(1);
    // Only the contractor's staff write results, corrections included.
    expect(recordResults({ visitId: g.visitId, acceptCount: "1", expectedVersion: 2 }, f.city)).toEqual({ ok: false, message: "実績の入力は受託者の担当者のみが行えます。" });
    expect(resultRow(g.visitId)).toMatchObject({ acceptCount: 15, version: 2 });
  });

  it("sends the organisation to 再訪候補 when staff tick 再訪の希望あり, or fewer than half the expected 20 applied", () => {
    const wish = approvedGroup(addDays(today, -1));
    expect(recordResults({ visitId: wish.visitId, acceptCount: 20, revisitWanted: "on" }, f.staff)).toMatchObject({ ok: true, stage: "revisit" });
    expect(stageOf(wish.organisationId)).toBe("revisit");

    const few = approvedGroup();
    expect(recordResults({ visitId: few.visitId, acceptCount: 7, supportOnlineCount: 2 }, f.staff)).toMatchObject({ ok: true, stage: "revisit" });
    expect(stageOf(few.organisationId)).toBe("revisit");

    const half = approvedGroup();
    expect(recordResults({ visitId: half.visitId, acceptCount: 8, supportMailCount: 2 }, f.staff)).toMatchObject({ ok: true, stage: "visited" });
    expect(stageOf(half.organisationId)).toBe("visited");
  });

  it("completes an agreed roaming session (サポート方式) and keeps 再訪 out of it", () => {
    const id = agreedSession("roaming", "support");
    const r = recordResults({ visitId: id, supportOnlineCount: "9", supportMailCount: "3", supportMailOutOfCityCount: "1", revisitWanted: "on" }, f.staff);
    expect(r).toEqual({ ok: true, first: true, version: 1, stage: null, emailed: false });
    expect(visit(id).status).toBe("completed");
    expect(resultRow(id)).toMatchObject({ inCityCount: 11, outOfCityCount: 1, revisitWanted: false });
  });

  it("no longer completes a visit by the bare transition: it asks for the results", () => {
    const g = approvedGroup();
    expect(applyTransition({ visitId: g.visitId, transition: "complete", actor: f.staff })).toEqual({
      ok: false,
      field: "results",
      message: "「実施済にする」には当日の実績の入力が必要です。実績入力の画面で実績を保存すると実施済になります。",
    });
    expect(visit(g.visitId).status).toBe("approved");
  });
});

describe("results are only for visits that took place", () => {
  it("refuses a future visit, an unconfirmed one, and cancelled or declined ones, with a message saying why", () => {
    const tomorrow = addDays(today, 1);
    const cases: [number, string][] = [
      [approvedGroup(tomorrow).visitId, "訪問日（"],
      [groupVisit(f, { status: "screening", date: today }).visitId, "「調整中」の訪問には、まだ実績を入力できません。市の承認で確定した訪問だけ入力できます。"],
      [groupVisit(f, { status: "cancelled", date: today }).visitId, "「取消」の訪問には実績を入力できません。"],
      [groupVisit(f, { status: "declined", date: today }).visitId, "「見送り（市）」の訪問には実績を入力できません。"],
    ];
    const before = [count(visitResults), count(inquiries), count(emailOutbox), count(auditLog)];
    for (const [visitId, message] of cases) {
      const r = recordResults({ visitId, acceptCount: 5 }, f.staff);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain(message);
    }
    const future = recordResults({ visitId: cases[0][0], acceptCount: 5 }, f.staff);
    expect(!future.ok && future.message).toMatch(/^訪問日（\d{4}年\d{1,2}月\d{1,2}日\(.\)）になってから入力してください。/);
    expect([count(visitResults), count(inquiries), count(emailOutbox), count(auditLog)]).toEqual(before);
  });
});

describe("invalid input is refused with field errors and writes nothing", () => {
  const cases: { name: string; session?: "roaming"; input: Record<string, unknown>; errors: Record<string, string> }[] = [
    { name: "a negative count", input: { acceptCount: "-1" }, errors: { acceptCount: "マイナスの数は入力できません。0以上の整数で入力してください。" } },
    { name: "a decimal", input: { supportOnlineCount: "2.5" }, errors: { supportOnlineCount: "小数は入力できません。人数・件数を整数で入力してください。" } },
    { name: "letters", input: { supportMailCount: "三" }, errors: { supportMailCount: "数字で入力してください（例: 12）。いなければ 0 または空欄にしてください。" } },
    { name: "too many", input: { acceptCount: "10000" }, errors: { acceptCount: "9999以下で入力してください。" } },
    {
      name: "more out-of-city than the mode's count",
      input: { acceptCount: "3", acceptOutOfCityCount: "4" },
      errors: { acceptOutOfCityCount: "市外の人数（4人）が受付方式の件数（3件）を超えています。市外の人はその方式の件数に含めて数えます。" },
    },
    {
      name: "fallback reasons that do not add up",
      input: { acceptCount: "10", supportOnlineCount: "3", fallbackCount: "3", fallbackReasons: { id_incomplete: "1", proxy: "1" } },
      errors: { fallbackReasons: "理由別の合計（2人）が切替えた人数（3人）と合いません。理由ごとの人数を見直してください。" },
    },
    {
      name: "more fallbacks than サポート applications",
      input: { acceptCount: "10", supportOnlineCount: "1", fallbackCount: "2", fallbackReasons: { id_incomplete: "2" } },
      errors: { fallbackCount: "切替えた人はサポート方式の件数に含めて数えます。切替えた人数（2人）がサポート方式（オンライン・郵送）の合計（1件）を超えています。" },
    },
    {
      name: "an individual number in the notes",
      input: { acceptCount: "5", notes: "申請者の番号 1234 5678 9018 を控えた" },
      errors: { notes: "マイナンバー（個人番号）と思われる12桁の数字が含まれています。この窓口では個人番号をお預かりできないため、その数字を消してから送信してください。" },
    },
    { name: "受付方式 counts for a サポート方式 session", session: "roaming", input: { acceptCount: "2", supportOnlineCount: "2" }, errors: { acceptCount: "この予定はサポート方式のため、受付方式の件数は入力できません。0にしてください。" } },
    {
      name: "a fallback in a サポート方式 session",
      session: "roaming",
      input: { supportOnlineCount: "2", fallbackCount: "1", fallbackReasons: { id_incomplete: "1" } },
      errors: { fallbackCount: "切替は受付方式の訪問だけにあります。この予定はサポート方式のため、0にしてください。" },
    },
  ];

  it.each(cases)("$name", ({ session, input, errors }) => {
    const visitId = session ? agreedSession(session, "support") : approvedGroup().visitId;
    const before = [count(visitResults), count(inquiries), count(emailOutbox), count(auditLog)];
    const r = recordResults({ visitId, ...input, inquiries: { how_to_apply: "2" } }, f.staff);
    expect(r).toEqual({ ok: false, message: "入力内容を確認してください。赤く表示された項目を直してから保存してください。", errors });
    expect(visit(visitId).status).toBe(session ? "agreed" : "approved");
    expect([count(visitResults), count(inquiries), count(emailOutbox), count(auditLog)]).toEqual(before);
  });
});

describe("corrections", () => {
  it("keep the totals in step and the earlier values, who replaced them and when, in the history", () => {
    const g = approvedGroup();
    const first = {
      visitId: g.visitId,
      acceptCount: "12",
      supportOnlineCount: "3",
      supportMailCount: "2",
      acceptOutOfCityCount: "1",
      supportOnlineOutOfCityCount: "1",
      fallbackCount: "2",
      fallbackReasons: { id_incomplete: "2" },
      otherAssistance: { mynapoint: "4", health_insurance: "0" },
      inquiries: { how_to_apply: "3" },
      notes: "集会所の和室で実施",
      expectedVersion: 0,
    };
    expect(recordResults(first, f.staff, { now: new Date(`${today}T07:40:00Z`) })).toMatchObject({ ok: true, version: 1 });
    expect(resultRow(g.visitId)).toMatchObject({ inCityCount: 15, outOfCityCount: 2, otherAssistance: { mynapoint: 4 }, inquiryCount: 3 });

    const corrected = recordResults(
      { ...first, acceptCount: "13", acceptOutOfCityCount: "0", supportMailOutOfCityCount: "2", inquiries: { how_to_apply: "1", pickup: "1" }, reason: "郵送分の住所を確認し直した", expectedVersion: 1 },
      f.manager,
      { now: new Date(`${today}T09:15:00Z`) },
    );
    expect(corrected).toMatchObject({ ok: true, first: false, version: 2 });
    expect(resultRow(g.visitId)).toMatchObject({
      acceptCount: 13,
      acceptOutOfCityCount: 0,
      supportMailOutOfCityCount: 2,
      inCityCount: 15,
      outOfCityCount: 3,
      inquiryCount: 2,
      version: 2,
      recordedById: f.staff.id,
      recordedAt: `${today}T07:40:00.000Z`,
      updatedById: f.manager.id,
      updatedAt: `${today}T09:15:00.000Z`,
    });

    const history = db().select().from(visitResultHistory).where(eq(visitResultHistory.visitId, g.visitId)).all();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ reason: "郵送分の住所を確認し直した", replacedById: f.manager.id, replacedAt: `${today}T09:15:00.000Z` });
    expect(history[0].previous).toMatchObject({ acceptCount: 12, acceptOutOfCityCount: 1, inCityCount: 15, outOfCityCount: 2, version: 1, inquiries: { how_to_apply: 3 }, recordedById: f.staff.id });

    // As the pages show it: the current values with who and when, the earlier ones with who replaced them.
    const s = resultsSummary(g.visitId)!;
    expect(s.results).toMatchObject({ version: 2, recordedBy: "営業 一郎", updatedBy: "総括 花子", totals: { applications: 18, inCity: 15, outOfCity: 3, inquiries: 2, otherAssistance: 4 } });
    expect(s.results!.inquiries.filter((i) => i.count > 0)).toEqual([
      { key: "how_to_apply", label: "申請方法", count: 1 },
      { key: "pickup", label: "カードの受取", count: 1 },
    ]);
    expect(s.history).toHaveLength(1);
    expect(s.history[0]).toMatchObject({ replacedBy: "総括 花子", reason: "郵送分の住所を確認し直した", previous: { version: 1, acceptCount: 12, totals: { applications: 17, inCity: 15, outOfCity: 2, inquiries: 3 } } });

    // The history is append-only.
    expect(() => db().update(visitResultHistory).set({ reason: "書き換え" }).where(eq(visitResultHistory.visitId, g.visitId)).run()).toThrow(/append-only/);
  });

  it("refuse a stale version with a clear message and change nothing", () => {
    const g = approvedGroup();
    expect(recordResults({ visitId: g.visitId, acceptCount: 10, expectedVersion: 0 }, f.staff)).toMatchObject({ ok: true, version: 1 });
    expect(recordResults({ visitId: g.visitId, acceptCount: 11, expectedVersion: 1 }, f.manager)).toMatchObject({ ok: true, version: 2 });
    const before = [count(visitResults), count(visitResultHistory), count(auditLog)];
    // Someone still looking at version 1, and someone who opened the empty form before the first save.
    for (const expectedVersion of [1, 0, "", null]) {
      expect(recordResults({ visitId: g.visitId, acceptCount: 99, expectedVersion }, f.staff)).toEqual({ ok: false, message: STALE_RESULTS });
    }
    expect(STALE_RESULTS).toBe("他の人が先にこの実績を保存しました。画面を再読み込みして最新の値を確認してから、もう一度入力してください。");
    expect(resultRow(g.visitId)).toMatchObject({ acceptCount: 11, version: 2 });
    expect([count(visitResults), count(visitResultHistory), count(auditLog)]).toEqual(before);
  });

  it("move the stage when the rule's answer changes, but leave a stage staff set by hand alone", () => {
    const g = approvedGroup();
    expect(recordResults({ visitId: g.visitId, acceptCount: 15, expectedVersion: 0 }, f.staff)).toMatchObject({ stage: "visited" });
    expect(recordResults({ visitId: g.visitId, acceptCount: 15, revisitWanted: "on", expectedVersion: 1 }, f.staff)).toMatchObject({ stage: "revisit" });
    expect(stageOf(g.organisationId)).toBe("revisit");
    // Staff moved it on by hand (見送り): a later correction does not pull it back.
    db().update(organisations).set({ stage: "lost" }).where(eq(organisations.id, g.organisationId)).run();
    expect(recordResults({ visitId: g.visitId, acceptCount: 15, expectedVersion: 2 }, f.staff)).toMatchObject({ ok: true, stage: "visited" });
    expect(stageOf(g.organisationId)).toBe("lost");
  });
});

describe("on-site inquiries", () => {
  it("are never counted twice: the results' count is the sum of every site inquiry of the visit, the form's rows are replaced", () => {
    const g = approvedGroup();
    // Logged one by one in the inquiry log during the day.
    db().insert(inquiries).values({ channel: "site", visitId: g.visitId, receivedOn: today, topic: "documents", summary: "本人確認書類を案内", count: 2, createdById: f.staff.id }).run();
    // A phone inquiry about the same visit is not an on-site one.
    db().insert(inquiries).values({ channel: "phone", visitId: g.visitId, receivedOn: today, topic: "schedule", count: 1, createdById: f.staff.id }).run();

    expect(recordResults({ visitId: g.visitId, acceptCount: 10, inquiries: { how_to_apply: "3", documents: "1" } }, f.staff).ok).toBe(true);
    expect(resultRow(g.visitId)!.inquiryCount).toBe(6);
    const site = () =>
      db()
        .select({ topic: inquiries.topic, count: inquiries.count, fromResults: inquiries.fromResults, receivedOn: inquiries.receivedOn })
        .from(inquiries)
        .where(and(eq(inquiries.visitId, g.visitId), eq(inquiries.channel, "site")))
        .orderBy(inquiries.id)
        .all();
    expect(site()).toEqual([
      { topic: "documents", count: 2, fromResults: false, receivedOn: today },
      { topic: "how_to_apply", count: 3, fromResults: true, receivedOn: today },
      { topic: "documents", count: 1, fromResults: true, receivedOn: today },
    ]);

    expect(recordResults({ visitId: g.visitId, acceptCount: 10, inquiries: { how_to_apply: "1" }, expectedVersion: 1 }, f.staff).ok).toBe(true);
    expect(resultRow(g.visitId)!.inquiryCount).toBe(3);
    expect(site()).toEqual([
      { topic: "documents", count: 2, fromResults: false, receivedOn: today },
      { topic: "how_to_apply", count: 1, fromResults: true, receivedOn: today },
    ]);
  });

  it("follow the inquiry log after the results are in: logging, moving and deleting a site inquiry updates the results' count", () => {
    const g = approvedGroup();
    expect(recordResults({ visitId: g.visitId, acceptCount: 8, inquiries: { how_to_apply: "2" } }, f.staff).ok).toBe(true);
    expect(resultRow(g.visitId)!.inquiryCount).toBe(2);
    const logged = logInquiry({ receivedOn: today, channel: "site", topic: "pickup", visitId: g.visitId, count: 3, summary: "受取方法を案内" }, f.staff);
    expect(logged).toMatchObject({ ok: true });
    expect(resultRow(g.visitId)!.inquiryCount).toBe(5);
    // Re-filed as a phone inquiry: no longer an on-site one.
    expect(updateInquiry({ id: (logged as { id: number }).id, receivedOn: today, channel: "phone", topic: "pickup", visitId: g.visitId, count: 3, summary: "受取方法を案内" }, f.staff)).toEqual({ ok: true });
    expect(resultRow(g.visitId)!.inquiryCount).toBe(2);
    const again = logInquiry({ receivedOn: today, channel: "site", topic: "documents", visitId: g.visitId, count: 1 }, f.staff) as { id: number };
    expect(resultRow(g.visitId)!.inquiryCount).toBe(3);
    expect(deleteInquiry({ id: again.id }, f.staff)).toEqual({ ok: true });
    expect(resultRow(g.visitId)!.inquiryCount).toBe(2);
  });
});
