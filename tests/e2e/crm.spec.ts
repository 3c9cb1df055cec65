import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn } from "./support";

const column = (page: Page, stage: string) => page.locator(`section.board-col[data-stage="${stage}"]`);

test("outreach staff move a lead across the board by drag and by keyboard, and the history records it", async ({ page }) => {
  await signIn(page, DEMO.outreach);
  await page.goto("/staff/pipeline");
  await expect(page.getByRole("heading", { level: 1, name: "パイプライン" })).toBeVisible();
  await page.waitForLoadState("networkidle"); // dragging needs the hydrated board

  // Drag the first 未接触 card to 接触済.
  const card = column(page, "uncontacted").locator("li.board-card").first();
  const name = (await card.locator(".board-card__name").textContent())!.trim();
  const contactedBefore = Number(await column(page, "contacted").locator(".board-col__count").textContent());
  await card.dragTo(column(page, "contacted"), { sourcePosition: { x: 8, y: 4 } });
  await expect(page.getByRole("status").filter({ hasText: `「${name}」を「未接触」から「接触済」へ移動しました` })).toBeVisible();
  await expect(column(page, "contacted").getByRole("link", { name, exact: true })).toBeVisible();
  await expect(column(page, "contacted").locator(".board-col__count")).toHaveText(String(contactedBefore + 1));

  // The lifecycle's columns refuse a drop: the card stays where it is.
  const moved = column(page, "contacted").locator("li.board-card", { has: page.getByRole("link", { name, exact: true }) });
  await moved.dragTo(column(page, "confirmed"), { sourcePosition: { x: 8, y: 4 } });
  await expect(column(page, "contacted").getByRole("link", { name, exact: true })).toBeVisible();

  // Keyboard: the card's own "段階を移動" menu, then Enter on its button.
  const select = page.getByLabel(`${name}の段階を移動`);
  await select.focus();
  await select.selectOption({ label: "協議中" });
  await page.keyboard.press("Tab"); // reason field
  await page.keyboard.press("Tab"); // 移動 button
  await expect(page.getByRole("button", { name: `${name}を移動` })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: `「${name}」を「接触済」から「協議中」へ移動しました` })).toBeVisible();
  await expect(column(page, "consulting").getByRole("link", { name, exact: true })).toBeVisible();

  // The organisation's history tells who moved it, from where to where.
  await column(page, "consulting").getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const timeline = page.locator("ol.timeline");
  await expect(timeline.locator("li").first()).toContainText("接触済 → 協議中");
  await expect(timeline.locator("li").first()).toContainText("佐々木 翔太");
  await expect(timeline.locator("li").nth(1)).toContainText("未接触 → 接触済");
});

test("a call is logged in two clicks and a next action planned from the organisation page", async ({ page }) => {
  await signIn(page, DEMO.outreach);
  await page.goto("/staff/organisations?q=あおば交通");
  await page.getByRole("link", { name: "株式会社あおば交通" }).click();
  // 電話 is preselected and the summary has the focus: type and press one button.
  await expect(page.getByRole("radio", { name: "電話" })).toBeChecked();
  await expect(page.getByLabel("記録の内容")).toBeFocused();
  await page.keyboard.type("総務課長と電話。朝礼で案内してもらえることになった");
  await page.getByRole("button", { name: "記録する" }).click();
  const first = page.locator("ol.timeline li").first();
  await expect(first).toContainText("総務課長と電話。朝礼で案内してもらえることになった");
  await expect(first).toContainText("電話");
  await expect(first).toContainText("佐々木 翔太");

  await page.getByLabel("次回予定日").fill("2027-01-15");
  await page.getByLabel("次回予定の内容").fill("朝礼の日程を確認");
  await page.getByRole("button", { name: "次回予定を保存" }).click();
  await expect(page.getByText("次回予定を保存しました。")).toBeVisible();
  await expect(page.getByText("2027年1月15日(金)")).toBeVisible();

  // The priority breakdown says why the organisation ranks where it does.
  await expect(page.getByRole("table", { name: "優先度の内訳" })).toContainText("地区のカード未取得率");
});

test("a task is finished in one click from the Today view", async ({ page }) => {
  await signIn(page, DEMO.outreach);
  await expect(page.getByRole("heading", { level: 1, name: "今日の仕事" })).toBeVisible();
  const section = page.locator("section", { has: page.getByRole("heading", { name: /期限切れ・今日までのタスク/ }) });
  const first = section.locator("li").first();
  const label = (await first.getByRole("button").getAttribute("aria-label"))!;
  const title = label.replace(/^「/, "").replace(/」を完了にする$/, "");
  await first.getByRole("button").click();
  await expect(first.getByRole("button")).toHaveText("完了済");
  await page.reload();
  await expect(section.getByText(title, { exact: false })).toHaveCount(0);
});

test("staff find the welfare facilities of the district with the lowest card rate and see why each ranks where it does", async ({ page }) => {
  await signIn(page, DEMO.outreach);
  await page.goto("/staff/districts?sort=rate");
  const first = page.locator("tbody tr").first();
  const district = (await first.locator("th").textContent())!.trim();
  const rates = await page.locator("tbody tr td:nth-child(4)").allTextContents();
  const numbers = rates.map((r) => Number.parseFloat(r));
  expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
  await first.getByRole("link", { name: "福祉施設" }).click();
  await expect(page.getByLabel("種類")).toHaveValue("welfare");
  await expect(page.getByLabel("地区")).toHaveValue(/\d+/);
  const rows = page.locator("table.org-table tbody tr");
  const count = await rows.count();
  for (let i = 0; i < count; i++) {
    await expect(rows.nth(i)).toContainText("福祉施設");
    await expect(rows.nth(i)).toContainText(district);
  }
  if (count > 0) {
    await rows.first().locator("details.priority summary").click();
    await expect(rows.first().locator(".priority__parts")).toContainText("地区の未取得率");
  } else {
    await expect(page.getByText("条件に合う団体はありません")).toBeVisible();
  }
});

test("the task form on an organisation's page empties after a task is added, ready for the next one", async ({ page }) => {
  await signIn(page, DEMO.outreach);
  await page.goto("/staff/organisations?q=あおば交通");
  await page.getByRole("link", { name: "株式会社あおば交通" }).click();
  await page.waitForLoadState("networkidle");
  const tasks = page.locator("section", { has: page.getByRole("heading", { name: "未完了のタスク" }) });
  await tasks.getByText("タスクを追加").click();
  await tasks.getByLabel("タスクの内容").fill("朝礼の資料を届ける");
  await tasks.getByLabel("期限").fill("2027-01-20");
  await tasks.getByRole("button", { name: "追加する" }).click();
  await expect(page.getByText("タスクを追加しました。")).toBeVisible();
  await expect(tasks.getByRole("listitem").filter({ hasText: "朝礼の資料を届ける" })).toHaveCount(1);
  await expect(tasks.getByLabel("タスクの内容")).toBeVisible();
  await expect(tasks.getByLabel("タスクの内容")).toHaveValue("");
  await expect(tasks.getByLabel("期限")).toHaveValue("");

  // The next task goes in straight away (the form has a new key), even with the same text.
  await tasks.getByLabel("タスクの内容").fill("朝礼の資料を届ける");
  await tasks.getByRole("button", { name: "追加する" }).click();
  await expect(tasks.getByRole("listitem").filter({ hasText: "朝礼の資料を届ける" })).toHaveCount(2);
});
