import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { audit } from "~/audit.server";
import { requirePermission } from "~/auth.server";
import { Field, KindTag, Notice, PageHeader, VisitStatusBadge } from "~/components/ui";
import { formatDate, formatInstant } from "~/lib/dates";
import { notFound, requireId } from "~/lib/ids";
import { ORGANISATION_KIND_LABELS, PARKING_LABELS, TIME_SLOT_LABELS, VISIT_KIND_LABELS, VISIT_MODE_LABELS, VISIT_STATUS_LABELS } from "~/lib/labels";
import { can } from "~/permissions";
import { clientIp } from "~/request-info.server";
import { getSettings } from "~/settings.server";
import { allowedTransitions, waitingOn, INACTIVE_STATES, isConfirmed, isMovable, requiresComment, transitionFrom, usesCar } from "~/visits/lifecycle";
import { CarSchedule, VisitHistory, WaitInfo } from "~/visits/ui";
import { DayRecordsNav, KitSection, RosterSection } from "~/visits/session-ui";
import { IncidentsSummary } from "~/onsite/ui";
import { incidentsForVisit } from "~/onsite/incidents.server";
import { PhotosSummary } from "~/visits/photos-ui";
import { photosForVisit } from "~/visits/photos.server";
import { ResultsSummary } from "~/visits/results-ui";
import { resultsSummary } from "~/visits/results.server";
import { CITY_OFFICIAL_MISSING } from "~/visits/roster";
import { kitChecklist, setKitCheck } from "~/visits/kit.server";
import { addToRoster, removeFromRoster, rosterView } from "~/visits/roster.server";
import { carSchedule, venueChoices, visitDetail, visitKindOf, waitedDays } from "~/visits/queries.server";
import { scheduleVisit } from "~/visits/scheduling.server";
import { applyTransition, shortNoticeWarning } from "~/visits/transitions.server";
import { modesFor } from "~/visits/booking";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "訪問"} | 出張申請窓口` }];

/**
 * The page of a visit or session of every kind (団体訪問・巡回・拠点施設):
 * what, when and where, the day's roster and kit, links to the day's records,
 * its operations (cancel with a reason; results complete it) and history. Group visits
 * also show their request and the scheduling form.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "visits.manage");
  const id = requireId(params.id, "訪問が見つかりません。");
  const detail = visitDetail(id);
  if (!detail) throw new Response("訪問が見つかりません。", { status: 404 });
  audit({ userId: user.id, action: "visit.view", entity: "visit", entityId: id, ip: clientIp(request) });
  const settings = getSettings();
  const v = detail.visit;
  const group = v.kind === "group";
  const days = waitedDays(v.statusChangedAt);
  const lastChangeRequest = detail.decisions.find((d) => d.decision === "changes_requested") ?? null;
  const roster = rosterView(v);
  return {
    title: group ? (detail.organisation?.name ?? v.title) : v.title,
    visit: v,
    organisation: detail.organisation ? { id: detail.organisation.id, name: detail.organisation.name, kind: detail.organisation.kind, address: detail.organisation.address } : null,
    request: detail.request,
    venueName: detail.venueName,
    venueAddress: detail.venue?.address ?? null,
    vehicle: detail.vehicle,
    usesCar: usesCar(v.kind),
    venues: group ? venueChoices(v.organisationId) : [],
    owner: detail.owner,
    decisions: detail.decisions,
    history: detail.history,
    carDay: v.date && usesCar(v.kind) ? carSchedule(v.date, v.date) : [],
    // The city's latest word was a change request and the next step is the contractor's.
    lastChangeRequest: detail.decisions[0]?.decision === "changes_requested" && waitingOn(v.status) === "staff" ? lastChangeRequest : null,
    shortNotice: group && transitionFrom("submit_for_approval", "group").includes(v.status) ? shortNoticeWarning(v.date, settings.approvalWarnDays) : undefined,
    confirmed: isConfirmed(v.status),
    headcountReapprovalPercent: settings.headcountReapprovalPercent,
    wait: { on: waitingOn(v.status), days, stale: waitingOn(v.status) != null && days > settings.approvalStaleDays, staleDays: settings.approvalStaleDays },
    actions: allowedTransitions(v.kind, v.status, user.role).map((t) => ({ name: t.name, label: t.label, requiresComment: requiresComment(t) })),
    editable: group && isMovable(v.kind, v.status),
    modes: modesFor(v.kind),
    roster,
    kit: kitChecklist(v.id),
    canKeepList: can(user.role, "staff.roster"),
    // 当日の記録: the results, incidents and photos of the session, each kept by its own module and page.
    results: resultsSummary(v.id),
    incidents: incidentsForVisit(v.id),
    photos: photosForVisit(v.id),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "visits.manage");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const visitId = requireId(params.id, "訪問が見つかりません。");
  const kind = visitKindOf(visitId);
  if (!kind) throw notFound("訪問が見つかりません。");
  if (intent === "roster_add") {
    const r = addToRoster({ visitId, staffMemberId: String(form.get("staffMemberId") ?? ""), role: String(form.get("role") ?? "") }, user);
    return r.ok ? { intent, ok: true as const, message: r.message, errors: {}, values: {} } : { intent, ok: false as const, message: r.message, errors: {}, values: {} };
  }
  if (intent === "roster_remove") {
    const entryId = Number(form.get("entryId"));
    const r = removeFromRoster({ visitId, entryId: Number.isSafeInteger(entryId) ? entryId : 0 }, user);
    return r.ok ? { intent, ok: true as const, message: r.message, errors: {}, values: {} } : { intent, ok: false as const, message: r.message, errors: {}, values: {} };
  }
  if (intent === "kit") {
    const r = setKitCheck({ visitId, itemKey: String(form.get("itemKey") ?? ""), checked: form.get("checked") === "1" }, user);
    return r.ok ? { intent, ok: true as const, message: r.message, errors: {}, values: {} } : { intent, ok: false as const, message: r.message, errors: {}, values: {} };
  }
  if (intent === "schedule" || intent === "schedule_submit") {
    const values = Object.fromEntries(form) as Record<string, string>;
    const result = scheduleVisit(
      {
        visitId,
        date: values.date ?? "",
        startTime: values.startTime ?? "",
        endTime: values.endTime ?? "",
        venueId: values.venueId || undefined,
        venueText: values.venueText?.trim() ? values.venueText : undefined,
        expectedApplicants: values.expectedApplicants,
        mode: values.mode as never,
        notes: values.notes,
        expectedVersion: values.version,
        thenSubmit: intent === "schedule_submit",
      },
      user,
    );
    if (!result.ok) return { intent, ok: false as const, message: result.message, errors: ("errors" in result ? result.errors : undefined) ?? {}, values };
    return { intent, ok: true as const, message: [result.message, result.warning].filter(Boolean).join(" "), errors: {}, values: {} };
  }
  const result = applyTransition({ visitId, transition: intent, actor: user, comment: String(form.get("comment") ?? ""), expectedVersion: Number(form.get("version")) || null });
  if (!result.ok) return { intent, ok: false as const, message: result.message, errors: { [`comment-${intent}`]: result.message }, values: {} };
  const done: Record<string, string> = {
    start_screening: "調整中にしました。",
    submit_for_approval: "市に承認を依頼しました。ラッピングカーをこの時間で確保しました。",
    cancel:
      kind === "group"
        ? "取り消しました。団体に取消のメールを送ります（市が確認した訪問は市の担当者にも知らせます）。"
        : "取り消しました。市の担当者に取消のメールを送ります。市民向けの予定表とカレンダー配信からも外れました。",
  };
  return { intent, ok: true as const, message: [done[intent] ?? "更新しました。", result.warning].filter(Boolean).join(" "), errors: {}, values: {} };
}

export default function StaffVisit() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const v = d.visit;
  const errs: Record<string, string> = result && !result.ok ? result.errors : {};
  const isScheduleIntent = result?.intent === "schedule" || result?.intent === "schedule_submit";
  const vals: Record<string, string> = result && !result.ok && isScheduleIntent ? (result.values as Record<string, string>) : {};
  const scheduleError = result && !result.ok && isScheduleIntent && Object.keys(errs).length === 0 ? result.message : null;
  // When the form is shown, submitting for approval happens from it, so what is on screen is what the city gets.
  const submitInForm = d.editable && d.actions.some((a) => a.name === "submit_for_approval");
  const group = v.kind === "group";
  const rosterError = result && !result.ok && result.intent === "roster_add" ? result.message : null;
  const otherError = result && !result.ok && !isScheduleIntent && result.intent !== "roster_add" ? result.message : null;
  // Operations: after the roster and kit for sessions (what a site lead does first), beside the scheduling form for group visits.
  const actionsCard = (
    <section className="card" aria-labelledby="actions-h">
      <h2 id="actions-h">操作</h2>
      {d.actions.length === 0 ? <p className="muted">この状態で行える操作はありません。</p> : null}
      <div className="stack">
        {d.actions
          .filter((a) => !a.requiresComment && !(submitInForm && a.name === "submit_for_approval"))
          .map((a) => (
            <Form method="post" key={a.name}>
              <input type="hidden" name="version" value={v.version} />
              {a.name === "submit_for_approval" && d.shortNotice ? <Notice tone="warn">{d.shortNotice}</Notice> : null}
              {a.name === "submit_for_approval" ? <p className="small muted">依頼すると、この時間（準備・撤去・移動を含む）でラッピングカーを確保します。</p> : null}
              <button className="button" name="intent" value={a.name} aria-disabled={busy || undefined}>
                {a.label}
              </button>
            </Form>
          ))}
        {d.actions
          .filter((a) => a.requiresComment)
          .map((a) => (
            <details key={a.name} className="danger-zone" open={!!errs[`comment-${a.name}`]}>
              <summary>{a.label}…</summary>
              <Form method="post" noValidate>
                <input type="hidden" name="version" value={v.version} />
                <Field
                  id={`comment-${a.name}`}
                  label="理由"
                  required
                  hint={a.name === "cancel" ? (group ? "記録に残り、団体（と市）へのお知らせメールに書かれます。" : "記録に残り、市へのお知らせメールに書かれます。例: 荒天のため") : "記録に残ります。"}
                  error={errs[`comment-${a.name}`]}
                >
                  {(aria) => <textarea {...aria} name="comment" rows={2} />}
                </Field>
                <button className="button button--danger" name="intent" value={a.name} aria-disabled={busy || undefined}>
                  {a.label}（確定）
                </button>
              </Form>
            </details>
          ))}
      </div>
    </section>
  );
  return (
    <div className="page session-page">
      <p className="small">
        <Link to={`/staff/visits?kind=${v.kind}`}>← {VISIT_KIND_LABELS[v.kind]}の一覧</Link>
      </p>
      <PageHeader title={d.title}>
        <KindTag kind={v.kind} />
        <VisitStatusBadge status={v.status} />
      </PageHeader>

      {d.lastChangeRequest ? (
        <div className="notice notice--warn city-comment" role="status">
          <p>
            <strong>市から修正依頼があります</strong>（{formatInstant(d.lastChangeRequest.decidedAt)}・{d.lastChangeRequest.decidedBy}）
          </p>
          <p className="city-comment__text">{d.lastChangeRequest.comment}</p>
          <p className="small">内容を直してから、もう一度「市に承認を依頼する」を押してください。</p>
        </div>
      ) : null}
      {v.status === "planned" && v.statusReason ? (
        // The city returned this session from its month (/city/schedule): the comment stays until it agrees it.
        <Notice tone="warn" title="市がこの予定を差し戻しました">
          <p className="city-comment__text">{v.statusReason}</p>
          <p className="small">予定を見直すと、市が月間予定の画面で改めて合意します。</p>
        </Notice>
      ) : null}
      {result?.ok ? <Notice tone="ok">{result.message}</Notice> : null}
      {otherError ? <Notice tone="error">{otherError}</Notice> : null}
      {scheduleError ? <Notice tone="error">{scheduleError}</Notice> : null}
      {INACTIVE_STATES.includes(v.status) ? (
        <Notice tone="warn" title={v.status === "declined" ? "市が見送りと判断しました" : "取り消されました"}>
          {v.statusReason ? <p>理由: {v.statusReason}</p> : null}
        </Notice>
      ) : null}
      {d.roster.lacksCityOfficial ? (
        <Notice tone="warn" title="本人確認を行う市職員がいません">
          <p>{CITY_OFFICIAL_MISSING}</p>
        </Notice>
      ) : null}
      {d.roster.clashes.length > 0 ? (
        <Notice tone="warn" title="体制の時間が重なっています">
          <ul className="plain-list">
            {d.roster.clashes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </Notice>
      ) : null}

      <div className="grid grid--2">
        <section className="card" aria-labelledby="facts-h">
          <h2 id="facts-h">{group ? "訪問の内容" : "予定の内容"}</h2>
          <dl className="facts">
            {group ? (
              <>
                <dt>団体</dt>
                <dd>
                  {d.organisation ? <Link to={`/staff/organisations/${d.organisation.id}`}>{d.organisation.name}</Link> : "—"}
                  {d.organisation ? <span className="muted small">（{ORGANISATION_KIND_LABELS[d.organisation.kind]}）</span> : null}
                </dd>
              </>
            ) : null}
            <dt>{group ? "訪問日時" : "日時"}</dt>
            <dd>{v.date ? `${formatDate(v.date)} ${v.startsAt?.slice(11, 16)}〜${v.endsAt?.slice(11, 16)}` : <span className="muted">未定</span>}</dd>
            <dt>会場</dt>
            <dd>
              {d.venueName || "未定"}
              {d.venueAddress ? <div className="small muted">{d.venueAddress}</div> : null}
            </dd>
            {group ? (
              <>
                <dt>申請予定人数</dt>
                <dd>{v.expectedApplicants != null ? `${v.expectedApplicants}人` : "未定"}</dd>
              </>
            ) : null}
            <dt>方式</dt>
            <dd>{VISIT_MODE_LABELS[v.mode]}</dd>
            <dt>車</dt>
            <dd>
              {d.usesCar ? (
                <>
                  {d.vehicle ? `${d.vehicle.name}${d.vehicle.plate ? `（${d.vehicle.plate}）` : ""}` : "ラッピングカー"}
                  <div className="small muted">
                    {v.holdStartsAt ? `確保 ${v.holdStartsAt.slice(11, 16)}〜${v.holdEndsAt?.slice(11, 16)}（準備・撤去・移動を含む）` : "確保なし"}
                  </div>
                </>
              ) : (
                "使いません（拠点施設）"
              )}
            </dd>
            <dt>状態</dt>
            <dd>{VISIT_STATUS_LABELS[v.status]}</dd>
            <dt>担当</dt>
            <dd>{d.owner?.name ?? "—"}</dd>
            {group || d.wait.on ? (
              <>
                <dt>待ち</dt>
                <dd>
                  <WaitInfo waitingOn={d.wait.on} days={d.wait.days} stale={d.wait.stale} staleDays={d.wait.staleDays} />
                </dd>
              </>
            ) : null}
            {!group && v.notes ? (
              <>
                <dt>メモ</dt>
                <dd>{v.notes}</dd>
              </>
            ) : null}
          </dl>
        </section>

        <div className="stack">
          <DayRecordsNav visitId={v.id} />
          {d.results ? (
            <section className="card" aria-labelledby="results-h">
              <h2 id="results-h">当日の実績</h2>
              <ResultsSummary data={d.results} formHref={`/staff/visits/${v.id}/results`} history={false} />
            </section>
          ) : null}
          <IncidentsSummary visitId={v.id} incidents={d.incidents} />
          <PhotosSummary visitId={v.id} photos={d.photos} limit={6} />
          {d.request ? (
            <section className="card" aria-labelledby="req-h">
              <h2 id="req-h">申込の内容（{d.request.receiptNo}）</h2>
              <dl className="facts">
                <dt>受付</dt>
                <dd>
                  {formatInstant(d.request.createdAt)}（{d.request.source === "web" ? "Web" : d.request.source === "phone" ? "電話" : "担当者入力"}）
                </dd>
                <dt>担当者</dt>
                <dd>
                  {d.request.contactName}・{d.request.phone}・{d.request.email}
                </dd>
                <dt>所在地</dt>
                <dd>
                  〒{d.request.postalCode} {d.request.address}
                </dd>
                <dt>希望日</dt>
                <dd>
                  <ol className="plain-list">
                    {[
                      [d.request.preferredDate1, d.request.preferredSlot1],
                      [d.request.preferredDate2, d.request.preferredSlot2],
                      [d.request.preferredDate3, d.request.preferredSlot3],
                    ]
                      .filter(([date]) => date)
                      .map(([date, slot], i) => (
                        <li key={i}>
                          第{i + 1}希望: {formatDate(date)} {slot ? TIME_SLOT_LABELS[slot as keyof typeof TIME_SLOT_LABELS] : ""}
                        </li>
                      ))}
                  </ol>
                </dd>
                <dt>会場（申込時）</dt>
                <dd>{d.request.venueText}</dd>
                <dt>駐車スペース</dt>
                <dd>{PARKING_LABELS[d.request.parking]}</dd>
                <dt>申請予定人数</dt>
                <dd>{d.request.expectedApplicants}人</dd>
                {d.request.message ? (
                  <>
                    <dt>連絡事項</dt>
                    <dd>{d.request.message}</dd>
                  </>
                ) : null}
              </dl>
            </section>
          ) : null}
        </div>
      </div>

      <div className="grid grid--2 session-day">
        <RosterSection
          entries={d.roster.entries}
          candidates={d.roster.candidates}
          editable={d.roster.editable}
          open={d.roster.open}
          hasTimes={d.roster.hasTimes}
          status={v.status}
          busy={busy}
          error={rosterError}
          canKeepList={d.canKeepList}
        />
        <KitSection items={d.kit} editable={d.roster.open} busy={busy} />
        {group ? null : actionsCard}
      </div>

      <div className="grid grid--2" style={{ marginTop: "1rem" }}>
        {d.editable ? (
          <section className="card" aria-labelledby="schedule-h">
            <h2 id="schedule-h">日程・会場の登録</h2>
            {d.confirmed ? (
              <Notice tone="warn">確定済です。日時・会場・方式を変えるか、申請予定人数を{d.headcountReapprovalPercent}%を超えて増減すると、市の再承認待ちに戻ります。</Notice>
            ) : null}
            <Form method="post" noValidate key={`${v.version}`}>
              <input type="hidden" name="version" value={v.version} />
              <Field id="date" label="訪問日" required error={errs.date}>
                {(aria) => <input {...aria} type="date" name="date" defaultValue={vals.date ?? v.date ?? d.request?.preferredDate1 ?? ""} />}
              </Field>
              <div className="row">
                <Field id="startTime" label="開始時刻" required error={errs.startTime}>
                  {(aria) => <input {...aria} type="time" name="startTime" step={900} defaultValue={vals.startTime ?? v.startsAt?.slice(11, 16) ?? "10:00"} />}
                </Field>
                <Field id="endTime" label="終了時刻" required error={errs.endTime}>
                  {(aria) => <input {...aria} type="time" name="endTime" step={900} defaultValue={vals.endTime ?? v.endsAt?.slice(11, 16) ?? "12:00"} />}
                </Field>
              </div>
              <Field id="venueId" label="会場（登録済みから選ぶ）" error={errs.venueId}>
                {(aria) => (
                  <select {...aria} name="venueId" defaultValue={vals.venueId ?? (v.venueId ? String(v.venueId) : "")}>
                    <option value="">（下の欄に入力する）</option>
                    {d.venues.map((venue) => (
                      <option key={venue.id} value={venue.id}>
                        {venue.organisationId ? "【団体の施設】" : ""}
                        {venue.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id="venueText" label="会場（入力する）" hint="団体の施設など。選択がないときに使います。" error={errs.venueText}>
                {(aria) => <input {...aria} type="text" name="venueText" defaultValue={vals.venueText ?? (v.venueId ? "" : (d.request?.venueText ?? ""))} />}
              </Field>
              <Field id="expectedApplicants" label="申請予定人数" required error={errs.expectedApplicants}>
                {(aria) => <input {...aria} type="number" inputMode="numeric" min={1} name="expectedApplicants" defaultValue={vals.expectedApplicants ?? v.expectedApplicants ?? ""} />}
              </Field>
              {d.modes.length > 1 ? (
                <Field id="mode" label="方式" required error={errs.mode}>
                  {(aria) => (
                    <select {...aria} name="mode" defaultValue={vals.mode ?? v.mode}>
                      {d.modes.map((m) => (
                        <option key={m} value={m}>
                          {VISIT_MODE_LABELS[m]}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              ) : (
                <p className="small">
                  方式: {VISIT_MODE_LABELS[d.modes[0]]}（団体訪問はこの方式で行います）
                  <input type="hidden" name="mode" value={d.modes[0]} />
                  {errs.mode ? <span className="field-error"> {errs.mode}</span> : null}
                </p>
              )}
              <Field id="notes" label="メモ（当日の注意など）" error={errs.notes}>
                {(aria) => <textarea {...aria} name="notes" rows={2} defaultValue={vals.notes ?? v.notes ?? ""} />}
              </Field>
              {submitInForm && d.shortNotice ? <Notice tone="warn">{d.shortNotice}</Notice> : null}
              <div className="row">
                <button className={submitInForm ? "button button--secondary" : "button"} name="intent" value="schedule" aria-disabled={busy || undefined}>
                  日程を保存する
                </button>
                {submitInForm ? (
                  <button className="button" name="intent" value="schedule_submit" aria-disabled={busy || undefined}>
                    保存して市に承認を依頼する
                  </button>
                ) : null}
              </div>
              {submitInForm ? <p className="small muted">承認を依頼すると、この画面の内容で保存し、その時間（準備・撤去・移動を含む）でラッピングカーを確保します。</p> : null}
            </Form>
          </section>
        ) : null}

        {group ? actionsCard : null}
      </div>

      {v.date && d.usesCar ? (
        <section aria-labelledby="car-h">
          <h2 id="car-h">当日のラッピングカー（{formatDate(v.date)}）</h2>
          <CarSchedule entries={d.carDay} currentId={v.id} caption="当日のラッピングカーの予定" linkTo={(id) => `/staff/visits/${id}`} />
        </section>
      ) : null}

      <section aria-labelledby="history-h">
        <h2 id="history-h">履歴</h2>
        <VisitHistory decisions={d.decisions} history={d.history} />
      </section>
    </div>
  );
}
