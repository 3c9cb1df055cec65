/**
 * 広報・PR活動 (seed 000 §5(3)): what was or will be done, in which medium,
 * when, with what reach, and the city's approval of the material (§5(3)②:
 * materials need it before use). Marking an item done without an approval on
 * record is allowed but warned about; the later sign-off issue links the
 * approval to a document.
 */
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { prActivities, users, PR_MEDIA, PR_STATUSES, type PrMedium, type PrStatus } from "../../db/schema";
import { audit } from "../audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { isValidYmd, todayInTokyo } from "../lib/dates";
import { fieldErrors, freeText } from "../lib/validation";
import { getActiveProgram } from "../settings.server";
import { PR_MEDIA_OFFERED, prWarning, type PrWarning } from "./labels";

type Actor = { id: number };
export type Refusal = { ok: false; message: string; errors: Record<string, string> };
/** Saved; `warning` when the item is done without the city's approval before use (PR_WARNING_MESSAGES). */
export type PrSaved = { ok: true; id: number; warning: PrWarning | null };

export const PR_PAGE_SIZE = 50;
const NOT_FOUND = "広報活動の記録が見つかりません。一覧から選び直してください。";
const CHECK_FORM = "入力内容を確認してください。赤く表示された項目を直してから保存してください。";
const refusal = (errors: Record<string, string>, message = CHECK_FORM): Refusal => ({ ok: false, message, errors });

const optionalDay = (label: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? "").normalize("NFKC").trim() || null)
    .refine((v) => v == null || isValidYmd(v), { error: `${label}を「2026-12-01」の形で入力してください。` });

function prSchema(media: readonly PrMedium[]) {
  return z.object({
    medium: z.enum(PR_MEDIA, { error: "媒体を選んでください。" }).refine((m) => media.includes(m), { error: "媒体を一覧から選んでください。" }),
    title: freeText(200, { required: "内容（チラシの名前、掲載先など）を入力してください。" }),
    status: z.enum(PR_STATUSES, { error: "予定か実施済かを選んでください。" }),
    plannedOn: optionalDay("予定日"),
    doneOn: optionalDay("実施日"),
    reach: z
      .string()
      .optional()
      .transform((v) => (v ?? "").normalize("NFKC").replace(/[,，]/g, "").trim())
      .refine((v) => v === "" || (/^\d{1,9}$/.test(v)), { error: "数量・到達数は0以上の整数で入力してください（例: 5000）。" })
      .transform((v) => (v === "" ? null : Number(v))),
    reachUnit: freeText(20).transform((v) => v || null).optional(),
    notes: freeText(1000, { multiline: true }).transform((v) => v || null).optional(),
    cityApprovedOn: optionalDay("市の承認日"),
    cityApprovalRef: freeText(100).transform((v) => v || null).optional(),
  });
}

export type PrInput = {
  medium?: string;
  title?: string;
  status?: string;
  plannedOn?: string;
  doneOn?: string;
  reach?: string;
  reachUnit?: string;
  notes?: string;
  cityApprovedOn?: string;
  cityApprovalRef?: string;
  /** The clock (demo data passes past times). */
  now?: Date;
};

/**
 * Add (id null) or change a PR item. New items offer the seven media of
 * §5(3); an older row keeps its medium (tv, newspaper, other) when edited.
 * Done needs its date, and no date in the future.
 */
export function savePrActivity(id: number | null, input: PrInput, actor: Actor, db: Db = getDb()): PrSaved | Refusal {
  const now = input.now ?? new Date();
  const today = todayInTokyo(now);
  return writeTransaction((tx) => {
    const existing = id == null ? null : tx.select().from(prActivities).where(eq(prActivities.id, id)).get();
    if (id != null && !existing) return refusal({}, NOT_FOUND);
    const media = existing && !PR_MEDIA_OFFERED.includes(existing.medium) ? [...PR_MEDIA_OFFERED, existing.medium] : PR_MEDIA_OFFERED;
    const parsed = prSchema(media).safeParse(input);
    if (!parsed.success) return refusal(fieldErrors(parsed.error));
    const v = parsed.data;
    const errors: Record<string, string> = {};
    if (v.status === "done" && !v.doneOn) errors.doneOn = "実施済にするときは実施日を入力してください。";
    if (v.status === "done" && v.doneOn && v.doneOn > today) errors.doneOn = "実施日が未来になっています。まだ実施していないときは「予定」を選んでください。";
    if (v.cityApprovedOn && v.cityApprovedOn > today) errors.cityApprovedOn = "市の承認日が未来になっています。承認を受けた日を入力してください。";
    if (v.cityApprovalRef && !v.cityApprovedOn) errors.cityApprovedOn = "文書番号を記録するときは、市の承認日も入力してください。";
    if (v.reachUnit && v.reach == null) errors.reach = "単位を書くときは数量・到達数も入力してください。";
    if (Object.keys(errors).length) return refusal(errors);
    const values = { ...v, doneOn: v.status === "done" ? v.doneOn : null, reachUnit: v.reachUnit ?? null, notes: v.notes ?? null, cityApprovalRef: v.cityApprovalRef ?? null };
    const at = now.toISOString();
    let savedId: number;
    if (existing) {
      tx.update(prActivities).set({ ...values, updatedAt: at }).where(eq(prActivities.id, existing.id)).run();
      savedId = existing.id;
    } else {
      const program = getActiveProgram(tx);
      if (!program) return refusal({}, "業務期間が設定されていないため記録できません。管理者に業務期間の設定（管理 → 設定）を依頼してください。");
      savedId = tx
        .insert(prActivities)
        .values({ ...values, programId: program.id, createdById: actor.id, createdAt: at, updatedAt: at })
        .returning({ id: prActivities.id })
        .get().id;
    }
    audit({ userId: actor.id, action: existing ? "pr.updated" : "pr.created", entity: "pr_activity", entityId: savedId, detail: { status: v.status, approved: !!v.cityApprovedOn }, at }, tx);
    return { ok: true as const, id: savedId, warning: prWarning(values) };
  }, db);
}

/** Mark a planned item done (on `doneOn`, today by default); warns when no city approval is on record. */
export function markPrDone(input: { id: number; doneOn?: string | null; now?: Date }, actor: Actor, db: Db = getDb()): PrSaved | Refusal {
  const now = input.now ?? new Date();
  const today = todayInTokyo(now);
  const doneOn = (input.doneOn ?? "").trim() || today;
  if (!isValidYmd(doneOn)) return refusal({ doneOn: "実施日を「2026-12-01」の形で入力してください。" });
  if (doneOn > today) return refusal({ doneOn: "実施日が未来になっています。" });
  return writeTransaction((tx) => {
    const row = tx.select().from(prActivities).where(eq(prActivities.id, input.id)).get();
    if (!row) return refusal({}, NOT_FOUND);
    if (row.status === "done") return refusal({}, "この広報活動はすでに実施済です。画面を再読み込みしてください。");
    const at = now.toISOString();
    tx.update(prActivities).set({ status: "done", doneOn, updatedAt: at }).where(eq(prActivities.id, row.id)).run();
    audit({ userId: actor.id, action: "pr.done", entity: "pr_activity", entityId: row.id, detail: { approved: !!row.cityApprovedOn }, at }, tx);
    return { ok: true as const, id: row.id, warning: prWarning({ status: "done", doneOn, cityApprovedOn: row.cityApprovedOn }) };
  }, db);
}

export type PrFilter = { status?: string | null; medium?: string | null; missingApproval?: boolean; page?: number };

/** One page of PR items: planned first (by planned date), then done (newest first). */
export function listPrActivities(filter: PrFilter, db: Db | Tx = getDb()) {
  const parts: SQL[] = [];
  if (filter.status && (PR_STATUSES as readonly string[]).includes(filter.status)) parts.push(eq(prActivities.status, filter.status as PrStatus));
  if (filter.medium && (PR_MEDIA as readonly string[]).includes(filter.medium)) parts.push(eq(prActivities.medium, filter.medium as PrMedium));
  if (filter.missingApproval) parts.push(sql`${prActivities.cityApprovedOn} is null`);
  const where = parts.length ? and(...parts) : undefined;
  const total = db.select({ n: sql<number>`count(*)` }).from(prActivities).where(where).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / PR_PAGE_SIZE));
  const page = Math.min(Math.max(1, filter.page ?? 1), pageCount);
  const rows = db
    .select({
      id: prActivities.id,
      medium: prActivities.medium,
      title: prActivities.title,
      status: prActivities.status,
      plannedOn: prActivities.plannedOn,
      doneOn: prActivities.doneOn,
      reach: prActivities.reach,
      reachUnit: prActivities.reachUnit,
      notes: prActivities.notes,
      cityApprovedOn: prActivities.cityApprovedOn,
      cityApprovalRef: prActivities.cityApprovalRef,
      createdBy: users.name,
    })
    .from(prActivities)
    .leftJoin(users, eq(users.id, prActivities.createdById))
    .where(where)
    .orderBy(sql`${prActivities.status} = 'done'`, sql`case when ${prActivities.status} = 'done' then '' else coalesce(${prActivities.plannedOn}, '9999') end`, desc(prActivities.doneOn), desc(prActivities.id))
    .limit(PR_PAGE_SIZE)
    .offset((page - 1) * PR_PAGE_SIZE)
    .all();
  const withoutApproval = db
    .select({ n: sql<number>`count(*)` })
    .from(prActivities)
    .where(and(eq(prActivities.status, "done"), sql`${prActivities.cityApprovedOn} is null`))
    .get()?.n ?? 0;
  return { rows, page, pageCount, total, withoutApproval };
}

/** One PR item for its edit page, or null. */
export function prActivity(id: number, db: Db | Tx = getDb()) {
  return db.select().from(prActivities).where(eq(prActivities.id, id)).get() ?? null;
}
