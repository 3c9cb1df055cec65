import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth.server";
import { listFeedEvents, parseFeedRange, parseKinds } from "~/calendar/feed.server";
import { can } from "~/permissions";

/**
 * GET /calendar/events?start=ISO&end=ISO (CONTRACT.md): FullCalendar events.
 * Optional: kinds=group,roaming,base and cancelled=0 to leave out cancelled/declined.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "calendar.view");
  const url = new URL(request.url);
  const range = parseFeedRange(url.searchParams);
  if (!range) {
    return new Response(JSON.stringify({ error: "start と end を ISO 8601 形式（例: 2026-12-01T00:00:00+09:00）で指定してください。期間は400日以内です。" }), {
      status: 400,
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });
  }
  const events = listFeedEvents(range, {
    kinds: parseKinds(url.searchParams.get("kinds")),
    includeInactive: url.searchParams.get("cancelled") !== "0",
    canPlan: can(user.role, "calendar.plan"),
    viewerRole: user.role,
  });
  return new Response(JSON.stringify(events), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}
