/**
 * Dates of the program, always in Asia/Tokyo. Calendar days travel as
 * `YYYY-MM-DD`, session times as `YYYY-MM-DDTHH:mm` local (see db/schema.ts).
 * Day arithmetic without the holiday table lives in ./days (browser code that
 * needs no holidays imports it from there).
 */
import holidayJp from "@holiday-jp/holiday_jp";
import { addDays, formatDate, isValidYmd, isWeekend, isYearEndClosure, utcDay } from "./days";

export { addDays, daysBetween, formatDate, isValidYmd, isWeekend, isYearEndClosure, weekday } from "./days";

export const TIME_ZONE = "Asia/Tokyo";

const ymdFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});
const hmFormat = new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const warekiFormat = new Intl.DateTimeFormat("ja-JP-u-ca-japanese", {
  timeZone: "UTC",
  era: "long",
  year: "numeric",
  month: "long",
  day: "numeric",
});

/** Today's date in Tokyo as YYYY-MM-DD. */
export function todayInTokyo(now: Date = new Date()): string {
  return ymdFormat.format(now);
}

/** The local Tokyo wall-clock time of an instant as YYYY-MM-DDTHH:mm. */
export function localDateTime(now: Date = new Date()): string {
  return `${ymdFormat.format(now)}T${hmFormat.format(now)}`;
}

/** 令和8年12月1日 — for documents officials read. */
export function formatWareki(ymd: string | null | undefined): string {
  if (!ymd || !isValidYmd(ymd.slice(0, 10))) return "";
  return warekiFormat.format(utcDay(ymd.slice(0, 10))).replace(/(\D)1年/, "$1元年");
}

/** 2026年12月1日(火) 10:00〜12:00 */
export function formatTimeRange(startsAt: string | null | undefined, endsAt: string | null | undefined): string {
  if (!startsAt) return "";
  const date = formatDate(startsAt.slice(0, 10));
  const from = startsAt.slice(11, 16);
  const to = endsAt && endsAt.slice(0, 10) === startsAt.slice(0, 10) ? endsAt.slice(11, 16) : "";
  return `${date} ${from}${to ? `〜${to}` : ""}`;
}

/** An instant (UTC ISO) shown in Tokyo time: 2026年11月22日(日) 12:05 */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return "";
  const local = localDateTime(new Date(iso));
  return `${formatDate(local.slice(0, 10))} ${local.slice(11, 16)}`;
}

/** National holidays from @holiday-jp/holiday_jp's table, keyed by YYYY-MM-DD. */
export function isNationalHoliday(ymd: string): boolean {
  return Object.prototype.hasOwnProperty.call(holidayJp.holidays, ymd);
}

/** The national holidays from one day to another (both included), in order. */
export function nationalHolidaysBetween(fromYmd: string, toYmd: string): string[] {
  return Object.keys(holidayJp.holidays)
    .filter((d) => d >= fromYmd && d <= toYmd)
    .sort();
}

export function holidayName(ymd: string): string | undefined {
  return isNationalHoliday(ymd) ? holidayJp.holidays[ymd].name : undefined;
}

/** 営業日: not a weekend, a national holiday or the municipal year-end closure. */
export function isBusinessDay(ymd: string): boolean {
  return !isWeekend(ymd) && !isNationalHoliday(ymd) && !isYearEndClosure(ymd);
}

export function nextBusinessDay(ymd: string): string {
  let d = addDays(ymd, 1);
  while (!isBusinessDay(d)) d = addDays(d, 1);
  return d;
}

/**
 * Business days passed from one day to another: the business days after
 * `fromYmd` up to and including `toYmd` (0 when `toYmd` is not later).
 * Friday → Monday is 1; a wait over Golden Week counts only the working days.
 */
export function businessDaysBetween(fromYmd: string, toYmd: string): number {
  let n = 0;
  for (let d = addDays(fromYmd, 1); d <= toYmd; d = addDays(d, 1)) if (isBusinessDay(d)) n++;
  return n;
}

/** Minutes since midnight of HH:mm. */
export function minutesOf(hm: string): number {
  const [h, m] = hm.split(":").map(Number);
  return h * 60 + m;
}

/** Shift a local YYYY-MM-DDTHH:mm by minutes (no time-zone changes in Japan). */
export function addMinutesLocal(local: string, minutes: number): string {
  const d = new Date(`${local}:00Z`);
  d.setUTCMinutes(d.getUTCMinutes() + minutes);
  return d.toISOString().slice(0, 16);
}

/** A local Tokyo wall-clock time as an ISO string with offset, for calendars. */
export function toIsoWithOffset(local: string): string {
  return `${local}:00+09:00`;
}
