import { describe, expect, it } from "vitest";
import { dayMarks } from "../../app/calendar/public-schedule.server";

// /schedule writes 土曜・日曜・祝日 beside each date (issue 15 item 16): text, not colour only.
describe("weekend and holiday marks on the public schedule", () => {
  it.each([
    ["2026-11-03", [{ kind: "holiday", text: "祝日 文化の日" }]], // Tuesday
    ["2026-11-23", [{ kind: "holiday", text: "祝日 勤労感謝の日" }]], // Monday
    ["2026-11-28", [{ kind: "sat", text: "土曜" }]],
    ["2026-11-29", [{ kind: "sun", text: "日曜" }]],
    ["2026-11-24", []], // an ordinary Tuesday
    ["2027-01-11", [{ kind: "holiday", text: "祝日 成人の日" }]],
    // A holiday on a Sunday shows both, and the substitute Monday is a holiday of its own.
    ["2026-05-03", [{ kind: "sun", text: "日曜" }, { kind: "holiday", text: "祝日 憲法記念日" }]],
    ["2026-05-06", [{ kind: "holiday", text: "祝日 こどもの日 振替休日" }]],
  ])("%s", (ymd, expected) => {
    expect(dayMarks(ymd)).toEqual(expected);
  });
});
