/**
 * Planning roaming and base-facility sessions from the calendar: one
 * session or a weekly series, and moving any visit by drag. The lifecycle's
 * createSession / rescheduleVisit (app/visits/sessions.server.ts, scheduling.server.ts) own the
 * status, re-approval and booking rules (days, venue, car); this module adds
 * the weekly series and reports which weeks could not be planned.
 */
import { z } from "zod";
import type { SessionUser } from "../auth.server";
import { getDb, type Db } from "../db.server";
import { addDays, isValidYmd } from "../lib/dates";
import { parseId } from "../lib/ids";
import { freeText } from "../lib/validation";
import { rescheduleVisit } from "../visits/scheduling.server";
import { modeRefusal } from "../visits/booking";
import { createSession } from "../visits/sessions.server";

export const MAX_REPEAT_WEEKS = 26;


const hm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "時刻は 10:00 の形で入力してください。" });

export const planSchema = z
  .object({
    kind: z.enum(["roaming", "base"], { error: "種類（巡回・拠点施設）を選んでください。" }),
    mode: z.enum(["accept", "support"], { error: "方式を選んでください。" }),
    // Strict: z.coerce.number would read "0x10" as venue 16.
    venueId: z.unknown().transform((v, ctx) => {
      const id = parseId(v);
      if (id == null) ctx.addIssue({ code: "custom", message: "会場を選んでください。" });
      return id ?? 0;
    }),
    date: z.string().refine(isValidYmd, { error: "日付を選んでください。" }),
    startTime: hm,
    endTime: hm,
    repeatWeeks: z.preprocess(
      (v) => (v === "" || v == null ? 1 : Number(String(v).normalize("NFKC"))),
      z
        .number({ error: "回数は数字で入力してください。" })
        .int({ error: "回数は整数で入力してください。" })
        .min(1, { error: "回数は1以上にしてください。" })
        .max(MAX_REPEAT_WEEKS, { error: `毎週の繰り返しは${MAX_REPEAT_WEEKS}回までです。` }),
    ),
    notes: freeText(1000, { multiline: true }).optional(),
  })
  .refine((s) => s.startTime < s.endTime, { error: "終了時刻は開始時刻より後にしてください。", path: ["endTime"] });

export type PlanResult =
  | { ok: true; created: { id: number; date: string }[]; skipped: { date: string; reason: string }[]; message: string }
  | { ok: false; errors: Record<string, string>; message: string; skipped?: { date: string; reason: string }[] };

/**
 * Create a session, or the same session every week for N weeks. Each week
 * is checked and written on its own (one transaction each): a week that
 * clashes with the car or falls on a closed day is skipped and reported,
 * the others are planned.
 */
export function planSessions(input: Record<string, unknown>, user: SessionUser, db: Db = getDb()): PlanResult {
  const parsed = planSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "_form")] ??= issue.message;
    return { ok: false, errors, message: "入力内容を確認してください。" };
  }
  const p = parsed.data;
  // Asked once here so a wrong mode is one message at the mode field, not one skipped week each.
  const wrongMode = modeRefusal(p.kind, p.mode);
  if (wrongMode) return { ok: false, errors: { mode: wrongMode }, message: wrongMode };
  const created: { id: number; date: string }[] = [];
  const skipped: { date: string; reason: string }[] = [];
  for (let i = 0; i < p.repeatWeeks; i++) {
    const date = addDays(p.date, 7 * i);
    const result = createSession(
      { kind: p.kind, mode: p.mode, venueId: p.venueId, date, startsAt: `${date}T${p.startTime}`, endsAt: `${date}T${p.endTime}`, notes: p.notes || null },
      user,
      db,
    );
    if (result.ok) created.push({ id: result.id, date });
    else skipped.push({ date, reason: result.message });
  }
  if (created.length === 0) {
    const first = skipped[0];
    const message = p.repeatWeeks === 1 && first ? first.reason : "作成できた予定はありません。下の理由を確認して日時を変えてください。";
    return { ok: false, errors: p.repeatWeeks === 1 ? { date: message } : {}, message, skipped };
  }
  const message =
    skipped.length === 0
      ? `${created.length}件の予定を作成しました（計画中）。市との合意後に公開スケジュールに載ります。`
      : `${created.length}件の予定を作成し、${skipped.length}件は作成しませんでした（理由は下の一覧）。`;
  return { ok: true, created, skipped, message };
}

export type MoveInput = { visitId: number; startsAt: string; endsAt: string; version?: number | null };

/** Move a visit by drag or resize; the lifecycle applies re-approval and the car's clash check. */
export function moveOnCalendar(input: MoveInput, user: SessionUser, db: Db = getDb()): { ok: true; message: string } | { ok: false; message: string } {
  const result = rescheduleVisit({ visitId: input.visitId, startsAt: input.startsAt, endsAt: input.endsAt, expectedVersion: input.version ?? null }, user, db);
  if (!result.ok) return { ok: false, message: result.message };
  return { ok: true, message: result.message };
}
