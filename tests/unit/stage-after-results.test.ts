import { describe, expect, it } from "vitest";
import { stageAfterResults, stageForVisitStatus } from "../../app/crm/stages";

/**
 * Where a completed group visit leaves its organisation, by hand:
 * `revisit wanted | applications | expected | stage`. 再訪候補 when staff ticked
 * 「再訪の希望あり」 or fewer than half the expected people applied.
 */
const TABLE = `
no  | 20 | 20   | visited
no  | 10 | 20   | visited
no  |  9 | 20   | revisit
no  |  0 | 20   | revisit
no  | 11 | 21   | visited
no  | 10 | 21   | revisit
no  |  5 | 10   | visited
no  |  4 | 10   | revisit
no  | 40 | 20   | visited
no  |  0 | null | visited
no  |  0 | 0    | visited
yes | 20 | 20   | revisit
yes | 30 | 20   | revisit
yes |  0 | null | revisit
`;
const rows = TABLE.trim()
  .split("\n")
  .map((line) => {
    const [wanted, applications, expected, stage] = line.split("|").map((s) => s.trim());
    return { revisitWanted: wanted === "yes", applications: Number(applications), expectedApplicants: expected === "null" ? null : Number(expected), stage };
  });

describe("the stage a group visit's results give its organisation", () => {
  it.each(rows)("再訪希望 $revisitWanted, $applications applied of $expectedApplicants expected → $stage", ({ stage, ...outcome }) => {
    expect(stageAfterResults(outcome)).toBe(stage);
  });

  it("is what the lifecycle's stage for a completed visit follows, and plain 実施済 without results", () => {
    expect(stageForVisitStatus("completed", { revisitWanted: false, applications: 3, expectedApplicants: 20 })).toBe("revisit");
    expect(stageForVisitStatus("completed", { revisitWanted: false, applications: 15, expectedApplicants: 20 })).toBe("visited");
    expect(stageForVisitStatus("completed")).toBe("visited");
    // Other statuses ignore the results.
    expect(stageForVisitStatus("approved", { revisitWanted: true, applications: 0, expectedApplicants: 20 })).toBe("confirmed");
  });
});
