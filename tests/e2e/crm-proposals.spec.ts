import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./support";

/** A requestable date (well beyond the minimum notice, never in the year-end closure). */
function dateAhead(offset: number) {
  const d = new Date(Date.now() + offset * 86_400_000);
  let ymd = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(d);
  const md = ymd.slice(5);
  if (md >= "12-29" || md <= "01-03") ymd = `${Number(ymd.slice(0, 4)) + (md >= "12-29" ? 1 : 0)}-01-06`;
  return ymd;
}

test("a public request for an organisation staff already know changes nothing until staff confirm it", async ({ page, browser }) => {
  await signIn(page, DEMO.outreach);
  await page.goto("/staff/organisations?q=西田製麺");
  await page.getByRole("link", { name: "有限会社西田製麺" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "有限会社西田製麺" })).toBeVisible();
  const phone = (await page.locator("dl.facts a[href^='tel:']").first().textContent())!.trim();
  const summary = page.locator("section[aria-labelledby='h-summary']");
  await expect(summary).toContainText("接触済");

  // Someone sends the public form with the organisation's name and phone.
  const anonymous = await browser.newPage();
  await anonymous.goto("/request");
  await anonymous.getByLabel("団体名", { exact: true }).fill("有限会社西田製麺");
  await anonymous.getByLabel("団体の種類").selectOption({ label: "企業・事業所" });
  await anonymous.getByLabel("郵便番号").fill("030-0801");
  await anonymous.getByLabel("所在地").fill("あおば市西町5-5");
  await anonymous.getByLabel("担当者氏名").fill("西田 次郎");
  await anonymous.getByLabel("電話番号").fill(phone);
  await anonymous.getByLabel("メールアドレス").fill("jiro@nishida.example.jp");
  await anonymous.getByLabel("申請予定人数").fill("12");
  await anonymous.getByLabel("第1希望日", { exact: true }).fill(dateAhead(30));
  await anonymous.getByLabel("第1希望日の時間帯").selectOption({ label: "午後" });
  await anonymous.getByLabel("会場").fill("本社 休憩室");
  await anonymous.getByLabel("駐車スペース").selectOption({ label: "あり" });
  await anonymous.getByLabel("個人情報の取扱いに同意する").check();
  await anonymous.getByRole("button", { name: "申し込む" }).click();
  await expect(anonymous.getByRole("heading", { name: "お申し込みを受け付けました" })).toBeVisible();
  const receiptNo = (await anonymous.getByTestId("receipt-no").textContent())!.trim();
  await anonymous.close();

  // Staff see a proposal; the organisation itself is unchanged.
  await page.reload();
  const proposal = page.getByRole("region", { name: `申込からの変更の提案（受付番号 ${receiptNo}）` });
  await expect(proposal).toBeVisible();
  await expect(proposal).toContainText("担当者を追加: 西田 次郎");
  await expect(proposal).toContainText("段階: 接触済 → 申込受付");
  await expect(summary).toContainText("接触済");
  await expect(page.locator("section[aria-labelledby='h-contacts']")).not.toContainText("西田 次郎");

  await proposal.getByRole("button", { name: "確認して反映" }).click();
  await expect(page.getByText("申込の内容を団体に反映しました。")).toBeVisible();
  await expect(page.getByRole("region", { name: /申込からの変更の提案/ })).toHaveCount(0);
  await expect(summary).toContainText("申込受付");
  await expect(page.locator("section[aria-labelledby='h-contacts']")).toContainText("西田 次郎");
  await expect(page.locator("ol.timeline")).toContainText(`申込（受付番号 ${receiptNo}）の内容を反映`);
  await expect(page.locator("ol.timeline li").first()).toContainText("接触済 → 申込受付");
});

test("the CSV import refuses a file with an individual number, and shows a big file's preview progress", async ({ page }) => {
  await signIn(page, DEMO.manager);
  await page.goto("/staff/organisations/import");
  const csv = (text: string, name: string) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });

  await page.getByLabel("CSVファイル").setInputFiles(csv("団体名,電話番号,自由記入欄\nあおば東町内会,0172-70-0001,会長 1234-5678-9018\n", "bad.csv"));
  await page.getByRole("button", { name: "アップロードして確認" }).click();
  await expect(page.getByRole("alert")).toContainText("2行目の「自由記入欄」列（3列目）に、マイナンバー（個人番号）と思われる12桁の数字があります");
  await expect(page.getByRole("alert")).not.toContainText("9018");

  const lines = ["団体名,種類,電話番号,人数"];
  for (let i = 0; lines.length <= 120_000; i++) lines.push(`プレビュー確認テスト商事${i},企業,0174-${String(10 + (i % 80))}-${String(i % 10000).padStart(4, "0")},${i % 300}`);
  await page.getByLabel("CSVファイル").setInputFiles(csv(lines.join("\n"), "big.csv"));
  await page.getByRole("button", { name: "アップロードして確認" }).click();
  await expect(page.getByRole("progressbar")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("heading", { name: /big\.csv のプレビューを作成しています/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "プレビュー" })).toBeVisible({ timeout: 40_000 });
  await expect(page.getByRole("button", { name: "120,000件を取り込む" })).toBeVisible();
});
