/**
 * The DB side of the visit lifecycle. Every change of a visit's status,
 * schedule or car hold goes through here, in ONE writeTransaction() (BEGIN
 * IMMEDIATE): the state machine (./lifecycle), the role, the optimistic
 * version, the car's overlap check and hold, the city's append-only decision,
 * the CRM timeline and stage, the audit trail and the organisation's email
 * all commit together or not at all.
 *
 * User errors come back as { ok: false, message } (Japanese, saying how to fix
 * it); nothing here throws for them.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lte, sql } from "drizzle-orm";
import { z } from "zod";
import {
  activities,
  approvals,
  organisations,
  users,
  vehicles,
  venues,
  visitRequests,
  visits,
  VISIT_MODES,
  type VisitKind,
  type VisitMode,
  type VisitStatus,
} from "../../db/schema";
import { audit } from "../audit.server";
import type { SessionUser } from "../auth.server";
import { followVisitStatus, logActivity } from "../crm/activities.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { addDays, daysBetween, formatDate, isNationalHoliday, isValidYmd, isWeekend, todayInTokyo } from "../lib/dates";
import { VISIT_STATUS_LABELS } from "../lib/labels";
import { freeText } from "../lib/validation";
import { queueOrganisationCancelNotice, queueVisitEmail } from "../requests/notifications.server";
import { getActiveProgram, getSettings } from "../settings.server";
import { carHoldRange, clashMessage, findCarClash } from "./car.server";
import { checkTransition, holdsCar, organisationMayCancel, type Actor, type TransitionName } from "./lifecycle";

export type ActorInput = SessionUser | { role: "organisation" };
export type Refusal = { ok: false; message: string; field?: string };
export type TransitionResult = { ok: true; status: VisitStatus; version: number; warning?: string } | Refusal;

type VisitRow = typeof visits.$inferSelect;

const STALE_VERSION = "他の人がこの訪問を先に更新しました。画面を再読み込みして最新の内容を確認してから、もう一度操作してください。";
const NOT_FOUND = "訪問が見つかりません。一覧から選び直してください。";

function actorOf(a: ActorInput): { actor: Actor; userId: number | null } {
  return a.role === "organisation" ? { actor: "organisation", userId: null } : { actor: a.role, userId: (a as SessionUser).id };
}

const commentSchema = freeText(1000, { multiline: true });

/** The venue's name as the city and the organisation know it (a venue row, or the request's own text). */
export function venueLabel(tx: Tx | Db, visit: Pick<VisitRow, "venueId" | "requestId">): string {
  if (visit.venueId) {
    const v = tx.select({ name: venues.name }).from(venues).where(eq(venues.id, visit.venueId)).get();
    if (v) return v.name;
  }
  if (visit.requestId) {
    const r = tx.select({ venueText: visitRequests.venueText }).from(visitRequests).where(eq(visitRequests.id, visit.requestId)).get();
    if (r) return r.venueText;
  }
  return "";
}

/** What a decision was about: kept with the approval row, so later edits never rewrite history. */
export function snapshotOf(tx: Tx | Db, visit: VisitRow) {
  return {
    date: visit.date,
    startsAt: visit.startsAt,
    endsAt: visit.endsAt,
    venue: venueLabel(tx, visit),
    expectedApplicants: visit.expectedApplicants,
  };
}

function defaultVehicleId(tx: Tx): number | null {
  return tx.select({ id: vehicles.id }).from(vehicles).where(eq(vehicles.active, true)).orderBy(asc(vehicles.id)).get()?.id ?? null;
}

/**
 * Hold the car for a visit's times (check + write in the caller's IMMEDIATE
 * transaction). Returns the hold range, or the clash message of the visit
 * already holding it.
 */
export function holdCar(
  tx: Tx,
  visit: { id: number; vehicleId: number | null; startsAt: string; endsAt: string },
): { ok: true; holdStartsAt: string; holdEndsAt: string; vehicleId: number } | Refusal {
  const vehicleId = visit.vehicleId ?? defaultVehicleId(tx);
  if (!vehicleId) return { ok: false, message: "ラッピングカーが登録されていません。管理者に車両の登録を依頼してください。" };
  const range = carHoldRange(visit.startsAt, visit.endsAt, getSettings(tx));
  const clash = findCarClash(tx, { vehicleId, ...range, excludeVisitId: visit.id });
  if (clash) return { ok: false, message: clashMessage(clash) };
  tx.update(visits).set({ vehicleId, ...range }).where(eq(visits.id, visit.id)).run();
  return { ok: true, vehicleId, ...range };
}

/** Short-notice warning (not a block): approval asked fewer than approvalWarnDays before the visit. */
export function shortNoticeWarning(date: string | null, warnDays: number, today = todayInTokyo()): string | undefined {
  if (!date) return undefined;
  const days = daysBetween(today, date);
  if (days < warnDays) {
    return `訪問日（${formatDate(date)}）まで${days}日しかありません。市の承認には通常${warnDays}日ほどかかるため、市の担当者に電話でも連絡してください。`;
  }
  return undefined;
}

function missingForApproval(tx: Tx, v: VisitRow): string | null {
  if (!v.date || !v.startsAt || !v.endsAt) return "承認を依頼する前に、訪問日と開始・終了時刻を登録してください。";
  if (!venueLabel(tx, v)) return "承認を依頼する前に、会場を登録してください。";
  if (!v.expectedApplicants || v.expectedApplicants <= 0) return "承認を依頼する前に、申請予定人数を登録してください。";
  if (v.date < todayInTokyo()) return "訪問日が過ぎています。日程を変更してから承認を依頼してください。";
  return null;
}

const DECISIONS: Partial<Record<TransitionName, "approved" | "changes_requested" | "declined">> = {
  approve: "approved",
  request_changes: "changes_requested",
  decline: "declined",
};

const ACTIVITY_SUMMARY: Partial<Record<TransitionName, string>> = {
  start_screening: "申込内容の確認・調整を開始",
  submit_for_approval: "市へ承認を依頼",
  approve: "市が訪問を承認",
  request_changes: "市から修正依頼",
  decline: "市が見送りと判断",
  cancel: "訪問を取消（担当者）",
  organisation_cancel: "団体が状況確認ページから取消",
  complete: "訪問を実施済にした",
  reschedule_approved: "確定済の日時・会場を変更（市の再承認待ち）",
};

/**
 * Write a status change that the machine has already allowed: status, reason,
 * version, car hold, decision row, timeline, CRM stage, audit, email.
 */
function writeStatusChange(
  tx: Tx,
  v: VisitRow,
  change: { transition: TransitionName; to: VisitStatus; userId: number | null; comment: string | null; nowIso: string; detail?: Record<string, unknown> },
) {
  const keepHold = holdsCar(v.kind, change.to);
  const version = v.version + 1;
  const reason = ["request_changes", "decline", "cancel", "organisation_cancel"].includes(change.transition) ? change.comment : null;
  tx.update(visits)
    .set({
      status: change.to,
      statusReason: reason,
      statusChangedAt: change.nowIso,
      version,
      updatedAt: change.nowIso,
      ...(keepHold ? {} : { holdStartsAt: null, holdEndsAt: null }),
    })
    .where(eq(visits.id, v.id))
    .run();
  const fresh = tx.select().from(visits).where(eq(visits.id, v.id)).get()!;

  const decision = DECISIONS[change.transition];
  let previouslyApproved = false;
  if (decision) {
    previouslyApproved = !!tx
      .select({ id: approvals.id })
      .from(approvals)
      .where(and(eq(approvals.visitId, v.id), eq(approvals.decision, "approved")))
      .get();
    tx.insert(approvals)
      .values({ visitId: v.id, decision, comment: change.comment || null, snapshot: snapshotOf(tx, fresh), decidedById: change.userId!, decidedAt: change.nowIso })
      .run();
  }

  if (v.kind === "group" && v.organisationId) {
    logActivity(tx, {
      organisationId: v.organisationId,
      kind: decision ? "approval" : "note",
      summary: ACTIVITY_SUMMARY[change.transition] ?? `状態を「${VISIT_STATUS_LABELS[change.to]}」に変更`,
      body: change.comment || null,
      visitId: v.id,
      requestId: v.requestId,
      userId: change.userId,
      occurredAt: change.nowIso,
    });
    followVisitStatus(tx, { organisationId: v.organisationId, status: change.to, userId: change.userId, visitId: v.id, reason: change.comment || null });
  }

  audit(
    {
      userId: change.userId,
      action: `visit.${change.transition}`,
      entity: "visit",
      entityId: v.id,
      detail: { from: v.status, to: change.to, comment: change.comment || undefined, ...change.detail },
    },
    tx,
  );

  if (v.kind === "group") {
    if (change.transition === "approve") queueVisitEmail(tx, previouslyApproved ? "changed" : "confirmed", v.id);
    else if (change.transition === "decline") queueVisitEmail(tx, "declined", v.id);
    else if (change.transition === "cancel" || change.transition === "organisation_cancel") {
      queueVisitEmail(tx, "cancelled", v.id);
      if (change.transition === "organisation_cancel") queueOrganisationCancelNotice(tx, fresh, v, change.comment);
      if (v.requestId) {
        tx.update(visitRequests).set({ cancelledAt: change.nowIso, cancelReason: change.comment || null }).where(eq(visitRequests.id, v.requestId)).run();
      }
    }
  }
  return fresh;
}

/**
 * Apply one transition of the machine to a visit. Roles, states, version,
 * car and every side effect are checked and written in one transaction.
 */
export function applyTransition(
  input: { visitId: number; transition: TransitionName | string; actor: ActorInput; comment?: string | null; expectedVersion?: number | null },
  db: Db = getDb(),
): TransitionResult {
  const { actor, userId } = actorOf(input.actor);
  const parsedComment = commentSchema.safeParse(input.comment ?? "");
  if (!parsedComment.success) return { ok: false, message: parsedComment.error.issues[0].message, field: "comment" };
  const comment = parsedComment.data;

  return refusable<TransitionResult>((tx) => {
    const v = tx.select().from(visits).where(eq(visits.id, input.visitId)).get();
    if (!v) return { ok: false, message: NOT_FOUND };
    if (input.transition === "agree_schedule") {
      return { ok: false, message: "巡回・拠点施設の予定は、月ごとの予定の画面でまとめて合意してください。" };
    }
    const check = checkTransition({ kind: v.kind, from: v.status, transition: input.transition, actor, comment });
    if (!check.ok) return { ok: false, message: check.message, field: check.message.includes("理由") ? "comment" : undefined };
    if (input.expectedVersion != null && input.expectedVersion !== v.version) return { ok: false, message: STALE_VERSION };
    const transition = check.def.name;
    const nowIso = new Date().toISOString();
    const today = todayInTokyo();
    let warning: string | undefined;

    switch (transition) {
      case "submit_for_approval": {
        const missing = missingForApproval(tx, v);
        if (missing) return { ok: false, message: missing };
        const held = holdCar(tx, { id: v.id, vehicleId: v.vehicleId, startsAt: v.startsAt!, endsAt: v.endsAt! });
        if (!held.ok) return held;
        warning = shortNoticeWarning(v.date, getSettings(tx).approvalWarnDays, today);
        break;
      }
      case "approve": {
        // A visit normally holds the car since submission; re-check when it does not (e.g. older data).
        if (!v.holdStartsAt && v.startsAt && v.endsAt) {
          const held = holdCar(tx, { id: v.id, vehicleId: v.vehicleId, startsAt: v.startsAt, endsAt: v.endsAt });
          if (!held.ok) return held;
        }
        if (v.date && v.date < today) return { ok: false, message: "訪問日が過ぎているため承認できません。修正を依頼するか見送ってください。" };
        break;
      }
      case "organisation_cancel": {
        const cutoff = getSettings(tx).cancelCutoffDays;
        if (!organisationMayCancel(v.status, v.date, cutoff, today)) {
          return {
            ok: false,
            message: `取消の期限（訪問日の${cutoff}日前）を過ぎたため、この画面からは取り消せません。お手数ですが、担当者へお電話でご連絡ください。`,
          };
        }
        break;
      }
      case "complete": {
        if (v.date && v.date > today) return { ok: false, message: `訪問日（${formatDate(v.date)}）より前に実施済にはできません。` };
        break;
      }
      default:
        break;
    }

    const fresh = writeStatusChange(tx, v, { transition, to: check.to, userId, comment: comment || null, nowIso, detail: warning ? { warning } : undefined });
    return { ok: true, status: fresh.status, version: fresh.version, warning };
  }, db);
}

// ---------------------------------------------------------------------------
// Scheduling

const hm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "時刻は 10:00 の形で入力してください。" });

export const scheduleSchema = z
  .object({
    date: z.string().refine(isValidYmd, { error: "訪問日を選んでください。" }),
    startTime: hm,
    endTime: hm,
    venueId: z.preprocess((v) => (v === "" || v == null ? undefined : Number(v)), z.number().int().positive().optional()),
    venueText: freeText(100).optional(),
    expectedApplicants: z.preprocess(
      (v) => (v === "" || v == null ? undefined : Number(String(v).normalize("NFKC"))),
      z.number({ error: "申請予定人数を数字で入力してください。" }).int({ error: "申請予定人数は整数で入力してください。" }).min(1, { error: "申請予定人数は1人以上にしてください。" }).max(10000, { error: "申請予定人数が多すぎます。" }),
    ),
    mode: z.enum(VISIT_MODES, { error: "方式を選んでください。" }),
    notes: freeText(1000, { multiline: true }).optional(),
    expectedVersion: z.preprocess((v) => (v === "" || v == null ? undefined : Number(v)), z.number().int().optional()),
  })
  .refine((s) => s.startTime < s.endTime, { error: "終了時刻は開始時刻より後にしてください。", path: ["endTime"] });

export type ScheduleInput = z.input<typeof scheduleSchema>;
export type ScheduleResult = { ok: true; status: VisitStatus; version: number; message: string; warning?: string } | (Refusal & { errors?: Record<string, string> });

type NewTimes = { date: string; startsAt: string; endsAt: string; venueId: number | null };

/**
 * Move a visit (any kind) to new times / venue inside the caller's
 * transaction, applying the re-approval / re-agreement rule and the car's
 * clash check. `extra` carries fields that do not need re-approval.
 */
function moveVisit(
  tx: Tx,
  v: VisitRow,
  next: NewTimes,
  extra: { expectedApplicants?: number; mode?: VisitMode; notes?: string | null },
  userId: number,
): { ok: true; status: VisitStatus; version: number; message: string } | Refusal {
  const nowIso = new Date().toISOString();
  const today = todayInTokyo();
  if (["completed", "declined", "cancelled"].includes(v.status)) {
    return { ok: false, message: `「${VISIT_STATUS_LABELS[v.status]}」の訪問は変更できません。` };
  }
  if (next.date < today) return { ok: false, message: "過去の日付には変更できません。今日以降の日付を選んでください。", field: "date" };
  if (next.startsAt.slice(0, 10) !== next.date || next.endsAt.slice(0, 10) !== next.date || next.startsAt >= next.endsAt) {
    return { ok: false, message: "開始と終了は同じ日のうちで、終了を開始より後にしてください。", field: "endTime" };
  }
  if (v.kind === "base" && !(isWeekend(next.date) || isNationalHoliday(next.date))) {
    return { ok: false, message: "拠点施設の窓口は土曜・日曜・祝日にだけ設定できます。", field: "date" };
  }
  const program = getActiveProgram(tx);
  if (program && (next.date < program.startsOn || next.date > program.endsOn)) {
    return { ok: false, message: `業務期間（${formatDate(program.startsOn)}〜${formatDate(program.endsOn)}）内の日付を選んでください。`, field: "date" };
  }

  const moved = next.date !== v.date || next.startsAt !== v.startsAt || next.endsAt !== v.endsAt || (next.venueId ?? null) !== (v.venueId ?? null);
  let status: VisitStatus = v.status;
  let transition: TransitionName | null = null;
  if (v.status === "requested") transition = "start_screening";
  if (moved && v.status === "approved") transition = "reschedule_approved";
  if (moved && v.kind !== "group" && v.status === "agreed") transition = "replan";
  if (transition) {
    const check = checkTransition({ kind: v.kind, from: v.status, transition, actor: "outreach" });
    if (!check.ok) return check;
    status = check.to;
  }

  // Write the new times first, then hold the car on them (the hold reads the row's id only).
  tx.update(visits)
    .set({
      date: next.date,
      startsAt: next.startsAt,
      endsAt: next.endsAt,
      venueId: next.venueId,
      ...(extra.expectedApplicants != null ? { expectedApplicants: extra.expectedApplicants } : {}),
      ...(extra.mode ? { mode: extra.mode } : {}),
      ...(extra.notes !== undefined ? { notes: extra.notes || null } : {}),
      updatedAt: nowIso,
    })
    .where(eq(visits.id, v.id))
    .run();
  if (holdsCar(v.kind, status)) {
    const held = holdCar(tx, { id: v.id, vehicleId: v.vehicleId, startsAt: next.startsAt, endsAt: next.endsAt });
    if (!held.ok) {
      // Roll back this move only: the outer transaction is aborted by throwing below.
      throw new RefusedError(held.message);
    }
  } else {
    tx.update(visits).set({ holdStartsAt: null, holdEndsAt: null }).where(eq(visits.id, v.id)).run();
  }

  const updated = tx.select().from(visits).where(eq(visits.id, v.id)).get()!;
  let version = updated.version;
  if (transition) {
    const fresh = writeStatusChange(tx, updated, { transition, to: status, userId, comment: null, nowIso, detail: moved ? { from: pick(v), to: next } : undefined });
    version = fresh.version;
  } else {
    version = updated.version + 1;
    tx.update(visits).set({ version }).where(eq(visits.id, v.id)).run();
    audit({ userId, action: "visit.schedule", entity: "visit", entityId: v.id, detail: { from: pick(v), to: next, ...extra } }, tx);
    if (v.kind === "group" && v.organisationId && moved) {
      logActivity(tx, {
        organisationId: v.organisationId,
        kind: "note",
        summary: `日程を登録: ${formatDate(next.date)} ${next.startsAt.slice(11)}〜${next.endsAt.slice(11)}`,
        visitId: v.id,
        requestId: v.requestId,
        userId,
        occurredAt: nowIso,
      });
    }
    // A confirmed visit whose head-count or mode changed: the organisation is told.
    if (v.kind === "group" && v.status === "approved" && !moved && (extra.expectedApplicants !== v.expectedApplicants || (extra.mode && extra.mode !== v.mode))) {
      queueVisitEmail(tx, "changed", v.id);
    }
  }

  const message =
    transition === "reschedule_approved"
      ? "日時・会場を変更しました。確定済の訪問だったため、市の再承認待ちに戻りました。"
      : transition === "replan"
        ? "予定を変更しました。市と合意済の予定だったため、計画中に戻りました（月の予定として再度合意が必要です）。"
        : "日程を保存しました。";
  return { ok: true, status, version, message };
}

function pick(v: VisitRow) {
  return { date: v.date, startsAt: v.startsAt, endsAt: v.endsAt, venueId: v.venueId };
}

class RefusedError extends Error {}

/** Run a write that may refuse half-way (after writing): the refusal rolls the whole transaction back. */
function refusable<T>(fn: (tx: Tx) => T | Refusal, db: Db): T | Refusal {
  let refusal: Refusal | undefined;
  try {
    return writeTransaction((tx) => {
      const result = fn(tx);
      if (result && typeof result === "object" && (result as { ok?: unknown }).ok === false) {
        // Any refusal rolls back whatever was written before it: never a half-written record.
        refusal = result as Refusal;
        throw new RefusedError(refusal.message);
      }
      return result;
    }, db);
  } catch (error) {
    if (error instanceof RefusedError) return refusal ?? { ok: false, message: error.message };
    throw error;
  }
}

/** Find or create the organisation's own site named as staff typed it (group visits happen at the organisation's place). */
function venueForText(tx: Tx, organisationId: number | null, name: string): number {
  const existing = tx
    .select({ id: venues.id })
    .from(venues)
    .where(and(eq(venues.name, name), organisationId ? eq(venues.organisationId, organisationId) : isNull(venues.organisationId)))
    .get();
  if (existing) return existing.id;
  return tx.insert(venues).values({ name, kind: "organisation_site", organisationId }).returning({ id: venues.id }).get().id;
}

/**
 * Staff set a group visit's date, times, venue, head-count and mode
 * (調整中). A requested visit moves to screening; an approved one whose date,
 * time or venue moves goes back to the city; a held car is re-checked.
 */
export function scheduleVisit(input: { visitId: number } & ScheduleInput, user: SessionUser, db: Db = getDb()): ScheduleResult {
  const parsed = scheduleSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "_form")] ??= issue.message;
    return { ok: false, message: "入力内容を確認してください。", errors };
  }
  const s = parsed.data;
  if (!["admin", "manager", "outreach"].includes(user.role)) return { ok: false, message: "日程の登録は受託者の担当者が行います。" };
  const result = refusable((tx) => {
    const v = tx.select().from(visits).where(eq(visits.id, input.visitId)).get();
    if (!v) return { ok: false as const, message: NOT_FOUND };
    if (v.kind !== "group") return { ok: false as const, message: "巡回・拠点施設の予定はカレンダーから変更してください。" };
    if (s.expectedVersion != null && s.expectedVersion !== v.version) return { ok: false as const, message: STALE_VERSION };
    let venueId: number | null = v.venueId;
    if (s.venueId) {
      if (!tx.select({ id: venues.id }).from(venues).where(eq(venues.id, s.venueId)).get()) {
        return { ok: false as const, message: "選んだ会場が見つかりません。", field: "venueId" };
      }
      venueId = s.venueId;
    } else if (s.venueText) {
      venueId = venueForText(tx, v.organisationId, s.venueText);
    } else if (!venueLabel(tx, v)) {
      return { ok: false as const, message: "会場を選ぶか入力してください。", field: "venueText" };
    }
    return moveVisit(
      tx,
      v,
      { date: s.date, startsAt: `${s.date}T${s.startTime}`, endsAt: `${s.date}T${s.endTime}`, venueId },
      { expectedApplicants: s.expectedApplicants, mode: s.mode, notes: s.notes },
      user.id,
    );
  }, db);
  if (!result.ok) return { ...result, errors: result.field ? { [result.field]: result.message } : undefined };
  return result;
}

/**
 * Move a visit or session to new times (calendar drag-and-drop, or the
 * schedule form): re-approval for approved group visits, re-agreement for
 * agreed sessions, clash check for every visit holding the car.
 */
export function rescheduleVisit(
  input: { visitId: number; startsAt: string; endsAt: string; venueId?: number | null; expectedVersion?: number | null },
  user: SessionUser,
  db: Db = getDb(),
): { ok: true; status: VisitStatus; version: number; message: string } | Refusal {
  if (!["admin", "manager", "outreach"].includes(user.role)) return { ok: false, message: "予定の変更は受託者の担当者が行います。" };
  const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
  const startsAt = input.startsAt.slice(0, 16);
  const endsAt = input.endsAt.slice(0, 16);
  if (!local.test(startsAt) || !local.test(endsAt) || !isValidYmd(startsAt.slice(0, 10))) {
    return { ok: false, message: "日時の形式が正しくありません。画面を再読み込みしてお試しください。" };
  }
  return refusable((tx) => {
    const v = tx.select().from(visits).where(eq(visits.id, input.visitId)).get();
    if (!v) return { ok: false as const, message: NOT_FOUND };
    if (input.expectedVersion != null && input.expectedVersion !== v.version) return { ok: false as const, message: STALE_VERSION };
    return moveVisit(tx, v, { date: startsAt.slice(0, 10), startsAt, endsAt, venueId: input.venueId === undefined ? v.venueId : input.venueId }, {}, user.id);
  }, db);
}

const sessionSchema = z.object({
  kind: z.enum(["roaming", "base"], { error: "種類を選んでください。" }),
  mode: z.enum(VISIT_MODES, { error: "方式を選んでください。" }),
  venueId: z.coerce.number({ error: "会場を選んでください。" }).int().positive({ error: "会場を選んでください。" }),
  date: z.string().refine(isValidYmd, { error: "日付を選んでください。" }),
  startsAt: z.string().min(4, { error: "開始時刻を入力してください。" }),
  endsAt: z.string().min(4, { error: "終了時刻を入力してください。" }),
  notes: freeText(1000, { multiline: true }).optional().nullable(),
});

/**
 * Plan a roaming (巡回) or base-facility (拠点施設) session (計画中). Roaming
 * sessions hold the car at once; base sessions have no car and run only on
 * Saturdays, Sundays and national holidays.
 */
export function createSession(
  input: { kind: "roaming" | "base"; mode: VisitMode; venueId: number; date: string; startsAt: string; endsAt: string; notes?: string | null },
  user: SessionUser,
  db: Db = getDb(),
): { ok: true; id: number } | (Refusal & { errors?: Record<string, string> }) {
  if (!["admin", "manager", "outreach"].includes(user.role)) return { ok: false, message: "予定の作成は受託者の担当者が行います。" };
  const parsed = sessionSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "_form")] ??= issue.message;
    return { ok: false, message: Object.values(errors)[0] ?? "入力内容を確認してください。", errors };
  }
  const s = parsed.data;
  const full = (t: string) => (t.length <= 5 ? `${s.date}T${t.padStart(5, "0")}` : t.slice(0, 16));
  const startsAt = full(s.startsAt);
  const endsAt = full(s.endsAt);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(startsAt) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(endsAt)) {
    return { ok: false, message: "時刻は 10:00 の形で入力してください。", field: "startsAt" };
  }
  if (startsAt.slice(0, 10) !== s.date || endsAt.slice(0, 10) !== s.date || startsAt >= endsAt) {
    return { ok: false, message: "終了時刻は開始時刻より後（同じ日のうち）にしてください。", field: "endsAt" };
  }
  if (s.date < todayInTokyo()) return { ok: false, message: "過去の日付には予定を作れません。", field: "date" };
  if (s.kind === "base" && !(isWeekend(s.date) || isNationalHoliday(s.date))) {
    return { ok: false, message: "拠点施設の窓口は土曜・日曜・祝日にだけ設定できます。", field: "date" };
  }
  return refusable((tx) => {
    const program = getActiveProgram(tx);
    if (!program) return { ok: false as const, message: "実施中の業務が登録されていません。管理者に業務期間の設定を依頼してください。" };
    if (s.date < program.startsOn || s.date > program.endsOn) {
      return { ok: false as const, message: `業務期間（${formatDate(program.startsOn)}〜${formatDate(program.endsOn)}）内の日付を選んでください。`, field: "date" };
    }
    const venue = tx.select().from(venues).where(eq(venues.id, s.venueId)).get();
    if (!venue) return { ok: false as const, message: "選んだ会場が見つかりません。", field: "venueId" };
    const title = s.kind === "roaming" ? `巡回申請サポート ${venue.name}` : `拠点窓口（${s.mode === "accept" ? "受付方式" : "サポート方式"}） ${venue.name}`;
    const row = tx
      .insert(visits)
      .values({
        programId: program.id,
        kind: s.kind,
        mode: s.mode,
        status: "planned",
        title,
        venueId: venue.id,
        vehicleId: null,
        date: s.date,
        startsAt,
        endsAt,
        ownerId: user.id,
        notes: s.notes || null,
      })
      .returning({ id: visits.id })
      .get();
    if (s.kind === "roaming") {
      const held = holdCar(tx, { id: row.id, vehicleId: null, startsAt, endsAt });
      if (!held.ok) throw new RefusedError(held.message);
    }
    audit({ userId: user.id, action: "visit.create_session", entity: "visit", entityId: row.id, detail: { kind: s.kind, date: s.date, startsAt, endsAt, venueId: venue.id } }, tx);
    return { ok: true as const, id: row.id };
  }, db);
}

/**
 * The city agrees a month's roaming and base-facility schedule in one
 * decision: every planned session of the month becomes agreed, with one
 * append-only approvals row for the month.
 */
export function agreeMonthSchedule(
  input: { month: string; comment?: string | null; user: SessionUser },
  db: Db = getDb(),
): { ok: true; count: number } | Refusal {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.month)) return { ok: false, message: "月の指定が正しくありません。" };
  if (input.user.role !== "city") return { ok: false, message: "月の予定への合意は市職員のみが行えます。" };
  const parsedComment = commentSchema.safeParse(input.comment ?? "");
  if (!parsedComment.success) return { ok: false, message: parsedComment.error.issues[0].message, field: "comment" };
  return writeTransaction((tx) => {
    const planned = tx
      .select()
      .from(visits)
      .where(and(inArray(visits.kind, ["roaming", "base"]), eq(visits.status, "planned"), gte(visits.date, `${input.month}-01`), lte(visits.date, `${input.month}-31`)))
      .all();
    if (planned.length === 0) return { ok: false as const, message: "この月に合意待ちの予定はありません。" };
    const nowIso = new Date().toISOString();
    for (const v of planned) {
      const check = checkTransition({ kind: v.kind, from: v.status, transition: "agree_schedule", actor: "city" });
      if (!check.ok) return check;
      tx.update(visits).set({ status: "agreed", statusReason: null, statusChangedAt: nowIso, version: v.version + 1, updatedAt: nowIso }).where(eq(visits.id, v.id)).run();
    }
    tx.insert(approvals)
      .values({
        visitId: null,
        scheduleMonth: input.month,
        decision: "agreed",
        comment: parsedComment.data || null,
        snapshot: { sessions: planned.map((v) => ({ id: v.id, kind: v.kind, date: v.date, startsAt: v.startsAt, endsAt: v.endsAt, venue: venueLabel(tx, v) })) },
        decidedById: input.user.id,
        decidedAt: nowIso,
      })
      .run();
    audit({ userId: input.user.id, action: "visit.agree_schedule", entity: "schedule_month", entityId: input.month, detail: { count: planned.length } }, tx);
    return { ok: true as const, count: planned.length };
  }, db);
}

// ---------------------------------------------------------------------------
// Reading

export type WaitingOn = "staff" | "organisation" | "city" | null;
export const WAITING_ON_LABELS: Record<Exclude<WaitingOn, null>, string> = {
  staff: "受託者",
  organisation: "団体",
  city: "市",
};

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

/** Whole days an item has waited since its status last changed. */
export function waitedDays(statusChangedAt: string, now: Date = new Date()): number {
  return Math.max(0, daysBetween(todayInTokyo(new Date(statusChangedAt)), todayInTokyo(now)));
}

export type QueueItem = {
  id: number;
  title: string;
  organisationName: string | null;
  status: VisitStatus;
  date: string | null;
  startsAt: string | null;
  endsAt: string | null;
  expectedApplicants: number | null;
  mode: VisitMode;
  ownerName: string | null;
  statusChangedAt: string;
  statusReason: string | null;
  waitingOn: WaitingOn;
  waitedDays: number;
  stale: boolean;
};

/** Columns of a group visit in the city's queue and the staff list (joined with organisations and users). */
const groupVisitColumns = {
  id: visits.id,
  title: visits.title,
  organisationName: organisations.name,
  status: visits.status,
  date: visits.date,
  startsAt: visits.startsAt,
  endsAt: visits.endsAt,
  expectedApplicants: visits.expectedApplicants,
  mode: visits.mode,
  ownerName: users.name,
  statusChangedAt: visits.statusChangedAt,
  statusReason: visits.statusReason,
};

const OPEN_STATUSES: VisitStatus[] = ["requested", "screening", "awaiting_city", "changes_requested"];

/** The city's queue: open group visits ordered by visit date (undated last), with who they wait on and since when. */
export function cityQueue(now: Date = new Date(), db: Db = getDb()): { awaiting: QueueItem[]; others: QueueItem[]; staleDays: number; plannedMonths: { month: string; count: number }[] } {
  const staleDays = getSettings(db).approvalStaleDays;
  const rows = db
    .select(groupVisitColumns)
    .from(visits)
    .leftJoin(organisations, eq(organisations.id, visits.organisationId))
    .leftJoin(users, eq(users.id, visits.ownerId))
    .where(and(eq(visits.kind, "group"), inArray(visits.status, OPEN_STATUSES)))
    .orderBy(sql`${visits.date} is null`, asc(visits.date), asc(visits.startsAt), asc(visits.statusChangedAt))
    .all();
  const items: QueueItem[] = rows.map((r) => {
    const days = waitedDays(r.statusChangedAt, now);
    return { ...r, waitingOn: waitingOn(r.status), waitedDays: days, stale: days > staleDays };
  });
  const plannedMonths = db
    .select({ month: sql<string>`substr(${visits.date}, 1, 7)`, count: sql<number>`count(*)` })
    .from(visits)
    .where(and(inArray(visits.kind, ["roaming", "base"]), eq(visits.status, "planned")))
    .groupBy(sql`substr(${visits.date}, 1, 7)`)
    .orderBy(sql`substr(${visits.date}, 1, 7)`)
    .all();
  return {
    awaiting: items.filter((i) => i.status === "awaiting_city"),
    others: items.filter((i) => i.status !== "awaiting_city"),
    staleDays,
    plannedMonths,
  };
}

/** Everything a decision screen shows about one visit. */
export function visitDetail(id: number, db: Db = getDb()) {
  const visit = db.select().from(visits).where(eq(visits.id, id)).get();
  if (!visit) return null;
  const organisation = visit.organisationId ? (db.select().from(organisations).where(eq(organisations.id, visit.organisationId)).get() ?? null) : null;
  const request = visit.requestId ? (db.select().from(visitRequests).where(eq(visitRequests.id, visit.requestId)).get() ?? null) : null;
  const venue = visit.venueId ? (db.select().from(venues).where(eq(venues.id, visit.venueId)).get() ?? null) : null;
  const owner = visit.ownerId ? (db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, visit.ownerId)).get() ?? null) : null;
  const decisions = db
    .select({ id: approvals.id, decision: approvals.decision, comment: approvals.comment, snapshot: approvals.snapshot, decidedAt: approvals.decidedAt, decidedBy: users.name })
    .from(approvals)
    .leftJoin(users, eq(users.id, approvals.decidedById))
    .where(eq(approvals.visitId, id))
    .orderBy(desc(approvals.decidedAt), desc(approvals.id))
    .all()
    .map((d) => ({ ...d, snapshot: d.snapshot as { date?: string; startsAt?: string; endsAt?: string; venue?: string; expectedApplicants?: number } | null }));
  const history = db
    .select({ id: activities.id, kind: activities.kind, summary: activities.summary, body: activities.body, occurredAt: activities.occurredAt, userName: users.name })
    .from(activities)
    .leftJoin(users, eq(users.id, activities.userId))
    .where(eq(activities.visitId, id))
    .orderBy(desc(activities.occurredAt), desc(activities.id))
    .limit(50)
    .all();
  return { visit, organisation, request, venue, owner, decisions, history, venueName: venue?.name ?? request?.venueText ?? "" };
}

export type CarEntry = { id: number; title: string; kind: VisitKind; status: VisitStatus; date: string | null; startsAt: string | null; endsAt: string | null; holdStartsAt: string | null; holdEndsAt: string | null };

/** What the car does between two dates (inclusive): visits holding it, and completed ones for context. */
export function carSchedule(fromYmd: string, toYmd: string, db: Db = getDb()): CarEntry[] {
  return db
    .select({
      id: visits.id,
      title: visits.title,
      kind: visits.kind,
      status: visits.status,
      date: visits.date,
      startsAt: visits.startsAt,
      endsAt: visits.endsAt,
      holdStartsAt: visits.holdStartsAt,
      holdEndsAt: visits.holdEndsAt,
    })
    .from(visits)
    .where(
      and(
        gte(visits.date, fromYmd),
        lte(visits.date, toYmd),
        inArray(visits.kind, ["group", "roaming"]),
        inArray(visits.status, ["awaiting_city", "changes_requested", "approved", "planned", "agreed", "completed"]),
      ),
    )
    .orderBy(asc(visits.startsAt))
    .all();
}

/** Monday–Sunday week around a date. */
export function weekOf(ymd: string): { from: string; to: string } {
  const w = new Date(`${ymd}T00:00:00Z`).getUTCDay();
  const from = addDays(ymd, -((w + 6) % 7));
  return { from, to: addDays(from, 6) };
}

/** The last city decisions on visits a staff member owns (for the Today view). */
export function recentDecisionsFor(userId: number, opts: { limit?: number; sinceDays?: number } = {}, db: Db = getDb()) {
  const since = new Date(Date.now() - (opts.sinceDays ?? 14) * 86_400_000).toISOString();
  return db
    .select({
      approvalId: approvals.id,
      visitId: visits.id,
      title: visits.title,
      organisationName: organisations.name,
      decision: approvals.decision,
      comment: approvals.comment,
      decidedAt: approvals.decidedAt,
      decidedBy: users.name,
      visitStatus: visits.status,
      date: visits.date,
    })
    .from(approvals)
    .innerJoin(visits, eq(visits.id, approvals.visitId))
    .leftJoin(organisations, eq(organisations.id, visits.organisationId))
    .leftJoin(users, eq(users.id, approvals.decidedById))
    .where(and(eq(visits.ownerId, userId), gte(approvals.decidedAt, since)))
    .orderBy(desc(approvals.decidedAt), desc(approvals.id))
    .limit(opts.limit ?? 10)
    .all();
}

export const DECISION_LABELS = {
  approved: "承認",
  changes_requested: "修正依頼",
  declined: "見送り",
  agreed: "合意",
} as const;

/** Group visits for the staff list, filtered and paginated. */
export function listGroupVisits(
  filter: { status?: VisitStatus | "open" | "all"; q?: string; ownerId?: number | null; page?: number; pageSize?: number },
  db: Db = getDb(),
) {
  const pageSize = filter.pageSize ?? 25;
  const conditions = [eq(visits.kind, "group")];
  const status = filter.status ?? "open";
  if (status === "open") conditions.push(inArray(visits.status, [...OPEN_STATUSES, "approved"]));
  else if (status !== "all") conditions.push(eq(visits.status, status));
  if (filter.ownerId) conditions.push(eq(visits.ownerId, filter.ownerId));
  const q = filter.q?.normalize("NFKC").trim();
  if (q) conditions.push(sql`(${organisations.name} like ${`%${q}%`} or ${visits.title} like ${`%${q}%`} or ${visitRequests.receiptNo} like ${`%${q}%`})`);
  const where = and(...conditions);
  const total =
    db
      .select({ n: sql<number>`count(*)` })
      .from(visits)
      .leftJoin(organisations, eq(organisations.id, visits.organisationId))
      .leftJoin(visitRequests, eq(visitRequests.id, visits.requestId))
      .where(where)
      .get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, filter.page ?? 1), pageCount);
  const rows = db
    .select({ ...groupVisitColumns, receiptNo: visitRequests.receiptNo })
    .from(visits)
    .leftJoin(organisations, eq(organisations.id, visits.organisationId))
    .leftJoin(visitRequests, eq(visitRequests.id, visits.requestId))
    .leftJoin(users, eq(users.id, visits.ownerId))
    .where(where)
    .orderBy(sql`${visits.date} is null`, asc(visits.date), asc(visits.startsAt), desc(visits.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  const counts = db
    .select({ status: visits.status, n: sql<number>`count(*)` })
    .from(visits)
    .where(eq(visits.kind, "group"))
    .groupBy(visits.status)
    .all();
  return { rows, total, page, pageCount, counts: Object.fromEntries(counts.map((c) => [c.status, c.n])) as Partial<Record<VisitStatus, number>> };
}

/** Sessions of a month (roaming / base), for the city's month agreement. */
export function monthSessions(month: string, db: Db = getDb()) {
  return db
    .select({
      id: visits.id,
      kind: visits.kind,
      mode: visits.mode,
      status: visits.status,
      title: visits.title,
      date: visits.date,
      startsAt: visits.startsAt,
      endsAt: visits.endsAt,
      venueName: venues.name,
    })
    .from(visits)
    .leftJoin(venues, eq(venues.id, visits.venueId))
    .where(and(inArray(visits.kind, ["roaming", "base"]), gte(visits.date, `${month}-01`), lte(visits.date, `${month}-31`)))
    .orderBy(asc(visits.startsAt))
    .all();
}

export function monthDecisions(month: string, db: Db = getDb()) {
  return db
    .select({ id: approvals.id, comment: approvals.comment, decidedAt: approvals.decidedAt, decidedBy: users.name })
    .from(approvals)
    .leftJoin(users, eq(users.id, approvals.decidedById))
    .where(eq(approvals.scheduleMonth, month))
    .orderBy(desc(approvals.decidedAt))
    .all();
}

/** Venues staff may pick for a group visit: the organisation's own sites first, then public ones. */
export function venueChoices(organisationId: number | null, db: Db = getDb()) {
  return db
    .select({ id: venues.id, name: venues.name, organisationId: venues.organisationId })
    .from(venues)
    .where(and(eq(venues.active, true), organisationId ? sql`(${venues.organisationId} is null or ${venues.organisationId} = ${organisationId})` : isNull(venues.organisationId)))
    .orderBy(sql`${venues.organisationId} is null`, asc(venues.name))
    .all();
}
