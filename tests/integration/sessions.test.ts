/**
 * Sessions and their tokens, as a browser and an operator see them: the
 * cookie's attributes over http and https, what the sessions table keeps,
 * idle and absolute limits, revocation and sign-out.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { createCookie } from "@remix-run/node";
import { getSessionUser, hashPassword, login, logout, requirePermission, revokeUserSessions, sessionCookieName } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import { auditLog, sessions, users } from "../../db/schema";
import { useFreshDatabase } from "../support/db";

let ctx: ReturnType<typeof useFreshDatabase>;
const PASSWORD = "correct-horse-2026";
const HOUR = 60 * 60 * 1000;

beforeAll(async () => {
  ctx = useFreshDatabase();
  process.env.APP_URL = "http://sessions.test";
  // Written straight to the table (not through the sign-in code under test).
  const passwordHash = await hashPassword(PASSWORD);
  for (const [email, role] of [
    ["a@t.jp", "outreach"],
    ["b@t.jp", "outreach"],
    ["c@t.jp", "city"],
  ] as const) {
    getDb().insert(users).values({ email, name: email, role, passwordHash }).run();
  }
});
afterEach(() => {
  process.env.APP_URL = "http://sessions.test";
  vi.useRealTimers();
});
afterAll(() => ctx.cleanup());

async function signIn(email: string, extra: { userAgent?: string } = {}) {
  const r = await login({ email, password: PASSWORD, ip: "198.51.100.7", ...extra });
  if (!r.ok) throw new Error(r.message);
  return r;
}
const cookieOf = (setCookie: string) => setCookie.split(";")[0];
const requestWith = (setCookie: string, path = "/staff") => new Request(`http://sessions.test${path}`, { headers: { Cookie: cookieOf(setCookie) } });
const sessionRow = (id: string) => getDb().select().from(sessions).where(eq(sessions.id, id)).get()!;
const audits = (action: string) => getDb().select().from(auditLog).where(eq(auditLog.action, action)).all();

describe("the session cookie", () => {
  it("is __Host- prefixed and Secure over https, plain over http", () => {
    expect(sessionCookieName("https://demado.example.jp")).toBe("__Host-demado_session");
    expect(sessionCookieName("http://localhost:3000")).toBe("demado_session");
  });

  it("over http: HttpOnly, SameSite=Lax, Path=/, not Secure, and lasts the absolute limit (12 hours)", async () => {
    const s = await signIn("a@t.jp");
    expect(s.setCookie).toMatch(/^demado_session=/);
    expect(s.setCookie).toMatch(/; Max-Age=43200(;|$)/);
    expect(s.setCookie).toMatch(/; Path=\/(;|$)/);
    expect(s.setCookie).toMatch(/; HttpOnly/);
    expect(s.setCookie).toMatch(/; SameSite=Lax/);
    expect(s.setCookie).not.toMatch(/Secure/i);
  });

  it("over https: the __Host- cookie, Secure, still working for the next request", async () => {
    process.env.APP_URL = "https://demado.example.jp";
    const s = await signIn("a@t.jp");
    expect(s.setCookie).toMatch(/^__Host-demado_session=/);
    expect(s.setCookie).toMatch(/; Secure/);
    const user = await getSessionUser(new Request("https://demado.example.jp/staff", { headers: { Cookie: cookieOf(s.setCookie) } }));
    expect(user?.email).toBe("a@t.jp");
    // The token without its signature opens nothing.
    const unsigned = cookieOf(s.setCookie).replace(/\.[^.]*$/, "");
    expect(await getSessionUser(new Request("https://demado.example.jp/staff", { headers: { Cookie: unsigned } }))).toBeNull();
    // The plain-http name is not read over https.
    const plain = cookieOf(s.setCookie).replace(/^__Host-/, "");
    expect(await getSessionUser(new Request("https://demado.example.jp/staff", { headers: { Cookie: plain } }))).toBeNull();
  });

  it("ignores a correctly signed cookie that does not hold a session token", async () => {
    const forger = createCookie("demado_session", { secrets: [process.env.SESSION_SECRET!] });
    for (const value of ["short", "x".repeat(40), 12345]) {
      expect(await getSessionUser(new Request("http://sessions.test/", { headers: { Cookie: await forger.serialize(value) } }))).toBeNull();
    }
  });
});

describe("signing in", () => {
  it("finds the account whatever the email's case, width or surrounding spaces", async () => {
    const r = await login({ email: "  Ａ@T.jp ", password: PASSWORD, ip: "198.51.100.7" });
    expect(r.ok && r.user.email).toBe("a@t.jp");
  });
});

describe("what a session keeps", () => {
  it("stores when it was opened, when it ends (12 hours later), the address and the first 300 characters of the browser's name", async () => {
    const before = Date.now();
    const s = await signIn("a@t.jp", { userAgent: `Mozilla/5.0 ${"x".repeat(400)}` });
    const after = Date.now();
    const row = sessionRow(s.user.sessionId);
    expect(row.userAgent).toHaveLength(300);
    expect(row.ip).toBe("198.51.100.7");
    expect(row.revokedAt).toBeNull();
    const expires = Date.parse(row.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 12 * HOUR);
    expect(expires).toBeLessThanOrEqual(after + 12 * HOUR);
    const seen = Date.parse(row.lastSeenAt);
    expect(seen).toBeGreaterThanOrEqual(before);
    expect(seen).toBeLessThanOrEqual(after);
    expect(s.user).toMatchObject({ email: "a@t.jp", name: "a@t.jp", role: "outreach" });
    expect(getDb().select().from(users).where(eq(users.email, "a@t.jp")).get()!.lastLoginAt).not.toBeNull();
  });

  it("keeps an active session alive (touching it at most once a minute) until 2 hours without a request", async () => {
    const s = await signIn("a@t.jp");
    const id = s.user.sessionId;
    // Seen 30 seconds ago: valid, not written again.
    const recent = new Date(Date.now() - 30_000).toISOString();
    getDb().update(sessions).set({ lastSeenAt: recent }).where(eq(sessions.id, id)).run();
    expect((await getSessionUser(requestWith(s.setCookie)))?.sessionId).toBe(id);
    expect(sessionRow(id).lastSeenAt).toBe(recent);
    // Seen 1 h 59 min ago: still valid, and the idle clock starts again.
    getDb().update(sessions).set({ lastSeenAt: new Date(Date.now() - 2 * HOUR + 60_000).toISOString() }).where(eq(sessions.id, id)).run();
    expect((await getSessionUser(requestWith(s.setCookie)))?.email).toBe("a@t.jp");
    expect(Date.now() - Date.parse(sessionRow(id).lastSeenAt)).toBeLessThan(10_000);
    // Ending in a minute: still valid.
    getDb().update(sessions).set({ expiresAt: new Date(Date.now() + 60_000).toISOString() }).where(eq(sessions.id, id)).run();
    expect(await getSessionUser(requestWith(s.setCookie))).not.toBeNull();
  });

  it("ends exactly at the absolute limit and exactly 2 hours after the last request; touches it only after a full minute", async () => {
    const s = await signIn("a@t.jp");
    const id = s.user.sessionId;
    const seen = Date.parse(sessionRow(id).lastSeenAt);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(seen + 60_000);
    expect(await getSessionUser(requestWith(s.setCookie))).not.toBeNull();
    expect(Date.parse(sessionRow(id).lastSeenAt)).toBe(seen);
    vi.setSystemTime(seen + 60_001);
    expect(await getSessionUser(requestWith(s.setCookie))).not.toBeNull();
    expect(Date.parse(sessionRow(id).lastSeenAt)).toBe(seen + 60_001);
    vi.setSystemTime(seen + 60_001 + 2 * HOUR);
    expect(await getSessionUser(requestWith(s.setCookie))).toBeNull();

    const t = await signIn("a@t.jp");
    const expires = Date.parse(sessionRow(t.user.sessionId).expiresAt);
    // Keep it busy so only the absolute limit can end it.
    getDb().update(sessions).set({ lastSeenAt: new Date(expires - 1000).toISOString() }).where(eq(sessions.id, t.user.sessionId)).run();
    vi.setSystemTime(expires - 1);
    expect(await getSessionUser(requestWith(t.setCookie))).not.toBeNull();
    vi.setSystemTime(expires);
    expect(await getSessionUser(requestWith(t.setCookie))).toBeNull();
  });

  it("ends every session of a deactivated user", async () => {
    const s = await signIn("b@t.jp");
    getDb().update(users).set({ active: false }).where(eq(users.email, "b@t.jp")).run();
    expect(await getSessionUser(requestWith(s.setCookie))).toBeNull();
    getDb().update(users).set({ active: true }).where(eq(users.email, "b@t.jp")).run();
    expect(await getSessionUser(requestWith(s.setCookie))).not.toBeNull();
  });
});

describe("ending sessions", () => {
  it("revokes all of one user's sessions and no one else's, and records who did it", async () => {
    const a1 = await signIn("a@t.jp");
    const a2 = await signIn("a@t.jp");
    const b = await signIn("b@t.jp");
    const admin = await signIn("c@t.jp");
    revokeUserSessions(a1.user.id, admin.user.id);
    expect(await getSessionUser(requestWith(a1.setCookie))).toBeNull();
    expect(await getSessionUser(requestWith(a2.setCookie))).toBeNull();
    expect((await getSessionUser(requestWith(b.setCookie)))?.email).toBe("b@t.jp");
    expect(audits("auth.sessions_revoked").at(-1)).toMatchObject({ userId: admin.user.id, entity: "user", entityId: String(a1.user.id) });
  });

  it("signs out only this session, once: a second sign-out of it writes nothing", async () => {
    const here = await signIn("b@t.jp");
    const elsewhere = await signIn("b@t.jp");
    const before = audits("auth.logout").length;
    const cleared = await logout(requestWith(here.setCookie));
    expect(cleared).toMatch(/^demado_session=;/);
    expect(cleared).toMatch(/Max-Age=0/);
    expect(await getSessionUser(requestWith(here.setCookie))).toBeNull();
    expect(await getSessionUser(requestWith(elsewhere.setCookie))).not.toBeNull();
    const revokedAt = sessionRow(here.user.sessionId).revokedAt;
    expect(revokedAt).not.toBeNull();
    expect(audits("auth.logout")).toHaveLength(before + 1);
    expect(audits("auth.logout").at(-1)?.userId).toBe(here.user.id);
    await logout(requestWith(here.setCookie));
    expect(sessionRow(here.user.sessionId).revokedAt).toBe(revokedAt);
    expect(audits("auth.logout")).toHaveLength(before + 1);
    // Without a cookie there is nothing to end, but the answer still clears the cookie.
    expect(await logout(new Request("http://sessions.test/logout"))).toMatch(/Max-Age=0/);
    expect(audits("auth.logout")).toHaveLength(before + 1);
  });

  it("tells a signed-in user without the permission so, in Japanese, and records what was tried", async () => {
    const s = await signIn("a@t.jp");
    const denied = await requirePermission(requestWith(s.setCookie, "/city/approvals"), "visits.approve").catch((e) => e);
    expect(denied.status).toBe(403);
    expect(denied.statusText).toBe("Forbidden");
    expect(await denied.text()).toBe("この操作を行う権限がありません。");
    expect(audits("auth.forbidden").at(-1)).toMatchObject({ userId: s.user.id });
    expect(JSON.stringify(audits("auth.forbidden").at(-1)?.detail)).toContain("/city/approvals");
  });
});
