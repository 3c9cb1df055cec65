import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth.server";
import { exportOrganisationsCsv } from "~/crm/export.server";
import { parseFilters } from "~/crm/filters";
import { todayInTokyo } from "~/lib/dates";
import { clientIp } from "~/request-info.server";

/** CSV download of the filtered organisation list (UTF-8 with BOM so Excel reads it). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "crm.export");
  const filters = parseFilters(new URL(request.url).searchParams);
  const { csv } = exportOrganisationsCsv(filters, user, clientIp(request));
  const name = `organisations-${todayInTokyo()}.csv`;
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(`団体一覧-${todayInTokyo()}.csv`)}`,
      "Cache-Control": "no-store",
    },
  });
}
