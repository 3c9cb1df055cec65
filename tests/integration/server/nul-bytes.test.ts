// Issue 11 item 14: React 18.3.1's streaming renderer leaves 0x00 bytes at its
// 2,048-byte chunk boundaries (facebook/react#24985); entry.server strips them.
// Every page, as each role that may open it, must come without a NUL byte.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startServer, type RunningServer } from "../../support/server";

type Role = "anonymous" | "admin" | "manager" | "outreach" | "city";

let server: RunningServer;
const cookies: Partial<Record<Role, string>> = {};
let ids: { organisation: number; otherOrganisation: number; visit: number; venue: number; statusToken: string; incident: number; pr: number };

beforeAll(async () => {
  server = await startServer({ demoData: true });
  for (const role of ["admin", "manager", "outreach", "city"] as const) cookies[role] = await signIn(server, `${role}@demo.example`);
  const db = server.db();
  const [organisation, otherOrganisation] = db.prepare("select id from organisations order by id limit 2").pluck().all() as number[];
  ids = {
    organisation,
    otherOrganisation,
    visit: db.prepare("select id from visits where kind = 'group' and status = 'approved' order by id limit 1").pluck().get() as number,
    venue: db.prepare("select id from venues order by id limit 1").pluck().get() as number,
    statusToken: db.prepare("select status_token from visit_requests order by id limit 1").pluck().get() as string,
    incident: 0,
    pr: db.prepare("select id from pr_activities order by id limit 1").pluck().get() as number,
  };
  // An incident to print (the demo data may have none).
  ids.incident = Number(
    db.prepare("insert into incidents (visit_id, kind, severity, occurred_at, what, action_taken) values (?, 'complaint', 'minor', '2026-11-02T11:20', ?, ?)").run(ids.visit, "案内表示が小さいとの声があった。", "掲示を大きくした。").lastInsertRowid,
  );
  db.close();
});
afterAll(() => server?.stop());

/** Each HTML page with the roles that open it (status 200). */
function pages(): [string, Role[]][] {
  const staff: Role[] = ["admin", "manager", "outreach"];
  return [
    ["/", ["anonymous", "city"]],
    ["/request", ["anonymous"]],
    [`/request/status/${ids.statusToken}`, ["anonymous"]],
    ["/schedule", ["anonymous", "outreach"]],
    ["/login", ["anonymous"]],
    ["/staff", staff],
    ["/staff/organisations", staff],
    ["/staff/organisations?sort=lastActivity", ["manager"]],
    [`/staff/organisations/${ids.organisation}`, staff],
    ["/staff/organisations/new", staff],
    ["/staff/organisations/import", ["admin", "manager"]],
    [`/staff/organisations/${ids.organisation}/merge?other=${ids.otherOrganisation}`, ["manager"]],
    ["/staff/pipeline", staff],
    ["/staff/districts", staff],
    ["/staff/districts/import", ["manager"]],
    ["/staff/visits", staff],
    [`/staff/visits/${ids.visit}`, staff],
    ["/staff/venues", staff],
    [`/staff/venues/${ids.venue}`, staff],
    [`/staff/visits/${ids.visit}/incidents`, staff],
    [`/incidents/${ids.incident}`, ["manager", "city"]],
    ["/staff/inquiries", staff],
    ["/staff/pr", staff],
    [`/staff/pr/${ids.pr}`, ["manager"]],
    ["/calendar", ["manager", "outreach", "city"]],
    ["/calendar/new", ["manager"]],
    ["/city", ["city"]],
    [`/city/visits/${ids.visit}`, ["city"]],
    ["/city/schedule", ["city"]],
    ["/admin", ["admin"]],
    ["/admin/settings", ["admin"]],
    ["/admin/outbox", ["admin"]],
    ["/admin/audit", ["admin"]],
  ];
}

async function fetchPage(path: string, role: Role, userAgent?: string) {
  const headers: Record<string, string> = {};
  if (role !== "anonymous") headers.Cookie = cookies[role]!;
  if (userAgent) headers["User-Agent"] = userAgent;
  const res = await fetch(`${server.url}${path}`, { headers, redirect: "manual" });
  return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
}

function nulOffsets(bytes: Buffer) {
  const found: number[] = [];
  for (let i = bytes.indexOf(0); i !== -1; i = bytes.indexOf(0, i + 1)) found.push(i);
  return found;
}

describe("no NUL byte in any page", () => {
  it("every page, as every role that may open it, is HTML without 0x00", async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [path, roles] of pages()) {
      for (const role of roles) {
        const page = await fetchPage(path, role);
        expect(`${role} ${path} → ${page.status}`).toBe(`${role} ${path} → 200`);
        expect(page.type).toBe("text/html; charset=utf-8");
        const nul = nulOffsets(page.bytes);
        if (nul.length) problems.push(`${role} ${path}: NUL at ${nul.join(", ")}`);
        // Dropping the stray bytes leaves whole characters: the page is still valid UTF-8.
        // (a broken sequence would decode to U+FFFD, the replacement character).
        expect(new TextDecoder("utf-8").decode(page.bytes)).not.toContain("\uFFFD");
        checked += page.bytes.length;
      }
    }
    expect(problems).toEqual([]);
    // The admin page's placeholder that issue 11 saw as 新し��いパスワード.
    const admin = (await fetchPage("/admin", "admin")).bytes.toString("utf8");
    expect(admin).toContain('placeholder="新しいパスワード');
    // Enough HTML went through to cross many 2,048-byte chunk boundaries.
    expect(checked).toBeGreaterThan(500_000);
  });

  it("pages refused, not found, or rendered for crawlers (all at once) have no NUL either", async () => {
    const problems: string[] = [];
    for (const [path, role, ua] of [
      ["/admin", "outreach"],
      ["/staff", "anonymous"],
      ["/no-such-page", "anonymous"],
      [`/staff/organisations/999999`, "manager"],
      ["/", "anonymous", "Googlebot/2.1 (+http://www.google.com/bot.html)"],
      ["/request", "anonymous", "Googlebot/2.1 (+http://www.google.com/bot.html)"],
    ] as [string, Role, string?][]) {
      const page = await fetchPage(path, role, ua);
      const nul = nulOffsets(page.bytes);
      if (nul.length) problems.push(`${role} ${path}: NUL at ${nul.join(", ")}`);
    }
    expect(problems).toEqual([]);
  });
});
