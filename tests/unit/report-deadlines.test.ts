import { describe, expect, it } from "vitest";
import { completionReportDue, dailyReportDue, deadlineLabel, dueState, monthlyReportDue } from "../../app/reports/deadlines";

/** Expected dates worked out by hand on the calendars of 2026–2028 (holidays from the Cabinet Office list). */
describe("the daily report is due at 18:00 on the next business day", () => {
  it.each([
    // session day, due, why
    ["2026-12-01", "2026-12-02T18:00", "Tuesday → Wednesday"],
    ["2026-12-04", "2026-12-07T18:00", "Friday → Monday over the weekend"],
    ["2026-12-05", "2026-12-07T18:00", "a Saturday base session → Monday"],
    ["2026-12-06", "2026-12-07T18:00", "a Sunday base session → Monday"],
    ["2026-11-20", "2026-11-24T18:00", "Friday → Tuesday: Monday 11/23 is 勤労感謝の日"],
    ["2027-04-28", "2027-04-30T18:00", "Golden Week 2027: 4/29 昭和の日 (Thu)"],
    ["2027-04-30", "2027-05-06T18:00", "Golden Week 2027: weekend 5/1–2 and 5/3–5/5 holidays"],
    ["2027-05-03", "2027-05-06T18:00", "a session on 憲法記念日"],
    ["2026-09-18", "2026-09-24T18:00", "Silver Week 2026: 9/21 敬老の日, 9/22 国民の休日, 9/23 秋分の日"],
    ["2026-09-21", "2026-09-24T18:00", "a session on 敬老の日; 2026-09-22 is 国民の休日"],
    ["2026-05-02", "2026-05-07T18:00", "5/3 Sun, 5/4–5/5 holidays, 5/6 こどもの日の振替休日"],
    ["2027-03-19", "2027-03-23T18:00", "3/21 春分の日 on a Sunday: 3/22 振替休日"],
    ["2026-12-26", "2026-12-28T18:00", "Saturday before the closure: Monday 12/28 still works"],
    ["2026-12-28", "2027-01-04T18:00", "the year-end closure 12/29–1/3"],
    ["2027-12-28", "2028-01-04T18:00", "closure again; 2028-01-03 is a Monday but closed"],
  ])("session on %s: due %s (%s)", (day, due) => {
    expect(dailyReportDue(day, 18).dueAt).toBe(due);
  });

  it("takes the hour from the settings", () => {
    expect(dailyReportDue("2026-12-04", 12)).toEqual({ dueOn: "2026-12-07", dueAt: "2026-12-07T12:00" });
  });
});

describe("the monthly report is due on a day of the next month", () => {
  it.each([
    ["2026-11", 10, "2026-12-10"],
    ["2026-12", 10, "2027-01-10"], // across the year; a Sunday, as the contract writes it (翌月の10日まで)
    ["2027-03", 5, "2027-04-05"], // seed 003: the 5th
  ])("%s with day %i: by the end of %s", (month, day, due) => {
    expect(monthlyReportDue(month, day)).toEqual({ dueOn: due, dueAt: `${due}T23:59` });
  });
});

describe("the completion report is due 30 days after the last session", () => {
  it.each([
    ["2027-03-27", 30, "2027-04-26"],
    ["2027-02-15", 30, "2027-03-17"],
    ["2026-12-20", 30, "2027-01-19"],
  ])("last session %s + %i days: %s", (last, days, due) => {
    expect(completionReportDue(last, days).dueOn).toBe(due);
  });
});

describe("how near a deadline is", () => {
  const daily = dailyReportDue("2026-12-04", 18); // Monday 12/7 18:00
  it.each([
    ["2026-12-04T17:00", "due_soon"], // Friday: due on the next business day
    ["2026-12-05T10:00", "due_soon"], // Saturday
    ["2026-12-07T09:00", "due_today"],
    ["2026-12-07T17:59", "due_today"],
    ["2026-12-07T18:00", "overdue"],
    ["2026-12-08T09:00", "overdue"],
  ])("at %s the daily report of Friday 12/4 is %s", (now, state) => {
    expect(dueState(daily, now)).toBe(state);
  });

  const monthly = monthlyReportDue("2026-11", 10); // 12/10 (Thu)
  it.each([
    ["2026-12-01T09:00", "later"], // Tue: 3 business days ahead is Fri 12/4
    ["2026-12-04T09:00", "later"], // Fri: three business days ahead is Wed 12/9
    ["2026-12-07T09:00", "due_soon"], // Mon: 12/8, 12/9, 12/10
    ["2026-12-10T23:00", "due_today"],
    ["2026-12-11T00:00", "overdue"],
  ])("at %s the monthly report of November is %s", (now, state) => {
    expect(dueState(monthly, now)).toBe(state);
  });
});

describe("deadlines in words", () => {
  it("names the hour of a daily report and only the day of the others", () => {
    expect(deadlineLabel(dailyReportDue("2026-12-04", 18))).toBe("2026年12月7日(月) 18:00まで");
    expect(deadlineLabel(monthlyReportDue("2026-12", 10))).toBe("2027年1月10日(日)まで");
    expect(deadlineLabel(dailyReportDue("2026-12-04", 18), { wareki: true })).toBe("令和8年12月7日(月) 18:00まで");
    expect(deadlineLabel(monthlyReportDue("2018-12", 10), { wareki: true })).toBe("平成31年1月10日(木)まで");
  });
});
