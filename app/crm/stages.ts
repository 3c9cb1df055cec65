/** Pipeline stage rules (pure: used by the board in the browser and by the server). */
import type { Stage, VisitStatus } from "../../db/schema";

/** Board columns in order; 見送り and 再訪候補 sit at the end. */
export const BOARD_STAGES: Stage[] = ["uncontacted", "contacted", "consulting", "applied", "awaiting_city", "confirmed", "visited", "lost", "revisit"];

/** Stages the visit lifecycle owns: they move by themselves and cannot be entered by hand. */
export const LIFECYCLE_STAGES: readonly Stage[] = ["applied", "awaiting_city", "confirmed", "visited"];

export function isManualStage(stage: Stage): boolean {
  return !LIFECYCLE_STAGES.includes(stage);
}

/** What the day's results say about a group visit, for the pipeline. */
export type VisitOutcome = {
  /** Staff ticked 「再訪の希望あり」. */
  revisitWanted: boolean;
  /** Applications of every mode (受付方式 + サポート方式 online + mail). */
  applications: number;
  /** The expected head-count (申請予定人数); null when never given. */
  expectedApplicants: number | null;
};

/**
 * THE rule for where a completed group visit leaves its organisation:
 * 再訪候補 when staff saw a wish to come back, or when fewer than half of the
 * expected people applied (many could not come); 実施済 otherwise. Exactly
 * half is not "below half".
 */
export function stageAfterResults(o: VisitOutcome): "visited" | "revisit" {
  if (o.revisitWanted) return "revisit";
  if (o.expectedApplicants != null && o.expectedApplicants > 0 && o.applications * 2 < o.expectedApplicants) return "revisit";
  return "visited";
}

/**
 * The stage an organisation is in because of its group visit's status (null:
 * no change). A completed visit with its results goes where
 * stageAfterResults() says.
 */
export function stageForVisitStatus(status: VisitStatus, outcome?: VisitOutcome): Stage | null {
  switch (status) {
    case "requested":
    case "screening":
    case "changes_requested":
      return "applied";
    case "awaiting_city":
      return "awaiting_city";
    case "approved":
      return "confirmed";
    case "completed":
      return outcome ? stageAfterResults(outcome) : "visited";
    case "declined":
    case "cancelled":
      return "lost";
    default:
      return null;
  }
}

/** Stages of a visit in progress: leaving them by hand would leave the visit behind. */
const ACTIVE_VISIT_STAGES: readonly Stage[] = ["applied", "awaiting_city", "confirmed"];

export type MoveCheck = { ok: true } | { ok: false; message: string };

/** Whether staff may move an organisation from one stage to another by hand. */
export function checkManualMove(from: Stage, to: Stage, reason?: string | null): MoveCheck {
  if (!isManualStage(to)) {
    return {
      ok: false,
      message: "「申込受付」「市承認待ち」「実施確定」「実施済」へは手動で移動できません。申込・承認・実施の手続きに合わせて自動で移動します。",
    };
  }
  if (ACTIVE_VISIT_STAGES.includes(from)) {
    return { ok: false, message: "進行中の訪問があるため、段階を手動で変更できません。訪問の画面で日程調整・取消を行ってください。" };
  }
  if (to === "revisit" && from !== "visited") {
    return { ok: false, message: "「再訪候補」にできるのは実施済の団体です。" };
  }
  if (to === "lost" && !reason?.trim()) {
    return { ok: false, message: "見送りの理由を入力してください（例: 今年度は予算がないため）。" };
  }
  return { ok: true };
}

/** The stages a card's "段階を移動" menu offers (never the lifecycle's). */
export function manualTargets(from: Stage): Stage[] {
  if (ACTIVE_VISIT_STAGES.includes(from)) return [];
  return BOARD_STAGES.filter((s) => s !== from && checkManualMove(from, s, "x").ok);
}

/**
 * Cards shown per board column before "さらに表示" (each press shows twice as
 * many more). Ten keeps the board readable and its page light with 100,000
 * organisations; the column's heading always gives the full count.
 */
export const BOARD_PAGE = 10;
