/**
 * The city officials' morning digest: what waits for them (group visits
 * awaiting approval, months of roaming/base sessions awaiting agreement),
 * one email per active city user, at most once per Tokyo business day
 * (never on weekends, national holidays or the year-end closure), after 07:00.
 * Waiting is counted in business days (waitedDays).
 * "Sent today" is an audit entry (action city.digest, entityId = the day),
 * written in the same transaction as the emails, so two processes cannot
 * both send it.
 */
import { and, eq } from "drizzle-orm";
import { auditLog, users } from "../../db/schema";
import { audit } from "../audit.server";
import { getDb, writeTransaction, type Db } from "../db.server";
import { enqueueEmail } from "../email/outbox.server";
import { env } from "../env.server";
import { formatDate, isBusinessDay, localDateTime } from "../lib/dates";
import { periodicJob } from "../lib/periodic.server";
import { cityQueue } from "./queries.server";

export const DIGEST_HOUR = 7;

function escapeHtml(s: string) {
  return s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!);
}

/** Queue today's digest if it is due and not yet sent. Returns how many emails were queued. */
export function queueCityDigest(now: Date = new Date(), db: Db = getDb()): number {
  const local = localDateTime(now);
  const today = local.slice(0, 10);
  if (Number(local.slice(11, 13)) < DIGEST_HOUR) return 0;
  // Officials read it at their desks: what waits over a weekend or holiday goes out on the next business day.
  if (!isBusinessDay(today)) return 0;
  const queue = cityQueue(now, db);
  const waiting = queue.awaiting;
  const months = queue.plannedMonths;
  if (waiting.length === 0 && months.length === 0) return 0;

  return writeTransaction((tx) => {
    const sent = tx
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(and(eq(auditLog.action, "city.digest"), eq(auditLog.entityId, today)))
      .get();
    if (sent) return 0;
    const recipients = tx.select().from(users).where(and(eq(users.role, "city"), eq(users.active, true))).all();
    const base = env().APP_URL;
    const stale = waiting.filter((w) => w.stale);
    const lines = waiting.map(
      (w) =>
        `・${w.date ? formatDate(w.date) : "日付未定"} ${w.organisationName ?? w.title}（${w.expectedApplicants ?? "?"}人）— ${w.waitedDays === 0 ? "本日から" : `${w.waitedDays}営業日待ち`}${w.stale ? `【滞留: ${queue.staleDays}営業日超】` : ""}\n  ${base}/city/visits/${w.id}`,
    );
    const monthLines = months.map((m) => `・${Number(m.month.slice(0, 4))}年${Number(m.month.slice(5, 7))}月の巡回・拠点施設の予定 ${m.count}件\n  ${base}/city/schedule?month=${m.month}`);
    const subject = `【出張申請窓口】承認待ち ${waiting.length}件${stale.length ? `（うち滞留 ${stale.length}件）` : ""}${months.length ? `・月間予定の合意待ち ${months.length}か月` : ""}`;
    const text = [
      `${formatDate(today)} 朝の時点で、市の判断を待っているものをお知らせします。`,
      "",
      waiting.length ? `■ 承認待ちの団体訪問（訪問日順）\n${lines.join("\n")}` : "■ 承認待ちの団体訪問はありません。",
      "",
      months.length ? `■ 合意待ちの月間予定\n${monthLines.join("\n")}` : "",
      "",
      `一覧: ${base}/city`,
    ]
      .filter((l, i, a) => !(l === "" && a[i - 1] === ""))
      .join("\n");
    const html = `<div style="font-family:sans-serif;line-height:1.7">${text
      .split("\n")
      .map((l) => (l.trim().startsWith("http") ? `<a href="${escapeHtml(l.trim())}">${escapeHtml(l.trim())}</a>` : escapeHtml(l)))
      .join("<br>")}</div>`;
    for (const r of recipients) {
      enqueueEmail(tx, { to: r.email, subject, template: "city_digest", html, text, related: { entity: "user", id: r.id } });
    }
    audit({ action: "city.digest", entity: "digest", entityId: today, detail: { recipients: recipients.length, waiting: waiting.length, months: months.length } }, tx);
    return recipients.length;
  }, db);
}

const job = periodicJob("city digest", () => queueCityDigest());

/** Check every 10 minutes; the digest goes out on the first check after 07:00 Tokyo time on a business day. */
export const startCityDigestTimer = (intervalMs?: number) => job.start(intervalMs);
export const stopCityDigestTimer = () => job.stop();
