import { describe, expect, it } from "vitest";
import {
  addDays,
  addMinutesLocal,
  formatDate,
  formatTimeRange,
  formatWareki,
  holidayName,
  isBusinessDay,
  isNationalHoliday,
  localDateTime,
  nextBusinessDay,
  todayInTokyo,
} from "../../app/lib/dates";

describe("dates as Japanese readers expect them", () => {
  it.each([
    ["2026-12-01", "2026年12月1日(火)"],
    ["2027-01-01", "2027年1月1日(金)"],
    ["2026-11-22", "2026年11月22日(日)"],
  ])("formats %s as %s", (ymd, expected) => {
    expect(formatDate(ymd)).toBe(expected);
  });

  it.each([
    ["2026-12-01", "令和8年12月1日"],
    ["2019-05-01", "令和元年5月1日"],
    ["2019-04-30", "平成31年4月30日"],
  ])("shows %s in 和暦 as %s", (ymd, expected) => {
    expect(formatWareki(ymd)).toBe(expected);
  });

  it("formats a session's time range on one line", () => {
    expect(formatTimeRange("2026-12-01T10:00", "2026-12-01T12:30")).toBe("2026年12月1日(火) 10:00〜12:30");
  });

  it("returns nothing for empty or impossible dates instead of Invalid Date", () => {
    expect(formatDate(null)).toBe("");
    expect(formatDate("2026-02-30")).toBe("");
    expect(formatWareki("nonsense")).toBe("");
  });
});

describe("Tokyo time, whatever the server's zone", () => {
  it("gives the Tokyo date of an instant late in the UTC day", () => {
    expect(todayInTokyo(new Date("2026-11-22T15:30:00Z"))).toBe("2026-11-23");
    expect(localDateTime(new Date("2026-11-22T15:30:00Z"))).toBe("2026-11-23T00:30");
  });

  it("shifts local times across midnight and month ends", () => {
    expect(addMinutesLocal("2026-11-30T23:30", 60)).toBe("2026-12-01T00:30");
    expect(addMinutesLocal("2026-12-01T00:30", -60)).toBe("2026-11-30T23:30");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });
});

describe("business days for report deadlines", () => {
  it("knows national holidays from the maintained table", () => {
    expect(isNationalHoliday("2026-11-23")).toBe(true);
    expect(holidayName("2026-11-23")).toBe("勤労感謝の日");
    expect(isNationalHoliday("2026-11-24")).toBe(false);
  });

  it.each([
    ["2026-11-20", true], // Friday
    ["2026-11-21", false], // Saturday
    ["2026-11-23", false], // 勤労感謝の日
    ["2026-12-29", false], // year-end closure
    ["2027-01-04", true],
  ])("%s is a business day: %s", (ymd, expected) => {
    expect(isBusinessDay(ymd)).toBe(expected);
  });

  it("finds the next business day across a holiday weekend and the year-end closure", () => {
    expect(nextBusinessDay("2026-11-20")).toBe("2026-11-24");
    expect(nextBusinessDay("2026-12-28")).toBe("2027-01-04");
  });
});
