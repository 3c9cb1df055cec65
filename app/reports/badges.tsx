/** Badges of a report's state and deadline (browser-safe, small: the home pages and /progress use them). */
import { Link } from "@remix-run/react";
import { Badge } from "../components/ui";
import type { Tone } from "../lib/labels";
import { DUE_STATE_LABELS, type DueState } from "./deadlines";
import { REPORT_STATE_LABELS, type ReportState } from "./labels";

export const STATE_TONES: Record<ReportState, Tone> = {
  in_progress: "neutral",
  not_ready: "warn",
  open: "info",
  changed: "warn",
  submitted: "ok",
  acknowledged: "neutral",
};

const DUE_TONES: Record<DueState, Tone> = { overdue: "danger", due_today: "warn", due_soon: "warn", later: "neutral" };

export function StateBadge({ state }: { state: ReportState }) {
  return <Badge tone={STATE_TONES[state]}>{REPORT_STATE_LABELS[state]}</Badge>;
}

export function DueBadge({ due }: { due: DueState | null }) {
  if (!due || due === "later") return null;
  return (
    <Badge tone={DUE_TONES[due]}>
      {due === "overdue" ? <span aria-hidden="true">⚠ </span> : null}
      {DUE_STATE_LABELS[due]}
    </Badge>
  );
}

type FlagItem = { kind: string; key: string; title: string; href: string; deadlineText: string; dueState: DueState | null; state: ReportState };

/** Due-soon and overdue reports on the home pages: staff see what to submit, the city what to acknowledge and what is late. */
export function ReportFlags({ flags, audience }: { flags: { due: FlagItem[]; awaitingAcknowledgement: FlagItem[] }; audience: "staff" | "city" }) {
  const overdue = flags.due.filter((i) => i.dueState === "overdue");
  const list = audience === "staff" ? flags.due : flags.awaitingAcknowledgement;
  const shown = list.slice(0, 5);
  if (list.length === 0 && (audience === "staff" || overdue.length === 0)) return null;
  const title =
    audience === "staff"
      ? `提出が必要な報告書 ${list.length}件${overdue.length ? `（うち期限超過 ${overdue.length}件）` : ""}`
      : `確認待ちの報告書 ${list.length}件${overdue.length ? `・提出期限を過ぎた報告書 ${overdue.length}件` : ""}`;
  return (
    <section className="card report-flags" aria-labelledby="report-flags-h">
      <h2 id="report-flags-h">{title}</h2>
      {shown.length ? (
        <ul className="plain-list">
          {shown.map((i) => (
            <li key={`${i.kind}${i.key}`}>
              <Link to={i.href}>{i.title}</Link> <span className="small">{i.deadlineText}</span> <StateBadge state={i.state} /> <DueBadge due={i.dueState} />
            </li>
          ))}
        </ul>
      ) : null}
      <p className="small">
        <Link to="/reports">報告書の一覧{list.length > shown.length ? `（ほか ${list.length - shown.length}件）` : ""}</Link>
      </p>
    </section>
  );
}
