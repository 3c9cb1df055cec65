/**
 * Placing visits in time and space: the staff form (scheduleVisit) and the
 * calendar's drag and resize (rescheduleVisit) both go through placeVisit(),
 * which asks the lifecycle whether the change needs the city again and the
 * booking check whether the place and time are possible, then writes it all
 * in the caller's transaction.
 */
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { VISIT_MODES, type VisitMode, type VisitStatus } from "../../db/enums";
import { venues, visits } from "../../db/schema";
import { audit } from "../audit.server";
import type { SessionUser } from "../auth.server";
import { logActivity } from "../crm/activities.server";
import { getDb, type Db, type Tx } from "../db.server";
import { formatDate, isValidYmd } from "../lib/dates";
import { VISIT_STATUS_LABELS } from "../lib/labels";
import { freeText } from "../lib/validation";
import { can } from "../permissions";
import { getSettings } from "../settings.server";
import { checkBooking, writeHold } from "./booking.server";
import { lastApprovedSnapshot, NOT_FOUND, refusable, snapshotOf, STALE_VERSION, venueLabel, type Refusal, type VisitRow } from "./common.server";
import { queueCityCorrectionNotice, queueVisitEmail } from "./emails.server";
import { checkTransition, isConfirmed, isMovable, placementTransition, reapprovalFor, type TransitionName } from "./lifecycle";
import { rosterClashes, rosterClashMessage } from "./roster.server";
import { applyTransitionIn, writeStatusChange } from "./transitions.server";

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
      z.number({ error: "申請予定人数を数字で入力してください。" }).int({ error: "申請予定人数は整数で入力してください。" }).min(1, { error: "申請予定人数は1人以上にしてください。" }),
    ),
    mode: z.enum(VISIT_MODES, { error: "方式を選んでください。" }),
    notes: freeText(1000, { multiline: true }).optional(),
    expectedVersion: z.preprocess((v) => (v === "" || v == null ? undefined : Number(v)), z.number().int().optional()),
  })
  .refine((s) => s.startTime < s.endTime, { error: "終了時刻は開始時刻より後にしてください。", path: ["endTime"] });

export type ScheduleInput = z.input<typeof scheduleSchema>;
export type ScheduleResult = { ok: true; status: VisitStatus; version: number; message: string; warning?: string } | (Refusal & { errors?: Record<string, string> });
export type PlaceResult = { ok: true; status: VisitStatus; version: number; message: string } | Refusal;

type Placement = { date: string; startsAt: string; endsAt: string; venueId: number | null; expectedApplicants: number | null; mode: VisitMode; notes?: string | null };

const MANAGE_ONLY = "予定の登録・変更は受託者の担当者が行います。";

/**
 * Put a visit at new times, venue, head-count or mode inside the caller's
 * transaction. The lifecycle decides the status it ends in (a requested visit
 * starts screening; a confirmed one goes back to the city when the change
 * needs it; an agreed session is planned again); the booking check decides
 * whether the place and time are possible for that status.
 */
export function placeVisit(tx: Tx, v: VisitRow, next: Placement, user: SessionUser, now: Date): PlaceResult {
  if (!isMovable(v.kind, v.status)) return { ok: false, message: `「${VISIT_STATUS_LABELS[v.status]}」の訪問は変更できません。` };
  const nowIso = now.toISOString();
  const settings = getSettings(tx);
  const moved = next.date !== v.date || next.startsAt !== v.startsAt || next.endsAt !== v.endsAt || (next.venueId ?? null) !== (v.venueId ?? null);
  const after = { ...v, ...next, notes: next.notes === undefined ? v.notes : next.notes || null } as VisitRow;
  const nextSnapshot = snapshotOf(tx, after);

  let notifyCorrection = false;
  let reasons: string[] = [];
  if (isConfirmed(v.status)) {
    // Compare with what the city decided (a group visit's last approval; a session's agreed values are its current ones).
    const current = snapshotOf(tx, v);
    const decided = v.kind === "group" ? { ...current, ...(lastApprovedSnapshot(tx, v.id) ?? {}) } : current;
    const verdict = reapprovalFor(decided, nextSnapshot, settings);
    if (verdict.kind === "reapprove") reasons = verdict.reasons;
    else if (verdict.kind === "notify" && next.expectedApplicants !== v.expectedApplicants) notifyCorrection = true;
  }
  const transition: TransitionName | null = placementTransition(v.kind, v.status, reasons.length > 0);

  let status: VisitStatus = v.status;
  if (transition) {
    const facts = { date: next.date, startsAt: next.startsAt, endsAt: next.endsAt, venue: nextSnapshot.venue || null, expectedApplicants: next.expectedApplicants };
    const check = checkTransition({ kind: v.kind, from: v.status, transition, actor: user.role, facts });
    if (!check.ok) return check;
    status = check.to;
  }

  const booked = checkBooking(tx, {
    visitId: v.id,
    kind: v.kind,
    status,
    organisationId: v.organisationId,
    vehicleId: v.vehicleId,
    date: next.date,
    startsAt: next.startsAt,
    endsAt: next.endsAt,
    venueId: next.venueId,
    expectedApplicants: next.expectedApplicants,
    mode: next.mode,
    channel: "staff",
    now,
  });
  if (!booked.ok) return booked;
  // Nobody on its roster may end up on two sessions at once.
  const clash = rosterClashes(tx, { visitId: v.id, startsAt: next.startsAt, endsAt: next.endsAt })[0];
  if (clash) return { ok: false, message: rosterClashMessage(clash, "move") };

  tx.update(visits)
    .set({
      date: next.date,
      startsAt: next.startsAt,
      endsAt: next.endsAt,
      venueId: next.venueId,
      expectedApplicants: next.expectedApplicants,
      mode: next.mode,
      ...(next.notes !== undefined ? { notes: next.notes || null } : {}),
      updatedAt: nowIso,
    })
    .where(eq(visits.id, v.id))
    .run();
  writeHold(tx, v.id, booked);

  const updated = tx.select().from(visits).where(eq(visits.id, v.id)).get()!;
  const change = { from: pick(v), to: pick(updated) };
  let version: number;
  if (transition) {
    version = writeStatusChange(tx, updated, { transition, to: status, userId: user.id, comment: null, now, detail: { ...change, reasons } }).version;
  } else {
    version = updated.version + 1;
    tx.update(visits).set({ version }).where(eq(visits.id, v.id)).run();
    audit({ userId: user.id, action: "visit.schedule", entity: "visit", entityId: v.id, detail: change, at: nowIso }, tx);
    if (v.kind === "group" && v.organisationId && moved) {
      logActivity(tx, {
        organisationId: v.organisationId,
        kind: "note",
        summary: `日程を登録: ${formatDate(next.date)} ${next.startsAt.slice(11)}〜${next.endsAt.slice(11)}`,
        visitId: v.id,
        requestId: v.requestId,
        userId: user.id,
        occurredAt: nowIso,
      });
    }
    if (notifyCorrection) {
      // A small correction to a confirmed visit: the organisation and the city are both told.
      queueVisitEmail(tx, "changed", v.id);
      queueCityCorrectionNotice(tx, updated, { before: v.expectedApplicants, after: next.expectedApplicants });
    }
  }

  const message =
    transition === "reschedule_approved"
      ? `確定済の訪問の${reasons.join("・")}を変更したため、市の再承認待ちに戻りました。`
      : transition === "replan"
        ? "予定を変更しました。市と合意済の予定だったため、計画中に戻りました（月の予定として再度合意が必要です）。"
        : notifyCorrection
          ? "申請予定人数を変更しました。変更が小さいため再承認は不要です。市と団体にお知らせのメールを送ります。"
          : "日程を保存しました。";
  return { ok: true, status, version, message };
}

function pick(v: VisitRow) {
  return { date: v.date, startsAt: v.startsAt, endsAt: v.endsAt, venueId: v.venueId, expectedApplicants: v.expectedApplicants, mode: v.mode };
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

function fieldErrorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const errors: Record<string, string> = {};
  for (const issue of issues) errors[String(issue.path[0] ?? "_form")] ??= issue.message;
  return errors;
}

/**
 * Staff set a group visit's date, times, venue, head-count and mode (調整中
 * or later). Everything goes through placeVisit().
 */
export function scheduleVisit(
  input: { visitId: number; now?: Date; thenSubmit?: boolean } & ScheduleInput,
  user: SessionUser,
  db: Db = getDb(),
): ScheduleResult {
  const parsed = scheduleSchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: "入力内容を確認してください。", errors: fieldErrorsOf(parsed.error.issues) };
  const s = parsed.data;
  if (!can(user.role, "visits.manage")) return { ok: false, message: MANAGE_ONLY };
  const now = input.now ?? new Date();
  const result = refusable((tx) => {
    const v = tx.select().from(visits).where(eq(visits.id, input.visitId)).get();
    if (!v) return { ok: false as const, message: NOT_FOUND };
    if (v.kind !== "group") return { ok: false as const, message: "巡回・拠点施設の予定はカレンダーから変更してください。" };
    if (s.expectedVersion != null && s.expectedVersion !== v.version) return { ok: false as const, message: STALE_VERSION };
    let venueId: number | null = v.venueId;
    if (s.venueId) venueId = s.venueId;
    else if (s.venueText) venueId = venueForText(tx, v.organisationId, s.venueText);
    else if (!venueLabel(tx, v)) return { ok: false as const, message: "会場を選ぶか入力してください。", field: "venueText" };
    const placed = placeVisit(
      tx,
      v,
      { date: s.date, startsAt: `${s.date}T${s.startTime}`, endsAt: `${s.date}T${s.endTime}`, venueId, expectedApplicants: s.expectedApplicants, mode: s.mode, notes: s.notes },
      user,
      now,
    );
    if (!placed.ok || !input.thenSubmit) return placed;
    // 保存して市に承認を依頼: what is on the screen is saved and submitted together, never a stale date.
    const submitted = applyTransitionIn(tx, { visitId: v.id, transition: "submit_for_approval", actor: user, now });
    if (!submitted.ok) return submitted;
    return { ok: true as const, status: submitted.status, version: submitted.version, message: "内容を保存し、市に承認を依頼しました。ラッピングカーをこの時間で確保しました。", warning: submitted.warning };
  }, db);
  if (!result.ok) return { ...result, errors: result.field ? { [result.field]: result.message } : undefined };
  return result;
}

/**
 * Move a visit or session to new times (calendar drag-and-drop and resize).
 * Head-count and mode stay; placeVisit() applies every rule.
 */
export function rescheduleVisit(
  input: { visitId: number; startsAt: string; endsAt: string; venueId?: number | null; expectedVersion?: number | null; now?: Date },
  user: SessionUser,
  db: Db = getDb(),
): PlaceResult {
  if (!can(user.role, "visits.manage")) return { ok: false, message: MANAGE_ONLY };
  const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
  const startsAt = input.startsAt.slice(0, 16);
  const endsAt = input.endsAt.slice(0, 16);
  if (!local.test(startsAt) || !local.test(endsAt) || !isValidYmd(startsAt.slice(0, 10))) {
    return { ok: false, message: "日時の形式が正しくありません。画面を再読み込みしてお試しください。" };
  }
  const now = input.now ?? new Date();
  return refusable((tx) => {
    const v = tx.select().from(visits).where(eq(visits.id, input.visitId)).get();
    if (!v) return { ok: false as const, message: NOT_FOUND };
    if (input.expectedVersion != null && input.expectedVersion !== v.version) return { ok: false as const, message: STALE_VERSION };
    return placeVisit(
      tx,
      v,
      { date: startsAt.slice(0, 10), startsAt, endsAt, venueId: input.venueId === undefined ? v.venueId : input.venueId, expectedApplicants: v.expectedApplicants, mode: v.mode },
      user,
      now,
    );
  }, db);
}

export { fieldErrorsOf };
