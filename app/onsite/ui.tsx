/** Building blocks of the on-the-day logs shown on other pages (session page, staff Today, city home). */
import { Link } from "@remix-run/react";
import type { IncidentSeverity } from "../../db/enums";
// Type only: erased from the browser build.
import type { IncidentRow } from "./incidents.server";
import { Badge, EmptyState } from "../components/ui";
import { formatInstant } from "../lib/dates";
import { formatOccurredAt, INCIDENT_KIND_LABELS, INCIDENT_SEVERITY_LABELS, INCIDENT_SEVERITY_TONES } from "./labels";

/** The fields these components read (rows of incidentsForVisit() / openSeriousIncidents(), as loader data). */
export type IncidentView = Pick<IncidentRow, "id" | "visitId" | "kind" | "severity" | "occurredAt" | "what" | "actionTaken" | "closedAt"> & {
  closedBy?: string | null;
};

export function SeverityBadge({ severity }: { severity: IncidentSeverity }) {
  return <Badge tone={INCIDENT_SEVERITY_TONES[severity]}>{INCIDENT_SEVERITY_LABELS[severity]}</Badge>;
}

/** Open / closed in words, not colour only. */
export function IncidentState({ closedAt, closedBy }: { closedAt: string | null; closedBy?: string | null }) {
  return closedAt ? (
    <span>
      <Badge tone="ok">対応完了</Badge> <span className="muted small">{formatInstant(closedAt)}{closedBy ? `・${closedBy}` : ""}</span>
    </span>
  ) : (
    <Badge tone="warn">対応中</Badge>
  );
}

/**
 * The session page's summary of its incidents (事故・苦情): count, open ones
 * first, and the link to the page where they are recorded. Pass the rows of
 * incidentsForVisit(visitId).
 */
export function IncidentsSummary({ visitId, incidents }: { visitId: number; incidents: IncidentView[] }) {
  const open = incidents.filter((i) => !i.closedAt);
  return (
    <section className="card incidents-summary" aria-labelledby={`incidents-h-${visitId}`}>
      <h2 id={`incidents-h-${visitId}`}>事故・苦情（{incidents.length}件{open.length ? `・対応中${open.length}件` : ""}）</h2>
      {incidents.length === 0 ? (
        <p className="muted">記録はありません。</p>
      ) : (
        <ul className="plain-list">
          {incidents.slice(0, 5).map((i) => (
            <li key={i.id}>
              <SeverityBadge severity={i.severity} /> {INCIDENT_KIND_LABELS[i.kind]} <span className="muted small">{formatOccurredAt(i.occurredAt)}</span>{" "}
              <IncidentState closedAt={i.closedAt} />
              <p className="small incident-what">{i.what}</p>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to={`/staff/visits/${visitId}/incidents`} className="button button--secondary button--small">
          事故・苦情を記録・確認する
        </Link>
      </p>
    </section>
  );
}

export type OpenIncidentView = IncidentView & { sessionTitle: string; sessionDate: string | null };

/**
 * Serious and urgent incidents not yet closed (rows of openSeriousIncidents()).
 * Staff get the link to the session's incidents page; the city the report.
 */
export function OpenIncidentsList({ incidents, linkTo, headingId }: { incidents: OpenIncidentView[]; linkTo: "staff" | "city"; headingId: string }) {
  if (incidents.length === 0) return null;
  return (
    <section className="notice notice--error open-incidents" role="region" aria-labelledby={headingId}>
      <h2 id={headingId}>対応中の重大・緊急の事故・苦情（{incidents.length}件）</h2>
      <ul className="plain-list">
        {incidents.map((i) => (
          <li key={i.id}>
            <SeverityBadge severity={i.severity} /> {INCIDENT_KIND_LABELS[i.kind]}{" "}
            <Link to={linkTo === "staff" ? `/staff/visits/${i.visitId}/incidents` : `/incidents/${i.id}`}>{i.sessionTitle}</Link>
            <span className="small"> 発生 {formatOccurredAt(i.occurredAt)}</span>
            {linkTo === "staff" ? (
              <span className="small">
                {" "}
                <Link to={`/incidents/${i.id}`}>事故報告書</Link>
              </span>
            ) : null}
            <p className="small incident-what">{i.what}</p>
          </li>
        ))}
      </ul>
      {linkTo === "city" ? <p className="small">受託者が対応完了にするまで、ここに表示されます。</p> : <p className="small">対応が終わったら、事故・苦情の画面で「対応完了にする」を押してください。</p>}
    </section>
  );
}

/** An empty-state helper for pages that list incidents. */
export function NoIncidents() {
  return <EmptyState>この回の事故・苦情の記録はありません。</EmptyState>;
}
