import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, servedDbFile, signIn } from "./support";

/**
 * Issue 15 items 5, 9, 10 and 11 in Chromium: the audit log's filters, paging
 * and CSV; the city's decision page without the contact until asked; the
 * city's month schedule agreed in part. Screenshots at 1280 and 390 px go to
 * .cache/screenshots/ (kept between runs, unlike test-results/; for the review).
 */

function served<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(servedDbFile(), { fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`)).toEqual([]);
}

async function shoot(page: Page, name: string) {
  fs.mkdirSync(".cache/screenshots", { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `.cache/screenshots/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("the admin filters the audit log in Japanese, pages through it, reaches its table by keyboard and downloads the CSV", async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.goto("/admin/audit");
  await expect(page.getByRole("heading", { level: 1, name: "操作記録" })).toBeVisible();
  // Labels, not codes.
  await expect(page.getByRole("table")).not.toContainText("auth.login");
  await page.getByLabel("操作", { exact: true }).selectOption({ label: "サインイン" });
  // The demo administrator (the one 管理者 in the list).
  const admin = await page.locator("#af-user option", { hasText: "（管理者）" }).first().getAttribute("value");
  await page.getByLabel("利用者").selectOption(admin!);
  await page.getByLabel("開始日").fill("2020-01-01");
  await page.getByRole("button", { name: "絞り込む" }).click();
  await expect(page).toHaveURL(/action=auth\.login/);
  await expect(page).toHaveURL(/from=2020-01-01/);
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows.nth(1)).toContainText("サインイン");
  await expect(page.getByText(/条件に合う記録 \d+件/)).toBeVisible();
  // The form shows the filters it applied (after the GET).
  await expect(page.getByLabel("操作", { exact: true })).toHaveValue("auth.login");

  // The scrolling frame is a named region reachable by Tab.
  const frame = page.getByRole("region", { name: /操作記録の一覧/ });
  await expect(frame).toHaveAttribute("tabindex", "0");
  await frame.focus();
  await expect(frame).toBeFocused();
  await expectNoViolations(page);

  // Paging keeps the filters.
  await page.goto("/admin/audit");
  const next = page.getByRole("link", { name: "次へ →" });
  await expect(next).toBeVisible();
  await next.click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByText(/2 \/ \d+ ページ/).first()).toBeVisible();

  // The CSV of the filtered log, in Japanese, with a BOM.
  await page.goto("/admin/audit?action=auth.login");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "この条件でCSVに出力" }).click();
  const file = await (await download).path();
  const text = fs.readFileSync(file!, "utf8");
  expect(text.startsWith("\uFEFF日時,利用者,利用者のメールアドレス,操作,対象,対象ID,詳細,接続元,操作コード\r\n")).toBe(true);
  expect(text.split("\r\n")[1]).toContain(",サインイン,");
  await page.goto("/admin/audit");
  await shoot(page, "admin-audit");
});

test("the city's decision page shows the wishes beside the proposal, and the contact only on 「連絡先を表示」, which is logged", async ({ page }) => {
  const visit = served(
    (db) =>
      db
        .prepare(
          `select v.id, r.contact_name as contactName, r.phone, r.preferred_date_1 as d1 from visits v join visit_requests r on r.id = v.request_id
            where v.kind = 'group' and v.status = 'awaiting_city' order by v.id limit 1`,
        )
        .get() as { id: number; contactName: string; phone: string; d1: string },
  );
  await signIn(page, DEMO.city);
  const response = await page.goto(`/city/visits/${visit.id}`);
  const html = await response!.text();
  for (const secret of [visit.contactName, visit.phone]) expect(html).not.toContain(secret);
  await expect(page.getByRole("heading", { name: "判断する内容（受託者の提案）" })).toBeVisible();
  const wishes = page.getByRole("region", { name: "団体の希望（申込時）" });
  const [y, m, d] = visit.d1.split("-").map(Number);
  await expect(wishes).toContainText(`第1希望: ${y}年${m}月${d}日`);
  await expect(wishes).toContainText("駐車スペース");
  expect(await page.content()).not.toContain(visit.phone);
  await expectNoViolations(page);
  await shoot(page, "city-decision");

  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: "連絡先を表示" }).click();
  const contact = page.getByRole("region", { name: "団体の連絡先" });
  await expect(contact).toContainText(visit.contactName);
  await expect(contact.getByRole("link", { name: visit.phone })).toHaveAttribute("href", `tel:${visit.phone.replace(/[^\d+]/g, "")}`);
  // Focus goes to what appeared.
  await expect(page.locator(".contact-reveal [tabindex='-1']")).toBeFocused();
  await expectNoViolations(page);
  const logged = served((db) => db.prepare("select count(*) as n from audit_log where action = 'visit.contact_view' and entity_id = ?").get(String(visit.id)) as { n: number });
  expect(logged.n).toBe(1);

  // The admin reads it in the audit log, in Japanese.
  await page.context().clearCookies();
  await signIn(page, DEMO.admin);
  await page.goto(`/admin/audit?action=visit.contact_view&entityId=${visit.id}`);
  await expect(page.getByRole("table").getByRole("row").nth(1)).toContainText("団体の連絡先を表示");
  await expect(page.getByRole("table").getByRole("row").nth(1)).toContainText(`訪問・予定 #${visit.id}`);
});

test("the city agrees part of a month and returns the rest with a comment; without one it says so in an alert", async ({ page }) => {
  const month = served(
    (db) =>
      (
        db
          .prepare(
            `select substr(date, 1, 7) as month from visits where kind in ('roaming', 'base') and status = 'planned'
              group by month having count(*) >= 2 order by month limit 1`,
          )
          .get() as { month: string }
      ).month,
  );
  await signIn(page, DEMO.city);
  await page.goto(`/city/schedule?month=${month}`);
  await page.waitForLoadState("networkidle");
  const planned = page.getByRole("region", { name: "合意を待っている予定の一覧" });
  const boxes = planned.getByRole("checkbox");
  const count = await boxes.count();
  expect(count).toBeGreaterThanOrEqual(2);
  await expect(page.getByRole("heading", { name: /合意済みの予定 \d+件/ })).toBeVisible();
  await expectNoViolations(page);
  await shoot(page, "city-schedule");

  const returnedId = await boxes.first().getAttribute("value");
  // Untick the first, send without a comment: an alert, the field's message, focus on the field.
  await boxes.first().uncheck();
  await page.getByRole("button", { name: "チェックした予定に合意する（外した予定は差し戻す）" }).click();
  await expect(page.getByRole("alert")).toContainText("コメントが必要です");
  await expect(page.getByText("チェックを外した予定（1件）を差し戻すには")).toBeVisible();
  await expect(page.getByLabel(/コメント/)).toBeFocused();
  await expect(boxes.first()).not.toBeChecked();
  await expectNoViolations(page);

  await page.getByLabel(/コメント/).fill("この日は会場のイベントと重なります。別の日にしてください。");
  await page.getByRole("button", { name: "チェックした予定に合意する（外した予定は差し戻す）" }).click();
  const status = page.getByRole("status").filter({ hasText: "差し戻しました" });
  await expect(status).toContainText(`${count - 1}件に合意し、1件をコメントを付けて差し戻しました。`);
  await expect(page.locator("[role=status][tabindex='-1']").first()).toBeFocused();
  // The returned session waits again, with the city's comment beside it.
  await expect(page.getByRole("region", { name: "合意を待っている予定の一覧" }).getByRole("row")).toHaveCount(2);
  await expect(page.getByRole("region", { name: "合意を待っている予定の一覧" })).toContainText("この日は会場のイベントと重なります。");
  await expect(page.getByText(/差し戻し 1件/)).toBeVisible();

  // Staff see the city's comment on the returned session.
  await page.context().clearCookies();
  await signIn(page, DEMO.outreach);
  await page.goto(`/staff/visits/${returnedId}`);
  const notice = page.getByRole("status").filter({ hasText: "市がこの予定を差し戻しました" });
  await expect(notice).toContainText("この日は会場のイベントと重なります。別の日にしてください。");
});
