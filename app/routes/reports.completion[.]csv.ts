import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/auth.server";
import { reportDownload } from "~/reports/http.server";

/** The report as CSV (the version the page shows; the city gets the latest submitted one). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "reports.view");
  return reportDownload(request, user, "completion", "", "csv");
}
