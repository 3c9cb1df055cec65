import { freeText } from "./lib/validation";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { ROLES, users, type Role } from "../db/schema";
import { audit } from "./audit.server";
import { AUTH_RULES, hashPassword, normaliseEmail, revokeOtherSessions, revokeUserSessions, verifyPassword, type SessionUser } from "./auth.server";
import { getDb, writeTransaction } from "./db.server";
import { and, sql } from "drizzle-orm";

export const passwordSchema = z
  .string()
  .min(AUTH_RULES.minPasswordLength, { error: `パスワードは${AUTH_RULES.minPasswordLength}文字以上にしてください。` })
  .max(200, { error: "パスワードは200文字以内にしてください。" });

export const newUserSchema = z.object({
  email: z
    .string()
    .transform(normaliseEmail)
    .pipe(z.email({ error: "メールアドレスの形式が正しくありません（例: name@example.jp）。" })),
  name: freeText(60, { required: "氏名を入力してください。" }),
  role: z.enum(ROLES, { error: "役割を選んでください。" }),
  password: passwordSchema,
});

export type NewUser = z.infer<typeof newUserSchema>;

export type UserResult = { ok: true; id: number } | { ok: false; errors: Record<string, string> };

export async function createUser(input: unknown, byUserId: number | null): Promise<UserResult> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])) };
  }
  const { email, name, role, password } = parsed.data;
  const passwordHash = await hashPassword(password);
  const db = getDb();
  return writeTransaction((tx) => {
    const existing = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
    if (existing) return { ok: false as const, errors: { email: "このメールアドレスは既に登録されています。" } };
    const row = tx.insert(users).values({ email, name, role, passwordHash }).returning({ id: users.id }).get();
    audit({ userId: byUserId, action: "user.created", entity: "user", entityId: row.id, detail: { email, role } }, tx);
    return { ok: true as const, id: row.id };
  }, db);
}

/** Set a new password; every open session of the user ends. */
export async function resetPassword(userId: number, password: string, byUserId: number | null): Promise<UserResult> {
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) return { ok: false, errors: { password: parsed.error.issues[0].message } };
  const passwordHash = await hashPassword(parsed.data);
  writeTransaction((tx) => {
    tx.update(users)
      .set({ passwordHash, failedLogins: 0, lockedUntil: null, updatedAt: new Date().toISOString() })
      .where(eq(users.id, userId))
      .run();
    audit({ userId: byUserId, action: "user.password_reset", entity: "user", entityId: userId }, tx);
  });
  revokeUserSessions(userId, byUserId);
  return { ok: true, id: userId };
}

export const CURRENT_PASSWORD_WRONG = "現在のパスワードが正しくありません。いまサインインに使っているパスワードを入力してください。";

const ownPasswordSchema = z.object({
  currentPassword: z.string({ error: "現在のパスワードを入力してください。" }).min(1, { error: "現在のパスワードを入力してください。" }).max(200, { error: CURRENT_PASSWORD_WRONG }),
  newPassword: passwordSchema,
  confirmPassword: z.string().optional().default(""),
});

export type OwnPasswordResult = { ok: true; signedOut: number } | { ok: false; errors: Record<string, string> };

/**
 * A signed-in user changes their own password: the current one is required, the
 * new one follows the same rules as a new account's, and every other session of
 * theirs ends (the one they are using stays). Audited as user.password_changed.
 */
export async function changeOwnPassword(user: Pick<SessionUser, "id" | "sessionId">, input: unknown, ip: string | null = null): Promise<OwnPasswordResult> {
  const parsed = ownPasswordSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])) };
  }
  const { currentPassword, newPassword, confirmPassword } = parsed.data;
  if (confirmPassword !== newPassword) {
    return { ok: false, errors: { confirmPassword: "確認用のパスワードが新しいパスワードと一致しません。同じものをもう一度入力してください。" } };
  }
  const row = getDb().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id)).get();
  if (!row || !(await verifyPassword(row.passwordHash, currentPassword))) return { ok: false, errors: { currentPassword: CURRENT_PASSWORD_WRONG } };
  if (newPassword === currentPassword) return { ok: false, errors: { newPassword: "新しいパスワードには、現在のものと違うパスワードを入力してください。" } };
  const passwordHash = await hashPassword(newPassword);
  const signedOut = writeTransaction((tx) => {
    tx.update(users).set({ passwordHash, updatedAt: new Date().toISOString() }).where(eq(users.id, user.id)).run();
    const n = revokeOtherSessions(tx, user.id, user.sessionId);
    audit({ userId: user.id, action: "user.password_changed", entity: "user", entityId: user.id, detail: { otherSessionsEnded: n }, ip }, tx);
    return n;
  });
  return { ok: true, signedOut };
}

export function setUserActive(userId: number, active: boolean, byUserId: number | null) {
  writeTransaction((tx) => {
    tx.update(users).set({ active, updatedAt: new Date().toISOString() }).where(eq(users.id, userId)).run();
    audit({ userId: byUserId, action: active ? "user.activated" : "user.deactivated", entity: "user", entityId: userId }, tx);
  });
  if (!active) revokeUserSessions(userId, byUserId);
}

export function unlockUser(userId: number, byUserId: number | null) {
  writeTransaction((tx) => {
    tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, userId)).run();
    audit({ userId: byUserId, action: "user.unlocked", entity: "user", entityId: userId }, tx);
  });
}

export function listUsers() {
  const nowIso = new Date().toISOString();
  return getDb()
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      active: users.active,
      lockedUntil: users.lockedUntil,
      lastLoginAt: users.lastLoginAt,
      // Qualified by hand: inside a correlated subquery bare column names would bind to the wrong table.
      openSessions: sql<number>`(select count(*) from sessions s where s.user_id = "users"."id" and s.revoked_at is null and s.expires_at > ${nowIso})`,
    })
    .from(users)
    .orderBy(asc(users.role), asc(users.name))
    .all();
}

export function usersWithRole(role: Role) {
  return getDb()
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.role, role), eq(users.active, true)))
    .orderBy(asc(users.name))
    .all();
}

