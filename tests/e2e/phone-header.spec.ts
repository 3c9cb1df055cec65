import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn } from "./support";

/**
 * The staff header on a 390 px phone (issue 15 item 7): it used to take 175–217 px before any content. Now the brand
 * and the account share one row and the menu is one row that scrolls sideways, with every item still reachable.
 */
test.use({ viewport: { width: 390, height: 844 } });

async function headerHeight(page: Page) {
  return (await page.locator("header.site-header").boundingBox())!.height;
}

for (const role of ["manager", "admin", "city"] as const) {
  test(`${role}: the header is at most 100 px tall on a phone and nothing in it overlaps`, async ({ page }) => {
    await signIn(page, DEMO[role]);
    expect(await headerHeight(page)).toBeLessThanOrEqual(100);
    const brand = (await page.locator("header .brand").boundingBox())!;
    const account = (await page.locator("header .site-nav__user").boundingBox())!;
    // The account area sits to the right of the brand, on the same row.
    expect(account.x).toBeGreaterThanOrEqual(brand.x + brand.width);
    expect(account.y).toBeLessThan(brand.y + brand.height);
    // The page never scrolls sideways because of the header.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
}

test("every menu item is reachable by keyboard and comes into view when focused", async ({ page }) => {
  await signIn(page, DEMO.manager);
  const links = page.getByRole("navigation", { name: "業務メニュー" }).locator("ul a");
  const count = await links.count();
  expect(count).toBeGreaterThanOrEqual(8);
  await page.locator("header .brand").focus();
  for (let i = 0; i < count; i++) {
    await page.keyboard.press("Tab");
    const link = links.nth(i);
    await expect(link).toBeFocused();
    const box = (await link.boundingBox())!;
    expect(box.x, await link.innerText()).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, await link.innerText()).toBeLessThanOrEqual(390 + 0.5);
  }
});

test("after navigating to a page at the end of the menu, its item is scrolled into view", async ({ page }) => {
  await signIn(page, DEMO.manager);
  await page.goto("/progress");
  const current = page.getByRole("navigation", { name: "業務メニュー" }).locator("a[aria-current='page']");
  await expect(current).toHaveText("進捗");
  const box = (await current.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390 + 0.5);
  expect(box.x).toBeGreaterThanOrEqual(0);
});
