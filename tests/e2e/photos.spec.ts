import path from "node:path";
import Database from "better-sqlite3";
import exifr from "exifr";
import sharp from "sharp";
import { expect, test, type Page } from "@playwright/test";
import { statesWhere } from "../../app/visits/lifecycle";
import { DEMO, signIn } from "./support";

/**
 * Site photos on a phone (issue 12 item 7): a site lead uploads a photo taken
 * with location on, sees its thumbnail, and the stored photo has no location.
 */

/** A confirmed or completed visit of the demo data (photos belong to those), read from the test server's database. */
function confirmedVisitId(offset: number): number {
  const file = path.resolve(`.cache/e2e-${process.env.E2E_PORT ?? 3199}/demado.db`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const states = statesWhere("confirmed");
    const row = db.prepare(`SELECT id FROM visits WHERE status IN (${states.map(() => "?").join(",")}) ORDER BY id LIMIT 1 OFFSET ?`).get(...states, offset) as { id: number } | undefined;
    if (!row) throw new Error("the demo data has no confirmed visit");
    return row.id;
  } finally {
    db.close();
  }
}

/** A phone photo with GPS position and camera details in its EXIF. */
async function photoWithLocation(): Promise<Buffer> {
  const image = await sharp({ create: { width: 1200, height: 900, channels: 3, background: "#5b8fb9" } })
    .withExif({
      IFD0: { Make: "TestPhone", Model: "Camera 12" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "40/1 49/1 20/1", GPSLongitudeRef: "E", GPSLongitude: "140/1 44/1 25/1" },
    })
    .jpeg({ quality: 85 })
    .toBuffer();
  expect(await exifr.gps(image)).toBeTruthy();
  return image;
}

async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** Upload through the page; returns the thumbnail that appears. */
async function uploadAndSeeThumbnail(page: Page, visitId: number, caption: string) {
  await page.goto(`/staff/visits/${visitId}/photos`);
  await expect(page.getByRole("heading", { level: 1, name: "現場写真" })).toBeVisible();
  await expect(page.getByText("顔が判別できる写真は、撮影・登録しないでください。")).toBeVisible();
  await expectNoSidewaysScroll(page);
  const camera = page.getByLabel("カメラで撮影する");
  await expect(camera).toHaveAttribute("capture", "environment");
  await expect(camera).toHaveAttribute("accept", "image/jpeg,image/png,image/webp");
  await page.getByLabel("撮影済みの写真から選ぶ").setInputFiles({ name: "IMG_2040.jpg", mimeType: "image/jpeg", buffer: await photoWithLocation() });
  await page.getByLabel("説明（任意）").fill(caption);
  await page.getByRole("button", { name: "写真を登録する" }).click();
  await expect(page.getByText("写真を登録しました。位置情報などの撮影情報は取り除いて保存しています。")).toBeVisible();
  const thumb = page.getByRole("img", { name: `現場写真: ${caption}` });
  await expect(thumb).toBeVisible();
  // The thumbnail really loaded (the image route answered the signed-in browser).
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
  await expectNoSidewaysScroll(page);
  return thumb;
}

/** The stored photo behind a thumbnail, fetched with the page's session: no GPS, no EXIF, never cached. */
async function expectStoredWithoutLocation(page: Page, caption: string) {
  const href = await page.getByRole("link", { name: `現場写真: ${caption}` }).getAttribute("href");
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("image/jpeg");
  expect(res.headers()["cache-control"]).toBe("private, no-store");
  const body = await res.body();
  expect(await exifr.gps(body)).toBeUndefined();
  expect(await exifr.parse(body, { tiff: true, xmp: true, icc: true, iptc: true, jfif: false })).toBeUndefined();
}

test.describe("site photos on a phone (JavaScript on)", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("a site lead uploads a photo with location on, sees its thumbnail, and the stored photo has no location", async ({ page }) => {
    await signIn(page, DEMO.outreach);
    // A file that is not a photo (whatever its name says) is refused, and the refusal is brought into view.
    await page.goto(`/staff/visits/${confirmedVisitId(0)}/photos`);
    await page.getByLabel("撮影済みの写真から選ぶ").setInputFiles({ name: "memo.jpg", mimeType: "image/jpeg", buffer: Buffer.from("これは写真ではありません") });
    await page.getByRole("button", { name: "写真を登録する" }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "ファイルを写真として読み取れませんでした。" });
    await expect(refusal).toBeInViewport();
    const caption = "E2E 会場入口の案内表示";
    await uploadAndSeeThumbnail(page, confirmedVisitId(0), caption);
    await expectStoredWithoutLocation(page, caption);
    // Signed out, the same address gives nothing.
    const href = await page.getByRole("link", { name: `現場写真: ${caption}` }).getAttribute("href");
    const anonymous = await page.context().browser()!.newContext();
    const res = await anonymous.request.get(new URL(href!, page.url()).href, { maxRedirects: 0 });
    expect(res.status()).toBe(302);
    expect(res.headers()["location"]).toMatch(/^\/login\?redirectTo=/);
    await anonymous.close();
  });
});

test.describe("site photos with JavaScript off", () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });

  test("upload and delete work as plain forms", async ({ page }) => {
    await signIn(page, DEMO.manager);
    const caption = "E2E 撤収後の会場";
    await uploadAndSeeThumbnail(page, confirmedVisitId(1), caption);
    await expectStoredWithoutLocation(page, caption);
    const card = page.getByRole("listitem").filter({ has: page.getByRole("img", { name: `現場写真: ${caption}` }) });
    await card.getByText("削除…").click();
    await card.getByLabel("削除の理由（任意）").fill("写り込みがあったため");
    await card.getByRole("button", { name: "削除する（確定）" }).click();
    await expect(page.getByText("写真を削除しました。")).toBeVisible();
    await expect(page.getByRole("img", { name: `現場写真: ${caption}` })).toHaveCount(0);
  });
});
