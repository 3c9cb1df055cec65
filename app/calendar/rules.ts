/**
 * Calendar rules shared by the browser (shading, what may be dragged) and the
 * server (feed, planning checks). Pure: no server imports.
 */
import type { VisitKind, VisitStatus } from "../../db/schema";
import { holidayName, isNationalHoliday, isValidYmd, isWeekend, isYearEndClosure } from "../lib/dates";

export type ProgramDays = { startsOn: string | null; endsOn: string | null; closedDates: string[] };

/** Why the program does not run on a day (実施しない日), or null when it runs. */
export function closedDayReason(ymd: string, p: ProgramDays): string | null {
  if (p.startsOn && ymd < p.startsOn) return "業務期間外";
  if (p.endsOn && ymd > p.endsOn) return "業務期間外";
  if (isYearEndClosure(ymd)) return "年末年始（閉庁）";
  if (p.closedDates.includes(ymd)) return "実施しない日";
  return null;
}

/** Label of a day for the calendar: the holiday's name, or the closed reason. */
export function dayNote(ymd: string, p: ProgramDays): string | null {
  return closedDayReason(ymd, p) ?? holidayName(ymd) ?? null;
}

/** Statuses shown faded and hidden by default (取消・見送り). */
export const INACTIVE_STATUSES: readonly VisitStatus[] = ["cancelled", "declined"];

/** Statuses whose date may still move (drag) — anything not finished or ended. */
const MOVABLE: Record<VisitKind, readonly VisitStatus[]> = {
  group: ["screening", "awaiting_city", "changes_requested", "approved"],
  roaming: ["planned", "agreed"],
  base: ["planned", "agreed"],
};

export function isMovable(kind: VisitKind, status: VisitStatus): boolean {
  return MOVABLE[kind].includes(status);
}

/**
 * Status marker in text (colour is never the only signal): shown before the
 * title in every view, together with a border style per status.
 */
export const STATUS_PREFIX: Record<VisitStatus, string> = {
  requested: "［受付］",
  screening: "［調整］",
  awaiting_city: "［承認待］",
  changes_requested: "［修正］",
  approved: "［確定］",
  completed: "［済］",
  declined: "［見送］",
  cancelled: "［取消］",
  planned: "［計画］",
  agreed: "［合意］",
};

/** Base-facility sessions run on Saturdays, Sundays and national holidays only. */
export function isBaseDay(ymd: string): boolean {
  return isValidYmd(ymd) && (isWeekend(ymd) || isNationalHoliday(ymd));
}

/** The local YYYY-MM-DDTHH:mm of a calendar date string (FullCalendar ISO with or without offset). */
export function localFromIso(iso: string): string | null {
  // A string with an explicit offset is converted to Tokyo time; a bare local string is taken as Tokyo time.
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2}))?/.exec(iso);
  if (!m) return null;
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(iso);
  if (!hasOffset) return `${m[1]}T${m[2] ?? "00"}:${m[3] ?? "00"}`;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const tokyo = new Date(t + 9 * 3600_000);
  return tokyo.toISOString().slice(0, 16);
}
