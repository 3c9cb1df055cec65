import { desc, eq, sql } from "drizzle-orm";
import { auditLog, users } from "../db/schema";
import { getDb, type Db, type Tx } from "./db.server";

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

/** One page of the audit log, newest first, with the acting user's name (/admin/audit). */
export function listAuditLog({ page }: { page: number }, db: Db | Tx = getDb()) {
  const total = db.select({ n: sql<number>`count(*)` }).from(auditLog).get()?.n ?? 0;
  const rows = db
    .select({ id: auditLog.id, at: auditLog.at, action: auditLog.action, entity: auditLog.entity, entityId: auditLog.entityId, ip: auditLog.ip, detail: auditLog.detail, user: users.name })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((page - 1) * AUDIT_PAGE_SIZE)
    .all();
  return { rows, page, pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)), total };
}
