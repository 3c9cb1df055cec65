import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { EmptyState, PageHeader } from "~/components/ui";
import { formatInstant } from "~/lib/dates";
import { notFound } from "~/lib/ids";
import { REPORT_KIND_LABELS } from "~/reports/deadlines";
import { reportListPage, type ReportListItem } from "~/reports/pages.server";
import { warekiMonth } from "~/reports/titles";
import { DueBadge, StateBadge } from "~/reports/badges";

export const meta: MetaFunction = () => [{ title: "報告書 | 出張申請窓口" }];

/** /reports: the contract's reports with their deadlines and states (?program=ID for another program). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "reports.view");
  const r = reportListPage(new URL(request.url), user);
  if (!r.ok) throw notFound(r.message);
  return { ...r.data, role: user.role };
}

function ReportRows({ items, caption, showKind }: { items: ReportListItem[]; caption: string; showKind?: boolean }) {
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">報告書</th>
            <th scope="col">提出期限</th>
            <th scope="col">状態</th>
            <th scope="col">提出・確認</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={`${i.kind}${i.key}`}>
              <td>
                <Link to={i.href}>{showKind ? i.title : i.title.replace(REPORT_KIND_LABELS[i.kind], "").replace(/^（|）$/g, "") || i.title}</Link>
              </td>
              <td>{i.deadlineText}</td>
              <td>
                <StateBadge state={i.state} /> <DueBadge due={i.dueState} />
              </td>
              <td className="small">
                {i.latestVersion ? (
                  <>
                    第{i.latestVersion}版 {formatInstant(i.submittedAt)}
                    {i.acknowledgedAt ? (
                      <>
                        <br />
                        市確認 {formatInstant(i.acknowledgedAt)}
                      </>
                    ) : null}
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function ReportsIndex() {
  const d = useLoaderData<typeof loader>();
  const q = (extra: Record<string, string>) => {
    const p = new URLSearchParams(extra);
    if (d.programParam) p.set("program", String(d.programParam));
    return `?${p}`;
  };
  return (
    <div className="page">
      <PageHeader title="報告書">
        <Link to={`/progress${d.programParam ? `?program=${d.programParam}` : ""}`}>目標の進捗を見る</Link>
      </PageHeader>
      <p>
        {d.programName}の日次・月次・完了報告書です。提出期限は営業日（土日祝日と12月29日〜1月3日を除く）で計算しています。
        {d.role === "city" ? "提出された報告書を開いて確認できます。" : "実績から自動で作成されます。内容を確かめ、備考を書いて提出してください。"}
      </p>
      {d.programs.length > 1 ? (
        <Form method="get" className="row no-print">
          <label htmlFor="program">業務</label>
          <select id="program" name="program" defaultValue={d.programId}>
            {d.programs.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <button className="button button--secondary button--small">表示する</button>
        </Form>
      ) : null}

      <section aria-labelledby="attention-h">
        <h2 id="attention-h">{d.role === "city" ? `確認待ちの報告書（${d.attention.length}件）` : `提出が必要な報告書（${d.attention.length}件）`}</h2>
        {d.attention.length === 0 ? (
          <EmptyState>{d.role === "city" ? "確認を待っている報告書はありません。" : "いま提出が必要な報告書はありません。"}</EmptyState>
        ) : (
          <ReportRows items={d.attention} caption={d.role === "city" ? "確認待ちの報告書" : "提出が必要な報告書（期限順）"} showKind />
        )}
      </section>

      {d.completion ? (
        <section aria-labelledby="completion-h">
          <h2 id="completion-h">委託業務完了報告書</h2>
          <ReportRows items={[d.completion]} caption="委託業務完了報告書" showKind />
        </section>
      ) : null}

      <section aria-labelledby="monthly-h">
        <h2 id="monthly-h">月次報告書</h2>
        {d.monthly.length === 0 ? <EmptyState>まだ対象の月がありません。</EmptyState> : <ReportRows items={d.monthly} caption="月次報告書（新しい月から）" />}
      </section>

      <section aria-labelledby="daily-h">
        <h2 id="daily-h">日次報告書{d.dailyMonth ? `（${warekiMonth(d.dailyMonth)}）` : ""}</h2>
        {d.dailyMonths.length > 1 ? (
          <nav aria-label="日次報告書の月" className="row report-months">
            {d.dailyMonths.map((m) => (
              <Link
                key={m}
                to={q({ month: m })}
                aria-current={m === d.dailyMonth ? "page" : undefined}
                className={`button button--small ${m === d.dailyMonth ? "" : "button--secondary"}`}
              >
                {warekiMonth(m)}
              </Link>
            ))}
          </nav>
        ) : null}
        {d.daily.length === 0 ? <EmptyState>実施した日がまだありません。</EmptyState> : <ReportRows items={d.daily} caption="日次報告書（新しい日から）" />}
      </section>
    </div>
  );
}
