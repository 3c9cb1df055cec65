/**
 * Venues (会場): the places roaming and base-facility sessions are held,
 * reused by every session. Deactivated venues stay for the history but are
 * not offered for new sessions.
 */
import { and, asc, count, desc, eq, isNull, like, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { districts, venues, VENUE_KINDS } from "../../db/schema";
import { audit } from "../audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { parseId } from "../lib/ids";
import { normalisePostalCode } from "../lib/normalise";
import { fieldErrors, freeText, INDIVIDUAL_NUMBER_MESSAGE, noIndividualNumber } from "../lib/validation";

export const VENUE_PAGE_SIZE = 25;

export function listVenues(q: { search?: string; page?: number; showInactive?: boolean }, db: Db | Tx = getDb()) {
  const where: SQL[] = [isNull(venues.organisationId)];
  const search = (q.search ?? "").normalize("NFKC").trim();
  if (search) {
    const pattern = `%${search.replace(/[%_]/g, "")}%`;
    where.push(or(like(venues.name, pattern), like(venues.address, pattern), like(districts.name, pattern))!);
  }
  if (!q.showInactive) where.push(eq(venues.active, true));
  const total =
    db
      .select({ n: count() })
      .from(venues)
      .leftJoin(districts, eq(districts.id, venues.districtId))
      .where(and(...where))
      .get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / VENUE_PAGE_SIZE));
  const page = Math.min(Math.max(1, q.page ?? 1), pageCount);
  const rows = db
    .select({
      id: venues.id,
      name: venues.name,
      kind: venues.kind,
      address: venues.address,
      districtName: districts.name,
      parkingNotes: venues.parkingNotes,
      contactName: venues.contactName,
      contactPhone: venues.contactPhone,
      active: venues.active,
    })
    .from(venues)
    .leftJoin(districts, eq(districts.id, venues.districtId))
    .where(and(...where))
    .orderBy(desc(venues.active), asc(venues.kind), asc(venues.name))
    .limit(VENUE_PAGE_SIZE)
    .offset((page - 1) * VENUE_PAGE_SIZE)
    .all();
  return { rows, total, page, pageCount };
}

/** Active venues for the planning form (kind first, then name). */
export function activeVenueOptions(db: Db | Tx = getDb()) {
  return db
    .select({ id: venues.id, name: venues.name, kind: venues.kind, districtName: districts.name })
    .from(venues)
    .leftJoin(districts, eq(districts.id, venues.districtId))
    .where(and(eq(venues.active, true), isNull(venues.organisationId)))
    .orderBy(asc(venues.kind), asc(venues.name))
    .all();
}

export function getVenue(id: number, db: Db | Tx = getDb()) {
  return db.select().from(venues).where(eq(venues.id, id)).get() ?? null;
}

export const venueSchema = z.object({
  name: freeText(100, { required: "会場名を入力してください。" }),
  kind: z.enum(VENUE_KINDS, { error: "会場の種類を選んでください。" }),
  districtId: z
    .string()
    .optional()
    .transform((v) => (v ? parseId(v) ?? -1 : null))
    .refine((v) => v === null || v > 0, { error: "地区を選び直してください。" }),
  postalCode: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .refine((v) => v === "" || normalisePostalCode(v) !== "", { error: "郵便番号は7桁の数字で入力してください（例: 030-0801）。" })
    .transform((v) => (v ? normalisePostalCode(v) : null)),
  address: freeText(200, { required: "所在地を入力してください（地図のリンクに使います）。" }),
  parkingNotes: freeText(300, { multiline: true }).optional(),
  contactName: freeText(60).optional(),
  contactPhone: z
    .string()
    .optional()
    .transform((v) => (v ?? "").normalize("NFKC").trim())
    .refine((v) => v === "" || /^[0-9+\-() ]{6,20}$/.test(v), { error: "電話番号は数字とハイフンで入力してください（例: 0172-12-3456）。" })
    .refine(noIndividualNumber, { error: INDIVIDUAL_NUMBER_MESSAGE }),
  notes: freeText(1000, { multiline: true }).optional(),
});

export type VenueInput = z.input<typeof venueSchema>;

export function saveVenue(
  id: number | null,
  input: Record<string, unknown>,
  userId: number,
): { ok: true; id: number } | { ok: false; errors: Record<string, string> } {
  const parsed = venueSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const v = parsed.data;
  const values = {
    name: v.name,
    kind: v.kind,
    districtId: v.districtId,
    postalCode: v.postalCode,
    address: v.address,
    parkingNotes: v.parkingNotes || null,
    contactName: v.contactName || null,
    contactPhone: v.contactPhone || null,
    notes: v.notes || null,
  };
  type Result = { ok: true; id: number } | { ok: false; errors: Record<string, string> };
  return writeTransaction((tx): Result => {
    if (values.districtId && !tx.select({ id: districts.id }).from(districts).where(eq(districts.id, values.districtId)).get()) {
      return { ok: false, errors: { districtId: "地区を選び直してください。" } };
    }
    if (id == null) {
      const row = tx.insert(venues).values(values).returning({ id: venues.id }).get();
      audit({ userId, action: "venue.create", entity: "venue", entityId: row.id }, tx);
      return { ok: true, id: row.id };
    }
    const existing = tx.select({ id: venues.id }).from(venues).where(eq(venues.id, id)).get();
    if (!existing) return { ok: false, errors: { _form: "この会場は見つかりませんでした。一覧から選び直してください。" } };
    tx.update(venues).set(values).where(eq(venues.id, id)).run();
    audit({ userId, action: "venue.update", entity: "venue", entityId: id }, tx);
    return { ok: true, id };
  });
}

export function setVenueActive(id: number, active: boolean, userId: number) {
  writeTransaction((tx) => {
    tx.update(venues).set({ active }).where(eq(venues.id, id)).run();
    audit({ userId, action: active ? "venue.activate" : "venue.deactivate", entity: "venue", entityId: id }, tx);
  });
}
