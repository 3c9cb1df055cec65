import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { EmptyState, Field, KindTag, Notice, PageHeader, VisitStatusBadge } from "~/components/ui";
import { formatDate, formatInstant, todayInTokyo } from "~/lib/dates";
import { VISIT_MODE_LABELS } from "~/lib/labels";
import { monthDecisions, monthSessions } from "~/visits/queries.server";
import { transitionFrom } from "~/visits/lifecycle";
import { agreeMonthSchedule } from "~/visits/sessions.server";

/** Sessions the city may still agree (the lifecycle's agree_schedule). */
const AGREEABLE = transitionFrom("agree_schedule", "session");

export const meta: MetaFunction = () => [{ title: "巡回・拠点施設の月間予定 | 出張申請窓口" }];

function monthParam(url: URL): string {
  const m = url.searchParams.get("month") ?? "";
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(m) ? m : todayInTokyo().slice(0, 7);
}

function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return d.toISOString().slice(0, 7);
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "visits.approve");
  const month = monthParam(new URL(request.url));
  return { month, sessions: monthSessions(month), decisions: monthDecisions(month), prev: shiftMonth(month, -1), next: shiftMonth(month, 1) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "visits.approve");
  const form = await request.formData();
  const month = String(form.get("month") ?? "");
  const result = agreeMonthSchedule({ month, comment: String(form.get("comment") ?? ""), user });
  if (!result.ok) return { ok: false as const, message: result.message };
  return { ok: true as const, message: `${Number(month.slice(5, 7))}月の予定 ${result.count}件に合意しました。` };
}

const monthLabel = (m: string) => `${Number(m.slice(0, 4))}年${Number(m.slice(5, 7))}月`;

export default function CitySchedule() {
  const { month, sessions, decisions, prev, next } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const planned = sessions.filter((s) => AGREEABLE.includes(s.status));
  return (
    <div className="page">
      <p className="small">
        <Link to="/city">← 承認待ち一覧</Link>
      </p>
      <PageHeader title={`巡回・拠点施設の予定（${monthLabel(month)}）`}>
        <Link className="button button--secondary button--small" to={`?month=${prev}`}>
          ← {monthLabel(prev)}
        </Link>
        <Link className="button button--secondary button--small" to={`?month=${next}`}>
          {monthLabel(next)} →
        </Link>
      </PageHeader>
      {result ? <Notice tone={result.ok ? "ok" : "error"}>{result.message}</Notice> : null}

      {sessions.length === 0 ? (
        <EmptyState>この月の巡回・拠点施設の予定はありません。</EmptyState>
      ) : (
        <div className="table-wrap" role="region" aria-label={`${monthLabel(month)}の巡回・拠点施設の予定`} tabIndex={0}>
          <table>
            <caption className="visually-hidden">{monthLabel(month)}の巡回・拠点施設の予定</caption>
            <thead>
              <tr>
                <th scope="col">日付</th>
                <th scope="col">時間</th>
                <th scope="col">種類</th>
                <th scope="col">会場</th>
                <th scope="col">方式</th>
                <th scope="col">状態</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <td className="nowrap">{formatDate(s.date)}</td>
                  <td className="nowrap">
                    {s.startsAt?.slice(11, 16)}〜{s.endsAt?.slice(11, 16)}
                  </td>
                  <td>
                    <KindTag kind={s.kind} />
                  </td>
                  <td>{s.venueName ?? s.title}</td>
                  <td className="small">{VISIT_MODE_LABELS[s.mode]}</td>
                  <td>
                    <VisitStatusBadge status={s.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <section className="card" style={{ marginTop: "1rem", maxWidth: 720 }} aria-labelledby="agree-h">
        <h2 id="agree-h">この月の予定への合意</h2>
        {planned.length === 0 ? (
          <p className="muted">合意を待っている予定はありません。</p>
        ) : (
          <Form method="post" noValidate>
            <p>
              計画中の予定 <strong>{planned.length}件</strong> にまとめて合意します。合意後に受託者が予定を動かした場合は、計画中に戻り、改めて合意が必要になります。
            </p>
            <input type="hidden" name="month" value={month} />
            <Field id="comment" label="コメント（任意）">
              {(aria) => <textarea {...aria} name="comment" rows={2} />}
            </Field>
            <button className="button" aria-disabled={busy || undefined}>
              この月の予定に合意する
            </button>
          </Form>
        )}
        {decisions.length > 0 ? (
          <>
            <h3>合意の記録</h3>
            <ul>
              {decisions.map((d) => (
                <li key={d.id}>
                  {formatInstant(d.decidedAt)}・{d.decidedBy}
                  {d.comment ? `：${d.comment}` : ""}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </div>
  );
}
