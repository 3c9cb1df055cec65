import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth.server";
import { notFound, requireId } from "~/lib/ids";
import { photoResponse } from "~/visits/photos.server";

/**
 * A site photo (?size=thumb: its thumbnail), streamed to signed-in staff only:
 * `Cache-Control: private, no-store`, never from a public path. City officials
 * do not see photos here; the reports that carry them to the city are built in
 * their own issue (docs/decisions/009-site-photos.md).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "visits.manage");
  const visitId = requireId(params.id, "写真が見つかりません。");
  const photoId = requireId(params.photoId, "写真が見つかりません。");
  const size = new URL(request.url).searchParams.get("size") ?? "full";
  if (size !== "full" && size !== "thumb") throw notFound("写真が見つかりません。");
  return photoResponse(visitId, photoId, size);
}
