/** Pipeline stage rules (pure: used by the board in the browser and by the server). */
import type { Stage, VisitStatus } from "../../db/schema";

/** Board columns in order; 見送り and 再訪候補 sit at the end. */
export const BOARD_STAGES: Stage[] = ["uncontacted", "contacted", "consulting", "applied", "awaiting_city", "confirmed", "visited", "lost", "revisit"];

/** Stages the visit lifecycle owns: they move by themselves and cannot be entered by hand. */
export const LIFECYCLE_STAGES: readonly Stage[] = ["applied", "awaiting_city", "confirmed", "visited"];

export function isManualStage(stage: Stage): boolean {
  return !LIFECYCLE_STAGES.includes(stage);
}

/** The stage an organisation is in because of its group visit's status (null: no change). */
export function stageForVisitStatus(status: VisitStatus): Stage | null {
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
      return "visited";
    case "declined":
    case "cancelled":
      return "lost";
    default:
      return null;
  }
}
