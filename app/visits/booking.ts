/**
 * Booking rules that need no database: which kinds may run on which days,
 * and the wording of a car clash. Pure, so the calendar can shade days in the
 * browser; app/visits/booking.server.ts applies them (with the program, the
 * venue and the car) before every write that puts a visit somewhere.
 *
 * The day table (docs/decisions/007-booking-day-table.md):
 *
 * | kind      | weekday | Sat/Sun | national holiday | 12/29–1/3 closure |
 * |-----------|---------|---------|------------------|-------------------|
 * | group     | yes     | yes     | yes              | no                |
 * | roaming   | yes     | yes     | yes              | no                |
 * | base      | no      | yes     | yes              | no                |
 *
 * Base-facility sessions run on Saturdays, Sundays and holidays (seed 000
 * §5(5)①). No kind runs during the closure unless an admin opens that day
 * (setting openedDates); closedDates adds days the program does not run.
 *
 * The mode table (seed 000; docs/decisions/008-session-modes.md):
 *
 * | kind      | 受付方式 (accept) | サポート方式 (support) | seed 000        |
 * |-----------|-------------------|------------------------|-----------------|
 * | group     | yes               | no                     | §5(6)④          |
 * | roaming   | no                | yes                    | §5(6)①ア        |
 * | base      | yes               | yes                    | §5(5)①ア        |
 *
 * Within a 受付方式 session, applicants whose ID documents are incomplete
 * fall back to サポート方式 (recorded in the results, not as a session mode).
 */
import type { VisitKind, VisitMode } from "../../db/enums";
import { formatDate, holidayName, isNationalHoliday, isValidYmd } from "../lib/dates";
import { dayProblemWith, dayTypeWith, type DayProblem, type DayType, type ProgramDays } from "./day-table";
import { VISIT_KIND_LABELS, VISIT_MODE_LABELS } from "../lib/labels";

export { DAY_TABLE, type DayProblem, type DayType, type ProgramDays } from "./day-table";

/** A day's type: the closure wins over a holiday, a holiday over a weekend. */
export function dayType(ymd: string): DayType {
  return dayTypeWith(ymd, isNationalHoliday);
}

const CLOSURE = "年末年始（閉庁）";

/** Why the program does not run on a day at all (実施しない日), or null when it runs. */
export function closedDayReason(ymd: string, p: ProgramDays): string | null {
  if (!isValidYmd(ymd)) return "日付が正しくない";
  if ((p.startsOn && ymd < p.startsOn) || (p.endsOn && ymd > p.endsOn)) return "業務期間外";
  if (p.closedDates.includes(ymd)) return "実施しない日";
  if (dayType(ymd) === "closure" && !p.openedDates.includes(ymd)) return CLOSURE;
  return null;
}

const DAY_TYPE_NAMES: Record<DayType, string> = { weekday: "平日", weekend: "土曜・日曜", holiday: "祝日", closure: "年末年始" };

/**
 * Why a visit of this kind cannot be on this day, as a code, or null. The
 * staff screens word it with dayRefusal(); the public form words it politely
 * (app/requests/schema.ts) — one rule, two voices.
 */
export function dayProblem(kind: VisitKind, ymd: string, p: ProgramDays): DayProblem | null {
  return dayProblemWith(kind, ymd, p, isNationalHoliday);
}

/** dayProblem() in the staff's words: what is wrong and what to do instead. */
export function dayRefusal(kind: VisitKind, ymd: string, p: ProgramDays): string | null {
  const problem = dayProblem(kind, ymd, p);
  if (!problem) return null;
  switch (problem.code) {
    case "invalid":
      return "日付を正しく選んでください。";
    case "period":
      return p.startsOn && p.endsOn
        ? `${formatDate(ymd)}は業務期間（${formatDate(p.startsOn)}〜${formatDate(p.endsOn)}）外です。期間内の日付を選んでください。`
        : `${formatDate(ymd)}は業務期間外です。期間内の日付を選んでください。`;
    case "closed":
      return `${formatDate(ymd)}は実施しない日のため予定を入れられません。別の日を選んでください。`;
    case "closure":
      return `${formatDate(ymd)}は年末年始（12月29日〜1月3日）の閉庁日のため予定を入れられません。必要な場合は管理者にこの日を開けるよう依頼してください。`;
    case "kind":
      return `${VISIT_KIND_LABELS[kind]}は${problem.allowed.map((d) => DAY_TYPE_NAMES[d]).join("・")}にだけ設定できます（${formatDate(ymd)}は${DAY_TYPE_NAMES[problem.dayType]}です）。`;
  }
}

/** Label of a day for the calendar: the holiday's name, or the closed reason. */
export function dayNote(ymd: string, p: ProgramDays): string | null {
  return closedDayReason(ymd, p) ?? holidayName(ymd) ?? null;
}

/** The car's view of a visit: its own times and the hold around them (buffers included). */
export type CarTimes = { title: string; startsAt: string | null; endsAt: string | null; holdStartsAt: string; holdEndsAt: string };

function hm(local: string | null): string {
  return local ? local.slice(11, 16) : "";
}
function dayAndRange(start: string, end: string): string {
  return `${formatDate(start.slice(0, 10))} ${hm(start)}〜${start.slice(0, 10) === end.slice(0, 10) ? hm(end) : `${formatDate(end.slice(0, 10))} ${hm(end)}`}`;
}

/**
 * The clash message: both ranges as the car sees them (buffers included),
 * so staff can see how far to move.
 */
export function clashMessage(existing: CarTimes, wanted: { holdStartsAt: string; holdEndsAt: string }): string {
  return (
    `ラッピングカーは「${existing.title}」で ${dayAndRange(existing.holdStartsAt, existing.holdEndsAt)} に使用予定です` +
    `（訪問 ${hm(existing.startsAt)}〜${hm(existing.endsAt)} に準備・撤去・移動時間を含む）。` +
    `この予定の車両使用時間 ${dayAndRange(wanted.holdStartsAt, wanted.holdEndsAt)}（準備・撤去・移動時間を含む）と重なるため予約できません。重ならない時間を選んでください。`
  );
}

// ---------------------------------------------------------------------------
// Modes

/** The one table of the application modes each kind runs in (first: the default). */
export const MODE_TABLE: Readonly<Record<VisitKind, readonly VisitMode[]>> = {
  group: ["accept"],
  roaming: ["support"],
  base: ["support", "accept"],
};

export function modesFor(kind: VisitKind): readonly VisitMode[] {
  return MODE_TABLE[kind];
}

export function defaultMode(kind: VisitKind): VisitMode {
  return MODE_TABLE[kind][0];
}

/** Why a kind cannot run in a mode (null: it can). */
export function modeRefusal(kind: VisitKind, mode: VisitMode): string | null {
  if (MODE_TABLE[kind].includes(mode)) return null;
  const allowed = MODE_TABLE[kind].map((m) => VISIT_MODE_LABELS[m]).join("・");
  return `${VISIT_KIND_LABELS[kind]}は${allowed}で行います（${VISIT_MODE_LABELS[mode]}は選べません）。`;
}

/** 受付方式: city officials check identity documents on site, so the roster needs one (seed 000 §5(6)④). */
export function needsCityOfficial(mode: VisitMode): boolean {
  return mode === "accept";
}
