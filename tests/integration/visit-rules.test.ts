/**
 * One test per defect of issue 10 (visit rules scattered across modules).
 * Each would have failed on the code before the lifecycle refactor (a89cc87);
 * the expected messages and values are written out by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { listPublicSessions } from "../../app/calendar/public-schedule.server";
import { getDb, writeTransaction } from "../../app/db.server";
import { addDays, formatDate, todayInTokyo, weekday } from "../../app/lib/dates";
import { loader as scheduleLoader } from "../../app/routes/schedule";
import { saveSettings } from "../../app/settings.server";
import { cityQueue } from "../../app/visits/queries.server";
import { rescheduleVisit, scheduleVisit } from "../../app/visits/scheduling.server";
import { agreeMonthSchedule, createSession } from "../../app/visits/sessions.server";
import { applyTransition } from "../../app/visits/transitions.server";
import { approvals, auditLog, emailOutbox, programs, venues, visitRequests, visits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { groupVisit, plainWeekdayAhead, seedBasics, type Fixture } from "../support/visits";

let ctx: ReturnType<typeof useFreshDatabase>;
let f: Fixture;
let otherVenueId: number;

beforeAll(() => {
  ctx = useFreshDatabase();
  f = seedBasics();
  otherVenueId = getDb().insert(venues).values({ name: "みどり市民センター", kind: "public_facility" }).returning({ id: venues.id }).get().id;
});
afterAll(() => ctx.cleanup());

const db = () => getDb();
const visit = (id: number) => db().select().from(visits).where(eq(visits.id, id)).get()!;
const outboxFor = (id: number) =>
  db()
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.relatedEntity, "visit"), eq(emailOutbox.relatedId, id)))
    .all();
/** Everything a refused step must leave untouched. */
const dump = (id: number) => ({
  visit: visit(id),
  approvals: db().select().from(approvals).all().length,
  audit: db().select().from(auditLog).all().length,
  outbox: db().select().from(emailOutbox).all().length,
});

/** Each test gets its own weekday, so tests never share the car by accident. */
const usedDays = new Set<string>();
function weekdayAhead(min: number) {
  const d = plainWeekdayAhead(min, (x) => usedDays.has(x));
  usedDays.add(d);
  return d;
}

/** The next day of the 12/29–1/3 closure matching `pred`, with the test program stretched to include it. */
function nextClosureDay(pred: (ymd: string) => boolean = () => true): string {
  let d = addDays(todayInTokyo(), 1);
  while (!(["12-29", "12-30", "12-31", "01-01", "01-02", "01-03"].includes(d.slice(5)) && pred(d))) d = addDays(d, 1);
  const program = db().select().from(programs).where(eq(programs.id, f.programId)).get()!;
  if (program.endsOn < addDays(d, 7)) db().update(programs).set({ endsOn: addDays(d, 7) }).where(eq(programs.id, f.programId)).run();
  return d;
}

function openClosureDays(days: string[]) {
  writeTransaction((tx) => saveSettings(tx, { openedDates: days }, f.admin.id));
}

/** A group visit the city approved: 10:00–12:00 at the public venue, 25 people, 受付方式. */
function approvedVisit(date: string) {
  const g = groupVisit(f, { status: "screening", date: null });
  const saved = scheduleVisit({ visitId: g.visitId, date, startTime: "10:00", endTime: "12:00", venueId: f.venueId, expectedApplicants: 25, mode: "accept" }, f.staff);
  expect(saved).toMatchObject({ ok: true, status: "screening" });
  expect(applyTransition({ visitId: g.visitId, transition: "submit_for_approval", actor: f.staff })).toMatchObject({ ok: true, status: "awaiting_city" });
  expect(applyTransition({ visitId: g.visitId, transition: "approve", actor: f.city })).toMatchObject({ ok: true, status: "approved" });
  return g;
}
const edit = (id: number, date: string, change: Partial<{ startTime: string; endTime: string; venueId: number; expectedApplicants: number; mode: "accept" | "support" }>) =>
  scheduleVisit({ visitId: id, date, startTime: "10:00", endTime: "12:00", venueId: f.venueId, expectedApplicants: 25, mode: "accept", ...change }, f.staff);

describe("the year-end closure (12/29–1/3) on every path", () => {
  it("refuses the staff form on 12/30 with the closure message, and allows it once an admin opens the day", () => {
    const dec30 = nextClosureDay((d) => d.endsWith("-12-30"));
    const g = groupVisit(f, { status: "screening", date: null });
    const before = dump(g.visitId);
    const r = scheduleVisit({ visitId: g.visitId, date: dec30, startTime: "10:00", endTime: "12:00", venueId: f.venueId, expectedApplicants: 20, mode: "accept" }, f.staff);
    expect(r).toMatchObject({ ok: false, errors: { date: expect.any(String) } });
    if (!r.ok) expect(r.message).toBe(`${formatDate(dec30)}は年末年始（12月29日〜1月3日）の閉庁日のため予定を入れられません。必要な場合は管理者にこの日を開けるよう依頼してください。`);
    expect(dump(g.visitId)).toEqual(before);

    openClosureDays([dec30]);
    try {
      const opened = scheduleVisit({ visitId: g.visitId, date: dec30, startTime: "10:00", endTime: "12:00", venueId: f.venueId, expectedApplicants: 20, mode: "accept" }, f.staff);
      expect(opened).toMatchObject({ ok: true, status: "screening" });
      expect(visit(g.visitId)).toMatchObject({ date: dec30, startsAt: `${dec30}T10:00` });
      expect(applyTransition({ visitId: g.visitId, transition: "submit_for_approval", actor: f.staff })).toMatchObject({ ok: true, status: "awaiting_city" });
    } finally {
      openClosureDays([]);
    }
    // Closed again: a later drag onto another closure day is refused.
    const dec31 = addDays(dec30, 1);
    const moved = rescheduleVisit({ visitId: g.visitId, startsAt: `${dec31}T10:00`, endsAt: `${dec31}T12:00` }, f.staff);
    expect(moved.ok).toBe(false);
    if (!moved.ok) expect(moved.message).toContain("年末年始（12月29日〜1月3日）の閉庁日");
  });

  it("refuses a roaming session on a closure day, and a base session on a closure weekend", () => {
    const closureDay = nextClosureDay();
    const roaming = createSession({ kind: "roaming", mode: "support", venueId: f.venueId, date: closureDay, startsAt: "10:00", endsAt: "12:00" }, f.staff);
    expect(roaming.ok).toBe(false);
    if (!roaming.ok) expect(roaming.message).toContain("年末年始（12月29日〜1月3日）の閉庁日");
    const closureWeekend = nextClosureDay((d) => [0, 6].includes(weekday(d)));
    const base = createSession({ kind: "base", mode: "accept", venueId: f.venueId, date: closureWeekend, startsAt: "10:00", endsAt: "15:00" }, f.staff);
    expect(base.ok).toBe(false);
    if (!base.ok) expect(base.message).toContain("年末年始（12月29日〜1月3日）の閉庁日");
  });
});

describe("which kinds run on which days", () => {
  it("refuses a base session on a weekday, and allows a roaming session on the same weekday", () => {
    const date = weekdayAhead(60);
    const base = createSession({ kind: "base", mode: "support", venueId: f.venueId, date, startsAt: "10:00", endsAt: "15:00" }, f.staff);
    expect(base).toMatchObject({ ok: false });
    if (!base.ok) expect(base.message).toBe(`拠点施設は土曜・日曜・祝日にだけ設定できます（${formatDate(date)}は平日です）。`);
    const roaming = createSession({ kind: "roaming", mode: "support", venueId: f.venueId, date, startsAt: "10:00", endsAt: "12:00" }, f.staff);
    expect(roaming).toMatchObject({ ok: true });
    if (roaming.ok) expect(visit(roaming.id)).toMatchObject({ status: "planned", holdStartsAt: `${date}T09:00`, holdEndsAt: `${date}T13:00` });
  });
});

describe("changes to an approved visit go back to the city", () => {
  it("sends a head-count change 25 → 480 back to the city", () => {
    const date = weekdayAhead(40);
    const g = approvedVisit(date);
    const r = edit(g.visitId, date, { expectedApplicants: 480 });
    expect(r).toMatchObject({ ok: true, status: "awaiting_city", message: "確定済の訪問の申請予定人数を変更したため、市の再承認待ちに戻りました。" });
    expect(visit(g.visitId)).toMatchObject({ status: "awaiting_city", expectedApplicants: 480 });
  });

  it("refuses a head-count above the maximum (10000 > 500) and changes nothing", () => {
    const date = weekdayAhead(40);
    const g = approvedVisit(date);
    const before = dump(g.visitId);
    const r = edit(g.visitId, date, { expectedApplicants: 10000 });
    expect(r).toMatchObject({ ok: false, message: "申請予定人数は5人から500人までにしてください。", errors: { expectedApplicants: "申請予定人数は5人から500人までにしてください。" } });
    expect(dump(g.visitId)).toEqual(before);
  });

  it("refuses サポート方式 for a group visit (group visits run in 受付方式, seed 000 §5(6)④) and changes nothing", () => {
    const date = weekdayAhead(40);
    const g = approvedVisit(date);
    const before = dump(g.visitId);
    const r = edit(g.visitId, date, { mode: "support" });
    expect(r).toMatchObject({ ok: false, message: "団体訪問は出張申請受付方式で行います（出張申請サポート方式は選べません）。", errors: { mode: "団体訪問は出張申請受付方式で行います（出張申請サポート方式は選べません）。" } });
    expect(dump(g.visitId)).toEqual(before);
    const snap = db().select().from(approvals).where(eq(approvals.visitId, g.visitId)).get()!.snapshot as { mode: string };
    expect(snap.mode).toBe("accept");
  });

  it("refuses 受付方式 for a roaming session (roaming is サポート方式 only, seed 000 §5(6)①ア) and accepts both modes at a base facility", () => {
    const date = weekdayAhead(41);
    expect(createSession({ kind: "roaming", mode: "accept", venueId: f.venueId, date, startsAt: "10:00", endsAt: "12:00" }, f.staff)).toMatchObject({
      ok: false,
      message: "巡回は出張申請サポート方式で行います（出張申請受付方式は選べません）。",
    });
    let saturday = addDays(date, 1);
    while (weekday(saturday) !== 6 || ["12-29", "12-30", "12-31", "01-01", "01-02", "01-03"].includes(saturday.slice(5)) || usedDays.has(saturday)) saturday = addDays(saturday, 1);
    usedDays.add(saturday);
    expect(createSession({ kind: "base", mode: "accept", venueId: f.venueId, date: saturday, startsAt: "10:00", endsAt: "12:00" }, f.staff)).toMatchObject({ ok: true });
    expect(createSession({ kind: "base", mode: "support", venueId: f.venueId, date: saturday, startsAt: "13:00", endsAt: "15:00" }, f.staff)).toMatchObject({ ok: true });
  });

  it("sends a move to another venue at the same time back to the city", () => {
    const date = weekdayAhead(40);
    const g = approvedVisit(date);
    const r = edit(g.visitId, date, { venueId: otherVenueId });
    expect(r).toMatchObject({ ok: true, status: "awaiting_city", message: "確定済の訪問の会場を変更したため、市の再承認待ちに戻りました。" });
    expect(visit(g.visitId)).toMatchObject({ status: "awaiting_city", venueId: otherVenueId, startsAt: `${date}T10:00` });
  });

  it("compares with the city's latest approval, not an earlier one", () => {
    const date = weekdayAhead(40);
    const g = approvedVisit(date);
    expect(rescheduleVisit({ visitId: g.visitId, startsAt: `${date}T13:00`, endsAt: `${date}T15:00` }, f.staff)).toMatchObject({ ok: true, status: "awaiting_city" });
    expect(applyTransition({ visitId: g.visitId, transition: "approve", actor: f.city })).toMatchObject({ ok: true, status: "approved" });
    // Back to the first approved times: that is a change from what the city approved last.
    const back = rescheduleVisit({ visitId: g.visitId, startsAt: `${date}T10:00`, endsAt: `${date}T12:00` }, f.staff);
    expect(back).toMatchObject({ ok: true, status: "awaiting_city", message: "確定済の訪問の時刻を変更したため、市の再承認待ちに戻りました。" });
  });

  it("emails the city officials and the organisation about a small head-count correction, without re-approval", () => {
    const date = weekdayAhead(40);
    const g = approvedVisit(date);
    const orgEmail = db().select().from(visitRequests).where(eq(visitRequests.id, g.requestId)).get()!.email;
    const sentBefore = outboxFor(g.visitId).length;
    const r = edit(g.visitId, date, { expectedApplicants: 30 });
    expect(r).toMatchObject({ ok: true, status: "approved" });
    const sent = outboxFor(g.visitId).slice(sentBefore);
    expect(sent.map((m) => [m.toAddress, m.template]).sort()).toEqual([
      [f.city.email, "staff-notice"],
      [orgEmail, "changed"],
    ].sort());
    const city = sent.find((m) => m.toAddress === f.city.email)!;
    expect(city.subject).toContain("人数の変更");
    expect(city.text).toContain("25人 → 30人");
    if (r.ok) expect(r.message).toBe("申請予定人数を変更しました。変更が小さいため再承認は不要です。市と団体にお知らせのメールを送ります。");
  });
});

describe("an organisation's private venue is never public", () => {
  let privateVenueId: number;
  beforeAll(() => {
    const org = groupVisit(f, { status: "screening", date: null });
    privateVenueId = db().insert(venues).values({ name: "ひまわり福祉会 本部", kind: "organisation_site", organisationId: org.organisationId }).returning().get().id;
  });
  function saturdayAhead(min: number) {
    let d = addDays(todayInTokyo(), min);
    while (weekday(d) !== 6 || ["12-29", "12-30", "12-31", "01-01", "01-02", "01-03"].includes(d.slice(5))) d = addDays(d, 1);
    return d;
  }

  it("refuses roaming and base sessions there", () => {
    const message = "巡回・拠点施設の予定は一般に公開されるため、団体の施設は会場にできません。公共の会場を選んでください。";
    const roaming = createSession({ kind: "roaming", mode: "support", venueId: privateVenueId, date: weekdayAhead(30), startsAt: "13:00", endsAt: "14:00" }, f.staff);
    expect(roaming).toMatchObject({ ok: false, message });
    const base = createSession({ kind: "base", mode: "accept", venueId: privateVenueId, date: saturdayAhead(30), startsAt: "10:00", endsAt: "15:00" }, f.staff);
    expect(base).toMatchObject({ ok: false, message });
    expect(db().select().from(visits).where(eq(visits.venueId, privateVenueId)).all()).toEqual([]);
  });

  it("keeps an old session at such a venue off /schedule", async () => {
    const sat = saturdayAhead(37);
    // A public session that month, agreed by the city: it must appear (so the page is not simply empty).
    const publicSession = createSession({ kind: "base", mode: "accept", venueId: f.venueId, date: sat, startsAt: "10:00", endsAt: "15:00" }, f.staff);
    expect(publicSession.ok).toBe(true);
    expect(agreeMonthSchedule({ month: sat.slice(0, 7), user: f.city })).toMatchObject({ ok: true });
    // Old data: an agreed base session at the private venue, written before the rule existed.
    const leaked = db()
      .insert(visits)
      .values({ programId: f.programId, kind: "base", mode: "accept", status: "agreed", title: "拠点窓口 ひまわり福祉会 本部", venueId: privateVenueId, date: sat, startsAt: `${sat}T10:00`, endsAt: `${sat}T15:00` })
      .returning()
      .get();

    const listed = listPublicSessions({ from: todayInTokyo() });
    expect(listed.map((s) => s.venueName)).toContain("あおばスーパー本店");
    expect(listed.map((s) => s.id)).not.toContain(leaked.id);
    expect(listed.map((s) => s.venueName)).not.toContain("ひまわり福祉会 本部");

    const page = (await scheduleLoader({ request: new Request(`http://localhost/schedule?month=${sat.slice(0, 7)}`), params: {}, context: {} })) as {
      sessions: { id: number; venueName: string }[];
    };
    expect(page.sessions.map((s) => s.venueName)).toContain("あおばスーパー本店");
    expect(page.sessions.map((s) => s.id)).not.toContain(leaked.id);
  });
});

describe("the car clash message", () => {
  it("shows the buffered times of both visits", () => {
    const date = weekdayAhead(50);
    const first = groupVisit(f, { status: "screening", date, name: "先約町内会" });
    expect(applyTransition({ visitId: first.visitId, transition: "submit_for_approval", actor: f.staff }).ok).toBe(true);
    const second = groupVisit(f, { status: "screening", date, from: "13:30", to: "15:00" });
    const before = dump(second.visitId);
    const r = applyTransition({ visitId: second.visitId, transition: "submit_for_approval", actor: f.staff });
    expect(r).toEqual({
      ok: false,
      message:
        `承認を依頼できません: ラッピングカーは「先約町内会 出張申請受付」で ${formatDate(date)} 09:00〜13:00 に使用予定です（訪問 10:00〜12:00 に準備・撤去・移動時間を含む）。` +
        `この予定の車両使用時間 ${formatDate(date)} 12:30〜16:00（準備・撤去・移動時間を含む）と重なるため予約できません。重ならない時間を選んでください。`,
    });
    expect(dump(second.visitId)).toEqual(before);
  });
});

describe("保存して市に承認を依頼 never submits a stale date", () => {
  it("saves the date on the screen and submits it in one go", () => {
    const oldDate = weekdayAhead(35);
    const newDate = weekdayAhead(36);
    const g = groupVisit(f, { status: "screening", date: oldDate });
    const v = visit(g.visitId);
    const r = scheduleVisit(
      { visitId: g.visitId, date: newDate, startTime: "10:00", endTime: "12:00", venueId: f.venueId, expectedApplicants: 20, mode: "accept", expectedVersion: v.version, thenSubmit: true },
      f.staff,
    );
    expect(r).toMatchObject({ ok: true, status: "awaiting_city" });
    expect(visit(g.visitId)).toMatchObject({ status: "awaiting_city", date: newDate, holdStartsAt: `${newDate}T09:00`, holdEndsAt: `${newDate}T13:00` });
    // What the city sees in its queue is the new date.
    const queued = cityQueue().awaiting.find((q) => q.id === g.visitId);
    expect(queued).toMatchObject({ date: newDate });
  });

  it("refuses a stale screen and changes nothing", () => {
    const oldDate = weekdayAhead(35);
    const g = groupVisit(f, { status: "screening", date: oldDate });
    const stale = visit(g.visitId).version;
    expect(scheduleVisit({ visitId: g.visitId, date: oldDate, startTime: "09:00", endTime: "11:00", venueId: f.venueId, expectedApplicants: 20, mode: "accept" }, f.manager).ok).toBe(true);
    const before = dump(g.visitId);
    const r = scheduleVisit(
      { visitId: g.visitId, date: weekdayAhead(36), startTime: "10:00", endTime: "12:00", venueId: f.venueId, expectedApplicants: 20, mode: "accept", expectedVersion: stale, thenSubmit: true },
      f.staff,
    );
    expect(r).toMatchObject({ ok: false, message: "他の人がこの訪問を先に更新しました。画面を再読み込みして最新の内容を確認してから、もう一度操作してください。" });
    expect(dump(g.visitId)).toEqual(before);
  });
});

describe("the actor is the signed-in user", () => {
  it("records the signed-in manager as the actor of an implicit re-approval", () => {
    const date = weekdayAhead(45);
    const g = approvedVisit(date);
    const moved = rescheduleVisit({ visitId: g.visitId, startsAt: `${date}T13:00`, endsAt: `${date}T15:00` }, f.manager);
    expect(moved).toMatchObject({ ok: true, status: "awaiting_city" });
    const row = db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, String(g.visitId)), eq(auditLog.action, "visit.reschedule_approved")))
      .get();
    expect(row).toMatchObject({ userId: f.manager.id });
  });

  it("refuses a city official dragging a visit, and changes nothing", () => {
    const date = weekdayAhead(45);
    const g = approvedVisit(date);
    const before = dump(g.visitId);
    const r = rescheduleVisit({ visitId: g.visitId, startsAt: `${date}T13:00`, endsAt: `${date}T15:00` }, f.city);
    expect(r).toEqual({ ok: false, message: "予定の登録・変更は受託者の担当者が行います。" });
    expect(dump(g.visitId)).toEqual(before);
  });
});
