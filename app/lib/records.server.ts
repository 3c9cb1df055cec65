/**
 * Existence checks for ids that arrive in URLs and forms, so a route can
 * answer 404 before any write (instead of a foreign-key error, a 500).
 * Routes name the kind of record; the tables stay on the server side.
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { contacts, districts, emailOutbox, organisationContacts, organisations, users, venues } from "../../db/schema";
import { getDb, type Db, type Tx } from "../db.server";
import { parseId } from "./ids";

const TABLES = { organisation: organisations, contact: contacts, user: users, venue: venues, district: districts, email: emailOutbox };

export type RecordKind = keyof typeof TABLES;

/** Whether a record of this kind has this id. */
export function recordExists(kind: RecordKind, id: number, db: Db | Tx = getDb()): boolean {
  const table = TABLES[kind];
  return !!db.select({ id: table.id }).from(table).where(eq(table.id, id)).get();
}

/** Whether the contact is linked to the organisation (担当者の紐付け). */
export function contactLinked(organisationId: number, contactId: number, db: Db | Tx = getDb()): boolean {
  return !!db
    .select({ id: organisationContacts.contactId })
    .from(organisationContacts)
    .where(and(eq(organisationContacts.organisationId, organisationId), eq(organisationContacts.contactId, contactId)))
    .get();
}

/**
 * An optional id form field that must name an existing record: empty gives
 * null; "0x10", "1e1" or an id with no record gives the field error (a 400
 * with the message, instead of a foreign-key error on save).
 */
export function optionalRecordId(kind: RecordKind, message: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v == null || v.trim() === "") return null;
      const id = parseId(v);
      if (id == null || !recordExists(kind, id)) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return id;
    });
}
