/**
 * The session page of every kind and what hangs on it (issue 12 item 1, the
 * roster parts of item 3): the staff list, rosters and their clash rule, the
 * 受付方式 city-official warning, the kit checklist, cancelling with emails to
 * the city (and the organisation), the public schedule after a cancel, the
 * calendar feed's url per role, the lists and the Today view.
 *
 * Real SQLite file; routes called as Remix would with real sign-in cookies.
 * Expected messages and values are written out by hand.
 */
import argon2 from "argon2";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import { addDays, isNationalHoliday, todayInTokyo, weekday } from "../../app/lib/dates";
import { loader as feedLoader } from "../../app/routes/calendar.events";
import { loader as cityVisitLoader } from "../../app/routes/city.visits.$id";
import { loader as scheduleLoader } from "../../app/routes/schedule";
import { loader as scheduleIcsLoader } from "../../app/routes/schedule[.]ics";
import { loader as todayLoader } from "../../app/routes/staff._index";
import { action as teamAction, loader as teamLoader } from "../../app/routes/staff.team";
import { action as visitAction, loader as visitLoader } from "../../app/routes/staff.visits.$id";
import { loader as visitsLoader } from "../../app/routes/staff.visits._index";
import { rescheduleVisit } from "../../app/visits/scheduling.server";
import { addToRoster, createStaffMember, removeFromRoster, setStaffMemberActive } from "../../app/visits/roster.server";
import { agreeMonthSchedule, createSession } from "../../app/visits/sessions.server";
import { applyTransition } from "../../app/visits/transitions.server";
import { auditLog, emailOutbox, users, venues, visits, type VisitStatus } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { callRoute } from "../support/routes";
import { groupVisit, seedBasics, type Fixture } from "../support/visits";

let ctx: ReturnType<typeof useFreshDatabase>;
let f: Fixture;
const PASSWORD = "session-page-pass-01";
const cookies = {} as Record<"outreach" | "manager" | "city", string>;
let secondCity: { id: number; email: string };
let venueA: number;
let venueB: number;
let venueC: number;

/** The first Saturday at least `min` days ahead that is not a national holiday (written out: weekday 6). */
function saturdayAhead(min: number): string {
  let d = addDays(todayInTokyo(), min);
  while (weekday(d) !== 6 || isNationalHoliday(d)) d = addDays(d, 1);
  return d;
}

/** 2026-12-05 → 2026年12月5日 (the weekday is added by the caller, by hand). */
function ja(ymd: string): string {
  const [y, m, d] = ymd.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

function session(kind: "roaming" | "base", venueId: number, date: string, from: string, to: string, mode: "accept" | "support" = "support"): number {
  const r = createSession({ kind, mode, venueId, date, startsAt: from, endsAt: to }, f.staff);
  if (!r.ok) throw new Error(r.message);
  return r.id;
}

function member(name: string, affiliation: "contractor" | "city", extra: { nameKana?: string; phone?: string; userId?: number } = {}): number {
  const r = createStaffMember({ name, affiliation, ...extra }, f.manager);
  if (!r.ok) throw new Error(`${r.message} ${JSON.stringify("errors" in r ? r.errors : {})}`);
  return r.id;
}

const status = (id: number) => getDb().select({ status: visits.status }).from(visits).where(eq(visits.id, id)).get()!.status;
const outboxOf = (visitId: number) =>
  getDb()
    .select({ to: emailOutbox.toAddress, template: emailOutbox.template, subject: emailOutbox.subject, text: emailOutbox.text })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.relatedEntity, "visit"), eq(emailOutbox.relatedId, visitId)))
    .all();

async function signIn(email: string): Promise<string> {
  const r = await login({ email, password: PASSWORD });
  if (!r.ok) throw new Error(r.message);
  return r.setCookie.split(";")[0];
}

beforeAll(async () => {
  ctx = useFreshDatabase();
  delete process.env.SMTP_URL;
  f = seedBasics();
  const db = getDb();
  // A real argon2id hash with small costs, so login() verifies it in milliseconds.
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  db.update(users).set({ passwordHash: hash }).run();
  secondCity = db.insert(users).values({ email: "city2@t.jp", name: "市役所 四郎", role: "city", passwordHash: hash }).returning({ id: users.id, email: users.email }).get();
  cookies.outreach = await signIn(f.staff.email);
  cookies.manager = await signIn(f.manager.email);
  cookies.city = await signIn(f.city.email);
  venueA = f.venueId;
  venueB = db.insert(venues).values({ name: "あおば市民センター", kind: "public_facility", address: "あおば市中央2-2-2" }).returning({ id: venues.id }).get().id;
  venueC = db.insert(venues).values({ name: "みなと公民館", kind: "public_facility", address: "あおば市港町3-3" }).returning({ id: venues.id }).get().id;
}, 60_000);
afterAll(() => ctx.cleanup());

describe("the staff list (従事者名簿, /staff/team)", () => {
  it("adds people with or without a sign-in account, refuses a bad phone number and an account of the other side", async () => {
    const added = await callRoute(teamAction as never, {
      url: "/staff/team",
      cookie: cookies.manager,
      form: { intent: "create", name: "名簿 一郎", nameKana: "めいぼ いちろう", affiliation: "contractor", userId: "", phone: "０９０－１２３４－５６７８" },
    });
    expect(added.body).toMatchObject({ ok: true, message: "名簿 一郎さんを名簿に追加しました。" });

    const badPhone = await callRoute(teamAction as never, { url: "/staff/team", cookie: cookies.manager, form: { intent: "create", name: "電話 間違", affiliation: "contractor", phone: "12-34" } });
    expect(badPhone.body).toMatchObject({ ok: false, errors: { phone: "電話番号は市外局番から、10桁または11桁の数字で入力してください（例: 017-123-4567）。" } });

    // The city official's account belongs to a city-affiliated person.
    const wrongSide = createStaffMember({ name: "市役所 三郎", affiliation: "contractor", userId: f.city.id }, f.manager);
    expect(wrongSide).toMatchObject({ ok: false, errors: { affiliation: "選んだアカウントは市職員のアカウントです。所属を「市職員」にするか、別のアカウントを選んでください。" } });
    member("市役所 三郎", "city", { userId: f.city.id });
    expect(createStaffMember({ name: "二重 登録", affiliation: "city", userId: String(f.city.id) }, f.manager)).toMatchObject({
      ok: false,
      message: "そのアカウントはすでに「市役所 三郎」さんに結び付いています。一人に一つのアカウントです。",
    });

    // Outreach staff may put people on rosters but do not keep the list.
    expect(createStaffMember({ name: "勝手 追加", affiliation: "contractor" }, f.staff)).toEqual({ ok: false, message: "従事者名簿の管理は総括責任者・管理者が行います。" });

    const list = await callRoute(teamLoader as never, { url: "/staff/team", cookie: cookies.manager });
    const rows = (list.body as { members: { name: string; phone: string | null; userName: string | null; affiliation: string }[] }).members;
    expect(rows.find((m) => m.name === "名簿 一郎")).toMatchObject({ phone: "090-1234-5678", userName: null, affiliation: "contractor" });
    expect(rows.find((m) => m.name === "市役所 三郎")).toMatchObject({ userName: "市役所 三郎", affiliation: "city" });
    expect(rows.map((m) => m.name)).not.toContain("電話 間違");
  });
});

describe("the roster of a session (当日の体制)", () => {
  let sat: string;
  let roaming: number;
  let base: number;
  let later: number;
  let hanako: number;

  beforeAll(() => {
    sat = saturdayAhead(25);
    roaming = session("roaming", venueA, sat, "10:00", "12:00");
    base = session("base", venueB, sat, "11:00", "15:00");
    later = session("base", venueC, sat, "12:00", "16:00");
    hanako = member("青森 花子", "contractor", { nameKana: "あおもり はなこ", phone: "090-1111-2222" });
  });

  it("refuses a person on two overlapping sessions, naming the other session and its times", async () => {
    expect(addToRoster({ visitId: roaming, staffMemberId: hanako, role: "lead" }, f.staff)).toMatchObject({ ok: true, message: "青森 花子さんを現地管理者として追加しました。" });

    const clash = await callRoute(visitAction as never, { url: `/staff/visits/${base}`, cookie: cookies.outreach, params: { id: String(base) }, form: { intent: "roster_add", staffMemberId: String(hanako), role: "staff" } });
    expect(clash.body).toMatchObject({
      ok: false,
      message: `青森 花子さんは同じ時間帯の「巡回申請サポート あおばスーパー本店」（${ja(sat)}(土) 10:00〜12:00）の体制に入っているため、追加できません。時間の重ならない人を選ぶか、先にその予定から外してください。`,
    });
    // Back to back (12:00 end, 12:00 start) is not a clash.
    const next = await callRoute(visitAction as never, { url: `/staff/visits/${later}`, cookie: cookies.outreach, params: { id: String(later) }, form: { intent: "roster_add", staffMemberId: String(hanako), role: "staff" } });
    expect(next.body).toMatchObject({ ok: true, message: "青森 花子さんを従事者として追加しました。" });
    const page = await callRoute(visitLoader as never, { url: `/staff/visits/${base}`, cookie: cookies.outreach, params: { id: String(base) } });
    expect((page.body as { roster: { entries: unknown[] } }).roster.entries).toEqual([]);
  });

  it("refuses to move a session so that someone on its roster would be in two places", () => {
    const v = getDb().select().from(visits).where(eq(visits.id, roaming)).get()!;
    const moved = rescheduleVisit({ visitId: roaming, startsAt: `${sat}T13:00`, endsAt: `${sat}T14:00`, expectedVersion: v.version }, f.staff);
    expect(moved).toEqual({
      ok: false,
      message: `この時間に変えると、体制に入っている青森 花子さんが「拠点窓口（サポート方式） みなと公民館」（${ja(sat)}(土) 12:00〜16:00）と重なります。別の時間にするか、先にどちらかの体制から外してください。`,
    });
    expect(getDb().select({ startsAt: visits.startsAt }).from(visits).where(eq(visits.id, roaming)).get()!.startsAt).toBe(`${sat}T10:00`);
  });

  it("keeps one site lead, lets only city officials check identity, and frees a person when the other session is cancelled", () => {
    const jiro = member("佐藤 次郎", "contractor");
    const city = member("市役所 五郎", "city");
    expect(addToRoster({ visitId: base, staffMemberId: jiro, role: "id_checker" }, f.staff)).toEqual({
      ok: false,
      field: "role",
      message: "佐藤 次郎さんは受託者です。本人確認は市職員が行います。所属が「市職員」の人を選ぶか、役割を「従事者」にしてください。",
    });
    expect(addToRoster({ visitId: base, staffMemberId: jiro, role: "lead" }, f.staff)).toMatchObject({ ok: true });
    expect(addToRoster({ visitId: base, staffMemberId: city, role: "lead" }, f.staff)).toMatchObject({
      ok: false,
      message: "現地管理者はすでに佐藤 次郎さんです。交代するときは、先に佐藤 次郎さんを外してください。",
    });
    expect(addToRoster({ visitId: base, staffMemberId: city, role: "id_checker" }, f.staff)).toMatchObject({ ok: true, message: "市役所 五郎さんを本人確認（市職員）として追加しました。" });

    const santa = member("青森 三太", "contractor");
    expect(addToRoster({ visitId: roaming, staffMemberId: santa, role: "staff" }, f.staff)).toMatchObject({ ok: true });
    expect(addToRoster({ visitId: base, staffMemberId: santa, role: "staff" }, f.staff)).toMatchObject({ ok: false });
    expect(applyTransition({ visitId: roaming, transition: "cancel", actor: f.staff, comment: "車両点検のため" })).toMatchObject({ ok: true, status: "cancelled" });
    expect(addToRoster({ visitId: base, staffMemberId: santa, role: "staff" }, f.staff)).toMatchObject({ ok: true, message: "青森 三太さんを従事者として追加しました。" });
    // A cancelled session's roster stays as it was.
    expect(addToRoster({ visitId: roaming, staffMemberId: jiro, role: "staff" }, f.staff)).toEqual({ ok: false, message: "「取消」の予定の体制は変更できません。" });
  });

  it("refuses people deactivated on the list and writes every change to the audit log and the session's history", async () => {
    const gone = member("退職 六郎", "contractor");
    expect(setStaffMemberActive(gone, false, f.manager)).toMatchObject({ ok: true, openSessions: 0 });
    expect(addToRoster({ visitId: later, staffMemberId: gone, role: "staff" }, f.staff)).toMatchObject({
      ok: false,
      message: "退職 六郎さんは従事者名簿で無効になっています。名簿で有効に戻してから追加してください。",
    });

    const page = await callRoute(visitLoader as never, { url: `/staff/visits/${later}`, cookie: cookies.outreach, params: { id: String(later) } });
    const entry = (page.body as { roster: { entries: { id: number; name: string }[] } }).roster.entries.find((e) => e.name === "青森 花子")!;
    const removed = await callRoute(visitAction as never, { url: `/staff/visits/${later}`, cookie: cookies.outreach, params: { id: String(later) }, form: { intent: "roster_remove", entryId: String(entry.id) } });
    expect(removed.body).toMatchObject({ ok: true, message: "青森 花子さん（従事者）を体制から外しました。" });

    const actions = getDb().select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.entity, "visit"), eq(auditLog.entityId, String(later)))).all().map((a) => a.action);
    expect(actions.filter((a) => a.startsWith("roster."))).toEqual(["roster.add", "roster.remove"]);
    const after = await callRoute(visitLoader as never, { url: `/staff/visits/${later}`, cookie: cookies.outreach, params: { id: String(later) } });
    const history = (after.body as { history: { summary: string; userName: string | null }[] }).history.map((h) => h.summary);
    expect(history.slice(0, 2)).toEqual(["体制から外す: 青森 花子（従事者）", "体制に追加: 青森 花子（従事者）"]);
    expect(history.at(-1)).toBe(`予定を作成: ${ja(sat)}(土) 12:00〜16:00`);
  });
});

describe("the 受付方式 warning: a city official must check identity documents", () => {
  it("shows on the staff page and the city's approval page until a city official is on the roster", async () => {
    const g = groupVisit(f, { status: "awaiting_city" });
    const staffPage = () => callRoute(visitLoader as never, { url: `/staff/visits/${g.visitId}`, cookie: cookies.outreach, params: { id: String(g.visitId) } });
    const cityPage = () => callRoute(cityVisitLoader as never, { url: `/city/visits/${g.visitId}`, cookie: cookies.city, params: { id: String(g.visitId) } });
    expect(((await staffPage()).body as { roster: { lacksCityOfficial: boolean } }).roster.lacksCityOfficial).toBe(true);
    expect(((await cityPage()).body as { lacksCityOfficial: boolean }).lacksCityOfficial).toBe(true);

    // A city-affiliated person as plain staff does not count: someone must take 本人確認.
    const helper = member("市役所 七子", "city");
    expect(addToRoster({ visitId: g.visitId, staffMemberId: helper, role: "staff" }, f.staff)).toMatchObject({ ok: true });
    expect(((await cityPage()).body as { lacksCityOfficial: boolean }).lacksCityOfficial).toBe(true);
    const checker = member("市役所 八郎", "city");
    expect(addToRoster({ visitId: g.visitId, staffMemberId: checker, role: "id_checker" }, f.staff)).toMatchObject({ ok: true });
    expect(((await staffPage()).body as { roster: { lacksCityOfficial: boolean } }).roster.lacksCityOfficial).toBe(false);
    expect(((await cityPage()).body as { lacksCityOfficial: boolean }).lacksCityOfficial).toBe(false);
  });

  it("does not warn for サポート方式 sessions", async () => {
    const id = session("base", venueB, saturdayAhead(60), "10:00", "12:00", "support");
    const page = await callRoute(visitLoader as never, { url: `/staff/visits/${id}`, cookie: cookies.outreach, params: { id: String(id) } });
    expect((page.body as { roster: { lacksCityOfficial: boolean } }).roster.lacksCityOfficial).toBe(false);
    const accept = session("base", venueC, saturdayAhead(60), "10:00", "12:00", "accept");
    const acceptPage = await callRoute(visitLoader as never, { url: `/staff/visits/${accept}`, cookie: cookies.outreach, params: { id: String(accept) } });
    expect((acceptPage.body as { roster: { lacksCityOfficial: boolean } }).roster.lacksCityOfficial).toBe(true);
  });
});

describe("the kit checklist (持ち物チェック)", () => {
  it("ticks and unticks items of the settings, showing who and when, on open sessions only", async () => {
    const id = session("roaming", venueA, saturdayAhead(70), "13:00", "15:00");
    const post = (form: Record<string, string>) => callRoute(visitAction as never, { url: `/staff/visits/${id}`, cookie: cookies.outreach, params: { id: String(id) }, form: { intent: "kit", ...form } });
    const kit = async () => ((await callRoute(visitLoader as never, { url: `/staff/visits/${id}`, cookie: cookies.outreach, params: { id: String(id) } })).body as { kit: { key: string; label: string; checkedBy: string | null }[] }).kit;

    expect((await kit()).map((k) => k.label)).toEqual([
      "申請用端末（タブレット）",
      "顔写真撮影用カメラ",
      "プリンター・用紙",
      "モバイルWi-Fiルーター",
      "のぼり・案内看板",
      "郵送申請用の申請書・返信用封筒",
    ]);
    expect((await post({ itemKey: "camera", checked: "1" })).body).toMatchObject({ ok: true, message: "「顔写真撮影用カメラ」を確認済にしました。" });
    expect((await post({ itemKey: "wifi", checked: "1" })).body).toMatchObject({ ok: true });
    expect((await kit()).filter((k) => k.checkedBy).map((k) => [k.key, k.checkedBy])).toEqual([
      ["camera", "営業 一郎"],
      ["wifi", "営業 一郎"],
    ]);
    expect((await post({ itemKey: "camera", checked: "0" })).body).toMatchObject({ ok: true, message: "「顔写真撮影用カメラ」の確認を外しました。" });
    expect((await kit()).filter((k) => k.checkedBy).map((k) => k.key)).toEqual(["wifi"]);
    expect((await post({ itemKey: "umbrella", checked: "1" })).body).toMatchObject({ ok: false, message: "その持ち物は設定にありません。画面を再読み込みしてください。" });

    applyTransition({ visitId: id, transition: "cancel", actor: f.staff, comment: "荒天のため" });
    expect((await post({ itemKey: "camera", checked: "1" })).body).toMatchObject({ ok: false, message: "「取消」の予定の持ち物チェックは変更できません。" });
  });
});

describe("cancelling from the session page", () => {
  it("a roaming session: every city official is emailed with the reason, and it leaves /schedule and /schedule.ics", async () => {
    const date = saturdayAhead(40);
    const id = session("roaming", venueA, date, "10:00", "12:00");
    expect(agreeMonthSchedule({ month: date.slice(0, 7), user: f.city })).toMatchObject({ ok: true });
    const month = `?month=${date.slice(0, 7)}`;
    const shown = async () => ((await callRoute(scheduleLoader as never, { url: `/schedule${month}` })).body as { sessions: { id: number }[] }).sessions.map((s) => s.id);
    const ics = async () => String((await callRoute(scheduleIcsLoader as never, { url: "/schedule.ics" })).body);
    expect(await shown()).toContain(id);
    expect(await ics()).toContain(`UID:session-${id}@localhost`);

    const cancelled = await callRoute(visitAction as never, { url: `/staff/visits/${id}`, cookie: cookies.outreach, params: { id: String(id) }, form: { intent: "cancel", comment: "荒天（大雪警報）のため" } });
    expect(cancelled.body).toMatchObject({ ok: true, message: "取り消しました。市の担当者に取消のメールを送ります。市民向けの予定表とカレンダー配信からも外れました。" });
    expect(status(id)).toBe("cancelled");
    expect(await shown()).not.toContain(id);
    expect(await ics()).not.toContain(`session-${id}@`);

    const mails = outboxOf(id);
    expect(mails.map((m) => [m.to, m.template]).sort()).toEqual([
      ["city2@t.jp", "city-cancelled"],
      ["city@t.jp", "city-cancelled"],
    ]);
    expect(mails[0].subject).toBe(`【取消】巡回「巡回申請サポート あおばスーパー本店」（${ja(date)}(土) 10:00〜12:00）を取り消しました`);
    // Free text is NFKC-normalised: full-width brackets come back half-width.
    expect(mails[0].text).toContain("取消の理由: 荒天(大雪警報)のため");
    expect(mails[0].text).toContain("取り消した人: 受託者（営業 一郎）");
    expect(mails[0].text).toContain("市民向けの予定表（ホームページ・カレンダー配信）からは自動的に外れました。");
  });

  it("a cancel needs a reason", async () => {
    const id = session("base", venueB, saturdayAhead(80), "10:00", "12:00");
    const r = await callRoute(visitAction as never, { url: `/staff/visits/${id}`, cookie: cookies.outreach, params: { id: String(id) }, form: { intent: "cancel", comment: " " } });
    expect(r.body).toMatchObject({ ok: false, message: "「取り消す」には理由（コメント）の入力が必要です。" });
    expect(status(id)).toBe("planned");
    expect(outboxOf(id)).toEqual([]);
  });

  it("a group visit the city approved: the organisation and the city are emailed; one the city never saw: the organisation only", async () => {
    const approved = groupVisit(f, { status: "approved", email: "approved-org@example.jp", name: "中央町内会" });
    const r = await callRoute(visitAction as never, { url: `/staff/visits/${approved.visitId}`, cookie: cookies.outreach, params: { id: String(approved.visitId) }, form: { intent: "cancel", comment: "会場が使えなくなったため" } });
    expect(r.body).toMatchObject({ ok: true });
    expect(outboxOf(approved.visitId).map((m) => [m.to, m.template]).sort()).toEqual([
      ["approved-org@example.jp", "cancelled"],
      ["city2@t.jp", "city-cancelled"],
      ["city@t.jp", "city-cancelled"],
    ]);
    const toCity = outboxOf(approved.visitId).find((m) => m.to === "city@t.jp")!;
    expect(toCity.subject).toMatch(/^【取消】団体訪問「中央町内会」（/);
    expect(toCity.text).toContain("取消の理由: 会場が使えなくなったため");

    const early = groupVisit(f, { status: "screening", email: "early-org@example.jp" });
    applyTransition({ visitId: early.visitId, transition: "cancel", actor: f.staff, comment: "団体の都合" });
    expect(outboxOf(early.visitId).map((m) => [m.to, m.template])).toEqual([["early-org@example.jp", "cancelled"]]);
  });
});

describe("the calendar feed's url per role", () => {
  it("gives staff the session page of every kind, the city the approval page of group visits only", async () => {
    const date = saturdayAhead(90);
    const roaming = session("roaming", venueA, date, "09:00", "10:00");
    const base = session("base", venueB, date, "10:00", "11:00");
    const g = groupVisit(f, { status: "awaiting_city", date, from: "13:00", to: "14:00" });
    const url = `/calendar/events?start=${date}T00:00:00%2B09:00&end=${addDays(date, 1)}T00:00:00%2B09:00`;
    const urls = async (cookie: string) => {
      const events = JSON.parse(String((await callRoute(feedLoader as never, { url, cookie })).body)) as { id: string; url?: string }[];
      return Object.fromEntries(events.map((e) => [Number(e.id), e.url ?? null]));
    };
    expect(await urls(cookies.outreach)).toEqual({ [roaming]: `/staff/visits/${roaming}`, [base]: `/staff/visits/${base}`, [g.visitId]: `/staff/visits/${g.visitId}` });
    expect(await urls(cookies.city)).toEqual({ [roaming]: null, [base]: null, [g.visitId]: `/city/visits/${g.visitId}` });
  });
});

describe("reaching session pages: the list and the Today view", () => {
  it("the list filters by kind; the Today view lists today's visits and sessions of every kind, not cancelled ones", async () => {
    const date = saturdayAhead(100);
    const base = session("base", venueC, date, "09:00", "17:00");
    const list = await callRoute(visitsLoader as never, { url: "/staff/visits?kind=base&status=all", cookie: cookies.outreach });
    const rows = (list.body as { rows: { id: number; kind: string }[] }).rows;
    expect(rows.map((r) => r.id)).toContain(base);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(["base"]));
    const groups = await callRoute(visitsLoader as never, { url: "/staff/visits", cookie: cookies.outreach });
    expect(new Set((groups.body as { rows: { kind: string }[] }).rows.map((r) => r.kind))).toEqual(new Set(["group"]));

    // Today's sessions, written straight into the table (booking refuses a date this close).
    const today = todayInTokyo();
    const db = getDb();
    const put = (kind: "roaming" | "base", st: VisitStatus, from: string, to: string, mode: "accept" | "support" = "support") =>
      db
        .insert(visits)
        .values({ programId: f.programId, kind, mode, status: st, title: `今日の${kind}${from}`, venueId: venueB, date: today, startsAt: `${today}T${from}`, endsAt: `${today}T${to}` })
        .returning({ id: visits.id })
        .get().id;
    const morning = put("roaming", "agreed", "09:00", "11:00");
    const afternoon = put("base", "agreed", "13:00", "16:00", "accept");
    put("roaming", "cancelled", "11:30", "12:30");
    const g = groupVisit(f, { status: "approved", date: today, from: "11:00", to: "12:00", name: "今日の町内会" });
    const lead = member("現地 管理者", "contractor");
    expect(addToRoster({ visitId: afternoon, staffMemberId: lead, role: "lead" }, f.staff)).toMatchObject({ ok: true });

    const home = await callRoute(todayLoader as never, { url: "/staff", cookie: cookies.outreach });
    const todays = (home.body as { todaysSessions: { id: number; lead: string | null; lacksCityOfficial: boolean }[] }).todaysSessions;
    expect(todays.map((s) => s.id)).toEqual([morning, g.visitId, afternoon]);
    expect(todays[2]).toMatchObject({ lead: "現地 管理者", lacksCityOfficial: true });
    expect(todays[0]).toMatchObject({ lead: null, lacksCityOfficial: false });
  });
});

describe("the session page of roaming and base sessions", () => {
  it("opens for staff with the car (roaming) or none (base), venue address, and removes nothing on a removal of someone not on it", async () => {
    const date = saturdayAhead(110);
    const roaming = session("roaming", venueA, date, "10:00", "11:00");
    const base = session("base", venueB, date, "10:00", "11:00");
    const r = (await callRoute(visitLoader as never, { url: `/staff/visits/${roaming}`, cookie: cookies.outreach, params: { id: String(roaming) } })).body as Record<string, unknown>;
    expect(r).toMatchObject({ title: "巡回申請サポート あおばスーパー本店", usesCar: true, vehicle: { name: "ラッピングカー1号" } });
    const b = (await callRoute(visitLoader as never, { url: `/staff/visits/${base}`, cookie: cookies.outreach, params: { id: String(base) } })).body as Record<string, unknown>;
    expect(b).toMatchObject({ title: "拠点窓口（サポート方式） あおば市民センター", usesCar: false, vehicle: null, venueAddress: "あおば市中央2-2-2", carDay: [] });
    expect(removeFromRoster({ visitId: base, entryId: 999999 }, f.staff)).toEqual({ ok: false, message: "その人はこの予定の体制に入っていません。画面を再読み込みしてください。" });
  });
});
