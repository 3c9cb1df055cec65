import type { LoaderFunctionArgs } from "@remix-run/node";
import { icsResponse, userForCalendarToken, userIcs } from "~/calendar/feeds.server";

/**
 * A staff member's or city official's secret calendar subscription
 * (/feeds/user/<token>.ics). The token is the credential; regenerating it on
 * the calendar page revokes the old URL.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const token = (params.token ?? "").replace(/\.ics$/, "");
  const user = userForCalendarToken(token);
  if (!user) return new Response("このカレンダーURLは無効です。カレンダー画面で新しいURLを確認してください。", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return icsResponse(userIcs(user.name, undefined, user.role), "demado.ics");
}
