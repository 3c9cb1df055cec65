import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./support";

/** A weekday about `offset` days ahead in Tokyo (outside the year-end closure). */
function weekdayAhead(offset: number) {
  for (let i = offset; ; i++) {
    const ymd = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date(Date.now() + i * 86_400_000));
    const dow = new Date(`${ymd}T00:00:00Z`).getUTCDay();
    const md = ymd.slice(5);
    if (dow !== 0 && dow !== 6 && !(md >= "12-29" || md <= "01-03")) return ymd;
  }
}
const jaDate = (ymd: string) => {
  const [y, m, d] = ymd.split("-").map(Number);
  return `${y}年${m}月${d}日`;
};

test("outreach schedules a request and asks the city; the city approves in one screen; the organisation sees it confirmed", async ({ page, browser }) => {
  const name = `E2E承認テスト自治会${Date.now() % 100000}`;
  const date = weekdayAhead(24);

  // The organisation asks for a visit.
  await page.goto("/request");
  await page.getByLabel("団体名", { exact: true }).fill(name);
  await page.getByLabel("団体の種類").selectOption({ label: "町内会・自治会" });
  await page.getByLabel("郵便番号").fill("030-0801");
  await page.getByLabel("所在地").fill("あおば市新町1-2-3");
  await page.getByLabel("担当者氏名").fill("承認 一郎");
  await page.getByLabel("電話番号").fill("017-123-9876");
  await page.getByLabel("メールアドレス").fill("approval-e2e@aoba.example.jp");
  await page.getByLabel("申請予定人数").fill("30");
  await page.getByLabel("第1希望日", { exact: true }).fill(date);
  await page.getByLabel("第1希望日の時間帯").selectOption({ label: "午前" });
  await page.getByLabel("会場").fill("自治会館 和室");
  await page.getByLabel("駐車スペース").selectOption({ label: "あり" });
  await page.getByLabel("個人情報の取扱いに同意する").check();
  await page.getByRole("button", { name: "申し込む" }).click();
  await expect(page.getByRole("heading", { name: "お申し込みを受け付けました" })).toBeVisible();
  const statusHref = await page.getByRole("link", { name: "申し込みの状況を確認する" }).getAttribute("href");
  expect(statusHref).toMatch(/\/request\/status\//);

  // Outreach staff schedule it and ask the city.
  const staff = await browser.newPage();
  await signIn(staff, DEMO.outreach);
  await staff.goto(`/staff/visits?q=${encodeURIComponent(name)}`);
  await staff.getByRole("link", { name }).click();
  await expect(staff.getByRole("heading", { level: 1, name })).toBeVisible();
  // Only what the role may do is offered: no approval button for staff.
  await expect(staff.getByRole("button", { name: "承認する" })).toHaveCount(0);
  await staff.getByLabel("訪問日").fill(date);
  // Early morning: the demo car is never out before 08:30, so this slot is free.
  await staff.getByLabel("開始時刻").fill("06:30");
  await staff.getByLabel("終了時刻").fill("07:30");
  await staff.getByLabel("会場（入力する）").fill("自治会館 和室");
  await staff.getByLabel("申請予定人数").fill("32");
  // Group visits run in 受付方式 only: the form states it instead of offering a choice.
  await expect(staff.getByText("方式: 出張申請受付方式（団体訪問はこの方式で行います）")).toBeVisible();
  await staff.getByRole("button", { name: "日程を保存する" }).click();
  await expect(staff.getByText("日程を保存しました。")).toBeVisible();
  await staff.getByRole("button", { name: "市に承認を依頼する" }).click();
  await expect(staff.getByText("市に承認を依頼しました。")).toBeVisible();
  await expect(staff.locator(".page-header")).toContainText("市の承認待ち");

  // The city official sees it waiting and approves it in one screen.
  const city = await browser.newPage();
  await signIn(city, DEMO.city);
  await expect(city.getByRole("heading", { level: 1, name: "承認待ち一覧" })).toBeVisible();
  const row = city.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("市の対応待ち");
  await row.getByRole("link", { name }).click();
  await expect(city.getByText(`${jaDate(date)}`).first()).toBeVisible();
  await expect(city.getByRole("heading", { name: "ラッピングカーの予定" })).toBeVisible();
  await expect(city.getByText("（この訪問）").first()).toBeVisible();
  // A change request needs a comment.
  await city.getByRole("button", { name: "修正を依頼する" }).click();
  await expect(city.getByText("理由（コメント）の入力が必要です")).toBeVisible();
  await city.getByLabel("コメント").fill("問題ありません。");
  await city.getByRole("button", { name: "承認する" }).click();
  await expect(city.getByText("承認しました。")).toBeVisible();
  await expect(city.locator(".page-header")).toContainText("確定");

  // Staff see the decision; the organisation's status page says 確定 with the date.
  await staff.reload();
  await expect(staff.locator(".page-header")).toContainText("確定");
  await expect(staff.getByText("問題ありません。").first()).toBeVisible();
  await page.goto(statusHref!);
  await expect(page.getByTestId("status-label")).toHaveText("確定");
  await expect(page.getByText(jaDate(date)).first()).toBeVisible();
});

test("staff cannot approve even by posting to the city's page", async ({ page }) => {
  await signIn(page, DEMO.manager);
  const res = await page.request.post("/city/visits/1", { form: { intent: "approve" } });
  expect(res.status()).toBe(403);
});
