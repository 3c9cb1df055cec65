/**
 * How the calendar shows visits (browser and server). Pure: no server
 * imports. Rules about states and days live in app/visits/lifecycle.ts and
 * app/visits/booking.ts; this module only words and marks them.
 */
import type { VisitStatus } from "../../db/enums";

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
