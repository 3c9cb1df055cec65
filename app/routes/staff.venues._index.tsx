import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { listVenues } from "~/calendar/venues.server";
import { Badge, EmptyState, PageHeader, Pagination } from "~/components/ui";
import { VENUE_KIND_LABELS } from "~/lib/labels";

export const meta: MetaFunction = () => [{ title: "会場 | 出張申請窓口" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "venues.manage");
  const url = new URL(request.url);
  const q = url.searchParams.get("q") ?? "";
  const showInactive = url.searchParams.get("inactive") === "1";
  const result = listVenues({ search: q, page: Number(url.searchParams.get("page")) || 1, showInactive });
  return { ...result, q, showInactive, search: url.search };
}

export default function Venues() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <PageHeader title="会場">
        <Link to="/staff/venues/new" className="button">
          会場を追加
        </Link>
        <Link to="/calendar" className="button button--secondary">
          カレンダー
        </Link>
      </PageHeader>
      <p className="muted small">巡回・拠点窓口で使う場所の一覧です。ここで登録した会場を、カレンダーで予定を作るときに選べます。</p>
      <Form method="get" className="row" role="search" style={{ marginBottom: "1rem" }}>
        <label htmlFor="venue-q" className="visually-hidden">
          会場名・所在地・地区で検索
        </label>
        <input id="venue-q" type="search" name="q" defaultValue={data.q} placeholder="会場名・所在地・地区で検索" style={{ maxWidth: "24rem" }} />
        <label className="choice">
          <input type="checkbox" name="inactive" value="1" defaultChecked={data.showInactive} />
          使用停止中も表示
        </label>
        <button type="submit" className="button button--secondary">
          検索
        </button>
      </Form>
      {data.rows.length === 0 ? (
        <EmptyState>
          <p>{data.q ? "条件に合う会場はありません。検索語を変えてお試しください。" : "会場はまだ登録されていません。"}</p>
          <Link to="/staff/venues/new" className="button">
            会場を追加
          </Link>
        </EmptyState>
      ) : (
        <div className="table-wrap" role="region" aria-label={`会場一覧（${data.total}件）`} tabIndex={0}>
          <table>
            <caption className="visually-hidden">会場一覧（{data.total}件）</caption>
            <thead>
              <tr>
                <th scope="col">会場名</th>
                <th scope="col">種類</th>
                <th scope="col">地区</th>
                <th scope="col">所在地</th>
                <th scope="col">駐車・設置メモ</th>
                <th scope="col">連絡先</th>
                <th scope="col">状態</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((v) => (
                <tr key={v.id}>
                  <td>
                    <Link to={`/staff/venues/${v.id}`}>{v.name}</Link>
                  </td>
                  <td className="nowrap">{VENUE_KIND_LABELS[v.kind]}</td>
                  <td className="nowrap">{v.districtName ?? "—"}</td>
                  <td>{v.address ?? "—"}</td>
                  <td className="small">{v.parkingNotes ?? "—"}</td>
                  <td className="small">
                    {v.contactName ?? ""}
                    {v.contactPhone ? <div className="nowrap">{v.contactPhone}</div> : null}
                  </td>
                  <td>{v.active ? <Badge tone="ok">使用中</Badge> : <Badge tone="neutral">使用停止</Badge>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">{data.total}件</p>
      <Pagination page={data.page} pageCount={data.pageCount} search={data.search} />
    </div>
  );
}
