import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { EmptyState, PageHeader } from "~/components/ui";
import { listDistricts } from "~/crm/districts.server";
import { formatInstant } from "~/lib/dates";
import { can } from "~/permissions";

export const meta: MetaFunction = () => [{ title: "地区 | 出張申請窓口" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "crm.view");
  const sort = new URL(request.url).searchParams.get("sort") === "rate" ? "rate" : "id";
  const rows = listDistricts();
  if (sort === "rate") rows.sort((a, b) => (a.rate ?? 2) - (b.rate ?? 2));
  return { rows, sort, canImport: can(user.role, "crm.import") };
}

const pct = (r: number | null) => (r == null ? "—" : `${(r * 100).toFixed(1)}%`);

export default function Districts() {
  const { rows, sort, canImport } = useLoaderData<typeof loader>();
  const totalPop = rows.reduce((s, r) => s + r.population, 0);
  const totalCards = rows.reduce((s, r) => s + r.cardsIssued, 0);
  return (
    <div className="page">
      <PageHeader title="地区">
        {canImport ? (
          <Link className="button button--secondary" to="/staff/districts/import">
            CSV取込
          </Link>
        ) : null}
      </PageHeader>
      <p className="muted">交付率が低い地区ほど、団体の優先度が上がります（地区のカード未取得率 = 1 − 交付枚数 ÷ 人口）。</p>
      <p>
        並び順:{" "}
        {sort === "rate" ? (
          <>
            <strong>交付率の低い順</strong>・<Link to="?">登録順</Link>
          </>
        ) : (
          <>
            <Link to="?sort=rate">交付率の低い順</Link>・<strong>登録順</strong>
          </>
        )}
      </p>
      {rows.length === 0 ? (
        <EmptyState>地区が登録されていません。CSVで取り込んでください。</EmptyState>
      ) : (
        <div className="table-wrap" role="region" aria-label="地区ごとの人口と交付枚数" tabIndex={0}>
          <table>
            <caption className="visually-hidden">地区ごとの人口と交付枚数</caption>
            <thead>
              <tr>
                <th scope="col">地区</th>
                <th scope="col" className="num">人口</th>
                <th scope="col" className="num">交付枚数</th>
                <th scope="col" className="num">交付率</th>
                <th scope="col" className="num">団体数</th>
                <th scope="col">団体を見る</th>
                <th scope="col">更新</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.name}</th>
                  <td className="num">{r.population.toLocaleString("ja-JP")}</td>
                  <td className="num">{r.cardsIssued.toLocaleString("ja-JP")}</td>
                  <td className="num">{pct(r.rate)}</td>
                  <td className="num">{r.organisations}</td>
                  <td className="nowrap">
                    <Link to={`/staff/organisations?district=${r.id}`}>すべて</Link>・
                    <Link to={`/staff/organisations?district=${r.id}&kind=welfare`}>福祉施設</Link>
                  </td>
                  <td className="nowrap small">{formatInstant(r.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">合計</th>
                <td className="num">{totalPop.toLocaleString("ja-JP")}</td>
                <td className="num">{totalCards.toLocaleString("ja-JP")}</td>
                <td className="num">{pct(totalPop ? totalCards / totalPop : null)}</td>
                <td colSpan={3} />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </div>
  );
}
