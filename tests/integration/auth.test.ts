import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { accountLockState, AUTH_RULES, getSessionUser, login, logout, requirePermission, revokeUserSessions } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import { createUser } from "../../app/users.server";
import { auditLog, sessions, users } from "../../db/schema";
import { useFreshDatabase } from "../support/db";

let ctx: ReturnType<typeof useFreshDatabase>;
const PASSWORD = "correct-horse-2026";

beforeAll(async () => {
  ctx = useFreshDatabase();
  for (const [email, role] of [
    ["admin@t.jp", "admin"],
    ["staff@t.jp", "outreach"],
    ["city@t.jp", "city"],
    ["lock@t.jp", "outreach"],
  ] as const) {
    const r = await createUser({ email, name: email, role, password: PASSWORD }, null);
    expect(r.ok).toBe(true);
  }
});
afterAll(() => ctx.cleanup());

function requestWith(setCookie: string, path = "/staff") {
  return new Request(`http://localhost${path}`, { headers: { Cookie: setCookie.split(";")[0] } });
}

async function signIn(email: string, password = PASSWORD) {
  const result = await login({ email, password, ip: "127.0.0.9" });
  if (!result.ok) throw new Error(result.message);
  return result;
}

function auditActions() {
  return getDb().select({ action: auditLog.action }).from(auditLog).all().map((r) => r.action);
}

describe("sign-in", () => {
  it("signs in with the right password, whatever the email's case or width", async () => {
    const result = await signIn("ＳＴＡＦＦ@t.jp");
    expect(result.user.role).toBe("outreach");
    const user = await getSessionUser(requestWith(result.setCookie));
    expect(user?.email).toBe("staff@t.jp");
    expect(result.setCookie).toMatch(/HttpOnly/i);
    expect(result.setCookie).toMatch(/SameSite=Lax/i);
    expect(auditActions()).toContain("auth.login");
  });

  it("refuses a wrong password and an unknown email with the same message", async () => {
    const wrong = await login({ email: "admin@t.jp", password: "nope-nope-nope" });
    const unknown = await login({ email: "nobody@t.jp", password: "nope-nope-nope" });
    expect(wrong.ok).toBe(false);
    expect(unknown.ok).toBe(false);
    if (!wrong.ok && !unknown.ok) expect(wrong.message).toBe(unknown.message);
    expect(auditActions()).toContain("auth.login_failed");
    // A later success means the earlier failures no longer count.
    expect(accountLockState("admin@t.jp", null).score).toBe(1);
    await signIn("admin@t.jp");
    expect(accountLockState("admin@t.jp", null).score).toBe(0);
  });
  it("ends a session that has been idle too long or has reached its absolute limit", async () => {
    const idle = await signIn("staff@t.jp");
    getDb()
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - AUTH_RULES.idleTimeoutMs - 1000).toISOString() })
      .where(eq(sessions.id, idle.user.sessionId))
      .run();
    expect(await getSessionUser(requestWith(idle.setCookie))).toBeNull();

    const old = await signIn("staff@t.jp");
    getDb().update(sessions).set({ expiresAt: new Date(Date.now() - 1000).toISOString() }).where(eq(sessions.id, old.user.sessionId)).run();
    expect(await getSessionUser(requestWith(old.setCookie))).toBeNull();
  });

  it("ends revoked sessions and signed-out sessions at once", async () => {
    const a = await signIn("staff@t.jp");
    const b = await signIn("staff@t.jp");
    revokeUserSessions(a.user.id, null);
    expect(await getSessionUser(requestWith(a.setCookie))).toBeNull();
    expect(await getSessionUser(requestWith(b.setCookie))).toBeNull();

    const c = await signIn("staff@t.jp");
    const cleared = await logout(requestWith(c.setCookie));
    expect(cleared).toMatch(/Max-Age=0/i);
    expect(await getSessionUser(requestWith(c.setCookie))).toBeNull();
    expect(auditActions()).toContain("auth.logout");
  });

  it("ignores a forged or tampered cookie", async () => {
    const good = await signIn("staff@t.jp");
    const forged = good.setCookie.replace(/demado_session=([^.;]+)/, "demado_session=AAAA$1");
    expect(await getSessionUser(requestWith(forged))).toBeNull();
    expect(await getSessionUser(new Request("http://localhost/", { headers: { Cookie: "demado_session=nothing" } }))).toBeNull();
  });

  it("stores only a hash of the session token", async () => {
    const s = await signIn("staff@t.jp");
    const rows = getDb().all<{ id: string }>(sql`select id from sessions`);
    const token = decodeURIComponent(s.setCookie.split(";")[0].split("=")[1]);
    expect(rows.some((r) => token.includes(r.id))).toBe(false);
  });
});

describe("server-side permission checks", () => {
  it("sends an anonymous visitor to sign in, keeping where they were going", async () => {
    const thrown = await requirePermission(new Request("http://localhost/city?x=1"), "visits.approve").catch((e) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect(thrown.status).toBe(302);
    expect(thrown.headers.get("Location")).toBe("/login?redirectTo=%2Fcity%3Fx%3D1");
  });

  it("answers 403 to a signed-in user without the permission, and lets the right role through", async () => {
    const staff = await signIn("staff@t.jp");
    const denied = await requirePermission(requestWith(staff.setCookie, "/city"), "visits.approve").catch((e) => e);
    expect(denied).toBeInstanceOf(Response);
    expect(denied.status).toBe(403);
    expect(auditActions()).toContain("auth.forbidden");

    const city = await signIn("city@t.jp");
    const user = await requirePermission(requestWith(city.setCookie, "/city"), "visits.approve");
    expect(user.role).toBe("city");
  });
});
