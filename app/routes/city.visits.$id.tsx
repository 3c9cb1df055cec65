import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { audit } from "~/audit.server";
import { requirePermission } from "~/auth.server";
import { Badge, Field, KindTag, Notice, PageHeader, VisitStatusBadge } from "~/components/ui";
import { formatDate, formatInstant } from "~/lib/dates";
import { requireId } from "~/lib/ids";
import { ORGANISATION_KIND_LABELS, PARKING_LABELS, TIME_SLOT_LABELS, VISIT_MODE_LABELS } from "~/lib/labels";
import { clientIp } from "~/request-info.server";
import { allowedTransitions, waitingOn } from "~/visits/lifecycle";
import { CarSchedule, VisitHistory, WaitInfo } from "~/visits/ui";
import { carSchedule, visitDetail, visitKindOf, waitedDays, weekOf } from "~/visits/queries.server";
import { applyTransition, shortNoticeWarning } from "~/visits/transitions.server";
import { CITY_OFFICIAL_MISSING_FOR_CITY } from "~/visits/roster";
import { visitLacksCityOfficial } from "~/visits/roster.server";
import { getSettings } from "~/settings.server";

type TimeSlot = keyof typeof TIME_SLOT_LABELS;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "訪問"}の承認 | 出張申請窓口` }];

function notFound(): never {
  throw new Response("訪問が見つかりません。", { status: 404 });
}

/** Timeline kinds the city reads: the request, decisions, stages, results and roster changes (not staff's call notes). */
const CITY_HISTORY_KINDS = new Set(["request", "approval", "stage_change", "result", "audit"]);

/**
 * The visit's history as the city sees it: staff's own notes left out, and
 * the contact's name and phone blanked wherever they still appear (a proposal
 * applied from the request lists them), so the page never carries them unasked.
 */
function cityHistory<T extends { kind: string; summary: string; body: string | null }>(history: T[], request: { contactName: string; phone: string } | null): T[] {
  const secrets = request ? [request.contactName, request.contactName.replace(/\s+/g, ""), request.phone, request.phone.replace(/\D/g, "")].filter((x) => x.length >= 2) : [];
  const blank = (text: string) => secrets.reduce((t, x) => t.split(x).join("（連絡先）"), text);
  return history.filter((h) => CITY_HISTORY_KINDS.has(h.kind)).map((h) => ({ ...h, summary: blank(h.summary), body: h.body == null ? null : blank(h.body) }));
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
    // The organisation's wishes from its request (never the contact's name or phone: see the show_contact intent).
    request: detail.request
      ? {
          receiptNo: detail.request.receiptNo,
          createdAt: detail.request.createdAt,
          source: detail.request.source,
          preferred: [
            { date: detail.request.preferredDate1, slot: detail.request.preferredSlot1 },
            { date: detail.request.preferredDate2, slot: detail.request.preferredSlot2 },
            { date: detail.request.preferredDate3, slot: detail.request.preferredSlot3 },
          ].filter((p): p is { date: string; slot: TimeSlot } => !!p.date && !!p.slot),
          venueText: detail.request.venueText,
          expectedApplicants: detail.request.expectedApplicants,
          parking: detail.request.parking,
          message: detail.request.message,
        }
      : null,
    venueName: detail.venueName,
    owner: detail.owner,
    decisions: detail.decisions,
    history: cityHistory(detail.history, detail.request),
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
  if (intent === "show_contact") return showContact(request, params.id);
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

/**
 * 「連絡先を表示」: the request's contact person, only when asked. The request
 * form promises the details are used to arrange the visit, so the page never
 * carries them by default; each look is audited (who, when, which visit).
 */
async function showContact(request: Request, rawId: string | undefined) {
  const user = await requirePermission(request, "visits.contact");
  const visitId = requireId(rawId, "訪問が見つかりません。");
  const detail = visitDetail(visitId);
  if (!detail || detail.visit.kind !== "group") notFound();
  if (!detail.request) return { ok: false as const, intent: "show_contact", message: "この訪問には申込時の連絡先がありません。受託者の担当者にお問い合わせください。", comment: "" };
  audit({ userId: user.id, action: "visit.contact_view", entity: "visit", entityId: visitId, detail: { receiptNo: detail.request.receiptNo }, ip: clientIp(request) });
  return { ok: true as const, intent: "show_contact", message: "連絡先を表示しました（表示したことは記録されます）。", contact: { name: detail.request.contactName, phone: detail.request.phone } };
}

export default function CityVisit() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const v = d.visit;
  const canDecide = d.actions.includes("approve");
  const decision = result && result.intent !== "show_contact" ? result : undefined;
  const contactResult = result && result.intent === "show_contact" ? result : undefined;
  const contact = contactResult?.ok && "contact" in contactResult ? contactResult.contact : null;
  const commentError = decision && !decision.ok && decision.intent === "request_changes" ? decision.message : null;
  const declineError = decision && !decision.ok && decision.intent === "decline" ? decision.message : null;
  const resultRef = useRef<HTMLDivElement>(null);
  const contactRef = useRef<HTMLDivElement>(null);
  // After an action, focus goes to what it produced: the result message, the field to fix, or the contact shown.
  useEffect(() => {
    if (!result) return;
    if (result.intent === "show_contact") contactRef.current?.focus();
    else if (commentError) document.getElementById("comment")?.focus();
    else if (declineError) document.getElementById("declineReason")?.focus();
    else resultRef.current?.focus();
  }, [result, commentError, declineError]);
  // Which of the organisation's wishes the proposed date meets (「第1希望」).
  const wishNo = v.date && d.request ? d.request.preferred.findIndex((p) => p.date === v.date) + 1 : 0;
  const busyGuard = (e: React.MouseEvent) => {
    // A second press while the first is on its way does nothing (the button keeps its focus).
    if (busy) e.preventDefault();
  };
  return (
    <div className="page">
      <p className="small">
        <Link to="/city">← 承認待ち一覧</Link>
      </p>
      <PageHeader title={d.title}>
        <KindTag kind={v.kind} />
        <VisitStatusBadge status={v.status} />
      </PageHeader>

      {/* Live regions are in the page from the start, so what is put in them is read out. */}
      <div ref={resultRef} tabIndex={-1} role="status" aria-live="polite" className="result-region">
        {decision?.ok ? (
          <div className="notice notice--ok">
            <p>
              <strong>{decision.message}</strong>
            </p>
            <p>
              <Link to="/city">承認待ち一覧に戻る</Link>
            </p>
          </div>
        ) : null}
      </div>
      <div role="alert" className="result-region">
        {decision && !decision.ok && !commentError && !declineError ? <div className="notice notice--error">{decision.message}</div> : null}
        {/* The field's own message sits under the field; this one says where to look. */}
        {commentError || declineError ? (
          <div className="notice notice--error">{commentError ? "入力内容を確認してください。「コメント」欄の下に、直し方を表示しています。" : "入力内容を確認してください。「見送りの理由」欄の下に、直し方を表示しています。"}</div>
        ) : null}
      </div>
      {d.lacksCityOfficial ? (
        <Notice tone="warn" title="本人確認を行う市職員が決まっていません">
          <p>{CITY_OFFICIAL_MISSING_FOR_CITY}</p>
        </Notice>
      ) : null}

      <div className="wishes-vs-plan">
        <section className="card" aria-labelledby="facts-h">
          <h2 id="facts-h">判断する内容（受託者の提案）</h2>
          <dl className="facts">
            <dt>団体</dt>
            <dd>
              {d.organisation?.name}
              {d.organisation ? <span className="muted small">（{ORGANISATION_KIND_LABELS[d.organisation.kind]}）</span> : null}
            </dd>
            <dt>訪問日時</dt>
            <dd>
              {v.date ? (
                <>
                  <strong>
                    {formatDate(v.date)} {v.startsAt?.slice(11, 16)}〜{v.endsAt?.slice(11, 16)}
                  </strong>
                  {d.request ? (
                    <span className="small"> {wishNo > 0 ? <Badge tone="ok">{`第${wishNo}希望の日`}</Badge> : <Badge tone="warn">希望日以外</Badge>}</span>
                  ) : null}
                </>
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
            <dt>所在地</dt>
            <dd>{d.organisation?.address ?? "—"}</dd>
            <dt>受託者の担当</dt>
            <dd>{d.owner?.name ?? "—"}</dd>
            <dt>待ち</dt>
            <dd>
              <WaitInfo waitingOn={d.wait.on} days={d.wait.days} stale={d.wait.stale} staleDays={d.wait.staleDays} />
            </dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="wishes-h">
          <h2 id="wishes-h">団体の希望（申込時）</h2>
          {d.request ? (
            <dl className="facts">
              <dt>希望日</dt>
              <dd>
                <ol>
                  {d.request.preferred.map((p, i) => (
                    <li key={i}>
                      第{i + 1}希望: {formatDate(p.date)} {TIME_SLOT_LABELS[p.slot]}
                    </li>
                  ))}
                </ol>
              </dd>
              <dt>会場の希望</dt>
              <dd>{d.request.venueText || "—"}</dd>
              <dt>申請予定人数</dt>
              <dd>{d.request.expectedApplicants}人</dd>
              <dt>駐車スペース</dt>
              <dd>{PARKING_LABELS[d.request.parking]}</dd>
              <dt>連絡事項</dt>
              <dd className="prewrap">{d.request.message || <span className="muted">なし</span>}</dd>
              <dt>受付番号</dt>
              <dd>
                {d.request.receiptNo}（{formatInstant(d.request.createdAt)} 受付）
              </dd>
            </dl>
          ) : (
            <p className="muted">この訪問には団体からの申込の記録がありません（受託者が登録した訪問です）。</p>
          )}
        </section>
      </div>

      <div className="grid grid--2">
        <section className="card decision" aria-labelledby="decide-h">
          <h2 id="decide-h">判断</h2>
          {d.shortNotice ? <Notice tone="warn">{d.shortNotice}</Notice> : null}
          {canDecide ? (
            <>
              <Form method="post" noValidate>
                <input type="hidden" name="version" value={v.version} />
                <Field id="comment" label="コメント" hint="承認では任意です。修正を依頼するときは、何をどう直してほしいかを書いてください。" error={commentError}>
                  {(aria) => <textarea {...aria} name="comment" rows={4} defaultValue={decision && !decision.ok && decision.intent !== "decline" ? (decision.comment ?? "") : ""} />}
                </Field>
                <div className="row">
                  <button className="button" name="intent" value="approve" aria-disabled={busy || undefined} onClick={busyGuard}>
                    承認する
                  </button>
                  <button className="button button--secondary" name="intent" value="request_changes" aria-disabled={busy || undefined} onClick={busyGuard}>
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
                  <button className="button button--danger" name="intent" value="decline" aria-disabled={busy || undefined} onClick={busyGuard}>
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

        <section className="card contact-reveal" aria-labelledby="contact-h">
          <h2 id="contact-h">団体の連絡先</h2>
          <div ref={contactRef} tabIndex={-1} aria-live="polite">
            {contact ? (
              <dl className="facts">
                <dt>担当者氏名</dt>
                <dd>{contact.name}</dd>
                <dt>電話番号</dt>
                <dd>
                  <a href={`tel:${contact.phone.replace(/[^\d+]/g, "")}`}>{contact.phone}</a>
                </dd>
              </dl>
            ) : contactResult && !contactResult.ok ? (
              <p>{contactResult.message}</p>
            ) : null}
          </div>
          {contact ? (
            <p className="small muted">表示したことは操作記録に残ります。</p>
          ) : d.request ? (
            <Form method="post">
              <p className="small muted">担当者の氏名と電話番号は、訪問の調整に必要なときだけ表示してください。表示すると、誰がいつ表示したかが記録されます。</p>
              <button className="button button--secondary" name="intent" value="show_contact" aria-disabled={busy || undefined} onClick={busyGuard}>
                連絡先を表示
              </button>
            </Form>
          ) : (
            <p className="muted">申込時の連絡先はありません。</p>
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
