import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { planSessions } from "~/calendar/planning.server";
import { PlanResultNotice, SessionForm, type PlanActionData } from "~/calendar/session-form";
import { activeVenueOptions } from "~/calendar/venues.server";
import { PageHeader } from "~/components/ui";
import { todayInTokyo } from "~/lib/dates";

export const meta: MetaFunction = () => [{ title: "巡回・拠点の予定を作成 | カレンダー" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "calendar.plan");
  const url = new URL(request.url);
  const date = url.searchParams.get("date");
  return {
    venues: activeVenueOptions(),
    defaults: {
      date: date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : todayInTokyo(),
      startTime: url.searchParams.get("start") ?? undefined,
      endTime: url.searchParams.get("end") ?? undefined,
    },
  };
}

/** Also the target of the calendar's dialog (fetcher): returns the result as data. */
export async function action({ request }: ActionFunctionArgs): Promise<PlanActionData> {
  const user = await requirePermission(request, "calendar.plan");
  const form = await request.formData();
  const values = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
  const result = planSessions(values, user);
  if (!result.ok) return { ok: false, message: result.message, errors: result.errors, skipped: result.skipped, values };
  return { ok: true, message: result.message, created: result.created, skipped: result.skipped };
}

export default function CalendarNew() {
  const { venues, defaults } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const nav = useNavigation();
  return (
    <div className="page page--narrow">
      <p>
        <Link to="/calendar">← カレンダーへ戻る</Link>
      </p>
      <PageHeader title="巡回・拠点の予定を作成" />
      <div aria-live="polite">
        <PlanResultNotice data={data} />
      </div>
      <div className="card">
        <SessionForm venues={venues} defaults={data && !data.ok ? { ...defaults, ...data.values } : defaults} errors={data?.errors} submitting={nav.state === "submitting"} key={data?.ok ? JSON.stringify(data.created) : "form"} />
      </div>
    </div>
  );
}
