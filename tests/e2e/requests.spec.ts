import { expect, test, type Page } from "@playwright/test";
import { simpleParser } from "mailparser";
import { DEMO, receivedEmails, signIn } from "./support";

/** A requestable date (well beyond the minimum notice, never in the year-end closure). */
function dateAhead(offset: number) {
  const d = new Date(Date.now() + offset * 86_400_000);
  let ymd = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(d);
  const md = ymd.slice(5);
  if (md >= "12-29" || md <= "01-03") ymd = `${Number(ymd.slice(0, 4)) + (md >= "12-29" ? 1 : 0)}-01-06`;
  return ymd;
}

async function fillGoodRequest(page: Page, name: string, email: string) {
  await page.getByLabel("団体名", { exact: true }).fill(name);
  await page.getByLabel("団体の種類").selectOption({ label: "町内会・自治会" });
  await page.getByLabel("郵便番号").fill("０３０－０８０１");
  await page.getByLabel("所在地").fill("あおば市新町1-2-3");
  await page.getByLabel("担当者氏名").fill("青葉 一郎");
  await page.getByLabel("電話番号").fill("０１７－１２３－９８７６");
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("申請予定人数").fill("25");
  await page.getByLabel("第1希望日", { exact: true }).fill(dateAhead(25));
  await page.getByLabel("第1希望日の時間帯").selectOption({ label: "午前" });
  await page.getByLabel("第2希望日", { exact: true }).fill(dateAhead(32));
  await page.getByLabel("第2希望日の時間帯").selectOption({ label: "終日" });
  await page.getByLabel("会場").fill("町内会館 大広間");
  await page.getByLabel("駐車スペース").selectOption({ label: "要相談" });
  await page.getByLabel("個人情報の取扱いに同意する").check();
}

async function emailFor(receiptNo: string) {
  let found: Awaited<ReturnType<typeof simpleParser>> | undefined;
  await expect
    .poll(
      async () => {
        for (const raw of receivedEmails()) {
          const mail = await simpleParser(raw);
          if (mail.subject?.includes(receiptNo)) found = mail;
        }
        return !!found;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return found!;
}

test.describe("request form on a phone (JavaScript on)", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("explains itself, refuses bad input as you go, accepts a good request, emails the link; the status page answers and cancels", async ({ page }) => {
    await page.goto("/request");
    await expect(page.getByRole("heading", { level: 1, name: "団体向け出張申請の申し込み" })).toBeVisible();
    await expect(page.getByText("費用はかかりません")).toBeVisible();

    // Errors as you go, beside the field.
    await page.getByLabel("電話番号").fill("123");
    await page.getByLabel("団体名", { exact: true }).focus();
    await expect(page.getByText("電話番号は市外局番から")).toBeVisible();
    await expect(page.getByLabel("電話番号")).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("申請予定人数").fill("2");
    await page.getByLabel("団体名", { exact: true }).focus();
    await expect(page.getByText(/5人以上でお申し込みください/)).toBeVisible();

    // No horizontal scrolling at phone width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    await fillGoodRequest(page, "E2Eあおば町内会", "e2e-js@aoba.example.jp");
    await expect(page.getByText("電話番号は市外局番から")).toHaveCount(0);
    await page.getByRole("button", { name: "申し込む" }).click();

    await expect(page.getByRole("heading", { name: "お申し込みを受け付けました" })).toBeVisible();
    const receiptNo = (await page.getByTestId("receipt-no").textContent())!.trim();
    expect(receiptNo).toMatch(/^G-\d{4}-\d{4}$/);
    // The receipt has its own address (POST → 303), so a reload shows the same number and link again.
    expect(new URL(page.url()).pathname).toMatch(/^\/request\/done\/[A-Za-z0-9_-]{32}$/);
    await page.reload();
    await expect(page.getByRole("heading", { name: "お申し込みを受け付けました" })).toBeVisible();
    await expect(page.getByTestId("receipt-no")).toHaveText(receiptNo);
    await expect(page.getByRole("link", { name: "申し込みの状況を確認する" })).toBeVisible();

    const mail = await emailFor(receiptNo);
    expect(mail.subject).toContain("受け付けました");
    const link = /https?:\/\/\S+\/request\/status\/[A-Za-z0-9_-]+/.exec(mail.text ?? "")![0];

    await page.getByRole("link", { name: "申し込みの状況を確認する" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "お申し込みの状況" })).toBeVisible();
    expect(page.url()).toBe(link);
    await expect(page.getByTestId("status-label")).toHaveText("受付済");
    await expect(page.locator('[aria-current="step"]')).toContainText("受付済");
    await expect(page.getByText("本人確認書類").first()).toBeVisible();
    await expect(page.getByText(/マイナンバー（個人番号）は、この申込/)).toBeVisible();
    const res = await page.request.get(link);
    expect(res.headers()["cache-control"]).toContain("no-store");
    expect(res.headers()["x-robots-tag"]).toContain("noindex");
    await expect(page.locator('meta[name="referrer"]')).toHaveAttribute("content", "no-referrer");

    // Cancel with a reason (optional, as in the lifecycle: older volunteers may leave it empty).
    await page.getByText("取り消す", { exact: true }).click();
    await expect(page.getByLabel("取消の理由（任意）")).toBeVisible();
    await page.getByLabel("取消の理由（任意）").fill("行事と重なったため");
    await page.getByRole("button", { name: "申し込みを取り消す" }).click();
    await expect(page.getByText("お申し込みを取り消しました。確認のメールをお送りしました。")).toBeVisible();
    await expect(page.getByTestId("status-label")).toHaveText("取消");
    await expect(page.getByText("理由：行事と重なったため")).toBeVisible();
  });

  test("an unknown or malformed status link is a 404", async ({ page }) => {
    expect((await page.goto(`/request/done/${"x".repeat(32)}`))?.status()).toBe(404);
    expect((await page.goto("/request/status/not-a-token"))?.status()).toBe(404);
    expect((await page.goto(`/request/status/${"x".repeat(32)}`))?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "ページが見つかりません" })).toBeVisible();
  });
});

test.describe("団体名のよみがな", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("is optional, refuses what is not kana beside the field, and lets staff find the organisation by its reading", async ({ page, browser }) => {
    const name = `港町内会${Date.now() % 100000}`;
    await page.goto("/request");
    const kana = page.getByLabel("団体名のよみがな");
    await expect(kana).toBeVisible();
    await expect(kana).not.toHaveAttribute("aria-required", "true");
    await kana.fill("minato");
    await page.getByLabel("団体名", { exact: true }).focus();
    await expect(page.locator("#rq-organisationNameKana-error")).toHaveText(
      "団体名のよみがなは、ひらがなかカタカナで入力してください（例: みなとちょうないかい）。わからない場合は空欄のままでかまいません。",
    );
    await expect(kana).toHaveAttribute("aria-invalid", "true");

    await fillGoodRequest(page, name, "e2e-minato@aoba.example.jp");
    await kana.fill("ミナトチョウナイカイ");
    await expect(page.locator("#rq-organisationNameKana-error")).toHaveCount(0);
    await page.getByRole("button", { name: "申し込む" }).click();
    await expect(page.getByRole("heading", { name: "お申し込みを受け付けました" })).toBeVisible();

    const staff = await browser.newPage();
    await signIn(staff, DEMO.outreach);
    await staff.goto(`/staff/organisations?q=${encodeURIComponent("みなと")}`);
    await expect(staff.getByRole("link", { name, exact: true })).toBeVisible();
    await staff.close();
  });
});

test.describe("request form with JavaScript off", () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });

  test("shows errors beside the fields, keeps the values, then accepts the corrected request", async ({ page }) => {
    await page.goto("/request");
    await page.getByLabel("団体名", { exact: true }).fill("E2E ノースクリプト福祉会");
    await page.getByLabel("電話番号").fill("12-34");
    await page.getByRole("button", { name: "申し込む" }).click();

    await expect(page.getByText("入力内容を確認してください")).toBeVisible();
    await expect(page.getByLabel("団体名", { exact: true })).toHaveValue("E2E ノースクリプト福祉会");
    await expect(page.getByLabel("電話番号")).toHaveValue("12-34");
    await expect(page.locator("#rq-phone-error")).toContainText("10桁または11桁");
    await expect(page.locator("#rq-preferredDate1-error")).toContainText("第1希望日を選んでください");
    await expect(page.locator("#rq-consent-error")).toContainText("同意する");

    await fillGoodRequest(page, "E2E ノースクリプト福祉会", "e2e-nojs@aoba.example.jp");
    await page.getByRole("button", { name: "申し込む" }).click();
    await expect(page.getByRole("heading", { name: "お申し込みを受け付けました" })).toBeVisible();
    const receiptNo = (await page.getByTestId("receipt-no").textContent())!.trim();
    // Without JavaScript too, the receipt survives a reload (no form resent, no second request).
    const receiptUrl = page.url();
    expect(new URL(receiptUrl).pathname).toMatch(/^\/request\/done\/[A-Za-z0-9_-]{32}$/);
    await page.reload();
    await expect(page.getByTestId("receipt-no")).toHaveText(receiptNo);
    await page.getByRole("link", { name: "申し込みの状況を確認する" }).click();
    await expect(page.getByTestId("receipt-no")).toHaveText(receiptNo);
    await expect(page.getByTestId("status-label")).toHaveText("受付済");
  });
});
