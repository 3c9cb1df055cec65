/**
 * 事故・苦情 on a session: record, add the action taken, close; the printable
 * incident report (事故報告書, seed 003 §14). Serious and urgent ones are
 * reported at once (seed 000 §5(9)①ア, §10(8)): their emails to every active
 * manager and city official are queued in the transaction that records them,
 * and they stay on the staff Today view and the city's home page until closed.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { z } from "zod";
import { incidents, programs, users, visits, INCIDENT_KINDS, INCIDENT_SEVERITIES, type IncidentKind, type IncidentSeverity } from "../../db/schema";
import { IncidentEmail, incidentSubject, incidentText, type IncidentEmailData } from "../../emails/incident";
import { audit } from "../audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { enqueueEmail } from "../email/outbox.server";
import { env } from "../env.server";
import { isValidYmd, localDateTime } from "../lib/dates";
import { fieldErrors, freeText } from "../lib/validation";
import { formatOccurredAt, INCIDENT_KIND_LABELS, INCIDENT_SEVERITY_LABELS, REPORTED_AT_ONCE, reportedAtOnce, sessionWhen } from "./labels";
import { sessionHeading, type SessionHeading } from "./session.server";

export type Refusal = { ok: false; message: string; errors: Record<string, string> };
type Actor = { id: number };

const NOT_FOUND = "事故・苦情の記録が見つかりません。画面を再読み込みしてください。";
const ALREADY_CLOSED = "この事故・苦情はすでに対応完了になっています。画面を再読み込みして確認してください。";

/** `YYYY-MM-DDTHH:mm` as a datetime-local control sends it (seconds dropped). */
const localDateTimeField = z
  .string({ error: "発生日時を入力してください。" })
  .transform((v) => v.normalize("NFKC").trim().replace(" ", "T").slice(0, 16))
  .refine((v) => {
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(v);
    return !!m && isValidYmd(m[1]) && Number(m[2]) < 24 && Number(m[3]) < 60;
  }, { error: "発生日時を「2026-12-01 10:30」の形で入力してください。" });

const actionTakenField = freeText(2000, { multiline: true }).transform((v) => v || null);

const incidentSchema = z.object({
  kind: z.enum(INCIDENT_KINDS, { error: "種類（事故・苦情・その他）を選んでください。" }),
  severity: z.enum(INCIDENT_SEVERITIES, { error: "重大度（軽微・重大・緊急）を選んでください。" }),
  occurredAt: localDateTimeField,
  what: freeText(2000, { required: "何が起きたかを入力してください。", multiline: true }),
  actionTaken: actionTakenField.optional(),
});

export type IncidentInput = {
  visitId: number;
  kind: string;
  severity: string;
  occurredAt: string;
  what: string;
  actionTaken?: string | null;
  /** The clock (demo data passes past times). */
  now?: Date;
};

function refusal(errors: Record<string, string>, message = "入力内容を確認してください。赤く表示された項目を直してから記録してください。"): Refusal {
  return { ok: false, message, errors };
}

/** Every active manager and city official: who hears of a serious incident at once. */
function recipientsOf(tx: Tx): string[] {
  const rows = tx
    .select({ email: users.email })
    .from(users)
    .where(and(inArray(users.role, ["manager", "city"]), eq(users.active, true)))
    .orderBy(asc(users.id))
    .all();
  return [...new Set(rows.map((r) => r.email))];
}

function queueIncidentEmails(tx: Tx, incidentId: number, session: SessionHeading, row: { kind: IncidentKind; severity: IncidentSeverity; occurredAt: string; what: string; actionTaken: string | null }, reportedBy: string): string[] {
  const to = recipientsOf(tx);
  const data: IncidentEmailData = {
    severityLabel: INCIDENT_SEVERITY_LABELS[row.severity],
    kindLabel: INCIDENT_KIND_LABELS[row.kind],
    sessionTitle: session.title,
    sessionWhen: sessionWhen(session),
    place: [session.venueName, session.venueAddress].filter(Boolean).join("　") || "—",
    occurredAt: formatOccurredAt(row.occurredAt),
    what: row.what,
    actionTaken: row.actionTaken,
    reportedBy,
    link: `${env().APP_URL}/incidents/${incidentId}`,
    senderName: env().MAIL_FROM.replace(/\s*<.*>$/, ""),
  };
  const html = `<!DOCTYPE html>${renderToStaticMarkup(createElement(IncidentEmail, { data }))}`;
  for (const address of to) {
    enqueueEmail(tx, { to: address, subject: incidentSubject(data), template: "incident", html, text: incidentText(data), related: { entity: "incident", id: incidentId } });
  }
  return to;
}

/**
 * Record an incident on a session. A serious or urgent one queues its report
 * email to every active manager and city official in the same transaction
 * (it exists exactly when the incident does). Returns who was told.
 */
export function createIncident(input: IncidentInput, actor: Actor, db: Db = getDb()): { ok: true; id: number; notified: string[] } | Refusal {
  const parsed = incidentSchema.safeParse(input);
  if (!parsed.success) return refusal(fieldErrors(parsed.error));
  const v = parsed.data;
  const now = input.now ?? new Date();
  if (v.occurredAt > localDateTime(now)) return refusal({ occurredAt: "発生日時が未来になっています。起きた日時を入力してください。" });
  return writeTransaction((tx) => {
    const session = sessionHeading(input.visitId, tx);
    if (!session) return refusal({}, "訪問が見つかりません。一覧から選び直してください。");
    const at = now.toISOString();
    const row = tx
      .insert(incidents)
      .values({ visitId: session.id, kind: v.kind, severity: v.severity, occurredAt: v.occurredAt, what: v.what, actionTaken: v.actionTaken ?? null, reportedById: actor.id, createdAt: at, updatedAt: at })
      .returning({ id: incidents.id })
      .get();
    const reporter = tx.select({ name: users.name }).from(users).where(eq(users.id, actor.id)).get()?.name ?? "—";
    const notified = reportedAtOnce(v.severity) ? queueIncidentEmails(tx, row.id, session, { ...v, actionTaken: v.actionTaken ?? null }, reporter) : [];
    audit({ userId: actor.id, action: "incident.created", entity: "incident", entityId: row.id, detail: { visitId: session.id, kind: v.kind, severity: v.severity, notified: notified.length }, at }, tx);
    return { ok: true as const, id: row.id, notified };
  }, db);
}

/** The open incident, or a refusal (missing, another session's, closed). */
function openIncident(tx: Tx, incidentId: number, visitId?: number): typeof incidents.$inferSelect | Refusal {
  const row = tx.select().from(incidents).where(eq(incidents.id, incidentId)).get();
  if (!row || (visitId != null && row.visitId !== visitId)) return refusal({}, NOT_FOUND);
  if (row.closedAt) return refusal({}, ALREADY_CLOSED);
  return row;
}

/** Write down (or rewrite) the action taken on an open incident. */
export function updateIncidentAction(
  input: { incidentId: number; visitId?: number; actionTaken: string; now?: Date },
  actor: Actor,
  db: Db = getDb(),
): { ok: true } | Refusal {
  const parsed = actionTakenField.safeParse(input.actionTaken ?? "");
  if (!parsed.success) return refusal({ actionTaken: parsed.error.issues[0].message });
  if (!parsed.data) return refusal({ actionTaken: "とった対応を入力してください。" });
  const at = (input.now ?? new Date()).toISOString();
  return writeTransaction((tx) => {
    const row = openIncident(tx, input.incidentId, input.visitId);
    if ("ok" in row) return row;
    tx.update(incidents).set({ actionTaken: parsed.data, updatedAt: at }).where(eq(incidents.id, row.id)).run();
    audit({ userId: actor.id, action: "incident.updated", entity: "incident", entityId: row.id, detail: { visitId: row.visitId }, at }, tx);
    return { ok: true as const };
  }, db);
}

/**
 * Close an incident (対応完了): who and when are kept. The action taken must
 * be on record first (the report the city gets says what was done); it may be
 * given here at the same time.
 */
export function closeIncident(
  input: { incidentId: number; visitId?: number; actionTaken?: string | null; now?: Date },
  actor: Actor,
  db: Db = getDb(),
): { ok: true } | Refusal {
  const parsed = actionTakenField.safeParse(input.actionTaken ?? "");
  if (!parsed.success) return refusal({ actionTaken: parsed.error.issues[0].message });
  const at = (input.now ?? new Date()).toISOString();
  return writeTransaction((tx) => {
    const row = openIncident(tx, input.incidentId, input.visitId);
    if ("ok" in row) return row;
    const actionTaken = parsed.data ?? row.actionTaken;
    if (!actionTaken) return refusal({ actionTaken: "対応完了にする前に、とった対応を入力してください。" }, "とった対応が記録されていないため、対応完了にできません。");
    tx.update(incidents).set({ actionTaken, closedAt: at, closedById: actor.id, updatedAt: at }).where(eq(incidents.id, row.id)).run();
    audit({ userId: actor.id, action: "incident.closed", entity: "incident", entityId: row.id, detail: { visitId: row.visitId, severity: row.severity }, at }, tx);
    return { ok: true as const };
  }, db);
}

const reporter = alias(users, "reporter");
const closer = alias(users, "closer");

const incidentColumns = {
  id: incidents.id,
  visitId: incidents.visitId,
  kind: incidents.kind,
  severity: incidents.severity,
  occurredAt: incidents.occurredAt,
  what: incidents.what,
  actionTaken: incidents.actionTaken,
  closedAt: incidents.closedAt,
  closedBy: closer.name,
  reportedBy: reporter.name,
  createdAt: incidents.createdAt,
};

export type IncidentRow = {
  id: number;
  visitId: number;
  kind: IncidentKind;
  severity: IncidentSeverity;
  occurredAt: string;
  what: string;
  actionTaken: string | null;
  closedAt: string | null;
  closedBy: string | null;
  reportedBy: string | null;
  createdAt: string;
};

/** A session's incidents, open ones first, then newest first. For the session page and its incidents page. */
export function incidentsForVisit(visitId: number, db: Db | Tx = getDb()): IncidentRow[] {
  return db
    .select(incidentColumns)
    .from(incidents)
    .leftJoin(reporter, eq(reporter.id, incidents.reportedById))
    .leftJoin(closer, eq(closer.id, incidents.closedById))
    .where(eq(incidents.visitId, visitId))
    .orderBy(sql`${incidents.closedAt} is not null`, desc(incidents.occurredAt), desc(incidents.id))
    .all();
}

export type OpenSeriousIncident = IncidentRow & { sessionTitle: string; sessionDate: string | null };

/** Serious and urgent incidents not yet closed, urgent first, then oldest first (staff Today, city home). */
export function openSeriousIncidents(db: Db | Tx = getDb()): OpenSeriousIncident[] {
  return db
    .select({ ...incidentColumns, sessionTitle: visits.title, sessionDate: visits.date })
    .from(incidents)
    .innerJoin(visits, eq(visits.id, incidents.visitId))
    .leftJoin(reporter, eq(reporter.id, incidents.reportedById))
    .leftJoin(closer, eq(closer.id, incidents.closedById))
    .where(and(isNull(incidents.closedAt), inArray(incidents.severity, [...REPORTED_AT_ONCE])))
    .orderBy(desc(eq(incidents.severity, "urgent")), asc(incidents.occurredAt), asc(incidents.id))
    .all();
}

/** Everything the printable incident report (事故報告書) shows, or null. */
export function incidentReport(id: number, db: Db | Tx = getDb()) {
  const incident = db
    .select(incidentColumns)
    .from(incidents)
    .leftJoin(reporter, eq(reporter.id, incidents.reportedById))
    .leftJoin(closer, eq(closer.id, incidents.closedById))
    .where(eq(incidents.id, id))
    .get();
  if (!incident) return null;
  const session = sessionHeading(incident.visitId, db)!;
  const program = db
    .select({ name: programs.name })
    .from(visits)
    .innerJoin(programs, eq(programs.id, visits.programId))
    .where(eq(visits.id, incident.visitId))
    .get();
  return { incident, session, programName: program?.name ?? "マイナンバーカード出張申請等窓口業務" };
}

/** Record that someone opened an incident report (it may describe residents). */
export function auditIncidentView(id: number, userId: number, ip: string | null, db: Db = getDb()) {
  audit({ userId, action: "incident.view", entity: "incident", entityId: id, ip }, db);
}

/** The session an incident belongs to, or null when there is no such incident (routes answer 404 before any write). */
export function incidentVisitId(id: number, db: Db | Tx = getDb()): number | null {
  return db.select({ visitId: incidents.visitId }).from(incidents).where(eq(incidents.id, id)).get()?.visitId ?? null;
}
