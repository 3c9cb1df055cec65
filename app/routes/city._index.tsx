import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { PageHeader } from "~/components/ui";
import { formatDate, todayInTokyo } from "~/lib/dates";

export const meta: MetaFunction = () => [{ title: "承認待ち一覧 | 出張申請窓口" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "visits.approve");
  return { name: user.name, today: todayInTokyo() };
}

export default function CityHome() {
  const { today } = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <PageHeader title="承認待ち一覧">
        <span className="muted">{formatDate(today)}</span>
      </PageHeader>
    </div>
  );
}
