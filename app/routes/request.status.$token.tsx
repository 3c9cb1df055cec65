import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useParams } from "@remix-run/react";
import { Fragment } from "react";
import { Field, Notice } from "~/components/ui";
import { REQUEST_STATUS_LABELS } from "~/lib/labels";
import { WhatToBringList } from "~/components/what-to-bring";
import { useWindowContact, WindowContactBlock, WindowPhone } from "~/components/window-contact";
import { NO_INDIVIDUAL_NUMBER_NOTE, WHAT_TO_BRING } from "~/lib/what-to-bring";
import { BodyTooLargeError, formObject, readFormLimited } from "~/requests/form.server";
import { cancelRequestByToken, getRequestStatus } from "~/requests/status.server";
import type { VisitStatus } from "../../db/schema";
import { PLAIN_HTML } from "~/lib/hydrate";

// Works as plain HTML: links and plain form posts, no JavaScript sent (docs/decisions/013).
export const handle = PLAIN_HTML;

/** The link is a secret: never cache, never index, never leak it in a Referer. */
const PRIVATE_HEADERS = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow" };
export const headers: HeadersFunction = () => PRIVATE_HEADERS;

export const meta: MetaFunction = () => [
  { title: "お申し込みの状況 | マイナンバーカード出張申請窓口" },
  { name: "robots", content: "noindex, nofollow" },
  { name: "referrer", content: "no-referrer" },
];

function notFound(): never {
  throw data("お申し込みが見つかりません。メールに記載されたリンクをもう一度お確かめください。", { status: 404, headers: PRIVATE_HEADERS });
}

export async function loader({ params }: LoaderFunctionArgs) {
  const status = getRequestStatus(params.token ?? "");
  if (!status) notFound();
  return { status };
}

export async function action({ request, params }: ActionFunctionArgs) {
  let form: Record<string, string>;
  try {
    form = formObject(await readFormLimited(request));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return data({ ok: false as const, errors: {} as Record<string, string>, formError: "入力された内容が大きすぎます。" }, { status: 413 });
    throw error;
  }
  const result = cancelRequestByToken(params.token ?? "", { reason: form.reason });
  if (!result) notFound();
  if (!result.ok) return data({ ...result, reason: (form.reason ?? "").slice(0, 500) }, { status: 400, headers: PRIVATE_HEADERS });
  return data({ ok: true as const }, { headers: PRIVATE_HEADERS });
}

const STEPS: { label: string; statuses: VisitStatus[] }[] = [
  { label: REQUEST_STATUS_LABELS.requested, statuses: ["requested"] },
  { label: REQUEST_STATUS_LABELS.screening, statuses: ["screening", "changes_requested"] },
  { label: REQUEST_STATUS_LABELS.awaiting_city, statuses: ["awaiting_city"] },
  { label: REQUEST_STATUS_LABELS.approved, statuses: ["approved"] },
  { label: REQUEST_STATUS_LABELS.completed, statuses: ["completed"] },
];

const STEP_TEXT: Partial<Record<VisitStatus, string>> = {
  requested: "お申し込みを受け付けました。担当者から、日程・会場・駐車場所などについてご連絡します。",
  screening: "担当者が日程や会場を調整しています。ご連絡をお待ちください。",
  changes_requested: "担当者が日程や会場を調整しています。ご連絡をお待ちください。",
  awaiting_city: "日程の案がまとまり、市の承認を待っています。承認されると訪問日が確定し、メールでお知らせします。",
  approved: "訪問日が確定しました。当日はどうぞよろしくお願いいたします。",
  completed: "訪問は終了しました。ご協力ありがとうございました。",
  cancelled: "このお申し込みは取り消されました。",
  declined: "誠に恐れ入りますが、今回は訪問を見送らせていただくことになりました。",
};

export default function RequestStatusPage() {
  const { status: s } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as
    | { ok: true }
    | { ok: false; errors: Record<string, string>; formError?: string; reason?: string }
    | undefined;
  const navigation = useNavigation();
  const params = useParams();
  const current = STEPS.findIndex((step) => step.statuses.includes(s.status));
  const ended = s.ended;
  const guide = WHAT_TO_BRING[s.mode];
  const windowContact = useWindowContact();

  return (
    <div className="page page--narrow status-page">
      <h1>お申し込みの状況</h1>
      <dl className="facts">
        <dt>受付番号</dt>
        <dd data-testid="receipt-no">{s.receiptNo}</dd>
        <dt>団体名</dt>
        <dd>{s.organisationName}</dd>
        <dt>お申し込み日時</dt>
        <dd>{s.submittedAt}</dd>
      </dl>

      {actionData?.ok ? <Notice tone="ok">お申し込みを取り消しました。確認のメールをお送りしました。</Notice> : null}

      <section aria-labelledby="now-heading" className="card">
        <h2 id="now-heading">
          現在の状況：<span data-testid="status-label">{REQUEST_STATUS_LABELS[s.status]}</span>
        </h2>
        {ended ? null : (
          <ol className="steps" aria-label="手続きの流れ">
            {STEPS.map((step, i) => (
              <li key={step.label} className={i < current ? "steps__done" : i === current ? "steps__current" : "steps__todo"} aria-current={i === current ? "step" : undefined}>
                <span className="steps__mark" aria-hidden="true">
                  {i < current ? "✓" : i + 1}
                </span>
                <span>
                  {step.label}
                  {i === current ? <span className="steps__now">（現在）</span> : i < current ? <span className="visually-hidden">（完了）</span> : null}
                </span>
              </li>
            ))}
          </ol>
        )}
        <p>{STEP_TEXT[s.status]}</p>
        {ended && s.statusReason ? (
          <p>
            理由：{s.statusReason}
            {s.cancelledAt ? <span className="muted">（{s.cancelledAt}）</span> : null}
          </p>
        ) : null}
      </section>

      {s.confirmed ? (
        <section aria-labelledby="visit-heading" className="card">
          <h2 id="visit-heading">訪問の日時と場所</h2>
          <dl className="facts">
            <dt>日時</dt>
            <dd>{s.confirmed.when}</dd>
            <dt>場所</dt>
            <dd>
              {s.confirmed.place}
              {s.confirmed.address ? <div className="small muted">{s.confirmed.address}</div> : null}
            </dd>
            <dt>申請予定人数</dt>
            <dd>{s.expectedApplicants}人</dd>
          </dl>
          {s.confirmed.hasIcs ? (
            <p>
              <a className="button button--secondary" href={`/request/status/${params.token}/ics`} download="visit.ics" rel="nofollow">
                カレンダーに追加（.ics）
              </a>
            </p>
          ) : null}
        </section>
      ) : ended ? null : (
        <section aria-labelledby="wish-heading" className="card">
          <h2 id="wish-heading">ご希望の内容</h2>
          <p className="small muted">訪問日は、担当者との調整と市の承認のあとに確定します。</p>
          <dl className="facts">
            {s.preferred.map((p, i) => (
              <Fragment key={i}>
                <dt>第{i + 1}希望日</dt>
                <dd>
                  {p.date} {p.slot}
                </dd>
              </Fragment>
            ))}
            <dt>会場</dt>
            <dd>{s.venueText}</dd>
            <dt>申請予定人数</dt>
            <dd>{s.expectedApplicants}人</dd>
          </dl>
        </section>
      )}

      {ended ? null : (
        <section aria-labelledby="bring-heading" className="card">
          <h2 id="bring-heading">当日お持ちいただくもの</h2>
          {s.showWhatToBring ? (
            <>
              <p>
                <strong>{guide.title}</strong>
              </p>
              <p>{guide.summary}</p>
              <ul>
                {guide.items.map((i) => (
                  <li key={i}>{i}</li>
                ))}
              </ul>
              <p>{guide.note}</p>
            </>
          ) : (
            <>
              <p>方式は担当者と相談して決めます。方式ごとの持ち物は次のとおりです。</p>
              {(["accept", "support"] as const).map((mode) => (
                <WhatToBringList key={mode} mode={mode} withNote />
              ))}
            </>
          )}
          <Notice tone="warn">
            <p>{NO_INDIVIDUAL_NUMBER_NOTE}</p>
          </Notice>
        </section>
      )}

      {s.canCancel && !actionData?.ok ? (
        <section aria-labelledby="cancel-heading" className="card">
          <h2 id="cancel-heading">お申し込みの取消</h2>
          <p data-testid="cancel-rule">
            {s.cancelDeadline ? (
              <>
                <strong>{s.cancelDeadline}</strong>までは、この画面から取り消せます。それ以降に取り消す場合は、窓口（電話 <WindowPhone />）までお電話ください。
              </>
            ) : (
              "訪問日が決まる前でも、この画面から取り消せます。訪問日が決まったあとは、この画面に取消の期限を表示します。"
            )}
          </p>
          <details open={actionData && !actionData.ok ? true : undefined}>
            <summary>取り消す</summary>
            <Form method="post" noValidate className="stack">
              {actionData && !actionData.ok && actionData.formError ? <Notice tone="error">{actionData.formError}</Notice> : null}
              <Field id="cancel-reason" label="取消の理由（任意）" error={actionData && !actionData.ok ? actionData.errors.reason : undefined} hint="例: 行事と重なったため">
                {(aria) => <textarea {...aria} name="reason" rows={3} maxLength={500} defaultValue={actionData && !actionData.ok ? actionData.reason : ""} />}
              </Field>
              <button type="submit" className="button button--danger" aria-disabled={navigation.state !== "idle" || undefined}>
                申し込みを取り消す
              </button>
            </Form>
          </details>
        </section>
      ) : null}
      {s.cancelClosedByDeadline && !actionData?.ok ? (
        <section aria-labelledby="cancel-heading" className="card">
          <h2 id="cancel-heading">お申し込みの取消</h2>
          <p data-testid="cancel-rule">
            この画面から取り消せる期限（<strong>{s.cancelDeadline}</strong>）を過ぎました。取り消す場合や日程を変えたい場合は、窓口（電話 <WindowPhone />、受付時間 {windowContact.windowHours}
            ）までお電話ください。受付番号をお伝えいただくとスムーズです。
          </p>
        </section>
      ) : null}
      <WindowContactBlock />
    </div>
  );
}
