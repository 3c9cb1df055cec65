import type { LoaderFunctionArgs } from "@remix-run/node";
import { hitRateLimit } from "~/lib/rate-limit.server";
import { lookupPostalCode } from "~/requests/postal.server";
import { clientIp } from "~/request-info.server";

/** 郵便番号 → 住所 for the request form (public; answers JSON, never an error page). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const headers = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "private, max-age=3600" };
  // Generous, but a script cannot use us as a free proxy to the lookup service.
  const limit = hitRateLimit(`postal:${clientIp(request) ?? "unknown"}`, 120, 60 * 60 * 1000);
  if (!limit.allowed) return new Response(JSON.stringify({ status: "unavailable" }), { headers });
  const result = await lookupPostalCode(params.code ?? "");
  return new Response(JSON.stringify(result), { headers });
}
