/**
 * The domain's code values (roles, kinds, stages, statuses …). Kept apart from
 * db/schema.ts so browser code can use them without pulling Drizzle's table
 * definitions into the page's JavaScript.
 */

export const ROLES = ["admin", "manager", "outreach", "city"] as const;
export type Role = (typeof ROLES)[number];

/** 団体の種類 */
export const ORGANISATION_KINDS = ["company", "neighbourhood", "welfare", "school", "medical", "other"] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** Pipeline stages of the outreach CRM (営業パイプライン). */
export const STAGES = [
  "uncontacted", // 未接触
  "contacted", // 接触済
  "consulting", // 協議中
  "applied", // 申込受付 (lifecycle-owned)
  "awaiting_city", // 市承認待ち (lifecycle-owned)
  "confirmed", // 実施確定 (lifecycle-owned)
  "visited", // 実施済 (lifecycle-owned)
  "lost", // 見送り
  "revisit", // 再訪候補
] as const;
export type Stage = (typeof STAGES)[number];

/** 団体向け / 巡回 / 拠点施設 */
export const VISIT_KINDS = ["group", "roaming", "base"] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];

/** 出張申請受付方式 (accept) / 出張申請サポート方式 (support) */
export const VISIT_MODES = ["accept", "support"] as const;
export type VisitMode = (typeof VISIT_MODES)[number];

/** Every state of the visit lifecycle; app/visits/lifecycle.ts owns the transitions. */
export const VISIT_STATUSES = [
  "requested",
  "screening",
  "awaiting_city",
  "changes_requested",
  "approved",
  "completed",
  "declined",
  "cancelled",
  "planned", // roaming/base: drafted by the contractor
  "agreed", // roaming/base: agreed by the city as part of a month's schedule
] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

export const TIME_SLOTS = ["am", "pm", "allday"] as const; // 午前 / 午後 / 終日
export const PARKING = ["yes", "no", "ask"] as const; // あり / なし / 要相談

export const VENUE_KINDS = [
  "supermarket",
  "bank",
  "public_facility",
  "community_hall",
  "shopping_centre",
  "organisation_site",
  "other",
] as const;

export const ACTIVITY_KINDS = [
  "call",
  "email",
  "meeting",
  "visit",
  "note",
  "stage_change",
  "request",
  "approval",
  "result",
  "task",
  "import",
  "merge",
] as const;

export const APPROVAL_DECISIONS = ["approved", "changes_requested", "declined", "agreed"] as const;
/**
 * Outbox states: pending (new, never tried) → sending (claimed by a worker) →
 * sent (accepted by the SMTP server) | kept (no SMTP configured: kept as .eml,
 * not sent) | retrying (last try failed, waits for next_attempt_at) | dead
 * (retries exhausted; admins are alerted).
 */
export const OUTBOX_STATES = ["pending", "sending", "retrying", "sent", "kept", "dead"] as const;

/** A public request's proposal to an organisation already in the CRM: waiting, applied by staff, or declined. */
export const PROPOSAL_STATES = ["pending", "applied", "dismissed"] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];
