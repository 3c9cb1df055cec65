import Database from "better-sqlite3";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO, moveVisitTo, servedDbFile, signIn, tokyoDay as ymd } from "./support";

/**
 * The report flow of issue 13 in the browser (item 7): staff enter a
 * session's results through the results form on a phone, the manager finds
 * them in the next morning's daily report, adds remarks and submits it, the
 * city official sees the submitted report and acknowledges it, and /progress
 * counts the session.
 *
 * The demo's agreed roaming sessions are all still ahead, so the test moves
 * one of them to yesterday in the served database (tests/e2e/serve.mjs), at a
 * place of its own so its row in the report is unmistakable — as if its day
 * had just passed — before staff enter its results.
 */
const PLACE = "E2E報告テスト会場";

/**
 * An agreed demo roaming session two weeks or more ahead with nobody on its
 * roster yet (the demo staffs the next ten days; the session-page spec takes
 * the furthest ones), moved to `date` 10:00–13:00 at PLACE.
 */
function agreedRoamingMovedTo(date: string): number {
  const db = new Database(servedDbFile(), { fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  try {
    const v = db
      .prepare(
        `select v.id from visits v
          where v.kind = 'roaming' and v.status = 'agreed' and v.date >= ?
            and not exists (select 1 from roster_entries r where r.visit_id = v.id)
          order by v.date, v.id limit 1`,
      )
      .get(ymd(14)) as { id: number } | undefined;
    if (!v) throw new Error("no agreed demo roaming session left to move");
    const venue = db.prepare("insert into venues (name, kind) values (?, 'supermarket')").run(PLACE).lastInsertRowid;
    db.prepare("update visits set venue_id = ? where id = ?").run(venue, v.id);
    moveVisitTo(db, v.id, date, { from: "10:00", to: "13:00", holdFrom: "09:00", holdTo: "14:00" });
    return v.id;
  } finally {
    db.close();
  }
}

/** On /progress: 実施回数 and 申請件数 計 of the table, and the sessions done towards the roaming target. */
async function progressCounts(page: Page): Promise<{ sessions: number; applications: number; roaming: number }> {
  await page.goto("/progress");
  const cells = page.getByRole("table", { name: "申請件数の内訳（実施済みの回）" }).locator("tbody td");
  const roaming = page.getByRole("article", { name: "巡回（サポート方式）", exact: true }).locator(".stat");
  return { sessions: Number(await cells.nth(0).textContent()), applications: Number(await cells.nth(4).textContent()), roaming: Number(await roaming.textContent()) };
}

const sessionsTable = (page: Page) => page.getByRole("table", { name: "実施した回ごとの件数" });

/** The numbers of a table row from 受付方式 on (columns 6–18: counts, other assistance, inquiries, incidents, photos). */
async function numbersOf(row: Locator): Promise<number[]> {
  const cells = await row.locator("td").allTextContents();
  return cells.slice(-13).map((c) => Number(c.replace(/,/g, "")));
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "サインアウト" }).click();
  await expect(page).toHaveURL(/\/login/);
}

test("results entered on a phone appear in the next morning's daily report; the manager submits it, the city acknowledges it, /progress counts them", async ({ page }) => {
  const day = ymd(-1);
  const visitId = agreedRoamingMovedTo(day);

  // Before: /progress, and the day's report still waiting for the session's results.
  await signIn(page, DEMO.manager);
  const before = await progressCounts(page);
  await page.goto(`/reports/daily/${day}`);
  await expect(page.getByText("実績が未入力の回があります")).toBeVisible();
  await expect(page.getByRole("button", { name: "提出する" })).toBeDisabled();
  const totalsBefore = await numbersOf(sessionsTable(page).locator("tfoot tr"));
  await signOut(page);

  // Staff enter the results on a phone at the end of the day.
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, DEMO.outreach);
  await page.goto(`/staff/visits/${visitId}/results`);
  await expect(page.getByRole("heading", { level: 1, name: "実績の入力" })).toBeVisible();
  await expect(page.getByText(PLACE).first()).toBeVisible();
  // A roaming session is サポート方式 only: no 受付方式 fields.
  await expect(page.getByLabel("受付方式で申請")).toHaveCount(0);
  await page.getByLabel("オンライン申請").fill("11");
  await page.getByLabel("郵送申請").fill("3");
  await page.getByLabel("オンラインのうち市外").fill("2");
  await page.getByRole("group", { name: "その他対応（分類別）" }).getByLabel("マイナポイント申込").fill("4");
  await page.getByRole("group", { name: "現地での問合せ（分類別）" }).getByLabel("カードの受取").fill("2");
  await page.getByLabel("メモ").fill("店頭での声掛けで午前に来場が集中した。");
  await page.getByRole("button", { name: "保存して実施済にする" }).click();
  await expect(page.getByText("実績を保存しました。")).toBeVisible();
  await expect(page.locator(".page-header")).toContainText("実施済");
  await signOut(page);

  // The next morning the manager finds the report ready, built from those results.
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, DEMO.manager);
  await page.goto("/reports");
  const link = page.getByRole("region", { name: "提出が必要な報告書（期限順）" }).locator(`a[href="/reports/daily/${day}"]`);
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/reports/daily/${day}$`));
  await expect(page.getByText("実績が未入力の回があります")).toHaveCount(0);
  const row = sessionsTable(page).getByRole("row", { name: new RegExp(PLACE) });
  // No, 時間, 場所, 種別, 方式 | 受付 0, オンライン 11, 郵送 3, 計 14, 市内 12, 市外 2, 切替 0 | マイナポイント 4, 保険証 0, 公金口座 0 | 問合せ 2, 事故 0, 写真 0
  await expect(row.getByRole("cell")).toHaveText([/^\d+$/, "10:00〜13:00", PLACE, "巡回", "サポート方式", "0", "11", "3", "14", "12", "2", "0", "4", "0", "0", "2", "0", "0"]);
  // The day's totals grew by exactly that session.
  const added = [0, 11, 3, 14, 12, 2, 0, 4, 0, 0, 2, 0, 0];
  expect(await numbersOf(sessionsTable(page).locator("tfoot tr"))).toEqual(totalsBefore.map((n, i) => n + added[i]));

  await page.getByLabel("備考").fill("店頭での声掛けが効果的でした。");
  await page.getByRole("button", { name: "提出する" }).click();
  await expect(page.getByText("第1版を提出しました。市の職員が確認できるようになりました。")).toBeVisible();
  await expect(page.getByRole("link", { name: "第1版" })).toBeVisible();
  await signOut(page);

  // The city official sees it waiting for acknowledgement, opens it and acknowledges it.
  await signIn(page, DEMO.city);
  await page.goto("/reports");
  await page.getByRole("region", { name: "確認待ちの報告書" }).locator(`a[href="/reports/daily/${day}"]`).click();
  await expect(page.getByText("店頭での声掛けが効果的でした。")).toBeVisible();
  await expect(sessionsTable(page).getByRole("row", { name: new RegExp(PLACE) }).getByRole("cell").nth(8)).toHaveText("14");
  await page.getByRole("button", { name: "第1版を確認済みにする" }).click();
  await expect(page.getByText("第1版を確認済みにしました。")).toBeVisible();
  await expect(page.getByRole("row", { name: /第1版 市確認済/ })).toBeVisible();

  // /progress counts the session: one more session (a roaming one) and its 14 applications.
  expect(await progressCounts(page)).toEqual({ sessions: before.sessions + 1, applications: before.applications + 14, roaming: before.roaming + 1 });
});
