import type { ActionFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth.server";
import { moveOnCalendar } from "~/calendar/planning.server";
import { notFound, requireId } from "~/lib/ids";
import { visitKindOf } from "~/visits/queries.server";

const NOT_FOUND = "予定が見つかりません。カレンダーを再読み込みしてください。";

/** POST /calendar/move (drag or resize on the calendar): JSON {ok, message}. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "calendar.plan");
  const form = await request.formData();
  const visitId = requireId(form.get("visitId"), NOT_FOUND);
  if (!visitKindOf(visitId)) throw notFound(NOT_FOUND);
  const result = moveOnCalendar(
    {
      visitId,
      startsAt: String(form.get("startsAt") ?? ""),
      endsAt: String(form.get("endsAt") ?? ""),
      version: form.get("version") ? Number(form.get("version")) : null,
    },
    user,
  );
  return new Response(JSON.stringify(result), {
    status: result.ok ? 200 : 409,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

export async function loader() {
  return new Response("Method Not Allowed", { status: 405 });
}
