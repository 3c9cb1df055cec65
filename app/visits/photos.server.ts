/**
 * Site photos (現場写真) for the reports: upload, re-encode, store, serve, delete.
 *
 * - An upload is accepted by what its bytes are (sharp reads the header), never
 *   by its name or the MIME type the browser claims: JPEG, PNG and WebP only.
 * - Every photo is decoded and encoded again with sharp: turned upright by its
 *   EXIF orientation first, then written as a fresh JPEG. sharp writes no
 *   metadata unless asked (withMetadata / keepExif / keepIccProfile / keepXmp
 *   are never called here), so EXIF, GPS, XMP, IPTC and ICC profiles are gone;
 *   colours are converted to sRGB so nothing is lost with the profile.
 * - Files live beside the database (<data dir>/photos/<visitId>/), never under
 *   public/; they are served only through the staff route with no-store.
 * - A photo belongs to a session that was confirmed or took place (not to a
 *   cancelled, declined or still undecided one). Deleting one is allowed
 *   whatever the session's state, and leaves an audit entry.
 * See docs/decisions/009-site-photos.md.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createReadableStreamFromReadable, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { and, asc, eq } from "drizzle-orm";
import sharp from "sharp";
import type { VisitStatus } from "../../db/enums";
import { sitePhotos, users, visits } from "../../db/schema";
import { audit } from "../audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { dataDir } from "../env.server";
import { VISIT_STATUS_LABELS } from "../lib/labels";
import { getSettings } from "../settings.server";
import { NOT_FOUND, refusable, venueLabel, type Refusal } from "./common.server";
import { isConfirmed } from "./lifecycle";
import { PHOTO_THUMB_EDGE, photoCaptionSchema, photoUrl, type PhotoView } from "./photos";

export const PHOTO_RULES = {
  /** The stored image's longer side at most (px); smaller photos keep their size. */
  longEdge: 2048,
  thumbEdge: PHOTO_THUMB_EDGE,
  quality: 82,
  thumbQuality: 75,
  /** Decoding bigger images is refused before it starts (a 100 MP camera still fits). */
  maxInputPixels: 100_000_000,
  /** Text fields of the upload form (caption, intent …) are short. */
  maxFieldBytes: 8 * 1024,
  maxFields: 20,
} as const;

/** The formats accepted, as sharp names them. */
const ACCEPTED_FORMATS = new Set(["jpeg", "png", "webp"]);
/** Names for refusals of formats people do meet (the iPhone's HEIC above all). */
const FORMAT_NAMES: Record<string, string> = { heif: "HEIC/HEIF", gif: "GIF", tiff: "TIFF", svg: "SVG", avif: "AVIF", jp2: "JPEG 2000", jxl: "JPEG XL", pdf: "PDF", raw: "RAW" };

export const PHOTO_MESSAGES = {
  noFile: "写真を選んでください。「カメラで撮影する」か「撮影済みの写真から選ぶ」で1枚選んでから登録してください。",
  twoFiles: "写真は1枚ずつ登録してください。どちらか一方の欄だけで写真を選んでください。",
  unreadable: "ファイルを写真として読み取れませんでした。JPEG・PNG・WebP形式の写真を選んでください（ファイル名を変えても形式は変わりません）。",
  tooManyPixels: "写真の画素数が大きすぎます。カメラの画質（解像度）の設定を下げて撮影するか、縮小してから登録してください。",
  badForm: "送信内容を読み取れませんでした。画面を再読み込みして、もう一度お試しください。",
  notAllowed: (status: string) => `この訪問は「${status}」のため、写真を登録できません。写真を登録できるのは、確定した訪問と実施済の訪問です。`,
  photoNotFound: "写真が見つかりません。すでに削除されている可能性があります。画面を再読み込みしてください。",
} as const;

export function tooLargeMessage(maxMegabytes: number): string {
  return `写真のファイルが大きすぎます（上限${maxMegabytes}MB）。カメラの画質の設定を下げるか、写真を縮小してからもう一度登録してください。`;
}

function unsupportedMessage(format: string): string {
  const name = FORMAT_NAMES[format] ?? format.toUpperCase();
  const iphone = format === "heif" ? "iPhoneでは「設定」→「カメラ」→「フォーマット」を「互換性優先」にすると、JPEGで保存されます。" : "";
  return `${name}形式の画像には対応していません。JPEG・PNG・WebP形式の写真を選んでください。${iphone}`;
}

/** The largest photo file accepted now (settings.photoMaxMegabytes). */
export function photoMaxBytes(db: Db | Tx = getDb()): { bytes: number; megabytes: number } {
  const megabytes = getSettings(db).photoMaxMegabytes;
  return { bytes: megabytes * 1024 * 1024, megabytes };
}

// ---------------------------------------------------------------------------
// Files

/** The folder for photos, beside the database (never under public/). */
export function photosRoot(): string {
  return path.join(dataDir(), "photos");
}

/** The absolute path of a stored file; refuses anything that would leave the photo folder. */
function absolutePath(relative: string): string {
  const root = photosRoot();
  const full = path.resolve(root, relative);
  if (!full.startsWith(root + path.sep)) throw new Error(`photo path outside the photo folder: ${relative}`);
  return full;
}

/** Write a file durably under a temporary name, then move it into place (a crash never leaves half a photo under its real name). */
function writeFileAtomic(target: string, bytes: Uint8Array) {
  const temp = `${target}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  const fd = fs.openSync(temp, "wx", 0o600);
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

function removeFiles(relatives: (string | null | undefined)[]) {
  for (const rel of relatives) {
    if (!rel) continue;
    try {
      fs.rmSync(absolutePath(rel), { force: true });
    } catch (error) {
      // The row is already gone; a file left behind is logged, not shown to the user.
      console.error(`photo file not removed: ${rel}`, error);
    }
  }
}

// ---------------------------------------------------------------------------
// Re-encoding

export type ProcessedPhoto = {
  image: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
  mimeType: "image/jpeg";
};

/**
 * Check what the bytes are and encode them again without any metadata:
 * upright by EXIF orientation, at most PHOTO_RULES.longEdge, plus a thumbnail.
 */
export async function processPhoto(bytes: Uint8Array, maxBytes: number, maxMegabytes = Math.round(maxBytes / (1024 * 1024))): Promise<({ ok: true } & ProcessedPhoto) | Refusal> {
  if (bytes.byteLength === 0) return { ok: false, message: PHOTO_MESSAGES.noFile, field: "photo" };
  if (bytes.byteLength > maxBytes) return { ok: false, message: tooLargeMessage(maxMegabytes), field: "photo" };
  let format: string | undefined;
  let pixels = 0;
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    format = meta.format;
    pixels = (meta.width ?? 0) * (meta.height ?? 0);
  } catch {
    return { ok: false, message: PHOTO_MESSAGES.unreadable, field: "photo" };
  }
  if (!format || !ACCEPTED_FORMATS.has(format)) return { ok: false, message: format ? unsupportedMessage(format) : PHOTO_MESSAGES.unreadable, field: "photo" };
  if (pixels > PHOTO_RULES.maxInputPixels) return { ok: false, message: PHOTO_MESSAGES.tooManyPixels, field: "photo" };
  try {
    // rotate() with no angle applies the EXIF orientation (and drops the tag); no withMetadata()/keep*() call anywhere,
    // so the output carries no EXIF, GPS, XMP, IPTC or ICC profile (sharp converts to sRGB instead).
    const upright = sharp(bytes, { limitInputPixels: PHOTO_RULES.maxInputPixels, failOn: "error" }).rotate().flatten({ background: "#ffffff" });
    const encode = (edge: number, quality: number) =>
      upright.clone().resize({ width: edge, height: edge, fit: "inside", withoutEnlargement: true }).jpeg({ quality, mozjpeg: true }).toBuffer({ resolveWithObject: true });
    const [full, thumb] = await Promise.all([encode(PHOTO_RULES.longEdge, PHOTO_RULES.quality), encode(PHOTO_RULES.thumbEdge, PHOTO_RULES.thumbQuality)]);
    return { ok: true, image: full.data, thumb: thumb.data, width: full.info.width, height: full.info.height, mimeType: "image/jpeg" };
  } catch {
    // Truncated or corrupt pixel data: the header looked right, the picture is not there.
    return { ok: false, message: PHOTO_MESSAGES.unreadable, field: "photo" };
  }
}

// ---------------------------------------------------------------------------
// Storing

export type PhotoActor = { id: number };

/** Why photos cannot be added to this visit now (null: they can). */
export function photoRefusal(status: VisitStatus): string | null {
  return isConfirmed(status) ? null : PHOTO_MESSAGES.notAllowed(VISIT_STATUS_LABELS[status]);
}

function checkVisit(tx: Tx | Db, visitId: number): Refusal | null {
  const visit = tx.select({ status: visits.status }).from(visits).where(eq(visits.id, visitId)).get();
  if (!visit) return { ok: false, message: NOT_FOUND };
  const refusal = photoRefusal(visit.status);
  return refusal ? { ok: false, message: refusal } : null;
}

function parseCaption(caption: string | null | undefined): { ok: true; value: string | null } | Refusal {
  const parsed = photoCaptionSchema().safeParse(caption ?? "");
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? "説明を確認してください。", field: "caption" };
  return { ok: true, value: parsed.data || null };
}

/**
 * Store an already processed photo inside the caller's transaction (the demo
 * data calls this inside its own). The files are written first (temporary
 * name, then moved into place) and removed again when the row cannot be written.
 */
export function savePhoto(tx: Tx, input: { visitId: number; photo: ProcessedPhoto; caption?: string | null; at?: string }, actor: PhotoActor): { ok: true; id: number; files: string[] } | Refusal {
  const caption = parseCaption(input.caption);
  if (!caption.ok) return caption;
  const refusal = checkVisit(tx, input.visitId);
  if (refusal) return refusal;
  const name = crypto.randomBytes(16).toString("hex");
  const storedPath = `${input.visitId}/${name}.jpg`;
  const thumbPath = `${input.visitId}/${name}-thumb.jpg`;
  fs.mkdirSync(path.dirname(absolutePath(storedPath)), { recursive: true, mode: 0o700 });
  const written: string[] = [];
  try {
    writeFileAtomic(absolutePath(storedPath), input.photo.image);
    written.push(storedPath);
    writeFileAtomic(absolutePath(thumbPath), input.photo.thumb);
    written.push(thumbPath);
    const row = tx
      .insert(sitePhotos)
      .values({
        visitId: input.visitId,
        storedPath,
        thumbPath,
        mimeType: input.photo.mimeType,
        width: input.photo.width,
        height: input.photo.height,
        bytes: input.photo.image.byteLength,
        caption: caption.value,
        uploadedById: actor.id,
        ...(input.at ? { uploadedAt: input.at } : {}),
      })
      .returning({ id: sitePhotos.id })
      .get();
    audit(
      {
        userId: actor.id,
        action: "photo.upload",
        entity: "site_photo",
        entityId: row.id,
        detail: { visitId: input.visitId, width: input.photo.width, height: input.photo.height, bytes: input.photo.image.byteLength },
        at: input.at,
      },
      tx
    );
    return { ok: true, id: row.id, files: written };
  } catch (error) {
    removeFiles(written);
    throw error;
  }
}

/**
 * Check, re-encode and store one photo of a session (the upload form and the
 * demo data). Nothing is stored when anything is refused.
 */
export async function storePhoto(
  input: { visitId: number; bytes: Uint8Array; caption?: string | null; at?: string },
  actor: PhotoActor,
  db: Db = getDb()
): Promise<{ ok: true; id: number } | Refusal> {
  // Cheap checks before the image work; savePhoto checks again inside the transaction.
  const caption = parseCaption(input.caption);
  if (!caption.ok) return caption;
  const early = checkVisit(db, input.visitId);
  if (early) return early;
  const max = photoMaxBytes(db);
  const processed = await processPhoto(input.bytes, max.bytes, max.megabytes);
  if (!processed.ok) return processed;
  let files: string[] = [];
  try {
    const saved = refusable((tx) => {
      const r = savePhoto(tx, { visitId: input.visitId, photo: processed, caption: input.caption, at: input.at }, actor);
      if (r.ok) files = r.files;
      return r;
    }, db);
    if (!saved.ok) return saved;
    return { ok: true, id: saved.id };
  } catch (error) {
    // The transaction failed after the files were written (savePhoto cleans up its own failures).
    removeFiles(files);
    throw error;
  }
}

/** Delete a photo on request: row and audit entry in one transaction, then both files. */
export function deletePhoto(input: { visitId: number; photoId: number; reason?: string | null }, actor: PhotoActor, db: Db = getDb()): { ok: true } | Refusal {
  const reason = photoCaptionSchema().safeParse(input.reason ?? "");
  if (!reason.success) return { ok: false, message: reason.error.issues[0]?.message ?? "理由を確認してください。", field: "reason" };
  let files: (string | null)[] = [];
  const result = refusable((tx) => {
    const photo = tx
      .select()
      .from(sitePhotos)
      .where(and(eq(sitePhotos.id, input.photoId), eq(sitePhotos.visitId, input.visitId)))
      .get();
    if (!photo) return { ok: false, message: PHOTO_MESSAGES.photoNotFound } as Refusal;
    tx.delete(sitePhotos).where(eq(sitePhotos.id, photo.id)).run();
    audit(
      {
        userId: actor.id,
        action: "photo.delete",
        entity: "site_photo",
        entityId: photo.id,
        detail: { visitId: photo.visitId, caption: photo.caption, uploadedById: photo.uploadedById, uploadedAt: photo.uploadedAt, reason: reason.data || null },
      },
      tx
    );
    files = [photo.storedPath, photo.thumbPath];
    return { ok: true as const };
  }, db);
  // Only after the commit: a rolled-back delete keeps its files.
  if (result.ok) removeFiles(files);
  return result;
}

// ---------------------------------------------------------------------------
// Reading and serving

/** The photos of a session, oldest first (the order of the day), with who uploaded them. */
export function photosForVisit(visitId: number, db: Db | Tx = getDb()): PhotoView[] {
  return db
    .select({
      id: sitePhotos.id,
      visitId: sitePhotos.visitId,
      caption: sitePhotos.caption,
      width: sitePhotos.width,
      height: sitePhotos.height,
      bytes: sitePhotos.bytes,
      uploadedAt: sitePhotos.uploadedAt,
      uploadedBy: users.name,
    })
    .from(sitePhotos)
    .leftJoin(users, eq(users.id, sitePhotos.uploadedById))
    .where(eq(sitePhotos.visitId, visitId))
    .orderBy(asc(sitePhotos.uploadedAt), asc(sitePhotos.id))
    .all()
    .map((p) => ({ ...p, url: photoUrl(p.visitId, p.id), thumbUrl: photoUrl(p.visitId, p.id, "thumb") }));
}

/** What the photo page shows of the session, its photos and whether photos may be added now; null for an unknown visit. */
export function photoPage(visitId: number, db: Db = getDb()) {
  const visit = db
    .select({
      id: visits.id,
      title: visits.title,
      kind: visits.kind,
      status: visits.status,
      date: visits.date,
      startsAt: visits.startsAt,
      endsAt: visits.endsAt,
      venueId: visits.venueId,
      requestId: visits.requestId,
    })
    .from(visits)
    .where(eq(visits.id, visitId))
    .get();
  if (!visit) return null;
  const { venueId, requestId, ...shown } = visit;
  return {
    visit: { ...shown, venue: venueLabel(db, { venueId, requestId }) },
    photos: photosForVisit(visitId, db),
    refusal: photoRefusal(visit.status),
    maxMegabytes: photoMaxBytes(db).megabytes,
  };
}

/**
 * The image or thumbnail as an HTTP response, streamed from disk: private,
 * never stored by any cache, never sniffed as anything but an image. Unknown
 * ids (or a photo of another visit) are 404.
 */
export function photoResponse(visitId: number, photoId: number, size: "full" | "thumb", db: Db = getDb()): Response {
  const photo = db
    .select()
    .from(sitePhotos)
    .where(and(eq(sitePhotos.id, photoId), eq(sitePhotos.visitId, visitId)))
    .get();
  const relative = photo ? (size === "thumb" ? photo.thumbPath ?? photo.storedPath : photo.storedPath) : null;
  const file = relative ? absolutePath(relative) : null;
  let stat: fs.Stats | null = null;
  try {
    stat = file ? fs.statSync(file) : null;
  } catch {
    stat = null;
  }
  if (!photo || !file || !stat?.isFile()) {
    return new Response(PHOTO_MESSAGES.photoNotFound, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" } });
  }
  const stream = createReadableStreamFromReadable(fs.createReadStream(file));
  return new Response(stream, {
    status: 200,
    headers: {
      "Content-Type": photo.mimeType,
      "Content-Length": String(stat.size),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Disposition": `inline; filename="photo-${photo.id}${size === "thumb" ? "-thumb" : ""}.jpg"`,
    },
  });
}

// ---------------------------------------------------------------------------
// Reading the upload form

export type PhotoForm = { ok: true; fields: Record<string, string>; photo: Uint8Array | null };

class FormRefusal extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/**
 * Read the photo page's form. Multipart bodies are parsed as they stream in
 * (Remix's unstable_parseMultipartFormData) with a handler that keeps at most
 * one file, cut at the photo cap, and short text fields; the server's body
 * limit (app/http/body-limit.mjs) bounds the whole request above that.
 * URL-encoded bodies (the delete form without a file) are read up to a small cap.
 */
export async function readPhotoForm(request: Request, maxBytes: number, maxMegabytes: number): Promise<PhotoForm | (Refusal & { status: number })> {
  const type = request.headers.get("Content-Type") ?? "";
  try {
    if (!type.startsWith("multipart/form-data")) {
      const text = await readCapped(request, 64 * 1024);
      return { ok: true, fields: Object.fromEntries(new URLSearchParams(text)), photo: null };
    }
    let photo: Uint8Array | null = null;
    let fieldCount = 0;
    const handler: UploadHandler = async ({ name, filename, data }) => {
      if (++fieldCount > PHOTO_RULES.maxFields) throw new FormRefusal(PHOTO_MESSAGES.badForm, 400);
      const isFile = typeof filename === "string";
      const limit = isFile ? maxBytes : PHOTO_RULES.maxFieldBytes;
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of data) {
        size += chunk.byteLength;
        if (size > limit) throw new FormRefusal(isFile ? tooLargeMessage(maxMegabytes) : PHOTO_MESSAGES.badForm, isFile ? 413 : 400);
        chunks.push(chunk);
      }
      const bytes = Buffer.concat(chunks);
      if (!isFile) return bytes.toString("utf8");
      // An input left empty is sent as a part with no name and no bytes.
      if (name !== "photo" || size === 0) return undefined;
      if (photo) throw new FormRefusal(PHOTO_MESSAGES.twoFiles, 400);
      photo = bytes;
      return undefined;
    };
    const form = await unstable_parseMultipartFormData(request, handler);
    const fields: Record<string, string> = {};
    for (const [k, v] of form) if (typeof v === "string" && !(k in fields)) fields[k] = v;
    return { ok: true, fields, photo };
  } catch (error) {
    if (error instanceof FormRefusal) return { ok: false, message: error.message, field: error.status === 413 ? "photo" : undefined, status: error.status };
    return { ok: false, message: PHOTO_MESSAGES.badForm, status: 400 };
  }
}

/** A small body as text, refused past `limit` bytes (counted as read, whatever Content-Length says). */
async function readCapped(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new FormRefusal(PHOTO_MESSAGES.badForm, 413);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
