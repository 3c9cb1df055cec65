import Database from "better-sqlite3";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO, moveVisitTo, servedDbFile, signIn, tokyoDay } from "./support";

/**
 * The four core tasks done with the keyboard alone (issue 15 items 20 and 21): a request, logging an activity, the
 * city's decision, entering results. After each step, focus lands on the result (the message, the first invalid
 * field, or the new page's h1), never on <body>; when it goes to an invalid field, a live region that was in the
 * page from the start says how many need fixing. Fields are reached with focus() and typed into; every button is pressed with Enter.
 */

/** A weekday about `offset` days ahead in Tokyo (outside the year-end closure). */
function weekdayAhead(offset: number) {
  for (let i = offset; ; i++) {
    const ymd = tokyoDay(i);
    const dow = new Date(`${ymd}T00:00:00Z`).getUTCDay();
    const md = ymd.slice(5);
    if (dow !== 0 && dow !== 6 && !(md >= "12-29" || md <= "01-03")) return ymd;
  }
}

async function type(field: Locator, text: string) {
  await field.focus();
  await field.page().keyboard.type(text);
}

async function press(button: Locator) {
  await button.focus();
  await button.page().keyboard.press("Enter");
}

async function expectFocusOn(page: Page, target: Locator) {
  await expect(target).toBeFocused();
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(false);
}

const announcer = (page: Page) => page.getByTestId("announcer");

test("keyboard only: a request, then the city's decision — focus follows each step", async ({ page, browser }) => {
  const name = `キーボード町内会${Date.now() % 100000}`;
  const date = weekdayAhead(30);

  // 1. The request: an incomplete form puts focus on the first field to fix.
  await page.goto("/request");
  await press(page.getByRole("button", { name: "申し込む" }));
  await expectFocusOn(page, page.getByLabel("団体名", { exact: true }));
  await type(page.getByLabel("団体名", { exact: true }), name);
  await page.getByLabel("団体の種類").focus();
  await page.getByLabel("団体の種類").selectOption({ label: "町内会・自治会" });
  await type(page.getByLabel("郵便番号"), "030-0801");
  await type(page.getByLabel("所在地"), "あおば市新町1-2-3");
  await type(page.getByLabel("担当者氏名"), "鍵盤 一郎");
  await type(page.getByLabel("電話番号"), "017-123-4321");
  await type(page.getByLabel("メールアドレス"), "keyboard-e2e@aoba.example.jp");
  await type(page.getByLabel("申請予定人数"), "25");
  await page.getByLabel("第1希望日", { exact: true }).fill(date);
  await page.getByLabel("第1希望日の時間帯").selectOption({ label: "午前" });
  await type(page.getByLabel("会場"), "集会所");
  await page.getByLabel("駐車スペース").selectOption({ label: "あり" });
  await page.getByLabel("個人情報の取扱いに同意する").focus();
  await page.keyboard.press("Space");
  await press(page.getByRole("button", { name: "申し込む" }));
  await expectFocusOn(page, page.getByRole("heading", { level: 1, name: "お申し込みを受け付けました" }));

  // Staff schedule it and ask the city (not the task under test: done the quick way).
  const staff = await browser.newPage();
  await signIn(staff, DEMO.outreach);
  await staff.goto(`/staff/visits?q=${encodeURIComponent(name)}`);
  await staff.getByRole("link", { name }).click();
  await expect(staff.getByRole("heading", { level: 1, name })).toBeVisible();
  await staff.getByLabel("訪問日", { exact: true }).fill(date);
  await staff.getByLabel("開始時刻").fill("06:30");
  await staff.getByLabel("終了時刻").fill("07:30");
  await staff.getByLabel("会場（入力する）").fill("集会所");
  await staff.getByRole("button", { name: "日程を保存する" }).click();
  await expect(staff.getByText("日程を保存しました。").first()).toBeVisible();
  await staff.getByRole("button", { name: "市に承認を依頼する" }).click();
  await expect(staff.getByText("市に承認を依頼しました。")).toBeVisible();
  await staff.close();

  // 2. The city's decision: opening it from the queue lands on its h1.
  const city = await browser.newPage();
  await signIn(city, DEMO.city);
  await press(city.getByRole("row").filter({ hasText: name }).getByRole("link", { name }));
  await expectFocusOn(city, city.getByRole("heading", { level: 1 }));
  // A change request without a comment: focus on the comment field, and the error is read out.
  await expect(announcer(city)).toBeAttached();
  await press(city.getByRole("button", { name: "修正を依頼する" }));
  await expectFocusOn(city, city.getByLabel("コメント"));
  await expect(city.getByLabel("コメント")).toHaveAccessibleDescription(/理由（コメント）の入力が必要です/);
  await expect(announcer(city)).toHaveText("入力内容に確認が必要な項目が1件あります。");
  // Approve: focus on the result message, which is also announced.
  await type(city.getByLabel("コメント"), "問題ありません。");
  await press(city.getByRole("button", { name: "承認する" }));
  // The page's result region (a live region there from page load) holds the message and takes the focus.
  const result = city.locator("main [role=status]").filter({ hasText: "承認しました。" });
  await expectFocusOn(city, result);
});

test("keyboard only: logging an activity and adding a task leave focus on what they produced", async ({ page }) => {
  await signIn(page, DEMO.outreach);
  await page.goto("/staff/organisations?q=あおば交通");
  await press(page.getByRole("link", { name: "株式会社あおば交通" }));
  // The summary has the focus on arrival (the page's own choice for its main task).
  await expect(page.getByLabel("記録の内容")).toBeFocused();
  await page.keyboard.type("キーボードだけで記録した電話");
  await press(page.getByRole("button", { name: "記録する" }));
  const logged = page.locator("main [role=status]").filter({ hasText: "記録しました。" });
  await expectFocusOn(page, logged);

  const tasks = page.getByRole("region", { name: "未完了のタスク" });
  await tasks.getByText("タスクを追加").focus();
  await page.keyboard.press("Enter");
  await type(tasks.getByLabel("タスクの内容"), "キーボードで追加したタスク");
  await press(tasks.getByRole("button", { name: "追加する" }));
  await expectFocusOn(page, page.locator("main [role=status]").filter({ hasText: "タスクを追加しました。" }));
  await expect(tasks.getByRole("listitem").filter({ hasText: "キーボードで追加したタスク" })).toHaveCount(1);

});

test("keyboard only: entering a day's results moves focus to the saved message", async ({ page }) => {
  const db = new Database(servedDbFile());
  db.pragma("busy_timeout = 5000");
  const v = db
    .prepare(
      `select v.id, v.expected_applicants as expected from visits v
        where v.kind = 'group' and v.status = 'approved' and v.date > ? order by v.date desc, v.id desc limit 1`,
    )
    .get(tokyoDay(0)) as { id: number; expected: number } | undefined;
  if (!v) throw new Error("no approved demo visit left to move");
  moveVisitTo(db, v.id, tokyoDay(0), { from: "05:00", to: "05:45", holdFrom: "04:30", holdTo: "06:15" });
  db.close();

  await signIn(page, DEMO.outreach);
  await page.goto(`/staff/visits/${v.id}/results`);
  await type(page.getByLabel("受付方式で申請"), String(v.expected));
  await press(page.getByRole("button", { name: "保存して実施済にする" }));
  await expectFocusOn(page, page.locator("main .notice").filter({ hasText: "実績を保存しました。" }));

});
