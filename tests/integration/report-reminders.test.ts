/**
 * Due-soon and overdue reports: the flags of the home pages and the managers'
 * morning email (business days only, once a day, through the outbox).
 * Dates worked out by hand on the 2026–2027 calendar.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { SessionUser } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import { programById } from "../../app/reports/data.server";
import { reportFlags } from "../../app/reports/pages.server";
import { queueReportDueEmail } from "../../app/reports/reminders.server";
import { submitReport } from "../../app/reports/store.server";
import { emailOutbox, users } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { correctResults, enterResults, insertProgram, insertSession, insertUser, insertVenue } from "../support/reports";

let ctx: ReturnType<typeof useFreshDatabase>;
let programId: number;
let manager: SessionUser;
let friday: number;
const at = (local: string) => new Date(`${local}:00+09:00`);
const mails = () => getDb().select().from(emailOutbox).where(eq(emailOutbox.template, "report_due")).all();
const submit = (kind: "daily" | "monthly", key: string, now: string) => {
  const r = submitReport({ program: programById(programId, getDb())!, kind, key, remarks: "", user: manager, now: at(now) });
  if (!r.ok) throw new Error(r.message);
};

beforeAll(() => {
  ctx = useFreshDatabase();
  process.env.APP_URL = "http://reports.test";
  programId = insertProgram({ startsOn: "2026-11-01", endsOn: "2027-03-31" });
  const id = getDb().insert(users).values({ email: "manager@t.jp", name: "総括 花子", role: "manager", passwordHash: "x" }).returning({ id: users.id }).get().id;
  manager = { id, email: "manager@t.jp", name: "総括 花子", role: "manager", sessionId: "t" };
  getDb().insert(users).values({ email: "old-manager@t.jp", name: "退職 者", role: "manager", passwordHash: "x", active: false }).run();
  const staff = insertUser("outreach", "outreach@t.jp", "営業 一郎");
  const venue = insertVenue("あおばスーパー本店", "supermarket");
  const tuesday = insertSession({ programId, kind: "roaming", mode: "support", date: "2026-12-01", from: "10:00", to: "13:00", venueId: venue });
  enterResults(tuesday, { online: 8 }, staff);
  friday = insertSession({ programId, kind: "roaming", mode: "support", date: "2026-12-04", from: "10:00", to: "13:00", venueId: venue });
  enterResults(friday, { online: 12, mail: 3 }, staff);
  // The last session of the program is still to come: the completion report is not due yet.
  insertSession({ programId, kind: "roaming", mode: "support", date: "2027-03-10", from: "10:00", to: "13:00", venueId: venue });
});
afterAll(() => {
  delete process.env.APP_URL;
  ctx.cleanup();
});

describe("flags on the home pages", () => {
  it("lists overdue, due-today and due-soon reports for staff, most urgent first", () => {
    const flags = reportFlags(at("2026-12-07T09:00"));
    expect(flags.due.map((i) => [i.kind, i.key, i.dueState])).toEqual([
      ["daily", "2026-12-01", "overdue"], // due Wed 12/2 18:00
      ["daily", "2026-12-04", "due_today"], // due Mon 12/7 18:00
      ["monthly", "2026-11", "due_soon"], // due Thu 12/10
    ]);
    expect(flags.awaitingAcknowledgement).toEqual([]);
  });
});

describe("the managers' morning email", () => {
  it("stays silent on a Saturday and before 07:00", () => {
    expect(queueReportDueEmail(at("2026-12-05T09:00"))).toBe(0);
    expect(queueReportDueEmail(at("2026-12-07T06:50"))).toBe(0);
    expect(mails()).toHaveLength(0);
  });

  it("goes to every active manager once on the business day, naming what is due today and what is overdue", () => {
    expect(queueReportDueEmail(at("2026-12-07T07:10"))).toBe(1);
    expect(queueReportDueEmail(at("2026-12-07T08:10"))).toBe(0);
    const [mail] = mails();
    expect(mail.toAddress).toBe("manager@t.jp");
    expect(mail.subject).toBe("【出張申請窓口】報告書の提出期限: 本日 1件・期限超過 1件");
    expect(mail.text).toContain("■ 本日が提出期限\n・日次報告書（令和8年12月4日(金)実施分）（2026年12月7日(月) 18:00まで）\n  http://reports.test/reports/daily/2026-12-04");
    expect(mail.text).toContain("■ 提出期限を過ぎています\n・日次報告書（令和8年12月1日(火)実施分）（2026年12月2日(水) 18:00まで）");
    // The monthly report is due on Thursday: not in today's email.
    expect(mail.text).not.toContain("月次報告書");
  });

  it("shows the city what waits for its acknowledgement once submitted", () => {
    submit("daily", "2026-12-01", "2026-12-07T10:00");
    submit("daily", "2026-12-04", "2026-12-07T10:05");
    submit("monthly", "2026-11", "2026-12-08T10:00");
    const flags = reportFlags(at("2026-12-08T12:00"));
    expect(flags.due).toEqual([]);
    expect(flags.awaitingAcknowledgement.map((i) => i.key)).toEqual(["2026-11", "2026-12-04", "2026-12-01"]);
  });

  it("on the Friday before a Sunday deadline names it as due, and names corrections to resubmit", () => {
    // December's monthly report is due Sunday 1/10; Monday 1/11 is 成人の日, so Friday 1/8 is the last business day before it.
    correctResults(friday, 1, { online: 13, mail: 3 }, manager, at("2027-01-07T17:00"));
    expect(queueReportDueEmail(at("2027-01-08T07:30"))).toBe(1);
    const mail = mails().at(-1)!;
    expect(mail.subject).toBe("【出張申請窓口】報告書の提出期限: 本日 1件・訂正版 1件");
    expect(mail.text).toContain("・月次報告書（令和8年12月分）（2027年1月10日(日)まで）");
    expect(mail.text).toContain("■ 提出後に実績が訂正されました（訂正版の提出が必要）\n・日次報告書（令和8年12月4日(金)実施分）");
  });
});
