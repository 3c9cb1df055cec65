/**
 * THE booking check: every path that puts a visit or session somewhere (the
 * staff form, calendar drag and resize, weekly repeats, submission and
 * re-submission, demo data) calls checkBooking() inside its IMMEDIATE write
 * transaction before writing, then holdCar() to take the car. It covers
 *   - the day table and the program's days (./booking.ts);
 *   - dates in the past and minimum notice;
 *   - venue ownership and visibility (an organisation's own site is only for
 *     that organisation's group visits; public sessions use public venues);
 *   - head-count limits from settings;
 *   - the wrapping car: its hold is the visit plus set-up, tear-down and
 *     travel buffers, and no two holds of one car overlap.
 * A refusal explains itself in Japanese and names the field to fix.
 */
import { and, asc, eq, gt, isNotNull, lt, ne } from "drizzle-orm";
import type { VisitKind, VisitMode, VisitStatus } from "../../db/enums";
import { vehicles, venues, visits } from "../../db/schema";
import { getDb, type Db, type Tx } from "../db.server";
import { addDays, addMinutesLocal, formatDate, isValidYmd, todayInTokyo } from "../lib/dates";
import { getActiveProgram, getSettings, type Settings } from "../settings.server";
import { clashMessage, dayRefusal, modeRefusal, type CarTimes, type ProgramDays } from "./booking";
import { holdsCar } from "./lifecycle";

export type Refusal = { ok: false; message: string; field?: string };
export type HoldRange = { holdStartsAt: string; holdEndsAt: string };

export function programDays(db: Db | Tx = getDb()): ProgramDays {
  const program = getActiveProgram(db);
  const s = getSettings(db);
  return { startsOn: program?.startsOn ?? null, endsOn: program?.endsOn ?? null, closedDates: s.closedDates, openedDates: s.openedDates };
}

export function carHoldRange(startsAt: string, endsAt: string, s: Pick<Settings, "setupMinutes" | "teardownMinutes" | "travelMinutes">): HoldRange {
  return {
    holdStartsAt: addMinutesLocal(startsAt, -(s.setupMinutes + s.travelMinutes)),
    holdEndsAt: addMinutesLocal(endsAt, s.teardownMinutes + s.travelMinutes),
  };
}

/** The first visit already holding the car in an overlapping range, if any. */
export function findCarClash(tx: Tx | Db, input: { vehicleId: number } & HoldRange & { excludeVisitId?: number | null }): (CarTimes & { id: number }) | null {
  const conditions = [eq(visits.vehicleId, input.vehicleId), isNotNull(visits.holdStartsAt), lt(visits.holdStartsAt, input.holdEndsAt), gt(visits.holdEndsAt, input.holdStartsAt)];
  if (input.excludeVisitId != null) conditions.push(ne(visits.id, input.excludeVisitId));
  const row = tx
    .select({ id: visits.id, title: visits.title, startsAt: visits.startsAt, endsAt: visits.endsAt, holdStartsAt: visits.holdStartsAt, holdEndsAt: visits.holdEndsAt })
    .from(visits)
    .where(and(...conditions))
    .orderBy(visits.holdStartsAt)
    .get();
  return row ? { ...row, holdStartsAt: row.holdStartsAt!, holdEndsAt: row.holdEndsAt! } : null;
}

export function defaultVehicleId(tx: Tx | Db): number | null {
  return tx.select({ id: vehicles.id }).from(vehicles).where(eq(vehicles.active, true)).orderBy(asc(vehicles.id)).get()?.id ?? null;
}

export type BookingInput = {
  /** The visit being placed (excluded from the car's clash check); null for a new session. */
  visitId: number | null;
  kind: VisitKind;
  /** The status the visit will have after this write (decides whether it holds the car). */
  status: VisitStatus;
  organisationId: number | null;
  vehicleId: number | null;
  date: string;
  startsAt: string;
  endsAt: string;
  venueId: number | null;
  expectedApplicants: number | null;
  mode: VisitMode;
  /** "public": the organisation's own request (minimum notice applies); "staff": staff plan it (today or later). */
  channel: "public" | "staff";
  now: Date;
};

export type BookingOk = { ok: true; vehicleId: number | null; hold: HoldRange | null };

/** Check everything about putting a visit at these times and this place. Reads only. */
export function checkBooking(tx: Tx | Db, b: BookingInput): BookingOk | Refusal {
  const settings = getSettings(tx);
  const wrongMode = modeRefusal(b.kind, b.mode);
  if (wrongMode) return { ok: false, message: wrongMode, field: "mode" };
  if (!isValidYmd(b.date)) return { ok: false, message: "日付を選んでください。", field: "date" };
  if (b.startsAt.slice(0, 10) !== b.date || b.endsAt.slice(0, 10) !== b.date || !(b.startsAt < b.endsAt)) {
    return { ok: false, message: "開始と終了は同じ日のうちで、終了を開始より後にしてください。", field: "endTime" };
  }
  const today = todayInTokyo(b.now);
  if (b.date < today) return { ok: false, message: "過去の日付には予定を入れられません。今日以降の日付を選んでください。", field: "date" };
  if (b.channel === "public") {
    const earliest = addDays(today, settings.minNoticeDays);
    if (b.date < earliest) return { ok: false, message: `訪問日は${formatDate(earliest)}以降を選んでください（準備と市の承認に${settings.minNoticeDays}日ほどかかります）。`, field: "date" };
  }
  const day = dayRefusal(b.kind, b.date, programDays(tx));
  if (day) return { ok: false, message: day, field: "date" };

  if (b.venueId != null) {
    const venue = tx.select({ id: venues.id, active: venues.active, organisationId: venues.organisationId }).from(venues).where(eq(venues.id, b.venueId)).get();
    if (!venue) return { ok: false, message: "選んだ会場が見つかりません。一覧から選び直してください。", field: "venueId" };
    if (b.kind === "group") {
      if (venue.organisationId != null && venue.organisationId !== b.organisationId) {
        return { ok: false, message: "この会場は別の団体の施設のため使えません。この団体の会場か、公共の会場を選んでください。", field: "venueId" };
      }
    } else if (venue.organisationId != null) {
      // Roaming and base sessions are published on /schedule: never at an organisation's private site.
      return { ok: false, message: "巡回・拠点施設の予定は一般に公開されるため、団体の施設は会場にできません。公共の会場を選んでください。", field: "venueId" };
    }
    if (!venue.active) return { ok: false, message: "この会場は現在使われていません（無効）。別の会場を選ぶか、会場の設定を確認してください。", field: "venueId" };
  } else if (b.kind !== "group") {
    return { ok: false, message: "会場を選んでください。", field: "venueId" };
  }

  if (b.kind === "group" && b.expectedApplicants != null) {
    if (b.expectedApplicants < settings.minApplicants || b.expectedApplicants > settings.maxApplicants) {
      return { ok: false, message: `申請予定人数は${settings.minApplicants}人から${settings.maxApplicants}人までにしてください。`, field: "expectedApplicants" };
    }
  }

  if (!holdsCar(b.kind, b.status)) return { ok: true, vehicleId: b.vehicleId, hold: null };
  const vehicleId = b.vehicleId ?? defaultVehicleId(tx);
  if (!vehicleId) return { ok: false, message: "ラッピングカーが登録されていません。管理者に車両の登録を依頼してください。" };
  const hold = carHoldRange(b.startsAt, b.endsAt, settings);
  const clash = findCarClash(tx, { vehicleId, ...hold, excludeVisitId: b.visitId });
  if (clash) return { ok: false, message: clashMessage(clash, hold), field: "date" };
  return { ok: true, vehicleId, hold };
}

/** Write the checked placement's car hold (or release it) on the visit row. */
export function writeHold(tx: Tx, visitId: number, booked: BookingOk) {
  tx.update(visits)
    .set(booked.hold ? { vehicleId: booked.vehicleId, ...booked.hold } : { holdStartsAt: null, holdEndsAt: null })
    .where(eq(visits.id, visitId))
    .run();
}
