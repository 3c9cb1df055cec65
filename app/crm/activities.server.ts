import { eq } from "drizzle-orm";
import { activities, organisations, STAGES, type Stage } from "../../db/schema";
import type { Tx } from "../db.server";
import { stageForVisitStatus, type VisitOutcome } from "./stages";
import type { VisitStatus } from "../../db/schema";

type ActivityKind = (typeof activities.$inferInsert)["kind"];

export type NewActivity = {
  organisationId: number;
  kind: ActivityKind;
  summary: string;
  body?: string | null;
  visitId?: number | null;
  requestId?: number | null;
  userId?: number | null;
  fromStage?: Stage | null;
  toStage?: Stage | null;
  occurredAt?: string;
};

/** Add to an organisation's timeline (and mark it as recently active). Call inside the causing transaction. */
export function logActivity(tx: Tx, a: NewActivity): number {
  const occurredAt = a.occurredAt ?? new Date().toISOString();
  const row = tx
    .insert(activities)
    .values({
      organisationId: a.organisationId,
      kind: a.kind,
      summary: a.summary,
      body: a.body ?? null,
      visitId: a.visitId ?? null,
      requestId: a.requestId ?? null,
      userId: a.userId ?? null,
      fromStage: a.fromStage ?? null,
      toStage: a.toStage ?? null,
      occurredAt,
    })
    .returning({ id: activities.id })
    .get();
  tx.update(organisations).set({ lastActivityAt: occurredAt, updatedAt: occurredAt }).where(eq(organisations.id, a.organisationId)).run();
  return row.id;
}

/**
 * Move an organisation to a stage, recording who, when, from and to. Returns
 * false when it is already there. Rules about which stages staff may choose
 * by hand live with the callers (app/crm); this only records the move.
 */
export function recordStageChange(
  tx: Tx,
  input: { organisationId: number; to: Stage; userId: number | null; reason?: string | null; visitId?: number | null; at?: string },
): boolean {
  if (!STAGES.includes(input.to)) throw new Error(`unknown stage ${input.to}`);
  const org = tx.select({ stage: organisations.stage }).from(organisations).where(eq(organisations.id, input.organisationId)).get();
  if (!org || org.stage === input.to) return false;
  // The caller's clock (a transition's `now`), so a change made "as of" an earlier time is recorded then.
  const now = input.at ?? new Date().toISOString();
  tx.update(organisations)
    .set({
      stage: input.to,
      stageChangedAt: now,
      ...(input.to === "lost" ? { lostReason: input.reason ?? null, lostAtStage: org.stage } : {}),
    })
    .where(eq(organisations.id, input.organisationId))
    .run();
  logActivity(tx, {
    organisationId: input.organisationId,
    kind: "stage_change",
    summary: "段階を変更",
    body: input.reason ?? null,
    fromStage: org.stage,
    toStage: input.to,
    userId: input.userId,
    visitId: input.visitId ?? null,
    occurredAt: now,
  });
  return true;
}

/** The CRM follows the visit lifecycle: call after every status change of a group visit (with the results when it completes). */
export function followVisitStatus(
  tx: Tx,
  input: { organisationId: number; status: VisitStatus; userId: number | null; visitId: number; reason?: string | null; at?: string; outcome?: VisitOutcome },
) {
  const stage = stageForVisitStatus(input.status, input.outcome);
  if (stage) recordStageChange(tx, { organisationId: input.organisationId, to: stage, userId: input.userId, visitId: input.visitId, reason: input.reason, at: input.at });
}
