/**
 * Own account (issue 15 item 6): a signed-in user changes their own password on
 * /account. The current password is required, the new one follows the rules of
 * a new account, every OTHER session of theirs ends and the change is audited.
 * Through the route's real loader and action, real argon2, a real SQLite file.
 */
import argon2 from "argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { login } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import * as account from "../../app/routes/account";
import { auditLog, users } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { callRoute } from "../support/routes";

let ctx: ReturnType<typeof useFreshDatabase>;
const OLD = "old-password-0123";
const NEW = "new-password-4567";
let userId: number;

beforeAll(async () => {
  ctx = useFreshDatabase();
  // Small argon2 costs keep the real sign-ins fast.
  const hash = await argon2.hash(OLD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  userId = getDb().insert(users).values({ email: "city@t.jp", name: "市役所 一郎", role: "city", passwordHash: hash }).returning().get().id;
  getDb().insert(users).values({ email: "other@t.jp", name: "別の 職員", role: "outreach", passwordHash: hash }).run();
});
afterAll(() => ctx.cleanup());

async function signIn(email: string, password: string) {
  const r = await login({ email, password });
  return r.ok ? r.setCookie.split(";")[0] : null;
}

const change = (cookie: string, form: Record<string, string>) => callRoute(account.action as never, { url: "/account", cookie, form });
/** The account page as the holder of `cookie` gets it: 200, or a redirect to sign-in once the session has ended. */
const open = (cookie: string) => callRoute(account.loader as never, { url: "/account", cookie });

describe("changing one's own password", () => {
  it("refuses a wrong current password, a short new one and a mismatched confirmation, and changes nothing", async () => {
    const cookie = (await signIn("city@t.jp", OLD))!;
    const wrong = await change(cookie, { currentPassword: "not-my-password-1", newPassword: NEW, confirmPassword: NEW });
    expect(wrong.status).toBe(400);
    expect((wrong.body as { errors: Record<string, string> }).errors).toEqual({
      currentPassword: "現在のパスワードが正しくありません。いまサインインに使っているパスワードを入力してください。",
    });
    const short = await change(cookie, { currentPassword: OLD, newPassword: "short-pw", confirmPassword: "short-pw" });
    expect((short.body as { errors: Record<string, string> }).errors).toEqual({ newPassword: "パスワードは10文字以上にしてください。" });
    const mismatch = await change(cookie, { currentPassword: OLD, newPassword: NEW, confirmPassword: "new-password-4568" });
    expect((mismatch.body as { errors: Record<string, string> }).errors).toEqual({
      confirmPassword: "確認用のパスワードが新しいパスワードと一致しません。同じものをもう一度入力してください。",
    });
    const empty = await change(cookie, {});
    expect(empty.status).toBe(400);
    expect((empty.body as { errors: Record<string, string> }).errors.currentPassword).toBe("現在のパスワードを入力してください。");
    // The old password still signs in.
    expect(await signIn("city@t.jp", OLD)).not.toBeNull();
  });

  it("with the current password: the new one signs in, the old does not, other sessions end, this one stays, and it is audited", async () => {
    const here = (await signIn("city@t.jp", OLD))!;
    const phone = (await signIn("city@t.jp", OLD))!;
    const someoneElse = (await signIn("other@t.jp", OLD))!;

    const r = await change(here, { currentPassword: OLD, newPassword: NEW, confirmPassword: NEW });
    expect(r.status).toBe(200);
    // Two sessions of the earlier test and the phone: all but this one.
    expect((r.body as { ok: string }).ok).toBe("パスワードを変更しました。ほかの端末やブラウザーのサインイン（3件）は終了しました。この画面はそのまま使えます。");

    expect((await open(here)).status).toBe(200);
    const ended = await open(phone);
    expect(ended.status).toBe(302);
    expect(ended.headers.get("Location")).toBe("/login?redirectTo=%2Faccount");
    expect((await open(someoneElse)).status).toBe(200);

    expect(await signIn("city@t.jp", OLD)).toBeNull();
    expect(await signIn("city@t.jp", NEW)).not.toBeNull();

    const entries = getDb()
      .select({ userId: auditLog.userId, entityId: auditLog.entityId })
      .from(auditLog)
      .where(and(eq(auditLog.action, "user.password_changed"), eq(auditLog.entity, "user")))
      .all();
    expect(entries).toEqual([{ userId, entityId: String(userId) }]);
  });

  it("anyone not signed in is sent to sign in", async () => {
    const r = await callRoute(account.action as never, { url: "/account", form: { currentPassword: OLD, newPassword: NEW, confirmPassword: NEW } });
    expect(r.status).toBe(302);
    expect(r.headers.get("Location")).toBe("/login?redirectTo=%2Faccount");
  });
});
