import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { EmptyState, Notice, PageHeader } from "~/components/ui";
import { formatDate, todayInTokyo } from "~/lib/dates";
import { GroupVisitTable } from "~/visits/ui";
import { cityQueue } from "~/visits/queries.server";
import { openSeriousIncidents } from "~/onsite/incidents.server";
import { OpenIncidentsList } from "~/onsite/ui";
import { reportFlags } from "~/reports/pages.server";
import { ReportFlags } from "~/reports/badges";

export const meta: MetaFunction = () => [{ title: "承認待ち一覧 | 出張申請窓口" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "visits.approve");
  const queue = cityQueue();
  return { ...queue, today: todayInTokyo(), seriousIncidents: openSeriousIncidents(), reportFlags: reportFlags() };
}

export default function CityHome() {
  const { awaiting, others, staleDays, plannedMonths, today, seriousIncidents, reportFlags } = useLoaderData<typeof loader>();
  const staleCount = awaiting.filter((i) => i.stale).length;
  return (
    <div className="page">
      <PageHeader title="承認待ち一覧">
        <span className="muted">{formatDate(today)}</span>
      </PageHeader>
      <OpenIncidentsList incidents={seriousIncidents} linkTo="city" headingId="incidents-h" />
      <ReportFlags flags={reportFlags} audience="city" />

      <section aria-labelledby="awaiting-h">
        <h2 id="awaiting-h">市の判断を待っている団体訪問（{awaiting.length}件）</h2>
        {staleCount > 0 ? (
          <Notice tone="warn" title={`${staleDays}営業日を超えて判断を待っている訪問が${staleCount}件あります。`}>
            <p>訪問日が近いものから判断してください。</p>
          </Notice>
        ) : null}
        {awaiting.length === 0 ? (
          <EmptyState>いま市の判断を待っている訪問はありません。</EmptyState>
        ) : (
          <GroupVisitTable rows={awaiting} staleDays={staleDays} caption="市の判断を待っている団体訪問（訪問日順）" linkTo={(id) => `/city/visits/${id}`} />
        )}
      </section>

      <section aria-labelledby="months-h">
        <h2 id="months-h">巡回・拠点施設の月間予定</h2>
        {plannedMonths.length === 0 ? (
          <p className="muted">合意を待っている月間予定はありません。</p>
        ) : (
          <ul className="month-list">
            {plannedMonths.map((m) => (
              <li key={m.month}>
                <Link to={`/city/schedule?month=${m.month}`}>
                  {Number(m.month.slice(0, 4))}年{Number(m.month.slice(5, 7))}月の予定
                </Link>{" "}
                — 合意待ち {m.count}件
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="others-h">
        <h2 id="others-h">調整中の団体訪問（{others.length}件）</h2>
        <p className="muted small">受託者や団体の対応を待っているものです。修正依頼が受託者のもとで止まっていないか確認できます。</p>
        {others.length === 0 ? <EmptyState>調整中の訪問はありません。</EmptyState> : <GroupVisitTable rows={others} staleDays={staleDays} caption="調整中の団体訪問（訪問日順）" linkTo={(id) => `/city/visits/${id}`} />}
      </section>
    </div>
  );
}
