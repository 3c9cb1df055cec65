import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { loadReportPage, reportAction } from "~/reports/http.server";
import { ReportPage } from "~/reports/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "報告書"} | 出張申請窓口` }];

/** 日次報告書 /reports/daily/YYYY-MM-DD: staff see it as built from the results and submit it; the city sees what was submitted. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "reports.view");
  return loadReportPage(request, user, "daily", params.date ?? "");
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requirePermission(request, "reports.view");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "save-draft") return reportAction(request, await requirePermission(request, "reports.write"), "daily", params.date ?? "", "save-draft", form);
  if (intent === "submit") return reportAction(request, await requirePermission(request, "reports.submit"), "daily", params.date ?? "", "submit", form);
  if (intent === "acknowledge") return reportAction(request, await requirePermission(request, "reports.acknowledge"), "daily", params.date ?? "", "acknowledge", form);
  return { ok: false as const, message: "操作を認識できませんでした。画面を再読み込みしてください。" };
}

export default function DailyReport() {
  const d = useLoaderData<typeof loader>();
  return <ReportPage d={d} />;
}
