import crypto from "node:crypto";
import argon2 from "argon2";
import { createCookie, redirect } from "@remix-run/node";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { loginAttempts, sessions, users, type Role } from "../db/schema";
import { audit } from "./audit.server";
import { getDb, writeTransaction } from "./db.server";
import { env, sessionSecret } from "./env.server";
import { can, type Permission } from "./permissions";
import { clientIp } from "./request-info.server";

/** Sign-in rules, in one place. */
export const AUTH_RULES = {
  /** A session ends after this long without a request … */
  idleTimeoutMs: 2 * 60 * 60 * 1000,
  /** … and in any case this long after sign-in. */
  absoluteTimeoutMs: 12 * 60 * 60 * 1000,
  /** Consecutive failures that lock an account, and for how long. */
  lockAfterFailures: 5,
  lockMs: 15 * 60 * 1000,
  /** Failures from one address within the window before it is refused. */
  ipFailureLimit: 30,
  ipWindowMs: 15 * 60 * 1000,
  /** Answer delay after each consecutive failure (doubling, capped). */
  backoffBaseMs: 200,
  backoffMaxMs: 2000,
  minPasswordLength: 10,
} as const;

export type SessionUser = { id: number; email: string; name: string; role: Role; sessionId: string };

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
  return argon2.verify(hash, password).catch(() => false);
}

let dummyHash: Promise<string> | undefined;

function sha256(value: string) {
  return crypto.createHash("sha256").update(value).digest("hex");
}

export function normaliseEmail(email: string) {
  return email.normalize("NFKC").trim().toLowerCase();
}

let cookie: ReturnType<typeof createCookie> | undefined;
function sessionCookie() {
  cookie ??= createCookie("demado_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env().APP_URL.startsWith("https:"),
    secrets: [sessionSecret()],
    maxAge: AUTH_RULES.absoluteTimeoutMs / 1000,
  });
  return cookie;
}

export type LoginResult = { ok: true; user: SessionUser; setCookie: string } | { ok: false; message: string };

const GENERIC_FAILURE = "メールアドレスまたはパスワードが正しくありません。入力をご確認ください。";

/** Check credentials with back-off and lock-out; on success open a session. */
export async function login(input: { email: string; password: string; ip?: string | null; userAgent?: string | null }): Promise<LoginResult> {
  const db = getDb();
  const email = normaliseEmail(input.email);
  const ip = input.ip ?? null;
  const now = Date.now();

  if (ip) {
    const since = new Date(now - AUTH_RULES.ipWindowMs).toISOString();
    const row = db
      .select({ n: sql<number>`count(*)` })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.ip, ip), eq(loginAttempts.success, false), gt(loginAttempts.at, since)))
      .get();
    if ((row?.n ?? 0) >= AUTH_RULES.ipFailureLimit) {
      audit({ action: "auth.login_refused_ip", detail: { email }, ip });
      return { ok: false, message: "失敗が続いたため、この端末からのサインインを一時的に止めています。15分ほど待ってからもう一度お試しください。" };
    }
  }

  const user = db.select().from(users).where(eq(users.email, email)).get();
  if (user?.lockedUntil && Date.parse(user.lockedUntil) > now) {
    db.insert(loginAttempts).values({ email, ip, success: false }).run();
    audit({ userId: user.id, action: "auth.login_locked", ip });
    const minutes = Math.ceil((Date.parse(user.lockedUntil) - now) / 60000);
    return { ok: false, message: `サインインの失敗が続いたため、このアカウントは一時的にロックされています。${minutes}分後にもう一度お試しいただくか、管理者にご連絡ください。` };
  }

  // Verify even for unknown emails so timing does not tell which accounts exist.
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString("hex"));
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyHash), input.password);

  if (!user || !valid || !user.active) {
    const failures = (user?.failedLogins ?? 0) + 1;
    writeTransaction((tx) => {
      tx.insert(loginAttempts).values({ email, ip, success: false }).run();
      if (user) {
        const lock = failures >= AUTH_RULES.lockAfterFailures;
        tx.update(users)
          .set({
            failedLogins: failures,
            lockedUntil: lock ? new Date(now + AUTH_RULES.lockMs).toISOString() : user.lockedUntil,
          })
          .where(eq(users.id, user.id))
          .run();
        if (lock) audit({ userId: user.id, action: "auth.locked", ip, detail: { failures } }, tx);
      }
      audit({ userId: user?.id ?? null, action: "auth.login_failed", ip, detail: { email } }, tx);
    });
    if (failures > 1) {
      const delay = Math.min(AUTH_RULES.backoffMaxMs, AUTH_RULES.backoffBaseMs * 2 ** (failures - 2));
      await new Promise((r) => setTimeout(r, delay));
    }
    if (user && failures >= AUTH_RULES.lockAfterFailures) {
      return { ok: false, message: `サインインの失敗が${AUTH_RULES.lockAfterFailures}回続いたため、このアカウントを15分間ロックしました。時間をおいてお試しいただくか、管理者にご連絡ください。` };
    }
    return { ok: false, message: GENERIC_FAILURE };
  }

  const token = crypto.randomBytes(32).toString("base64url");
  const sessionId = sha256(token);
  const nowIso = new Date(now).toISOString();
  writeTransaction((tx) => {
    tx.insert(loginAttempts).values({ email, ip, success: true }).run();
    tx.update(users).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: nowIso }).where(eq(users.id, user.id)).run();
    tx.insert(sessions)
      .values({
        id: sessionId,
        userId: user.id,
        lastSeenAt: nowIso,
        expiresAt: new Date(now + AUTH_RULES.absoluteTimeoutMs).toISOString(),
        ip,
        userAgent: input.userAgent?.slice(0, 300) ?? null,
      })
      .run();
    audit({ userId: user.id, action: "auth.login", ip }, tx);
  });
  return {
    ok: true,
    user: { id: user.id, email: user.email, name: user.name, role: user.role, sessionId },
    setCookie: await sessionCookie().serialize(token),
  };
}

async function sessionToken(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length >= 32 ? value : null;
}

/** The signed-in user of this request, or null when there is none or the session has ended. */
export async function getSessionUser(request: Request): Promise<SessionUser | null> {
  const token = await sessionToken(request);
  if (!token) return null;
  const db = getDb();
  const id = sha256(token);
  const row = db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
    .get();
  if (!row || !row.user.active) return null;
  const now = Date.now();
  if (Date.parse(row.session.expiresAt) <= now) return null;
  if (Date.parse(row.session.lastSeenAt) + AUTH_RULES.idleTimeoutMs <= now) return null;
  // Touch at most once a minute: a write per request would be wasted work.
  if (now - Date.parse(row.session.lastSeenAt) > 60_000) {
    db.update(sessions).set({ lastSeenAt: new Date(now).toISOString() }).where(eq(sessions.id, id)).run();
  }
  return { id: row.user.id, email: row.user.email, name: row.user.name, role: row.user.role, sessionId: id };
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) {
    const url = new URL(request.url);
    const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` });
    throw redirect(`/login?${params}`);
  }
  return user;
}

/** The server-side gate of every staff, city and admin loader and action. */
export async function requirePermission(request: Request, permission: Permission): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!can(user.role, permission)) {
    audit({ userId: user.id, action: "auth.forbidden", detail: { permission, path: new URL(request.url).pathname }, ip: clientIp(request) });
    throw new Response("この操作を行う権限がありません。", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

/** End this request's session; returns the Set-Cookie header that clears it. */
export async function logout(request: Request): Promise<string> {
  const token = await sessionToken(request);
  if (token) {
    const id = sha256(token);
    const row = getDb().select().from(sessions).where(eq(sessions.id, id)).get();
    if (row && !row.revokedAt) {
      writeTransaction((tx) => {
        tx.update(sessions).set({ revokedAt: new Date().toISOString() }).where(eq(sessions.id, id)).run();
        audit({ userId: row.userId, action: "auth.logout", ip: clientIp(request) }, tx);
      });
    }
  }
  return sessionCookie().serialize("", { maxAge: 0 });
}

/** Revoke every open session of a user (admin action, password reset, deactivation). */
export function revokeUserSessions(userId: number, byUserId: number | null) {
  writeTransaction((tx) => {
    tx.update(sessions)
      .set({ revokedAt: new Date().toISOString() })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .run();
    audit({ userId: byUserId, action: "auth.sessions_revoked", entity: "user", entityId: userId }, tx);
  });
}
