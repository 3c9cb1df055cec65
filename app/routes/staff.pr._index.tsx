import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { Badge, EmptyState, FilterSelect, Notice, PageHeader, Pagination } from "~/components/ui";
import { formatDate, todayInTokyo } from "~/lib/dates";
import { notFound, requireId } from "~/lib/ids";
import { PR_MEDIUM_LABELS, PR_STATUS_LABELS, PR_WARNING_MESSAGES, prWarning, type PrWarning } from "~/onsite/labels";
import { PrForm } from "~/onsite/pr-form";
import { listPrActivities, markPrDone, prActivity, savePrActivity } from "~/onsite/pr.server";
import { PR_MEDIA } from "../../db/enums";

export const meta: MetaFunction = () => [{ title: "広報活動 | 出張申請窓口" }];

const NOT_FOUND = "広報活動の記録が見つかりません。一覧から選び直してください。";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "visits.manage");
  const q = new URL(request.url).searchParams;
  const filter = { status: q.get("status") ?? "", medium: q.get("medium") ?? "", missingApproval: q.get("approval") === "missing", page: Number(q.get("page")) || 1 };
  const warn = q.get("warn");
  return {
    today: todayInTokyo(),
    filter,
    list: listPrActivities(filter),
    saved: q.get("saved"),
    warning: warn && warn in PR_WARNING_MESSAGES ? (warn as PrWarning) : null,
    search: new URL(request.url).search,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "visits.manage");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "save") {
    const values = Object.fromEntries([...form].map(([k, v]) => [k, String(v)])) as Record<string, string>;
    const result = savePrActivity(null, values, user);
    if (!result.ok) return { intent, ok: false as const, message: result.message, errors: result.errors, values };
    return redirect(`/staff/pr?saved=created${result.warning ? `&warn=${result.warning}` : ""}#pr-${result.id}`);
  }
  if (intent === "done") {
    const id = requireId(form.get("id"), NOT_FOUND);
    if (!prActivity(id)) throw notFound(NOT_FOUND);
    const result = markPrDone({ id }, user);
    if (!result.ok) return { intent, ok: false as const, message: result.message, errors: result.errors, values: {} as Record<string, string> };
    return redirect(`/staff/pr?saved=done${result.warning ? `&warn=${result.warning}` : ""}#pr-${id}`);
  }
  return { intent, ok: false as const, message: "操作を認識できませんでした。画面を再読み込みしてください。", errors: {} as Record<string, string>, values: {} as Record<string, string> };
}

const SAVED: Record<string, string> = { created: "広報活動を記録しました。", done: "実施済にしました。", updated: "変更を保存しました。" };

export default function PrActivities() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const adding = result?.intent === "save" && !result.ok ? result : null;
  return (
    <div className="page pr-page">
      <PageHeader title="広報活動" />
      <p className="muted small">チラシ・ポスター・ホームページ・SNS・広報誌・ラジオ・イベントなどの広報・PR（仕様書 5(3)）。月次報告と完了報告に載ります。</p>
      {d.saved && SAVED[d.saved] && !result ? <Notice tone="ok">{SAVED[d.saved]}</Notice> : null}
      {d.warning && !result ? (
        <Notice tone="warn" title="市の承認を確認してください">
          <p>{PR_WARNING_MESSAGES[d.warning]}</p>
        </Notice>
      ) : null}
      {result && !result.ok ? <Notice tone="error">{result.message}</Notice> : null}
      {d.list.withoutApproval > 0 ? (
        <Notice tone="warn">
          <p>
            市の承認が記録されていない実施済の広報が{d.list.withoutApproval}件あります。{" "}
            <Link to="/staff/pr?status=done&approval=missing">表示する</Link>
          </p>
        </Notice>
      ) : null}

      <details className="card pr-add" open={!!adding || d.list.total === 0}>
        <summary>
          <strong>広報活動を追加する</strong>
          <span className="muted small">（チラシ・掲載などの予定や実施の記録）</span>
        </summary>
        <PrForm values={adding?.values ?? {}} errors={adding?.errors ?? {}} today={d.today} submitLabel="記録する" busy={busy} />
      </details>

      <Form method="get" className="row filters" role="search" aria-label="広報活動の絞り込み">
        <FilterSelect label="状態" name="status" value={d.filter.status} options={(["planned", "done"] as const).map((st) => [st, PR_STATUS_LABELS[st]] as const)} />
        <FilterSelect label="媒体" name="medium" value={d.filter.medium} options={PR_MEDIA.map((m) => [m, PR_MEDIUM_LABELS[m]] as const)} />
        <label className="choice">
          <input type="checkbox" name="approval" value="missing" defaultChecked={d.filter.missingApproval} />
          市の承認なしのみ
        </label>
        <button type="submit" className="button button--secondary">
          絞り込む
        </button>
      </Form>

      {d.list.rows.length === 0 ? (
        <EmptyState>条件に合う広報活動はありません。</EmptyState>
      ) : (
        <div className="table-wrap" role="region" aria-label={`広報活動（${d.list.total}件）`} tabIndex={0}>
          <table>
            <caption className="visually-hidden">広報活動（{d.list.total}件）</caption>
            <thead>
              <tr>
                <th scope="col">状態</th>
                <th scope="col">媒体</th>
                <th scope="col">内容</th>
                <th scope="col">日付</th>
                <th scope="col" className="num">
                  数量・到達
                </th>
                <th scope="col">市の承認</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {d.list.rows.map((r) => {
                const warning = prWarning(r);
                return (
                  <tr key={r.id} id={`pr-${r.id}`}>
                    <td className="nowrap">{r.status === "done" ? <Badge tone="ok">実施済</Badge> : <Badge tone="info">予定</Badge>}</td>
                    <td className="nowrap">{PR_MEDIUM_LABELS[r.medium]}</td>
                    <td>
                      <Link to={`/staff/pr/${r.id}`}>{r.title}</Link>
                      {r.notes ? <div className="muted small">{r.notes}</div> : null}
                    </td>
                    <td className="nowrap small">
                      {r.status === "done" ? `実施 ${formatDate(r.doneOn)}` : r.plannedOn ? `予定 ${formatDate(r.plannedOn)}` : "予定日未定"}
                    </td>
                    <td className="num nowrap">{r.reach != null ? `${r.reach.toLocaleString("ja-JP")}${r.reachUnit ?? ""}` : "—"}</td>
                    <td className="small">
                      {r.cityApprovedOn ? (
                        <>
                          {formatDate(r.cityApprovedOn)}
                          {r.cityApprovalRef ? <div className="muted">{r.cityApprovalRef}</div> : null}
                        </>
                      ) : (
                        <span className="muted">未記録</span>
                      )}
                      {warning ? (
                        <div>
                          <Badge tone="warn">
                            <span aria-hidden="true">⚠ </span>
                            {warning === "no_approval" ? "承認なしで実施" : "承認が実施より後"}
                          </Badge>
                        </div>
                      ) : null}
                    </td>
                    <td className="nowrap">
                      <div className="row row--tight">
                        <Link to={`/staff/pr/${r.id}`} className="button button--secondary button--small">
                          編集
                        </Link>
                        {r.status === "planned" ? (
                          <Form method="post" className="inline-form">
                            <input type="hidden" name="id" value={r.id} />
                            <button type="submit" name="intent" value="done" className="button button--small" aria-disabled={busy || undefined} aria-label={`「${r.title}」を今日実施済にする`}>
                              実施済にする
                            </button>
                          </Form>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">{d.list.total}件。「実施済にする」は今日の日付で実施済にします。別の日に実施したときは「編集」から実施日を入れてください。</p>
      <Pagination page={d.list.page} pageCount={d.list.pageCount} search={d.search} />
    </div>
  );
}
