/**
 * Status changes of visits: every transition of the lifecycle is written
 * here, in ONE writeTransaction() (BEGIN IMMEDIATE): the state machine
 * (./lifecycle), the actor's permission, the optimistic version, the booking
 * check and car hold (./booking.server), the city's append-only decision, the
 * CRM timeline and stage, the audit trail and the organisation's email all
 * commit together or not at all.
 *
 * User errors come back as { ok: false, message } (Japanese, saying how to fix
 * it); nothing here throws for them.
 */
import { and, eq } from "drizzle-orm";
import type { VisitStatus } from "../../db/enums";
import { approvals, visitRequests, visitResults, visits } from "../../db/schema";
import { audit } from "../audit.server";
import { followVisitStatus, logActivity } from "../crm/activities.server";
import { getDb, type Db, type Tx } from "../db.server";
import { daysBetween, formatDate, todayInTokyo } from "../lib/dates";
import { VISIT_STATUS_LABELS } from "../lib/labels";
import { getSettings } from "../settings.server";
import { checkBooking, writeHold } from "./booking.server";
import { actorOf, commentSchema, NOT_FOUND, refusable, snapshotOf, STALE_VERSION, venueLabel, type ActorInput, type Refusal, type VisitRow } from "./common.server";
import { queueCityCancelNotice, queueOrganisationCancelNotice, queueVisitEmail } from "./emails.server";
import { checkTransition, holdsCar, keepsReason, organisationMayCancel, type TransitionName } from "./lifecycle";

export type TransitionResult = { ok: true; status: VisitStatus; version: number; warning?: string } | Refusal;

/** Short-notice warning (not a block): approval asked fewer than approvalWarnDays before the visit. */
export function shortNoticeWarning(date: string | null, warnDays: number, today = todayInTokyo()): string | undefined {
  if (!date) return undefined;
  const days = daysBetween(today, date);
  if (days < warnDays) {
    return `訪問日（${formatDate(date)}）まで${days}日しかありません。市の承認には通常${warnDays}日ほどかかるため、市の担当者に電話でも連絡してください。`;
  }
  return undefined;
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
  complete: "実績を入力し、訪問を実施済にした",
  reschedule_approved: "確定済の内容を変更（市の再承認待ち）",
};

/** What the recorded results say, for the organisation's stage (undefined: none recorded). */
function outcomeOf(tx: Tx, v: VisitRow) {
  const r = tx
    .select({ revisitWanted: visitResults.revisitWanted, accept: visitResults.acceptCount, online: visitResults.supportOnlineCount, mail: visitResults.supportMailCount })
    .from(visitResults)
    .where(eq(visitResults.visitId, v.id))
    .get();
  return r ? { revisitWanted: r.revisitWanted, applications: r.accept + r.online + r.mail, expectedApplicants: v.expectedApplicants } : undefined;
}

/**
 * Write a status change that the machine has already allowed: status, reason,
 * version, car release, decision row, timeline, CRM stage, audit, email.
 */
export function writeStatusChange(
  tx: Tx,
  v: VisitRow,
  change: { transition: TransitionName; to: VisitStatus; userId: number | null; comment: string | null; now: Date; detail?: Record<string, unknown> },
) {
  const nowIso = change.now.toISOString();
  const version = v.version + 1;
  tx.update(visits)
    .set({
      status: change.to,
      statusReason: keepsReason(change.transition) ? change.comment : null,
      statusChangedAt: nowIso,
      version,
      updatedAt: nowIso,
      ...(holdsCar(v.kind, change.to) ? {} : { holdStartsAt: null, holdEndsAt: null }),
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
      .values({ visitId: v.id, decision, comment: change.comment || null, snapshot: snapshotOf(tx, fresh), decidedById: change.userId!, decidedAt: nowIso })
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
      occurredAt: nowIso,
    });
    followVisitStatus(tx, {
      organisationId: v.organisationId,
      status: change.to,
      userId: change.userId,
      visitId: v.id,
      reason: change.comment || null,
      at: nowIso,
      // A visit completes with its results (the lifecycle requires them): they decide 実施済 or 再訪候補.
      outcome: change.to === "completed" ? outcomeOf(tx, fresh) : undefined,
    });
  }

  audit(
    {
      userId: change.userId,
      action: `visit.${change.transition}`,
      entity: "visit",
      entityId: v.id,
      detail: { from: v.status, to: change.to, comment: change.comment || undefined, ...change.detail },
      at: nowIso,
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
        tx.update(visitRequests).set({ cancelledAt: nowIso, cancelReason: change.comment || null }).where(eq(visitRequests.id, v.requestId)).run();
      }
    }
  }
  // Every kind: the city hears of a cancellation (a group visit once it has seen it; see queueCityCancelNotice).
  if (change.transition === "cancel" || change.transition === "organisation_cancel") {
    queueCityCancelNotice(tx, v, { reason: change.comment, userId: change.userId, byOrganisation: change.transition === "organisation_cancel" });
  }
  return fresh;
}

/**
 * Apply one transition of the machine to a visit. Permission, state,
 * required fields, version, booking and every side effect are checked and
 * written in one transaction. `now` is the clock (demo data passes past times).
 */
export type TransitionInput = { visitId: number; transition: TransitionName | string; actor: ActorInput; comment?: string | null; expectedVersion?: number | null; now?: Date };

export function applyTransition(input: TransitionInput, db: Db = getDb()): TransitionResult {
  return refusable<TransitionResult>((tx) => applyTransitionIn(tx, input), db);
}

/** applyTransition() inside the caller's transaction (a refusal must roll the caller back). */
export function applyTransitionIn(tx: Tx, input: TransitionInput): TransitionResult {
  const { actor, userId } = actorOf(input.actor);
  const now = input.now ?? new Date();
  const parsedComment = commentSchema.safeParse(input.comment ?? "");
  if (!parsedComment.success) return { ok: false, message: parsedComment.error.issues[0].message, field: "comment" };
  const comment = parsedComment.data;
  {
    const v = tx.select().from(visits).where(eq(visits.id, input.visitId)).get();
    if (!v) return { ok: false, message: NOT_FOUND };
    if (input.transition === "agree_schedule") {
      return { ok: false, message: "巡回・拠点施設の予定は、月ごとの予定の画面でまとめて合意してください。" };
    }
    const hasResults = !!tx.select({ id: visitResults.id }).from(visitResults).where(eq(visitResults.visitId, v.id)).get();
    const facts = { date: v.date, startsAt: v.startsAt, endsAt: v.endsAt, venue: venueLabel(tx, v) || null, expectedApplicants: v.expectedApplicants, results: hasResults };
    const check = checkTransition({ kind: v.kind, from: v.status, transition: input.transition, actor, comment, facts });
    if (!check.ok) return { ok: false, message: check.message, field: check.field };
    if (input.expectedVersion != null && input.expectedVersion !== v.version) return { ok: false, message: STALE_VERSION };
    const transition = check.def.name;
    const today = todayInTokyo(now);
    let warning: string | undefined;

    // Entering a state that holds the car (submission, re-submission) checks the booking again.
    if ((transition === "submit_for_approval" || (transition === "approve" && !v.holdStartsAt)) && v.date && v.startsAt && v.endsAt) {
      const booked = checkBooking(tx, {
        visitId: v.id,
        kind: v.kind,
        status: check.to,
        organisationId: v.organisationId,
        vehicleId: v.vehicleId,
        date: v.date,
        startsAt: v.startsAt,
        endsAt: v.endsAt,
        venueId: v.venueId,
        expectedApplicants: v.expectedApplicants,
        mode: v.mode,
        channel: "staff",
        now,
      });
      if (!booked.ok) {
        const verb = transition === "approve" ? "承認できません" : "承認を依頼できません";
        return { ok: false, message: `${verb}: ${booked.message}` };
      }
      writeHold(tx, v.id, booked);
      if (transition === "submit_for_approval") warning = shortNoticeWarning(v.date, getSettings(tx).approvalWarnDays, today);
    }
    switch (transition) {
      case "approve":
        if (v.date && v.date < today) return { ok: false, message: "訪問日が過ぎているため承認できません。修正を依頼するか見送ってください。" };
        break;
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
      case "complete":
        if (v.date && v.date > today) return { ok: false, message: `訪問日（${formatDate(v.date)}）より前に実施済にはできません。` };
        break;
      default:
        break;
    }

    const current = tx.select().from(visits).where(eq(visits.id, v.id)).get()!;
    const fresh = writeStatusChange(tx, current, { transition, to: check.to, userId, comment: comment || null, now, detail: warning ? { warning } : undefined });
    return { ok: true, status: fresh.status, version: fresh.version, warning };
  }
}
