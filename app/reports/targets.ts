/**
 * The contract's session targets and which sessions count towards each
 * (seed 000 §5(5)(6)). Pure: /progress, the completion report and the admin
 * form read the same definitions.
 *
 * The combined target counts every base-facility session (both modes) plus
 * the roaming サポート方式 sessions: 「拠点施設等設置型と巡回申請型出張申請
 * サポート方式と合わせて150回以上」 (§5(6)③), about 50 + about 100 in Aomori.
 */
import type { VisitKind, VisitMode } from "../../db/enums";

export type ProgramTargets = {
  targetGroupVisits: number;
  targetRoamingVisits: number;
  targetBaseAccept: number;
  targetBaseSupport: number;
  targetSupportCombined: number;
};

export type TargetKey = "group" | "roaming" | "baseAccept" | "baseSupport" | "combined";

export type TargetDef = {
  key: TargetKey;
  label: string;
  /** The program's column holding the number. */
  column: keyof ProgramTargets;
  /** 「以上」 (at least) or 「程度」 (about), as the contract words it. */
  wording: "at_least" | "about";
  /** Whether a session of this kind and mode counts towards the target. */
  counts: (kind: VisitKind, mode: VisitMode) => boolean;
};

export const TARGETS: readonly TargetDef[] = [
  { key: "group", label: "団体向け出張申請受付", column: "targetGroupVisits", wording: "at_least", counts: (kind) => kind === "group" },
  { key: "roaming", label: "巡回（サポート方式）", column: "targetRoamingVisits", wording: "about", counts: (kind) => kind === "roaming" },
  { key: "baseAccept", label: "拠点施設（受付方式）", column: "targetBaseAccept", wording: "about", counts: (kind, mode) => kind === "base" && mode === "accept" },
  { key: "baseSupport", label: "拠点施設（サポート方式）", column: "targetBaseSupport", wording: "about", counts: (kind, mode) => kind === "base" && mode === "support" },
  {
    key: "combined",
    label: "拠点施設（両方式）＋巡回（サポート方式）",
    column: "targetSupportCombined",
    wording: "at_least",
    counts: (kind, mode) => kind === "base" || (kind === "roaming" && mode === "support"),
  },
];

/** Labels of the target columns on /admin/settings. */
export const TARGET_FIELD_LABELS: Record<keyof ProgramTargets, string> = {
  targetGroupVisits: "団体向け出張申請受付の目標回数（以上）",
  targetRoamingVisits: "巡回（サポート方式）の目標回数（程度）",
  targetBaseAccept: "拠点施設・受付方式の目標回数（程度）",
  targetBaseSupport: "拠点施設・サポート方式の目標回数（程度）",
  targetSupportCombined: "拠点施設（両方式）＋巡回の合計目標（以上）",
};

/** Sessions counting towards each target, from counts per kind and mode. */
export function countTowardsTargets(sessions: readonly { kind: VisitKind; mode: VisitMode; count: number }[]): Record<TargetKey, number> {
  const out = { group: 0, roaming: 0, baseAccept: 0, baseSupport: 0, combined: 0 } as Record<TargetKey, number>;
  for (const t of TARGETS) for (const s of sessions) if (t.counts(s.kind, s.mode)) out[t.key] += s.count;
  return out;
}
