import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth.server";
import { notFound, requireId } from "~/lib/ids";
import { photoResponse } from "~/visits/photos.server";

/**
 * A site photo (?size=thumb: its thumbnail), streamed to signed-in users who
 * may read the reports (staff and city officials: the daily report carries
 * the photos to the city): `Cache-Control: private, no-store`, never from a
 * public path. Uploading and deleting stay with staff (docs/decisions/009).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "reports.view");
  const visitId = requireId(params.id, "写真が見つかりません。");
  const photoId = requireId(params.photoId, "写真が見つかりません。");
  const size = new URL(request.url).searchParams.get("size") ?? "full";
  if (size !== "full" && size !== "thumb") throw notFound("写真が見つかりません。");
  return photoResponse(visitId, photoId, size);
}
