import { expect, test } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, signIn } from "./support";

const homes = [
  { email: DEMO.admin, path: "/admin", heading: "利用者の管理" },
  { email: DEMO.manager, path: "/staff", heading: "今日の仕事" },
  { email: DEMO.outreach, path: "/staff", heading: "今日の仕事" },
  { email: DEMO.city, path: "/city", heading: "承認待ち一覧" },
];

for (const { email, path, heading } of homes) {
  test(`${email} signs in and lands on its own home`, async ({ page }) => {
    await signIn(page, email);
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "ja");
    // Sign out ends the session: the home is closed again.
    await page.getByRole("button", { name: "サインアウト" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto(path);
    await expect(page).toHaveURL(/\/login\?redirectTo=/);
  });
}

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("メールアドレス").fill(DEMO.outreach);
  await page.getByLabel("パスワード").fill("wrong-password-1");
  await page.getByRole("button", { name: "サインイン" }).click();
  await expect(page.getByRole("alert")).toContainText("メールアドレスまたはパスワードが正しくありません");
  await expect(page).toHaveURL(/\/login/);
});

test("a sign-in link that tries to send the browser elsewhere lands on the user's home instead", async ({ page }) => {
  // Chromium drops the tab: a naive "starts with / but not //" check would send it to //evil.example.
  for (const target of ["/%09/evil.example", "/.//evil.example", "https%3A%2F%2Fevil.example%2F"]) {
    await page.goto(`/login?redirectTo=${target}`);
    await page.getByLabel("メールアドレス").fill(DEMO.outreach);
    await page.getByLabel("パスワード").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "サインイン" }).click();
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/staff$/);
    await page.getByRole("button", { name: "サインアウト" }).click();
    await expect(page).toHaveURL(/\/login/);
  }
});

test("staff cannot open the city's approval page, and the city cannot open the CRM", async ({ page }) => {
  await signIn(page, DEMO.outreach);
  const res = await page.goto("/city");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "このページを表示する権限がありません" })).toBeVisible();
  await page.getByRole("button", { name: "サインアウト" }).click();
  await signIn(page, DEMO.city);
  const res2 = await page.goto("/admin");
  expect(res2?.status()).toBe(403);
});

test("the public home page explains the service in Japanese, with working links", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("ラッピングカー");
  await expect(page.getByRole("link", { name: "団体で出張申請を申し込む" })).toHaveAttribute("href", "/request");
  await expect(page.getByRole("link", { name: "巡回・拠点のスケジュールを見る" })).toHaveAttribute("href", "/schedule");
  const health = await page.request.get("/healthz");
  expect(health.status()).toBe(200);
  expect(await health.text()).toBe("ok");
});

test("an unknown page shows a friendly 404", async ({ page }) => {
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "ページが見つかりません" })).toBeVisible();
});
