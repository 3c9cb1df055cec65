/**
 * The day table (docs/decisions/007-booking-day-table.md) without the holiday
 * table: which days each kind may run on, and why a day is refused. Whether a
 * day is a national holiday is passed in, so the public request form can
 * check days in the browser with the holidays its loader sent instead of
 * shipping @holiday-jp's table (issue 14). app/visits/booking.ts applies the
 * same rules with the table itself.
 */
import type { VisitKind } from "../../db/enums";
import { isValidYmd, isWeekend, isYearEndClosure } from "../lib/days";

export type DayType = "weekday" | "weekend" | "holiday" | "closure";

/** The one table of days each kind may run on. */
export const DAY_TABLE: Readonly<Record<VisitKind, Readonly<Record<DayType, boolean>>>> = {
  group: { weekday: true, weekend: true, holiday: true, closure: false },
  roaming: { weekday: true, weekend: true, holiday: true, closure: false },
  base: { weekday: false, weekend: true, holiday: true, closure: false },
};

/** Whether a YYYY-MM-DD day is a national holiday. */
export type IsHoliday = (ymd: string) => boolean;

/** A day's type: the closure wins over a holiday, a holiday over a weekend. */
export function dayTypeWith(ymd: string, isHoliday: IsHoliday): DayType {
  if (isYearEndClosure(ymd)) return "closure";
  if (isHoliday(ymd)) return "holiday";
  if (isWeekend(ymd)) return "weekend";
  return "weekday";
}

/** The program's days: its period, extra closed days and closure days an admin opened. */
export type ProgramDays = { startsOn: string | null; endsOn: string | null; closedDates: readonly string[]; openedDates: readonly string[] };

/**
 * Why a visit of this kind cannot be on this day, or null. A refusal says
 * which days the kind may use, so staff know what to pick instead.
 */
export type DayProblem =
  | { code: "invalid" }
  | { code: "period" }
  | { code: "closed" }
  | { code: "closure" }
  /** The day table does not allow this kind on this type of day. */
  | { code: "kind"; dayType: Exclude<DayType, "closure">; allowed: Exclude<DayType, "closure">[] };

/** dayProblem() of app/visits/booking.ts with the holiday test given. */
export function dayProblemWith(kind: VisitKind, ymd: string, p: ProgramDays, isHoliday: IsHoliday): DayProblem | null {
  if (!isValidYmd(ymd)) return { code: "invalid" };
  if ((p.startsOn && ymd < p.startsOn) || (p.endsOn && ymd > p.endsOn)) return { code: "period" };
  if (p.closedDates.includes(ymd)) return { code: "closed" };
  const ownType: Exclude<DayType, "closure"> = isHoliday(ymd) ? "holiday" : isWeekend(ymd) ? "weekend" : "weekday";
  // The closure column decides unless an admin opened the day; either way the day's own type decides next.
  if (isYearEndClosure(ymd) && !p.openedDates.includes(ymd) && !DAY_TABLE[kind].closure) return { code: "closure" };
  if (DAY_TABLE[kind][ownType]) return null;
  const allowed = (["weekday", "weekend", "holiday"] as const).filter((d) => DAY_TABLE[kind][d]);
  return { code: "kind", dayType: ownType, allowed: [...allowed] };
}
