/** The pipeline board (営業パイプライン) and hand-made stage moves. */
import { eq } from "drizzle-orm";
import { organisations, STAGES, type OrganisationKind, type Stage } from "../../db/schema";
import { getDb, writeTransaction, type Db } from "../db.server";
import { STAGE_LABELS } from "../lib/labels";
import { freeText } from "../lib/validation";
import { recordStageChange } from "./activities.server";
import { BOARD_PAGE, BOARD_STAGES, checkManualMove } from "./stages";

export type BoardCard = {
  id: number;
  name: string;
  kind: OrganisationKind;
  stage: Stage;
  stageChangedAt: string;
  expectedApplicants: number | null;
  headCount: number | null;
  ownerName: string | null;
  nextActionOn: string | null;
  lostReason: string | null;
  lostAtStage: Stage | null;
};

export type BoardColumn = { stage: Stage; count: number; expectedSum: number; cards: BoardCard[] };


export function getBoard(opts: { owner?: number | null; limits?: Partial<Record<Stage, number>> } = {}, db: Db = getDb()): BoardColumn[] {
  const c = db.$client;
  const ownerWhere = opts.owner ? " and o.owner_id = ?" : "";
  const ownerParams = opts.owner ? [opts.owner] : [];
  // The counts the triggers keep (organisation_stage_counts): a few rows, however many organisations.
  const totals = c
    .prepare(
      `select stage, sum(organisations) as n, sum(expected_applicants) as expected
       from organisation_stage_counts${opts.owner ? " where owner_id = ?" : ""} group by stage`,
    )
    .all(...ownerParams) as { stage: Stage; n: number; expected: number }[];
  const cardsStmt = c.prepare(
    `select o.id, o.name, o.kind, o.stage, o.stage_changed_at as stageChangedAt, o.expected_applicants as expectedApplicants,
            o.head_count as headCount, u.name as ownerName, o.next_action_on as nextActionOn, o.lost_reason as lostReason,
            o.lost_at_stage as lostAtStage
     from organisations o left join users u on u.id = o.owner_id
     where o.merged_into_id is null and o.stage = ?${ownerWhere}
     order by o.stage_changed_at desc, o.id desc limit ?`,
  );
  return BOARD_STAGES.map((stage) => {
    const t = totals.find((x) => x.stage === stage);
    const limit = Math.min(2000, Math.max(BOARD_PAGE, opts.limits?.[stage] ?? BOARD_PAGE));
    return {
      stage,
      count: t?.n ?? 0,
      expectedSum: t?.expected ?? 0,
      cards: t?.n ? (cardsStmt.all(stage, ...ownerParams, limit) as BoardCard[]) : [],
    };
  });
}

/**
 * Move an organisation by hand (drag, or the "段階を移動" menu). Refuses the
 * stages the visit lifecycle owns and a 見送り without a reason.
 */
export function moveStage(input: { organisationId: number; to: string; reason?: string | null; userId: number }):
  | { ok: true; name: string; from: Stage; to: Stage }
  | { ok: false; message: string } {
  if (!(STAGES as readonly string[]).includes(input.to)) return { ok: false, message: "移動先の段階を選んでください。" };
  const to = input.to as Stage;
  const reason = freeText(200).safeParse(input.reason ?? "");
  if (!reason.success) return { ok: false, message: reason.error.issues[0].message };
  return writeTransaction((tx) => {
    const org = tx
      .select({ name: organisations.name, stage: organisations.stage, mergedIntoId: organisations.mergedIntoId })
      .from(organisations)
      .where(eq(organisations.id, input.organisationId))
      .get();
    if (!org || org.mergedIntoId) return { ok: false as const, message: "団体が見つかりません。画面を再読み込みしてください。" };
    const rule = checkManualMove(org.stage, to, reason.data);
    if (!rule.ok) return { ok: false as const, message: rule.message };
    if (org.stage === to) return { ok: false as const, message: `すでに「${STAGE_LABELS[to]}」です。` };
    recordStageChange(tx, { organisationId: input.organisationId, to, userId: input.userId, reason: reason.data || null });
    return { ok: true as const, name: org.name, from: org.stage, to };
  });
}
