/**
 * The managers' morning email about reports: what is due today (or on the
 * days the office is closed before the next business day), what is overdue,
 * and corrections waiting to be resubmitted. Business days only, after 07:00,
 * at most once a day: "sent today" is an audit entry written in the same
 * transaction as the emails (as the city's digest does).
 */
import { and, eq } from "drizzle-orm";
import { auditLog, users } from "../../db/schema";
import { audit } from "../audit.server";
import { getDb, writeTransaction, type Db } from "../db.server";
import { enqueueEmail } from "../email/outbox.server";
import { env } from "../env.server";
import { formatDate, isBusinessDay, localDateTime, nextBusinessDay } from "../lib/dates";
import { programFor } from "./build.server";
import { periodicJob } from "../lib/periodic.server";
import { listReports, NEEDS_ACTION, type ReportListItem } from "./pages.server";

export const REPORT_MAIL_HOUR = 7;
const MAX_LINES = 20;

function escapeHtml(s: string) {
  return s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" }[c]!));
}

/** Reports the morning email names: due today (or before the next business day), overdue, corrections to resubmit. */
export function reportsToRemind(items: ReportListItem[], today: string): { dueToday: ReportListItem[]; overdue: ReportListItem[]; changed: ReportListItem[] } {
  const until = nextBusinessDay(today);
  const open = items.filter((i) => NEEDS_ACTION.includes(i.state));
  return {
    dueToday: open.filter((i) => i.state !== "changed" && i.dueState !== "overdue" && i.deadline.dueOn >= today && i.deadline.dueOn < until),
    overdue: open.filter((i) => i.dueState === "overdue"),
    changed: open.filter((i) => i.state === "changed"),
  };
}

/** Queue today's email to every active manager if something is due and it has not gone yet. Returns how many emails were queued. */
export function queueReportDueEmail(now: Date = new Date(), db: Db = getDb()): number {
  const local = localDateTime(now);
  const today = local.slice(0, 10);
  if (Number(local.slice(11, 13)) < REPORT_MAIL_HOUR || !isBusinessDay(today)) return 0;
  // Already sent today: stop before building every report of the year (the timer asks every 10 minutes).
  const sentToday = () => db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.action, "reports.due_mail"), eq(auditLog.entityId, today))).get();
  if (sentToday()) return 0;
  const program = programFor(null, db);
  if (!program) return 0;
  const { dueToday, overdue, changed } = reportsToRemind(listReports(program, now, db), today);
  if (dueToday.length === 0 && overdue.length === 0 && changed.length === 0) return 0;

  return writeTransaction((tx) => {
    // Checked again inside the write: two processes never both send it.
    if (tx.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.action, "reports.due_mail"), eq(auditLog.entityId, today))).get()) return 0;
    const recipients = tx
      .select()
      .from(users)
      .where(and(eq(users.role, "manager"), eq(users.active, true)))
      .all();
    const base = env().APP_URL;
    const lines = (list: ReportListItem[]) => [
      ...list.slice(0, MAX_LINES).map((i) => `・${i.title}（${i.deadlineText}）\n  ${base}${i.href}`),
      ...(list.length > MAX_LINES ? [`・ほか ${list.length - MAX_LINES}件`] : []),
    ];
    const subject = `【出張申請窓口】報告書の提出期限: 本日 ${dueToday.length}件${overdue.length ? `・期限超過 ${overdue.length}件` : ""}${
      changed.length ? `・訂正版 ${changed.length}件` : ""
    }`;
    const text = [
      `${formatDate(today)} 朝の時点で、提出が必要な報告書をお知らせします。`,
      "",
      dueToday.length ? `■ 本日が提出期限\n${lines(dueToday).join("\n")}` : "■ 本日が期限の報告書はありません。",
      overdue.length ? `\n■ 提出期限を過ぎています\n${lines(overdue).join("\n")}` : "",
      changed.length ? `\n■ 提出後に実績が訂正されました（訂正版の提出が必要）\n${lines(changed).join("\n")}` : "",
      "",
      `報告書の一覧: ${base}/reports`,
    ]
      .filter((l, i, a) => !(l === "" && a[i - 1] === ""))
      .join("\n");
    const html = `<div style="font-family:sans-serif;line-height:1.7">${text
      .split("\n")
      .map((l) => (l.trim().startsWith("http") ? `<a href="${escapeHtml(l.trim())}">${escapeHtml(l.trim())}</a>` : escapeHtml(l)))
      .join("<br>")}</div>`;
    for (const r of recipients) enqueueEmail(tx, { to: r.email, subject, template: "report_due", html, text, related: { entity: "user", id: r.id } });
    audit(
      {
        action: "reports.due_mail",
        entity: "digest",
        entityId: today,
        detail: { recipients: recipients.length, dueToday: dueToday.length, overdue: overdue.length, changed: changed.length },
      },
      tx
    );
    return recipients.length;
  }, db);
}

const job = periodicJob("report reminders", () => queueReportDueEmail());

/** Check every 10 minutes; the email goes out on the first check after 07:00 Tokyo time on a business day. */
export const startReportDueTimer = (intervalMs?: number) => job.start(intervalMs);
export const stopReportDueTimer = () => job.stop();
