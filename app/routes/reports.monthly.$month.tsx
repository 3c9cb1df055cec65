import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { loadReportPage, reportAction } from "~/reports/http.server";
import { ReportPage } from "~/reports/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "報告書"} | 出張申請窓口` }];

/** 月次報告書 /reports/monthly/YYYY-MM. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "reports.view");
  return loadReportPage(request, user, "monthly", params.month ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requirePermission(request, "reports.view");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "save-draft") return reportAction(request, await requirePermission(request, "reports.write"), "monthly", params.month ?? "", "save-draft", form);
  if (intent === "submit") return reportAction(request, await requirePermission(request, "reports.submit"), "monthly", params.month ?? "", "submit", form);
  if (intent === "acknowledge") return reportAction(request, await requirePermission(request, "reports.acknowledge"), "monthly", params.month ?? "", "acknowledge", form);
  return { ok: false as const, message: "操作を認識できませんでした。画面を再読み込みしてください。" };
}

export default function MonthlyReport() {
  const d = useLoaderData<typeof loader>();
  return <ReportPage d={d} />;
}
