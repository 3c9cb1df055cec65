import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { Notice, PageHeader } from "~/components/ui";
import { formatInstant, todayInTokyo } from "~/lib/dates";
import { notFound, requireId } from "~/lib/ids";
import { PR_WARNING_MESSAGES, prWarning } from "~/onsite/labels";
import { PrForm } from "~/onsite/pr-form";
import { prActivity, savePrActivity } from "~/onsite/pr.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.item.title ?? "広報活動"} | 広報活動` }];

const NOT_FOUND = "広報活動の記録が見つかりません。一覧から選び直してください。";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "visits.manage");
  const id = requireId(params.id, NOT_FOUND);
  const item = prActivity(id);
  if (!item) throw notFound(NOT_FOUND);
  return { item, today: todayInTokyo() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "visits.manage");
  const id = requireId(params.id, NOT_FOUND);
  if (!prActivity(id)) throw notFound(NOT_FOUND);
  const form = await request.formData();
  const values = Object.fromEntries([...form].map(([k, v]) => [k, String(v)])) as Record<string, string>;
  const result = savePrActivity(id, values, user);
  if (!result.ok) return { ok: false as const, message: result.message, errors: result.errors, values };
  return redirect(`/staff/pr?saved=updated${result.warning ? `&warn=${result.warning}` : ""}#pr-${id}`);
}

export default function PrEdit() {
  const { item, today } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const warning = prWarning(item);
  const str = (v: string | number | null) => (v == null ? "" : String(v));
  const values = result?.values ?? {
    medium: item.medium,
    title: item.title,
    status: item.status,
    plannedOn: str(item.plannedOn),
    doneOn: str(item.doneOn),
    reach: str(item.reach),
    reachUnit: str(item.reachUnit),
    notes: str(item.notes),
    cityApprovedOn: str(item.cityApprovedOn),
    cityApprovalRef: str(item.cityApprovalRef),
  };
  return (
    <div className="page page--narrow">
      <p className="small">
        <Link to="/staff/pr">← 広報活動の一覧</Link>
      </p>
      <PageHeader title={item.title} />
      {result && !result.ok ? <Notice tone="error">{result.message}</Notice> : null}
      {warning && !result ? (
        <Notice tone="warn" title="市の承認を確認してください">
          <p>{PR_WARNING_MESSAGES[warning]}</p>
        </Notice>
      ) : null}
      <div className="card">
        <PrForm values={values} errors={result?.errors ?? {}} currentMedium={item.medium} today={today} submitLabel="変更を保存" busy={busy} />
      </div>
      <p className="muted small">
        記録 {formatInstant(item.createdAt)}
        {item.updatedAt ? `・最終更新 ${formatInstant(item.updatedAt)}` : ""}
      </p>
    </div>
  );
}
