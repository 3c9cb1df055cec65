/**
 * The day's results as the pages show them: ResultsSummary for the session
 * page and the results page (recorded values, totals, who and when, the
 * correction history). Browser-safe: types only from the server module.
 */
import { Link } from "@remix-run/react";
import { Badge } from "../components/ui";
import { formatInstant } from "../lib/dates";
import { STAGE_LABELS } from "../lib/labels";
import type { ResultsSummaryData, ResultsView } from "./results.server";

type CategoryCount = ResultsView["inquiries"][number];

function Breakdown({ items, unit, empty = "なし" }: { items: CategoryCount[]; unit: string; empty?: string }) {
  const shown = items.filter((i) => i.count > 0);
  if (shown.length === 0) return <span className="muted">{empty}</span>;
  return (
    <ul className="results-breakdown">
      {shown.map((i) => (
        <li key={i.key}>
          {i.label}: {i.count}
          {unit}
        </li>
      ))}
    </ul>
  );
}

/** The counts of one version (current or earlier): applications per mode with 市外, then the rest. */
export function ResultsFacts({ r, mode, kind }: { r: ResultsView; mode: "accept" | "support"; kind: "group" | "roaming" | "base" }) {
  const rows: [string, number, number][] = [
    ...(mode === "accept" || r.acceptCount > 0 ? [["受付方式", r.acceptCount, r.acceptOutOfCityCount] as [string, number, number]] : []),
    ["サポート（オンライン）", r.supportOnlineCount, r.supportOnlineOutOfCityCount],
    ["サポート（郵送）", r.supportMailCount, r.supportMailOutOfCityCount],
  ];
  return (
    <div className="results-facts">
      <table className="results-table">
        <caption className="visually-hidden">申請件数（方式別・うち市外）</caption>
        <thead>
          <tr>
            <th scope="col">方式</th>
            <th scope="col">申請</th>
            <th scope="col">うち市外</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, n, out]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{n}件</td>
              <td>{out}人</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">合計</th>
            <td>
              <strong>{r.totals.applications}件</strong>
            </td>
            <td>{r.totals.outOfCity}人</td>
          </tr>
        </tfoot>
      </table>
      <p className="results-line">
        市内 {r.totals.inCity}人・市外 {r.totals.outOfCity}人
      </p>
      <dl className="results-dl">
        {mode === "accept" || r.fallbackCount > 0 ? (
          <>
            <dt>受付方式からの切替</dt>
            <dd>
              {r.fallbackCount}人<span className="muted small">（サポートの件数に含む）</span>
              {r.fallbackCount > 0 ? <Breakdown items={r.fallbackReasons} unit="人" /> : null}
            </dd>
          </>
        ) : null}
        <dt>その他対応</dt>
        <dd>
          {r.totals.otherAssistance}件
          <Breakdown items={r.otherAssistance} unit="件" empty="" />
        </dd>
        <dt>現地での問合せ</dt>
        <dd>
          {r.inquiryCount}件{r.inquiryCount !== r.totals.inquiries ? <span className="muted small">（問合せ記録の分を含む）</span> : null}
          <Breakdown items={r.inquiries} unit="件" empty="" />
        </dd>
        {kind === "group" ? (
          <>
            <dt>再訪の希望</dt>
            <dd>{r.revisitWanted ? "あり" : "なし"}</dd>
          </>
        ) : null}
        {r.notes ? (
          <>
            <dt>メモ</dt>
            <dd className="results-notes">{r.notes}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

/**
 * A visit's results for the session page and the results page: the recorded
 * values and totals, who entered and corrected them and when, the stage they
 * gave the organisation, and (unless `history={false}`) the earlier values.
 * `formHref` links to the entry form; omit it to show no link.
 */
export function ResultsSummary({ data, formHref, history = true }: { data: ResultsSummaryData; formHref?: string; history?: boolean }) {
  const { visit, results } = data;
  if (!results) {
    return (
      <div className="results-summary">
        <p className="muted">実績はまだ入力されていません。</p>
        {data.refusal ? (
          <p className="small muted">{data.refusal}</p>
        ) : formHref ? (
          <Link className="button button--large results-cta" to={formHref}>
            実績を入力する
          </Link>
        ) : null}
      </div>
    );
  }
  return (
    <div className="results-summary">
      <ResultsFacts r={results} mode={visit.mode} kind={visit.kind} />
      <p className="small">
        入力: {results.recordedBy ?? "—"}・{formatInstant(results.recordedAt)}
        {results.version > 1 ? (
          <>
            <br />
            最終訂正: {results.updatedBy ?? "—"}・{formatInstant(results.updatedAt)}（第{results.version}版）
          </>
        ) : null}
      </p>
      {results.stage ? (
        <p className="small">
          団体の段階: <Badge tone={results.stage === "revisit" ? "warn" : "ok"}>{STAGE_LABELS[results.stage]}</Badge>
          {results.stage === "revisit" ? <span className="muted">（{results.revisitWanted ? "再訪の希望あり" : "申請が申請予定人数の半分未満"}）</span> : null}
        </p>
      ) : null}
      {formHref && !data.refusal ? (
        <Link className="button button--secondary results-cta" to={formHref}>
          実績を訂正する
        </Link>
      ) : null}
      {history ? <ResultsHistory data={data} /> : null}
    </div>
  );
}

/** Earlier values, newest first: what they were, who replaced them, when and why. */
export function ResultsHistory({ data }: { data: ResultsSummaryData }) {
  if (data.history.length === 0) return null;
  return (
    <section className="results-history" aria-labelledby={`results-history-${data.visit.id}`}>
      <h3 id={`results-history-${data.visit.id}`}>訂正の履歴</h3>
      <ol className="plain-list">
        {data.history.map((h) => (
          <li key={h.id}>
            <details>
              <summary>
                第{h.previous.version}版（申請 {h.previous.totals.applications}件）→ {formatInstant(h.replacedAt)}に{h.replacedBy ?? "—"}が訂正
              </summary>
              <p className="small">訂正の理由: {h.reason ?? "（記入なし）"}</p>
              <ResultsFacts r={h.previous} mode={data.visit.mode} kind={data.visit.kind} />
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
