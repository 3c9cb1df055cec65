import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { audit } from "~/audit.server";
import { requirePermission } from "~/auth.server";
import { Badge, Field, KindTag, Notice, PageHeader, VisitStatusBadge } from "~/components/ui";
import { formatDate, formatInstant } from "~/lib/dates";
import { requireId } from "~/lib/ids";
import { ORGANISATION_KIND_LABELS, PARKING_LABELS, VISIT_MODE_LABELS } from "~/lib/labels";
import { clientIp } from "~/request-info.server";
import { allowedTransitions, waitingOn } from "~/visits/lifecycle";
import { CarSchedule, VisitHistory, WaitInfo } from "~/visits/ui";
import { carSchedule, visitDetail, visitKindOf, waitedDays, weekOf } from "~/visits/queries.server";
import { applyTransition, shortNoticeWarning } from "~/visits/transitions.server";
import { CITY_OFFICIAL_MISSING_FOR_CITY } from "~/visits/roster";
import { visitLacksCityOfficial } from "~/visits/roster.server";
import { getSettings } from "~/settings.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "訪問"}の承認 | 出張申請窓口` }];

function notFound(): never {
  throw new Response("訪問が見つかりません。", { status: 404 });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "visits.approve");
  const id = requireId(params.id, "訪問が見つかりません。");
  const detail = Number.isInteger(id) ? visitDetail(id) : null;
  if (!detail || detail.visit.kind !== "group") notFound();
  // The organisation's contact details are personal data: every view is traceable.
  audit({ userId: user.id, action: "visit.view", entity: "visit", entityId: id, ip: clientIp(request) });
  const { visit } = detail;
  const settings = getSettings();
  const week = visit.date ? weekOf(visit.date) : null;
  const days = waitedDays(visit.statusChangedAt);
  return {
    title: detail.organisation?.name ?? visit.title,
    visit,
    organisation: detail.organisation ? { name: detail.organisation.name, kind: detail.organisation.kind, address: detail.organisation.address } : null,
    request: detail.request
      ? {
          receiptNo: detail.request.receiptNo,
          contactName: detail.request.contactName,
          phone: detail.request.phone,
          parking: detail.request.parking,
          message: detail.request.message,
          venueText: detail.request.venueText,
          createdAt: detail.request.createdAt,
        }
      : null,
    venueName: detail.venueName,
    owner: detail.owner,
    decisions: detail.decisions,
    history: detail.history,
    carDay: visit.date ? carSchedule(visit.date, visit.date) : [],
    carWeek: week ? carSchedule(week.from, week.to) : [],
    week,
    wait: { on: waitingOn(visit.status), days, stale: days > settings.approvalStaleDays, staleDays: settings.approvalStaleDays },
    shortNotice: waitingOn(visit.status) === "city" ? shortNoticeWarning(visit.date, settings.approvalWarnDays) : undefined,
    actions: allowedTransitions(visit.kind, visit.status, user.role).map((t) => t.name),
    // 受付方式: identity checks are the city's; say so before the city decides.
    lacksCityOfficial: visitLacksCityOfficial(visit),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "visits.approve");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (!["approve", "request_changes", "decline"].includes(intent)) {
    return { ok: false as const, intent, message: "操作を認識できませんでした。画面を再読み込みしてお試しください。", comment: "" };
  }
  const visitId = requireId(params.id, "訪問が見つかりません。");
  if (visitKindOf(visitId) !== "group") notFound();
  const comment = String(form.get(intent === "decline" ? "declineReason" : "comment") ?? "");
  // applyTransition checks the role again: only city officials decide (separation of duties).
  const result = applyTransition({
    visitId,
    transition: intent,
    actor: user,
    comment,
    expectedVersion: Number(form.get("version")) || null,
  });
  if (!result.ok) return { ok: false as const, intent, message: result.message, comment };
  const done = { approve: "承認しました。団体に確定の案内メールを送ります。", request_changes: "修正を依頼しました。受託者の担当者に伝わります。", decline: "見送りとしました。団体にお知らせのメールを送ります。" } as const;
  return { ok: true as const, intent, message: done[intent as keyof typeof done] };
}

export default function CityVisit() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const v = d.visit;
  const canDecide = d.actions.includes("approve");
  const commentError = result && !result.ok && result.intent === "request_changes" ? result.message : null;
  const declineError = result && !result.ok && result.intent === "decline" ? result.message : null;
  return (
    <div className="page">
      <p className="small">
        <Link to="/city">← 承認待ち一覧</Link>
      </p>
      <PageHeader title={d.title}>
        <KindTag kind={v.kind} />
        <VisitStatusBadge status={v.status} />
      </PageHeader>

      {result?.ok ? (
        <Notice tone="ok" title={result.message}>
          <p>
            <Link to="/city">承認待ち一覧に戻る</Link>
          </p>
        </Notice>
      ) : null}
      {result && !result.ok && !commentError && !declineError ? <Notice tone="error">{result.message}</Notice> : null}
      {d.lacksCityOfficial ? (
        <Notice tone="warn" title="本人確認を行う市職員が決まっていません">
          <p>{CITY_OFFICIAL_MISSING_FOR_CITY}</p>
        </Notice>
      ) : null}

      <div className="grid grid--2">
        <section className="card" aria-labelledby="facts-h">
          <h2 id="facts-h">訪問の内容</h2>
          <dl className="facts">
            <dt>団体</dt>
            <dd>
              {d.organisation?.name}
              {d.organisation ? <span className="muted small">（{ORGANISATION_KIND_LABELS[d.organisation.kind]}）</span> : null}
            </dd>
            <dt>訪問日時</dt>
            <dd>
              {v.date ? (
                <strong>
                  {formatDate(v.date)} {v.startsAt?.slice(11, 16)}〜{v.endsAt?.slice(11, 16)}
                </strong>
              ) : (
                <span className="muted">未定</span>
              )}
            </dd>
            <dt>会場</dt>
            <dd>{d.venueName || "未定"}</dd>
            <dt>申請予定人数</dt>
            <dd>{v.expectedApplicants != null ? `${v.expectedApplicants}人` : "未定"}</dd>
            <dt>方式</dt>
            <dd>{VISIT_MODE_LABELS[v.mode]}</dd>
            <dt>駐車スペース</dt>
            <dd>{d.request ? PARKING_LABELS[d.request.parking] : "—"}</dd>
            <dt>所在地</dt>
            <dd>{d.organisation?.address ?? "—"}</dd>
            {d.request ? (
              <>
                <dt>受付番号</dt>
                <dd>
                  {d.request.receiptNo}（{formatInstant(d.request.createdAt)} 受付）
                </dd>
                <dt>団体の担当者</dt>
                <dd>
                  {d.request.contactName}・{d.request.phone}
                </dd>
                {d.request.message ? (
                  <>
                    <dt>連絡事項</dt>
                    <dd>{d.request.message}</dd>
                  </>
                ) : null}
              </>
            ) : null}
            <dt>受託者の担当</dt>
            <dd>{d.owner?.name ?? "—"}</dd>
            <dt>待ち</dt>
            <dd>
              <WaitInfo waitingOn={d.wait.on} days={d.wait.days} stale={d.wait.stale} staleDays={d.wait.staleDays} />
            </dd>
          </dl>
        </section>

        <section className="card decision" aria-labelledby="decide-h">
          <h2 id="decide-h">判断</h2>
          {d.shortNotice ? <Notice tone="warn">{d.shortNotice}</Notice> : null}
          {canDecide ? (
            <>
              <Form method="post" noValidate>
                <input type="hidden" name="version" value={v.version} />
                <Field id="comment" label="コメント" hint="承認では任意です。修正を依頼するときは、何をどう直してほしいかを書いてください。" error={commentError}>
                  {(aria) => <textarea {...aria} name="comment" rows={4} defaultValue={result && !result.ok && result.intent !== "decline" ? (result.comment ?? "") : ""} />}
                </Field>
                <div className="row">
                  <button className="button" name="intent" value="approve" aria-disabled={busy || undefined}>
                    承認する
                  </button>
                  <button className="button button--secondary" name="intent" value="request_changes" aria-disabled={busy || undefined}>
                    修正を依頼する
                  </button>
                </div>
              </Form>
              <details className="danger-zone" open={!!declineError}>
                <summary>見送る（この訪問を実施しない）</summary>
                <Form method="post" noValidate>
                  <input type="hidden" name="version" value={v.version} />
                  <Field id="declineReason" label="見送りの理由" required hint="団体にもお知らせします。" error={declineError}>
                    {(aria) => <textarea {...aria} name="declineReason" rows={3} />}
                  </Field>
                  <button className="button button--danger" name="intent" value="decline" aria-disabled={busy || undefined}>
                    見送りを確定する
                  </button>
                </Form>
              </details>
            </>
          ) : (
            <p className="muted">
              この訪問はいま市の判断を待っていません（<VisitStatusBadge status={v.status} />）。
              {v.statusReason ? (
                <>
                  <br />
                  理由・コメント: {v.statusReason}
                </>
              ) : null}
            </p>
          )}
        </section>
      </div>

      <section aria-labelledby="car-h">
        <h2 id="car-h">ラッピングカーの予定</h2>
        {v.date ? (
          <>
            <h3>当日（{formatDate(v.date)}）</h3>
            <CarSchedule entries={d.carDay} currentId={v.id} caption="当日のラッピングカーの予定" linkTo={(id, kind) => (kind === "group" ? `/city/visits/${id}` : null)} />
            {d.week ? (
              <>
                <h3>
                  その週（{formatDate(d.week.from)}〜{formatDate(d.week.to)}）
                </h3>
                <CarSchedule entries={d.carWeek} currentId={v.id} caption="その週のラッピングカーの予定" linkTo={(id, kind) => (kind === "group" ? `/city/visits/${id}` : null)} />
              </>
            ) : null}
          </>
        ) : (
          <p className="muted">訪問日が決まると表示されます。</p>
        )}
      </section>

      <section aria-labelledby="history-h">
        <h2 id="history-h">これまでの経過</h2>
        <VisitHistory decisions={d.decisions} history={d.history} />
      </section>
      {d.decisions.length > 0 ? (
        <p className="small muted">
          <Badge>記録</Badge> 市の判断は追記のみで、後から書き換えられません。
        </p>
      ) : null}
    </div>
  );
}
