/**
 * THE booking check (checkBooking) on a real SQLite file, with a fixed clock:
 * every refusal staff or an organisation can meet, word for word, and the
 * wrapping car's holds (buffers, touching holds, another car, the visit itself).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb, writeTransaction } from "../../app/db.server";
import { saveSettings } from "../../app/settings.server";
import { clashMessage, dayNote, dayRefusal, defaultMode } from "../../app/visits/booking";
import { carHoldRange, checkBooking, writeHold, type BookingInput } from "../../app/visits/booking.server";
import { organisations, programs, vehicles, venues, visits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";

let ctx: ReturnType<typeof useFreshDatabase>;
// Monday 10 May 2027, 10:00 in Tokyo. The program runs from 1 April 2027 to 31 March 2028.
const now = new Date("2027-05-10T01:00:00Z");
let programId: number;
let car1: number;
let car2: number;
let orgA: number;
let orgB: number;
let publicVenue: number;
let siteOfA: number;
let closedVenue: number;

beforeAll(() => {
  ctx = useFreshDatabase();
  const db = getDb();
  programId = db.insert(programs).values({ name: "2027年度", fiscalYear: 2027, startsOn: "2027-04-01", endsOn: "2028-03-31", active: true }).returning().get().id;
  car1 = db.insert(vehicles).values({ name: "1号車" }).returning().get().id;
  car2 = db.insert(vehicles).values({ name: "2号車" }).returning().get().id;
  orgA = db.insert(organisations).values({ name: "あおば町内会", searchKey: "あおば町内会", kind: "neighbourhood" }).returning().get().id;
  orgB = db.insert(organisations).values({ name: "みどり商事", searchKey: "みどり商事", kind: "company" }).returning().get().id;
  publicVenue = db.insert(venues).values({ name: "市民センター", kind: "public_facility" }).returning().get().id;
  siteOfA = db.insert(venues).values({ name: "あおば町内会館", kind: "organisation_site" as never, organisationId: orgA }).returning().get().id;
  closedVenue = db.insert(venues).values({ name: "旧公民館", kind: "public_facility" as never, active: false }).returning().get().id;
  writeTransaction((tx) => saveSettings(tx, { closedDates: ["2027-05-20"] }, null));
});
afterAll(() => ctx.cleanup());

function booking(patch: Partial<BookingInput> = {}): BookingInput {
  const date = patch.date ?? "2027-06-01";
  return {
    visitId: null,
    kind: "group",
    status: "screening",
    organisationId: orgA,
    vehicleId: null,
    date,
    startsAt: `${date}T10:00`,
    endsAt: `${date}T12:00`,
    venueId: publicVenue,
    expectedApplicants: 20,
    mode: defaultMode(patch.kind ?? "group"),
    channel: "staff",
    now,
    ...patch,
  };
}
const check = (patch: Partial<BookingInput> = {}) => checkBooking(getDb(), booking(patch));

/** A visit already holding a car over [holdFrom, holdTo] on 2027-06-01. */
function holding(vehicleId: number, from: string, to: string, holdFrom: string, holdTo: string, title = "みどり商事 出張申請受付") {
  return getDb()
    .insert(visits)
    .values({
      programId,
      kind: "group",
      mode: "accept",
      status: "approved",
      title,
      organisationId: orgB,
      vehicleId,
      date: "2027-06-01",
      startsAt: `2027-06-01T${from}`,
      endsAt: `2027-06-01T${to}`,
      holdStartsAt: `2027-06-01T${holdFrom}`,
      holdEndsAt: `2027-06-01T${holdTo}`,
      expectedApplicants: 20,
    })
    .returning()
    .get().id;
}

describe("dates and times", () => {
  it("refuses an impossible date, times on another day and an end not after the start", () => {
    expect(check({ date: "2027-02-30", startsAt: "2027-02-30T10:00", endsAt: "2027-02-30T12:00" })).toEqual({ ok: false, message: "日付を選んでください。", field: "date" });
    const times = { ok: false, message: "開始と終了は同じ日のうちで、終了を開始より後にしてください。", field: "endTime" };
    expect(check({ startsAt: "2027-05-31T23:00" })).toEqual(times);
    expect(check({ endsAt: "2027-06-02T01:00" })).toEqual(times);
    expect(check({ startsAt: "2027-06-01T12:00", endsAt: "2027-06-01T12:00" })).toEqual(times);
    expect(check({ startsAt: "2027-06-01T12:00", endsAt: "2027-06-01T11:00" })).toEqual(times);
  });

  it("lets staff plan from today, never in the past", () => {
    expect(check({ date: "2027-05-09" })).toEqual({ ok: false, message: "過去の日付には予定を入れられません。今日以降の日付を選んでください。", field: "date" });
    expect(check({ date: "2027-05-10" })).toMatchObject({ ok: true });
    expect(check({ date: "2027-05-11" })).toMatchObject({ ok: true });
  });

  it("gives an organisation's own request the minimum notice (14 days by default), and says from when", () => {
    expect(check({ channel: "public", date: "2027-05-23" })).toEqual({
      ok: false,
      message: "訪問日は2027年5月24日(月)以降を選んでください（準備と市の承認に14日ほどかかります）。",
      field: "date",
    });
    expect(check({ channel: "public", date: "2027-05-24" })).toMatchObject({ ok: true });
  });

  it("applies the day table and the program's days, with the program's period in the message", () => {
    expect(check({ kind: "base", status: "planned", date: "2027-05-11" })).toEqual({
      ok: false,
      message: "拠点施設は土曜・日曜・祝日にだけ設定できます（2027年5月11日(火)は平日です）。",
      field: "date",
    });
    expect(check({ date: "2028-04-03" })).toEqual({
      ok: false,
      message: "2028年4月3日(月)は業務期間（2027年4月1日(木)〜2028年3月31日(金)）外です。期間内の日付を選んでください。",
      field: "date",
    });
    expect(check({ date: "2027-05-20" })).toEqual({ ok: false, message: "2027年5月20日(木)は実施しない日のため予定を入れられません。別の日を選んでください。", field: "date" });
  });
});

describe("venues", () => {
  it("keeps an organisation's own site for that organisation's group visits", () => {
    expect(check({ venueId: siteOfA, organisationId: orgA })).toMatchObject({ ok: true });
    expect(check({ venueId: siteOfA, organisationId: orgB })).toEqual({
      ok: false,
      message: "この会場は別の団体の施設のため使えません。この団体の会場か、公共の会場を選んでください。",
      field: "venueId",
    });
    expect(check({ venueId: publicVenue, organisationId: orgB })).toMatchObject({ ok: true });
  });

  it("never puts a public session at an organisation's site, and needs a venue for it", () => {
    expect(check({ kind: "roaming", status: "planned", organisationId: null, venueId: siteOfA })).toEqual({
      ok: false,
      message: "巡回・拠点施設の予定は一般に公開されるため、団体の施設は会場にできません。公共の会場を選んでください。",
      field: "venueId",
    });
    expect(check({ kind: "roaming", status: "planned", organisationId: null, venueId: null })).toEqual({ ok: false, message: "会場を選んでください。", field: "venueId" });
    // A group visit may still be placed before its venue is known.
    expect(check({ venueId: null })).toMatchObject({ ok: true });
  });

  it("refuses an unknown or inactive venue", () => {
    expect(check({ venueId: 9999 })).toEqual({ ok: false, message: "選んだ会場が見つかりません。一覧から選び直してください。", field: "venueId" });
    expect(check({ venueId: closedVenue })).toEqual({
      ok: false,
      message: "この会場は現在使われていません（無効）。別の会場を選ぶか、会場の設定を確認してください。",
      field: "venueId",
    });
    expect(check({ kind: "roaming", status: "planned", organisationId: null, venueId: closedVenue })).toMatchObject({ ok: false, field: "venueId" });
  });
});

describe("head-count", () => {
  it("keeps a group visit's expected applicants within the settings (5 to 500 by default)", () => {
    const refusal = { ok: false, message: "申請予定人数は5人から500人までにしてください。", field: "expectedApplicants" };
    expect(check({ expectedApplicants: 4 })).toEqual(refusal);
    expect(check({ expectedApplicants: 501 })).toEqual(refusal);
    expect(check({ expectedApplicants: 5 })).toMatchObject({ ok: true });
    expect(check({ expectedApplicants: 500 })).toMatchObject({ ok: true });
    expect(check({ expectedApplicants: null })).toMatchObject({ ok: true });
    // Sessions have no head-count limit: residents come as they come.
    expect(check({ kind: "roaming", status: "screening", organisationId: null, expectedApplicants: 2000 })).toMatchObject({ ok: true });
  });
});

describe("the wrapping car", () => {
  it("holds the car for the visit plus set-up, tear-down and travel (30 minutes each by default)", () => {
    expect(carHoldRange("2027-06-01T10:00", "2027-06-01T12:00", { setupMinutes: 30, teardownMinutes: 20, travelMinutes: 15 })).toEqual({
      holdStartsAt: "2027-06-01T09:15",
      holdEndsAt: "2027-06-01T12:35",
    });
    expect(check({ status: "awaiting_city" })).toEqual({ ok: true, vehicleId: car1, hold: { holdStartsAt: "2027-06-01T09:00", holdEndsAt: "2027-06-01T13:00" } });
    // Before submission a group visit takes no car; a base-facility session never does.
    expect(check({ status: "screening", vehicleId: car2 })).toEqual({ ok: true, vehicleId: car2, hold: null });
    expect(check({ kind: "base", status: "planned", organisationId: null, date: "2027-06-05" })).toEqual({ ok: true, vehicleId: null, hold: null });
  });

  it("refuses an overlapping hold of the same car with both ranges, allows touching holds, another car and the visit itself", () => {
    const other = holding(car1, "14:00", "15:00", "13:00", "16:00");
    // Our hold 09:00–13:00 ends when the other begins: no clash.
    expect(check({ status: "awaiting_city" })).toMatchObject({ ok: true });
    // 10:00–12:01 → hold until 13:01: one minute into the other's hold.
    const clash = check({ status: "awaiting_city", endsAt: "2027-06-01T12:01" });
    expect(clash).toEqual({
      ok: false,
      field: "date",
      message:
        "ラッピングカーは「みどり商事 出張申請受付」で 2027年6月1日(火) 13:00〜16:00 に使用予定です（訪問 14:00〜15:00 に準備・撤去・移動時間を含む）。" +
        "この予定の車両使用時間 2027年6月1日(火) 09:00〜13:01（準備・撤去・移動時間を含む）と重なるため予約できません。重ならない時間を選んでください。",
    });
    // Starting when the other's hold ends is fine too; starting a minute earlier is not.
    expect(check({ status: "awaiting_city", startsAt: "2027-06-01T17:00", endsAt: "2027-06-01T18:00" })).toMatchObject({ ok: true });
    expect(check({ status: "awaiting_city", startsAt: "2027-06-01T16:59", endsAt: "2027-06-01T18:00" })).toMatchObject({ ok: false, field: "date" });
    // Another car is free; the visit does not clash with its own hold when moved.
    expect(check({ status: "awaiting_city", vehicleId: car2, endsAt: "2027-06-01T14:30" })).toMatchObject({ ok: true, vehicleId: car2 });
    expect(check({ status: "awaiting_city", visitId: other, startsAt: "2027-06-01T14:30", endsAt: "2027-06-01T15:30" })).toMatchObject({ ok: true });
    // A released hold holds nothing.
    writeHold(getDb() as never, other, { ok: true, vehicleId: car1, hold: null });
    expect(getDb().select().from(visits).where(eq(visits.id, other)).get()).toMatchObject({ vehicleId: car1, holdStartsAt: null, holdEndsAt: null });
    expect(check({ status: "awaiting_city", endsAt: "2027-06-01T14:30" })).toMatchObject({ ok: true });
    // Writing a checked hold takes the car again.
    writeHold(getDb() as never, other, { ok: true, vehicleId: car2, hold: { holdStartsAt: "2027-06-01T13:00", holdEndsAt: "2027-06-01T16:00" } });
    expect(getDb().select().from(visits).where(eq(visits.id, other)).get()).toMatchObject({ vehicleId: car2, holdStartsAt: "2027-06-01T13:00", holdEndsAt: "2027-06-01T16:00" });
    expect(check({ status: "awaiting_city", vehicleId: car2, endsAt: "2027-06-01T14:30" })).toMatchObject({ ok: false });
  });

  it("names the first clashing hold when several overlap", () => {
    holding(car1, "19:30", "20:00", "19:00", "21:00", "二番目の予定");
    holding(car1, "18:30", "19:00", "18:00", "19:30", "一番目の予定");
    const r = check({ status: "awaiting_city", startsAt: "2027-06-01T19:00", endsAt: "2027-06-01T19:30" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain("「一番目の予定」");
  });

  it("uses the first active car when none is chosen, and says so when there is none", () => {
    const db = getDb();
    db.update(vehicles).set({ active: false }).where(eq(vehicles.id, car1)).run();
    expect(check({ status: "awaiting_city", date: "2027-06-08" })).toMatchObject({ ok: true, vehicleId: car2 });
    db.update(vehicles).set({ active: false }).where(eq(vehicles.id, car2)).run();
    expect(check({ status: "awaiting_city", date: "2027-06-08" })).toEqual({ ok: false, message: "ラッピングカーが登録されていません。管理者に車両の登録を依頼してください。" });
    db.update(vehicles).set({ active: true }).run();
  });
});

describe("wording that needs no database", () => {
  const p = { startsOn: "2027-04-01", endsOn: "2028-03-31", closedDates: [], openedDates: ["2027-12-29", "2028-01-01"] };
  it("treats an opened closure day as the weekday, weekend or holiday it is", () => {
    expect(dayRefusal("base", "2027-12-29", p)).toBe("拠点施設は土曜・日曜・祝日にだけ設定できます（2027年12月29日(水)は平日です）。");
    expect(dayRefusal("base", "2028-01-01", p)).toBeNull();
    expect(dayRefusal("roaming", "2027-12-29", p)).toBeNull();
  });

  it("says 'outside the program' plainly when the program has no end date", () => {
    expect(dayRefusal("group", "2027-03-31", { ...p, endsOn: null })).toBe("2027年3月31日(水)は業務期間外です。期間内の日付を選んでください。");
    expect(dayRefusal("group", "2027-02-30", p)).toBe("日付を正しく選んでください。");
  });

  it("labels a day with its closed reason, else its holiday, else nothing", () => {
    expect(dayNote("2027-05-03", p)).toBe("憲法記念日");
    expect(dayNote("2027-05-11", p)).toBeNull();
    expect(dayNote("2028-05-03", p)).toBe("業務期間外");
  });

  it("shows a hold that runs past midnight with both dates", () => {
    const msg = clashMessage(
      { title: "夜間イベント", startsAt: "2027-06-01T22:00", endsAt: "2027-06-01T23:30", holdStartsAt: "2027-06-01T21:00", holdEndsAt: "2027-06-02T00:30" },
      { holdStartsAt: "2027-06-01T23:00", holdEndsAt: "2027-06-02T01:00" },
    );
    expect(msg).toBe(
      "ラッピングカーは「夜間イベント」で 2027年6月1日(火) 21:00〜2027年6月2日(水) 00:30 に使用予定です（訪問 22:00〜23:30 に準備・撤去・移動時間を含む）。" +
        "この予定の車両使用時間 2027年6月1日(火) 23:00〜2027年6月2日(水) 01:00（準備・撤去・移動時間を含む）と重なるため予約できません。重ならない時間を選んでください。",
    );
  });
});
