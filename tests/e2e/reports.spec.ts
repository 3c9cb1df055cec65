import path from "node:path";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn } from "./support";

/**
 * The report flow of issue 13 in the browser: results recorded for a session
 * appear in that day's daily report, the manager submits it with remarks,
 * the city official sees and acknowledges it, and /progress counts them.
 * The results are written straight into the test server's database (the
 * results form comes with issue 12), as a completed session with its row.
 */
const file = () => path.resolve(`.cache/e2e-${process.env.E2E_PORT ?? 3199}/demado.db`);
const PLACE = "E2E報告テスト会場";

/** A past day of the demo program without any session, so its daily report is ours alone. */
function insertSessionWithResults(): string {
  const db = new Database(file(), { fileMustExist: true });
  try {
    const program = db.prepare("select id, starts_on as startsOn from programs where active = 1").get() as { id: number; startsOn: string };
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date());
    let day = today;
    for (let i = 0; i < 90; i++) {
      const d = new Date(`${day}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() - 1);
      day = d.toISOString().slice(0, 10);
      const taken = db.prepare("select count(*) as n from visits where date = ?").get(day) as { n: number };
      if (taken.n === 0 && day >= program.startsOn) break;
    }
    const venue = db.prepare("insert into venues (name, kind) values (?, 'shopping_centre')").run(PLACE).lastInsertRowid;
    const visit = db
      .prepare("insert into visits (program_id, kind, mode, status, title, venue_id, date, starts_at, ends_at) values (?, 'base', 'support', 'completed', ?, ?, ?, ?, ?)")
      .run(program.id, `${PLACE} 拠点窓口`, venue, day, `${day}T10:00`, `${day}T15:00`).lastInsertRowid;
    // 7 online (1 from outside the city) + 2 by mail = 9 applications; 3 マイナポイント.
    db.prepare(
      `insert into visit_results (visit_id, support_online_count, support_mail_count, support_online_out_of_city_count, in_city_count, out_of_city_count, other_assistance)
       values (?, 7, 2, 1, 8, 1, '{"mynapoint":3}')`,
    ).run(visit);
    return day;
  } finally {
    db.close();
  }
}

/** 実施回数 and 申請件数 計 on /progress. */
async function progressCounts(page: Page): Promise<{ sessions: number; applications: number }> {
  await page.goto("/progress");
  const cells = page.getByRole("table", { name: "申請件数の内訳（実施済みの回）" }).locator("tbody td");
  return { sessions: Number(await cells.nth(0).textContent()), applications: Number(await cells.nth(4).textContent()) };
}

test("results appear in the day's report; the manager submits it, the city acknowledges it, /progress counts them", async ({ page }) => {
  await signIn(page, DEMO.manager);
  const before = await progressCounts(page);
  const day = insertSessionWithResults();

  expect(await progressCounts(page)).toEqual({ sessions: before.sessions + 1, applications: before.applications + 9 });

  // The report waits on the manager's list, built from the results.
  await page.goto("/reports");
  const link = page.getByRole("region", { name: "提出が必要な報告書（期限順）" }).locator(`a[href="/reports/daily/${day}"]`);
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/reports/daily/${day}$`));
  const row = page.getByRole("table", { name: "実施した回ごとの件数" }).getByRole("row", { name: new RegExp(PLACE) });
  // No, 時間, 場所, 種別, 方式, 受付 0, オンライン 7, 郵送 2, 計 9, 市内 8, 市外 1
  await expect(row.getByRole("cell")).toHaveText(["1", "10:00〜15:00", PLACE, "拠点施設", "サポート方式", "0", "7", "2", "9", "8", "1", "0", "3", "0", "0", "0", "0", "0"]);

  await page.getByLabel("備考").fill("来場者の多くが家族連れでした。");
  await page.getByRole("button", { name: "提出する" }).click();
  await expect(page.getByText("第1版を提出しました。市の職員が確認できるようになりました。")).toBeVisible();
  await expect(page.getByRole("link", { name: "第1版" })).toBeVisible();

  // The city official sees it waiting for acknowledgement, opens it and acknowledges it.
  await page.getByRole("button", { name: "サインアウト" }).click();
  await signIn(page, DEMO.city);
  await page.goto("/reports");
  await page.getByRole("region", { name: "確認待ちの報告書" }).locator(`a[href="/reports/daily/${day}"]`).click();
  await expect(page.getByText("来場者の多くが家族連れでした。")).toBeVisible();
  await expect(page.getByRole("table", { name: "実施した回ごとの件数" }).getByRole("row", { name: new RegExp(PLACE) })).toContainText("9");
  await page.getByRole("button", { name: "第1版を確認済みにする" }).click();
  await expect(page.getByText("第1版を確認済みにしました。")).toBeVisible();
  await expect(page.getByRole("row", { name: /第1版 市確認済/ })).toBeVisible();

  expect(await progressCounts(page)).toEqual({ sessions: before.sessions + 1, applications: before.applications + 9 });
});
