import argon2 from "argon2";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { servedDbFile, signIn } from "./support";

/**
 * Own account (issue 15 item 6): a signed-in user opens /account from the
 * header, changes their password with the current one, and their other
 * browser is signed out while this one stays signed in.
 */

const EMAIL = "account-e2e@demo.example";
const OLD = "account-old-pass-2026";
const NEW = "account-new-pass-2026";

test.beforeAll(async () => {
  // An account of its own, so the demo users' password stays what the other specs sign in with.
  const hash = await argon2.hash(OLD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  const db = new Database(servedDbFile());
  try {
    db.prepare("insert into users (email, name, role, password_hash) values (?, ?, 'outreach', ?)").run(EMAIL, "口座 変子", hash);
  } finally {
    db.close();
  }
});

test("a user changes their own password from the header; their other browser is signed out, this one is not", async ({ page, browser }) => {
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, EMAIL, OLD);

  await signIn(page, EMAIL, OLD);
  await page.getByRole("link", { name: /口座 変子.*のアカウント/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "自分のアカウント" })).toBeVisible();
  await page.waitForLoadState("networkidle");

  // A wrong current password: said next to the field, which gets the focus.
  await page.getByLabel("現在のパスワード").fill("not-my-password-00");
  await page.getByLabel("新しいパスワード", { exact: true }).fill(NEW);
  await page.getByLabel("新しいパスワード（確認）").fill(NEW);
  await page.getByRole("button", { name: "パスワードを変更する" }).click();
  await expect(page.getByText("現在のパスワードが正しくありません。")).toBeVisible();
  await expect(page.getByLabel("現在のパスワード")).toBeFocused();

  await page.getByLabel("現在のパスワード").fill(OLD);
  await page.getByLabel("新しいパスワード", { exact: true }).fill(NEW);
  await page.getByLabel("新しいパスワード（確認）").fill(NEW);
  await page.getByRole("button", { name: "パスワードを変更する" }).click();
  await expect(page.getByRole("status")).toContainText("パスワードを変更しました。ほかの端末やブラウザーのサインイン（1件）は終了しました。");
  // The passwords do not stay in the fields.
  await expect(page.getByLabel("現在のパスワード")).toHaveValue("");
  await expect(page.getByLabel("新しいパスワード", { exact: true })).toHaveValue("");

  // This browser is still signed in; the other one is sent to sign in.
  await page.goto("/staff");
  await expect(page).toHaveURL(/\/staff$/);
  await otherPage.goto("/staff");
  await expect(otherPage).toHaveURL(/\/login/);
  await other.close();

  // The new password signs in.
  await page.context().clearCookies();
  await signIn(page, EMAIL, NEW);
});
