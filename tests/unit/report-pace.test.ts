import { describe, expect, it } from "vitest";
import { pace } from "../../app/reports/pace";

// A program from 2026-04-01 to 2027-03-31 (365 days). On 2026-10-01, 183 days have passed and 181 are left.
const year = { startsOn: "2026-04-01", endsOn: "2027-03-31" };

describe("the pace verdict of a target", () => {
  it.each([
    // target, done, planned, today, verdict, why (worked out by hand)
    [100, 100, 0, "2026-10-01", "on_track", "reached"],
    [100, 120, 5, "2027-01-10", "on_track", "beyond the target"],
    [100, 40, 60, "2026-10-01", "on_track", "40 done + 60 planned = 100"],
    [100, 60, 10, "2026-10-01", "at_risk", "60 + 10 = 70 planned, but 60 in 183 days → 119 by the end at that pace"],
    [100, 40, 20, "2026-10-01", "off_track", "40 + 20 = 60 planned; at that pace 79 by the end"],
    [150, 149, 0, "2027-04-01", "off_track", "the program has ended one short"],
    [10, 0, 3, "2026-03-20", "at_risk", "not started yet, plans cover 3 of 10"],
    [10, 0, 10, "2026-03-20", "on_track", "not started yet, plans cover all 10"],
  ])("target %i, done %i, planned %i on %s: %s (%s)", (target, done, planned, today, verdict) => {
    expect(pace({ target, done, planned, today, ...year }).verdict).toBe(verdict);
  });

  it("is 要注意 when the pace so far would reach the target but the sessions are not planned yet", () => {
    // 60 done in 183 days: 60 + 60/183 × 181 = 60 + 59.3 → 119 ≥ 100; secured 60 + 10 = 70 < 100.
    const p = pace({ target: 100, done: 60, planned: 10, today: "2026-10-01", ...year });
    expect(p).toMatchObject({ verdict: "at_risk", remaining: 40, daysLeft: 181, secured: 70, projected: 119, gap: 19 });
    // 40 left in 181 days: 40 / 181 × 7 = 1.55 a week; the pace so far is 60 / 183 × 7 = 2.30.
    expect(p.neededPerWeek).toBe(1.5);
    expect(p.pacePerWeek).toBe(2.3);
  });

  it("is 未達見込み when neither the plans nor the pace reach the target, and says by how much", () => {
    // 40 done in 183 days: 40 + 40/183 × 181 = 79.56 → 79; secured 40 + 20 = 60.
    const p = pace({ target: 100, done: 40, planned: 20, today: "2026-10-01", ...year });
    expect(p).toMatchObject({ verdict: "off_track", projected: 79, secured: 60, gap: -21 });
  });

  it("is 未達見込み once the program has ended short of the target", () => {
    expect(pace({ target: 150, done: 149, planned: 0, today: "2027-04-01", ...year })).toMatchObject({ verdict: "off_track", daysLeft: 0, neededPerWeek: null, gap: -1 });
  });

  it("is 要注意 before the program starts unless the plans already cover it", () => {
    expect(pace({ target: 10, done: 0, planned: 3, today: "2026-03-20", ...year })).toMatchObject({ verdict: "at_risk", pacePerWeek: null, projected: null });
    expect(pace({ target: 10, done: 0, planned: 10, today: "2026-03-20", ...year }).verdict).toBe("on_track");
  });

  it("counts the last day: on the end date with the last sessions planned for that day", () => {
    expect(pace({ target: 100, done: 98, planned: 2, today: "2027-03-31", ...year })).toMatchObject({ verdict: "on_track", daysLeft: 0 });
  });
});
