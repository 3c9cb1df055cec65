import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO, signIn } from "./support";

const ymd = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
const plusDays = (date: string, n: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/** A Monday at least a week ahead whose Monday–Wednesday are outside the year-end closure. */
function plannedMonday(): string {
  let d = plusDays(ymd(new Date()), 7);
  while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 1) d = plusDays(d, 1);
  while (["12-28", "12-29", "12-30", "12-31", "01-01", "01-02", "01-03"].some((md) => [d, plusDays(d, 1), plusDays(d, 2)].some((x) => x.endsWith(md)))) d = plusDays(d, 7);
  return d;
}

const suffix = Date.now().toString(36).slice(-5);
const VENUE_A = `E2E巡回会場A${suffix}`;
const VENUE_B = `E2E巡回会場B${suffix}`;

async function createVenue(page: Page, name: string) {
  await page.goto("/staff/venues/new");
  await page.getByLabel("会場名").fill(name);
  await page.getByLabel("会場の種類").selectOption("supermarket");
  await page.getByLabel("所在地").fill("あおば市中央1丁目2-3");
  await page.getByRole("button", { name: "登録する" }).click();
  await expect(page.getByText("会場を登録しました。")).toBeVisible();
}

async function planSession(page: Page, venue: string, date: string) {
  await page.goto("/calendar/new");
  await page.getByLabel("【巡】巡回（ラッピングカー）").check();
  await page.getByLabel("会場").selectOption({ label: venue });
  await page.getByLabel("日付").fill(date);
  await page.getByLabel("開始時刻").fill("18:00");
  await page.getByLabel("終了時刻").fill("19:00");
  await page.getByRole("button", { name: "予定を作成" }).click();
  await expect(page.getByText("1件の予定を作成しました")).toBeVisible();
}

/** The horizontal centre of a day's column in the week view. */
async function columnX(page: Page, date: string) {
  const box = await page.locator(`[data-date="${date}"]`).first().boundingBox();
  return box!.x + box!.width / 2;
}

async function eventColumn(page: Page, event: Locator, dates: string[]) {
  const box = (await event.boundingBox())!;
  const cx = box.x + box.width / 2;
  for (const d of dates) {
    const col = (await page.locator(`[data-date="${d}"]`).first().boundingBox())!;
    if (cx >= col.x && cx <= col.x + col.width) return d;
  }
  return null;
}

async function drag(page: Page, event: Locator, toDate: string) {
  await event.scrollIntoViewIfNeeded();
  const box = (await event.boundingBox())!;
  const fromX = box.x + box.width / 2;
  // Grab a little below the top edge (the very edge lands a snap early).
  const fromY = box.y + Math.min(20, box.height / 2);
  const toX = await columnX(page, toDate);
  await page.mouse.move(fromX, fromY);
  await page.mouse.down();
  await page.mouse.move(fromX + 10, fromY + 2, { steps: 3 });
  await page.mouse.move(toX, fromY, { steps: 12 });
  await page.mouse.up();
}

test("outreach plans roaming stops, moves one by drag, a clash is refused, and residents see it only once the city agrees", async ({ page }) => {
  const monday = plannedMonday();
  const tuesday = plusDays(monday, 1);
  const wednesday = plusDays(monday, 2);
  const week = [monday, tuesday, wednesday, plusDays(monday, 3), plusDays(monday, 4)];

  await signIn(page, DEMO.outreach);
  await createVenue(page, VENUE_A);
  await createVenue(page, VENUE_B);
  await planSession(page, VENUE_A, monday);
  await planSession(page, VENUE_B, tuesday);

  // Tall enough that the whole day fits: no auto-scroll while dragging.
  await page.setViewportSize({ width: 1280, height: 1500 });
  await page.goto(`/calendar?view=timeGridWeek&date=${monday}&kinds=group,roaming,base&cancelled=0`);
  const a = page.locator(".ev", { hasText: VENUE_A });
  const b = page.locator(".ev", { hasText: VENUE_B });
  await expect(a).toBeVisible();
  await expect(a).toContainText("【巡】");
  await expect(a).toContainText("［計画］");
  expect(await eventColumn(page, a, week)).toBe(monday);

  // Move A from Monday to Wednesday, same time: accepted.
  await drag(page, a, wednesday);
  const live = page.locator(".calendar-live");
  await expect(live).toContainText("保存しました");
  await expect.poll(() => eventColumn(page, a, week)).toBe(wednesday);

  // Drop B onto Wednesday 18:00, where the car is now booked: refused, and B goes back.
  await drag(page, b, wednesday);
  await expect(live).toContainText("移動できませんでした");
  await expect(live).toContainText("ラッピングカー");
  await expect.poll(() => eventColumn(page, b, week)).toBe(tuesday);
  // The server kept it too.
  await page.reload();
  await expect(b).toBeVisible();
  expect(await eventColumn(page, b, week)).toBe(tuesday);
  expect(await eventColumn(page, a, week)).toBe(wednesday);

  // Residents: a planned session is not public yet; sessions the city agreed are.
  await page.getByRole("button", { name: "サインアウト" }).click();
  await page.goto("/schedule");
  await expect(page.locator(".schedule-item").first()).toBeVisible();
  await expect(page.getByText(VENUE_A)).toHaveCount(0);

  // The city agrees the month's schedule.
  await signIn(page, DEMO.city);
  await page.goto(`/city/schedule?month=${wednesday.slice(0, 7)}`);
  // Every planned session starts ticked: agreeing the whole month is one press.
  await page.getByRole("button", { name: "チェックした予定に合意する（外した予定は差し戻す）" }).click();
  await expect(page.getByText(/件に合意しました/)).toBeVisible();
  await page.getByRole("button", { name: "サインアウト" }).click();

  // A resident on a phone finds it, with the map link and what to bring.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/schedule?month=${wednesday.slice(0, 7)}`);
  const item = page.locator(".schedule-item", { hasText: VENUE_A });
  await expect(item).toBeVisible();
  await expect(item).toContainText("18:00〜19:00");
  await expect(item.getByRole("link", { name: /地図を開く/ })).toHaveAttribute("href", /google\.com\/maps\/search\/\?api=1&query=/);
  await item.getByText(/持ち物/).click();
  await expect(item).toContainText("申請書");
  const ics = await page.request.get("/schedule.ics");
  expect(await ics.text()).toContain(VENUE_A);
});

test("the city sees the calendar read-only, and the kind filter is remembered", async ({ page }) => {
  await signIn(page, DEMO.city);
  await page.goto("/calendar");
  await expect(page.getByText("閲覧のみです")).toBeVisible();
  await expect(page.locator(".ev").first()).toBeVisible();
  // Hide group visits: no 【団】 events remain, and the choice survives a reload.
  await page.getByRole("checkbox", { name: /団体訪問/ }).uncheck();
  await expect(page).toHaveURL(/kinds=roaming%2Cbase|kinds=roaming,base/);
  await page.goto("/calendar");
  await expect(page.getByRole("checkbox", { name: /団体訪問/ })).not.toBeChecked();
  await expect(page.locator(".ev").first()).toBeVisible();
  await expect(page.locator(".ev", { hasText: "【団】" })).toHaveCount(0);
  await page.getByRole("checkbox", { name: /団体訪問/ }).check();
  // The personal feed URL is shown, and regenerating replaces it.
  const url = await page.getByLabel("あなた専用のカレンダーURL（.ics）").inputValue();
  expect(url).toMatch(/\/feeds\/user\/[A-Za-z0-9_-]{43}\.ics$/);
  const feed = await page.request.get(new URL(url).pathname);
  expect(feed.status()).toBe(200);
  expect(await feed.text()).toContain("BEGIN:VCALENDAR");
  await page.getByText("URLを再発行（漏れたおそれがあるとき）").click();
  await page.getByRole("button", { name: "URLを再発行" }).click();
  await expect(page.getByText("カレンダーURLを再発行しました")).toBeVisible();
  await expect(page.getByLabel("あなた専用のカレンダーURL（.ics）")).not.toHaveValue(url);
  expect((await page.request.get(new URL(url).pathname)).status()).toBe(404);
});
