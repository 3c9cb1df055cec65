import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { DEMO, servedDbFile, signIn } from "./support";

/**
 * A pipeline column with more organisations than it shows (issue 14): ten
 * cards, the column's full count, "N件中M件を表示", and a link per column that
 * shows more. The organisations are added to the served database and removed
 * afterwards, so the other specs see the demo board.
 */

const PREFIX = "列テスト団体";

test.beforeAll(() => {
  const db = new Database(servedDbFile());
  try {
    const insert = db.prepare("insert into organisations (name, search_key, kind, stage) values (?, ?, 'other', 'revisit')");
    db.transaction(() => {
      for (let i = 1; i <= 25; i++) insert.run(`${PREFIX}${i}`, `列てすと団体${i}`);
    })();
  } finally {
    db.close();
  }
});

test.afterAll(() => {
  const db = new Database(servedDbFile());
  try {
    db.prepare("delete from organisations where name like ?").run(`${PREFIX}%`);
  } finally {
    db.close();
  }
});

test("a long column shows ten cards, how many there are, and more on request", async ({ page }) => {
  const db = new Database(servedDbFile(), { readonly: true });
  const total = (db.prepare("select count(*) as n from organisations where stage = 'revisit' and merged_into_id is null").get() as { n: number }).n;
  db.close();
  expect(total).toBeGreaterThanOrEqual(25);

  await signIn(page, DEMO.outreach);
  await page.goto("/staff/pipeline");
  const column = page.locator('section.board-col[data-stage="revisit"]');
  await expect(column.locator(".board-col__count")).toHaveText(String(total));
  await expect(column.locator("li.board-card")).toHaveCount(10);
  await expect(column.getByText(`${total}件中10件を表示`)).toBeVisible();
  const more = column.getByRole("link", { name: `「再訪候補」をさらに表示（残り${total - 10}件）` });
  await expect(more).toBeVisible();
  // The other columns of the demo board fit: no link of their own.
  await expect(page.getByRole("link", { name: /をさらに表示/ })).toHaveCount(1);

  await more.click();
  await expect(page).toHaveURL(/n_revisit=30/);
  await expect(column.locator("li.board-card")).toHaveCount(Math.min(total, 30));
  if (total <= 30) {
    await expect(column.getByRole("link", { name: /をさらに表示/ })).toHaveCount(0);
    await expect(column.getByText(/件中.*件を表示/)).toHaveCount(0);
  }
});
