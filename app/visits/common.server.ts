/**
 * Pieces every visit write shares: the refusal shape, the transaction that a
 * refusal rolls back, the actor, and what the city's decisions record.
 */
import { and, desc, eq } from "drizzle-orm";
import { approvals, venues, visitRequests, visits } from "../../db/schema";
import type { SessionUser } from "../auth.server";
import { writeTransaction, type Db, type Tx } from "../db.server";
import { freeText } from "../lib/validation";
import type { Actor, ApprovalSnapshot } from "./lifecycle";

export type Refusal = { ok: false; message: string; field?: string };
export type ActorInput = SessionUser | { role: "organisation" };
export type VisitRow = typeof visits.$inferSelect;

export const STALE_VERSION = "他の人がこの訪問を先に更新しました。画面を再読み込みして最新の内容を確認してから、もう一度操作してください。";
export const NOT_FOUND = "訪問が見つかりません。一覧から選び直してください。";

export const commentSchema = freeText(1000, { multiline: true });

export function actorOf(a: ActorInput): { actor: Actor; userId: number | null } {
  return a.role === "organisation" ? { actor: "organisation", userId: null } : { actor: a.role, userId: (a as SessionUser).id };
}

export class RefusedError extends Error {}

/** Run a write that may refuse half-way (after writing): the refusal rolls the whole transaction back. */
export function refusable<T>(fn: (tx: Tx) => T | Refusal, db: Db): T | Refusal {
  let refusal: Refusal | undefined;
  try {
    return writeTransaction((tx) => {
      const result = fn(tx);
      if (result && typeof result === "object" && (result as { ok?: unknown }).ok === false) {
        // Any refusal rolls back whatever was written before it: never a half-written record.
        refusal = result as Refusal;
        throw new RefusedError(refusal.message);
      }
      return result;
    }, db);
  } catch (error) {
    if (error instanceof RefusedError) return refusal ?? { ok: false, message: error.message };
    throw error;
  }
}

/** The venue's name as the city and the organisation know it (a venue row, or the request's own text). */
export function venueLabel(tx: Tx | Db, visit: Pick<VisitRow, "venueId" | "requestId">): string {
  if (visit.venueId) {
    const v = tx.select({ name: venues.name }).from(venues).where(eq(venues.id, visit.venueId)).get();
    if (v) return v.name;
  }
  if (visit.requestId) {
    const r = tx.select({ venueText: visitRequests.venueText }).from(visitRequests).where(eq(visitRequests.id, visit.requestId)).get();
    if (r) return r.venueText;
  }
  return "";
}

/** What a decision is about: everything reapprovalFor() compares, mode included. */
export function snapshotOf(tx: Tx | Db, visit: VisitRow): ApprovalSnapshot {
  return {
    date: visit.date,
    startsAt: visit.startsAt,
    endsAt: visit.endsAt,
    venueId: visit.venueId,
    venue: venueLabel(tx, visit),
    expectedApplicants: visit.expectedApplicants,
    mode: visit.mode,
  };
}

/** What the city last approved for this visit (null: never approved). */
export function lastApprovedSnapshot(tx: Tx | Db, visitId: number): Partial<ApprovalSnapshot> | null {
  const row = tx
    .select({ snapshot: approvals.snapshot })
    .from(approvals)
    .where(and(eq(approvals.visitId, visitId), eq(approvals.decision, "approved")))
    .orderBy(desc(approvals.decidedAt), desc(approvals.id))
    .get();
  return row ? ((row.snapshot as Partial<ApprovalSnapshot> | null) ?? {}) : null;
}
