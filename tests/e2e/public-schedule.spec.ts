import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { moveVisitTo, servedDbFile, tokyoDay } from "./support";

/**
 * The residents' schedule (/schedule, issue 15 item 16) is plain HTML: it is
 * filtered by month and district with an ordinary GET form, writes 土曜・日曜・
 * 祝日 beside the dates, and prints on A4 without the site header or the form.
 */
test.use({ javaScriptEnabled: false });

type Placed = { holiday: { id: number; district: string }; saturday: { id: number; district: string } };
type Times = { id: number; date: string; starts_at: string; ends_at: string; hold_starts_at: string | null; hold_ends_at: string | null };
const TIMES = "SELECT id, date, starts_at, ends_at, hold_starts_at, hold_ends_at FROM visits WHERE id = ?";
/** Where the two sessions were, to put them back: later spec files pick the last agreed sessions. */
let original: Times[] = [];

/**
 * Two agreed public sessions in different districts, moved to November 2031:
 * Monday the 3rd (文化の日) and Saturday the 1st. Far enough ahead that these
 * stay upcoming, and a month no other demo session uses.
 */
function placeSessions(): Placed {
  const db = new Database(servedDbFile(), { fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT v.id, d.id AS districtId, d.name AS district FROM visits v
         JOIN venues ven ON ven.id = v.venue_id JOIN districts d ON d.id = ven.district_id
         WHERE v.kind IN ('roaming', 'base') AND v.status = 'agreed' AND ven.organisation_id IS NULL AND v.date >= ?
         ORDER BY v.date, v.id`,
      )
      .all(tokyoDay(0)) as { id: number; districtId: number; district: string }[];
    const first = rows[0];
    const second = rows.find((r) => r.districtId !== first.districtId)!;
    expect(second, "the demo data has agreed public sessions in two districts").toBeTruthy();
    original = [first.id, second.id].map((id) => db.prepare(TIMES).get(id) as Times);
    moveVisitTo(db, first.id, "2031-11-03", { from: "10:00", to: "12:00", holdFrom: "09:00", holdTo: "13:00" });
    moveVisitTo(db, second.id, "2031-11-01", { from: "13:00", to: "15:00", holdFrom: "12:00", holdTo: "16:00" });
    return { holiday: { id: first.id, district: first.district }, saturday: { id: second.id, district: second.district } };
  } finally {
    db.close();
  }
}

let placed: Placed;
test.beforeAll(() => {
  placed = placeSessions();
});
test.afterAll(() => {
  const db = new Database(servedDbFile(), { fileMustExist: true });
  try {
    const put = db.prepare("UPDATE visits SET date = ?, starts_at = ?, ends_at = ?, hold_starts_at = ?, hold_ends_at = ? WHERE id = ?");
    for (const t of original) put.run(t.date, t.starts_at, t.ends_at, t.hold_starts_at, t.hold_ends_at, t.id);
  } finally {
    db.close();
  }
});

test("residents filter by month and district with a plain form, and see 土曜 and 祝日 beside the dates", async ({ page }) => {
  await page.goto("/schedule");
  expect(await page.locator("script").count()).toBe(0);

  await page.getByLabel("月").selectOption({ label: "2031年11月" });
  await page.getByRole("button", { name: "絞り込む" }).click();
  await expect(page).toHaveURL(/month=2031-11/);
  await expect(page.getByRole("heading", { level: 2, name: /^2031年11月・すべての地区の予定/ })).toBeVisible();
  await expect(page.getByText("2件の予定があります。")).toBeVisible();
  // The date headings say it in words, beside the date.
  const dates = page.locator(".schedule-item__date");
  await expect(dates).toHaveText(["2031年11月1日(土)土曜", "2031年11月3日(月)祝日 文化の日"]);
  // The choice stays selected on the answer page.
  await expect(page.getByLabel("月")).toHaveValue("2031-11");

  // Now one district only: the Saturday's session is in another district, so only the holiday's is left.
  await page.getByLabel("地区").selectOption({ label: placed.holiday.district });
  await page.getByRole("button", { name: "絞り込む" }).click();
  await expect(page).toHaveURL(/month=2031-11&district=\d+/);
  await expect(page.getByLabel("月")).toHaveValue("2031-11");
  await expect(page.getByLabel("地区").locator("option:checked")).toHaveText(placed.holiday.district);
  await expect(page.getByRole("heading", { level: 2, name: new RegExp(`^2031年11月・${placed.holiday.district}の予定`) })).toBeVisible();
  await expect(dates).toHaveText(["2031年11月3日(月)祝日 文化の日"]);

  // The Saturday's district in that month has only the Saturday.
  await page.getByLabel("地区").selectOption({ label: placed.saturday.district });
  await page.getByRole("button", { name: "絞り込む" }).click();
  await expect(dates).toHaveText(["2031年11月1日(土)土曜"]);
});

test("a month with nothing in it says so in plain Japanese, keeping the choice", async ({ page }) => {
  await page.goto("/schedule?month=2031-12");
  await expect(page.getByLabel("月")).toHaveValue("2031-12");
  await expect(page.getByText("2031年12月・すべての地区の予定は、今のところありません。")).toBeVisible();
  await expect(page.getByText("月や地区を変えてお探しいただくか、後日もう一度ご確認ください。")).toBeVisible();
});

test("printed, the page drops the header and the form and keeps the month and district as its heading", async ({ page }) => {
  await page.goto(`/schedule?month=2031-11`);
  await expect(page.locator(".site-header")).toBeVisible();
  await expect(page.getByRole("form", { name: "日程の絞り込み" })).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.locator(".site-footer")).toBeHidden();
  await expect(page.getByRole("form", { name: "日程の絞り込み" })).toBeHidden();
  await expect(page.getByRole("link", { name: "カレンダー形式（.ics）で開く" })).toBeHidden();
  await expect(page.getByRole("heading", { level: 2, name: /^2031年11月・すべての地区の予定/ })).toBeVisible();
  await expect(page.getByText("祝日 文化の日")).toBeVisible();
  // A session's card is never split across two sheets.
  expect(await page.locator(".schedule-item article").first().evaluate((el) => getComputedStyle(el).breakInside)).toBe("avoid");
  // A4 portrait: Chromium's PDF of the page is 595×842 pt.
  const pdf = await page.pdf({ preferCSSPageSize: true });
  const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString("latin1"));
  expect(box && [Math.round(Number(box[1])), Math.round(Number(box[2]))]).toEqual([595, 842]);
});
