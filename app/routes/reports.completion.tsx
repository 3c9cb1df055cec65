import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { loadReportPage, reportAction } from "~/reports/http.server";
import { ReportPage } from "~/reports/ui";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "報告書"} | 出張申請窓口` }];

/** 委託業務完了報告書 /reports/completion. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "reports.view");
  return loadReportPage(request, user, "completion", "");
}

export async function action({ request }: ActionFunctionArgs) {
  await requirePermission(request, "reports.view");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "save-draft") return reportAction(request, await requirePermission(request, "reports.write"), "completion", "", "save-draft", form);
  if (intent === "submit") return reportAction(request, await requirePermission(request, "reports.submit"), "completion", "", "submit", form);
  if (intent === "acknowledge") return reportAction(request, await requirePermission(request, "reports.acknowledge"), "completion", "", "acknowledge", form);
  return { ok: false as const, message: "操作を認識できませんでした。画面を再読み込みしてください。" };
}

export default function CompletionReport() {
  const d = useLoaderData<typeof loader>();
  return <ReportPage d={d} />;
}
