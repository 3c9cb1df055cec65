/**
 * The organisation's status page (/request/status/:token): what it may see
 * (never internal ids or staff names) and the cancel it may do.
 *
 * The cancel lives here until app/visits/lifecycle.ts offers an
 * "organisation cancels" transition; it follows the same rules (one
 * transaction: visit, request, car hold, CRM, timeline, emails).
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { users, venues, visitRequests, visits, type VisitStatus } from "../../db/schema";
import { followVisitStatus, logActivity } from "../crm/activities.server";
import { getDb, writeTransaction, type Db } from "../db.server";
import { env } from "../env.server";
import { addDays, formatDate, formatInstant, formatTimeRange, todayInTokyo } from "../lib/dates";
import { TIME_SLOT_LABELS } from "../lib/labels";
import { fieldErrors, freeText } from "../lib/validation";
import { getSettings } from "../settings.server";
import { checkTransition } from "../visits/lifecycle";
import { queueStaffNotice, queueVisitEmail, statusUrl, visitIcs } from "./notifications.server";

/** base64url, at least 128 bits (22 characters). */
export function isWellFormedToken(token: string | undefined): token is string {
  return !!token && /^[A-Za-z0-9_-]{22,64}$/.test(token);
}

const FINAL: VisitStatus[] = ["completed", "declined", "cancelled"];

function findByToken(db: Db, token: string) {
  return db
    .select({ visit: visits, request: visitRequests, venue: venues })
    .from(visitRequests)
    .innerJoin(visits, eq(visits.requestId, visitRequests.id))
    .leftJoin(venues, eq(venues.id, visits.venueId))
    .where(eq(visitRequests.statusToken, token))
    .get();
}

/** Last day the organisation may cancel itself (null: no date yet, always allowed while open). */
export function cancelDeadline(visitDate: string | null, cutoffDays: number): string | null {
  return visitDate ? addDays(visitDate, -cutoffDays) : null;
}

export function canCancel(status: VisitStatus, visitDate: string | null, cutoffDays: number, today: string): boolean {
  if (FINAL.includes(status)) return false;
  const deadline = cancelDeadline(visitDate, cutoffDays);
  return deadline === null || today <= deadline;
}

/** What the status page shows: plain data, no internal ids, no staff names. */
export function getRequestStatus(token: string, now: Date = new Date()) {
  if (!isWellFormedToken(token)) return null;
  const db = getDb();
  const row = findByToken(db, token);
  if (!row) return null;
  const { visit, request, venue } = row;
  const settings = getSettings(db);
  const today = todayInTokyo(now);
  const confirmed = visit.status === "approved" || visit.status === "completed";
  const preferred = [
    [request.preferredDate1, request.preferredSlot1],
    [request.preferredDate2, request.preferredSlot2],
    [request.preferredDate3, request.preferredSlot3],
  ]
    .filter(([d]) => d)
    .map(([d, s]) => ({ date: formatDate(d), slot: s ? TIME_SLOT_LABELS[s as keyof typeof TIME_SLOT_LABELS] : "" }));
  return {
    receiptNo: request.receiptNo,
    organisationName: request.organisationName,
    contactName: request.contactName,
    submittedAt: formatInstant(request.createdAt),
    status: visit.status,
    statusReason: visit.status === "cancelled" || visit.status === "declined" ? visit.statusReason ?? request.cancelReason : null,
    preferred,
    expectedApplicants: visit.expectedApplicants ?? request.expectedApplicants,
    venueText: request.venueText,
    confirmed: confirmed
      ? {
          when: visit.startsAt ? formatTimeRange(visit.startsAt, visit.endsAt) : formatDate(visit.date),
          place: venue ? venue.name : request.venueText,
          address: venue?.address ?? request.address,
          hasIcs: !!(visit.startsAt && visit.endsAt) && visit.status === "approved",
        }
      : null,
    mode: visit.mode,
    canCancel: canCancel(visit.status, visit.date, settings.cancelCutoffDays, today),
    cancelDeadline: visit.date ? formatDate(cancelDeadline(visit.date, settings.cancelCutoffDays)) : null,
    cancelledAt: request.cancelledAt ? formatInstant(request.cancelledAt) : null,
  };
}

export type RequestStatusView = NonNullable<ReturnType<typeof getRequestStatus>>;

/** The .ics of a confirmed visit, or null. */
export function requestIcs(token: string): string | null {
  if (!isWellFormedToken(token)) return null;
  const row = findByToken(getDb(), token);
  if (!row || row.visit.status !== "approved" || !row.visit.startsAt || !row.visit.endsAt) return null;
  return visitIcs({
    visitId: row.visit.id,
    title: `出張申請窓口（${row.request.organisationName}）`,
    startsAt: row.visit.startsAt,
    endsAt: row.visit.endsAt,
    place: row.venue ? [row.venue.name, row.venue.address].filter(Boolean).join(" ") : row.request.venueText,
    statusUrl: statusUrl(token),
  });
}

const cancelSchema = z.object({
  reason: freeText(500, { required: "取消の理由を入力してください（例: 行事と重なったため）。", multiline: true }),
});

export type CancelResult = { ok: true } | { ok: false; errors: Record<string, string>; formError?: string };

/** The organisation cancels its request (until the cut-off). One transaction. */
export function cancelRequestByToken(token: string, input: { reason: unknown }, now: Date = new Date()): CancelResult | null {
  if (!isWellFormedToken(token)) return null;
  const parsed = cancelSchema.safeParse({ reason: typeof input.reason === "string" ? input.reason : "" });
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const reason = parsed.data.reason;
  return writeTransaction((tx) => {
    const row = tx
      .select({ visit: visits, request: visitRequests })
      .from(visitRequests)
      .innerJoin(visits, eq(visits.requestId, visitRequests.id))
      .where(eq(visitRequests.statusToken, token))
      .get();
    if (!row) return null;
    const { visit, request } = row;
    const settings = getSettings(tx);
    if (visit.status === "cancelled") return { ok: true as const };
    if (!canCancel(visit.status, visit.date, settings.cancelCutoffDays, todayInTokyo(now))) {
      return {
        ok: false as const,
        errors: {},
        formError: FINAL.includes(visit.status)
          ? "このお申し込みは取り消せない状態です。"
          : `取消の期限（訪問日の${settings.cancelCutoffDays}日前）を過ぎているため、この画面からは取り消せません。お手数ですが窓口までお電話ください。`,
      };
    }
    // The lifecycle's state machine has the last word on whether an organisation may cancel now.
    const allowed = checkTransition({ kind: visit.kind, from: visit.status, transition: "organisation_cancel", actor: "organisation", comment: reason });
    if (!allowed.ok) return { ok: false as const, errors: {}, formError: allowed.message };
    const nowIso = now.toISOString();
    tx.update(visits)
      .set({
        status: "cancelled",
        statusReason: reason,
        statusChangedAt: nowIso,
        holdStartsAt: null,
        holdEndsAt: null,
        version: visit.version + 1,
        updatedAt: nowIso,
      })
      .where(and(eq(visits.id, visit.id), eq(visits.version, visit.version)))
      .run();
    tx.update(visitRequests).set({ cancelledAt: nowIso, cancelReason: reason }).where(eq(visitRequests.id, request.id)).run();
    if (visit.organisationId) {
      followVisitStatus(tx, { organisationId: visit.organisationId, status: "cancelled", userId: null, visitId: visit.id, reason });
      logActivity(tx, {
        organisationId: visit.organisationId,
        kind: "request",
        summary: `団体が状況確認ページから申込を取消（受付番号 ${request.receiptNo}）`,
        body: reason,
        visitId: visit.id,
        requestId: request.id,
        occurredAt: nowIso,
      });
    }
    queueVisitEmail(tx, "cancelled", visit.id);

    // The owner hears of it; with no owner, every manager does.
    const owner = visit.ownerId ? tx.select({ email: users.email, active: users.active }).from(users).where(eq(users.id, visit.ownerId)).get() : undefined;
    const recipients =
      owner && owner.active
        ? [owner.email]
        : tx
            .select({ email: users.email })
            .from(users)
            .where(and(eq(users.role, "manager"), eq(users.active, true)))
            .all()
            .map((u) => u.email);
    queueStaffNotice(
      tx,
      recipients,
      {
        title: `【取消】${request.organisationName}（${request.receiptNo}）が申込を取り消しました`,
        lines: [
          `団体: ${request.organisationName}`,
          `受付番号: ${request.receiptNo}`,
          `訪問予定: ${visit.startsAt ? formatTimeRange(visit.startsAt, visit.endsAt) : visit.date ? formatDate(visit.date) : "日程未定"}`,
          `取消の理由: ${reason}`,
          visit.holdStartsAt ? "ラッピングカーの確保は解除しました。" : "",
        ].filter(Boolean),
        link: `${env().APP_URL}/staff/visits/${visit.id}`,
      },
      { entity: "visit", id: visit.id },
    );
    return { ok: true as const };
  });
}
