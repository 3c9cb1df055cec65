import type { WindowContact } from "../app/lib/window-contact";

/** What every visit email knows (already formatted for people). */
export type VisitEmailData = {
  organisationName: string;
  contactName: string;
  receiptNo: string;
  statusUrl: string;
  expectedApplicants: number | null;
  venueText: string;
  /** ["2026年12月1日(火) 午前", …] */
  preferred: string[];
  /** Confirmed date and time, e.g. 2026年12月1日(火) 10:00〜12:00 (null while not scheduled). */
  when: string | null;
  /** Confirmed place. */
  place: string | null;
  mode: "accept" | "support";
  /** Reason of a cancellation, decline or change. */
  reason: string | null;
  cancelCutoffDays: number;
  senderName: string;
  /** The window's phone number, hours and address (settings), in every footer. */
  window: WindowContact;
};
