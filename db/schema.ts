/**
 * The whole domain schema. Designed up front for every feature of the product
 * (requests, CRM, approvals, calendar, results, reports) so later work adds
 * rows, not reshapes tables.
 *
 * Conventions
 * - Instants (createdAt …) are UTC ISO-8601 text, e.g. 2026-11-22T03:00:00.000Z.
 * - Wall-clock times of sessions (startsAt …) are Asia/Tokyo local text
 *   `YYYY-MM-DDTHH:mm`; the program runs in one city, so they compare and sort
 *   as text and overlap checks stay simple SQL (docs/decisions/002).
 * - Calendar days are `YYYY-MM-DD` text.
 */
import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from "drizzle-orm/sqlite-core";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
const createdAt = () => text("created_at").notNull().default(now);
const updatedAt = () => text("updated_at").notNull().default(now);

export * from "./enums";
import { ACTIVITY_KINDS, APPROVAL_DECISIONS, INCIDENT_KINDS, INCIDENT_SEVERITIES, INQUIRY_CHANNELS, ORGANISATION_KINDS, OUTBOX_STATES, PARKING, PR_MEDIA, PR_STATUSES, PROPOSAL_STATES, REPORT_KINDS, REPORT_STATUSES, ROLES, ROSTER_ROLES, STAFF_AFFILIATIONS, STAGES, TIME_SLOTS, VENUE_KINDS, VISIT_KINDS, VISIT_MODES, VISIT_STATUSES } from "./enums";

const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(",")})`);

// ---------------------------------------------------------------------------
// Program (業務) and settings

export const programs = sqliteTable(
  "programs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    /** Year used in receipt numbers (G-2026-0001). */
    fiscalYear: integer("fiscal_year").notNull(),
    startsOn: text("starts_on").notNull(),
    endsOn: text("ends_on").notNull(),
    targetGroupVisits: integer("target_group_visits").notNull().default(100),
    targetRoamingVisits: integer("target_roaming_visits").notNull().default(100),
    targetBaseAccept: integer("target_base_accept").notNull().default(10),
    targetBaseSupport: integer("target_base_support").notNull().default(40),
    /**
     * Base-facility sessions of both modes + roaming サポート sessions together
     * (150 or more in Aomori: about 50 + about 100, seed 000 §5(6)③); app/reports/targets.ts counts them.
     */
    targetSupportCombined: integer("target_support_combined").notNull().default(150),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("programs_fiscal_year_uq").on(t.fiscalYear),
    check("programs_dates_ck", sql`${t.startsOn} <= ${t.endsOn}`),
  ],
);

/** Key/value settings; app/settings.server.ts gives each key a zod schema and a default. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
  updatedAt: updatedAt(),
  updatedById: integer("updated_by_id").references(() => users.id),
});

// ---------------------------------------------------------------------------
// People who sign in

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    passwordHash: text("password_hash").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    failedLogins: integer("failed_logins").notNull().default(0),
    lockedUntil: text("locked_until"),
    lastLoginAt: text("last_login_at"),
    /** Secret of the personal .ics feed; regenerate to revoke. */
    calendarToken: text("calendar_token"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_uq").on(t.email),
    uniqueIndex("users_calendar_token_uq").on(t.calendarToken),
    check("users_role_ck", inList("role", ROLES)),
  ],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the cookie's random token: a stolen database opens no session. */
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: text("last_seen_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** Every sign-in attempt, for back-off per email and per address, and for the audit trail. */
export const loginAttempts = sqliteTable(
  "login_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    ip: text("ip"),
    success: integer("success", { mode: "boolean" }).notNull(),
    at: text("at").notNull().default(now),
  },
  (t) => [index("login_attempts_email_at_idx").on(t.email, t.at), index("login_attempts_ip_at_idx").on(t.ip, t.at)],
);

// ---------------------------------------------------------------------------
// Places

/** 地区: population and cards issued feed the priority score. */
export const districts = sqliteTable(
  "districts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    nameKana: text("name_kana"),
    population: integer("population").notNull().default(0),
    cardsIssued: integer("cards_issued").notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("districts_name_uq").on(t.name),
    check("districts_counts_ck", sql`${t.population} >= 0 and ${t.cardsIssued} >= 0`),
  ],
);

export const venues = sqliteTable(
  "venues",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    kind: text("kind", { enum: VENUE_KINDS }).notNull(),
    districtId: integer("district_id").references(() => districts.id),
    postalCode: text("postal_code"),
    address: text("address"),
    parkingNotes: text("parking_notes"),
    contactName: text("contact_name"),
    contactPhone: text("contact_phone"),
    /** Set when the venue is an organisation's own site (group visits). */
    organisationId: integer("organisation_id").references((): AnySQLiteColumn => organisations.id),
    notes: text("notes"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("venues_district_idx").on(t.districtId), check("venues_kind_ck", inList("kind", VENUE_KINDS))],
);

/** ラッピングカー (normally one). */
export const vehicles = sqliteTable("vehicles", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  plate: text("plate"),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
});

// ---------------------------------------------------------------------------
// CRM

export const organisations = sqliteTable(
  "organisations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    nameKana: text("name_kana"),
    /** NFKC, legal-form words (株式会社, ㈱ …) and spaces removed: for search and duplicate matching. */
    searchKey: text("search_key").notNull(),
    kind: text("kind", { enum: ORGANISATION_KINDS }).notNull(),
    districtId: integer("district_id").references(() => districts.id),
    postalCode: text("postal_code"),
    address: text("address"),
    phone: text("phone"),
    /** Digits only. */
    phoneKey: text("phone_key"),
    email: text("email"),
    /** Members / residents / employees. */
    headCount: integer("head_count"),
    expectedApplicants: integer("expected_applicants"),
    stage: text("stage", { enum: STAGES }).notNull().default("uncontacted"),
    stageChangedAt: text("stage_changed_at").notNull().default(now),
    lostReason: text("lost_reason"),
    lostAtStage: text("lost_at_stage", { enum: STAGES }),
    ownerId: integer("owner_id").references(() => users.id),
    nextActionOn: text("next_action_on"),
    nextActionNote: text("next_action_note"),
    lastActivityAt: text("last_activity_at"),
    /** A weak match found on request or import; staff decide, nothing merges silently. */
    possibleDuplicateOfId: integer("possible_duplicate_of_id").references((): AnySQLiteColumn => organisations.id),
    mergedIntoId: integer("merged_into_id").references((): AnySQLiteColumn => organisations.id),
    notes: text("notes"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("organisations_search_key_idx").on(t.searchKey),
    index("organisations_phone_key_idx").on(t.phoneKey),
    index("organisations_email_idx").on(t.email),
    index("organisations_stage_idx").on(t.stage),
    index("organisations_owner_idx").on(t.ownerId),
    index("organisations_district_idx").on(t.districtId),
    index("organisations_next_action_idx").on(t.nextActionOn),
    // Live organisations (merged_into_id is null): partial indexes, so "is null" is never mistaken for a
    // selective lookup; merged_into_id comes last so that reading the index alone answers the query.
    // By stage, newest move first, with the expected head-count: the pipeline's cards (mine through the
    // second) and the list's counts by stage, kind and district.
    index("organisations_live_stage_idx")
      .on(t.stage, t.stageChangedAt, t.id, t.expectedApplicants, t.mergedIntoId)
      .where(sql`${t.mergedIntoId} is null`),
    index("organisations_live_owner_stage_idx")
      .on(t.ownerId, t.stage, t.stageChangedAt, t.id, t.expectedApplicants, t.mergedIntoId)
      .where(sql`${t.mergedIntoId} is null`),
    index("organisations_live_kind_idx").on(t.kind, t.mergedIntoId).where(sql`${t.mergedIntoId} is null`),
    index("organisations_live_district_idx").on(t.districtId, t.mergedIntoId).where(sql`${t.mergedIntoId} is null`),
    check("organisations_kind_ck", inList("kind", ORGANISATION_KINDS)),
    check("organisations_stage_ck", inList("stage", STAGES)),
    check("organisations_counts_ck", sql`coalesce(${t.headCount}, 0) >= 0 and coalesce(${t.expectedApplicants}, 0) >= 0`),
  ],
);

/**
 * The priority score of each organisation (priority.ts, written in SQL by
 * priority.server.ts), kept so the list can sort 100,000 organisations by
 * reading an index instead of scoring every row on every request. Triggers
 * (migration 0008) put an organisation in organisationPrioritiesStale when an
 * input of its score changes (its kind, head-count, district, visits and
 * results, its district's figures); the list rescores those, and everything
 * when the weights or the day change (organisationPrioritiesBasis), before it reads.
 */
export const organisationPriorities = sqliteTable(
  "organisation_priorities",
  {
    organisationId: integer("organisation_id")
      .primaryKey()
      .references(() => organisations.id, { onDelete: "cascade" }),
    score: real("score").notNull(),
  },
  // Highest score first, ties by id: the list's default order, read straight from the index.
  (t) => [index("organisation_priorities_score_idx").on(sql`${t.score} desc`, t.organisationId)],
);

/** Organisations whose stored score is out of date (filled by triggers, emptied by the list). */
export const organisationPrioritiesStale = sqliteTable("organisation_priorities_stale", {
  organisationId: integer("organisation_id").primaryKey(),
});

/** What the stored scores were computed with: the weights and the day (one row). */
export const organisationPrioritiesBasis = sqliteTable("organisation_priorities_basis", {
  id: integer("id").primaryKey(),
  basis: text("basis").notNull(),
});

/**
 * How many live organisations (not merged away) each owner has in each stage,
 * with their expected applicants summed: the pipeline's column counts and the
 * list's unfiltered totals in a few rows instead of a pass over 100,000.
 * Kept by triggers on organisations (migration 0008). ownerId 0: no owner.
 */
export const organisationStageCounts = sqliteTable(
  "organisation_stage_counts",
  {
    ownerId: integer("owner_id").notNull(),
    stage: text("stage", { enum: STAGES }).notNull(),
    organisations: integer("organisations").notNull(),
    expectedApplicants: integer("expected_applicants").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.stage] })],
);

/** A person; may belong to several organisations (organisation_contacts). */
export const contacts = sqliteTable("contacts", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  nameKana: text("name_kana"),
  phone: text("phone"),
  email: text("email"),
  notes: text("notes"),
  createdAt: createdAt(),
});

export const organisationContacts = sqliteTable(
  "organisation_contacts",
  {
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    contactId: integer("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    /** e.g. 総務担当, 会長, 施設長 */
    role: text("role"),
    isPrimary: integer("is_primary", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.contactId] }), index("org_contacts_contact_idx").on(t.contactId)],
);

/** The organisation timeline: calls, notes, stage changes, requests, approvals, results … */
export const activities = sqliteTable(
  "activities",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ACTIVITY_KINDS }).notNull(),
    summary: text("summary").notNull(),
    body: text("body"),
    fromStage: text("from_stage", { enum: STAGES }),
    toStage: text("to_stage", { enum: STAGES }),
    visitId: integer("visit_id").references((): AnySQLiteColumn => visits.id),
    requestId: integer("request_id").references((): AnySQLiteColumn => visitRequests.id),
    userId: integer("user_id").references(() => users.id),
    occurredAt: text("occurred_at").notNull().default(now),
    createdAt: createdAt(),
  },
  (t) => [
    index("activities_org_time_idx").on(t.organisationId, t.occurredAt),
    check("activities_kind_ck", inList("kind", ACTIVITY_KINDS)),
  ],
);

export const tasks = sqliteTable(
  "tasks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id").references(() => organisations.id, { onDelete: "cascade" }),
    visitId: integer("visit_id").references((): AnySQLiteColumn => visits.id),
    title: text("title").notNull(),
    dueOn: text("due_on"),
    assigneeId: integer("assignee_id").references(() => users.id),
    doneAt: text("done_at"),
    doneById: integer("done_by_id").references(() => users.id),
    createdById: integer("created_by_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("tasks_assignee_due_idx").on(t.assigneeId, t.dueOn), index("tasks_org_idx").on(t.organisationId)],
);

/** Saved organisation-list filters ("my organisations"). */
export const savedFilters = sqliteTable("saved_filters", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  userId: integer("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  query: text("query").notNull(),
  createdAt: createdAt(),
});

/**
 * What an anonymous public request proposes for an organisation already in
 * the CRM: its sender as a contact, details the CRM lacks, the stage its visit
 * implies. Nothing of the organisation changes until staff confirm
 * (確認して反映) or decline (反映しない) on the organisation's page; the
 * changes are worked out from the request when shown and when applied.
 */
export const crmProposals = sqliteTable(
  "crm_proposals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    requestId: integer("request_id")
      .notNull()
      .references((): AnySQLiteColumn => visitRequests.id),
    visitId: integer("visit_id").references((): AnySQLiteColumn => visits.id),
    state: text("state", { enum: PROPOSAL_STATES }).notNull().default("pending"),
    createdAt: createdAt(),
    decidedAt: text("decided_at"),
    decidedById: integer("decided_by_id").references(() => users.id),
  },
  (t) => [
    index("crm_proposals_org_state_idx").on(t.organisationId, t.state),
    uniqueIndex("crm_proposals_request_uq").on(t.requestId),
    check("crm_proposals_state_ck", inList("state", PROPOSAL_STATES)),
  ],
);

export const importJobs = sqliteTable("import_jobs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  userId: integer("user_id").references(() => users.id),
  fileName: text("file_name").notNull(),
  status: text("status", { enum: ["preview", "running", "done", "failed"] }).notNull(),
  totalRows: integer("total_rows").notNull().default(0),
  processedRows: integer("processed_rows").notNull().default(0),
  createdRows: integer("created_rows").notNull().default(0),
  errors: text("errors", { mode: "json" }).$type<{ row: number; message: string }[]>(),
  createdAt: createdAt(),
  finishedAt: text("finished_at"),
});

// ---------------------------------------------------------------------------
// Requests and visits

/** 団体向け出張申請: what the organisation submitted on /request (kept as submitted). */
export const visitRequests = sqliteTable(
  "visit_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    programId: integer("program_id")
      .notNull()
      .references(() => programs.id),
    /** 受付番号, e.g. G-2026-0001 (sequential per program year). */
    receiptNo: text("receipt_no").notNull(),
    /** Bearer token of the status link (≥128 random bits, base64url). */
    statusToken: text("status_token").notNull(),
    /** Client-generated key that makes double submission create one request. */
    idempotencyKey: text("idempotency_key"),
    organisationId: integer("organisation_id").references(() => organisations.id),
    organisationName: text("organisation_name").notNull(),
    organisationKind: text("organisation_kind", { enum: ORGANISATION_KINDS }).notNull(),
    postalCode: text("postal_code").notNull(),
    address: text("address").notNull(),
    contactName: text("contact_name").notNull(),
    phone: text("phone").notNull(),
    email: text("email").notNull(),
    expectedApplicants: integer("expected_applicants").notNull(),
    preferredDate1: text("preferred_date_1").notNull(),
    preferredSlot1: text("preferred_slot_1", { enum: TIME_SLOTS }).notNull(),
    preferredDate2: text("preferred_date_2"),
    preferredSlot2: text("preferred_slot_2", { enum: TIME_SLOTS }),
    preferredDate3: text("preferred_date_3"),
    preferredSlot3: text("preferred_slot_3", { enum: TIME_SLOTS }),
    venueText: text("venue_text").notNull(),
    parking: text("parking", { enum: PARKING }).notNull(),
    message: text("message"),
    possibleDuplicate: integer("possible_duplicate", { mode: "boolean" }).notNull().default(false),
    /** Channel: the public form or a phone call taken by staff. */
    source: text("source", { enum: ["web", "phone", "staff"] }).notNull().default("web"),
    cancelledAt: text("cancelled_at"),
    cancelReason: text("cancel_reason"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("visit_requests_receipt_uq").on(t.receiptNo),
    uniqueIndex("visit_requests_token_uq").on(t.statusToken),
    uniqueIndex("visit_requests_idem_uq").on(t.idempotencyKey),
    index("visit_requests_org_idx").on(t.organisationId),
    check("visit_requests_applicants_ck", sql`${t.expectedApplicants} > 0`),
  ],
);

/**
 * One session of the program: a group visit (団体向け), a roaming stop (巡回) or a
 * base-facility session (拠点施設). The lifecycle lives in app/visits/lifecycle.ts.
 */
export const visits = sqliteTable(
  "visits",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    programId: integer("program_id")
      .notNull()
      .references(() => programs.id),
    kind: text("kind", { enum: VISIT_KINDS }).notNull(),
    mode: text("mode", { enum: VISIT_MODES }).notNull(),
    status: text("status", { enum: VISIT_STATUSES }).notNull(),
    title: text("title").notNull(),
    requestId: integer("request_id").references(() => visitRequests.id),
    organisationId: integer("organisation_id").references(() => organisations.id),
    venueId: integer("venue_id").references(() => venues.id),
    /** Null for base-facility sessions (no car). */
    vehicleId: integer("vehicle_id").references(() => vehicles.id),
    /** Local date and times (Asia/Tokyo); null while a request is still being consulted. */
    date: text("date"),
    startsAt: text("starts_at"),
    endsAt: text("ends_at"),
    /** The car's blocked range (visit plus set-up, tear-down and travel buffers) while held or approved. */
    holdStartsAt: text("hold_starts_at"),
    holdEndsAt: text("hold_ends_at"),
    expectedApplicants: integer("expected_applicants"),
    ownerId: integer("owner_id").references(() => users.id),
    notes: text("notes"),
    /** Reason of the last cancellation, decline or change request. */
    statusReason: text("status_reason"),
    statusChangedAt: text("status_changed_at").notNull().default(now),
    /** Optimistic concurrency for edits from two screens. */
    version: integer("version").notNull().default(1),
    reminderSentAt: text("reminder_sent_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("visits_date_idx").on(t.date),
    index("visits_status_idx").on(t.status),
    index("visits_vehicle_hold_idx").on(t.vehicleId, t.holdStartsAt),
    index("visits_org_idx").on(t.organisationId),
    uniqueIndex("visits_request_uq").on(t.requestId),
    check("visits_kind_ck", inList("kind", VISIT_KINDS)),
    check("visits_mode_ck", inList("mode", VISIT_MODES)),
    check("visits_status_ck", inList("status", VISIT_STATUSES)),
    check("visits_times_ck", sql`${t.startsAt} is null or ${t.endsAt} is null or ${t.startsAt} < ${t.endsAt}`),
    check("visits_hold_ck", sql`${t.holdStartsAt} is null or ${t.holdStartsAt} < ${t.holdEndsAt}`),
    check("visits_base_no_car_ck", sql`${t.kind} <> 'base' or ${t.vehicleId} is null`),
    check("visits_group_org_ck", sql`${t.kind} <> 'group' or ${t.organisationId} is not null`),
  ],
);

/**
 * The city's decisions (本市の承認): append-only; a trigger refuses UPDATE and
 * DELETE. A roaming/base month schedule is agreed in one row with scheduleMonth.
 */
export const approvals = sqliteTable(
  "approvals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    visitId: integer("visit_id").references(() => visits.id),
    scheduleMonth: text("schedule_month"),
    decision: text("decision", { enum: APPROVAL_DECISIONS }).notNull(),
    comment: text("comment"),
    /** Date, times, venue and head-count the decision was about. */
    snapshot: text("snapshot", { mode: "json" }),
    decidedById: integer("decided_by_id")
      .notNull()
      .references(() => users.id),
    decidedAt: text("decided_at").notNull().default(now),
  },
  (t) => [
    index("approvals_visit_idx").on(t.visitId),
    check("approvals_decision_ck", inList("decision", APPROVAL_DECISIONS)),
    check("approvals_target_ck", sql`(${t.visitId} is null) <> (${t.scheduleMonth} is null)`),
  ],
);

/** Results recorded on the day (日次報告 source). */
export const visitResults = sqliteTable(
  "visit_results",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    visitId: integer("visit_id")
      .notNull()
      .references(() => visits.id),
    /** 出張申請受付方式 applications. */
    acceptCount: integer("accept_count").notNull().default(0),
    /** サポート方式, online (terminal / QR form). */
    supportOnlineCount: integer("support_online_count").notNull().default(0),
    /** サポート方式, by mail (handwritten form + printed photo). */
    supportMailCount: integer("support_mail_count").notNull().default(0),
    /** Applicants who came for 受付方式 but fell back to サポート方式 (ID incomplete). */
    fallbackCount: integer("fallback_count").notNull().default(0),
    inCityCount: integer("in_city_count").notNull().default(0),
    outOfCityCount: integer("out_of_city_count").notNull().default(0),
    /** Other assistance by category key (settings.assistanceCategories). */
    otherAssistance: text("other_assistance", { mode: "json" }).$type<Record<string, number>>().notNull().default({}),
    /**
     * 現地での問合せ (asked without applying): always the sum of this visit's
     * on-site rows in `inquiries`, so the log and the results never count one
     * person twice.
     */
    inquiryCount: integer("inquiry_count").notNull().default(0),
    notes: text("notes"),
    /** Legacy free text; incidents now live in `incidents`. */
    incident: text("incident"),
    /** Out-of-city share of each mode (市外); in-city is the rest. The totals above are kept in step. */
    acceptOutOfCityCount: integer("accept_out_of_city_count").notNull().default(0),
    supportOnlineOutOfCityCount: integer("support_online_out_of_city_count").notNull().default(0),
    supportMailOutOfCityCount: integer("support_mail_out_of_city_count").notNull().default(0),
    /** Why applicants fell back to サポート方式, by key of settings.fallbackReasons; sums to fallbackCount. */
    fallbackReasons: text("fallback_reasons", { mode: "json" }).$type<Record<string, number>>().notNull().default({}),
    /** 再訪の希望あり (group visits): the organisation becomes 再訪候補. */
    revisitWanted: integer("revisit_wanted", { mode: "boolean" }).notNull().default(false),
    /** Optimistic concurrency: a correction names the version it corrects. */
    version: integer("version").notNull().default(1),
    recordedById: integer("recorded_by_id").references(() => users.id),
    recordedAt: text("recorded_at").notNull().default(now),
    updatedById: integer("updated_by_id").references(() => users.id),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("visit_results_visit_uq").on(t.visitId),
    check(
      "visit_results_counts_ck",
      sql`${t.acceptCount} >= 0 and ${t.supportOnlineCount} >= 0 and ${t.supportMailCount} >= 0 and ${t.fallbackCount} >= 0 and ${t.inCityCount} >= 0 and ${t.outOfCityCount} >= 0 and ${t.inquiryCount} >= 0`,
    ),
    check(
      "visit_results_out_of_city_ck",
      sql`${t.acceptOutOfCityCount} between 0 and ${t.acceptCount} and ${t.supportOnlineOutOfCityCount} between 0 and ${t.supportOnlineCount} and ${t.supportMailOutOfCityCount} between 0 and ${t.supportMailCount}`,
    ),
    check(
      "visit_results_residence_ck",
      sql`${t.inCityCount} + ${t.outOfCityCount} = ${t.acceptCount} + ${t.supportOnlineCount} + ${t.supportMailCount}`,
    ),
  ],
);

/**
 * Earlier values of a visit's results, one row per correction (訂正履歴):
 * append-only, so a report can always say what was first recorded and who
 * changed it.
 */
export const visitResultHistory = sqliteTable(
  "visit_result_history",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    visitId: integer("visit_id")
      .notNull()
      .references(() => visits.id),
    /** The results row as it was before the correction (its version included). */
    previous: text("previous", { mode: "json" }).notNull(),
    reason: text("reason"),
    replacedById: integer("replaced_by_id").references(() => users.id),
    replacedAt: text("replaced_at").notNull().default(now),
  },
  (t) => [index("visit_result_history_visit_idx").on(t.visitId, t.replacedAt)],
);

/**
 * 従事者名簿: people who work sessions, kept by the manager. A person may have
 * a sign-in account (userId) or not (part-time staff, city officials who
 * only check identity documents on site).
 */
export const staffMembers = sqliteTable(
  "staff_members",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    nameKana: text("name_kana"),
    affiliation: text("affiliation", { enum: STAFF_AFFILIATIONS }).notNull(),
    userId: integer("user_id").references(() => users.id),
    phone: text("phone"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("staff_members_user_uq").on(t.userId), check("staff_members_affiliation_ck", inList("affiliation", STAFF_AFFILIATIONS))],
);

/** Who works a session (当日の体制). One person once per session; overlapping sessions are refused in app/visits/roster.server.ts. */
export const rosterEntries = sqliteTable(
  "roster_entries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    visitId: integer("visit_id")
      .notNull()
      .references(() => visits.id),
    staffMemberId: integer("staff_member_id")
      .notNull()
      .references(() => staffMembers.id),
    role: text("role", { enum: ROSTER_ROLES }).notNull(),
    addedById: integer("added_by_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("roster_entries_visit_member_uq").on(t.visitId, t.staffMemberId),
    index("roster_entries_member_idx").on(t.staffMemberId),
    check("roster_entries_role_ck", inList("role", ROSTER_ROLES)),
  ],
);

/** 持ち物チェック: kit items (settings.kitItems) ticked off before departure. */
export const kitChecks = sqliteTable(
  "kit_checks",
  {
    visitId: integer("visit_id")
      .notNull()
      .references(() => visits.id),
    itemKey: text("item_key").notNull(),
    checkedById: integer("checked_by_id").references(() => users.id),
    checkedAt: text("checked_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.visitId, t.itemKey] })],
);

/** 事故・苦情 on a session; serious and urgent ones are emailed at once and stay visible until closed. */
export const incidents = sqliteTable(
  "incidents",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    visitId: integer("visit_id")
      .notNull()
      .references(() => visits.id),
    kind: text("kind", { enum: INCIDENT_KINDS }).notNull(),
    severity: text("severity", { enum: INCIDENT_SEVERITIES }).notNull(),
    /** Local `YYYY-MM-DDTHH:mm`. */
    occurredAt: text("occurred_at").notNull(),
    what: text("what").notNull(),
    actionTaken: text("action_taken"),
    closedAt: text("closed_at"),
    closedById: integer("closed_by_id").references(() => users.id),
    reportedById: integer("reported_by_id").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("incidents_visit_idx").on(t.visitId),
    index("incidents_open_idx").on(t.closedAt, t.severity),
    check("incidents_kind_ck", inList("kind", INCIDENT_KINDS)),
    check("incidents_severity_ck", inList("severity", INCIDENT_SEVERITIES)),
  ],
);

/** Site photos for reports (no identifiable faces); re-encoded without metadata on upload, never served publicly. */
export const sitePhotos = sqliteTable("site_photos", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  visitId: integer("visit_id")
    .notNull()
    .references(() => visits.id),
  /** Relative to the photo folder beside the database. */
  storedPath: text("stored_path").notNull(),
  thumbPath: text("thumb_path"),
  mimeType: text("mime_type").notNull(),
  width: integer("width"),
  height: integer("height"),
  bytes: integer("bytes"),
  caption: text("caption"),
  uploadedById: integer("uploaded_by_id").references(() => users.id),
  uploadedAt: text("uploaded_at").notNull().default(now),
});

/**
 * 問合せ記録: from residents by phone, on site, by email or at the counter
 * (完了報告: count by channel and category). No personal data in the summary.
 */
export const inquiries = sqliteTable(
  "inquiries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    channel: text("channel", { enum: INQUIRY_CHANNELS }).notNull(),
    visitId: integer("visit_id").references(() => visits.id),
    receivedOn: text("received_on").notNull(),
    /** The category: a key of settings.inquiryCategories. */
    topic: text("topic").notNull(),
    summary: text("summary"),
    count: integer("count").notNull().default(1),
    /** Written by the results form (its on-site inquiry counts); the form replaces only these rows. */
    fromResults: integer("from_results", { mode: "boolean" }).notNull().default(false),
    createdById: integer("created_by_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("inquiries_received_idx").on(t.receivedOn), index("inquiries_visit_idx").on(t.visitId), check("inquiries_count_ck", sql`${t.count} > 0`)],
);

/** 広報・PR活動: done and planned, with reach. Materials need the city's approval before use (§5(3)②). */
export const prActivities = sqliteTable("pr_activities", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  programId: integer("program_id")
    .notNull()
    .references(() => programs.id),
  medium: text("medium", { enum: PR_MEDIA }).notNull(),
  title: text("title").notNull(),
  status: text("status", { enum: PR_STATUSES }).notNull(),
  plannedOn: text("planned_on"),
  doneOn: text("done_on"),
  /** Copies distributed, views, listeners … */
  reach: integer("reach"),
  reachUnit: text("reach_unit"),
  notes: text("notes"),
  /** The city's approval of the material: date and its reference (文書番号など). */
  cityApprovedOn: text("city_approved_on"),
  cityApprovalRef: text("city_approval_ref"),
  createdById: integer("created_by_id").references(() => users.id),
  createdAt: createdAt(),
  updatedAt: text("updated_at"),
});

/**
 * Reports owed to the city (日次 / 月次 / 完了), one row per version of a
 * period. A draft holds the manager's remarks; submitting freezes the body
 * (the report as built from the results at that moment) and a trigger keeps
 * it frozen: later corrections of the results make a new version that says
 * what changed (changeSummary). The city acknowledges submitted versions.
 */
export const reports = sqliteTable(
  "reports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    programId: integer("program_id")
      .notNull()
      .references(() => programs.id),
    kind: text("kind", { enum: REPORT_KINDS }).notNull(),
    periodStart: text("period_start").notNull(),
    periodEnd: text("period_end").notNull(),
    /** Local deadline, `YYYY-MM-DDTHH:mm` (app/reports/deadlines.ts). */
    dueAt: text("due_at").notNull(),
    /** 第N版: 1 for the first submission, +1 for each correction. */
    version: integer("version").notNull().default(1),
    status: text("status", { enum: REPORT_STATUSES }).notNull().default("draft"),
    /** The report as submitted (JSON of app/reports/types.ts); null while a draft. */
    body: text("body", { mode: "json" }),
    /** 備考: the manager's remarks. */
    remarks: text("remarks"),
    /** What changed against the previous version, one line per change (null for version 1). */
    changeSummary: text("change_summary"),
    submittedAt: text("submitted_at"),
    submittedById: integer("submitted_by_id").references(() => users.id),
    acknowledgedAt: text("acknowledged_at"),
    acknowledgedById: integer("acknowledged_by_id").references(() => users.id),
    createdById: integer("created_by_id").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("reports_version_uq").on(t.programId, t.kind, t.periodStart, t.version),
    // At most one draft per period.
    uniqueIndex("reports_draft_uq").on(t.programId, t.kind, t.periodStart).where(sql`${t.status} = 'draft'`),
    check("reports_kind_ck", inList("kind", REPORT_KINDS)),
    check("reports_status_ck", inList("status", REPORT_STATUSES)),
    check("reports_version_ck", sql`${t.version} >= 1`),
    check("reports_submitted_ck", sql`${t.status} = 'draft' or (${t.body} is not null and ${t.submittedAt} is not null)`),
    check("reports_acknowledged_ck", sql`${t.status} <> 'acknowledged' or ${t.acknowledgedAt} is not null`),
  ],
);

// ---------------------------------------------------------------------------
// Operations

/** Append-only trail of sign-ins, views and exports of personal data, and changes. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: text("at").notNull().default(now),
    userId: integer("user_id").references(() => users.id),
    action: text("action").notNull(),
    entity: text("entity"),
    entityId: text("entity_id"),
    detail: text("detail", { mode: "json" }),
    ip: text("ip"),
  },
  (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_entity_idx").on(t.entity, t.entityId)],
);

/** Every email, written in the same transaction as the change that causes it. */
export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    template: text("template").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    /** [{ filename, contentType, content (base64) }] */
    attachments: text("attachments", { mode: "json" }).$type<{ filename: string; contentType: string; content: string }[]>(),
    state: text("state", { enum: OUTBOX_STATES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at").notNull().default(now),
    lockedUntil: text("locked_until"),
    lastError: text("last_error"),
    sentAt: text("sent_at"),
    relatedEntity: text("related_entity"),
    relatedId: integer("related_id"),
    /**
     * Message-ID header, `<random UUID@host>`, fixed at enqueue: globally unique
     * (not the row id, which restarts at 1 on a fresh or restored database) and
     * the same on every retry of this row. Null only on rows older than the
     * column; the worker fills those in before their first try.
     */
    messageId: text("message_id"),
    /** When an admin marked this dead email as seen (it then leaves the alert banner). */
    acknowledgedAt: text("acknowledged_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("email_outbox_due_idx").on(t.state, t.nextAttemptAt),
    uniqueIndex("email_outbox_message_id_uq").on(t.messageId),
    check("email_outbox_state_ck", inList("state", OUTBOX_STATES)),
  ],
);

/** Fixed-window counters for rate limits shared by every process on the database. */
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: text("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/** 郵便番号 → 住所 answers from the lookup service. */
export const postalCodeCache = sqliteTable("postal_code_cache", {
  postalCode: text("postal_code").primaryKey(),
  address: text("address"),
  fetchedAt: text("fetched_at").notNull().default(now),
});
