import { auditLog } from "../db/schema";
import { getDb, type Db, type Tx } from "./db.server";

export type AuditEntry = {
  userId?: number | null;
  action: string;
  entity?: string;
  entityId?: string | number | null;
  detail?: unknown;
  ip?: string | null;
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
    })
    .run();
}
