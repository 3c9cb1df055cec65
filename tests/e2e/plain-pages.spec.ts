import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { DEMO, DEMO_PASSWORD } from "./support";

/**
 * Pages that ship no JavaScript (docs/decisions/011) still do their work with
 * plain HTML: the status page's cancel form and the sign-in form post as
 * ordinary forms and answer with a whole new page.
 */

/** The status link of a demo request still waiting for a first answer (cancellable from its page). */
function requestedToken(): string {
  const file = path.resolve(`.cache/e2e-${process.env.E2E_PORT ?? 3199}/demado.db`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("SELECT r.status_token FROM visit_requests r JOIN visits v ON v.request_id = r.id WHERE v.status = 'requested' ORDER BY r.id DESC LIMIT 1")
      .pluck()
      .get() as string;
  } finally {
    db.close();
  }
}

test("the status page, opened from the email link without any script, cancels with a plain form post", async ({ page }) => {
  const scripts: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "script") scripts.push(r.url());
  });
  await page.goto(`/request/status/${requestedToken()}`);
  await expect(page.getByRole("heading", { level: 1, name: "お申し込みの状況" })).toBeVisible();
  expect(await page.locator("script").count()).toBe(0);
  await page.getByText("取り消す", { exact: true }).click();
  await page.getByLabel("取消の理由（任意）").fill("都合がつかなくなったため");
  // A whole-page POST (no fetch): the answer is a new document.
  const [post] = await Promise.all([page.waitForRequest((r) => r.method() === "POST" && r.resourceType() === "document"), page.getByRole("button", { name: "申し込みを取り消す" }).click()]);
  expect(new URL(post.url()).pathname).toMatch(/^\/request\/status\//);
  await expect(page.getByText("お申し込みを取り消しました。確認のメールをお送りしました。")).toBeVisible();
  await expect(page.getByTestId("status-label")).toHaveText("取消");
  await expect(page.getByText("理由：都合がつかなくなったため")).toBeVisible();
  expect(scripts).toEqual([]);
});

test("sign-in is a plain form: a wrong password answers with the message, the right one opens the hydrated staff page", async ({ page }) => {
  await page.goto("/login");
  expect(await page.locator("script").count()).toBe(0);
  await page.getByLabel("メールアドレス").fill(DEMO.manager);
  await page.getByLabel("パスワード").fill("wrong-password");
  await page.getByRole("button", { name: "サインイン" }).click();
  await expect(page.getByText(/メールアドレスまたはパスワード/)).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("パスワード").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "サインイン" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactFiber$")), null, { timeout: 15_000 });
});
