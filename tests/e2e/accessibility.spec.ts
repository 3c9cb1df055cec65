import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn } from "./support";

/** WCAG 2.2 A/AA rules that axe can check automatically (JIS X 8341-3 follows WCAG 2.1; 2.2 adds target size and more). */
async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
  expect(summary).toEqual([]);
}

const publicPages = ["/", "/request", "/schedule", "/login"];

for (const path of publicPages) for (const width of [390, 1280]) {
  test(`public page ${path} passes automated WCAG 2.2 AA checks at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 844 });
    await page.goto(path);
    await expectNoViolations(page);
  });
}

const staffPages: [string, string[]][] = [
  [DEMO.outreach, ["/staff", "/staff/organisations", "/staff/pipeline", "/staff/visits", "/calendar", "/staff/venues", "/staff/inquiries", "/staff/pr", "/reports", "/reports/completion", "/progress", "/account"]],
  [DEMO.city, ["/city", "/city/schedule", "/reports", "/progress", "/account"]],
  [DEMO.admin, ["/admin", "/admin/settings", "/admin/outbox", "/admin/audit", "/admin/audit?action=auth.login"]],
];

for (const [email, paths] of staffPages) for (const width of [1280, 390]) {
  test(`pages of ${email} pass automated WCAG 2.2 AA checks at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    // Up to a dozen pages, each with a full axe run: more than one test's usual time on a busy machine.
    test.setTimeout(15_000 * paths.length);
    await signIn(page, email);
    for (const path of paths) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      await test.step(path, () => expectNoViolations(page));
    }
  });
}

/** Main states beyond a page's first view: errors shown, a menu open, an empty result. */
for (const width of [390, 1280]) {
  test(`page states (errors, an open menu, an empty list) pass WCAG 2.2 AA checks at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto("/request");
    await page.getByRole("button", { name: "申し込む" }).click();
    await expect(page.locator("[aria-invalid=true]").first()).toBeVisible();
    await test.step("/request with errors", () => expectNoViolations(page));
    await signIn(page, DEMO.admin);
    await page.goto("/admin");
    await page.locator("summary", { hasText: "操作" }).first().click();
    await test.step("/admin with a user's menu open", () => expectNoViolations(page));
    await page.goto("/staff/organisations?q=" + encodeURIComponent("該当しない名前のテスト"));
    await expect(page.locator(".empty").first()).toBeVisible();
    await test.step("/staff/organisations with no match", () => expectNoViolations(page));
  });
}
