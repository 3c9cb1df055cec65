import crypto from "node:crypto";
import argon2 from "argon2";
import { createCookie, redirect } from "@remix-run/node";
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { auditLog, loginAttempts, sessions, users, type Role } from "../db/schema";
import { audit } from "./audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "./db.server";
import { env, sessionSecret } from "./env.server";
import { can, type Permission } from "./permissions";
import { clientIp } from "./request-info.server";

/** Sign-in rules, in one place. */
export const AUTH_RULES = {
  /** A session ends after this long without a request … */
  idleTimeoutMs: 2 * 60 * 60 * 1000,
  /** … and in any case this long after sign-in. */
  absoluteTimeoutMs: 12 * 60 * 60 * 1000,
  /** Failed sign-ins are counted over this sliding window. */
  failureWindowMs: 15 * 60 * 1000,
  /** Failures from one client (address), over all accounts, before that client is refused outright. */
  clientFailureLimit: 30,
  /**
   * Failures for one account from one client before that client may no longer
   * try that account (the same account from elsewhere is unaffected).
   */
  accountClientFailureLimit: 5,
  /**
   * Failures for one account from all clients, each client counting at most
   * accountClientFailureLimit, before the account itself is locked. Much
   * higher than 5, and out of reach of one address: a stranger cannot lock
   * the city official out.
   */
  accountFailureLimit: 50,
  /** Answer delay after each failure from the same client (doubling, capped). */
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

/**
 * The session cookie. Over https it is `__Host-demado_session`: the browser
 * then insists on Secure, Path=/ and no Domain, so no subdomain or plain-http
 * page can set or shadow it.
 */
export function sessionCookieName(appUrl: string = env().APP_URL): string {
  return appUrl.startsWith("https:") ? "__Host-demado_session" : "demado_session";
}

let cookie: { key: string; cookie: ReturnType<typeof createCookie> } | undefined;
function sessionCookie() {
  const appUrl = env().APP_URL;
  const secret = sessionSecret();
  const key = `${appUrl}\n${secret}`;
  // Stryker disable next-line ConditionalExpression: equivalent, rebuilding the same cookie every time only costs time.
  if (cookie?.key !== key) {
    cookie = {
      key,
      cookie: createCookie(sessionCookieName(appUrl), {
        httpOnly: true,
        sameSite: "lax",
        path: "/",
        secure: appUrl.startsWith("https:"),
        secrets: [secret],
        maxAge: AUTH_RULES.absoluteTimeoutMs / 1000,
      }),
    };
  }
  return cookie.cookie;
}

export type LoginResult = { ok: true; user: SessionUser; setCookie: string } | { ok: false; message: string };

/**
 * The one answer for a wrong password, an unknown account, an inactive one and
 * a locked one: the wording must not tell which accounts exist or are locked.
 */
export const SIGN_IN_FAILED =
  "メールアドレスまたはパスワードが正しくありません。入力をご確認ください。失敗が続くと、しばらくサインインできなくなります。その場合は15分ほど待ってからお試しいただくか、管理者にご連絡ください。";

/** Refusal of a client (address) that failed too often, whatever the account: says nothing about accounts. */
export const CLIENT_REFUSED = "失敗が続いたため、この端末からのサインインを一時的に止めています。15分ほど待ってからもう一度お試しください。";

/** Audit actions after which earlier failures no longer count (an admin unlocked the account or set a new password). */
const LOCK_RESET_ACTIONS = ["user.unlocked", "user.password_reset"];

function laterOf(a: string, b: string | null | undefined) {
  return b && b > a ? b : a;
}

/** When this email's failures start to count: the window's start, or a later admin unlock or password reset. */
function countFrom(db: Db | Tx, userId: number | null, now: number): string {
  const windowStart = new Date(now - AUTH_RULES.failureWindowMs).toISOString();
  if (userId == null) return windowStart;
  const reset = db
    .select({ at: sql<string | null>`max(${auditLog.at})` })
    .from(auditLog)
    .where(and(eq(auditLog.entity, "user"), eq(auditLog.entityId, String(userId)), inArray(auditLog.action, LOCK_RESET_ACTIONS)))
    .get();
  return laterOf(windowStart, reset?.at);
}

function lastSuccess(db: Db | Tx, email: string, ip: string | null | undefined): string | null {
  const row = db
    .select({ at: sql<string | null>`max(${loginAttempts.at})` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, email), eq(loginAttempts.success, true), ip === undefined ? undefined : ipIs(ip)))
    .get();
  return row?.at ?? null;
}

function ipIs(ip: string | null) {
  return ip == null ? isNull(loginAttempts.ip) : eq(loginAttempts.ip, ip);
}

/** Failures from one client over all accounts in the window. */
function clientFailures(db: Db | Tx, ip: string | null, now: number): number {
  const since = new Date(now - AUTH_RULES.failureWindowMs).toISOString();
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(loginAttempts)
      .where(and(ipIs(ip), eq(loginAttempts.success, false), gt(loginAttempts.at, since)))
      .get()?.n ?? 0
  );
}

export type AccountLockState = {
  /** The account refuses every client (account-wide threshold reached). */
  locked: boolean;
  /** Failures that count towards the account-wide threshold (each client capped). */
  score: number;
  /** Failures in the window, uncapped, and from how many clients. */
  failures: number;
  clients: number;
  /** Clients that may no longer try this account for now. */
  blockedClients: number;
};

/**
 * The lock state of one email, from the recorded attempts: the same rules for
 * existing and unknown accounts. Failures before the account's last
 * successful sign-in, or before an admin unlock, do not count.
 */
export function accountLockState(email: string, userId: number | null, opts: { db?: Db | Tx; now?: number } = {}): AccountLockState {
  const db = opts.db ?? getDb();
  const now = opts.now ?? Date.now();
  const since = laterOf(countFrom(db, userId, now), lastSuccess(db, email, undefined));
  const perClient = db
    .select({ n: sql<number>`count(*)` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, email), eq(loginAttempts.success, false), gt(loginAttempts.at, since)))
    .groupBy(loginAttempts.ip)
    .all()
    .map((r) => r.n);
  const cap = AUTH_RULES.accountClientFailureLimit;
  const score = perClient.reduce((sum, n) => sum + Math.min(n, cap), 0);
  return {
    locked: score >= AUTH_RULES.accountFailureLimit,
    score,
    failures: perClient.reduce((sum, n) => sum + n, 0),
    clients: perClient.length,
    blockedClients: perClient.filter((n) => n >= cap).length,
  };
}

/** Failures for this account from this client that still count (since that client's last success there). */
function accountClientFailures(db: Db | Tx, email: string, userId: number | null, ip: string | null, now: number): number {
  const since = laterOf(countFrom(db, userId, now), lastSuccess(db, email, ip));
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.email, email), ipIs(ip), eq(loginAttempts.success, false), gt(loginAttempts.at, since)))
      .get()?.n ?? 0
  );
}

/**
 * Check credentials and open a session. Every answer about an account is the
 * same text and costs one argon2 verification (against a dummy hash when the
 * account is unknown, locked or blocked for this client), so neither the
 * wording nor the timing tells which accounts exist or are locked.
 */
export async function login(input: { email: string; password: string; ip?: string | null; userAgent?: string | null }): Promise<LoginResult> {
  const db = getDb();
  const email = normaliseEmail(input.email);
  const ip = input.ip ?? null;
  const now = Date.now();

  // A client failing across many accounts is refused before any password check (cheap, and says nothing about accounts).
  if (clientFailures(db, ip, now) >= AUTH_RULES.clientFailureLimit) {
    audit({ action: "auth.login_refused_ip", detail: { email }, ip });
    return { ok: false, message: CLIENT_REFUSED };
  }

  const user = db.select().from(users).where(eq(users.email, email)).get();
  const userId = user?.id ?? null;
  const lock = accountLockState(email, userId, { db, now });
  const blockedHere = accountClientFailures(db, email, userId, ip, now) >= AUTH_RULES.accountClientFailureLimit;
  const refused = lock.locked || blockedHere;

  dummyHash ??= hashPassword(crypto.randomBytes(16).toString("hex"));
  const hash = !refused && user ? user.passwordHash : await dummyHash;
  const valid = (await verifyPassword(hash, input.password)) && !refused && !!user;

  if (!user || !valid || !user.active) {
    const nowIso = new Date(now).toISOString();
    writeTransaction((tx) => {
      tx.insert(loginAttempts).values({ email, ip, success: false, at: nowIso }).run();
      const reason = lock.locked ? "account_locked" : blockedHere ? "client_blocked" : "wrong";
      audit({ userId, action: refused ? "auth.login_locked" : "auth.login_failed", ip, detail: { email, reason } }, tx);
      // The failure that reaches the account-wide threshold is recorded once, for the admins.
      if (user && !lock.locked && !blockedHere && accountLockState(email, userId, { db: tx, now: now + 1 }).locked) {
        audit({ userId, action: "auth.locked", ip, detail: { failures: lock.failures + 1 } }, tx);
      }
    });
    // Back-off per client: the same for every account, known or not.
    const failures = clientFailures(db, ip, now + 1);
    if (failures > 1) {
      const delay = Math.min(AUTH_RULES.backoffMaxMs, AUTH_RULES.backoffBaseMs * 2 ** (failures - 2));
      await new Promise((r) => setTimeout(r, delay));
    }
    return { ok: false, message: SIGN_IN_FAILED };
  }

  const token = crypto.randomBytes(32).toString("base64url");
  const sessionId = sha256(token);
  const nowIso = new Date(now).toISOString();
  writeTransaction((tx) => {
    tx.insert(loginAttempts).values({ email, ip, success: true, at: nowIso }).run();
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
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, a shorter value hashes to no stored session id (ids are hashes of 32-byte tokens); this only skips the query.
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

/** Revoke every open session of a user but one (their own password change keeps the session they made it in). */
export function revokeOtherSessions(tx: Tx, userId: number, keepSessionId: string): number {
  return tx
    .update(sessions)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), sql`${sessions.id} <> ${keepSessionId}`))
    .run().changes;
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
