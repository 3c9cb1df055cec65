/**
 * Will a target be met by the program's end? One rule, pure, with its
 * hand-written table in tests/unit/report-pace.test.ts.
 *
 *   1. done ≥ target                                   → 順調 (achieved)
 *   2. the program has ended                           → 未達見込み
 *   3. done + sessions still planned ≥ target          → 順調 (the plans cover it)
 *   4. at the pace so far (done per day elapsed) the
 *      remaining days would reach the target          → 要注意 (on pace, not yet planned)
 *   5. otherwise                                       → 未達見込み
 * Before the program starts there is no pace yet: 3, else 要注意.
 */
import { daysBetween } from "../lib/dates";

export type Verdict = "on_track" | "at_risk" | "off_track";
export const VERDICT_LABELS: Record<Verdict, string> = { on_track: "順調", at_risk: "要注意", off_track: "未達見込み" };

export type PaceInput = { target: number; done: number; planned: number; today: string; startsOn: string; endsOn: string };

export type Pace = {
  verdict: Verdict;
  /** Still to do (0 once reached). */
  remaining: number;
  /** Days from tomorrow to the end date (0 once ended). */
  daysLeft: number;
  /** Sessions a week needed from now on to finish by the end date (null once ended or reached). */
  neededPerWeek: number | null;
  /** Sessions a week so far (null before the start). */
  pacePerWeek: number | null;
  /** done + planned */
  secured: number;
  /** done + pace × days left, rounded down (null before the start). */
  projected: number | null;
  /** How far the better of secured and projected ends from the target (negative: short by that many). */
  gap: number;
};

const round1 = (n: number) => Math.round(n * 10) / 10;

export function pace(input: PaceInput): Pace {
  const { target, done, planned, today, startsOn, endsOn } = input;
  const remaining = Math.max(0, target - done);
  const daysLeft = Math.max(0, daysBetween(today, endsOn));
  const elapsed = today < startsOn ? 0 : Math.min(daysBetween(startsOn, today) + 1, daysBetween(startsOn, endsOn) + 1);
  const perDay = elapsed > 0 ? done / elapsed : null;
  const projected = perDay == null ? null : Math.floor(done + perDay * daysLeft + 1e-9);
  const secured = done + planned;
  const best = Math.max(secured, projected ?? 0);
  let verdict: Verdict;
  if (done >= target) verdict = "on_track";
  else if (today > endsOn) verdict = "off_track";
  else if (secured >= target) verdict = "on_track";
  else if (projected == null) verdict = "at_risk";
  else verdict = projected >= target ? "at_risk" : "off_track";
  return {
    verdict,
    remaining,
    daysLeft,
    neededPerWeek: remaining > 0 && daysLeft > 0 ? round1((remaining / daysLeft) * 7) : null,
    pacePerWeek: perDay == null ? null : round1(perDay * 7),
    secured,
    projected,
    gap: best - target,
  };
}
