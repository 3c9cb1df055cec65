import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportAuditLogCsv } from "~/audit.server";
import { requirePermission } from "~/auth.server";
import { parseAuditFilters } from "~/lib/audit-labels";
import { todayInTokyo } from "~/lib/dates";
import { clientIp } from "~/request-info.server";

/** /admin/audit.csv: the audit log with the page's filters, as CSV (UTF-8 with BOM so Excel reads it). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin.audit");
  const { filters } = parseAuditFilters(new URL(request.url).searchParams);
  const { csv } = exportAuditLogCsv(filters, user, clientIp(request));
  const day = todayInTokyo();
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${day}.csv"; filename*=UTF-8''${encodeURIComponent(`操作記録-${day}.csv`)}`,
      "Cache-Control": "no-store",
    },
  });
}
