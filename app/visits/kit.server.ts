/**
 * 持ち物チェック: the kit items of settings.kitItems ticked off before
 * departure, one kit_checks row per ticked item (who and when). Only open
 * sessions change their checklist (the lifecycle's isOpen).
 */
import { and, eq } from "drizzle-orm";
import { kitChecks, users, visits } from "../../db/schema";
import type { SessionUser } from "../auth.server";
import { getDb, type Db, type Tx } from "../db.server";
import { VISIT_STATUS_LABELS } from "../lib/labels";
import { can } from "../permissions";
import { getSettings } from "../settings.server";
import { NOT_FOUND, refusable, type Refusal } from "./common.server";
import { isOpen } from "./lifecycle";

export type KitItem = { key: string; label: string; checkedAt: string | null; checkedBy: string | null };

/** The checklist of a session: every item of the settings, in their order, with who ticked it and when. */
export function kitChecklist(visitId: number, db: Db | Tx = getDb()): KitItem[] {
  const checks = db
    .select({ itemKey: kitChecks.itemKey, checkedAt: kitChecks.checkedAt, checkedBy: users.name })
    .from(kitChecks)
    .leftJoin(users, eq(users.id, kitChecks.checkedById))
    .where(eq(kitChecks.visitId, visitId))
    .all();
  const byKey = new Map(checks.map((c) => [c.itemKey, c]));
  return getSettings(db).kitItems.map((item) => {
    const c = byKey.get(item.key);
    return { key: item.key, label: item.label, checkedAt: c?.checkedAt ?? null, checkedBy: c ? (c.checkedBy ?? "—") : null };
  });
}

/**
 * Tick (checked) or untick one item. Says the state wanted rather than
 * toggling, so a double submit or two people ticking the same item agree.
 */
export function setKitCheck(
  input: { visitId: number; itemKey: string; checked: boolean; now?: Date },
  actor: Pick<SessionUser, "id" | "role">,
  db: Db = getDb(),
): { ok: true; message: string } | Refusal {
  if (!can(actor.role, "visits.manage")) return { ok: false, message: "持ち物チェックは受託者の担当者が行います。" };
  const at = (input.now ?? new Date()).toISOString();
  return refusable<{ ok: true; message: string } | Refusal>((tx) => {
    const v = tx.select({ id: visits.id, status: visits.status }).from(visits).where(eq(visits.id, input.visitId)).get();
    if (!v) return { ok: false, message: NOT_FOUND };
    const item = getSettings(tx).kitItems.find((i) => i.key === input.itemKey);
    if (!item) return { ok: false, message: "その持ち物は設定にありません。画面を再読み込みしてください。" };
    if (!isOpen(v.status)) return { ok: false, message: `「${VISIT_STATUS_LABELS[v.status]}」の予定の持ち物チェックは変更できません。` };
    if (input.checked) {
      // The first tick keeps its who and when.
      tx.insert(kitChecks).values({ visitId: v.id, itemKey: item.key, checkedById: actor.id, checkedAt: at }).onConflictDoNothing().run();
      return { ok: true, message: `「${item.label}」を確認済にしました。` };
    }
    tx.delete(kitChecks).where(and(eq(kitChecks.visitId, v.id), eq(kitChecks.itemKey, item.key))).run();
    return { ok: true, message: `「${item.label}」の確認を外しました。` };
  }, db);
}
