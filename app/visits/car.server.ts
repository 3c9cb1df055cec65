/**
 * The wrapping car as a resource. A visit that holds the car blocks the range
 * [holdStartsAt, holdEndsAt): the session plus set-up, tear-down and travel
 * buffers. Check and write must run in the same writeTransaction() (BEGIN
 * IMMEDIATE) so two concurrent attempts cannot both win.
 */
import { and, eq, gt, isNotNull, lt, ne } from "drizzle-orm";
import { visits } from "../../db/schema";
import type { Db, Tx } from "../db.server";
import { addMinutesLocal } from "../lib/dates";
import type { Settings } from "../settings.server";

export type HoldRange = { holdStartsAt: string; holdEndsAt: string };

export function carHoldRange(startsAt: string, endsAt: string, s: Pick<Settings, "setupMinutes" | "teardownMinutes" | "travelMinutes">): HoldRange {
  return {
    holdStartsAt: addMinutesLocal(startsAt, -(s.setupMinutes + s.travelMinutes)),
    holdEndsAt: addMinutesLocal(endsAt, s.teardownMinutes + s.travelMinutes),
  };
}

export type CarClash = { id: number; title: string; kind: string; status: string; startsAt: string | null; endsAt: string | null };

/** The first visit already holding the car in an overlapping range, if any. */
export function findCarClash(tx: Tx | Db, input: { vehicleId: number; holdStartsAt: string; holdEndsAt: string; excludeVisitId?: number | null }): CarClash | null {
  const conditions = [
    eq(visits.vehicleId, input.vehicleId),
    isNotNull(visits.holdStartsAt),
    lt(visits.holdStartsAt, input.holdEndsAt),
    gt(visits.holdEndsAt, input.holdStartsAt),
  ];
  if (input.excludeVisitId != null) conditions.push(ne(visits.id, input.excludeVisitId));
  const row = tx
    .select({ id: visits.id, title: visits.title, kind: visits.kind, status: visits.status, startsAt: visits.startsAt, endsAt: visits.endsAt })
    .from(visits)
    .where(and(...conditions))
    .orderBy(visits.holdStartsAt)
    .get();
  return row ?? null;
}

/** Japanese message naming the clashing visit, for the loser of a clash. */
export function clashMessage(clash: CarClash): string {
  const when = clash.startsAt ? `${clash.startsAt.slice(0, 10).replace(/-/g, "/")} ${clash.startsAt.slice(11, 16)}〜${clash.endsAt?.slice(11, 16) ?? ""}` : "";
  return `ラッピングカーはその時間「${clash.title}」（${when}、準備・移動時間を含む）で使用予定のため、予約できません。別の時間を選んでください。`;
}
