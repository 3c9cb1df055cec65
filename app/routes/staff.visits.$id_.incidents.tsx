import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { audit } from "~/audit.server";
import { requirePermission } from "~/auth.server";
import { Field, KindTag, Notice, PageHeader, VisitStatusBadge } from "~/components/ui";
import { formatInstant, localDateTime } from "~/lib/dates";
import { notFound, requireId } from "~/lib/ids";
import { closeIncident, createIncident, incidentsForVisit, incidentVisitId, updateIncidentAction } from "~/onsite/incidents.server";
import { formatOccurredAt, INCIDENT_KIND_LABELS, INCIDENT_SEVERITY_LABELS, sessionWhen } from "~/onsite/labels";
import { sessionHeading } from "~/onsite/session.server";
import { IncidentState, NoIncidents, SeverityBadge } from "~/onsite/ui";
import { clientIp } from "~/request-info.server";
import { INCIDENT_KINDS, INCIDENT_SEVERITIES } from "../../db/enums";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `事故・苦情 ${data?.session.title ?? ""} | 出張申請窓口` }];

const VISIT_NOT_FOUND = "訪問が見つかりません。一覧から選び直してください。";
const INCIDENT_NOT_FOUND = "事故・苦情の記録が見つかりません。画面を再読み込みしてください。";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "visits.manage");
  const visitId = requireId(params.id, VISIT_NOT_FOUND);
  const session = sessionHeading(visitId);
  if (!session) throw notFound(VISIT_NOT_FOUND);
  // Incidents may describe residents: who looked is kept.
  audit({ userId: user.id, action: "incident.list_viewed", entity: "visit", entityId: visitId, ip: clientIp(request) });
  return { session, incidents: incidentsForVisit(visitId), nowLocal: localDateTime() };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "visits.manage");
  const visitId = requireId(params.id, VISIT_NOT_FOUND);
  if (!sessionHeading(visitId)) throw notFound(VISIT_NOT_FOUND);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const text = (k: string) => String(form.get(k) ?? "");
  if (intent === "create") {
    const result = createIncident(
      { visitId, kind: text("kind"), severity: text("severity"), occurredAt: text("occurredAt"), what: text("what"), actionTaken: text("actionTaken") },
      user,
    );
    if (!result.ok) return { intent, incidentId: null, ok: false as const, message: result.message, errors: result.errors, values: Object.fromEntries([...form].map(([k, v]) => [k, String(v)])) };
    return redirect(`/staff/visits/${visitId}/incidents?done=created&notified=${result.notified.length}#incident-${result.id}`);
  }
  if (intent === "update" || intent === "close") {
    const incidentId = requireId(form.get("incidentId"), INCIDENT_NOT_FOUND);
    if (incidentVisitId(incidentId) !== visitId) throw notFound(INCIDENT_NOT_FOUND);
    const input = { incidentId, visitId, actionTaken: text("actionTaken") };
    const result = intent === "update" ? updateIncidentAction(input, user) : closeIncident(input, user);
    if (!result.ok) return { intent, incidentId, ok: false as const, message: result.message, errors: result.errors, values: { actionTaken: text("actionTaken") } as Record<string, string> };
    return redirect(`/staff/visits/${visitId}/incidents?done=${intent === "update" ? "updated" : "closed"}#incident-${incidentId}`);
  }
  return { intent, incidentId: null, ok: false as const, message: "操作を認識できませんでした。画面を再読み込みしてください。", errors: {} as Record<string, string>, values: {} as Record<string, string> };
}

function doneMessage(done: string | null, notified: number): string | null {
  if (done === "created") {
    return notified > 0
      ? `記録しました。重大・緊急のため、総括責任者と市の職員（${notified}人）にメールで報告しました。対応が終わったら「対応完了にする」を押してください。`
      : "記録しました。";
  }
  if (done === "updated") return "とった対応を保存しました。";
  if (done === "closed") return "対応完了にしました。";
  return null;
}

export default function SessionIncidents() {
  const { session, incidents, nowLocal } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const created = result?.intent === "create" ? result : null;
  const errs = created?.errors ?? {};
  const val = (k: string, fallback = "") => created?.values?.[k] ?? fallback;
  const done = doneMessage(params.get("done"), Number(params.get("notified")) || 0);
  return (
    <div className="page incidents-page">
      <p className="small">
        <Link to={`/staff/visits/${session.id}`}>← この回のページ</Link>
      </p>
      <PageHeader title="事故・苦情">
        <KindTag kind={session.kind} />
        <VisitStatusBadge status={session.status} />
      </PageHeader>
      <p>
        <strong>{session.organisationName ?? session.title}</strong>
        <br />
        <span className="muted">
          {sessionWhen(session)}
          {session.venueName ? `・${session.venueName}` : ""}
        </span>
      </p>
      {done && !result ? <Notice tone="ok">{done}</Notice> : null}
      {result && !result.ok && !result.incidentId ? <Notice tone="error">{result.message}</Notice> : null}

      <section className="card" aria-labelledby="new-incident-h">
        <h2 id="new-incident-h">事故・苦情を記録する</h2>
        <Form method="post" noValidate>
          <fieldset aria-describedby="severity-hint">
            <legend className="required">重大度</legend>
            <p className="hint small muted" id="severity-hint">
              重大・緊急を選ぶと、記録と同時に総括責任者と市の職員へメールで報告します。対応完了にするまで「今日の仕事」と市のトップページに表示されます。
            </p>
            {INCIDENT_SEVERITIES.map((s) => (
              <label key={s} className="choice">
                <input type="radio" name="severity" value={s} defaultChecked={val("severity", "minor") === s} />
                {INCIDENT_SEVERITY_LABELS[s]}
              </label>
            ))}
            {errs.severity ? <p className="field-error">{errs.severity}</p> : null}
          </fieldset>
          <fieldset>
            <legend className="required">種類</legend>
            {INCIDENT_KINDS.map((k) => (
              <label key={k} className="choice">
                <input type="radio" name="kind" value={k} defaultChecked={val("kind", "accident") === k} />
                {INCIDENT_KIND_LABELS[k]}
              </label>
            ))}
            {errs.kind ? <p className="field-error">{errs.kind}</p> : null}
          </fieldset>
          <Field id="occurredAt" label="発生日時" required error={errs.occurredAt}>
            {(aria) => <input {...aria} type="datetime-local" name="occurredAt" defaultValue={val("occurredAt", nowLocal)} max={nowLocal} className="input--datetime" />}
          </Field>
          <Field id="what" label="何が起きたか" required error={errs.what} hint="いつ・どこで・何が起きたか。申請者の氏名や個人番号（マイナンバー）は書かないでください。">
            {(aria) => <textarea {...aria} name="what" rows={4} defaultValue={val("what")} />}
          </Field>
          <Field id="actionTaken" label="とった対応" error={errs.actionTaken} hint="まだなら空のままで構いません。あとから追記できます。">
            {(aria) => <textarea {...aria} name="actionTaken" rows={3} defaultValue={val("actionTaken")} />}
          </Field>
          <button type="submit" name="intent" value="create" className="button button--large" aria-disabled={busy || undefined}>
            記録する
          </button>
        </Form>
      </section>

      <section aria-labelledby="list-h">
        <h2 id="list-h">この回の記録（{incidents.length}件）</h2>
        {incidents.length === 0 ? <NoIncidents /> : null}
        {incidents.map((i) => {
          const mine = result && !result.ok && result.incidentId === i.id ? result : null;
          return (
            <article key={i.id} id={`incident-${i.id}`} className={`card incident${i.closedAt ? " incident--closed" : ""}`} aria-labelledby={`incident-h-${i.id}`}>
              <h3 id={`incident-h-${i.id}`} className="incident__title">
                <SeverityBadge severity={i.severity} /> {INCIDENT_KIND_LABELS[i.kind]}・{formatOccurredAt(i.occurredAt)} <IncidentState closedAt={i.closedAt} closedBy={i.closedBy} />
              </h3>
              <p className="muted small">
                記録: {i.reportedBy ?? "—"}（{formatInstant(i.createdAt)}）
              </p>
              <h4>何が起きたか</h4>
              <p className="incident-what">{i.what}</p>
              {i.closedAt ? (
                <>
                  <h4>とった対応</h4>
                  <p className="incident-what">{i.actionTaken}</p>
                </>
              ) : (
                <Form method="post" noValidate>
                  <input type="hidden" name="incidentId" value={i.id} />
                  {mine && !mine.errors.actionTaken ? <Notice tone="error">{mine.message}</Notice> : null}
                  <Field id={`actionTaken-${i.id}`} label="とった対応" error={mine?.errors.actionTaken} hint="対応完了にするには、とった対応の記録が必要です。">
                    {(aria) => <textarea {...aria} name="actionTaken" rows={3} defaultValue={mine?.values.actionTaken ?? i.actionTaken ?? ""} />}
                  </Field>
                  <div className="row">
                    <button type="submit" name="intent" value="update" className="button button--secondary" aria-disabled={busy || undefined}>
                      対応を保存
                    </button>
                    <button type="submit" name="intent" value="close" className="button" aria-disabled={busy || undefined}>
                      対応完了にする
                    </button>
                  </div>
                </Form>
              )}
              <p className="small incident__report-link">
                <Link to={`/incidents/${i.id}`}>事故報告書を開く（印刷用）</Link>
              </p>
            </article>
          );
        })}
      </section>
    </div>
  );
}
