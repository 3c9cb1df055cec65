/**
 * Sign-in answers and locks: one text for unknown, wrong and locked; locks
 * that depend on where failures come from, so a stranger cannot lock the
 * city official out; the admin sees and clears them; the login route
 * redirects only within the site; the cookie is __Host- over https.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { accountLockState, AUTH_RULES, getSessionUser, login, SIGN_IN_FAILED } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import { action as adminAction, loader as adminLoader } from "../../app/routes/admin._index";
import { action as loginAction } from "../../app/routes/login";
import { createUser } from "../../app/users.server";
import { auditLog, sessions, users } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { callRoute } from "../support/routes";

let ctx: ReturnType<typeof useFreshDatabase>;
const PASSWORD = "correct-horse-2026";
const WRONG = "wrong-password-123";
let ipSeq = 0;
/** A client address not used before in this file (so per-client back-off does not carry over). */
const freshIp = () => `198.51.100.${++ipSeq}`;

beforeAll(async () => {
  ctx = useFreshDatabase();
  for (const [email, role] of [
    ["admin@t.jp", "admin"],
    ["city@t.jp", "city"],
    ["city2@t.jp", "city"],
    ["staff@t.jp", "outreach"],
    ["timing@t.jp", "outreach"],
    ["redirect@t.jp", "outreach"],
  ] as const) {
    expect((await createUser({ email, name: email, role, password: PASSWORD }, null)).ok).toBe(true);
  }
});
afterAll(() => ctx.cleanup());

const userId = (email: string) => getDb().select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
const auditCount = (action: string) => getDb().select().from(auditLog).where(eq(auditLog.action, action)).all().length;

/** `n` wrong passwords for `email` from `ip`, sent at once (the back-off delays then overlap). */
async function fail(email: string, ip: string, n: number) {
  const results = await Promise.all(Array.from({ length: n }, () => login({ email, password: WRONG, ip })));
  for (const r of results) expect(r.ok).toBe(false);
}

async function adminCookie() {
  const r = await login({ email: "admin@t.jp", password: PASSWORD, ip: freshIp() });
  if (!r.ok) throw new Error(r.message);
  return r.setCookie.split(";")[0];
}

describe("one answer for every failure", () => {
  it("gives the same text for an unknown account, a wrong password, a blocked client and a locked account", async () => {
    const unknown = await login({ email: "nobody@t.jp", password: WRONG, ip: freshIp() });
    const wrong = await login({ email: "staff@t.jp", password: WRONG, ip: freshIp() });
    // A client that failed 5 times on staff@, now with the right password.
    const ip = freshIp();
    await fail("staff@t.jp", ip, AUTH_RULES.accountClientFailureLimit);
    const blocked = await login({ email: "staff@t.jp", password: PASSWORD, ip });
    // The same for an unknown email: no difference that would tell it does not exist.
    const ip2 = freshIp();
    await fail("ghost@t.jp", ip2, AUTH_RULES.accountClientFailureLimit);
    const blockedUnknown = await login({ email: "ghost@t.jp", password: PASSWORD, ip: ip2 });
    for (const r of [unknown, wrong, blocked, blockedUnknown]) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toBe(SIGN_IN_FAILED);
    }
    expect(SIGN_IN_FAILED).toContain("メールアドレスまたはパスワードが正しくありません");
  }, 60_000);
});

describe("locks depend on where failures come from", () => {
  it("failures from address A do not stop the right password from address B", async () => {
    const a = freshIp();
    await fail("city@t.jp", a, AUTH_RULES.accountClientFailureLimit);
    // A itself may no longer try this account, even with the right password …
    expect((await login({ email: "city@t.jp", password: PASSWORD, ip: a })).ok).toBe(false);
    // … but the official at B signs in.
    const b = await login({ email: "city@t.jp", password: PASSWORD, ip: freshIp() });
    expect(b.ok).toBe(true);
    expect(accountLockState("city@t.jp", userId("city@t.jp")).locked).toBe(false);
  }, 60_000);

  it("one address alone cannot lock an account, however many times it tries", async () => {
    const a = freshIp();
    // Up to the per-client limit over all accounts (after that the client is refused outright).
    await fail("city2@t.jp", a, AUTH_RULES.clientFailureLimit);
    const refused = await login({ email: "city2@t.jp", password: WRONG, ip: a });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).toMatch(/この端末からのサインインを一時的に止めています/);
    const state = accountLockState("city2@t.jp", userId("city2@t.jp"));
    expect(state.failures).toBeGreaterThanOrEqual(AUTH_RULES.clientFailureLimit);
    expect(state.score).toBe(AUTH_RULES.accountClientFailureLimit);
    expect(state.locked).toBe(false);
    expect((await login({ email: "city2@t.jp", password: PASSWORD, ip: freshIp() })).ok).toBe(true);
  }, 120_000);

  it("locks the account for everyone once failures from many addresses reach the account-wide threshold", async () => {
    expect(AUTH_RULES.accountFailureLimit).toBeGreaterThanOrEqual(50);
    const clients = AUTH_RULES.accountFailureLimit / AUTH_RULES.accountClientFailureLimit;
    const lockedBefore = auditCount("auth.locked");
    // One short of the threshold: still open.
    await Promise.all(Array.from({ length: clients - 1 }, () => fail("city@t.jp", freshIp(), AUTH_RULES.accountClientFailureLimit)));
    await fail("city@t.jp", freshIp(), AUTH_RULES.accountClientFailureLimit - 1);
    expect(accountLockState("city@t.jp", userId("city@t.jp")).locked).toBe(false);
    await fail("city@t.jp", freshIp(), 1);
    expect(accountLockState("city@t.jp", userId("city@t.jp")).locked).toBe(true);
    expect(auditCount("auth.locked")).toBe(lockedBefore + 1);
    // Now even the right password from a new address is refused, with the usual text.
    const locked = await login({ email: "city@t.jp", password: PASSWORD, ip: freshIp() });
    expect(locked.ok).toBe(false);
    if (!locked.ok) expect(locked.message).toBe(SIGN_IN_FAILED);
  }, 120_000);

  it("takes about as long to refuse a locked account as a wrong password or an unknown account (one argon2 check each)", async () => {
    expect(accountLockState("city@t.jp", userId("city@t.jp")).locked).toBe(true);
    const time = async (email: string, password: string) => {
      // A fresh address each time: a client's first failure has no back-off delay.
      const t = performance.now();
      await login({ email, password, ip: freshIp() });
      return performance.now() - t;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const wrong: number[] = [];
    const locked: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      wrong.push(await time("timing@t.jp", WRONG));
      locked.push(await time("city@t.jp", PASSWORD));
      unknown.push(await time(`nobody${i}@t.jp`, WRONG));
    }
    // Loose bounds (the machine is shared): a refusal without the hash check would be ~50x faster.
    for (const [name, xs] of [["locked", locked], ["unknown", unknown]] as const) {
      expect(median(xs) / median(wrong), name).toBeGreaterThan(0.5);
      expect(median(xs) / median(wrong), name).toBeLessThan(2);
    }
  }, 120_000);

  it("shows the lock to the admin, who can clear it", async () => {
    const cookie = await adminCookie();
    const page = await callRoute(adminLoader as never, { url: "/admin", cookie });
    const rows = (page.body as { users: { email: string; lock: { locked: boolean; blockedClients: number; failures: number } }[] }).users;
    const city = rows.find((u) => u.email === "city@t.jp")!;
    expect(city.lock.locked).toBe(true);
    expect(city.lock.failures).toBeGreaterThanOrEqual(AUTH_RULES.accountFailureLimit);
    expect(rows.find((u) => u.email === "staff@t.jp")!.lock.blockedClients).toBe(1);
    expect(rows.find((u) => u.email === "admin@t.jp")!.lock.locked).toBe(false);

    const unlocked = await callRoute(adminAction as never, { url: "/admin", cookie, form: { intent: "unlock", userId: String(userId("city@t.jp")) } });
    expect(unlocked.status).toBe(200);
    expect(accountLockState("city@t.jp", userId("city@t.jp"))).toMatchObject({ locked: false, score: 0, blockedClients: 0 });
    expect((await login({ email: "city@t.jp", password: PASSWORD, ip: freshIp() })).ok).toBe(true);
  }, 60_000);
});

describe("the login route", () => {
  async function post(form: Record<string, string>) {
    return callRoute(loginAction as never, { url: "/login", form, headers: { "x-demado-client-ip": freshIp() } });
  }

  it("goes back to the page the user came from", async () => {
    const r = await post({ email: "redirect@t.jp", password: PASSWORD, redirectTo: "/staff/organisations?stage=lead" });
    expect(r.status).toBe(302);
    expect(r.headers.get("Location")).toBe("/staff/organisations?stage=lead");
    expect(r.headers.get("Set-Cookie")).toMatch(/^demado_session=/);
  });

  it("sends every hostile redirect target to the user's home instead (never a 500)", async () => {
    for (const redirectTo of ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "//evil.example", "/\\evil.example", "/.//evil.example", "https://evil.example/", "javascript:alert(1)"]) {
      const r = await post({ email: "redirect@t.jp", password: PASSWORD, redirectTo });
      expect(r.status, JSON.stringify(redirectTo)).toBe(302);
      expect(r.headers.get("Location"), JSON.stringify(redirectTo)).toBe("/staff");
    }
  }, 60_000);

  it("records the client's address from the request for the attempt", async () => {
    await callRoute(loginAction as never, { url: "/login", form: { email: "redirect@t.jp", password: WRONG }, headers: { "x-demado-client-ip": "192.0.2.77" } });
    const row = getDb().select().from(auditLog).where(eq(auditLog.ip, "192.0.2.77")).get();
    expect(row?.action).toBe("auth.login_failed");
  });
});

describe("the session cookie", () => {
  const saved = process.env.APP_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.APP_URL;
    else process.env.APP_URL = saved;
  });

  it("is __Host-demado_session (Secure, Path=/, no Domain) when APP_URL is https", async () => {
    process.env.APP_URL = "https://demado.example.jp";
    const r = await login({ email: "staff@t.jp", password: PASSWORD, ip: freshIp() });
    if (!r.ok) throw new Error(r.message);
    const parts = r.setCookie.split(/;\s*/);
    expect(parts[0]).toMatch(/^__Host-demado_session=/);
    expect(parts.map((p) => p.toLowerCase())).toEqual(expect.arrayContaining(["secure", "path=/", "httponly", "samesite=lax"]));
    expect(r.setCookie).not.toMatch(/domain=/i);
    // The session reads back from that cookie, and not from a plain-named one.
    const user = await getSessionUser(new Request("https://demado.example.jp/staff", { headers: { Cookie: parts[0] } }));
    expect(user?.email).toBe("staff@t.jp");
    const plain = parts[0].replace(/^__Host-/, "");
    expect(await getSessionUser(new Request("https://demado.example.jp/staff", { headers: { Cookie: plain } }))).toBeNull();
    getDb().update(sessions).set({ revokedAt: new Date().toISOString() }).where(eq(sessions.id, r.user.sessionId)).run();
  });

  it("is demado_session without Secure over plain http (local use)", async () => {
    process.env.APP_URL = "http://localhost:3000";
    const r = await login({ email: "staff@t.jp", password: PASSWORD, ip: freshIp() });
    if (!r.ok) throw new Error(r.message);
    expect(r.setCookie).toMatch(/^demado_session=/);
    expect(r.setCookie).not.toMatch(/secure/i);
  });
});
