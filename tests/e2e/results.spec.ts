import AxeBuilder from "@axe-core/playwright";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, moveVisitTo, servedDbFile, signIn, tokyoDay as ymd } from "./support";

/**
 * Results entry on a phone at the end of a visit day (issue 12 item 2): a
 * 390 px screen, with and without JavaScript, the session completed and the
 * organisation's stage moved; with JavaScript the draft survives a reload.
 *
 * The demo's approved group visits are all still ahead, so each test moves
 * one of them to today (or yesterday) in the served database
 * (tests/e2e/serve.mjs) — as if its day had come — before staff enter results.
 */
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

type DemoVisit = { id: number; orgId: number; name: string; expected: number };

/** The next approved demo group visit, moved to `date` early in the morning (the demo car is free before 08:30). */
function approvedVisitOn(date: string): DemoVisit {
  const db = new Database(servedDbFile());
  db.pragma("busy_timeout = 5000");
  try {
    const v = db
      .prepare(
        `select v.id, v.organisation_id as orgId, o.name, v.expected_applicants as expected
           from visits v join organisations o on o.id = v.organisation_id
          where v.kind = 'group' and v.status = 'approved' and v.date > ?
          order by v.date, v.id limit 1`,
      )
      .get(ymd(0)) as DemoVisit | undefined;
    if (!v) throw new Error("no approved demo visit left to move");
    moveVisitTo(db, v.id, date, { from: "06:30", to: "07:30", holdFrom: "05:30", holdTo: "08:30" });
    return v;
  } finally {
    db.close();
  }
}

/** Every input and control a finger taps is at least 44 px high. */
async function expectLargeTargets(page: Page) {
  const small = await page
    .locator(".results-form input:not([type=hidden]), .results-form button, .results-form textarea")
    .evaluateAll((els) =>
      els
        .map((e) => {
          const target = e instanceof HTMLInputElement && e.type === "checkbox" ? (e.closest("label") ?? e) : e;
          return { name: (e as HTMLInputElement).name || e.textContent, h: target.getBoundingClientRect().height, w: target.getBoundingClientRect().width };
        })
        .filter((r) => r.h < 44),
    );
  expect(small).toEqual([]);
  // Nothing wider than the phone: no sideways scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

/** Automated WCAG 2.1 AA checks (as tests/e2e/accessibility.spec.ts runs them). */
async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`)).toEqual([]);
}

async function expectCompleted(page: Page, v: DemoVisit, stage: string) {
  await page.goto(`/staff/visits/${v.id}`);
  await expect(page.locator(".page-header")).toContainText("実施済");
  // No bare 実施済にする button: completing happens only by entering results.
  await expect(page.getByRole("button", { name: "実施済にする" })).toHaveCount(0);
  await page.goto(`/staff/organisations/${v.orgId}`);
  const summary = page.locator("section", { has: page.getByRole("heading", { name: "概要" }) });
  await expect(summary.locator(".badge").first()).toHaveText(stage);
}

test.describe("with JavaScript", () => {
  test("outreach staff enter today's results on a phone, see live totals, and the visit is completed and the organisation 実施済", async ({ page }) => {
    const v = approvedVisitOn(ymd(0));
    await signIn(page, DEMO.outreach);
    await page.goto(`/staff/visits/${v.id}/results`);
    await expect(page.getByRole("heading", { level: 1, name: "実績の入力" })).toBeVisible();
    await expect(page.getByText(v.name).first()).toBeVisible();
    await expectLargeTargets(page);
    await expectNoViolations(page);
    // Numeric keypad on phones.
    await expect(page.getByLabel("受付方式で申請")).toHaveAttribute("inputmode", "numeric");

    await page.getByLabel("受付方式で申請").fill(String(v.expected));
    await page.getByLabel("オンライン申請").fill("3");
    await page.getByLabel("郵送申請").fill("1");
    await page.getByLabel("受付方式のうち市外").fill("2");
    const totals = page.locator(".results-totals");
    await expect(totals).toContainText(`申請 合計 ${v.expected + 4}件（市内 ${v.expected + 2}人・市外 2人）`);

    const fallback = page.getByRole("group", { name: "切替（理由別）" });
    await fallback.getByLabel("切り替えた人数").fill("2");
    await expect(totals).toContainText("切替の理由別の合計（0人）が切り替えた人数（2人）と合っていません。");
    await fallback.getByLabel("本人確認書類が不足").fill("2");
    await expect(totals).not.toContainText("合っていません");
    await page.getByRole("group", { name: "その他対応（分類別）" }).getByLabel("マイナポイント申込").fill("4");
    await page.getByRole("group", { name: "現地での問合せ（分類別）" }).getByLabel("カードの受取").fill("3");
    await expect(totals).toContainText("その他対応 4件・現地での問合せ 3件");
    await page.getByLabel("メモ").fill("食堂の一角で実施。昼休み明けに集中した。");
    await page.getByRole("button", { name: "保存して実施済にする" }).click();

    await expect(page.getByText("実績を保存しました。")).toBeVisible();
    await expect(page.getByText("この訪問は実施済になりました。団体の段階は「実施済」です。")).toBeVisible();
    const recorded = page.locator(".results-summary > .results-facts");
    await expect(recorded.locator("tfoot")).toHaveText(`合計${v.expected + 4}件2人`);
    await expect(recorded).toContainText(`市内 ${v.expected + 2}人・市外 2人`);
    await expect(recorded).toContainText("本人確認書類が不足: 2人");
    await expect(page.getByText(/入力: 佐々木 翔太・\d{4}年/)).toBeVisible();
    await expect(page.locator(".page-header")).toContainText("実施済");
    await expectNoViolations(page);

    // A correction with a reason keeps the earlier values in the history.
    await page.getByRole("link", { name: "実績を訂正する" }).click();
    await expect(page.getByLabel("受付方式で申請")).toHaveValue(String(v.expected));
    await page.getByLabel("郵送申請").fill("2");
    await page.getByLabel("訂正の理由（任意）").fill("郵送分を数え直した");
    await page.getByRole("button", { name: "訂正を保存する" }).click();
    await expect(page.getByText("訂正を保存しました。")).toBeVisible();
    await expect(recorded.locator("tfoot")).toHaveText(`合計${v.expected + 5}件2人`);
    const history = page.getByRole("region", { name: "訂正の履歴" });
    await expect(history).toContainText(`第1版（申請 ${v.expected + 4}件）`);
    await history.locator("summary").first().click();
    await expect(history).toContainText("訂正の理由: 郵送分を数え直した");

    await expectCompleted(page, v, "実施済");
  });

  test("a draft survives a reload, can be discarded, and is gone after saving", async ({ page }) => {
    const v = approvedVisitOn(ymd(-1));
    await signIn(page, DEMO.manager);
    await page.goto(`/staff/visits/${v.id}/results`);
    await page.getByLabel("受付方式で申請").fill("5");
    await page.getByLabel("オンライン申請").fill("6");
    await page.getByLabel("再訪の希望あり").check();
    // The connection drops; the page is opened again.
    await page.reload();
    await expect(page.getByText("保存していない入力を復元しました")).toBeVisible();
    await expect(page.getByLabel("受付方式で申請")).toHaveValue("5");
    await expect(page.getByLabel("オンライン申請")).toHaveValue("6");
    await expect(page.getByLabel("再訪の希望あり")).toBeChecked();
    await expect(page.locator(".results-totals")).toContainText("申請 合計 11件");

    await page.getByRole("button", { name: "下書きを破棄する" }).click();
    await expect(page.getByLabel("受付方式で申請")).toHaveValue("");
    await expect(page.getByLabel("再訪の希望あり")).not.toBeChecked();
    await page.reload();
    await expect(page.getByText("保存していない入力を復元しました")).toHaveCount(0);

    // Typed again (as many as expected) and saved: the draft is cleared.
    await page.getByLabel("受付方式で申請").fill(String(v.expected));
    await page.getByRole("button", { name: "保存して実施済にする" }).click();
    await expect(page.getByText("実績を保存しました。")).toBeVisible();
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("demado:results-draft:")))).toEqual([]);
    await expectCompleted(page, v, "実施済");
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("staff enter results with a plain form post: errors in Japanese keep the values, then the visit is completed and the organisation 再訪候補", async ({ page }) => {
    const v = approvedVisitOn(ymd(0));
    await signIn(page, DEMO.outreach);
    await page.goto(`/staff/visits/${v.id}/results`);
    await expectLargeTargets(page);
    await page.getByLabel("受付方式で申請").fill(String(v.expected));
    await page.getByLabel("オンライン申請").fill("1");
    await page.getByLabel("受付方式のうち市外").fill(String(v.expected + 1));
    await page.getByLabel("再訪の希望あり").check();
    await page.getByRole("button", { name: "保存して実施済にする" }).click();

    await expect(page.getByText("入力内容を確認してください。")).toBeVisible();
    await expect(page.getByText(`市外の人数（${v.expected + 1}人）が受付方式の件数（${v.expected}件）を超えています。`)).toBeVisible();
    await expect(page.getByLabel("受付方式のうち市外")).toHaveAttribute("aria-invalid", "true");
    // What was typed is still there.
    await expect(page.getByLabel("受付方式で申請")).toHaveValue(String(v.expected));
    await expect(page.getByLabel("オンライン申請")).toHaveValue("1");
    await expect(page.getByLabel("再訪の希望あり")).toBeChecked();
    // Live totals need JavaScript; without it they are shown on the saved page.
    await expect(page.locator(".results-totals")).toHaveCount(0);

    await page.getByLabel("受付方式のうち市外").fill("1");
    await page.getByRole("button", { name: "保存して実施済にする" }).click();
    await expect(page.getByText("実績を保存しました。")).toBeVisible();
    const recorded = page.locator(".results-summary > .results-facts");
    await expect(recorded.locator("tfoot")).toHaveText(`合計${v.expected + 1}件1人`);
    await expect(recorded).toContainText(`市内 ${v.expected}人・市外 1人`);
    await expect(recorded).toContainText("再訪の希望あり");

    await expectCompleted(page, v, "再訪候補");
  });
});
