/**
 * The on-the-day logs (issue 12): incidents and complaints, the inquiry log
 * and PR activities, on a real SQLite file, with the outbox delivered to a
 * real SMTP server (smtp-server) for the serious-incident report.
 */
import argon2 from "argon2";
import type { ParsedMail } from "mailparser";
import { startParsingSmtp } from "../support/smtp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { login } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import { processOutbox } from "../../app/email/outbox.server";
import { addDays, todayInTokyo } from "../../app/lib/dates";
import { INDIVIDUAL_NUMBER_MESSAGE } from "../../app/lib/validation";
import { closeIncident, createIncident, incidentsForVisit, updateIncidentAction } from "../../app/onsite/incidents.server";
import { countInquiries, deleteInquiry, listInquiries, logInquiry, updateInquiry } from "../../app/onsite/inquiries.server";
import { CONTACT_DETAILS_MESSAGE, PR_WARNING_MESSAGES } from "../../app/onsite/labels";
import { listPrActivities, markPrDone, savePrActivity } from "../../app/onsite/pr.server";
import { getToday } from "../../app/visits/today.server";
import { auditLog, emailOutbox, incidents, inquiries, prActivities, programs, users } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { callRoute } from "../support/routes";
import { groupVisit, seedBasics, type Fixture } from "../support/visits";

let ctx: ReturnType<typeof useFreshDatabase>;
let f: Fixture;
let smtp: Awaited<ReturnType<typeof startParsingSmtp>>;
let inbox: ParsedMail[] = [];
const PASSWORD = "onsite-password-0123";
let cityCookie: string;
let visitId: number;
const today = todayInTokyo();
const now = new Date();

/** A valid individual number (check digit worked out by hand in tests/unit/individual-number.test.ts), as people write it. */
const INDIVIDUAL_NUMBER = "1234 5678 9018";

beforeAll(async () => {
  smtp = await startParsingSmtp();
  inbox = smtp.inbox;
  process.env.SMTP_URL = smtp.url;
  process.env.APP_URL = "http://demado.test";
  ctx = useFreshDatabase();
  f = seedBasics();
  const db = getDb();
  db.update(programs).set({ active: true }).where(eq(programs.id, f.programId)).run();
  // A second city official, and people who must NOT get the report: an inactive official and manager.
  db.insert(users).values({ email: "city2@t.jp", name: "市役所 四郎", role: "city", passwordHash: "x" }).run();
  db.insert(users).values({ email: "gone-city@t.jp", name: "退職 職員", role: "city", passwordHash: "x", active: false }).run();
  db.insert(users).values({ email: "gone-manager@t.jp", name: "退職 総括", role: "manager", passwordHash: "x", active: false }).run();
  // The city official signs in for real (small argon2 costs keep it fast).
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  db.update(users).set({ passwordHash: hash }).where(eq(users.id, f.city.id)).run();
  const signedIn = await login({ email: f.city.email, password: PASSWORD });
  if (!signedIn.ok) throw new Error(signedIn.message);
  cityCookie = signedIn.setCookie.split(";")[0];
  visitId = groupVisit(f, { status: "approved", date: today, name: "あおば中央町内会" }).visitId;
});

afterAll(async () => {
  ctx.cleanup();
  delete process.env.SMTP_URL;
  await smtp.close();
});

const incidentEmails = () => getDb().select({ to: emailOutbox.toAddress, relatedId: emailOutbox.relatedId }).from(emailOutbox).where(eq(emailOutbox.template, "incident")).all();
const count = (table: typeof incidents | typeof inquiries | typeof prActivities) => getDb().select({ n: sql<number>`count(*)` }).from(table).get()!.n;
const minutesAgo = (m: number) => {
  const d = new Date(now.getTime() - m * 60_000);
  // Local Tokyo wall-clock time, as the datetime-local control sends it.
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(d).replace(" ", "T");
};

async function cityHome() {
  const mod = await import("../../app/routes/city._index");
  const r = await callRoute(mod.loader as never, { url: "/city", cookie: cityCookie });
  expect(r.status).toBe(200);
  return r.body as { seriousIncidents: { id: number; severity: string; what: string }[] };
}

describe("incidents and complaints (事故・苦情)", () => {
  it("a minor incident is recorded without emailing anyone", () => {
    const r = createIncident({ visitId, kind: "complaint", severity: "minor", occurredAt: minutesAgo(90), what: "待ち時間が長いとの声があった。" }, f.staff);
    expect(r).toMatchObject({ ok: true, notified: [] });
    expect(incidentEmails()).toEqual([]);
    expect(incidentsForVisit(visitId).map((i) => [i.kind, i.severity, i.closedAt])).toEqual([["complaint", "minor", null]]);
  });

  it("a serious incident queues its report to every active manager and city official in the same transaction", () => {
    const r = createIncident(
      { visitId, kind: "accident", severity: "serious", occurredAt: minutesAgo(30), what: "搬入中に機材ケースが来場者の足に当たった。", actionTaken: "救護室で手当て、ご本人の了承を得て帰宅。" },
      f.staff,
    );
    if (!r.ok) throw new Error(r.message);
    // Written out: the active manager and both active officials; not the admin, the outreach staff or the inactive ones.
    expect([...r.notified].sort()).toEqual(["city2@t.jp", "city@t.jp", "manager@t.jp"]);
    expect(incidentEmails().map((e) => e.to).sort()).toEqual(["city2@t.jp", "city@t.jp", "manager@t.jp"]);
    expect(new Set(incidentEmails().map((e) => e.relatedId))).toEqual(new Set([r.id]));
  });

  it("when the email cannot be queued, the incident is not recorded either (one transaction)", () => {
    const db = getDb();
    const before = [count(incidents), incidentEmails().length];
    db.$client.exec(`CREATE TRIGGER incident_mail_fails BEFORE INSERT ON email_outbox WHEN NEW.template = 'incident' BEGIN SELECT RAISE(ABORT, 'drill: outbox write fails'); END;`);
    try {
      expect(() => createIncident({ visitId, kind: "accident", severity: "urgent", occurredAt: minutesAgo(5), what: "発電機から煙が出た。" }, f.staff)).toThrow(/outbox write fails/);
    } finally {
      db.$client.exec("DROP TRIGGER incident_mail_fails");
    }
    expect([count(incidents), incidentEmails().length]).toEqual(before);
  });

  it("the city official's mailbox receives the serious-incident report over real SMTP, with the report's link", async () => {
    const sent = await processOutbox();
    expect(sent.failed).toBe(0);
    const toCity = inbox.filter((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address === "city@t.jp");
    expect(toCity).toHaveLength(1);
    expect(toCity[0].subject).toBe(`【重大・事故】あおば中央町内会 出張申請受付（${japaneseDay(minutesAgo(30).slice(0, 10))} ${minutesAgo(30).slice(11, 16)}）`);
    expect(toCity[0].text).toContain("搬入中に機材ケースが来場者の足に当たった。");
    expect(toCity[0].text).toContain("救護室で手当て、ご本人の了承を得て帰宅。");
    const id = incidentsForVisit(visitId).find((i) => i.severity === "serious")!.id;
    expect(toCity[0].text).toContain(`http://demado.test/incidents/${id}`);
    expect(toCity[0].html).toContain("重大の事故が報告されました");
  });

  it("stays on staff Today and the city's home page until closed; closing needs the action taken, and keeps who and when", async () => {
    const serious = incidentsForVisit(visitId).find((i) => i.severity === "serious")!;
    const urgent = createIncident({ visitId, kind: "complaint", severity: "urgent", occurredAt: minutesAgo(10), what: "来場者が大声で抗議し、他の来場者が怖がっている。" }, f.manager);
    if (!urgent.ok) throw new Error(urgent.message);
    // Urgent first, then the serious one; the minor complaint is never listed.
    expect(getToday(f.staff.id).seriousIncidents.map((i) => i.id)).toEqual([urgent.id, serious.id]);
    expect((await cityHome()).seriousIncidents.map((i) => i.id)).toEqual([urgent.id, serious.id]);

    const refused = closeIncident({ incidentId: urgent.id, visitId }, f.manager);
    expect(refused).toMatchObject({ ok: false, errors: { actionTaken: "対応完了にする前に、とった対応を入力してください。" } });
    expect(updateIncidentAction({ incidentId: urgent.id, visitId, actionTaken: "警備員と2名で対応し、別室でお話を伺った。" }, f.manager)).toEqual({ ok: true });
    expect(closeIncident({ incidentId: urgent.id, visitId }, f.manager)).toEqual({ ok: true });

    expect(getToday(f.staff.id).seriousIncidents.map((i) => i.id)).toEqual([serious.id]);
    expect((await cityHome()).seriousIncidents.map((i) => i.id)).toEqual([serious.id]);
    const closed = incidentsForVisit(visitId).find((i) => i.id === urgent.id)!;
    expect(closed.closedBy).toBe("総括 花子");
    expect(closed.actionTaken).toBe("警備員と2名で対応し、別室でお話を伺った。");
    // Closed is final: no second close, no more edits.
    expect(closeIncident({ incidentId: urgent.id, visitId }, f.manager)).toMatchObject({ ok: false });
    expect(updateIncidentAction({ incidentId: urgent.id, visitId, actionTaken: "追記" }, f.manager)).toMatchObject({ ok: false });
    const audited = getDb().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, String(urgent.id))).all().map((a) => a.action);
    expect(audited).toEqual(["incident.created", "incident.updated", "incident.closed"]);

    expect(closeIncident({ incidentId: serious.id, visitId, actionTaken: "翌日ご本人に電話し、経過に問題がないことを確認した。" }, f.staff)).toEqual({ ok: true });
    expect(getToday(f.staff.id).seriousIncidents).toEqual([]);
    expect((await cityHome()).seriousIncidents).toEqual([]);
  });

  it("refuses an individual number in what happened and in the action taken, and writes nothing", () => {
    const before = [count(incidents), incidentEmails().length];
    const r = createIncident({ visitId, kind: "other", severity: "serious", occurredAt: minutesAgo(3), what: `申請者が番号 ${INDIVIDUAL_NUMBER} を読み上げた。`, actionTaken: `控え ${INDIVIDUAL_NUMBER}` }, f.staff);
    expect(r).toMatchObject({ ok: false, errors: { what: INDIVIDUAL_NUMBER_MESSAGE, actionTaken: INDIVIDUAL_NUMBER_MESSAGE } });
    expect([count(incidents), incidentEmails().length]).toEqual(before);
  });

  it("refuses a time in the future, a missing severity and a session that does not exist", () => {
    const tomorrow = `${addDays(today, 1)}T10:00`;
    expect(createIncident({ visitId, kind: "accident", severity: "minor", occurredAt: tomorrow, what: "x" }, f.staff)).toMatchObject({
      ok: false,
      errors: { occurredAt: "発生日時が未来になっています。起きた日時を入力してください。" },
    });
    expect(createIncident({ visitId, kind: "accident", severity: "", occurredAt: minutesAgo(1), what: "x" }, f.staff)).toMatchObject({
      ok: false,
      errors: { severity: "重大度（軽微・重大・緊急）を選んでください。" },
    });
    expect(createIncident({ visitId: 999999, kind: "accident", severity: "serious", occurredAt: minutesAgo(1), what: "x" }, f.staff)).toMatchObject({ ok: false });
  });
});

/** 2026年12月1日(火), written out here rather than asked of the app. */
function japaneseDay(ymd: string): string {
  const [y, m, d] = ymd.split("-").map(Number);
  const w = "日月火水木金土"[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${y}年${m}月${d}日(${w})`;
}

describe("the inquiry log (問合せ記録)", () => {
  const from = addDays(today, -20);
  it("adds inquiries quickly and counts them by channel and category, on-site rows from the results form included", () => {
    const add = (channel: string, topic: string, n: number, day = today, summary = "") => {
      const r = logInquiry({ receivedOn: day, channel, topic, count: String(n), summary }, f.staff);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.id;
    };
    add("phone", "how_to_apply", 1, today, "申請に必要なもの");
    add("phone", "how_to_apply", 2, addDays(today, -3));
    add("phone", "schedule", 1);
    add("email", "documents", 1, addDays(today, -10));
    add("counter", "pickup", 3);
    add("phone", "pickup", 1, addDays(today, -30)); // before the period: not counted
    // What the results form writes for a session's on-site inquiries.
    getDb().insert(inquiries).values({ channel: "site", visitId, receivedOn: today, topic: "how_to_apply", count: 4, fromResults: true }).run();

    const c = countInquiries({ from, to: today });
    expect(c.total).toBe(12);
    expect(c.byChannel).toEqual({ phone: 4, site: 4, email: 1, counter: 3 });
    expect(c.byCategory).toEqual({ how_to_apply: 7, schedule: 1, documents: 1, pickup: 3 });
    expect(c.byChannelAndCategory.phone).toEqual({ how_to_apply: 3, schedule: 1 });
    expect(c.byChannelAndCategory.site).toEqual({ how_to_apply: 4 });
    expect(c.categories.map((x) => x.label).slice(0, 3)).toEqual(["申請方法", "必要書類・本人確認", "カードの受取"]);
  });

  it("the defaults: one inquiry, today's date only if given (a day in the future is refused), a category from the settings", () => {
    const r = logInquiry({ receivedOn: today, channel: "phone", topic: "other" }, f.staff);
    expect(r.ok).toBe(true);
    const row = getDb().select().from(inquiries).where(eq(inquiries.id, (r as { id: number }).id)).get()!;
    expect([row.count, row.summary, row.fromResults, row.createdById]).toEqual([1, null, false, f.staff.id]);
    expect(logInquiry({ receivedOn: addDays(today, 1), channel: "phone", topic: "other" }, f.staff)).toMatchObject({
      ok: false,
      errors: { receivedOn: "受けた日が未来になっています。今日までの日付を入力してください。" },
    });
    expect(logInquiry({ receivedOn: today, channel: "fax", topic: "nonexistent" }, f.staff)).toMatchObject({
      ok: false,
      errors: { channel: "受付の方法（電話・現地・メール・窓口）を選んでください。", topic: "分類を一覧から選んでください。" },
    });
  });

  it("refuses individual numbers, phone numbers and email addresses in the summary, and writes nothing", () => {
    const before = count(inquiries);
    for (const summary of [`番号 ${INDIVIDUAL_NUMBER} の件`]) {
      expect(logInquiry({ receivedOn: today, channel: "phone", topic: "other", summary }, f.staff)).toMatchObject({ ok: false, errors: { summary: INDIVIDUAL_NUMBER_MESSAGE } });
    }
    for (const summary of ["折り返し 090-1234-5678 まで", "017(734)1111へ連絡", "＋８１ ９０ １２３４ ５６７８", "返信は taro.yamada@example.jp"]) {
      expect(logInquiry({ receivedOn: today, channel: "phone", topic: "other", summary }, f.staff), summary).toMatchObject({ ok: false, errors: { summary: CONTACT_DETAILS_MESSAGE } });
    }
    expect(count(inquiries)).toBe(before);
    // Dates, times, postal codes and counts are not contact details.
    for (const summary of ["12/1 10:00の回について", "〒030-0801 付近の会場", "2026-12-01に3人で来場予定"]) {
      expect(logInquiry({ receivedOn: today, channel: "phone", topic: "other", summary }, f.staff).ok, summary).toBe(true);
    }
  });

  it("rows from the results form are read-only in the log; its own rows can be corrected and deleted (audited)", () => {
    const fromResults = getDb().select({ id: inquiries.id }).from(inquiries).where(eq(inquiries.fromResults, true)).get()!.id;
    const msg = "この行は実施結果の入力から記録されたものです。変更するときは、その回の実施結果を直してください。";
    expect(updateInquiry({ id: fromResults, receivedOn: today, channel: "site", topic: "other", count: "9" }, f.staff)).toMatchObject({ ok: false, message: msg });
    expect(deleteInquiry({ id: fromResults }, f.staff)).toMatchObject({ ok: false, message: msg });
    expect(getDb().select({ count: inquiries.count }).from(inquiries).where(eq(inquiries.id, fromResults)).get()).toEqual({ count: 4 });

    const own = logInquiry({ receivedOn: today, channel: "counter", topic: "schedule" }, f.staff) as { id: number };
    expect(updateInquiry({ id: own.id, receivedOn: today, channel: "counter", topic: "schedule", count: "2" }, f.staff)).toEqual({ ok: true });
    expect(getDb().select({ count: inquiries.count }).from(inquiries).where(eq(inquiries.id, own.id)).get()).toEqual({ count: 2 });
    expect(deleteInquiry({ id: own.id }, f.manager)).toEqual({ ok: true });
    expect(getDb().select().from(inquiries).where(eq(inquiries.id, own.id)).get()).toBeUndefined();
    const deleted = getDb().select({ userId: auditLog.userId, detail: auditLog.detail }).from(auditLog).where(eq(auditLog.action, "inquiry.deleted")).all();
    expect(deleted).toEqual([{ userId: f.manager.id, detail: { receivedOn: today, channel: "counter", topic: "schedule", count: 2 } }]);
  });

  it("lists a month filtered by channel and category, newest first", () => {
    const list = listInquiries({ month: today.slice(0, 7), channel: "phone", topic: "how_to_apply" });
    const expected = [today, addDays(today, -3)].filter((d) => d.slice(0, 7) === today.slice(0, 7));
    expect(list.rows.map((r) => r.receivedOn)).toEqual(expected);
  });
});

describe("PR activities (広報活動)", () => {
  it("warns (does not refuse) when an item is done without the city's approval, and not when approved before use", () => {
    const done = savePrActivity(null, { medium: "flyer", title: "出張窓口のご案内チラシ", status: "done", doneOn: addDays(today, -2), reach: "5,000", reachUnit: "部" }, f.staff);
    expect(done).toMatchObject({ ok: true, warning: "no_approval" });
    expect(PR_WARNING_MESSAGES.no_approval).toContain("仕様書 5(3)②");
    const row = getDb().select().from(prActivities).where(eq(prActivities.id, (done as { id: number }).id)).get()!;
    expect([row.status, row.reach, row.reachUnit, row.programId]).toEqual(["done", 5000, "部", f.programId]);

    const approved = savePrActivity(null, { medium: "web", title: "市ホームページ掲載", status: "done", doneOn: addDays(today, -1), cityApprovedOn: addDays(today, -5), cityApprovalRef: "市民課 第45号" }, f.staff);
    expect(approved).toMatchObject({ ok: true, warning: null });
    const late = savePrActivity(null, { medium: "poster", title: "スーパー掲示ポスター", status: "done", doneOn: addDays(today, -6), cityApprovedOn: addDays(today, -1) }, f.staff);
    expect(late).toMatchObject({ ok: true, warning: "approved_after_use" });
  });

  it("marks a planned item done today, with the warning when no approval is on record", () => {
    const planned = savePrActivity(null, { medium: "radio", title: "コミュニティFMで告知", status: "planned", plannedOn: today }, f.staff) as { id: number; warning: null };
    expect(planned.warning).toBeNull();
    expect(markPrDone({ id: planned.id }, f.staff)).toMatchObject({ ok: true, warning: "no_approval" });
    const row = getDb().select().from(prActivities).where(eq(prActivities.id, planned.id)).get()!;
    expect([row.status, row.doneOn]).toEqual(["done", today]);
    expect(markPrDone({ id: planned.id }, f.staff)).toMatchObject({ ok: false });
    expect(listPrActivities({ status: "done" }).withoutApproval).toBe(2);
  });

  it("offers the seven media for new items, keeps an older row's medium, and asks for a done date", () => {
    expect(savePrActivity(null, { medium: "tv", title: "テレビ", status: "planned" }, f.staff)).toMatchObject({ ok: false, errors: { medium: "媒体を一覧から選んでください。" } });
    const old = getDb().insert(prActivities).values({ programId: f.programId, medium: "newspaper", title: "地元紙に記事", status: "planned" }).returning({ id: prActivities.id }).get().id;
    expect(savePrActivity(old, { medium: "newspaper", title: "地元紙に記事（掲載決定）", status: "planned" }, f.staff)).toMatchObject({ ok: true });
    expect(savePrActivity(null, { medium: "sns", title: "SNS投稿", status: "done" }, f.staff)).toMatchObject({ ok: false, errors: { doneOn: "実施済にするときは実施日を入力してください。" } });
    expect(savePrActivity(null, { medium: "sns", title: `SNS ${INDIVIDUAL_NUMBER}`, status: "planned" }, f.staff)).toMatchObject({ ok: false, errors: { title: INDIVIDUAL_NUMBER_MESSAGE } });
  });
});
