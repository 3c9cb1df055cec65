/**
 * Submitting the public request form: validation (the authority), abuse
 * checks, and one IMMEDIATE transaction that stores the request, matches or
 * creates the organisation in the CRM, creates the group visit and queues the
 * receipt email.
 *
 * The form's idempotency key is bound to what was submitted: the same key with
 * the same (normalised) content shows the earlier receipt; the same key with
 * other content is stored as a new request under a fresh key, so a key taken
 * from another page never reveals that submission's receipt or status link.
 */
import crypto from "node:crypto";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import {
  organisations,
  programs,
  vehicles,
  visitRequests,
  visits,
} from "../../db/schema";
import { followVisitStatus, logActivity } from "../crm/activities.server";
import { addRequestContact, applyProposalInTx, recordProposal } from "../crm/proposals.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { nationalHolidaysBetween, todayInTokyo } from "../lib/dates";
import { digitsOnly, organisationSearchKey } from "../lib/normalise";
import { fieldErrors } from "../lib/validation";
import { hitRateLimit, hitRecipientLimit, RECIPIENT_LIMITED } from "../lib/rate-limit.server";
import { getActiveProgram, getSettings } from "../settings.server";
import { queueVisitEmail } from "../visits/emails.server";
import { initialState } from "../visits/lifecycle";
import { HONEYPOT_FIELD, IDEMPOTENCY_FIELD, REQUEST_FIELDS, requestSchema, type RequestInput, type RequestSchemaContext } from "./schema";

/** The context the schema needs, from the settings and the active program (null when no program runs). */
export function requestFormContext(db: Db | Tx = getDb(), now: Date = new Date()): RequestSchemaContext | null {
  const program = getActiveProgram(db);
  if (!program) return null;
  const s = getSettings(db);
  return {
    today: todayInTokyo(now),
    minNoticeDays: s.minNoticeDays,
    programStart: program.startsOn,
    programEnd: program.endsOn,
    closedDates: s.closedDates,
    openedDates: s.openedDates,
    // The schema checks days in the browser too, where the holiday table is not sent (app/requests/schema.ts).
    holidays: nationalHolidaysBetween(program.startsOn, program.endsOn),
    minApplicants: s.minApplicants,
    maxApplicants: s.maxApplicants,
  };
}

/**
 * The form's schema for a context, built once per context (it changes with
 * the date and the settings): building a zod object costs more than parsing.
 */
let lastSchema: { key: string; schema: ReturnType<typeof requestSchema> } | undefined;
function schemaFor(ctx: RequestSchemaContext) {
  const key = JSON.stringify(ctx);
  if (lastSchema?.key !== key) lastSchema = { key, schema: requestSchema(ctx) };
  return lastSchema.schema;
}

/** A fresh key for the hidden field: resubmitting the same form creates one request. */
export function newIdempotencyKey(): string {
  return crypto.randomBytes(18).toString("base64url");
}

/** Bearer token of the status link: 192 random bits. */
export function newStatusToken(): string {
  return crypto.randomBytes(24).toString("base64url");
}

export type SubmitResult =
  | { ok: true; receiptNo: string; statusToken: string; repeated: boolean }
  | { ok: false; errors: Record<string, string>; values: Record<string, string>; formError?: string };

/** Hits per hour per address; the window is one hour. */
const HOUR_MS = 60 * 60 * 1000;
/** Total characters accepted in the form (besides the server's 64 KB body limit). */
const MAX_TOTAL_CHARS = 16_000;

/** Only the known fields, as strings (unknown fields are ignored). */
export function formValues(form: FormData | Record<string, unknown>): Record<string, string> {
  const get = (k: string) => (form instanceof FormData ? form.get(k) : form[k]);
  const values: Record<string, string> = {};
  for (const key of REQUEST_FIELDS) {
    const v = get(key);
    if (typeof v === "string") values[key] = v.slice(0, 4000);
    else if (typeof v === "boolean") values[key] = v ? "on" : "";
  }
  return values;
}

export async function submitVisitRequest(
  form: FormData | Record<string, unknown>,
  opts: { ip?: string | null; now?: Date; source?: "web" | "phone" | "staff" } = {},
): Promise<SubmitResult> {
  const now = opts.now ?? new Date();
  const get = (k: string) => (form instanceof FormData ? form.get(k) : form[k]);
  const values = formValues(form);
  const total = Object.values(values).reduce((n, v) => n + v.length, 0);
  if (total > MAX_TOTAL_CHARS) {
    return { ok: false, errors: {}, values, formError: "入力された内容が長すぎます。連絡事項などを短くしてからもう一度お送りください。" };
  }

  // A filled honeypot is a bot: pretend success, store nothing.
  const honeypot = get(HONEYPOT_FIELD);
  if (typeof honeypot === "string" && honeypot.trim() !== "") {
    return { ok: true, receiptNo: `G-${now.getFullYear()}-${String(crypto.randomInt(1000, 9999))}`, statusToken: newStatusToken(), repeated: false };
  }

  const rawKey = get(IDEMPOTENCY_FIELD);
  const clientKey = typeof rawKey === "string" && /^[A-Za-z0-9_-]{16,64}$/.test(rawKey) ? rawKey : null;

  const ctx = requestFormContext(getDb(), now);
  if (!ctx) {
    return { ok: false, errors: {}, values, formError: "現在、お申し込みを受け付けている実施期間がありません。お手数ですが窓口までお電話ください。" };
  }
  // Validate first: a key alone (an empty or different form) never brings back a receipt.
  const parsed = schemaFor(ctx).safeParse(values);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error), values };
  const content = requestContentDigest(parsed.data);

  const settings = getSettings();
  let idempotencyKey = clientKey ?? newIdempotencyKey();
  try {
    return writeTransaction((tx) => {
      // Inside the IMMEDIATE transaction: a concurrent double click stores one row.
      const earlier = findByIdempotencyKey(tx, idempotencyKey);
      if (earlier) {
        // The same key and the same content: a genuine resend, shown the same receipt.
        if (sameDigest(requestContentDigest(earlier), content)) return { ok: true as const, receiptNo: earlier.receiptNo, statusToken: earlier.statusToken, repeated: true };
        // The same key with other content (a form edited after sending, or a key
        // taken from someone else's page): a new request under a fresh key.
        idempotencyKey = newIdempotencyKey();
      }
      if (opts.ip !== undefined) {
        const limit = hitRateLimit(`request:${opts.ip ?? "unknown"}`, settings.requestRateLimitPerHour, HOUR_MS, { db: tx, now });
        if (!limit.allowed) {
          return {
            ok: false as const,
            errors: {},
            values,
            formError: `短い時間に多くのお申し込みがあったため、いったん受付を止めています。${Math.ceil(limit.retryAfterSeconds / 60)}分ほど待ってからもう一度お送りいただくか、窓口までお電話ください。`,
          };
        }
        // Each request emails a receipt to the address typed in: cap what one recipient can be sent.
        if (!hitRecipientLimit(parsed.data.email, { db: tx, now }).allowed) {
          return { ok: false as const, errors: {}, values, formError: RECIPIENT_LIMITED };
        }
      }
      const stored = storeRequest(tx, parsed.data, { idempotencyKey, now, source: opts.source ?? "web" });
      return { ok: true as const, ...stored, repeated: false };
    });
  } catch (error) {
    // The unique idempotency key lost a race with a twin request: show that one, if it is the same request.
    const twin = findByIdempotencyKey(getDb(), idempotencyKey);
    if (twin && sameDigest(requestContentDigest(twin), content)) return { ok: true, receiptNo: twin.receiptNo, statusToken: twin.statusToken, repeated: true };
    console.error("request submit:", error);
    return { ok: false, errors: {}, values, formError: "申し訳ありません。受付の処理に失敗しました。入力内容はそのままですので、少し待ってからもう一度「申し込む」を押してください。" };
  }
}

/**
 * The submitted content an idempotency key is bound to: every normalised field, as stored on the request.
 * The reading is not stored on the request (only on the organisation), so it is not part of it.
 */
type ContentField = Exclude<(typeof REQUEST_FIELDS)[number], "consent" | "organisationNameKana">;
const CONTENT_FIELDS: readonly ContentField[] = REQUEST_FIELDS.filter((f): f is ContentField => f !== "consent" && f !== "organisationNameKana");

type RequestContent = Pick<RequestInput, (typeof CONTENT_FIELDS)[number]>;

/** SHA-256 of the normalised fields (the same for the parsed form and the stored row). */
export function requestContentDigest(content: RequestContent): Buffer {
  const canonical = JSON.stringify(CONTENT_FIELDS.map((f) => content[f] ?? null));
  return crypto.createHash("sha256").update(canonical).digest();
}

function sameDigest(a: Buffer, b: Buffer) {
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function findByIdempotencyKey(db: Db | Tx, key: string) {
  return db.select().from(visitRequests).where(eq(visitRequests.idempotencyKey, key)).get() ?? null;
}

/** Next 受付番号 of the program year: G-2026-0001, G-2026-0002 … (call inside the IMMEDIATE transaction). */
export function nextReceiptNo(tx: Tx, fiscalYear: number): string {
  const prefix = `G-${fiscalYear}-`;
  const row = tx
    .select({ max: sql<number | null>`max(cast(substr(${visitRequests.receiptNo}, ${prefix.length + 1}) as integer))` })
    .from(visitRequests)
    .where(sql`${visitRequests.receiptNo} like ${prefix + "%"}`)
    .get();
  return `${prefix}${String((row?.max ?? 0) + 1).padStart(4, "0")}`;
}

type MatchResult = { organisationId: number; possibleDuplicate: boolean; created: boolean };

/**
 * Find the organisation in the CRM or create it. Same search key and same
 * phone or email: the same organisation. Only the key, or only the phone or
 * email: a new organisation flagged as a possible duplicate for staff to
 * decide — never merged silently.
 */
export function matchOrCreateOrganisation(tx: Tx, input: RequestInput, nowIso: string): MatchResult {
  const searchKey = organisationSearchKey(input.organisationName);
  const phoneKey = digitsOnly(input.phone);
  const email = input.email;
  const candidates = tx
    .select({ id: organisations.id, searchKey: organisations.searchKey, phoneKey: organisations.phoneKey, email: organisations.email, nameKana: organisations.nameKana })
    .from(organisations)
    .where(
      and(
        isNull(organisations.mergedIntoId),
        or(eq(organisations.searchKey, searchKey), eq(organisations.phoneKey, phoneKey), sql`lower(${organisations.email}) = ${email}`),
      ),
    )
    .orderBy(organisations.id)
    .all();
  const sameContact = (c: (typeof candidates)[number]) => c.phoneKey === phoneKey || (c.email ?? "").toLowerCase() === email;
  const strong = candidates.find((c) => c.searchKey === searchKey && sameContact(c));
  // An existing organisation is only linked: what the request would change on it becomes a proposal (app/crm/proposals.server.ts).
  if (strong) {
    // Except a missing よみがな: it only helps staff find the organisation, and a reading staff entered is kept.
    if (!strong.nameKana && input.organisationNameKana) {
      tx.update(organisations).set({ nameKana: input.organisationNameKana, updatedAt: nowIso }).where(eq(organisations.id, strong.id)).run();
    }
    return { organisationId: strong.id, possibleDuplicate: false, created: false };
  }
  const weak = candidates.find((c) => c.searchKey === searchKey) ?? candidates.find((c) => c.phoneKey === phoneKey) ?? candidates[0];
  const created = tx
    .insert(organisations)
    .values({
      name: input.organisationName,
      nameKana: input.organisationNameKana,
      searchKey,
      kind: input.organisationKind,
      postalCode: input.postalCode,
      address: input.address,
      phone: input.phone,
      phoneKey,
      email,
      expectedApplicants: input.expectedApplicants,
      possibleDuplicateOfId: weak?.id ?? null,
      notes: weak ? "Webフォームの申込で作成。既存の団体と重複の可能性があります。" : null,
      createdAt: nowIso,
      updatedAt: nowIso,
    })
    .returning({ id: organisations.id })
    .get();
  return { organisationId: created.id, possibleDuplicate: !!weak, created: true };
}

/** Store one valid request (inside the caller's IMMEDIATE transaction). */
export function storeRequest(
  tx: Tx,
  input: RequestInput,
  opts: { idempotencyKey: string | null; now?: Date; source?: "web" | "phone" | "staff"; userId?: number | null },
): { receiptNo: string; statusToken: string; requestId: number; visitId: number; organisationId: number; proposalId: number | null } {
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  const program = tx.select().from(programs).where(eq(programs.active, true)).get();
  if (!program) throw new Error("no active program");
  const receiptNo = nextReceiptNo(tx, program.fiscalYear);
  const statusToken = newStatusToken();
  const match = matchOrCreateOrganisation(tx, input, nowIso);

  const request = tx
    .insert(visitRequests)
    .values({
      programId: program.id,
      receiptNo,
      statusToken,
      idempotencyKey: opts.idempotencyKey,
      organisationId: match.organisationId,
      organisationName: input.organisationName,
      organisationKind: input.organisationKind,
      postalCode: input.postalCode,
      address: input.address,
      contactName: input.contactName,
      phone: input.phone,
      email: input.email,
      expectedApplicants: input.expectedApplicants,
      preferredDate1: input.preferredDate1,
      preferredSlot1: input.preferredSlot1,
      preferredDate2: input.preferredDate2,
      preferredSlot2: input.preferredSlot2,
      preferredDate3: input.preferredDate3,
      preferredSlot3: input.preferredSlot3,
      venueText: input.venueText,
      parking: input.parking,
      message: input.message,
      possibleDuplicate: match.possibleDuplicate,
      source: opts.source ?? "web",
      createdAt: nowIso,
    })
    .returning({ id: visitRequests.id })
    .get();

  const org = tx.select({ ownerId: organisations.ownerId }).from(organisations).where(eq(organisations.id, match.organisationId)).get();
  const car = tx.select({ id: vehicles.id }).from(vehicles).where(eq(vehicles.active, true)).orderBy(vehicles.id).get();

  const visit = tx
    .insert(visits)
    .values({
      programId: program.id,
      kind: "group",
      mode: "accept",
      status: initialState("group"),
      title: `${input.organisationName} 出張申請`,
      requestId: request.id,
      organisationId: match.organisationId,
      vehicleId: car?.id ?? null,
      expectedApplicants: input.expectedApplicants,
      ownerId: org?.ownerId ?? null,
      statusChangedAt: nowIso,
      createdAt: nowIso,
      updatedAt: nowIso,
    })
    .returning({ id: visits.id })
    .get();

  let proposalId: number | null = null;
  let proposed = false;
  if (match.created) {
    // The sender's own new organisation: their contact and the stage their visit implies.
    addRequestContact(tx, match.organisationId, { name: input.contactName, phone: input.phone, email: input.email });
    followVisitStatus(tx, { organisationId: match.organisationId, status: initialState("group"), userId: opts.userId ?? null, visitId: visit.id, at: nowIso });
  } else {
    // An organisation already in the CRM: an anonymous sender changes nothing of it; staff confirm a proposal.
    proposalId = recordProposal(tx, { organisationId: match.organisationId, requestId: request.id, visitId: visit.id, nowIso });
    proposed = proposalId !== null;
    // A request staff take down themselves (phone) is trusted: applied at once.
    if (proposalId !== null && opts.userId != null) {
      applyProposalInTx(tx, proposalId, match.organisationId, opts.userId, nowIso);
      proposed = false;
    }
  }
  const channel = opts.source === "phone" ? "電話で申込を受付" : opts.source === "staff" ? "担当者が申込を代理入力" : "Webフォームから申込";
  logActivity(tx, {
    organisationId: match.organisationId,
    kind: "request",
    summary: `${channel}（受付番号 ${receiptNo}）`,
    body:
      [
        match.possibleDuplicate ? "既存の団体と重複の可能性があります。団体の画面で確認してください。" : null,
        proposed ? "申込の内容（担当者・連絡先・段階など）は、まだ団体に反映していません。団体の画面の「申込からの変更の提案」で確認してください。" : null,
      ]
        .filter(Boolean)
        .join("\n") || null,
    visitId: visit.id,
    requestId: request.id,
    userId: opts.userId ?? null,
    occurredAt: nowIso,
  });
  queueVisitEmail(tx, "receipt", visit.id);
  return { receiptNo, statusToken, requestId: request.id, visitId: visit.id, organisationId: match.organisationId, proposalId: proposed ? proposalId : null };
}
