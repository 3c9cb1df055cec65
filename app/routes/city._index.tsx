import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { EmptyState, Notice, PageHeader, VisitStatusBadge } from "~/components/ui";
import { formatDate, todayInTokyo } from "~/lib/dates";
import { VISIT_MODE_LABELS } from "~/lib/labels";
import { WaitInfo } from "~/visits/ui";
import { cityQueue, type QueueItem } from "~/visits/visits.server";

export const meta: MetaFunction = () => [{ title: "承認待ち一覧 | 出張申請窓口" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "visits.approve");
  const queue = cityQueue();
  return { ...queue, today: todayInTokyo() };
}

function QueueTable({ items, staleDays, caption }: { items: QueueItem[]; staleDays: number; caption: string }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">訪問日</th>
            <th scope="col">団体</th>
            <th scope="col" className="num">
              人数
            </th>
            <th scope="col">方式</th>
            <th scope="col">状態</th>
            <th scope="col">待ち</th>
            <th scope="col">担当</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id} className={i.stale ? "row--stale" : undefined}>
              <td className="nowrap">
                {i.date ? formatDate(i.date) : <span className="muted">未定</span>}
                {i.startsAt ? <div className="small muted">{`${i.startsAt.slice(11, 16)}〜${i.endsAt?.slice(11, 16) ?? ""}`}</div> : null}
              </td>
              <td>
                <Link to={`/city/visits/${i.id}`}>{i.organisationName ?? i.title}</Link>
                {i.status === "changes_requested" && i.statusReason ? <div className="small muted">修正依頼: {i.statusReason}</div> : null}
              </td>
              <td className="num">{i.expectedApplicants ?? "—"}</td>
              <td className="small">{VISIT_MODE_LABELS[i.mode]}</td>
              <td>
                <VisitStatusBadge status={i.status} />
              </td>
              <td>
                <WaitInfo waitingOn={i.waitingOn} days={i.waitedDays} stale={i.stale} staleDays={staleDays} />
              </td>
              <td className="small">{i.ownerName ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function CityHome() {
  const { awaiting, others, staleDays, plannedMonths, today } = useLoaderData<typeof loader>();
  const staleCount = awaiting.filter((i) => i.stale).length;
  return (
    <div className="page">
      <PageHeader title="承認待ち一覧">
        <span className="muted">{formatDate(today)}</span>
      </PageHeader>

      <section aria-labelledby="awaiting-h">
        <h2 id="awaiting-h">市の判断を待っている団体訪問（{awaiting.length}件）</h2>
        {staleCount > 0 ? (
          <Notice tone="warn" title={`${staleDays}日を超えて判断を待っている訪問が${staleCount}件あります。`}>
            <p>訪問日が近いものから判断してください。</p>
          </Notice>
        ) : null}
        {awaiting.length === 0 ? (
          <EmptyState>いま市の判断を待っている訪問はありません。</EmptyState>
        ) : (
          <QueueTable items={awaiting} staleDays={staleDays} caption="市の判断を待っている団体訪問（訪問日順）" />
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
        {others.length === 0 ? <EmptyState>調整中の訪問はありません。</EmptyState> : <QueueTable items={others} staleDays={staleDays} caption="調整中の団体訪問（訪問日順）" />}
      </section>
    </div>
  );
}
