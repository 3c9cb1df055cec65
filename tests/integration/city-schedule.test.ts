/**
 * /city/schedule (issue 15 item 11): the city agrees the sessions it ticks and
 * returns the others with a comment (required then), in one transaction, with
 * an append-only decision row each and the audit log. Through the route's real
 * action on a real SQLite file.
 */
import argon2 from "argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { login } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import { addDays, todayInTokyo } from "../../app/lib/dates";
import * as citySchedule from "../../app/routes/city.schedule";
import { createSession } from "../../app/visits/sessions.server";
import { approvals, auditLog, emailOutbox, users, visits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { callRoute } from "../support/routes";
import { isPlainWeekday, seedBasics, type Fixture } from "../support/visits";

let ctx: ReturnType<typeof useFreshDatabase>;
let f: Fixture;
let cityCookie: string;
let cityId: number;
let month: string;
const days: string[] = [];

beforeAll(async () => {
  ctx = useFreshDatabase();
  f = seedBasics();
  const hash = await argon2.hash("city-password-0123", { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  cityId = getDb().insert(users).values({ email: "decider@t.jp", name: "判断 一郎", role: "city", passwordHash: hash }).returning().get().id;
  const r = await login({ email: "decider@t.jp", password: "city-password-0123" });
  if (!r.ok) throw new Error(r.message);
  cityCookie = r.setCookie.split(";")[0];
  // Five plain weekdays of the month after next (well inside the program).
  month = addDays(`${addDays(todayInTokyo(), 62).slice(0, 7)}-01`, 0).slice(0, 7);
  for (let d = `${month}-01`; days.length < 5; d = addDays(d, 1)) if (isPlainWeekday(d)) days.push(d);
});
afterAll(() => ctx.cleanup());

function plan(date: string): number {
  const r = createSession({ kind: "roaming", mode: "support", venueId: f.venueId, date, startsAt: "10:00", endsAt: "12:00" }, f.staff);
  if (!r.ok) throw new Error(r.message);
  return r.id;
}

const decide = (form: URLSearchParams) => callRoute(citySchedule.action as never, { url: "/city/schedule", cookie: cityCookie, form });
const formOf = (shown: number[], agree: number[], comment = "") => {
  const p = new URLSearchParams({ month, comment });
  for (const id of shown) p.append("shown", String(id));
  for (const id of agree) p.append("agree", String(id));
  return p;
};
const statusOf = (ids: number[]) =>
  Object.fromEntries(getDb().select({ id: visits.id, status: visits.status, reason: visits.statusReason }).from(visits).where(inArray(visits.id, ids)).all().map((v) => [v.id, [v.status, v.reason]]));
const monthRows = () => getDb().select().from(approvals).where(eq(approvals.scheduleMonth, month)).all();

describe("agreeing part of a month", () => {
  let a: number, b: number, c: number;

  it("refuses to return sessions without a comment, saying how to fix it, and changes nothing", async () => {
    [a, b, c] = [plan(days[0]), plan(days[1]), plan(days[2])];
    const r = await decide(formOf([a, b, c], [a, c]));
    expect(r.body).toMatchObject({
      ok: false,
      field: "comment",
      message: "チェックを外した予定（1件）を差し戻すには、コメントに差し戻す理由や直してほしい点を書いてください。合意するだけなら、すべての予定にチェックを入れてください。",
      agreeIds: [a, c],
    });
    expect(statusOf([a, b, c])).toEqual({ [a]: ["planned", null], [b]: ["planned", null], [c]: ["planned", null] });
    expect(monthRows()).toEqual([]);
  });

  it("agrees the ticked sessions and returns the rest with the comment, in one decision each, audited, no email", async () => {
    const emailsBefore = getDb().select().from(emailOutbox).all().length;
    const r = await decide(formOf([a, b, c], [a, c], "この日は会場の駐車場が使えません。別の日にしてください。"));
    expect(r.body).toEqual({ ok: true, message: `${Number(month.slice(5))}月の予定 2件に合意し、1件をコメントを付けて差し戻しました。` });
    expect(statusOf([a, b, c])).toEqual({
      [a]: ["agreed", null],
      [b]: ["planned", "この日は会場の駐車場が使えません。別の日にしてください。"],
      [c]: ["agreed", null],
    });
    const rows = monthRows();
    expect(rows.map((x) => [x.decision, x.comment, (x.snapshot as { sessions: { id: number }[] }).sessions.map((s) => s.id), x.decidedById])).toEqual([
      ["agreed", null, [a, c], cityId],
      ["changes_requested", "この日は会場の駐車場が使えません。別の日にしてください。", [b], cityId],
    ]);
    const audited = getDb().select().from(auditLog).where(inArray(auditLog.action, ["visit.agree_schedule", "visit.return_schedule"])).all();
    expect(audited.map((x) => [x.action, x.entity, x.entityId, x.userId, (x.detail as { ids: number[] }).ids])).toEqual([
      ["visit.agree_schedule", "schedule_month", month, cityId, [a, c]],
      ["visit.return_schedule", "schedule_month", month, cityId, [b]],
    ]);
    // The all-or-nothing agreement never sent an email; neither does this.
    expect(getDb().select().from(emailOutbox).all()).toHaveLength(emailsBefore);
  });

  it("refuses a decision on sessions that changed since the page was opened, and leaves a newly planned one alone", async () => {
    const d = plan(days[3]);
    // a is agreed already: the page the official still has open is out of date.
    const stale = await decide(formOf([a, b], [a, b]));
    expect(stale.body).toMatchObject({ ok: false, message: expect.stringContaining("画面を開いた後に、この月の予定が変更されています") });
    expect(statusOf([b, d])).toEqual({ [b]: ["planned", "この日は会場の駐車場が使えません。別の日にしてください。"], [d]: ["planned", null] });
    // The returned session, once looked at again, is agreed (its comment goes); d was not shown, so it waits.
    const r = await decide(formOf([b], [b]));
    expect(r.body).toEqual({ ok: true, message: `${Number(month.slice(5))}月の予定 1件に合意しました。` });
    expect(statusOf([b, d])).toEqual({ [b]: ["agreed", null], [d]: ["planned", null] });
  });

  it("may return every session shown (none ticked)", async () => {
    const e = plan(days[4]);
    const d = getDb().select({ id: visits.id }).from(visits).where(eq(visits.date, days[3])).get()!.id;
    const r = await decide(formOf([d, e], [], "年度末の予定と重なっています。"));
    expect(r.body).toEqual({ ok: true, message: `${Number(month.slice(5))}月の予定 2件をコメントを付けて差し戻しました。受託者の担当者が見直します。` });
    expect(statusOf([d, e])).toEqual({ [d]: ["planned", "年度末の予定と重なっています。"], [e]: ["planned", "年度末の予定と重なっています。"] });
  });

  it("answers a post without the shown sessions with a message, not a 500", async () => {
    const r = await decide(new URLSearchParams({ month }));
    expect(r.body).toMatchObject({ ok: false, message: "判断する予定が送られていません。画面を再読み込みして、もう一度お試しください。" });
  });
});
