/**
 * Site photos (issue 12 item 7) through the photo page's action and the
 * serving route, with real images made by sharp and read back with exifr:
 * metadata stripped (GPS above all), orientation applied, formats sniffed,
 * the cap kept, files and rows written or removed together.
 */
import fs from "node:fs";
import path from "node:path";
import argon2 from "argon2";
import { eq, sql } from "drizzle-orm";
import exifr from "exifr";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyLimitFor } from "../../app/http/body-limit.mjs";
import { login } from "../../app/auth.server";
import { getDb, writeTransaction } from "../../app/db.server";
import { action as photosAction, loader as photosLoader } from "../../app/routes/staff.visits.$id_.photos";
import { loader as photoLoader } from "../../app/routes/staff.visits.$id_.photos_.$photoId";
import { saveSettings, SETTINGS_SCHEMA } from "../../app/settings.server";
import { photosForVisit, storePhoto } from "../../app/visits/photos.server";
import { auditLog, sitePhotos, users, visits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { groupVisit, seedBasics, type Fixture } from "../support/visits";

const PASSWORD = "photo-test-password-0123";
let ctx: ReturnType<typeof useFreshDatabase>;
let f: Fixture;
let staffCookie: string;
let cityCookie: string;
let approvedVisit: number;
let cancelledVisit: number;
let roamingVisit: number;

const db = () => getDb();
const photoRows = () => db().select().from(sitePhotos).all();
const photoCount = () =>
  db()
    .select({ n: sql<number>`count(*)` })
    .from(sitePhotos)
    .get()!.n;
const photosDir = () => path.join(ctx.dir, "photos");
/** Every file under the photo folder, relative to it (temporary files included). */
function storedFiles(): string[] {
  if (!fs.existsSync(photosDir())) return [];
  return (fs.readdirSync(photosDir(), { recursive: true }) as string[]).filter((p) => fs.statSync(path.join(photosDir(), p)).isFile()).sort();
}

async function cookieFor(email: string): Promise<string> {
  const r = await login({ email, password: PASSWORD });
  if (!r.ok) throw new Error(r.message);
  return r.setCookie.split(";")[0];
}

type Answer = { status: number; body: unknown; headers: Headers; location: string | null };

/** Call a loader or action as Remix would and read what the browser would get. */
async function call(fn: (args: never) => unknown, request: Request, params: Record<string, string>): Promise<Answer> {
  let result: unknown;
  try {
    result = await fn({ request, params, context: {} } as never);
  } catch (thrown) {
    result = thrown;
  }
  if (result instanceof Response) {
    const isText = (result.headers.get("Content-Type") ?? "").startsWith("text/");
    const body = isText ? await result.text() : Buffer.from(await result.arrayBuffer());
    return { status: result.status, body, headers: result.headers, location: result.headers.get("Location") };
  }
  if (result && typeof result === "object" && (result as { type?: string }).type === "DataWithResponseInit") {
    const d = result as { data: unknown; init: ResponseInit | null };
    return { status: d.init?.status ?? 200, body: d.data, headers: new Headers(d.init?.headers), location: null };
  }
  if (result instanceof Error) throw result;
  return { status: 200, body: result, headers: new Headers(), location: null };
}

/** Post the upload form (multipart, as the browser sends it). */
function upload(visitId: number, file: Blob | null, opts: { caption?: string; cookie?: string; name?: string } = {}) {
  const form = new FormData();
  form.append("intent", "upload");
  form.append("caption", opts.caption ?? "");
  // The camera input left empty, the library input with the file (the page has both).
  form.append("photo", new File([], ""));
  if (file) form.append("photo", file, opts.name ?? "photo.jpg");
  const request = new Request(`http://localhost/staff/visits/${visitId}/photos`, { method: "POST", body: form, headers: { Cookie: opts.cookie ?? staffCookie } });
  return call(photosAction as never, request, { id: String(visitId) });
}

function deleteRequest(visitId: number, photoId: number, reason = "") {
  const request = new Request(`http://localhost/staff/visits/${visitId}/photos`, {
    method: "POST",
    body: new URLSearchParams({ intent: "delete", photoId: String(photoId), reason }),
    headers: { Cookie: staffCookie },
  });
  return call(photosAction as never, request, { id: String(visitId) });
}

function fetchPhoto(visitId: number, photoId: number, opts: { cookie?: string | null; size?: string } = {}) {
  const cookie = opts.cookie === undefined ? staffCookie : opts.cookie;
  const url = `http://localhost/staff/visits/${visitId}/photos/${photoId}${opts.size ? `?size=${opts.size}` : ""}`;
  return call(photoLoader as never, new Request(url, { headers: cookie ? { Cookie: cookie } : {} }), { id: String(visitId), photoId: String(photoId) });
}

/** The id of the photo an upload stored (from the redirect it answered with). */
function savedId(a: Answer): number {
  expect(a.status, JSON.stringify(a.body)).toBe(302);
  const m = /[?&]saved=(\d+)/.exec(a.location ?? "");
  expect(m, a.location ?? "").not.toBeNull();
  return Number(m![1]);
}

/** The APPn and COM markers of a JPEG, by walking its segments up to the image data. */
function jpegMarkers(bytes: Buffer): string[] {
  expect(bytes.readUInt16BE(0)).toBe(0xffd8);
  const found: string[] = [];
  let i = 2;
  while (i + 4 <= bytes.length) {
    const marker = bytes.readUInt16BE(i);
    if (marker === 0xffda) break; // start of scan: only pixels follow
    const length = bytes.readUInt16BE(i + 2);
    if (marker >= 0xffe0 && marker <= 0xffef) found.push(`APP${marker - 0xffe0}`);
    if (marker === 0xfffe) found.push("COM");
    i += 2 + length;
  }
  return found;
}

const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>撮影 太郎</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>';

/** A phone-like JPEG: camera make and model, GPS position, owner, a display-P3 ICC profile and XMP. */
function jpegWithGps() {
  return sharp({ create: { width: 96, height: 64, channels: 3, background: "#2f8f5b" } })
    .withExif({
      IFD0: { Make: "TestPhone", Model: "Camera 12", Artist: "Owner Name" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "35/1 41/1 2/1", GPSLongitudeRef: "E", GPSLongitude: "139/1 45/1 3/1" },
    })
    .withIccProfile("p3")
    .withXmp(XMP)
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** 64×32: left half red, right half blue, stored sideways with EXIF Orientation 6 (shown turned 90° clockwise). */
async function sidewaysJpeg() {
  const red = await sharp({ create: { width: 32, height: 32, channels: 3, background: "#ff0000" } })
    .png()
    .toBuffer();
  const blue = await sharp({ create: { width: 32, height: 32, channels: 3, background: "#0000ff" } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 64, height: 32, channels: 3, background: "#000000" } })
    .composite([
      { input: red, left: 0, top: 0 },
      { input: blue, left: 32, top: 0 },
    ])
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

async function pixel(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at], data[at + 1], data[at + 2]];
}

beforeAll(async () => {
  ctx = useFreshDatabase();
  f = seedBasics();
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  db().update(users).set({ passwordHash: hash }).run();
  staffCookie = await cookieFor(f.staff.email);
  cityCookie = await cookieFor(f.city.email);
  approvedVisit = groupVisit(f, { status: "approved" }).visitId;
  cancelledVisit = groupVisit(f, { status: "cancelled" }).visitId;
  roamingVisit = db()
    .insert(visits)
    .values({
      programId: f.programId,
      kind: "roaming",
      mode: "support",
      status: "completed",
      title: "巡回 あおばスーパー本店",
      venueId: f.venueId,
      date: "2026-01-14",
      startsAt: "2026-01-14T10:00",
      endsAt: "2026-01-14T12:00",
    })
    .returning({ id: visits.id })
    .get().id;
});
afterAll(() => ctx.cleanup());

describe("an uploaded photo comes back without metadata", () => {
  it("drops EXIF, GPS, XMP and the ICC profile of a phone JPEG (read back with exifr)", async () => {
    const input = await jpegWithGps();
    // The test image really carries what must go.
    expect(await exifr.gps(input)).toEqual({ latitude: expect.closeTo(35.6839, 3), longitude: expect.closeTo(139.7508, 3) });
    const before = await exifr.parse(input, { tiff: true, xmp: true, icc: true, iptc: true, jfif: false });
    expect(before).toMatchObject({ Make: "TestPhone", Model: "Camera 12", GPSLatitudeRef: "N", creator: "撮影 太郎", ProfileDescription: "sP3C" });
    expect(jpegMarkers(input)).toEqual(expect.arrayContaining(["APP1", "APP2"]));

    const id = savedId(await upload(approvedVisit, new File([input], "IMG_0001.jpg", { type: "image/jpeg" }), { caption: "会場入口の案内表示" }));
    for (const size of [undefined, "thumb"]) {
      const served = await fetchPhoto(approvedVisit, id, { size });
      expect(served.status).toBe(200);
      const out = served.body as Buffer;
      expect(await exifr.gps(out)).toBeUndefined();
      expect(await exifr.parse(out, { tiff: true, xmp: true, icc: true, iptc: true, jfif: false })).toBeUndefined();
      const meta = await sharp(out).metadata();
      expect({ format: meta.format, exif: meta.exif, icc: meta.icc, xmp: meta.xmp, iptc: meta.iptc, space: meta.space }).toEqual({
        format: "jpeg",
        exif: undefined,
        icc: undefined,
        xmp: undefined,
        iptc: undefined,
        space: "srgb",
      });
      // No application segment at all: no APP1 (EXIF/XMP), APP2 (ICC), APP13 (IPTC), nor a comment.
      expect(jpegMarkers(out)).toEqual([]);
    }
    expect(photosForVisit(approvedVisit)).toEqual([expect.objectContaining({ id, caption: "会場入口の案内表示", width: 96, height: 64, uploadedBy: f.staff.name })]);
  });

  it("turns a sideways phone photo (EXIF Orientation 6) upright: width and height swap, the left edge ends on top", async () => {
    const input = await sidewaysJpeg();
    expect(await exifr.orientation(input)).toBe(6);
    const id = savedId(await upload(approvedVisit, new File([input], "sideways.jpg")));
    const out = (await fetchPhoto(approvedVisit, id)).body as Buffer;
    const meta = await sharp(out).metadata();
    expect({ width: meta.width, height: meta.height, orientation: meta.orientation }).toEqual({ width: 32, height: 64, orientation: undefined });
    const [r1, , b1] = await pixel(out, 16, 8);
    const [r2, , b2] = await pixel(out, 16, 56);
    expect(r1 > 200 && b1 < 60, `top should be red, got ${r1},${b1}`).toBe(true);
    expect(b2 > 200 && r2 < 60, `bottom should be blue, got ${r2},${b2}`).toBe(true);
    expect(db().select().from(sitePhotos).where(eq(sitePhotos.id, id)).get()).toMatchObject({ width: 32, height: 64, mimeType: "image/jpeg" });
  });

  it("keeps big photos to 2048 px on the long edge and makes a 320 px thumbnail", async () => {
    const input = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: "#8899aa" } })
      .jpeg()
      .toBuffer();
    const id = savedId(await upload(approvedVisit, new File([input], "big.jpg")));
    const full = await sharp((await fetchPhoto(approvedVisit, id)).body as Buffer).metadata();
    const thumb = await sharp((await fetchPhoto(approvedVisit, id, { size: "thumb" })).body as Buffer).metadata();
    expect([full.width, full.height, thumb.width, thumb.height]).toEqual([2048, 1365, 320, 213]);
  });
});

describe("what is accepted", () => {
  it("accepts PNG (transparency on white) and WebP, stored as JPEG", async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const webp = await sharp({ create: { width: 50, height: 20, channels: 3, background: "#123456" } })
      .webp()
      .toBuffer();
    // Names and claimed types say nothing: the PNG is sent as "photo.webp", the WebP as "image/jpeg".
    const pngId = savedId(await upload(approvedVisit, new File([png], "photo.webp", { type: "image/webp" })));
    const webpId = savedId(await upload(roamingVisit, new File([webp], "photo.jpg", { type: "image/jpeg" })));
    const pngOut = (await fetchPhoto(approvedVisit, pngId)).body as Buffer;
    expect((await sharp(pngOut).metadata()).format).toBe("jpeg");
    expect(await pixel(pngOut, 20, 15)).toEqual([255, 255, 255]);
    expect(await sharp((await fetchPhoto(roamingVisit, webpId)).body as Buffer).metadata()).toMatchObject({ format: "jpeg", width: 50, height: 20 });
  });

  it("refuses a text file named .jpg, a GIF and an SVG, storing nothing", async () => {
    const rows = photoCount();
    const files = storedFiles();
    const text = await upload(approvedVisit, new File(["これは写真ではありません"], "photo.jpg", { type: "image/jpeg" }));
    expect(text.status).toBe(400);
    expect(text.body).toMatchObject({ ok: false, message: "ファイルを写真として読み取れませんでした。JPEG・PNG・WebP形式の写真を選んでください（ファイル名を変えても形式は変わりません）。" });
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#ff0" } })
      .gif()
      .toBuffer();
    expect((await upload(approvedVisit, new File([gif], "anim.jpg"))).body).toMatchObject({ message: "GIF形式の画像には対応していません。JPEG・PNG・WebP形式の写真を選んでください。" });
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>';
    expect((await upload(approvedVisit, new File([svg], "x.png", { type: "image/png" }))).body).toMatchObject({
      message: "SVG形式の画像には対応していません。JPEG・PNG・WebP形式の写真を選んでください。",
    });
    expect(photoCount()).toBe(rows);
    expect(storedFiles()).toEqual(files);
  });

  it("refuses a photo over the cap in settings with the cap in the message, storing no row and no file", async () => {
    writeTransaction((tx) => saveSettings(tx, { photoMaxMegabytes: 1 }, null));
    try {
      // Noise does not compress: a real, valid JPEG of about 2 MB.
      const noise = Buffer.alloc(1000 * 1000 * 3);
      for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
      const big = await sharp(noise, { raw: { width: 1000, height: 1000, channels: 3 } })
        .jpeg({ quality: 100 })
        .toBuffer();
      expect(big.byteLength).toBeGreaterThan(1024 * 1024);
      const rows = photoCount();
      const files = storedFiles();
      const r = await upload(approvedVisit, new File([big], "big.jpg"));
      expect(r.status).toBe(413);
      expect(r.body).toMatchObject({ ok: false, message: "写真のファイルが大きすぎます（上限1MB）。カメラの画質の設定を下げるか、写真を縮小してからもう一度登録してください。" });
      expect(photoCount()).toBe(rows);
      expect(storedFiles()).toEqual(files);
    } finally {
      writeTransaction((tx) => saveSettings(tx, { photoMaxMegabytes: 10 }, null));
    }
  });

  it("asks for a photo when none was chosen, and refuses two at once", async () => {
    expect((await upload(approvedVisit, null)).body).toMatchObject({ message: "写真を選んでください。「カメラで撮影する」か「撮影済みの写真から選ぶ」で1枚選んでから登録してください。" });
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append("intent", "upload");
    form.append("photo", new File([jpeg], "a.jpg"));
    form.append("photo", new File([jpeg], "b.jpg"));
    const rows = photoCount();
    const r = await call(photosAction as never, new Request(`http://localhost/staff/visits/${approvedVisit}/photos`, { method: "POST", body: form, headers: { Cookie: staffCookie } }), {
      id: String(approvedVisit),
    });
    expect(r.body).toMatchObject({ message: "写真は1枚ずつ登録してください。どちらか一方の欄だけで写真を選んでください。" });
    expect(photoCount()).toBe(rows);
  });

  it("refuses photos for a cancelled visit and a caption with an individual number", async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
      .jpeg()
      .toBuffer();
    const rows = photoCount();
    expect((await upload(cancelledVisit, new File([jpeg], "a.jpg"))).body).toMatchObject({
      message: "この訪問は「取消」のため、写真を登録できません。写真を登録できるのは、確定した訪問と実施済の訪問です。",
    });
    const guarded = await upload(approvedVisit, new File([jpeg], "a.jpg"), { caption: "受付票 1234 5678 9018" });
    expect(guarded.body).toMatchObject({ ok: false, field: "caption" });
    expect((guarded.body as { message: string }).message).toContain("個人番号");
    expect(photoCount()).toBe(rows);
  });

  it("removes the written files when the row cannot be stored", async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
      .jpeg()
      .toBuffer();
    const rows = photoCount();
    const files = storedFiles();
    // An uploader who does not exist breaks the foreign key after the files are written.
    await expect(storePhoto({ visitId: approvedVisit, bytes: jpeg }, { id: 999_999 })).rejects.toThrow(/FOREIGN KEY/);
    expect(photoCount()).toBe(rows);
    expect(storedFiles()).toEqual(files);
  });

  it("lets the demo data store a photo at a past moment", async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
      .jpeg()
      .toBuffer();
    const r = await storePhoto({ visitId: roamingVisit, bytes: jpeg, caption: "撤収後の会場", at: "2026-01-14T03:30:00.000Z" }, f.staff);
    expect(r.ok).toBe(true);
    const row = db()
      .select()
      .from(sitePhotos)
      .where(eq(sitePhotos.id, (r as { id: number }).id))
      .get();
    expect(row).toMatchObject({ uploadedAt: "2026-01-14T03:30:00.000Z", caption: "撤収後の会場", uploadedById: f.staff.id });
  });
});

describe("deleting a photo", () => {
  it("removes the row and both files, and writes an audit entry with the reason", async () => {
    const jpeg = await sharp({ create: { width: 30, height: 20, channels: 3, background: "#abc" } })
      .jpeg()
      .toBuffer();
    const id = savedId(await upload(approvedVisit, new File([jpeg], "x.jpg"), { caption: "削除する写真" }));
    const row = db().select().from(sitePhotos).where(eq(sitePhotos.id, id)).get()!;
    expect(storedFiles()).toEqual(expect.arrayContaining([row.storedPath, row.thumbPath]));
    const r = await deleteRequest(approvedVisit, id, "顔が写っていたため");
    expect(r.status).toBe(302);
    expect(r.location).toBe(`/staff/visits/${approvedVisit}/photos?deleted=1`);
    expect(db().select().from(sitePhotos).where(eq(sitePhotos.id, id)).get()).toBeUndefined();
    expect(storedFiles()).not.toContain(row.storedPath);
    expect(storedFiles()).not.toContain(row.thumbPath);
    const entry = db().select().from(auditLog).where(eq(auditLog.action, "photo.delete")).all().at(-1);
    expect(entry).toMatchObject({ userId: f.staff.id, entity: "site_photo", entityId: String(id) });
    expect(entry?.detail).toMatchObject({ visitId: approvedVisit, caption: "削除する写真", reason: "顔が写っていたため" });
    // Served no more.
    expect((await fetchPhoto(approvedVisit, id)).status).toBe(404);
  });

  it("refuses a photo of another visit, leaving it in place", async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
      .jpeg()
      .toBuffer();
    const id = savedId(await upload(approvedVisit, new File([jpeg], "x.jpg")));
    const r = await deleteRequest(roamingVisit, id);
    expect(r.status).toBe(404);
    expect(photoRows().some((p) => p.id === id)).toBe(true);
  });
});

describe("serving photos", () => {
  let id: number;
  beforeAll(async () => {
    const jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: "#456" } })
      .jpeg()
      .toBuffer();
    id = savedId(await upload(approvedVisit, new File([jpeg], "s.jpg")));
  });

  it("streams the image to staff as a private, never-stored JPEG", async () => {
    const r = await fetchPhoto(approvedVisit, id);
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toBe("image/jpeg");
    expect(r.headers.get("Cache-Control")).toBe("private, no-store");
    expect(r.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(Number(r.headers.get("Content-Length"))).toBe((r.body as Buffer).byteLength);
  });

  it("sends signed-out callers to sign in, and shows city officials the image the daily report carries, never cached", async () => {
    const anon = await fetchPhoto(approvedVisit, id, { cookie: null });
    expect(anon.status).toBe(302);
    expect(anon.location).toBe(`/login?redirectTo=${encodeURIComponent(`/staff/visits/${approvedVisit}/photos/${id}`)}`);
    const city = await fetchPhoto(approvedVisit, id, { cookie: cityCookie });
    expect(city.status).toBe(200);
    expect(city.headers.get("cache-control")).toBe("private, no-store");
  });

  it("answers 404 for unknown ids, a photo under another visit and unknown sizes", async () => {
    expect((await fetchPhoto(approvedVisit, 999_999)).status).toBe(404);
    expect((await fetchPhoto(roamingVisit, id)).status).toBe(404);
    expect((await fetchPhoto(approvedVisit, id, { size: "original" })).status).toBe(404);
  });

  it("keeps the files beside the database, not under public/", () => {
    const row = db().select().from(sitePhotos).where(eq(sitePhotos.id, id)).get()!;
    expect(fs.existsSync(path.join(ctx.dir, "photos", row.storedPath))).toBe(true);
    expect(row.storedPath).toMatch(new RegExp(`^${approvedVisit}/[0-9a-f]{32}\\.jpg$`));
  });
});

describe("the photo page", () => {
  it("lists the photos and says when uploads are closed", async () => {
    const open = await call(photosLoader as never, new Request(`http://localhost/staff/visits/${approvedVisit}/photos`, { headers: { Cookie: staffCookie } }), { id: String(approvedVisit) });
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ refusal: null, maxMegabytes: 10, visit: { id: approvedVisit, status: "approved" } });
    expect((open.body as { photos: unknown[] }).photos.length).toBe(photosForVisit(approvedVisit).length);
    const closed = await call(photosLoader as never, new Request(`http://localhost/staff/visits/${cancelledVisit}/photos`, { headers: { Cookie: staffCookie } }), { id: String(cancelledVisit) });
    expect(closed.body).toMatchObject({ refusal: "この訪問は「取消」のため、写真を登録できません。写真を登録できるのは、確定した訪問と実施済の訪問です。", photos: [] });
  });

  it("allows a request body up to the largest cap the settings allow (plus the form), and no more than that", () => {
    const MiB = 1024 * 1024;
    const field = SETTINGS_SCHEMA.shape.photoMaxMegabytes;
    let largest = 0;
    for (let mb = 1; mb <= 1000; mb++) if (field.safeParse(mb).success) largest = mb;
    expect(largest).toBe(50);
    for (const p of [`/staff/visits/${approvedVisit}/photos`, `/staff/visits/${approvedVisit}/photos.data`]) {
      expect(bodyLimitFor(p)).toBeGreaterThan(largest * MiB);
      expect(bodyLimitFor(p)).toBeLessThanOrEqual((largest + 1) * MiB);
    }
    // Only the upload route gets the large limit.
    expect(bodyLimitFor(`/staff/visits/${approvedVisit}/photos/3`)).toBe(64 * 1024);
    expect(bodyLimitFor("/photos")).toBe(64 * 1024);
  });
});
