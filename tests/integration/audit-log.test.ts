/**
 * /admin/audit (issue 15 item 5): the log in Japanese, filtered by person,
 * action, target and Tokyo dates through the query string, paged, and
 * exported as CSV with the same filters through the CRM's CSV writer (BOM,
 * formula guard). Through the routes' real loaders on a real SQLite file.
 */
import argon2 from "argon2";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { audit } from "../../app/audit.server";
import { login } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import * as auditPage from "../../app/routes/admin.audit";
import * as auditCsv from "../../app/routes/admin.audit[.]csv";
import { auditLog, users } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { callRoute } from "../support/routes";

let ctx: ReturnType<typeof useFreshDatabase>;
let adminCookie: string;
let cityCookie: string;
let adminId: number;
let cityId: number;

type Page = { rows: { action: string; user: string | null; entityId: string | null }[]; total: number; page: number; pageCount: number; problems: string[] };

beforeAll(async () => {
  ctx = useFreshDatabase();
  const hash = await argon2.hash("audit-password-0123", { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  adminId = getDb().insert(users).values({ email: "admin@t.jp", name: "管理 花子", role: "admin", passwordHash: hash }).returning().get().id;
  cityId = getDb().insert(users).values({ email: "city@t.jp", name: "市役所 一郎", role: "city", passwordHash: hash }).returning().get().id;
  const signIn = async (email: string) => {
    const r = await login({ email, password: "audit-password-0123" });
    if (!r.ok) throw new Error(r.message);
    return r.setCookie.split(";")[0];
  };
  adminCookie = await signIn("admin@t.jp");
  cityCookie = await signIn("city@t.jp");
  // The two sign-ins wrote their own rows (now, so newest); the log is append-only. The rows below have fixed times.
  // 2026-11-10 23:30 in Tokyo is 14:30Z; 2026-11-11 00:10 in Tokyo is 2026-11-10 15:10Z.
  audit({ userId: cityId, action: "visit.approve", entity: "visit", entityId: 12, at: "2026-11-10T14:30:00.000Z" });
  audit({ userId: cityId, action: "visit.view", entity: "visit", entityId: 12, at: "2026-11-10T15:10:00.000Z" });
  audit({ userId: adminId, action: "settings.updated", entity: "settings", detail: { keys: ["staleLeadDays"], note: "=1+1" }, at: "2026-11-12T01:00:00.000Z" });
  audit({ action: "city.digest", entity: "digest", entityId: "2026-11-12", at: "2026-11-12T00:00:00.000Z" });
  for (let i = 0; i < 60; i++) audit({ userId: adminId, action: "crm.organisation_view", entity: "organisation", entityId: i + 1, at: `2026-10-01T0${i % 10}:00:00.000Z` });
});
afterAll(() => ctx.cleanup());

const open = async (query: string) => {
  const r = await callRoute(auditPage.loader as never, { url: `/admin/audit${query}`, cookie: adminCookie });
  expect(r.status).toBe(200);
  return r.body as Page;
};

describe("the audit log page", () => {
  it("pages through everything, 50 rows a page, newest first", async () => {
    const first = await open("");
    expect(first.total).toBe(66);
    expect(first.pageCount).toBe(2);
    expect(first.rows).toHaveLength(50);
    expect(first.rows.slice(0, 3).map((r) => r.action)).toEqual(["auth.login", "auth.login", "settings.updated"]);
    const second = await open("?page=2");
    expect(second.rows).toHaveLength(16);
    // Past the end: the last page, not an empty one.
    expect((await open("?page=9")).page).toBe(2);
  });

  it("filters by person, action, target and number", async () => {
    const byCity = await open(`?user=${cityId}`);
    expect(byCity.rows.map((r) => r.action)).toEqual(["auth.login", "visit.view", "visit.approve"]);
    expect((await open("?user=system")).rows.map((r) => r.action)).toEqual(["city.digest"]);
    expect((await open("?action=visit.approve")).total).toBe(1);
    expect((await open("?entity=organisation")).total).toBe(60);
    expect((await open("?entity=organisation&entityId=7")).rows.map((r) => r.entityId)).toEqual(["7"]);
  });

  it("filters by Tokyo days: 23:30 on the 10th is the 10th, 00:10 on the 11th is the 11th", async () => {
    expect((await open("?from=2026-11-10&to=2026-11-10")).rows.map((r) => r.action)).toEqual(["visit.approve"]);
    expect((await open("?from=2026-11-11&to=2026-11-11")).rows.map((r) => r.action)).toEqual(["visit.view"]);
    expect((await open("?from=2026-11-11&to=2026-11-20")).total).toBe(3);
    expect((await open("?to=2026-10-31")).total).toBe(60);
  });

  it("answers a bad filter with the page and a Japanese note, never a 500", async () => {
    const r = await open("?from=2026-02-30&user=abc");
    expect(r.total).toBe(66);
    expect(r.problems).toEqual(["利用者の指定が読めません。一覧から選び直してください。", "開始日は「2026-11-01」の形の日付で指定してください。"]);
  });
});

describe("the audit log as CSV", () => {
  it("exports the filtered rows with Japanese labels, a BOM, guarded cells, and logs the export", async () => {
    const request = new Request(`http://localhost/admin/audit.csv?user=${adminId}&action=settings.updated`, { headers: { Cookie: adminCookie } });
    const r = (await auditCsv.loader({ request, params: {}, context: {} })) as Response;
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    // The bytes themselves: Response.text() would drop the BOM Excel needs.
    const text = Buffer.from(await r.arrayBuffer()).toString("utf8");
    expect(text.startsWith("\uFEFF日時,利用者,利用者のメールアドレス,操作,対象,対象ID,詳細,接続元,操作コード\r\n")).toBe(true);
    const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual(["2026年11月12日(木) 10:00", "管理 花子", "admin@t.jp", "設定を変更", "設定", "", "keys: [\"staleLeadDays\"]、note: =1+1", "", "settings.updated"]);
    const exported = getDb().select().from(auditLog).where(eq(auditLog.action, "audit.export")).all();
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({ userId: adminId, entity: "audit_log", detail: { rows: 1 } });
  });

  it("guards a cell that starts like a formula", async () => {
    audit({ userId: adminId, action: "=cmd|' /C calc'!A0", at: "2026-09-01T00:00:00.000Z" });
    const r = await callRoute(auditCsv.loader as never, { url: "/admin/audit.csv?to=2026-09-30", cookie: adminCookie });
    const rows = Papa.parse<string[]>((r.body as string).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    expect(rows[1][3]).toBe("その他の操作（=cmd|' /C calc'!A0）");
    expect(rows[1][8]).toBe("'=cmd|' /C calc'!A0");
  });
});

describe("who may read the log", () => {
  // Last: the refusals are logged too (auth.forbidden), which would change the counts above.
  it("is for administrators only", async () => {
    const r = await callRoute(auditPage.loader as never, { url: "/admin/audit", cookie: cityCookie });
    expect(r.status).toBe(403);
    const csv = await callRoute(auditCsv.loader as never, { url: "/admin/audit.csv", cookie: cityCookie });
    expect(csv.status).toBe(403);
  });
});
