/**
 * 問合せ記録: inquiries from residents by phone, on site, by email or at the
 * counter, with a category from settings.inquiryCategories and a short summary
 * that holds no personal data. Rows with fromResults = true are written by the
 * results form (its on-site inquiry counts) and are read-only here, so one
 * person is never counted twice. The completion report counts them all by
 * channel and category (countInquiries).
 */
import { and, desc, eq, gte, inArray, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { inquiries, users, visitResults, visits, INQUIRY_CHANNELS, type InquiryChannel } from "../../db/schema";
import { audit } from "../audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { addDays, isValidYmd, todayInTokyo } from "../lib/dates";
import { fieldErrors, freeText } from "../lib/validation";
import { getSettings } from "../settings.server";
import { statesWhere } from "../visits/lifecycle";
import { containsContactDetails, CONTACT_DETAILS_MESSAGE } from "./labels";

type Actor = { id: number };
export type Refusal = { ok: false; message: string; errors: Record<string, string> };

export const INQUIRY_PAGE_SIZE = 50;
const NOT_FOUND = "問合せの記録が見つかりません。画面を再読み込みしてください。";
const FROM_RESULTS = "この行は実施結果の入力から記録されたものです。変更するときは、その回の実施結果を直してください。";
const CHECK_FORM = "入力内容を確認してください。赤く表示された項目を直してから記録してください。";

const refusal = (errors: Record<string, string>, message = CHECK_FORM): Refusal => ({ ok: false, message, errors });

function inquirySchema(categoryKeys: string[], today: string) {
  return z.object({
    receivedOn: z
      .string({ error: "受けた日を入力してください。" })
      .transform((v) => v.normalize("NFKC").trim())
      .refine(isValidYmd, { error: "受けた日を「2026-12-01」の形で入力してください。" })
      .refine((v) => v <= today, { error: "受けた日が未来になっています。今日までの日付を入力してください。" }),
    channel: z.enum(INQUIRY_CHANNELS, { error: "受付の方法（電話・現地・メール・窓口）を選んでください。" }),
    topic: z.string({ error: "分類を選んでください。" }).refine((v) => categoryKeys.includes(v), { error: "分類を一覧から選んでください。" }),
    visitId: z
      .union([z.string(), z.number(), z.null()])
      .optional()
      .transform((v, ctx) => {
        if (v == null || v === "") return null;
        const id = typeof v === "number" ? v : /^[1-9]\d{0,15}$/.test(v) ? Number(v) : NaN;
        if (!Number.isSafeInteger(id)) {
          ctx.addIssue({ code: "custom", message: "実施回を一覧から選んでください。" });
          return z.NEVER;
        }
        return id;
      }),
    summary: freeText(200)
      .refine((v) => !containsContactDetails(v), { error: CONTACT_DETAILS_MESSAGE })
      .transform((v) => v || null)
      .optional(),
    count: z
      .union([z.string(), z.number()])
      .optional()
      .transform((v) => (v == null || v === "" ? 1 : Number(String(v).normalize("NFKC").trim())))
      .refine((n) => Number.isInteger(n) && n >= 1 && n <= 999, { error: "件数は1〜999の整数で入力してください。" }),
  });
}

export type InquiryInput = {
  receivedOn?: string;
  channel?: string;
  topic?: string;
  visitId?: string | number | null;
  summary?: string | null;
  count?: string | number;
  /** The clock (demo data passes past times). */
  now?: Date;
};

type Parsed = { receivedOn: string; channel: InquiryChannel; topic: string; visitId: number | null; summary: string | null; count: number };

function parse(tx: Tx, input: InquiryInput, keepTopic?: string): Parsed | Refusal {
  const keys = getSettings(tx).inquiryCategories.map((c) => c.key);
  // A row keeps a category removed from the settings since it was written.
  if (keepTopic && !keys.includes(keepTopic)) keys.push(keepTopic);
  const parsed = inquirySchema(keys, todayInTokyo(input.now ?? new Date())).safeParse(input);
  if (!parsed.success) return refusal(fieldErrors(parsed.error));
  const v = parsed.data;
  if (v.visitId != null && !tx.select({ id: visits.id }).from(visits).where(eq(visits.id, v.visitId)).get()) {
    return refusal({ visitId: "実施回が見つかりません。一覧から選び直してください。" });
  }
  return { ...v, summary: v.summary ?? null };
}

/**
 * Keep a visit's inquiryCount the sum of all its site inquiry rows. Call after
 * adding or removing a site inquiry of a visit in the inquiry log (same
 * transaction); a visit without results has nothing to update.
 */
export function refreshInquiryCount(tx: Tx, visitId: number): number {
  const total =
    tx
      .select({ n: sql<number>`coalesce(sum(${inquiries.count}), 0)` })
      .from(inquiries)
      .where(and(eq(inquiries.visitId, visitId), eq(inquiries.channel, "site")))
      .get()?.n ?? 0;
  tx.update(visitResults).set({ inquiryCount: total }).where(eq(visitResults.visitId, visitId)).run();
  return total;
}

/** Keep the results' on-site count in step for the visits a write touched. */
function refreshVisits(tx: Tx, ...visitIds: (number | null | undefined)[]) {
  for (const id of new Set(visitIds)) if (id != null) refreshInquiryCount(tx, id);
}

/** Log an inquiry (the quick-add form, and the demo data). */
export function logInquiry(input: InquiryInput, actor: Actor, db: Db = getDb()): { ok: true; id: number } | Refusal {
  return writeTransaction((tx) => {
    const v = parse(tx, input);
    if ("ok" in v) return v;
    const row = tx
      .insert(inquiries)
      .values({ ...v, fromResults: false, createdById: actor.id, ...(input.now ? { createdAt: input.now.toISOString() } : {}) })
      .returning({ id: inquiries.id })
      .get();
    refreshVisits(tx, v.visitId);
    return { ok: true as const, id: row.id };
  }, db);
}

function ownRow(tx: Tx, id: number): typeof inquiries.$inferSelect | Refusal {
  const row = tx.select().from(inquiries).where(eq(inquiries.id, id)).get();
  if (!row) return refusal({}, NOT_FOUND);
  if (row.fromResults) return refusal({}, FROM_RESULTS);
  return row;
}

/** Correct a logged inquiry (never one written by the results form). */
export function updateInquiry(input: InquiryInput & { id: number }, actor: Actor, db: Db = getDb()): { ok: true } | Refusal {
  return writeTransaction((tx) => {
    const row = ownRow(tx, input.id);
    if ("ok" in row) return row;
    const v = parse(tx, input, row.topic);
    if ("ok" in v) return v;
    tx.update(inquiries).set(v).where(eq(inquiries.id, row.id)).run();
    refreshVisits(tx, row.visitId, v.visitId);
    audit({ userId: actor.id, action: "inquiry.updated", entity: "inquiry", entityId: row.id, ...(input.now ? { at: input.now.toISOString() } : {}) }, tx);
    return { ok: true as const };
  }, db);
}

/** Delete a logged inquiry (never one written by the results form); audited with what it held. */
export function deleteInquiry(input: { id: number }, actor: Actor, db: Db = getDb()): { ok: true } | Refusal {
  return writeTransaction((tx) => {
    const row = ownRow(tx, input.id);
    if ("ok" in row) return row;
    tx.delete(inquiries).where(eq(inquiries.id, row.id)).run();
    refreshVisits(tx, row.visitId);
    audit({ userId: actor.id, action: "inquiry.deleted", entity: "inquiry", entityId: row.id, detail: { receivedOn: row.receivedOn, channel: row.channel, topic: row.topic, count: row.count } }, tx);
    return { ok: true as const };
  }, db);
}

export type InquiryFilter = { month?: string | null; channel?: string | null; topic?: string | null; page?: number };

function filterWhere(f: InquiryFilter): SQL | undefined {
  const parts: SQL[] = [];
  if (f.month && /^\d{4}-\d{2}$/.test(f.month)) parts.push(sql`substr(${inquiries.receivedOn}, 1, 7) = ${f.month}`);
  if (f.channel && (INQUIRY_CHANNELS as readonly string[]).includes(f.channel)) parts.push(eq(inquiries.channel, f.channel as InquiryChannel));
  if (f.topic) parts.push(eq(inquiries.topic, f.topic));
  return parts.length ? and(...parts) : undefined;
}

/** One page of the log, newest first, with the filtered totals (rows and the sum of counts). */
export function listInquiries(filter: InquiryFilter, db: Db | Tx = getDb()) {
  const where = filterWhere(filter);
  const totals = db
    .select({ rows: sql<number>`count(*)`, count: sql<number>`coalesce(sum(${inquiries.count}), 0)` })
    .from(inquiries)
    .where(where)
    .get() ?? { rows: 0, count: 0 };
  const pageCount = Math.max(1, Math.ceil(totals.rows / INQUIRY_PAGE_SIZE));
  const page = Math.min(Math.max(1, filter.page ?? 1), pageCount);
  const rows = db
    .select({
      id: inquiries.id,
      receivedOn: inquiries.receivedOn,
      channel: inquiries.channel,
      topic: inquiries.topic,
      summary: inquiries.summary,
      count: inquiries.count,
      fromResults: inquiries.fromResults,
      visitId: inquiries.visitId,
      visitTitle: visits.title,
      visitDate: visits.date,
      createdBy: users.name,
    })
    .from(inquiries)
    .leftJoin(visits, eq(visits.id, inquiries.visitId))
    .leftJoin(users, eq(users.id, inquiries.createdById))
    .where(where)
    .orderBy(desc(inquiries.receivedOn), desc(inquiries.id))
    .limit(INQUIRY_PAGE_SIZE)
    .offset((page - 1) * INQUIRY_PAGE_SIZE)
    .all();
  return { rows, page, pageCount, total: totals.rows, countSum: totals.count };
}

/** One logged row for the edit form (null when missing or written by the results form). */
export function inquiryForEdit(id: number, db: Db | Tx = getDb()) {
  const row = db.select().from(inquiries).where(eq(inquiries.id, id)).get();
  return row && !row.fromResults ? row : null;
}

/**
 * Sessions a 現地 inquiry may belong to: confirmed or done, from two weeks ago
 * to today (newest first), plus `keepId` (the session of a row being edited).
 */
export function recentSessions(today: string = todayInTokyo(), keepId: number | null = null, db: Db | Tx = getDb()) {
  const recent = and(inArray(visits.status, statesWhere("confirmed")), gte(visits.date, addDays(today, -14)), lte(visits.date, today));
  return db
    .select({ id: visits.id, title: visits.title, date: visits.date, kind: visits.kind })
    .from(visits)
    .where(keepId ? or(recent, eq(visits.id, keepId)) : recent)
    .orderBy(desc(visits.date), desc(visits.startsAt))
    .limit(40)
    .all();
}

/** Where an inquiry row came from: "log" (this log), "results" (the results form), or null when there is none. */
export function inquiryOrigin(id: number, db: Db | Tx = getDb()): "log" | "results" | null {
  const row = db.select({ fromResults: inquiries.fromResults }).from(inquiries).where(eq(inquiries.id, id)).get();
  return row ? (row.fromResults ? "results" : "log") : null;
}

export type InquiryCounts = {
  /** Sum of counts over the period. */
  total: number;
  byChannel: Record<InquiryChannel, number>;
  /** By category key (a key removed from the settings since still counts under its key). */
  byCategory: Record<string, number>;
  /** channel → category key → count (only combinations that occur). */
  byChannelAndCategory: Record<InquiryChannel, Record<string, number>>;
  /** The settings' categories, then any other key found, for labelling rows in order. */
  categories: { key: string; label: string }[];
};

/**
 * Inquiries between two days (inclusive, `YYYY-MM-DD`) by channel and by
 * category, summing each row's count; rows written by the results form are
 * included (they are the on-site inquiries). For the completion report.
 */
export function countInquiries({ from, to }: { from: string; to: string }, db: Db | Tx = getDb()): InquiryCounts {
  const rows = db
    .select({ channel: inquiries.channel, topic: inquiries.topic, n: sql<number>`sum(${inquiries.count})` })
    .from(inquiries)
    .where(and(gte(inquiries.receivedOn, from), lte(inquiries.receivedOn, to)))
    .groupBy(inquiries.channel, inquiries.topic)
    .all();
  const byChannel = Object.fromEntries(INQUIRY_CHANNELS.map((c) => [c, 0])) as Record<InquiryChannel, number>;
  const byChannelAndCategory = Object.fromEntries(INQUIRY_CHANNELS.map((c) => [c, {}])) as Record<InquiryChannel, Record<string, number>>;
  const byCategory: Record<string, number> = {};
  let total = 0;
  for (const r of rows) {
    total += r.n;
    byChannel[r.channel] += r.n;
    byCategory[r.topic] = (byCategory[r.topic] ?? 0) + r.n;
    byChannelAndCategory[r.channel][r.topic] = r.n;
  }
  const categories = [...getSettings(db).inquiryCategories];
  for (const key of Object.keys(byCategory)) if (!categories.some((c) => c.key === key)) categories.push({ key, label: key });
  return { total, byChannel, byCategory, byChannelAndCategory, categories };
}
