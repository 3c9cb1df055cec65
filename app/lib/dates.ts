/**
 * Dates of the program, always in Asia/Tokyo. Calendar days travel as
 * `YYYY-MM-DD`, session times as `YYYY-MM-DDTHH:mm` local (see db/schema.ts).
 */
import holidayJp from "@holiday-jp/holiday_jp";

export const TIME_ZONE = "Asia/Tokyo";
const WEEKDAYS = ["日", "月", "火", "水", "木", "金", "土"];

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

/** Parse YYYY-MM-DD as a UTC-midnight Date (for day arithmetic only). */
function utcDay(ymd: string): Date {
  const [y, m, d] = ymd.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function ymdOfUtc(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function isValidYmd(ymd: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd)) return false;
  return ymdOfUtc(utcDay(ymd)) === ymd;
}

export function addDays(ymd: string, days: number): string {
  const d = utcDay(ymd);
  d.setUTCDate(d.getUTCDate() + days);
  return ymdOfUtc(d);
}

export function daysBetween(fromYmd: string, toYmd: string): number {
  return Math.round((utcDay(toYmd).getTime() - utcDay(fromYmd).getTime()) / 86_400_000);
}

export function weekday(ymd: string): number {
  return utcDay(ymd).getUTCDay();
}

/** 2026年12月1日(火) */
export function formatDate(ymd: string | null | undefined): string {
  if (!ymd || !isValidYmd(ymd.slice(0, 10))) return "";
  const [y, m, d] = ymd.slice(0, 10).split("-").map(Number);
  return `${y}年${m}月${d}日(${WEEKDAYS[weekday(ymd.slice(0, 10))]})`;
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

export function holidayName(ymd: string): string | undefined {
  return isNationalHoliday(ymd) ? holidayJp.holidays[ymd].name : undefined;
}

/** 年末年始の閉庁日 (12/29–1/3). */
export function isYearEndClosure(ymd: string): boolean {
  const md = ymd.slice(5);
  return md >= "12-29" || md <= "01-03";
}

export function isWeekend(ymd: string): boolean {
  const w = weekday(ymd);
  return w === 0 || w === 6;
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
