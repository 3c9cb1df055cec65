import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO, signIn } from "./support";

/**
 * Markup that HTML validators reject (issue 15 item 19) and touch targets of at
 * least 24×24 px (WCAG 2.2 2.5.8, item 17), measured in Chromium at 390 px.
 */

test("the request form's single-line address field asks for address-line1, not the multi-line street-address", async ({ page }) => {
  await page.goto("/request");
  await expect(page.locator(`input[name="address"]`)).toHaveAttribute("autocomplete", "address-line1");
  expect(await page.locator('input[autocomplete="street-address"]').count()).toBe(0);
});

test("the pipeline board is a real list of stage columns: list items, no role overriding a section", async ({ page }) => {
  await signIn(page, DEMO.outreach);
  await page.goto("/staff/pipeline");
  expect(await page.locator("section[role]").count()).toBe(0);
  const board = page.getByRole("list", { name: "段階ごとの団体" });
  // The stage columns are the board's own items (the cards are items of the inner lists).
  const columns = board.locator(":scope > li");
  expect(await columns.count()).toBeGreaterThanOrEqual(5);
  await expect(columns.first().getByRole("region").getByRole("heading", { level: 2 })).toBeVisible();
});

/** Every visible checkbox and radio in `scope` is at least 24×24 px; returns how many were measured. */
async function expectTargetsAtLeast24(page: Page, scope: Locator): Promise<number> {
  const controls = scope.locator('input[type="checkbox"], input[type="radio"]');
  let measured = 0;
  for (const control of await controls.all()) {
    if (!(await control.isVisible())) continue;
    const box = (await control.boundingBox())!;
    const name = (await control.getAttribute("name")) ?? "?";
    expect(Math.round(box.width), `${page.url()} ${name} width`).toBeGreaterThanOrEqual(24);
    expect(Math.round(box.height), `${page.url()} ${name} height`).toBeGreaterThanOrEqual(24);
    measured++;
  }
  return measured;
}

test("at 390 px the consent checkbox on /request is at least 24×24 px", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/request");
  const consent = page.getByRole("checkbox", { name: "個人情報の取扱いに同意する" });
  const box = (await consent.boundingBox())!;
  expect(Math.round(box.width)).toBeGreaterThanOrEqual(24);
  expect(Math.round(box.height)).toBeGreaterThanOrEqual(24);
  expect(await expectTargetsAtLeast24(page, page.locator("main"))).toBeGreaterThanOrEqual(1);
});

test("at 390 px the staff screens' checkboxes and radios are at least 24×24 px", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, DEMO.outreach);
  let measured = 0;
  for (const path of ["/staff/organisations", "/staff/visits", "/staff/inquiries", "/staff/venues"]) {
    await page.goto(path);
    await test.step(path, async () => {
      measured += await expectTargetsAtLeast24(page, page.locator("main"));
    });
  }
  // An organisation's page: the activity kind radios.
  await page.goto("/staff/organisations");
  const hrefs = await page.locator("main a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  const orgPage = hrefs.find((h) => /^\/staff\/organisations\/\d+$/.test(h));
  expect(orgPage, "a demo organisation's page").toBeTruthy();
  await page.goto(orgPage!);
  measured += await expectTargetsAtLeast24(page, page.locator("main"));
  // The filter checkboxes, the visits' 自分の担当のみ, the inquiry channel radios, the activity kinds…
  expect(measured).toBeGreaterThanOrEqual(8);
});
