/**
 * Site photos (現場写真): what both the server and the screens need to know.
 * Pure (no server imports); the rules and files live in ./photos.server.ts.
 */
import { freeText } from "../lib/validation";

/** What the file inputs offer (the server sniffs the bytes itself and ignores the name and the client's MIME type). */
export const PHOTO_ACCEPT = "image/jpeg,image/png,image/webp";

/** The thumbnail's longer side in pixels (the stored thumbnail and the page's <img> sizes agree). */
export const PHOTO_THUMB_EDGE = 320;

/** The caption: optional, short, never an individual number (built on first use: this module is also browser code, issue 14). */
export const photoCaptionSchema = () => freeText(200);

/** One photo as the screens show it. */
export type PhotoView = {
  id: number;
  visitId: number;
  caption: string | null;
  width: number | null;
  height: number | null;
  bytes: number | null;
  uploadedAt: string;
  uploadedBy: string | null;
  /** The re-encoded image (signed-in staff only, never cached). */
  url: string;
  thumbUrl: string;
};

/** Where the photos of a session are managed. */
export function photosPagePath(visitId: number): string {
  return `/staff/visits/${visitId}/photos`;
}

/** The image (or its thumbnail) of a photo; served only to staff, never from a public path. */
export function photoUrl(visitId: number, photoId: number, size: "full" | "thumb" = "full"): string {
  return `/staff/visits/${visitId}/photos/${photoId}${size === "thumb" ? "?size=thumb" : ""}`;
}

/** 1.2MB, 850KB: a file size as people read it. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null) return "";
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)}MB`;
  return `${Math.max(1, Math.round(bytes / 1024))}KB`;
}
