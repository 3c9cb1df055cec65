/** Site photo pieces of the visit screens (browser-safe: no server imports). */
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { EmptyState } from "../components/ui";
import { formatInstant } from "../lib/dates";
import { PHOTO_THUMB_EDGE, photosPagePath, type PhotoView } from "./photos";

/** The thumbnail's size in pixels (the stored thumbnail keeps the photo's proportions). */
function thumbSize(p: Pick<PhotoView, "width" | "height">): { width: number; height: number } {
  const w = p.width ?? PHOTO_THUMB_EDGE;
  const h = p.height ?? PHOTO_THUMB_EDGE;
  const scale = Math.min(1, PHOTO_THUMB_EDGE / Math.max(w, h));
  return { width: Math.round(w * scale), height: Math.round(h * scale) };
}

/** What a photo shows, for people who cannot see it. */
export function photoAlt(p: Pick<PhotoView, "caption" | "uploadedAt">): string {
  return p.caption ? `現場写真: ${p.caption}` : `現場写真（${formatInstant(p.uploadedAt)}登録、説明なし）`;
}

/** A thumbnail that opens the full photo. */
export function PhotoThumb({ photo }: { photo: PhotoView }) {
  return (
    <a className="photo-thumb" href={photo.url}>
      <img src={photo.thumbUrl} alt={photoAlt(photo)} {...thumbSize(photo)} loading="lazy" decoding="async" />
    </a>
  );
}

/** Thumbnails in a grid; `children` renders what goes under each (caption, who, delete …). */
export function PhotoGrid({ photos, label, children }: { photos: PhotoView[]; label: string; children?: (p: PhotoView) => ReactNode }) {
  return (
    <ul className="photo-grid" aria-label={label}>
      {photos.map((p) => (
        <li key={p.id} id={`photo-${p.id}`} className="photo-card">
          <PhotoThumb photo={p} />
          {children ? <div className="photo-card__body">{children(p)}</div> : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * The session page's photo box: the photos' thumbnails (the first `limit`)
 * and the way to the photo page, where photos are added and deleted.
 * Data: photosForVisit(visitId) from ./photos.server.
 */
export function PhotosSummary({ visitId, photos, limit = 6 }: { visitId: number; photos: PhotoView[]; limit?: number }) {
  const shown = photos.slice(0, limit);
  return (
    <section className="card photos-summary" aria-labelledby="photos-summary-h">
      <h2 id="photos-summary-h">現場写真（{photos.length}枚）</h2>
      {photos.length === 0 ? <EmptyState>まだ写真はありません。</EmptyState> : <PhotoGrid photos={shown} label="現場写真" />}
      {photos.length > shown.length ? <p className="small muted">ほか{photos.length - shown.length}枚は写真のページで見られます。</p> : null}
      <p>
        <Link to={photosPagePath(visitId)}>写真を登録・確認する</Link>
      </p>
    </section>
  );
}
