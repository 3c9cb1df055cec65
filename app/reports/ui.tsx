/**
 * The report pages' building blocks (browser-safe): the report as tables
 * (the same layout as the XLSX and CSV, from tables.ts), its versions, the
 * manager's remarks form and the city's acknowledgement.
 */
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { Badge, Field, Notice, PageHeader } from "../components/ui";
import { formatDate, formatInstant } from "../lib/dates";
import { DueBadge, StateBadge } from "./badges";
import { REPORT_KIND_LABELS } from "./deadlines";
import { REPORT_STATUS_LABELS } from "./labels";
import type { ReportPageData } from "./pages.server";
import { reportDocument, type Cell, type Column, type Table } from "./tables";
import { reportPath } from "./titles";
import type { DailyBody } from "./types";
import { photoUrl } from "../visits/photos";

export { DueBadge, StateBadge };

function formatCell(v: Cell, column: Column | undefined): string {
  if (v === null || v === "") return v === null && column?.format ? "—" : "";
  if (typeof v === "number") {
    if (column?.format === "dec1") return v.toFixed(1);
    if (column?.format === "dec2") return String(Math.round(v * 100) / 100);
    return v.toLocaleString("ja-JP");
  }
  return v;
}

/** One report table: a caption, one or two header rows (groups span their columns), the rows and the totals. */
export function ReportTable({ table, links }: { table: Table; links: boolean }) {
  const grouped = table.columns.some((c) => c.group);
  const groups: { label: string; span: number }[] = [];
  for (const c of table.columns) {
    const last = groups.at(-1);
    if (c.group && last && last.label === c.group) last.span++;
    else groups.push({ label: c.group ?? "", span: 1 });
  }
  const num = (c: Column | undefined) => (c?.format ? "num" : undefined);
  return (
    <div className="table-wrap report-table" role="region" aria-label={table.heading} tabIndex={0}>
      <table>
        <caption>{table.heading}</caption>
        <thead>
          {grouped ? (
            <>
              <tr>
                {(() => {
                  let i = 0;
                  return groups.map((g) => {
                    const col = table.columns[i];
                    i += g.span;
                    return g.label ? (
                      <th key={`g${i}`} scope="colgroup" colSpan={g.span} className="report-table__group">
                        <span>{g.label}</span>
                      </th>
                    ) : (
                      <th key={`g${i}`} scope="col" rowSpan={2} className={num(col)}>
                        <span>{col.header}</span>
                      </th>
                    );
                  });
                })()}
              </tr>
              <tr>
                {table.columns.map((c, i) =>
                  c.group ? (
                    <th key={i} scope="col" className={num(c)}>
                      <span>{c.header}</span>
                    </th>
                  ) : null
                )}
              </tr>
            </>
          ) : (
            <tr>
              {table.columns.map((c, i) => (
                <th key={i} scope="col" className={num(c)}>
                  <span>{c.header}</span>
                </th>
              ))}
            </tr>
          )}
        </thead>
        <tbody>
          {table.rows.length === 0 ? (
            <tr>
              <td colSpan={table.columns.length} className="muted">
                該当なし
              </td>
            </tr>
          ) : (
            table.rows.map((r, ri) => (
              <tr key={ri}>
                {r.map((v, ci) => (
                  <td key={ci} className={num(table.columns[ci])}>
                    {ci === 0 && links && table.rowLinks?.[ri] ? <a href={table.rowLinks[ri]!}>{formatCell(v, table.columns[ci])}</a> : formatCell(v, table.columns[ci])}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
        {table.totals ? (
          <tfoot>
            <tr>
              {table.totals.map((v, ci) =>
                ci === 0 ? (
                  <th key={ci} scope="row">
                    {formatCell(v, table.columns[ci])}
                  </th>
                ) : (
                  <td key={ci} className={num(table.columns[ci])}>
                    {formatCell(v, table.columns[ci])}
                  </td>
                )
              )}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}

type ActionData = { ok: true; message: string } | { ok: false; message: string; field?: string } | undefined;

function versionLink(d: ReportPageData, version: number | null) {
  return reportPath(d.kind, d.key, { programId: d.programParam, version });
}

/** The whole report page (daily, monthly and completion alike). */
export function ReportPage({ d, intro }: { d: ReportPageData; intro?: ReactNode }) {
  const result = useActionData() as ActionData;
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const shownVersion = d.shown.source === "version" ? d.shown.version : null;
  const doc = d.body
    ? reportDocument(d.body, {
        title: d.title,
        deadlineText: d.deadlineWareki,
        versionText: shownVersion ? `第${shownVersion.version}版（${REPORT_STATUS_LABELS[shownVersion.status]}）` : "下書き（未提出・現在の実績から作成）",
        remarks: shownVersion ? shownVersion.remarks : d.draftRemarks,
        changeSummary: shownVersion?.changeSummary ?? null,
        deletedPhotoIds: d.deletedPhotoIds,
      })
    : null;
  const sheets = doc?.sheets ?? [];
  const latest = d.versions[0];
  return (
    <div className="page report">
      <p className="no-print small">
        <Link to={`/reports${d.programParam ? `?program=${d.programParam}` : ""}`}>← 報告書の一覧</Link>
      </p>
      <PageHeader title={d.title}>
        <StateBadge state={d.state} />
        <DueBadge due={d.dueState} />
      </PageHeader>
      <dl className="facts report__facts">
        {(doc?.meta ?? [["業務名", d.programName]]).map(([k, v]) => (
          <div key={k} className="report__fact">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
        {!doc ? (
          <div className="report__fact">
            <dt>提出期限</dt>
            <dd>{d.deadlineText}</dd>
          </div>
        ) : null}
      </dl>
      {intro}

      {result ? <Notice tone={result.ok ? "ok" : "error"} title={result.message} /> : null}

      {d.can.seeLive && d.notReady && d.state !== "submitted" && d.state !== "acknowledged" ? (
        <Notice tone="warn" title="まだ提出できません">
          <p>{d.notReady}</p>
          {d.pending.length ? (
            <ul>
              {d.pending.map((p) => (
                <li key={p.visitId}>
                  <Link to={`/staff/visits/${p.visitId}`}>
                    {formatDate(p.date)} {p.title}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
        </Notice>
      ) : null}

      {d.state === "changed" && d.can.seeLive ? (
        <Notice tone="warn" title={`第${latest?.version}版の提出後に実績が訂正されています。内容を確かめて訂正版を提出してください。`}>
          {d.pendingChanges.length ? (
            <>
              <p>次の版で変わる内容:</p>
              <ul>
                {d.pendingChanges.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </>
          ) : null}
        </Notice>
      ) : null}

      {!d.body ? (
        <Notice tone="info" title="この報告書はまだ提出されていません。">
          <p>受託者が提出すると、ここで内容を確認できます（提出期限: {d.deadlineText}）。</p>
        </Notice>
      ) : null}

      {shownVersion ? (
        <p className="report__shown">
          <Badge tone="neutral">第{shownVersion.version}版</Badge> {REPORT_STATUS_LABELS[shownVersion.status]}（{formatInstant(shownVersion.submittedAt)}{" "}
          {shownVersion.submittedByName}）を表示しています。
          {d.can.seeLive && d.shown.source === "version" && d.state === "changed" ? (
            <>
              {" "}
              <Link to={versionLink(d, null)} className="no-print">
                現在の実績での内容を見る
              </Link>
            </>
          ) : null}
        </p>
      ) : d.body ? (
        <p className="report__shown">
          <Badge tone="info">下書き</Badge> 現在の実績から作成した、提出前の内容です。
        </p>
      ) : null}

      {d.deletedPhotoIds.length ? (
        <Notice tone="info" title={`この版に載っている写真のうち${d.deletedPhotoIds.length}枚は、保存期間を過ぎたため削除されました。`}>
          <p>写真の保存期間は提出済みの報告書より優先されます。写真の一覧に「削除済み」と表示しています。</p>
        </Notice>
      ) : null}

      {d.downloads ? (
        <p className="row no-print report__downloads">
          <a className="button button--secondary button--small" href={d.downloads.xlsx} download>
            Excel（XLSX）でダウンロード
          </a>
          <a className="button button--secondary button--small" href={d.downloads.csv} download>
            CSVでダウンロード
          </a>
          <span className="muted small">印刷はブラウザの印刷機能から（A4横に収まる書式です）。</span>
        </p>
      ) : null}

      {sheets.map((sheet, si) => (
        <section key={sheet.name} className={`report__sheet${si > 0 ? " report__sheet--break" : ""}`} aria-labelledby={`sheet-${si}`}>
          <h2 id={`sheet-${si}`}>{sheet.name}</h2>
          {sheet.tables.map((t) => (
            <ReportTable key={t.heading} table={t} links={d.can.photos} />
          ))}
          {(sheet.notes ?? []).map((n) => (
            <div key={n.heading} className="report__note">
              <h3>{n.heading}</h3>
              {n.lines.length ? (
                <ul>
                  {n.lines.map((l, i) => (
                    <li key={i}>{l}</li>
                  ))}
                </ul>
              ) : (
                <p className="muted">なし</p>
              )}
            </div>
          ))}
        </section>
      ))}

      {d.body?.kind === "daily" && d.can.photos ? <ReportPhotos body={d.body} deleted={d.deletedPhotoIds} /> : null}

      {d.can.draft || d.can.submit ? <RemarksForm d={d} busy={busy} error={result && !result.ok && result.field === "remarks" ? result.message : null} /> : null}

      <section aria-labelledby="versions-h" className="no-print">
        <h2 id="versions-h">提出した版</h2>
        {d.versions.length === 0 ? (
          <p className="muted">まだ提出していません。</p>
        ) : (
          <div className="table-wrap" role="region" aria-label="提出した版の一覧" tabIndex={0}>
            <table>
              <caption className="visually-hidden">提出した版の一覧（新しい順）</caption>
              <thead>
                <tr>
                  <th scope="col">版</th>
                  <th scope="col">状態</th>
                  <th scope="col">提出</th>
                  <th scope="col">市の確認</th>
                  <th scope="col">前の版からの訂正内容</th>
                </tr>
              </thead>
              <tbody>
                {d.versions.map((v) => (
                  <tr key={v.id}>
                    <td>
                      <Link to={versionLink(d, v.version)}>第{v.version}版</Link>
                    </td>
                    <td>{REPORT_STATUS_LABELS[v.status]}</td>
                    <td>
                      {formatInstant(v.submittedAt)}
                      <br />
                      <span className="muted small">{v.submittedByName}</span>
                    </td>
                    <td>
                      {v.acknowledgedAt ? (
                        <>
                          {formatInstant(v.acknowledgedAt)}
                          <br />
                          <span className="muted small">{v.acknowledgedByName}</span>
                        </>
                      ) : d.can.acknowledge ? (
                        <Form method="post">
                          <input type="hidden" name="reportId" value={v.id} />
                          <button className="button button--small" name="intent" value="acknowledge" aria-disabled={busy || undefined}>
                            第{v.version}版を確認済みにする
                          </button>
                        </Form>
                      ) : (
                        <span className="muted">未確認</span>
                      )}
                    </td>
                    <td>
                      {v.changeSummary ? (
                        <ul className="plain-list small">
                          {v.changeSummary.split("\n").map((l, i) => (
                            <li key={i}>{l}</li>
                          ))}
                        </ul>
                      ) : v.version === 1 ? (
                        "—（初版）"
                      ) : (
                        "備考のみ"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function RemarksForm({ d, busy, error }: { d: ReportPageData; busy: boolean; error: string | null }) {
  const latest = d.versions[0];
  const resubmit = d.state === "submitted" || d.state === "acknowledged";
  const form = (
    <Form method="post" className="stack">
      <Field id="remarks" label="備考" hint="市への連絡事項や当日の補足（2,000文字まで）。マイナンバーは書かないでください。" error={error}>
        {(aria) => <textarea {...aria} name="remarks" rows={4} defaultValue={d.draftRemarks ?? latest?.remarks ?? ""} />}
      </Field>
      <div className="row">
        {d.can.submit ? (
          <button className="button" name="intent" value="submit" disabled={!!d.notReady && !resubmit} aria-disabled={busy || undefined}>
            {latest ? `訂正版（第${latest.version + 1}版）を提出する` : "提出する"}
          </button>
        ) : null}
        {d.can.draft ? (
          <button className="button button--secondary" name="intent" value="save-draft" aria-disabled={busy || undefined}>
            備考を下書き保存
          </button>
        ) : null}
      </div>
      {!d.can.submit ? <p className="muted small">提出は総括責任者が行います。</p> : null}
    </Form>
  );
  if (resubmit) {
    // Nothing waits: the form to resubmit with other remarks stays folded away.
    return (
      <details className="card no-print report__remarks">
        <summary>備考を変えて提出し直す</summary>
        <p className="muted small">提出した版は変更できません。備考を変えると新しい版として提出します。</p>
        {form}
      </details>
    );
  }
  return (
    <section aria-labelledby="remarks-h" className="card no-print report__remarks">
      <h2 id="remarks-h">{`${REPORT_KIND_LABELS[d.kind]}を提出する`}</h2>
      {form}
    </section>
  );
}

/** The day's site photos as pictures (the table above lists them by number): on screen and on paper. */
function ReportPhotos({ body, deleted }: { body: DailyBody; deleted: number[] }) {
  const gone = new Set(deleted);
  const shown = body.sessions.flatMap((s) => s.photos.filter((p) => !gone.has(p.id)).map((p) => ({ ...p, visitId: s.visitId, place: s.place })));
  if (shown.length === 0) return null;
  return (
    <section className="report__photos" aria-labelledby="report-photos-h">
      <h2 id="report-photos-h">実施状況の写真</h2>
      <ul className="report__photo-grid">
        {shown.map((p) => (
          <li key={p.id}>
            <figure>
              <a href={photoUrl(p.visitId, p.id)}>
                <img src={photoUrl(p.visitId, p.id, "thumb")} alt={p.caption ? `写真${p.id}: ${p.caption}` : `写真${p.id}（${p.place}）`} loading="lazy" width={320} height={240} />
              </a>
              <figcaption className="small">
                写真番号 {p.id}・{p.place}
                {p.caption ? <br /> : null}
                {p.caption}
              </figcaption>
            </figure>
          </li>
        ))}
      </ul>
    </section>
  );
}
