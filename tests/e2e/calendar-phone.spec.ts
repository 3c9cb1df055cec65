import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./support";

/** Issue 15 item 22: the shared calendar on a phone, and holiday cells whose names start with what they show. */

test("on a 390 px phone the calendar opens as a list, not a squeezed month grid", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, DEMO.manager);
  await page.goto("/calendar");
  await expect(page.getByRole("tab", { name: "予定リスト" })).toHaveAttribute("aria-selected", "true");
  expect(await page.locator("[role=gridcell][data-date], [role=cell][data-date]").count()).toBe(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test("on a desktop the calendar still opens on the month grid", async ({ page }) => {
  await signIn(page, DEMO.manager);
  await page.goto("/calendar");
  await expect(page.getByRole("tab", { name: "月" })).toHaveAttribute("aria-selected", "true");
});

test("a holiday's day link is named by what it shows first (文化の日 3), then the full date, and axe finds no mismatch", async ({ page }) => {
  await signIn(page, DEMO.manager);
  await page.goto("/calendar?view=dayGridMonth&date=2026-11-01");
  const link = page.locator('[data-date="2026-11-03"] [role=link][aria-label]').first();
  await expect(link).toHaveAttribute("aria-label", "文化の日 3（2026年11月3日）");
  await expect(link).toHaveText("文化の日 3");
  const results = await new AxeBuilder({ page }).withRules(["label-content-name-mismatch"]).analyze();
  expect(results.violations.map((v) => v.nodes.map((n) => n.target.join(" ")))).toEqual([]);
});
