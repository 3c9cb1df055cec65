import { describe, expect, it } from "vitest";
import { countTowardsTargets, TARGET_FIELD_LABELS } from "../../app/reports/targets";

describe("which sessions count towards the contract's targets", () => {
  it("counts every base-facility session (both modes) and the roaming サポート sessions towards the 150", () => {
    // Aomori's shape: 10 base 受付, 40 base サポート, 100 roaming, 100 group visits.
    const counts = countTowardsTargets([
      { kind: "base", mode: "accept", count: 10 },
      { kind: "base", mode: "support", count: 40 },
      { kind: "roaming", mode: "support", count: 100 },
      { kind: "group", mode: "accept", count: 100 },
    ]);
    expect(counts).toEqual({ group: 100, roaming: 100, baseAccept: 10, baseSupport: 40, combined: 150 });
  });

  it("leaves group visits out of the combined target whatever their mode", () => {
    expect(countTowardsTargets([{ kind: "group", mode: "support", count: 3 }]).combined).toBe(0);
  });

  it("labels the combined target as base sessions of both modes plus roaming", () => {
    expect(TARGET_FIELD_LABELS.targetSupportCombined).toBe("拠点施設（両方式）＋巡回の合計目標（以上）");
  });
});
