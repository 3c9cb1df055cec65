import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef, type MouseEvent } from "react";
import { requirePermission } from "~/auth.server";
import { Badge, EmptyState, Field, KindTag, PageHeader, VisitStatusBadge } from "~/components/ui";
import { formatDate, formatInstant, todayInTokyo } from "~/lib/dates";
import { parseId } from "~/lib/ids";
import { VISIT_MODE_LABELS } from "~/lib/labels";
import { monthDecisions, monthSessions } from "~/visits/queries.server";
import { transitionFrom } from "~/visits/lifecycle";
import { decideMonthSchedule } from "~/visits/sessions.server";

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

const ids = (values: FormDataEntryValue[]) => values.map((v) => parseId(String(v))).filter((id): id is number => id != null);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "visits.approve");
  const form = await request.formData();
  const month = String(form.get("month") ?? "");
  const comment = String(form.get("comment") ?? "");
  const agreeIds = ids(form.getAll("agree"));
  // The sessions the official saw: only they are decided on (one planned after the page opened is left for later).
  const shownIds = ids(form.getAll("shown"));
  if (shownIds.length === 0) return { ok: false as const, field: null, message: "判断する予定が送られていません。画面を再読み込みして、もう一度お試しください。", comment, agreeIds };
  const result = decideMonthSchedule({ month, shownIds, agreeIds, comment, user });
  if (!result.ok) return { ok: false as const, field: result.field ?? null, message: result.message, comment, agreeIds };
  const m = `${Number(month.slice(5, 7))}月の予定`;
  const message =
    result.returned === 0
      ? `${m} ${result.agreed}件に合意しました。`
      : result.agreed === 0
        ? `${m} ${result.returned}件をコメントを付けて差し戻しました。受託者の担当者が見直します。`
        : `${m} ${result.agreed}件に合意し、${result.returned}件をコメントを付けて差し戻しました。`;
  return { ok: true as const, message };
}

const monthLabel = (m: string) => `${Number(m.slice(0, 4))}年${Number(m.slice(5, 7))}月`;
const timeOf = (s: { startsAt: string | null; endsAt: string | null }) => `${s.startsAt?.slice(11, 16) ?? ""}〜${s.endsAt?.slice(11, 16) ?? ""}`;

type Session = ReturnType<typeof useLoaderData<typeof loader>>["sessions"][number];

/** Date, time, kind, venue and mode: the cells both session tables start with. */
function SessionCells({ session: s }: { session: Session }) {
  return (
    <>
      <td className="nowrap">{formatDate(s.date)}</td>
      <td className="nowrap">{timeOf(s)}</td>
      <td>
        <KindTag kind={s.kind} />
      </td>
      <td>{s.venueName ?? s.title}</td>
      <td className="small">{VISIT_MODE_LABELS[s.mode]}</td>
    </>
  );
}

function SessionTable({ sessions, caption, label }: { sessions: Session[]; caption: string; label: string }) {
  return (
    // An overflowing frame must be reachable by keyboard to scroll it.
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
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
              <SessionCells session={s} />
              <td>
                <VisitStatusBadge status={s.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function CitySchedule() {
  const { month, sessions, decisions, prev, next } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const planned = sessions.filter((s) => AGREEABLE.includes(s.status));
  const agreed = sessions.filter((s) => s.status === "agreed");
  const others = sessions.filter((s) => !AGREEABLE.includes(s.status) && s.status !== "agreed");
  const commentError = result && !result.ok && result.field === "comment" ? result.message : null;
  const statusRef = useRef<HTMLDivElement>(null);
  const commentRef = useRef<HTMLTextAreaElement>(null);
  // Focus goes to the result: the message after a decision, the comment field when it is missing.
  useEffect(() => {
    if (!result) return;
    if (result.ok) statusRef.current?.focus();
    else if (commentError) commentRef.current?.focus();
    else document.getElementById("schedule-alert")?.focus();
  }, [result, commentError]);
  // After a refused post the ticks are as the official left them; otherwise every session starts ticked.
  const ticked = result && !result.ok ? new Set(result.agreeIds) : null;
  const guard = (e: MouseEvent) => {
    // A second press while the first is on its way does nothing (the button keeps its focus).
    if (busy) e.preventDefault();
  };
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

      {/* Live regions are in the page from the start, so what is put in them is read out. */}
      <div ref={statusRef} tabIndex={-1} role="status" aria-live="polite" className="result-region">
        {result?.ok ? <div className="notice notice--ok">{result.message}</div> : null}
      </div>
      <div id="schedule-alert" tabIndex={-1} role="alert" className="result-region">
        {/* A missing comment is explained under the field; this says where to look. */}
        {result && !result.ok ? (
          <div className="notice notice--error">{commentError ? "差し戻す予定があるため、コメントが必要です。「コメント」欄の下の説明を確認してください。" : result.message}</div>
        ) : null}
      </div>

      {sessions.length === 0 ? <EmptyState>この月の巡回・拠点施設の予定はありません。</EmptyState> : null}

      <section className="card" aria-labelledby="planned-h">
        <h2 id="planned-h">合意を待っている予定（計画中） {planned.length}件</h2>
        {planned.length === 0 ? (
          <p className="muted">合意を待っている予定はありません。</p>
        ) : (
          <Form method="post" noValidate className="schedule-form" key={result?.ok ? `done-${decisions.length}` : "form"}>
            <p>
              合意する予定にチェックを入れてください。チェックを外した予定は、コメントを付けて受託者に差し戻します（計画中のまま残り、受託者が見直した後に改めて合意できます）。合意後に受託者が予定を動かした場合も計画中に戻り、改めて合意が必要になります。
            </p>
            <input type="hidden" name="month" value={month} />
            <div className="table-wrap" tabIndex={0} role="region" aria-label="合意を待っている予定の一覧">
              <table>
                <caption className="visually-hidden">{monthLabel(month)}の合意を待っている予定</caption>
                <thead>
                  <tr>
                    <th scope="col">合意する</th>
                    <th scope="col">日付</th>
                    <th scope="col">時間</th>
                    <th scope="col">種類</th>
                    <th scope="col">会場</th>
                    <th scope="col">方式</th>
                    <th scope="col">前回の差し戻し</th>
                  </tr>
                </thead>
                <tbody>
                  {planned.map((s) => {
                    const id = `agree-${s.id}`;
                    return (
                      <tr key={s.id}>
                        <td className="schedule-choice">
                          <input type="hidden" name="shown" value={s.id} />
                          <input id={id} type="checkbox" name="agree" value={s.id} defaultChecked={ticked ? ticked.has(s.id) : true} />
                          <label htmlFor={id} className="visually-hidden">
                            {formatDate(s.date)} {timeOf(s)} {s.venueName ?? s.title} に合意する
                          </label>
                        </td>
                        <SessionCells session={s} />
                        <td className="small">{s.statusReason ?? ""}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Field
              id="comment"
              label="コメント（差し戻す予定があるときは必須）"
              hint="チェックを外した予定があるときは、差し戻す理由や直してほしい点を書いてください。すべて合意するときは任意です。"
              error={commentError}
            >
              {(aria) => <textarea {...aria} ref={commentRef} name="comment" rows={3} defaultValue={result && !result.ok ? result.comment : ""} />}
            </Field>
            <button className="button" aria-disabled={busy || undefined} onClick={guard}>
              チェックした予定に合意する（外した予定は差し戻す）
            </button>
          </Form>
        )}
      </section>

      <section aria-labelledby="agreed-h">
        <h2 id="agreed-h">合意済みの予定 {agreed.length}件</h2>
        {agreed.length === 0 ? <p className="muted">合意済みの予定はありません。</p> : <SessionTable sessions={agreed} caption={`${monthLabel(month)}の合意済みの予定`} label="合意済みの予定の一覧" />}
      </section>

      {others.length > 0 ? (
        <section aria-labelledby="others-h">
          <h2 id="others-h">実施済・取消の予定 {others.length}件</h2>
          <SessionTable sessions={others} caption={`${monthLabel(month)}の実施済・取消の予定`} label="実施済・取消の予定の一覧" />
        </section>
      ) : null}

      {decisions.length > 0 ? (
        <section aria-labelledby="decisions-h">
          <h2 id="decisions-h">この月の判断の記録</h2>
          <ul>
            {decisions.map((d) => (
              <li key={d.id}>
                <Badge tone={d.decision === "agreed" ? "ok" : "warn"}>{d.decision === "agreed" ? `合意 ${d.count}件` : `差し戻し ${d.count}件`}</Badge> {formatInstant(d.decidedAt)}・{d.decidedBy}
                {d.comment ? `：${d.comment}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
