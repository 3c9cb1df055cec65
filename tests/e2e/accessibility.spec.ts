import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn } from "./support";

/** WCAG 2.1 A/AA rules that axe can check automatically (JIS X 8341-3 follows WCAG 2.1). */
async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
  expect(summary).toEqual([]);
}

const publicPages = ["/", "/request", "/schedule", "/login"];

for (const path of publicPages) {
  test(`public page ${path} passes automated WCAG 2.1 AA checks at phone width`, async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(path);
    await expectNoViolations(page);
  });
}

const staffPages: [string, string[]][] = [
  [DEMO.outreach, ["/staff", "/staff/organisations", "/staff/pipeline", "/staff/visits", "/calendar", "/staff/venues", "/staff/inquiries", "/staff/pr", "/reports", "/reports/completion", "/progress", "/account"]],
  [DEMO.city, ["/city", "/city/schedule", "/reports", "/progress", "/account"]],
  [DEMO.admin, ["/admin", "/admin/settings", "/admin/outbox", "/admin/audit", "/admin/audit?action=auth.login"]],
];

for (const [email, paths] of staffPages) {
  test(`pages of ${email} pass automated WCAG 2.1 AA checks`, async ({ page }) => {
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
