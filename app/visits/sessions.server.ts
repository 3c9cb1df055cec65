/**
 * Roaming (巡回) and base-facility (拠点施設) sessions: planned by the
 * contractor, agreed by the city a month at a time. Creating one goes through
 * the same booking check as every other placement.
 */
import { and, eq, gte, inArray, lte } from "drizzle-orm";
import { z } from "zod";
import { VISIT_MODES, type VisitMode } from "../../db/enums";
import { approvals, venues, visits } from "../../db/schema";
import { audit } from "../audit.server";
import type { SessionUser } from "../auth.server";
import { getDb, type Db } from "../db.server";
import { isValidYmd } from "../lib/dates";
import { freeText } from "../lib/validation";
import { can } from "../permissions";
import { getActiveProgram } from "../settings.server";
import { checkBooking, writeHold } from "./booking.server";
import { commentSchema, refusable, venueLabel, type Refusal } from "./common.server";
import { checkTransition, transitionFrom } from "./lifecycle";
import { fieldErrorsOf } from "./scheduling.server";
import { VISIT_MODE_SHORT_LABELS } from "../lib/labels";

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
 * Plan a roaming or base-facility session (計画中). Roaming sessions hold the
 * car at once; base sessions use no car. The booking check applies the day
 * table, the venue rule and the car.
 */
export function createSession(
  input: { kind: "roaming" | "base"; mode: VisitMode; venueId: number; date: string; startsAt: string; endsAt: string; notes?: string | null; now?: Date },
  user: SessionUser,
  db: Db = getDb(),
): { ok: true; id: number } | (Refusal & { errors?: Record<string, string> }) {
  if (!can(user.role, "calendar.plan")) return { ok: false, message: "予定の作成は受託者の担当者が行います。" };
  const parsed = sessionSchema.safeParse(input);
  if (!parsed.success) {
    const errors = fieldErrorsOf(parsed.error.issues);
    return { ok: false, message: Object.values(errors)[0] ?? "入力内容を確認してください。", errors };
  }
  const s = parsed.data;
  const now = input.now ?? new Date();
  const full = (t: string) => (t.length <= 5 ? `${s.date}T${t.padStart(5, "0")}` : t.slice(0, 16));
  const startsAt = full(s.startsAt);
  const endsAt = full(s.endsAt);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(startsAt) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(endsAt)) {
    return { ok: false, message: "時刻は 10:00 の形で入力してください。", field: "startsAt" };
  }
  return refusable((tx) => {
    const program = getActiveProgram(tx);
    if (!program) return { ok: false as const, message: "実施中の業務が登録されていません。管理者に業務期間の設定を依頼してください。" };
    const booked = checkBooking(tx, {
      visitId: null,
      kind: s.kind,
      status: "planned",
      organisationId: null,
      vehicleId: null,
      date: s.date,
      startsAt,
      endsAt,
      venueId: s.venueId,
      expectedApplicants: null,
      mode: s.mode,
      channel: "staff",
      now,
    });
    if (!booked.ok) return booked;
    const venue = tx.select({ name: venues.name }).from(venues).where(eq(venues.id, s.venueId)).get()!;
    const title = s.kind === "roaming" ? `巡回申請サポート ${venue.name}` : `拠点窓口（${VISIT_MODE_SHORT_LABELS[s.mode]}） ${venue.name}`;
    const nowIso = now.toISOString();
    const row = tx
      .insert(visits)
      .values({
        programId: program.id,
        kind: s.kind,
        mode: s.mode,
        status: "planned",
        title,
        venueId: s.venueId,
        vehicleId: null,
        date: s.date,
        startsAt,
        endsAt,
        ownerId: user.id,
        notes: s.notes || null,
        createdAt: nowIso,
        updatedAt: nowIso,
        statusChangedAt: nowIso,
      })
      .returning({ id: visits.id })
      .get();
    writeHold(tx, row.id, booked);
    audit({ userId: user.id, action: "visit.create_session", entity: "visit", entityId: row.id, detail: { kind: s.kind, date: s.date, startsAt, endsAt, venueId: s.venueId }, at: nowIso }, tx);
    return { ok: true as const, id: row.id };
  }, db);
}

/**
 * The city agrees a month's roaming and base-facility schedule in one
 * decision: every planned session of the month becomes agreed, with one
 * append-only approvals row for the month.
 */
export function agreeMonthSchedule(
  input: { month: string; comment?: string | null; user: SessionUser; now?: Date },
  db: Db = getDb(),
): { ok: true; count: number } | Refusal {
  const r = decideMonthSchedule({ ...input, shownIds: null, agreeIds: null }, db);
  return r.ok ? { ok: true, count: r.agreed } : r;
}

export const RETURN_NEEDS_COMMENT = (n: number) =>
  `チェックを外した予定（${n}件）を差し戻すには、コメントに差し戻す理由や直してほしい点を書いてください。合意するだけなら、すべての予定にチェックを入れてください。`;
export const MONTH_CHANGED =
  "画面を開いた後に、この月の予定が変更されています（受託者が予定を追加・変更したか、ほかの市職員が先に判断しました）。画面を再読み込みして、もう一度選んでください。";

/**
 * The city decides on part or all of a month (/city/schedule): the sessions
 * it ticked become agreed, the others it was shown stay planned and go back
 * to the contractor with the comment (required then), kept as their status
 * reason until they are agreed. One transaction; one append-only approvals
 * row per decision (agreed / changes_requested) listing its sessions; audited.
 * No email: the month's agreement never sent one (staff see the comment on
 * the session and in its history).
 *
 * shownIds: the planned sessions the official saw (a session planned after the
 * page was opened is left alone); null: every planned session of the month.
 * agreeIds: the ticked ones; null: all of them.
 */
export function decideMonthSchedule(
  input: { month: string; shownIds: number[] | null; agreeIds: number[] | null; comment?: string | null; user: SessionUser; now?: Date },
  db: Db = getDb(),
): { ok: true; agreed: number; returned: number } | Refusal {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.month)) return { ok: false, message: "月の指定が正しくありません。" };
  const parsedComment = commentSchema.safeParse(input.comment ?? "");
  if (!parsedComment.success) return { ok: false, message: parsedComment.error.issues[0].message, field: "comment" };
  const comment = parsedComment.data.trim();
  const now = input.now ?? new Date();
  const agreeable = transitionFrom("agree_schedule", "session");
  return refusable((tx) => {
    const planned = tx
      .select()
      .from(visits)
      .where(and(inArray(visits.kind, ["roaming", "base"]), inArray(visits.status, agreeable), gte(visits.date, `${input.month}-01`), lte(visits.date, `${input.month}-31`)))
      .orderBy(visits.startsAt)
      .all();
    const shown = input.shownIds ? new Set(input.shownIds) : null;
    const inScope = shown ? planned.filter((v) => shown.has(v.id)) : planned;
    if (shown && inScope.length !== shown.size) return { ok: false as const, message: MONTH_CHANGED };
    if (inScope.length === 0) return { ok: false as const, message: "この月に合意待ちの予定はありません。" };
    const ticked = input.agreeIds ? new Set(input.agreeIds) : null;
    const toAgree = ticked ? inScope.filter((v) => ticked.has(v.id)) : inScope;
    const toReturn = ticked ? inScope.filter((v) => !ticked.has(v.id)) : [];
    // Agreeing is the lifecycle's transition (checked below); returning changes no state, so the permission module decides.
    if (toReturn.length > 0 && !can(input.user.role, "visits.approve")) return { ok: false as const, message: "月間予定の差し戻しは市職員のみが行えます。" };
    if (toReturn.length > 0 && !comment) return { ok: false as const, message: RETURN_NEEDS_COMMENT(toReturn.length), field: "comment" };
    const nowIso = now.toISOString();
    const sessionsOf = (list: typeof planned) => list.map((v) => ({ id: v.id, kind: v.kind, date: v.date, startsAt: v.startsAt, endsAt: v.endsAt, venue: venueLabel(tx, v) }));
    for (const v of toAgree) {
      // The machine decides, with the signed-in user's role as the actor.
      const check = checkTransition({ kind: v.kind, from: v.status, transition: "agree_schedule", actor: input.user.role });
      if (!check.ok) return check;
      tx.update(visits).set({ status: check.to, statusReason: null, statusChangedAt: nowIso, version: v.version + 1, updatedAt: nowIso }).where(eq(visits.id, v.id)).run();
    }
    if (toAgree.length > 0) {
      tx.insert(approvals)
        .values({
          visitId: null,
          scheduleMonth: input.month,
          decision: "agreed",
          // With sessions returned, the comment is the return's (its own row below).
          comment: toReturn.length === 0 ? comment || null : null,
          snapshot: { sessions: sessionsOf(toAgree) },
          decidedById: input.user.id,
          decidedAt: nowIso,
        })
        .run();
      audit({ userId: input.user.id, action: "visit.agree_schedule", entity: "schedule_month", entityId: input.month, detail: { count: toAgree.length, ids: toAgree.map((v) => v.id) }, at: nowIso }, tx);
    }
    if (toReturn.length > 0) {
      // Still planned (nothing to undo); the city's comment stays on each until the city agrees it.
      for (const v of toReturn) tx.update(visits).set({ statusReason: comment, version: v.version + 1, updatedAt: nowIso }).where(eq(visits.id, v.id)).run();
      tx.insert(approvals)
        .values({ visitId: null, scheduleMonth: input.month, decision: "changes_requested", comment, snapshot: { sessions: sessionsOf(toReturn) }, decidedById: input.user.id, decidedAt: nowIso })
        .run();
      audit(
        { userId: input.user.id, action: "visit.return_schedule", entity: "schedule_month", entityId: input.month, detail: { count: toReturn.length, ids: toReturn.map((v) => v.id), comment }, at: nowIso },
        tx,
      );
    }
    return { ok: true as const, agreed: toAgree.length, returned: toReturn.length };
  }, db);
}
