import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { env } from "~/env.server";
import { formatWareki, localDateTime, todayInTokyo, weekday } from "~/lib/dates";
import { notFound, requireId } from "~/lib/ids";
import { VISIT_KIND_LABELS, VISIT_MODE_LABELS } from "~/lib/labels";
import { auditIncidentView, incidentReport } from "~/onsite/incidents.server";
import { INCIDENT_KIND_LABELS, INCIDENT_SEVERITY_LABELS } from "~/onsite/labels";
import { can } from "~/permissions";
import { clientIp } from "~/request-info.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `事故報告書 ${data ? `第${data.incident.id}号` : ""} | 出張申請窓口` }];

const NOT_FOUND = "事故報告書が見つかりません。一覧から開き直してください。";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "incidents.view");
  const id = requireId(params.id, NOT_FOUND);
  const report = incidentReport(id);
  if (!report) throw notFound(NOT_FOUND);
  auditIncidentView(id, user.id, clientIp(request));
  return {
    ...report,
    today: todayInTokyo(),
    contractor: env().MAIL_FROM.replace(/\s*<.*>$/, ""),
    // Staff go back to the session's incidents; the city to its home page.
    backTo: can(user.role, "visits.manage") ? `/staff/visits/${report.incident.visitId}/incidents` : "/city",
  };
}

const WEEKDAYS = ["日", "月", "火", "水", "木", "金", "土"];

/** 令和8年12月1日(火) — officials expect the Japanese era on documents. */
function warekiDay(ymd: string | null | undefined): string {
  if (!ymd) return "";
  return `${formatWareki(ymd)}(${WEEKDAYS[weekday(ymd.slice(0, 10))]})`;
}

/** 令和8年12月1日(火) 10時40分 from a local `YYYY-MM-DDTHH:mm` (the day and the time each kept on one line). */
function WarekiDateTime({ local }: { local: string }) {
  return (
    <>
      <span className="nowrap">{warekiDay(local.slice(0, 10))}</span> <span className="nowrap">{`${Number(local.slice(11, 13))}時${local.slice(14, 16)}分`}</span>
    </>
  );
}

export default function IncidentReport() {
  const { incident: i, session: s, programName, today, contractor, backTo } = useLoaderData<typeof loader>();
  const sessionTime = s.startsAt ? `${warekiDay(s.date)} ${s.startsAt.slice(11, 16)}${s.endsAt ? `〜${s.endsAt.slice(11, 16)}` : ""}` : s.date ? warekiDay(s.date) : "日程未定";
  return (
    <div className="page report-page">
      <div className="no-print report-tools">
        <Link to={backTo}>← 戻る</Link>
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          印刷する
        </button>
        <span className="muted small">ブラウザの印刷機能（Ctrl+P / ⌘P）でも印刷できます。A4縦で印刷されます。</span>
      </div>
      <article className="report-sheet" aria-labelledby="report-h">
        <p className="report-sheet__date">{formatWareki(today)}</p>
        <p className="report-sheet__to">発注者　様</p>
        <p className="report-sheet__from">
          受注者　{contractor}
          <br />
          報告者　{i.reportedBy ?? "—"}
        </p>
        <h1 id="report-h" className="report-sheet__title">
          事故報告書
        </h1>
        <p>{programName}の履行に関して、次のとおり事故等が発生しましたので報告します。</p>
        <table className="report-table">
          <tbody>
            <tr>
              <th scope="row">報告番号</th>
              <td>第{i.id}号</td>
            </tr>
            <tr>
              <th scope="row">区分</th>
              <td>
                {INCIDENT_KIND_LABELS[i.kind]}（重大度: {INCIDENT_SEVERITY_LABELS[i.severity]}）
              </td>
            </tr>
            <tr>
              <th scope="row">発生日時</th>
              <td>
                <WarekiDateTime local={i.occurredAt} />
              </td>
            </tr>
            <tr>
              <th scope="row">発生場所</th>
              <td>
                {s.venueName || "—"}
                {s.venueAddress ? <span className="report-sub">{s.venueAddress}</span> : null}
              </td>
            </tr>
            <tr>
              <th scope="row">実施内容</th>
              <td>
                {VISIT_KIND_LABELS[s.kind]}（{VISIT_MODE_LABELS[s.mode]}）
                <span className="report-sub">
                  {s.organisationName ?? s.title}・{sessionTime}
                </span>
              </td>
            </tr>
            <tr>
              <th scope="row">事故等の概要</th>
              <td className="report-text">{i.what}</td>
            </tr>
            <tr>
              <th scope="row">対応の内容</th>
              <td className="report-text">{i.actionTaken || "（記録なし）"}</td>
            </tr>
            <tr>
              <th scope="row">対応状況</th>
              <td>
                {i.closedAt ? (
                  <>
                    対応完了（<WarekiDateTime local={localDateTime(new Date(i.closedAt))} />・{i.closedBy ?? "—"}）
                  </>
                ) : (
                  "対応中"
                )}
              </td>
            </tr>
            <tr>
              <th scope="row">記録日時</th>
              <td>
                <WarekiDateTime local={localDateTime(new Date(i.createdAt))} />（{i.reportedBy ?? "—"}）
              </td>
            </tr>
          </tbody>
        </table>
        <p className="report-sheet__note small">出張申請窓口の事故・苦情の記録（第{i.id}号）から作成しました。</p>
      </article>
    </div>
  );
}

