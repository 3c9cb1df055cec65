import { expect, test } from "@playwright/test";
import { DEMO, signIn } from "./support";

/** Issue 15 item 23: small things an accessibility audit found on staff and admin screens, at 390 px. */
test.use({ viewport: { width: 390, height: 844 } });

test("the status count chips on the visit list are touch targets of at least 24×24 px", async ({ page }) => {
  await signIn(page, DEMO.manager);
  await page.goto("/staff/visits");
  const chips = page.locator(".count-chip a");
  expect(await chips.count()).toBeGreaterThanOrEqual(3);
  for (const chip of await chips.all()) {
    const box = (await chip.boundingBox())!;
    expect(box.height, await chip.innerText()).toBeGreaterThanOrEqual(24);
    expect(box.width, await chip.innerText()).toBeGreaterThanOrEqual(24);
  }
});

test("opening a user's 操作 menu on /admin does not make the page wider than the screen", async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.goto("/admin");
  await page.locator("summary", { hasText: "操作" }).first().click();
  await expect(page.getByRole("button", { name: "パスワードを再設定" }).first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

for (const [who, path] of [
  ["manager", "/staff/organisations"],
  ["manager", "/staff/visits"],
  ["admin", "/admin"],
  ["admin", "/admin/outbox"],
  ["manager", "/staff/inquiries"],
] as const) {
  test(`${path}: a table that scrolls sideways can be reached and scrolled by keyboard`, async ({ page }) => {
    await signIn(page, DEMO[who]);
    await page.goto(path);
    const wrap = page.locator(".table-wrap").first();
    await expect(wrap).toBeVisible();
    // At 390 px these tables are wider than the screen: the frame must be focusable, a region and named.
    expect(await wrap.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await expect(wrap).toHaveAttribute("tabindex", "0");
    await expect(wrap).toHaveAttribute("role", "region");
    expect((await wrap.getAttribute("aria-label"))?.length ?? 0).toBeGreaterThan(1);
    await wrap.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => wrap.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  });
}
