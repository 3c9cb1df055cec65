import { and, desc, eq, gte, isNull, lt, sql, type SQL } from "drizzle-orm";
import { auditLog, users } from "../db/schema";
import { safeCell, toCsv } from "./crm/csv.server";
import { getDb, type Db, type Tx } from "./db.server";
import { auditActionLabel, auditDetailText, auditEntityLabel, type AuditFilters } from "./lib/audit-labels";
import { addDays, formatInstant } from "./lib/dates";

export type AuditEntry = {
  userId?: number | null;
  action: string;
  entity?: string;
  entityId?: string | number | null;
  detail?: unknown;
  ip?: string | null;
  /** When it happened (ISO); defaults to now. */
  at?: string;
};

/** Append to the audit log (sign-ins, changes, every view or export of personal data). */
export function audit(entry: AuditEntry, db: Db | Tx = getDb()) {
  db.insert(auditLog)
    .values({
      userId: entry.userId ?? null,
      action: entry.action,
      entity: entry.entity ?? null,
      entityId: entry.entityId == null ? null : String(entry.entityId),
      detail: entry.detail ?? null,
      ip: entry.ip ?? null,
      // The acting clock (demo data replays past days through the domain functions).
      ...(entry.at ? { at: entry.at } : {}),
    })
    .run();
}

export const AUDIT_PAGE_SIZE = 50;
/** The CSV holds at most this many rows (newest first); the page says so when a filter would give more. */
export const AUDIT_EXPORT_LIMIT = 50_000;

/** The UTC instant at which a Tokyo day starts (audit_log.at is UTC ISO). */
function tokyoDayStart(ymd: string): string {
  return new Date(`${ymd}T00:00:00+09:00`).toISOString();
}

function whereFor(f: AuditFilters) {
  const conds: SQL[] = [];
  if (f.user === "system") conds.push(isNull(auditLog.userId));
  else if (typeof f.user === "number") conds.push(eq(auditLog.userId, f.user));
  if (f.action) conds.push(eq(auditLog.action, f.action));
  if (f.entity) conds.push(eq(auditLog.entity, f.entity));
  if (f.entityId) conds.push(eq(auditLog.entityId, f.entityId));
  if (f.from) conds.push(gte(auditLog.at, tokyoDayStart(f.from)));
  if (f.to) conds.push(lt(auditLog.at, tokyoDayStart(addDays(f.to, 1))));
  return conds.length ? and(...conds) : undefined;
}

const NO_FILTERS: AuditFilters = { user: null, action: null, entity: null, entityId: null, from: null, to: null };

function auditRows(db: Db | Tx, f: AuditFilters) {
  return db
    .select({ id: auditLog.id, at: auditLog.at, action: auditLog.action, entity: auditLog.entity, entityId: auditLog.entityId, ip: auditLog.ip, detail: auditLog.detail, user: users.name, userEmail: users.email })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .where(whereFor(f))
    .orderBy(desc(auditLog.at), desc(auditLog.id));
}

/** One page of the audit log, newest first, with the acting user's name (/admin/audit). */
export function listAuditLog({ page, filters = NO_FILTERS }: { page: number; filters?: AuditFilters }, db: Db | Tx = getDb()) {
  const total = db.select({ n: sql<number>`count(*)` }).from(auditLog).where(whereFor(filters)).get()?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const current = Math.min(page, pageCount);
  const rows = auditRows(db, filters)
    .limit(AUDIT_PAGE_SIZE)
    .offset((current - 1) * AUDIT_PAGE_SIZE)
    .all();
  return { rows, page: current, pageCount, total };
}

/** The people who can appear in the log (for the filter), active or not. */
export function auditPeople(db: Db | Tx = getDb()) {
  return db.select({ id: users.id, name: users.name, role: users.role }).from(users).orderBy(users.name).all();
}

/**
 * The filtered log as CSV, in Japanese (labels from app/lib/audit-labels.ts),
 * through the CRM's CSV writer: UTF-8 with a BOM for Excel and every text cell
 * guarded against formulas. The export itself is logged (it holds who did
 * what, from where).
 */
export function exportAuditLogCsv(filters: AuditFilters, actor: { id: number }, ip: string | null, db: Db = getDb()) {
  const rows = auditRows(db, filters).limit(AUDIT_EXPORT_LIMIT).all();
  const headers = ["日時", "利用者", "利用者のメールアドレス", "操作", "対象", "対象ID", "詳細", "接続元", "操作コード"];
  const data = rows.map((r) =>
    [
      formatInstant(r.at),
      r.user ?? "（システム・団体）",
      r.userEmail,
      auditActionLabel(r.action),
      auditEntityLabel(r.entity),
      r.entityId,
      auditDetailText(r.detail),
      r.ip,
      r.action,
    ].map(safeCell),
  );
  audit({ userId: actor.id, action: "audit.export", entity: "audit_log", detail: { rows: data.length, filters }, ip }, db);
  return { csv: toCsv(headers, data), count: data.length };
}
