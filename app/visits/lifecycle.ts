/**
 * THE visit lifecycle: one state machine for group visits (団体訪問) and for
 * roaming / base-facility sessions (巡回・拠点施設). Pure (no server imports)
 * so screens can show only the actions a role may take; the server
 * (app/visits/visits.server.ts) checks every change against it again.
 *
 * Group visits
 *   requested → screening → awaiting_city → approved → completed
 *   awaiting_city → changes_requested (city, comment) → awaiting_city (staff re-submits)
 *   awaiting_city → declined (city, reason)
 *   requested/screening/changes_requested/awaiting_city/approved → cancelled (staff or organisation)
 *   approved → awaiting_city when its date, time or venue moves (re-approval)
 * Roaming / base sessions
 *   planned → agreed (city, a month's schedule at once) → completed (staff)
 *   planned/agreed → cancelled (staff); agreed → planned when the session moves
 */
import { addDays } from "../lib/dates";
import { VISIT_STATUS_LABELS } from "../lib/labels";
import type { Role, VisitKind, VisitStatus } from "../../db/schema";

/** Who acts: a signed-in role, or the organisation through its status link. */
export type Actor = Role | "organisation";

/** Staff of the contractor (受託者). Admins count as staff: they run the program, but never approve. */
export const STAFF_ROLES: readonly Role[] = ["admin", "manager", "outreach"];
const CITY: readonly Actor[] = ["city"];
const STAFF: readonly Actor[] = STAFF_ROLES;
const ORGANISATION: readonly Actor[] = ["organisation"];

export type TransitionName =
  | "start_screening"
  | "submit_for_approval"
  | "approve"
  | "request_changes"
  | "decline"
  | "cancel"
  | "organisation_cancel"
  | "complete"
  | "reschedule_approved"
  | "agree_schedule"
  | "replan";

/** Group visits vs roaming/base sessions follow different halves of the machine. */
export type Track = "group" | "session";
export function trackOf(kind: VisitKind): Track {
  return kind === "group" ? "group" : "session";
}

export type TransitionDef = {
  name: TransitionName;
  track: Track;
  from: readonly VisitStatus[];
  to: VisitStatus;
  actors: readonly Actor[];
  /** A comment / reason is required (change requests, declines, staff cancellations). */
  requiresComment: boolean;
  /** Button label. */
  label: string;
  /** Performed by the system as a consequence of another change (not offered as a button). */
  implicit?: boolean;
};

const OPEN_GROUP: readonly VisitStatus[] = ["requested", "screening", "changes_requested", "awaiting_city", "approved"];

export const TRANSITIONS: readonly TransitionDef[] = [
  // ---- group visits ----
  { name: "start_screening", track: "group", from: ["requested"], to: "screening", actors: STAFF, requiresComment: false, label: "調整を始める" },
  {
    name: "submit_for_approval",
    track: "group",
    from: ["screening", "changes_requested"],
    to: "awaiting_city",
    actors: STAFF,
    requiresComment: false,
    label: "市に承認を依頼する",
  },
  { name: "approve", track: "group", from: ["awaiting_city"], to: "approved", actors: CITY, requiresComment: false, label: "承認する" },
  { name: "request_changes", track: "group", from: ["awaiting_city"], to: "changes_requested", actors: CITY, requiresComment: true, label: "修正を依頼する" },
  { name: "decline", track: "group", from: ["awaiting_city"], to: "declined", actors: CITY, requiresComment: true, label: "見送る" },
  { name: "cancel", track: "group", from: OPEN_GROUP, to: "cancelled", actors: STAFF, requiresComment: true, label: "取り消す" },
  // Organisations may leave the reason empty (older volunteers on a phone); the status page asks for it politely.
  { name: "organisation_cancel", track: "group", from: OPEN_GROUP, to: "cancelled", actors: ORGANISATION, requiresComment: false, label: "申込を取り消す" },
  { name: "complete", track: "group", from: ["approved"], to: "completed", actors: STAFF, requiresComment: false, label: "実施済にする" },
  {
    name: "reschedule_approved",
    track: "group",
    from: ["approved"],
    to: "awaiting_city",
    actors: STAFF,
    requiresComment: false,
    label: "日時・会場を変更して再承認を依頼",
    implicit: true,
  },
  // ---- roaming / base sessions ----
  { name: "agree_schedule", track: "session", from: ["planned"], to: "agreed", actors: CITY, requiresComment: false, label: "この月の予定に合意する" },
  { name: "cancel", track: "session", from: ["planned", "agreed"], to: "cancelled", actors: STAFF, requiresComment: true, label: "取り消す" },
  { name: "complete", track: "session", from: ["agreed"], to: "completed", actors: STAFF, requiresComment: false, label: "実施済にする" },
  { name: "replan", track: "session", from: ["agreed"], to: "planned", actors: STAFF, requiresComment: false, label: "予定を変更する（再合意が必要）", implicit: true },
];

export const TRANSITION_NAMES: readonly TransitionName[] = [...new Set(TRANSITIONS.map((t) => t.name))];

/** States each track uses. */
export const GROUP_STATES: readonly VisitStatus[] = ["requested", "screening", "awaiting_city", "changes_requested", "approved", "completed", "declined", "cancelled"];
export const SESSION_STATES: readonly VisitStatus[] = ["planned", "agreed", "completed", "cancelled"];

/** States in which a visit holds the car (group visits from submission; sessions while planned or agreed). */
export function holdsCar(kind: VisitKind, status: VisitStatus): boolean {
  if (kind === "base") return false;
  if (kind === "group") return status === "awaiting_city" || status === "changes_requested" || status === "approved";
  return status === "planned" || status === "agreed";
}

/** States no transition leaves. */
export function isFinal(status: VisitStatus): boolean {
  return status === "completed" || status === "declined" || status === "cancelled";
}


const ACTOR_NAMES: Record<Actor, string> = {
  admin: "管理者",
  manager: "総括責任者",
  outreach: "営業・訪問担当",
  city: "市職員",
  organisation: "申込団体",
};

function whoMay(actors: readonly Actor[]): string {
  if (actors.length === 1 && actors[0] === "city") return "市職員のみ";
  if (actors.length === 1 && actors[0] === "organisation") return "申込団体のみ";
  if (STAFF_ROLES.every((r) => actors.includes(r)) && actors.length === STAFF_ROLES.length) return "受託者の担当者のみ";
  return actors.map((a) => ACTOR_NAMES[a]).join("・");
}

export type TransitionCheck = { ok: true; def: TransitionDef; to: VisitStatus } | { ok: false; message: string };

/**
 * May `actor` apply `transition` to a visit of `kind` in state `from`?
 * A refusal carries a Japanese message saying why.
 */
export function checkTransition(input: { kind: VisitKind; from: VisitStatus; transition: string; actor: Actor; comment?: string | null }): TransitionCheck {
  const track = trackOf(input.kind);
  const candidates = TRANSITIONS.filter((t) => t.name === input.transition && t.track === track);
  if (candidates.length === 0) {
    return {
      ok: false,
      message:
        track === "group"
          ? "この操作は団体訪問には使えません。画面を再読み込みして、表示されている操作から選んでください。"
          : "この操作は巡回・拠点施設の予定には使えません。画面を再読み込みして、表示されている操作から選んでください。",
    };
  }
  const def = candidates.find((t) => t.from.includes(input.from));
  if (!def) {
    const label = candidates[0].label;
    return {
      ok: false,
      message: `「${VISIT_STATUS_LABELS[input.from]}」の状態からは「${label}」はできません。画面を再読み込みして、現在の状態を確認してください。`,
    };
  }
  if (!def.actors.includes(input.actor)) {
    return { ok: false, message: `「${def.label}」は${whoMay(def.actors)}が行えます。` };
  }
  if (def.requiresComment && !(input.comment ?? "").trim()) {
    return { ok: false, message: `「${def.label}」には理由（コメント）の入力が必要です。` };
  }
  return { ok: true, def, to: def.to };
}

/** Transitions `actor` may offer as buttons for a visit in this state (implicit ones excluded). */
export function allowedTransitions(kind: VisitKind, status: VisitStatus, actor: Actor): TransitionDef[] {
  const track = trackOf(kind);
  return TRANSITIONS.filter((t) => t.track === track && !t.implicit && t.from.includes(status) && t.actors.includes(actor));
}

/** A Markdown table of the whole machine (README). */
export function lifecycleTable(): string {
  const rows = TRANSITIONS.map(
    (t) =>
      `| ${t.track === "group" ? "団体訪問" : "巡回・拠点"} | \`${t.name}\` | ${t.from.map((s) => `\`${s}\``).join(", ")} | \`${t.to}\` | ${whoMay(t.actors)} | ${t.requiresComment ? "必須" : "—"} |`,
  );
  return ["| kind | transition | from | to | who | comment |", "|---|---|---|---|---|---|", ...rows].join("\n");
}

/**
 * The organisation may cancel on its status page until `cutoffDays` before the
 * visit date (a request without a date yet: while it is open). The one rule
 * for both the status page's button and the transition itself.
 */
export function organisationCancelDeadline(visitDate: string | null, cutoffDays: number): string | null {
  return visitDate ? addDays(visitDate, -cutoffDays) : null;
}

export function organisationMayCancel(status: VisitStatus, visitDate: string | null, cutoffDays: number, today: string): boolean {
  if (!TRANSITIONS.some((t) => t.name === "organisation_cancel" && t.from.includes(status))) return false;
  const deadline = organisationCancelDeadline(visitDate, cutoffDays);
  return deadline === null || today <= deadline;
}
