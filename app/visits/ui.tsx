/** Building blocks of the visit screens (staff and city). */
import { Link } from "@remix-run/react";
import type { VisitKind, VisitMode, VisitStatus } from "../../db/schema";
import { Badge, EmptyState, KindTag, VisitStatusBadge } from "../components/ui";
import { formatDate, formatInstant } from "../lib/dates";
import { VISIT_MODE_LABELS } from "../lib/labels";

export const WAITING_ON_TEXT = { staff: "受託者", organisation: "団体", city: "市" } as const;

/** How long an item has waited and on whom; stale items say so in words, not only colour. */
export function WaitInfo({ waitingOn, days, stale, staleDays }: { waitingOn: keyof typeof WAITING_ON_TEXT | null; days: number; stale: boolean; staleDays: number }) {
  if (!waitingOn) return <span className="muted">—</span>;
  return (
    <span className="wait">
      <span>
        {WAITING_ON_TEXT[waitingOn]}の対応待ち・<span className="nowrap">{days === 0 ? "今日から" : `${days}営業日`}</span>
      </span>
      {stale ? (
        <Badge tone="danger">
          <span aria-hidden="true">⚠ </span>滞留（{staleDays}営業日超）
        </Badge>
      ) : null}
    </span>
  );
}

export type CarEntryView = {
  id: number;
  title: string;
  kind: VisitKind;
  status: VisitStatus;
  date: string | null;
  startsAt: string | null;
  endsAt: string | null;
  holdStartsAt: string | null;
  holdEndsAt: string | null;
};

/** The car's schedule: one row per visit using it, with the held range (buffers included). */
export function CarSchedule({ entries, currentId, caption, linkTo }: { entries: CarEntryView[]; currentId?: number; caption: string; linkTo?: (id: number, kind: VisitKind) => string | null }) {
  if (entries.length === 0) return <EmptyState>この期間、ラッピングカーの予定はありません。</EmptyState>;
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">日付</th>
            <th scope="col">時間</th>
            <th scope="col">車の使用（準備・移動含む）</th>
            <th scope="col">内容</th>
            <th scope="col">状態</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const href = linkTo?.(e.id, e.kind) ?? null;
            const current = e.id === currentId;
            return (
              <tr key={e.id} className={current ? "car-row--current" : undefined}>
                <td className="nowrap">{formatDate(e.date)}</td>
                <td className="nowrap">
                  {e.startsAt?.slice(11, 16)}〜{e.endsAt?.slice(11, 16)}
                </td>
                <td className="nowrap">{e.holdStartsAt ? `${e.holdStartsAt.slice(11, 16)}〜${e.holdEndsAt?.slice(11, 16)}` : e.status === "completed" ? "—（実施済・解放）" : "—（確保なし）"}</td>
                <td>
                  <KindTag kind={e.kind} /> {href ? <Link to={href}>{e.title}</Link> : e.title}
                  {current ? <strong>（この訪問）</strong> : null}
                </td>
                <td>
                  <VisitStatusBadge status={e.status} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export const DECISION_TEXT = { approved: "承認", changes_requested: "修正依頼", declined: "見送り", agreed: "合意" } as const;
const DECISION_TONE = { approved: "ok", changes_requested: "warn", declined: "danger", agreed: "ok" } as const;

type Decision = {
  id: number;
  decision: keyof typeof DECISION_TEXT;
  comment: string | null;
  decidedAt: string;
  decidedBy: string | null;
  snapshot: { date?: string | null; startsAt?: string | null; endsAt?: string | null; venue?: string; expectedApplicants?: number | null; mode?: VisitMode } | null;
};
type HistoryItem = { id: number; kind: string; summary: string; body: string | null; occurredAt: string; userName: string | null };

/** The city's decisions (append-only) and the visit's timeline. */
export function VisitHistory({ decisions, history }: { decisions: Decision[]; history: HistoryItem[] }) {
  return (
    <div className="grid grid--2">
      <section aria-labelledby="decisions-h">
        <h3 id="decisions-h">市の判断の記録</h3>
        {decisions.length === 0 ? (
          <p className="muted">まだ判断はありません。</p>
        ) : (
          <ol className="history">
            {decisions.map((d) => (
              <li key={d.id}>
                <Badge tone={DECISION_TONE[d.decision]}>{DECISION_TEXT[d.decision]}</Badge> <span className="small muted">{formatInstant(d.decidedAt)}・{d.decidedBy}</span>
                {d.comment ? <p className="history__comment">{d.comment}</p> : null}
                {d.snapshot?.date ? (
                  <p className="small muted">
                    判断時の内容: {formatDate(d.snapshot.date)} {d.snapshot.startsAt?.slice(11, 16)}〜{d.snapshot.endsAt?.slice(11, 16)}・{d.snapshot.venue}
                    {d.snapshot.expectedApplicants != null ? `・${d.snapshot.expectedApplicants}人` : ""}
                    {d.snapshot.mode ? `・${VISIT_MODE_LABELS[d.snapshot.mode]}` : ""}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="timeline-h">
        <h3 id="timeline-h">経過</h3>
        {history.length === 0 ? (
          <p className="muted">記録はありません。</p>
        ) : (
          <ol className="history">
            {history.map((h) => (
              <li key={h.id}>
                <span className="small muted">{formatInstant(h.occurredAt)}{h.userName ? `・${h.userName}` : ""}</span>
                <br />
                {h.summary}
                {h.body ? <p className="history__comment">{h.body}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

export type GroupVisitRow = {
  id: number;
  /** Given when the list mixes kinds (the staff list's kind filter). */
  kind?: VisitKind;
  venueName?: string | null;
  title: string;
  organisationName: string | null;
  receiptNo?: string | null;
  status: VisitStatus;
  date: string | null;
  startsAt: string | null;
  endsAt: string | null;
  expectedApplicants: number | null;
  mode: VisitMode;
  ownerName: string | null;
  statusReason: string | null;
  waitingOn: keyof typeof WAITING_ON_TEXT | null;
  waitedDays: number;
  stale: boolean;
};

/** Visits in visit-date order with who they wait on: the city's queue and the staff list (which may show sessions too). */
export function GroupVisitTable({
  rows,
  staleDays,
  caption,
  linkTo,
  showReceipt = false,
  showKind = false,
}: {
  rows: GroupVisitRow[];
  staleDays: number;
  caption: string;
  linkTo: (id: number) => string;
  showReceipt?: boolean;
  showKind?: boolean;
}) {
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">訪問日</th>
            <th scope="col">{showKind ? "団体・会場" : "団体"}</th>
            {showReceipt ? <th scope="col">受付番号</th> : null}
            <th scope="col" className="num">
              人数
            </th>
            <th scope="col">方式</th>
            <th scope="col">状態</th>
            <th scope="col">待ち</th>
            <th scope="col">担当</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className={r.stale ? "row--stale" : undefined}>
              <td className="nowrap">
                {r.date ? formatDate(r.date) : <span className="muted">未定</span>}
                {r.startsAt ? <div className="small muted">{`${r.startsAt.slice(11, 16)}〜${r.endsAt?.slice(11, 16) ?? ""}`}</div> : null}
              </td>
              <td>
                {showKind && r.kind ? (
                  <>
                    <KindTag kind={r.kind} />{" "}
                  </>
                ) : null}
                <Link to={linkTo(r.id)}>{r.organisationName ?? r.venueName ?? r.title}</Link>
                {r.status === "changes_requested" && r.statusReason ? <div className="small muted">市の修正依頼: {r.statusReason}</div> : null}
              </td>
              {showReceipt ? <td className="nowrap small">{r.receiptNo ?? "—"}</td> : null}
              <td className="num">{r.expectedApplicants ?? "—"}</td>
              <td className="small">{VISIT_MODE_LABELS[r.mode]}</td>
              <td>
                <VisitStatusBadge status={r.status} />
              </td>
              <td className="small">
                <WaitInfo waitingOn={r.waitingOn} days={r.waitedDays} stale={r.stale} staleDays={staleDays} />
              </td>
              <td className="small">{r.ownerName ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
