import { describe, expect, it } from "vitest";
import { closedDayReason, dayNote, isBaseDay, isMovable, localFromIso } from "../../app/calendar/rules";
import { WHAT_TO_BRING, whatToBringLine } from "../../app/lib/what-to-bring";

const program = { startsOn: "2026-05-01", endsOn: "2027-03-31", closedDates: ["2026-12-28"] };

describe("days the program does not run", () => {
  it("shades days outside the program, the year-end closure and configured closed days, and names holidays", () => {
    expect(closedDayReason("2026-04-30", program)).toBe("業務期間外");
    expect(closedDayReason("2027-04-01", program)).toBe("業務期間外");
    expect(closedDayReason("2026-12-29", program)).toMatch(/年末年始/);
    expect(closedDayReason("2027-01-03", program)).toMatch(/年末年始/);
    expect(closedDayReason("2027-01-04", program)).toBeNull();
    expect(closedDayReason("2026-12-28", program)).toBe("実施しない日");
    expect(closedDayReason("2026-11-24", program)).toBeNull();
    expect(dayNote("2026-11-23", program)).toBe("勤労感謝の日");
  });

  it("lets base-facility sessions run on Saturdays, Sundays and national holidays only", () => {
    expect(isBaseDay("2026-11-28")).toBe(true); // Saturday
    expect(isBaseDay("2026-11-29")).toBe(true); // Sunday
    expect(isBaseDay("2026-11-23")).toBe(true); // 勤労感謝の日 (Monday)
    expect(isBaseDay("2026-11-24")).toBe(false);
  });

  it("lets only open visits move", () => {
    expect(isMovable("roaming", "planned")).toBe(true);
    expect(isMovable("base", "agreed")).toBe(true);
    expect(isMovable("group", "approved")).toBe(true);
    expect(isMovable("group", "completed")).toBe(false);
    expect(isMovable("roaming", "cancelled")).toBe(false);
  });
});

describe("calendar times", () => {
  it("reads ISO times with Z, +09:00 or no offset as Tokyo wall-clock", () => {
    expect(localFromIso("2026-12-01T01:00:00Z")).toBe("2026-12-01T10:00");
    expect(localFromIso("2026-11-30T15:00:00.000Z")).toBe("2026-12-01T00:00");
    expect(localFromIso("2026-12-01T10:00:00+09:00")).toBe("2026-12-01T10:00");
    expect(localFromIso("2026-12-01T10:00:00")).toBe("2026-12-01T10:00");
    expect(localFromIso("2026-12-01")).toBe("2026-12-01T00:00");
    expect(localFromIso("soon")).toBeNull();
  });
});

describe("what to bring", () => {
  it("asks for ID documents in 受付方式 only", () => {
    expect(whatToBringLine("accept")).toContain("本人確認書類");
    expect(WHAT_TO_BRING.support.items.join("")).not.toContain("本人確認書類");
    expect(WHAT_TO_BRING.support.note).toContain("本人確認書類");
  });
});
