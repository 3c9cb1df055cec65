import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { audit } from "~/audit.server";
import { requirePermission } from "~/auth.server";
import { Badge, EmptyState, Notice, PageHeader, Pagination } from "~/components/ui";
import { acknowledgeDeadEmail, countDeadUnacknowledged, getOutboxEmail, hasEml, listOutbox, outboxCounts, retryEmail } from "~/email/outbox.server";
import { env } from "~/env.server";
import { formatInstant } from "~/lib/dates";
import { notFound, parseId, requireId } from "~/lib/ids";
import type { Tone } from "~/lib/labels";
import { clientIp } from "~/request-info.server";
import { OUTBOX_STATES } from "../../db/enums";

export const meta: MetaFunction = () => [{ title: "メール送信状況 | 管理" }];

type OutboxState = (typeof OUTBOX_STATES)[number];
// Each state says what really happened: a kept .eml was never sent to anyone.
const STATE_LABELS: Record<OutboxState, string> = {
  pending: "送信待ち",
  sending: "送信中",
  retrying: "失敗・再試行待ち",
  sent: "送信済（SMTP）",
  kept: "未送信（SMTP未設定・.emlとして保存）",
  dead: "送信失敗（再試行の上限）",
};
const STATE_TONES: Record<OutboxState, Tone> = { pending: "info", sending: "info", retrying: "warn", sent: "ok", kept: "neutral", dead: "danger" };

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "admin.outbox");
  const url = new URL(request.url);
  const stateParam = url.searchParams.get("state");
  const state = OUTBOX_STATES.includes(stateParam as OutboxState) ? (stateParam as OutboxState) : null;
  const page = Math.max(1, Number(url.searchParams.get("page")) || 1);
  const list = listOutbox({ state, page });
  const viewId = parseId(url.searchParams.get("view"));
  let view = null as null | { id: number; toAddress: string; subject: string; text: string; state: OutboxState; hasEml: boolean; attachments: string[] };
  if (viewId != null) {
    const email = getOutboxEmail(viewId);
    if (email) {
      // Email bodies hold contacts' personal data: opening one is recorded.
      audit({ userId: admin.id, action: "outbox.view", entity: "email_outbox", entityId: email.id, ip: clientIp(request) });
      view = {
        id: email.id,
        toAddress: email.toAddress,
        subject: email.subject,
        text: email.text,
        state: email.state,
        hasEml: hasEml(email.id),
        attachments: (email.attachments ?? []).map((a) => a.filename),
      };
    }
  }
  const counts = Object.fromEntries(outboxCounts().map((c) => [c.state, c.n])) as Partial<Record<OutboxState, number>>;
  return { ...list, state, counts, view, smtpConfigured: Boolean(env().SMTP_URL), deadUnacknowledged: countDeadUnacknowledged() };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "admin.outbox");
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent !== "retry" && intent !== "acknowledge") return { error: "操作を認識できませんでした。画面を再読み込みしてお試しください。" };
  const id = requireId(form.get("id"), "メールが見つかりません。画面を再読み込みしてください。");
  if (!getOutboxEmail(id)) throw notFound("メールが見つかりません。画面を再読み込みしてください。");
  if (intent === "acknowledge") {
    if (!acknowledgeDeadEmail(id)) return { error: `メール #${id} は確認済みにできる状態ではありません。画面を再読み込みしてください。` };
    audit({ userId: admin.id, action: "outbox.acknowledge", entity: "email_outbox", entityId: id, ip: clientIp(request) });
    return { ok: `メール #${id} を確認済みにしました。` };
  }
  if (!retryEmail(id)) return { error: `メール #${id} は再送できる状態ではありません。画面を再読み込みしてください。` };
  audit({ userId: admin.id, action: "outbox.retry", entity: "email_outbox", entityId: id, ip: clientIp(request) });
  return { ok: `メール #${id} を送信待ちに戻しました。数秒以内に送信されます。` };
}

export default function AdminOutbox() {
  const { rows, total, page, pageCount, state, counts, view, smtpConfigured, deadUnacknowledged } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const withParams = (patch: Record<string, string | null>) => {
    const p = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(patch)) (v === null ? p.delete(k) : p.set(k, v));
    const s = p.toString();
    return s ? `?${s}` : "?";
  };
  return (
    <div className="page">
      <PageHeader title="メール送信状況">
        <Link to="/admin" className="button button--secondary">
          利用者の管理
        </Link>
      </PageHeader>
      {actionData && "ok" in actionData ? <Notice tone="ok">{actionData.ok}</Notice> : null}
      {actionData && "error" in actionData ? <Notice tone="error">{actionData.error}</Notice> : null}
      {smtpConfigured ? null : (
        <Notice tone="warn" title="SMTP が設定されていません">
          <p>
            メールは誰にも送信されず、.eml ファイルとして保存されるだけです（状態「{STATE_LABELS.kept}」）。実際に送るには環境変数 SMTP_URL を設定してサーバーを再起動し、保存済みのメールは「SMTPで送信する」で送ってください。
          </p>
        </Notice>
      )}
      {deadUnacknowledged > 0 ? (
        <Notice tone="error" title={`送信できなかったメールが ${deadUnacknowledged}件 あります`}>
          <p>再試行の上限まで送れなかったメールです。宛先とエラーを確認し、「再送する」か、送る必要がなければ「確認済みにする」を選んでください。</p>
        </Notice>
      ) : null}
      <nav aria-label="状態で絞り込む" className="row outbox-filter">
        <Link to={withParams({ state: null, page: null })} aria-current={state === null ? "page" : undefined} className="button button--small button--secondary">
          すべて
        </Link>
        {OUTBOX_STATES.map((s) => (
          <Link key={s} to={withParams({ state: s, page: null })} aria-current={state === s ? "page" : undefined} className="button button--small button--secondary">
            {STATE_LABELS[s]}（{counts[s] ?? 0}）
          </Link>
        ))}
      </nav>
      {view ? (
        <section className="card" aria-labelledby="view-heading" style={{ margin: "1rem 0" }}>
          <h2 id="view-heading">メール #{view.id}：{view.subject}</h2>
          <p>
            宛先: {view.toAddress} <Badge tone={STATE_TONES[view.state]}>{STATE_LABELS[view.state]}</Badge>
            {view.attachments.length ? <span className="muted"> 添付: {view.attachments.join("、")}</span> : null}
          </p>
          <pre className="outbox-text">{view.text}</pre>
          <p className="row">
            {view.hasEml ? (
              <a className="button button--secondary button--small" href={`/admin/outbox/${view.id}/eml`}>
                .eml ファイルをダウンロード
              </a>
            ) : null}
            <Link to={withParams({ view: null })} className="button button--quiet button--small">
              閉じる
            </Link>
          </p>
        </section>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState>{state ? `「${STATE_LABELS[state]}」のメールはありません。` : "まだメールはありません。"}</EmptyState>
      ) : (
        <>
          <p className="small muted">{total}件</p>
          <div className="table-wrap" role="region" aria-label="送信メール一覧" tabIndex={0}>
            <table>
              <caption className="visually-hidden">送信メール一覧</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">作成</th>
                  <th scope="col">宛先</th>
                  <th scope="col">件名</th>
                  <th scope="col">状態</th>
                  <th scope="col" className="num">
                    試行
                  </th>
                  <th scope="col">最後のエラー</th>
                  <th scope="col">操作</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td>{r.id}</td>
                    <td className="nowrap">{formatInstant(r.createdAt)}</td>
                    <td>{r.toAddress}</td>
                    <td>
                      <Link to={withParams({ view: String(r.id) })}>{r.subject}</Link>
                    </td>
                    <td className="nowrap">
                      <Badge tone={STATE_TONES[r.state]}>{STATE_LABELS[r.state]}</Badge>
                      {r.state === "sent" && r.sentAt ? <div className="small muted">送信 {formatInstant(r.sentAt)}</div> : null}
                      {r.state === "kept" && r.sentAt ? <div className="small muted">保存 {formatInstant(r.sentAt)}</div> : null}
                      {r.state === "retrying" ? <div className="small muted">次回 {formatInstant(r.nextAttemptAt)}</div> : null}
                      {r.state === "dead" && r.acknowledgedAt ? <div className="small muted">確認済み {formatInstant(r.acknowledgedAt)}</div> : null}
                    </td>
                    <td className="num">{r.attempts}</td>
                    <td className="small">{r.lastError ?? "—"}</td>
                    <td>
                      {r.state === "dead" || r.state === "retrying" || (r.state === "kept" && smtpConfigured) ? (
                        <Form method="post" className="row">
                          <input type="hidden" name="id" value={r.id} />
                          <button className="button button--small" name="intent" value="retry">
                            {r.state === "kept" ? "SMTPで送信する" : "再送する"}
                          </button>
                          {r.state === "dead" && !r.acknowledgedAt ? (
                            <button className="button button--small button--secondary" name="intent" value="acknowledge">
                              確認済みにする
                            </button>
                          ) : null}
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination page={page} pageCount={pageCount} search={location.search} />
        </>
      )}
    </div>
  );
}
