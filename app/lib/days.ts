/**
 * Day arithmetic on `YYYY-MM-DD` strings, without the holiday table: the
 * public request form uses these in the browser, and @holiday-jp's table
 * (app/lib/dates.ts, which re-exports these) would add its bytes to that
 * page for nothing.
 */
const WEEKDAYS = ["日", "月", "火", "水", "木", "金", "土"];

/** Parse YYYY-MM-DD as a UTC-midnight Date (for day arithmetic only). */
export function utcDay(ymd: string): Date {
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

/** 年末年始の閉庁日 (12/29–1/3). */
export function isYearEndClosure(ymd: string): boolean {
  const md = ymd.slice(5);
  return md >= "12-29" || md <= "01-03";
}

export function isWeekend(ymd: string): boolean {
  const w = weekday(ymd);
  return w === 0 || w === 6;
}
