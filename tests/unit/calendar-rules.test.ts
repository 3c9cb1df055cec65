import { describe, expect, it } from "vitest";
import { localFromIso } from "../../app/calendar/display";
import { closedDayReason, dayNote, dayRefusal, dayType, defaultMode, DAY_TABLE, MODE_TABLE, modeRefusal, needsCityOfficial } from "../../app/visits/booking";
import { isMovable } from "../../app/visits/lifecycle";
import { WHAT_TO_BRING, whatToBringLine } from "../../app/lib/what-to-bring";

const program = { startsOn: "2026-05-01", endsOn: "2027-03-31", closedDates: ["2026-12-28"], openedDates: [] as string[] };

describe("days the program does not run", () => {
  it("shades days outside the program, the year-end closure and configured closed days, and names holidays", () => {
    expect(closedDayReason("2026-04-30", program)).toBe("業務期間外");
    expect(closedDayReason("2027-04-01", program)).toBe("業務期間外");
    expect(closedDayReason("2026-12-29", program)).toMatch(/年末年始/);
    expect(closedDayReason("2026-12-30", program)).toMatch(/年末年始/);
    expect(closedDayReason("2027-01-03", program)).toMatch(/年末年始/);
    expect(closedDayReason("2027-01-04", program)).toBeNull();
    expect(closedDayReason("2026-12-28", program)).toBe("実施しない日");
    expect(closedDayReason("2026-11-24", program)).toBeNull();
    expect(dayNote("2026-11-23", program)).toBe("勤労感謝の日");
  });

  it("opens a closure day only when an admin lists it", () => {
    expect(closedDayReason("2026-12-30", { ...program, openedDates: ["2026-12-30"] })).toBeNull();
    expect(closedDayReason("2026-12-31", { ...program, openedDates: ["2026-12-30"] })).toMatch(/年末年始/);
  });

  it("has one day table, written out here by hand (docs/decisions/007)", () => {
    expect(DAY_TABLE).toEqual({
      group: { weekday: true, weekend: true, holiday: true, closure: false },
      roaming: { weekday: true, weekend: true, holiday: true, closure: false },
      base: { weekday: false, weekend: true, holiday: true, closure: false },
    });
    expect(dayType("2026-11-24")).toBe("weekday");
    expect(dayType("2026-11-28")).toBe("weekend");
    expect(dayType("2026-11-23")).toBe("holiday"); // 勤労感謝の日 (Monday)
    expect(dayType("2027-01-01")).toBe("closure"); // 元日 is a holiday, but the closure wins
  });

  it("lets base-facility sessions run on Saturdays, Sundays and national holidays only", () => {
    expect(dayRefusal("base", "2026-11-28", program)).toBeNull(); // Saturday
    expect(dayRefusal("base", "2026-11-29", program)).toBeNull(); // Sunday
    expect(dayRefusal("base", "2026-11-23", program)).toBeNull(); // 勤労感謝の日 (Monday)
    expect(dayRefusal("base", "2026-11-24", program)).toMatch(/拠点施設.*土曜・日曜・祝日にだけ/);
  });

  it("refuses every kind during the closure, explaining how to open the day", () => {
    for (const kind of ["group", "roaming", "base"] as const) {
      expect(dayRefusal(kind, "2026-12-30", program)).toMatch(/閉庁日.*管理者/);
    }
    expect(dayRefusal("group", "2026-12-30", { ...program, openedDates: ["2026-12-30"] })).toBeNull();
  });

  it("lets only open visits move", () => {
    expect(isMovable("roaming", "planned")).toBe(true);
    expect(isMovable("base", "agreed")).toBe(true);
    expect(isMovable("group", "approved")).toBe(true);
    expect(isMovable("group", "completed")).toBe(false);
    expect(isMovable("roaming", "cancelled")).toBe(false);
    expect(isMovable("group", "planned")).toBe(false); // a session state, never a group visit's
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

describe("the mode table (seed 000 §5(5)①ア, §5(6)①ア, §5(6)④)", () => {
  it("runs group visits in 受付方式, roaming in サポート方式 and base facilities in either", () => {
    expect(MODE_TABLE).toEqual({ group: ["accept"], roaming: ["support"], base: ["support", "accept"] });
    expect(defaultMode("group")).toBe("accept");
    expect(defaultMode("roaming")).toBe("support");
    expect(defaultMode("base")).toBe("support");
  });

  it("says which modes a kind runs in when another is asked for", () => {
    expect(modeRefusal("group", "support")).toBe("団体訪問は出張申請受付方式で行います（出張申請サポート方式は選べません）。");
    expect(modeRefusal("roaming", "accept")).toBe("巡回は出張申請サポート方式で行います（出張申請受付方式は選べません）。");
    expect(modeRefusal("group", "accept")).toBeNull();
    expect(modeRefusal("base", "accept")).toBeNull();
    expect(modeRefusal("base", "support")).toBeNull();
  });

  it("needs a city official on the roster only for 受付方式 (identity checks)", () => {
    expect(needsCityOfficial("accept")).toBe(true);
    expect(needsCityOfficial("support")).toBe(false);
  });
});
