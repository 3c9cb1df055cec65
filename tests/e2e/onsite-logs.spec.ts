import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, receivedEmails, signIn } from "./support";

/**
 * The on-the-day logs in the browser: a site lead on a phone reports a serious
 * incident, the city official sees it on the home page and in the mailbox,
 * opens and prints the report, and it leaves the city's page once closed; the
 * inquiry quick add from the keyboard, and without JavaScript.
 */

const PHONE = { width: 390, height: 844 };

/** Automated WCAG 2.1 AA checks (as in accessibility.spec.ts). */
async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`)).toEqual([]);
}

async function firstSessionIncidents(page: Page): Promise<string> {
  await page.goto("/staff/visits");
  const href = await page.locator('a[href^="/staff/visits/"]').evaluateAll((links) =>
    links.map((a) => new URL((a as HTMLAnchorElement).href).pathname).find((p) => /^\/staff\/visits\/\d+$/.test(p)),
  );
  expect(href).toBeTruthy();
  return `${href}/incidents`;
}

test("a serious incident on a phone reaches the city at once, prints as a report, and leaves the city's page when closed", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signIn(page, DEMO.manager);
  const incidentsPage = await firstSessionIncidents(page);
  await page.goto(incidentsPage);
  await page.getByLabel("重大", { exact: true }).check();
  await page.getByLabel("苦情", { exact: true }).check();
  const what = "来場者から、待ち時間の案内がなく1時間以上待たされたと強い苦情があった。";
  await page.getByLabel("何が起きたか").fill(what);
  await page.getByRole("button", { name: "記録する" }).click();
  await expect(page.getByText(/重大・緊急のため、総括責任者と市の職員（\d+人）にメールで報告しました。/)).toBeVisible();
  await expectNoViolations(page);

  // The city official's mailbox (the test SMTP server) gets the report.
  await expect.poll(() => receivedEmails().filter((m) => /^To: city@demo\.example/m.test(m) && m.includes("incident")).length, { timeout: 20_000 }).toBeGreaterThan(0);

  await page.context().clearCookies();
  await signIn(page, DEMO.city);
  await page.goto("/city");
  const region = page.getByRole("region", { name: /対応中の重大・緊急の事故・苦情/ });
  await expect(region).toContainText(what);
  // The demo has an open serious incident of its own: open the report of this one.
  await region.getByRole("listitem").filter({ hasText: what }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/incidents\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("事故報告書");
  await expect(page.getByText(/^令和\d+年\d+月\d+日$/)).toBeVisible();
  await expect(page.getByRole("cell", { name: what })).toBeVisible();
  await expectNoViolations(page);
  // On paper: the site's header and the buttons are left out, the report stays.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByRole("button", { name: "印刷する" })).toBeHidden();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.emulateMedia({ media: "screen" });

  // Staff close it with the action taken; the city's page no longer lists it.
  await page.context().clearCookies();
  await signIn(page, DEMO.manager);
  await page.goto(incidentsPage);
  const card = page.locator("article.incident", { hasText: what });
  await card.getByLabel("とった対応").fill("責任者がお詫びし、待ち時間の掲示を始めた。");
  await card.getByRole("button", { name: "対応完了にする" }).click();
  await expect(page.getByText("対応完了にしました。")).toBeVisible();
  await page.context().clearCookies();
  await signIn(page, DEMO.city);
  await page.goto("/city");
  await expect(page.getByText(what)).toHaveCount(0);
});

test("an inquiry goes in from the keyboard: category, summary, Enter; the channel stays for the next call", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signIn(page, DEMO.outreach);
  await page.goto("/staff/inquiries");
  await page.waitForLoadState("networkidle");
  // The category has the focus on arrival; 電話 and today are already chosen.
  await expect(page.getByLabel("分類", { exact: true })).toBeFocused();
  await expect(page.getByLabel("電話", { exact: true })).toBeChecked();
  await page.getByLabel("メール", { exact: true }).check();
  await page.getByLabel("分類", { exact: true }).selectOption({ label: "カードの受取" });
  await page.getByLabel("概要", { exact: true }).fill("受取の予約方法の確認");
  await page.getByLabel("概要", { exact: true }).press("Enter");
  await expect(page.getByText("記録しました。続けて入力できます。")).toBeVisible();
  const row = page.getByRole("row", { name: /受取の予約方法の確認/ });
  await expect(row).toContainText("メール");
  await expect(row).toContainText("カードの受取");
  // A fresh form for the next one, on the same channel.
  await expect(page.getByLabel("概要", { exact: true })).toHaveValue("");
  await expect(page.getByLabel("メール", { exact: true })).toBeChecked();
  await expect(page.getByLabel("分類", { exact: true })).toBeFocused();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("an inquiry is logged with a plain form post, and a phone number in the summary is refused", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("メールアドレス").fill(DEMO.outreach);
    await page.getByLabel("パスワード").fill("demo-pass-2026");
    await page.getByRole("button", { name: "サインイン" }).click();
    await page.goto("/staff/inquiries");
    await page.getByLabel("分類", { exact: true }).selectOption({ label: "日程・会場" });
    await page.getByLabel("概要", { exact: true }).fill("折り返しは 090-1111-2222 へ");
    await page.getByRole("button", { name: "記録する" }).click();
    await expect(page.getByText("電話番号やメールアドレスのような個人の連絡先が含まれています。")).toBeVisible();
    await page.getByLabel("概要", { exact: true }).fill("次回の巡回日程の問合せ");
    await page.getByRole("button", { name: "記録する" }).click();
    await expect(page.getByText("記録しました。続けて入力できます。")).toBeVisible();
    await expect(page.getByRole("row", { name: /次回の巡回日程の問合せ/ })).toContainText("日程・会場");
  });
});
