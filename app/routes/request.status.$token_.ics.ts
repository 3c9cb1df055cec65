import type { LoaderFunctionArgs } from "@remix-run/node";
import { requestIcs } from "~/requests/status.server";

/** The confirmed visit as a calendar file (public: the token is the key). */
export async function loader({ params }: LoaderFunctionArgs) {
  const ics = requestIcs(params.token ?? "");
  if (!ics) {
    return new Response("見つかりません。訪問日が確定するとダウンロードできます。", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Robots-Tag": "noindex" },
    });
  }
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'attachment; filename="visit.ics"',
      "Cache-Control": "no-store",
      "X-Robots-Tag": "noindex",
    },
  });
}
