import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, moveVisitTo, servedDbFile, signIn, tokyoDay } from "./support";

/**
 * The window's phone number, hours and address (issue 15, item 12) on the
 * public pages and the error pages, editable on /admin/settings; and until when
 * the status page lets an organisation cancel, then whom to call (item 14).
 */

const PHONE = "017-734-0000";
const TEL = "tel:0177340000";

/** The number as a tel: link inside the page's main content, and the hours beside it. */
async function expectWindowContactInMain(page: Page, phone = PHONE, tel = TEL) {
  const link = page.locator("main").getByRole("link", { name: phone }).first();
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute("href", tel);
}

/** A demo request's status token and its visit, by visit status. */
function demoRequests(status: string): { token: string; visitId: number; date: string; startsAt: string; endsAt: string; holdStartsAt: string | null; holdEndsAt: string | null }[] {
  const db = new Database(servedDbFile(), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT r.status_token AS token, v.id AS visitId, v.date AS date, v.starts_at AS startsAt, v.ends_at AS endsAt, v.hold_starts_at AS holdStartsAt, v.hold_ends_at AS holdEndsAt
           FROM visit_requests r JOIN visits v ON v.request_id = r.id WHERE v.status = ? ORDER BY v.id`,
      )
      .all(status) as never;
  } finally {
    db.close();
  }
}

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the home page, the request form, a status page and the 404 page give the window's number as a tel: link, with its hours and address", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "お電話でのお問い合わせ・お申し込み" })).toBeVisible();
    await expectWindowContactInMain(page);
    await expect(page.locator("main").getByText("受付時間：平日 8:30〜17:15・土日祝日と年末年始は休み")).toBeVisible();
    await expect(page.locator("main").getByText("〒030-0801 青森市新町一丁目3-7 出張申請窓口事務所")).toBeVisible();
    // The footer of every page carries it too.
    await expect(page.locator("footer").getByRole("link", { name: PHONE })).toHaveAttribute("href", TEL);

    await page.goto("/request");
    await expectWindowContactInMain(page);

    const [requested] = demoRequests("requested");
    await page.goto(`/request/status/${requested.token}`);
    await expect(page.getByRole("heading", { level: 1, name: "お申し込みの状況" })).toBeVisible();
    await expectWindowContactInMain(page);

    expect((await page.goto("/no-such-page"))?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "ページが見つかりません" })).toBeVisible();
    await expect(page.locator("main")).toContainText(`解決しない場合は、出張申請窓口（電話 ${PHONE}、平日 8:30〜17:15・土日祝日と年末年始は休み）までお問い合わせください。`);
    await expectWindowContactInMain(page);
  });
});

test("the admin changes the window's number on /admin/settings; a number without its area code is refused; the public pages show the new one", async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.goto("/admin/settings");
  await expect(page.getByLabel("窓口の電話番号")).toHaveValue(PHONE);
  await page.getByLabel("窓口の電話番号").fill("555-0101");
  await page.getByRole("button", { name: "保存する" }).click();
  await expect(page.getByText("電話番号は 017-734-0000 の形で、市外局番から入力してください。")).toBeVisible();

  await page.getByLabel("窓口の電話番号").fill("０１７－５５５－０１０１");
  await page.getByLabel("窓口の受付時間").fill("平日 9:00〜16:00");
  await page.getByRole("button", { name: "保存する" }).click();
  await expect(page.getByText("設定を保存しました。")).toBeVisible();
  try {
    await page.context().clearCookies();
    await page.goto("/");
    await expectWindowContactInMain(page, "017-555-0101", "tel:0175550101");
    await expect(page.locator("main").getByText("受付時間：平日 9:00〜16:00")).toBeVisible();
    await expect(page.getByText(PHONE)).toHaveCount(0);
  } finally {
    await signIn(page, DEMO.admin);
    await page.goto("/admin/settings");
    await page.getByLabel("窓口の電話番号").fill(PHONE);
    await page.getByLabel("窓口の受付時間").fill("平日 8:30〜17:15・土日祝日と年末年始は休み");
    await page.getByRole("button", { name: "保存する" }).click();
    await expect(page.getByText("設定を保存しました。")).toBeVisible();
  }
});

test.describe("the status page's cancel", () => {
  // Two open requests with a date: confirmed ones first, then ones waiting on the city (specs that run
  // earlier may have completed a confirmed demo visit through its results).
  const approved = () => [...demoRequests("approved"), ...demoRequests("awaiting_city")].slice(0, 2);
  let originals: ReturnType<typeof demoRequests> = [];
  test.beforeAll(() => {
    originals = approved();
    expect(originals).toHaveLength(2);
  });
  test.afterAll(() => {
    // Put the demo visits back where they were, for the specs that run after this one.
    const db = new Database(servedDbFile());
    try {
      for (const v of originals) {
        db.prepare("update visits set date = ?, starts_at = ?, ends_at = ?, hold_starts_at = ?, hold_ends_at = ? where id = ?").run(v.date, v.startsAt, v.endsAt, v.holdStartsAt, v.holdEndsAt, v.visitId);
      }
    } finally {
      db.close();
    }
  });

  /** Move the demo visit to `offset` days from today (the default cut-off is 3 days before). */
  function moveTo(visitId: number, offset: number) {
    const db = new Database(servedDbFile());
    try {
      moveVisitTo(db, visitId, tokyoDay(offset), { from: "10:00", to: "12:00", holdFrom: "09:00", holdTo: "13:00" });
    } finally {
      db.close();
    }
  }

  /** 2026-12-01 → 2026年12月1日 (the page adds the weekday). */
  const jp = (ymd: string) => `${Number(ymd.slice(0, 4))}年${Number(ymd.slice(5, 7))}月${Number(ymd.slice(8, 10))}日`;

  test("says until when it can be done online, and after that day says to call the window, with the number", async ({ page }) => {
    const [open, closed] = originals;
    moveTo(open.visitId, 10);
    moveTo(closed.visitId, 2);

    await page.goto(`/request/status/${open.token}`);
    const rule = page.getByTestId("cancel-rule");
    await expect(rule).toContainText(`${jp(tokyoDay(7))}`);
    await expect(rule).toContainText("までは、この画面から取り消せます。それ以降に取り消す場合は、窓口（電話 017-734-0000）までお電話ください。");
    await expect(page.getByText("取り消す", { exact: true })).toBeVisible();

    await page.goto(`/request/status/${closed.token}`);
    await expect(page.getByRole("heading", { name: "お申し込みの取消" })).toBeVisible();
    await expect(rule).toContainText(`この画面から取り消せる期限（${jp(tokyoDay(-1))}`);
    await expect(rule).toContainText("を過ぎました。取り消す場合や日程を変えたい場合は、窓口（電話 017-734-0000、受付時間 平日 8:30〜17:15・土日祝日と年末年始は休み）までお電話ください。");
    await expect(rule.getByRole("link", { name: PHONE })).toHaveAttribute("href", TEL);
    // No cancel form any more: only the way to do it by phone.
    await expect(page.getByText("取り消す", { exact: true })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "申し込みを取り消す", includeHidden: true })).toHaveCount(0);
  });
});
