import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { Badge, PageHeader } from "~/components/ui";
import { formatDate } from "~/lib/dates";
import { notFound } from "~/lib/ids";
import type { Tone } from "~/lib/labels";
import { Bars, Lines, StackedBars } from "~/reports/charts";
import { VERDICT_LABELS, type Verdict } from "~/reports/pace";
import { progressData } from "~/reports/progress.server";
import { DueBadge, StateBadge } from "~/reports/badges";

export const meta: MetaFunction = () => [{ title: "目標の進捗 | 出張申請窓口" }];

/** /progress: every signed-in role sees whether each target of the contract will be met (?program=ID for another program). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "progress.view");
  const data = progressData(new URL(request.url));
  if (!data) throw notFound("業務（program）が見つかりません。管理者が業務期間と目標を設定すると表示されます。");
  return data;
}

const VERDICT_TONES: Record<Verdict, Tone> = { on_track: "ok", at_risk: "warn", off_track: "danger" };
const VERDICT_MARKS: Record<Verdict, string> = { on_track: "○", at_risk: "△", off_track: "×" };

export default function Progress() {
  const d = useLoaderData<typeof loader>();
  const q = d.programParam ? `?program=${d.programParam}` : "";
  const todayIndex = d.cumulative.findIndex((r, i) => r.weekStart <= d.today && (d.cumulative[i + 1]?.weekStart ?? "9999") > d.today);
  const t = d.totals;
  return (
    <div className="page progress-page">
      <PageHeader title="目標の進捗">
        <Link to={`/reports${q}`}>報告書の一覧</Link>
      </PageHeader>
      <p>
        {d.programName}（{formatDate(d.startsOn)}〜{formatDate(d.endsOn)}）。{formatDate(d.today)}時点、実施済みの回の実績です。
      </p>

      <section aria-labelledby="targets-h">
        <h2 id="targets-h">目標と見込み</h2>
        <div className="target-cards">
          {d.targets.map((x) => {
            const p = x.pace;
            const rate = x.target ? Math.min(100, Math.round((x.done / x.target) * 100)) : 100;
            return (
              <article key={x.key} className={`card target-card target-card--${p.verdict}`} aria-labelledby={`target-${x.key}`}>
                <h3 id={`target-${x.key}`}>{x.label}</h3>
                <p className="target-card__numbers">
                  <span className="stat">{x.done}</span> / {x.target}回{x.wording === "at_least" ? "以上" : "程度"}
                  <Badge tone={VERDICT_TONES[p.verdict]}>
                    <span aria-hidden="true">{VERDICT_MARKS[p.verdict]} </span>
                    {VERDICT_LABELS[p.verdict]}
                  </Badge>
                </p>
                <div className="progress" role="img" aria-label={`達成率 ${rate}%`}>
                  <span style={{ width: `${rate}%` }} />
                </div>
                <dl className="facts small">
                  <dt>予定されている回</dt>
                  <dd>
                    {x.planned}回（実施済みと合わせて {p.secured}回）
                  </dd>
                  <dt>残り</dt>
                  <dd>{p.remaining === 0 ? "目標に達しました" : `${p.remaining}回${p.neededPerWeek != null ? `（終了まで週 ${p.neededPerWeek}回のペースが必要）` : ""}`}</dd>
                  <dt>これまでのペース</dt>
                  <dd>{p.pacePerWeek == null ? "業務開始前" : `週 ${p.pacePerWeek}回${p.projected != null ? `（このままなら終了時 ${p.projected}回）` : ""}`}</dd>
                  <dt>見込み</dt>
                  <dd>{p.gap >= 0 ? `目標を ${p.gap}回 上回る見込み` : `目標に ${-p.gap}回 足りない見込み`}</dd>
                </dl>
              </article>
            );
          })}
        </div>
        <p className="muted small">
          判定:
          実施済みと予定の回で目標に届けば「順調」、予定ではまだ届かないがこれまでのペースなら届けば「要注意」、どちらでも届かなければ「未達見込み」。「拠点施設（両方式）＋巡回」は拠点施設の受付方式・サポート方式と巡回（サポート方式）の合計です。
        </p>
      </section>

      <section aria-labelledby="apps-h">
        <h2 id="apps-h">申請件数（方式・住所地）</h2>
        <div className="table-wrap" role="region" aria-label="申請件数の内訳" tabIndex={0}>
          <table>
            <caption className="visually-hidden">申請件数の内訳（実施済みの回）</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  実施回数
                </th>
                <th scope="col" className="num">
                  受付方式
                </th>
                <th scope="col" className="num">
                  サポート（オンライン）
                </th>
                <th scope="col" className="num">
                  サポート（郵送）
                </th>
                <th scope="col" className="num">
                  申請件数 計
                </th>
                <th scope="col" className="num">
                  市内
                </th>
                <th scope="col" className="num">
                  市外
                </th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td className="num">{t.sessions}</td>
                <td className="num">{t.accept}</td>
                <td className="num">{t.supportOnline}</td>
                <td className="num">{t.supportMail}</td>
                <td className="num">{t.applications}</td>
                <td className="num">{t.inCity}</td>
                <td className="num">{t.outOfCity}</td>
              </tr>
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="charts-h">
        <h2 id="charts-h">推移</h2>
        <h3>週ごとの申請件数（種別）</h3>
        <StackedBars
          title="週ごとの申請件数（種別ごとの積み上げ）"
          desc={`業務開始から今週まで${d.weekly.length}週の申請件数。合計 ${t.applications}件。表に同じ数があります。`}
          rows={d.weekly}
          series={[
            { key: "group", label: "団体訪問", className: "chart--group" },
            { key: "roaming", label: "巡回", className: "chart--roaming" },
            { key: "base", label: "拠点施設", className: "chart--base" },
          ]}
        />
        <h3>実施回数の累計と目標線</h3>
        <Lines
          title="実施回数の累計と目標線"
          desc={`団体訪問の累計 ${d.targets.find((x) => x.key === "group")?.done ?? 0}回（目標 ${d.targets.find((x) => x.key === "group")?.target ?? 0}回）、拠点施設＋巡回の累計 ${
            d.targets.find((x) => x.key === "combined")?.done ?? 0
          }回（目標 ${d.targets.find((x) => x.key === "combined")?.target ?? 0}回）。点線は業務期間で均等に進めた場合の目標線。`}
          rows={d.cumulative}
          // The table: the program's last week (where the target lines end), then this week and the weeks before it.
          tableRows={[...d.cumulative.slice(-1), ...d.cumulative.slice(0, todayIndex + 1).reverse()].filter((r, i, a) => a.indexOf(r) === i)}
          todayIndex={todayIndex}
          lines={[
            { key: "group", label: "団体訪問 累計", className: "chart--group", dashed: false },
            { key: "groupTarget", label: "団体訪問 目標線", className: "chart--group", dashed: true },
            { key: "combined", label: "拠点＋巡回 累計", className: "chart--roaming", dashed: false },
            { key: "combinedTarget", label: "拠点＋巡回 目標線", className: "chart--roaming", dashed: true },
          ]}
        />
        <h3>団体訪問のパイプライン（段階ごとの団体数）</h3>
        <Bars
          title="団体訪問のパイプライン"
          desc={`段階ごとの団体数。${d.pipeline.map((p) => `${p.label} ${p.count}`).join("、")}。`}
          rows={d.pipeline.map((p) => ({ key: p.stage, label: p.label, value: p.count }))}
          unit="団体数"
        />
      </section>

      <section aria-labelledby="next-h">
        <h2 id="next-h">次に期限が来る報告書</h2>
        {d.nextReports.length === 0 ? (
          <p className="muted">期限の近い報告書はありません。</p>
        ) : (
          <ul className="plain-list">
            {d.nextReports.map((r) => (
              <li key={`${r.kind}${r.key}`}>
                <Link to={r.href}>{r.title}</Link> <span className="small">{r.deadlineText}</span> <StateBadge state={r.state} /> <DueBadge due={r.dueState} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
