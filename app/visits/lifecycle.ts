/**
 * THE visit lifecycle: the one place that knows about visit states. Pure (no
 * server imports) so screens can show only what a role may do; the server
 * modules in app/visits/ check every change against it again.
 *
 * It owns
 *   - the states and their groupings (open, final, movable, holds the car,
 *     awaiting the city's decision, confirmed, visible to the public) — STATE_TABLE;
 *   - the transitions, with who may take them (as permissions of
 *     app/permissions.ts) and the fields each requires — TRANSITIONS;
 *   - which changes to a confirmed visit need the city's approval again —
 *     reapprovalFor().
 * Nothing else writes a list of states: ask statesWhere() / the predicates.
 *
 * Group visits (団体訪問)
 *   requested → screening → awaiting_city → approved → completed
 *   awaiting_city → changes_requested (city, comment) → awaiting_city (staff re-submits)
 *   awaiting_city → declined (city, reason)
 *   any open state → cancelled (staff with a reason, or the organisation)
 *   approved → awaiting_city when its date, time, venue or mode changes, or its
 *   head-count moves by more than the allowed share (re-approval)
 * Roaming / base sessions (巡回・拠点施設)
 *   planned → agreed (city, a month's schedule at once) → completed (staff)
 * Completing (実施済) happens only by entering the results on the day
 * (app/visits/results.server.ts): it requires them and is never a bare button.
 *   planned/agreed → cancelled (staff); agreed → planned when the session moves
 */
import type { Role, VisitKind, VisitMode, VisitStatus } from "../../db/enums";
import { addDays } from "../lib/dates";
import { VISIT_STATUS_LABELS } from "../lib/labels";
import { can, type Permission } from "../permissions";

/** Who acts: a signed-in role, or the organisation through its status link. */
export type Actor = Role | "organisation";

/** Group visits vs roaming/base sessions follow different halves of the machine. */
export type Track = "group" | "session";
export function trackOf(kind: VisitKind): Track {
  return kind === "group" ? "group" : "session";
}

// ---------------------------------------------------------------------------
// States

type StateInfo = {
  /** The tracks that use this state. */
  tracks: readonly Track[];
  /** Still going somewhere (not completed, declined or cancelled). */
  open: boolean;
  /** Its date, times and venue may still be changed (form or calendar drag). */
  movable: boolean;
  /** Holds the wrapping car for its times (kinds that use the car). */
  holdsCar: boolean;
  /** Waits for the city's decision or is being prepared for it (group visits before approval). */
  undecided: boolean;
  /** Confirmed by the city (approved / agreed) or done after being confirmed. */
  confirmed: boolean;
  /** Residents may see it on /schedule and the public .ics (sessions only; group visits never). */
  publicVisible: boolean;
};

/** One row per state: the whole truth about groupings. */
export const STATE_TABLE: Readonly<Record<VisitStatus, StateInfo>> = {
  requested: { tracks: ["group"], open: true, movable: true, holdsCar: false, undecided: true, confirmed: false, publicVisible: false },
  screening: { tracks: ["group"], open: true, movable: true, holdsCar: false, undecided: true, confirmed: false, publicVisible: false },
  awaiting_city: { tracks: ["group"], open: true, movable: true, holdsCar: true, undecided: true, confirmed: false, publicVisible: false },
  // Sent back by the city: the car stays held so the slot cannot be taken while staff fix it.
  changes_requested: { tracks: ["group"], open: true, movable: true, holdsCar: true, undecided: true, confirmed: false, publicVisible: false },
  approved: { tracks: ["group"], open: true, movable: true, holdsCar: true, undecided: false, confirmed: true, publicVisible: false },
  planned: { tracks: ["session"], open: true, movable: true, holdsCar: true, undecided: true, confirmed: false, publicVisible: false },
  agreed: { tracks: ["session"], open: true, movable: true, holdsCar: true, undecided: false, confirmed: true, publicVisible: true },
  completed: { tracks: ["group", "session"], open: false, movable: false, holdsCar: false, undecided: false, confirmed: true, publicVisible: false },
  declined: { tracks: ["group"], open: false, movable: false, holdsCar: false, undecided: false, confirmed: false, publicVisible: false },
  cancelled: { tracks: ["group", "session"], open: false, movable: false, holdsCar: false, undecided: false, confirmed: false, publicVisible: false },
};

/** Kinds that travel in the wrapping car (base-facility sessions bring staff and kit only). */
export function usesCar(kind: VisitKind): boolean {
  return kind !== "base";
}

export function statesOf(track: Track): VisitStatus[] {
  return (Object.keys(STATE_TABLE) as VisitStatus[]).filter((s) => STATE_TABLE[s].tracks.includes(track));
}

/** The states of a track (or of both) that have a property: for SQL `in (...)` lists. */
export function statesWhere(property: keyof Omit<StateInfo, "tracks">, track?: Track): VisitStatus[] {
  return (Object.keys(STATE_TABLE) as VisitStatus[]).filter((s) => STATE_TABLE[s][property] && (!track || STATE_TABLE[s].tracks.includes(track)));
}

/** Confirmed and still to happen (approved group visits, agreed sessions): reminders, the Today view. */
export function upcomingStates(track?: Track): VisitStatus[] {
  return statesWhere("confirmed", track).filter((s) => STATE_TABLE[s].open);
}

/** Happened (実施済): confirmed and closed. */
export const DONE_STATES: readonly VisitStatus[] = statesWhere("confirmed").filter((s) => !STATE_TABLE[s].open);

export const GROUP_STATES: readonly VisitStatus[] = statesOf("group");
export const SESSION_STATES: readonly VisitStatus[] = statesOf("session");

export function isOpen(status: VisitStatus): boolean {
  return STATE_TABLE[status].open;
}
/** States no transition leaves. */
export function isFinal(status: VisitStatus): boolean {
  return !STATE_TABLE[status].open;
}
export function isMovable(kind: VisitKind, status: VisitStatus): boolean {
  return STATE_TABLE[status].movable && STATE_TABLE[status].tracks.includes(trackOf(kind));
}
/** Whether a visit in this state blocks the car for its times (with buffers). */
export function holdsCar(kind: VisitKind, status: VisitStatus): boolean {
  return usesCar(kind) && STATE_TABLE[status].holdsCar && STATE_TABLE[status].tracks.includes(trackOf(kind));
}
export function isConfirmed(status: VisitStatus): boolean {
  return STATE_TABLE[status].confirmed;
}
/** Residents may see this session publicly. Group visits are private to their group, always. */
export function isPublic(kind: VisitKind, status: VisitStatus): boolean {
  return kind !== "group" && STATE_TABLE[status].publicVisible;
}
/** Shown faded and hidden by default on the calendar (取消・見送り). */
export const INACTIVE_STATES: readonly VisitStatus[] = (Object.keys(STATE_TABLE) as VisitStatus[]).filter((s) => !STATE_TABLE[s].open && !STATE_TABLE[s].confirmed);

export type WaitingOn = "staff" | "organisation" | "city" | null;
export const WAITING_ON_LABELS: Record<Exclude<WaitingOn, null>, string> = { staff: "受託者", organisation: "団体", city: "市" };

/** Who the next step of a visit waits on. */
export function waitingOn(status: VisitStatus): WaitingOn {
  switch (status) {
    case "requested":
    case "changes_requested":
      return "staff";
    case "screening":
      return "organisation";
    case "awaiting_city":
    case "planned":
      return "city";
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------
// Transitions

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

/** Fields a transition needs before it may happen ("results": the day's results are recorded). */
export type RequiredField = "comment" | "date" | "times" | "venue" | "expectedApplicants" | "results";

/** Who may take a transition: a permission of app/permissions.ts, or the organisation through its status link. */
export type TransitionActor = Permission | "organisation";

export type TransitionDef = {
  name: TransitionName;
  track: Track;
  from: readonly VisitStatus[];
  to: VisitStatus;
  by: TransitionActor;
  requires: readonly RequiredField[];
  /** Button label. */
  label: string;
  /**
   * Performed by the system as a consequence of placing a visit (not offered
   * as a button): "placed" whenever staff set its date, times or venue;
   * "changed" only when the change needs the city's decision again;
   * "results" when staff enter the day's results (app/visits/results.server.ts).
   */
  implicit?: "placed" | "changed" | "results";
};

const OPEN_GROUP = statesWhere("open", "group");
const OPEN_SESSION = statesWhere("open", "session");

export const TRANSITIONS: readonly TransitionDef[] = [
  // ---- group visits ----
  { name: "start_screening", track: "group", from: ["requested"], to: "screening", by: "visits.manage", requires: [], label: "調整を始める" },
  {
    name: "submit_for_approval",
    track: "group",
    from: ["screening", "changes_requested"],
    to: "awaiting_city",
    by: "visits.manage",
    requires: ["date", "times", "venue", "expectedApplicants"],
    label: "市に承認を依頼する",
  },
  { name: "approve", track: "group", from: ["awaiting_city"], to: "approved", by: "visits.approve", requires: [], label: "承認する" },
  { name: "request_changes", track: "group", from: ["awaiting_city"], to: "changes_requested", by: "visits.approve", requires: ["comment"], label: "修正を依頼する" },
  { name: "decline", track: "group", from: ["awaiting_city"], to: "declined", by: "visits.approve", requires: ["comment"], label: "見送る" },
  { name: "cancel", track: "group", from: OPEN_GROUP, to: "cancelled", by: "visits.manage", requires: ["comment"], label: "取り消す" },
  // Organisations may leave the reason empty (older volunteers on a phone); the status page asks for it politely.
  { name: "organisation_cancel", track: "group", from: OPEN_GROUP, to: "cancelled", by: "organisation", requires: [], label: "申込を取り消す" },
  // Entering the results completes the visit (and moves the organisation's stage): no bare button.
  { name: "complete", track: "group", from: ["approved"], to: "completed", by: "visits.manage", requires: ["results"], label: "実施済にする", implicit: "results" },
  {
    name: "reschedule_approved",
    track: "group",
    from: ["approved"],
    to: "awaiting_city",
    by: "visits.manage",
    requires: ["date", "times", "venue", "expectedApplicants"],
    label: "確定内容を変更して再承認を依頼",
    implicit: "changed",
  },
  // ---- roaming / base sessions ----
  { name: "agree_schedule", track: "session", from: ["planned"], to: "agreed", by: "visits.approve", requires: [], label: "この月の予定に合意する" },
  { name: "cancel", track: "session", from: OPEN_SESSION, to: "cancelled", by: "visits.manage", requires: ["comment"], label: "取り消す" },
  { name: "complete", track: "session", from: ["agreed"], to: "completed", by: "visits.manage", requires: ["results"], label: "実施済にする", implicit: "results" },
  { name: "replan", track: "session", from: ["agreed"], to: "planned", by: "visits.manage", requires: [], label: "予定を変更する（再合意が必要）", implicit: "changed" },
];

export const TRANSITION_NAMES: readonly TransitionName[] = [...new Set(TRANSITIONS.map((t) => t.name))];

/** The state a new visit of this kind starts in (a request from an organisation, or a planned session). */
export function initialState(kind: VisitKind): VisitStatus {
  return kind === "group" ? "requested" : "planned";
}

/**
 * The transition that placing a visit (new date, times, venue, head-count or
 * mode) brings with it: a requested visit starts screening; a confirmed one
 * goes back to the city when `needsCity` (see reapprovalFor). Null: none.
 */
export function placementTransition(kind: VisitKind, status: VisitStatus, needsCity: boolean): TransitionName | null {
  const track = trackOf(kind);
  if (status === initialState(kind) && track === "group") return "start_screening";
  const t = TRANSITIONS.find((d) => d.track === track && d.implicit === "changed" && d.from.includes(status));
  return t && needsCity ? t.name : null;
}

/** The states a transition of a track may start from (for SQL lists). */
export function transitionFrom(name: TransitionName, track: Track): VisitStatus[] {
  return TRANSITIONS.filter((t) => t.name === name && t.track === track).flatMap((t) => [...t.from]);
}

/** Transitions whose comment is kept as the visit's status reason. */
export function keepsReason(name: TransitionName): boolean {
  return name === "request_changes" || name === "decline" || name === "cancel" || name === "organisation_cancel";
}

/** May this actor take a transition guarded by `by`? */
export function actorMay(actor: Actor, by: TransitionActor): boolean {
  if (by === "organisation") return actor === "organisation";
  // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, can() grants nothing to "organisation" (not a role); kept as a second guard.
  return actor !== "organisation" && can(actor, by);
}

function whoMay(by: TransitionActor): string {
  switch (by) {
    case "organisation":
      return "申込団体のみ";
    case "visits.approve":
      return "市職員のみ";
    case "visits.manage":
      return "受託者の担当者のみ";
    // Stryker disable next-line all: unreachable, every transition is guarded by one of the three above.
    default:
      // Stryker disable next-line all: unreachable, as above.
      return "権限のある利用者のみ";
  }
}

/** What a visit looks like to the required-field check. */
export type VisitFacts = {
  date: string | null;
  startsAt: string | null;
  endsAt: string | null;
  venue: string | null;
  expectedApplicants: number | null;
  /** The day's results are recorded (visit_results has its row). */
  results?: boolean;
};

const MISSING_MESSAGES: Record<Exclude<RequiredField, "comment" | "results">, string> = {
  date: "訪問日を登録してください。",
  times: "開始・終了時刻を登録してください。",
  venue: "会場を登録してください。",
  expectedApplicants: "申請予定人数を登録してください。",
};

export type TransitionCheck = { ok: true; def: TransitionDef; to: VisitStatus } | { ok: false; message: string; field?: RequiredField };

/**
 * May `actor` apply `transition` to a visit of `kind` in state `from`, with
 * these facts and comment? A refusal carries a Japanese message saying why.
 */
export function checkTransition(input: {
  kind: VisitKind;
  from: VisitStatus;
  transition: string;
  actor: Actor;
  comment?: string | null;
  facts?: VisitFacts;
}): TransitionCheck {
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
    return {
      ok: false,
      message: `「${VISIT_STATUS_LABELS[input.from]}」の状態からは「${candidates[0].label}」はできません。画面を再読み込みして、現在の状態を確認してください。`,
    };
  }
  if (!actorMay(input.actor, def.by)) return { ok: false, message: `「${def.label}」は${whoMay(def.by)}が行えます。` };
  for (const field of def.requires) {
    if (field === "comment") {
      if (!(input.comment ?? "").trim()) return { ok: false, message: `「${def.label}」には理由（コメント）の入力が必要です。`, field };
      continue;
    }
    if (field === "results") {
      // Asked even without facts: nothing completes a visit except its results.
      if (!input.facts?.results) return { ok: false, message: `「${def.label}」には当日の実績の入力が必要です。実績入力の画面で実績を保存すると実施済になります。`, field };
      continue;
    }
    const f = input.facts;
    if (!f) continue;
    const missing =
      (field === "date" && !f.date) ||
      (field === "times" && (!f.startsAt || !f.endsAt)) ||
      (field === "venue" && !f.venue) ||
      // Stryker disable next-line EqualityOperator: equivalent, `> 0` and `>= 0` differ only at 0, which the truthiness test already refuses.
      (field === "expectedApplicants" && !(f.expectedApplicants && f.expectedApplicants > 0));
    if (missing) return { ok: false, message: `「${def.label}」の前に${MISSING_MESSAGES[field]}`, field };
  }
  return { ok: true, def, to: def.to };
}

/** Transitions `actor` may offer as buttons for a visit in this state (implicit ones excluded). */
export function allowedTransitions(kind: VisitKind, status: VisitStatus, actor: Actor): TransitionDef[] {
  const track = trackOf(kind);
  return TRANSITIONS.filter((t) => t.track === track && !t.implicit && t.from.includes(status) && actorMay(actor, t.by));
}

/** Whether a transition requires a comment (for forms). */
export function requiresComment(def: TransitionDef): boolean {
  return def.requires.includes("comment");
}

/** A Markdown table of the whole machine (README). */
export function lifecycleTable(): string {
  const rows = TRANSITIONS.map(
    (t) =>
      `| ${t.track === "group" ? "団体訪問" : "巡回・拠点"} | \`${t.name}\` | ${t.from.map((s) => `\`${s}\``).join(", ")} | \`${t.to}\` | ${whoMay(t.by)} | ${t.requires.length ? t.requires.join(", ") : "—"} |`,
  );
  return ["| kind | transition | from | to | who | requires |", "|---|---|---|---|---|---|", ...rows].join("\n");
}

// ---------------------------------------------------------------------------
// What the city approved, and which changes need its approval again

/** What a decision was about: kept with the approval row, so later edits never rewrite history. */
export type ApprovalSnapshot = {
  date: string | null;
  startsAt: string | null;
  endsAt: string | null;
  venueId: number | null;
  venue: string;
  expectedApplicants: number | null;
  mode: VisitMode;
};

export type Reapproval =
  /** Nothing the city decided on changed. */
  | { kind: "none" }
  /** A small head-count correction: the city and the organisation are told, no new decision. */
  | { kind: "notify"; reasons: string[] }
  /** The city must decide again. */
  | { kind: "reapprove"; reasons: string[] };

/**
 * Compare what the city approved with what the visit would become. Date,
 * time, venue and mode changes always need approval again; a head-count
 * change does when it moves by more than `headcountShare` of the approved
 * number or above `maxApplicants`; smaller corrections only notify.
 */
export function reapprovalFor(
  approved: ApprovalSnapshot,
  next: ApprovalSnapshot,
  rules: { headcountReapprovalPercent: number; maxApplicants: number },
): Reapproval {
  const reasons: string[] = [];
  if (approved.date !== next.date) reasons.push("訪問日");
  if (approved.startsAt !== next.startsAt || approved.endsAt !== next.endsAt) reasons.push("時刻");
  if ((approved.venueId ?? null) !== (next.venueId ?? null) || approved.venue !== next.venue) reasons.push("会場");
  if (approved.mode !== next.mode) reasons.push("方式");
  const before = approved.expectedApplicants ?? 0;
  const after = next.expectedApplicants ?? 0;
  if (before !== after) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, with before = 0 the division gives Infinity too (after ≠ before here).
    const share = before > 0 ? Math.abs(after - before) / before : Infinity;
    if (share * 100 > rules.headcountReapprovalPercent || after > rules.maxApplicants) reasons.push("申請予定人数");
    else if (reasons.length === 0) return { kind: "notify", reasons: ["申請予定人数"] };
  }
  return reasons.length ? { kind: "reapprove", reasons } : { kind: "none" };
}

// ---------------------------------------------------------------------------
// The organisation's own cancel

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
