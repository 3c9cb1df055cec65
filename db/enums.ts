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

/** 従事者の所属: the contractor's staff, or a city official (受付方式 identity checks). */
export const STAFF_AFFILIATIONS = ["contractor", "city"] as const;
export type StaffAffiliation = (typeof STAFF_AFFILIATIONS)[number];

/** Roster roles on a session: 現地管理者 (site lead), 従事者 (staff), 本人確認を行う市職員 (identity checker). */
export const ROSTER_ROLES = ["lead", "staff", "id_checker"] as const;
export type RosterRole = (typeof ROSTER_ROLES)[number];

/** 事故 / 苦情 */
export const INCIDENT_KINDS = ["accident", "complaint", "other"] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];
/** 軽微 / 重大 / 緊急: serious and urgent ones are reported at once (seed 000 §5(9)). */
export const INCIDENT_SEVERITIES = ["minor", "serious", "urgent"] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/** How an inquiry came in: 電話 / 現地 / メール / 窓口. */
export const INQUIRY_CHANNELS = ["phone", "site", "email", "counter"] as const;
export type InquiryChannel = (typeof INQUIRY_CHANNELS)[number];

/** 広報の媒体 (seed 000 §5(3)); web = ホームページ. Older rows may hold tv, newspaper or other. */
export const PR_MEDIA = ["flyer", "poster", "web", "sns", "newsletter", "radio", "event", "tv", "newspaper", "other"] as const;
export type PrMedium = (typeof PR_MEDIA)[number];
export const PR_STATUSES = ["planned", "done"] as const;
export type PrStatus = (typeof PR_STATUSES)[number];

/** The contract's reports (seed 000 §5(9)): 日次 / 月次 / 委託業務完了. */
export const REPORT_KINDS = ["daily", "monthly", "completion"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
/**
 * A report version: draft (remarks being written, nothing frozen) → submitted
 * (body frozen, sent to the city) → acknowledged (the city has read it).
 * A correction after submission is a new version, never an edit (docs/decisions/010).
 */
export const REPORT_STATUSES = ["draft", "submitted", "acknowledged"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
