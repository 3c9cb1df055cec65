import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { requirePermission } from "~/auth.server";
import { Field, KindTag, Notice, PageHeader, VisitStatusBadge } from "~/components/ui";
import { formatInstant, formatTimeRange } from "~/lib/dates";
import { notFound, requireId } from "~/lib/ids";
import { STAGE_LABELS, VISIT_MODE_LABELS } from "~/lib/labels";
import { visitKindOf } from "~/visits/queries.server";
import { formParts, resultsInputFromForm, resultTotals, COUNT_FIELDS, type CountField } from "~/visits/results";
import { ResultsSummary } from "~/visits/results-ui";
import { recordResults, resultsPage } from "~/visits/results.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `実績の入力 ${data?.summary.visit.title ?? ""} | 出張申請窓口` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "visits.manage");
  const id = requireId(params.id, "訪問が見つかりません。");
  const page = resultsPage(id);
  if (!page) throw notFound("訪問が見つかりません。");
  const url = new URL(request.url);
  const saved = url.searchParams.get("saved");
  return { ...page, saved: saved === "first" || saved === "corrected" ? saved : null, edit: url.searchParams.get("edit") === "1" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "visits.manage");
  const visitId = requireId(params.id, "訪問が見つかりません。");
  if (!visitKindOf(visitId)) throw notFound("訪問が見つかりません。");
  const form = await request.formData();
  const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const result = recordResults(resultsInputFromForm(visitId, values), user);
  if (!result.ok) return { ok: false as const, message: result.message, errors: result.errors ?? {}, values };
  // After a save, the page of recorded values (a reload does not post again).
  return redirect(`/staff/visits/${visitId}/results?saved=${result.first ? "first" : "corrected"}`);
}

const DRAFT_PREFIX = "demado:results-draft:";
type Draft = { savedAt: string; values: Record<string, string> };

/** The form's current values (checkboxes as "on" or absent), without the version. */
function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new FormData(form).entries()) if (k !== "version" && typeof v === "string") out[k] = v;
  return out;
}

function totalsOf(values: Record<string, string>) {
  const n = (s: string | undefined) => {
    const x = Number((s ?? "").normalize("NFKC").trim() || 0);
    return Number.isInteger(x) && x >= 0 ? x : 0;
  };
  const group = (prefix: string) => Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k, n(v)]));
  const counts = Object.fromEntries(COUNT_FIELDS.map((f) => [f, n(values[f])])) as Record<CountField, number>;
  const reasons = Object.values(group("fallbackReasons.")).reduce((a, b) => a + b, 0);
  const outOverCount =
    counts.acceptOutOfCityCount > counts.acceptCount || counts.supportOnlineOutOfCityCount > counts.supportOnlineCount || counts.supportMailOutOfCityCount > counts.supportMailCount;
  return { ...resultTotals({ ...counts, otherAssistance: group("otherAssistance."), inquiries: group("inquiries.") }), fallback: counts.fallbackCount, reasons, outOverCount };
}

export default function VisitResults() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { visit, results, refusal } = d.summary;
  const parts = formParts(visit);
  const showForm = !refusal && (!results || d.edit || (result && !result.ok));
  const errors: Record<string, string> = result && !result.ok ? result.errors : {};
  const posted: Record<string, string> | null = result && !result.ok ? result.values : null;
  const version = results?.version ?? 0;
  const draftKey = `${DRAFT_PREFIX}${visit.id}:${version}`;

  // The stored value each input starts with: what was posted (on an error), else the recorded results.
  const current: Record<string, string> = {};
  if (results) {
    for (const f of COUNT_FIELDS) current[f] = String(results[f]);
    for (const c of results.fallbackReasons) current[`fallbackReasons.${c.key}`] = c.count ? String(c.count) : "";
    for (const c of results.otherAssistance) current[`otherAssistance.${c.key}`] = c.count ? String(c.count) : "";
    for (const c of results.inquiries) current[`inquiries.${c.key}`] = c.count ? String(c.count) : "";
    if (results.revisitWanted) current.revisitWanted = "on";
    current.notes = results.notes ?? "";
  }
  const initial = posted ?? current;
  const value = (name: string) => initial[name] ?? "";

  const formRef = useRef<HTMLFormElement>(null);
  const [hydrated, setHydrated] = useState(false);
  const [totals, setTotals] = useState(() => totalsOf(initial));
  const [restored, setRestored] = useState<string | null>(null);
  const refresh = useCallback(() => {
    if (formRef.current) setTotals(totalsOf(formValues(formRef.current)));
  }, []);

  // With JavaScript: restore a draft typed before a reload or a dropped connection; forget drafts once saved.
  useEffect(() => {
    setHydrated(true);
    try {
      if (d.saved) {
        for (const k of Object.keys(localStorage)) if (k.startsWith(`${DRAFT_PREFIX}${visit.id}:`)) localStorage.removeItem(k);
        return;
      }
      const form = formRef.current;
      const raw = form ? localStorage.getItem(draftKey) : null;
      if (!form || !raw || posted) return;
      const draft = JSON.parse(raw) as Draft;
      const now = formValues(form);
      const differs = Object.keys({ ...now, ...draft.values }).some((k) => (now[k] ?? "") !== (draft.values[k] ?? ""));
      if (!differs) return localStorage.removeItem(draftKey);
      for (const el of Array.from(form.elements)) {
        if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) || !el.name || el.type === "hidden") continue;
        if (el instanceof HTMLInputElement && el.type === "checkbox") el.checked = draft.values[el.name] === "on";
        else el.value = draft.values[el.name] ?? "";
      }
      setRestored(draft.savedAt);
      refresh();
    } catch {
      // No storage (private mode, quota): the form still works, only without a draft.
    }
    // Only when the page (visit, version, saved) changes: not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draftKey, d.saved]);

  const onInput = () => {
    refresh();
    const form = formRef.current;
    if (!form) return;
    try {
      localStorage.setItem(draftKey, JSON.stringify({ savedAt: new Date().toISOString(), values: formValues(form) } satisfies Draft));
    } catch {
      // Storage full or blocked: nothing to do, the server keeps what is saved.
    }
  };
  const discard = () => {
    try {
      localStorage.removeItem(draftKey);
    } catch {
      // See above.
    }
    formRef.current?.reset();
    setRestored(null);
    refresh();
  };

  // One count per row: label on the left, a large numeric box on the right, hint and error below.
  const count = (name: string, label: string, unit: string, hint?: string) => (
    <div className="count-row" key={name}>
      <Field id={name} label={label} hint={hint} error={errors[name]}>
        {(aria) => (
          <span className="count-field">
            <input {...aria} type="text" inputMode="numeric" pattern="[0-9]*" autoComplete="off" name={name} defaultValue={value(name)} placeholder="0" className="count-input" />
            <span className="count-unit" aria-hidden="true">
              {unit}
            </span>
          </span>
        )}
      </Field>
    </div>
  );

  const place = [formatTimeRange(d.startsAt, d.endsAt), d.place].filter(Boolean).join("・");
  return (
    <div className="page page--narrow results-page">
      <p className="small">
        <Link to={`/staff/visits/${visit.id}`}>← 訪問のページ</Link>
      </p>
      <PageHeader title="実績の入力">
        <KindTag kind={visit.kind} />
        <VisitStatusBadge status={visit.status} />
      </PageHeader>
      <p className="results-where">
        <strong>{d.organisation?.name ?? visit.title}</strong>
        <br />
        {place}
        <br />
        <span className="small">
          {VISIT_MODE_LABELS[visit.mode]}
          {visit.expectedApplicants != null ? `・申請予定 ${visit.expectedApplicants}人` : ""}
        </span>
      </p>

      {d.saved === "first" ? (
        <Notice tone="ok" title="実績を保存しました。">
          <p>
            この訪問は実施済になりました。
            {d.organisation?.stage === "revisit" || d.organisation?.stage === "visited" ? `団体の段階は「${STAGE_LABELS[d.organisation.stage]}」です。` : ""}
          </p>
        </Notice>
      ) : null}
      {d.saved === "corrected" ? <Notice tone="ok" title="訂正を保存しました。">以前の値は「訂正の履歴」に残っています。</Notice> : null}
      {refusal && !results ? <Notice tone="warn">{refusal}</Notice> : null}
      {result && !result.ok ? <Notice tone="error">{result.message}</Notice> : null}

      {results && !showForm ? (
        <section className="card" aria-labelledby="recorded-h">
          <h2 id="recorded-h">記録した実績</h2>
          <ResultsSummary data={d.summary} formHref={`/staff/visits/${visit.id}/results?edit=1`} />
        </section>
      ) : null}

      {showForm ? (
        <Form method="post" noValidate ref={formRef} onInput={onInput} className="results-form" aria-label={results ? "実績の訂正" : "実績の入力"}>
          <input type="hidden" name="version" value={version} />
          {restored ? (
            <div className="notice notice--warn" role="status">
              <p>
                <strong>保存していない入力を復元しました</strong>（{formatInstant(restored)}の時点）。内容を確認して保存してください。
              </p>
              <button type="button" className="button button--secondary" onClick={discard}>
                下書きを破棄する
              </button>
            </div>
          ) : null}
          {results ? <Notice tone="info">記録済みの値を訂正します。保存すると、以前の値は訂正の履歴に残ります。</Notice> : null}

          {parts.accept ? (
            <fieldset>
              <legend>受付方式</legend>
              {count("acceptCount", "受付方式で申請", "件", "本人確認まで済ませて申請した人")}
            </fieldset>
          ) : null}
          <fieldset>
            <legend>サポート方式（オンライン・郵送）</legend>
            {count("supportOnlineCount", "オンライン申請", "件")}
            {count("supportMailCount", "郵送申請", "件")}
            {parts.fallback ? <p className="hint small">受付方式から切り替えた人も、ここに含めて数えます。</p> : null}
          </fieldset>
          <fieldset>
            <legend>市外の内訳</legend>
            <p className="hint small">市外に住所がある人の数です（上の件数に含まれます）。市内の人数は残りとして計算します。</p>
            {parts.accept ? count("acceptOutOfCityCount", "受付方式のうち市外", "人") : null}
            {count("supportOnlineOutOfCityCount", "オンラインのうち市外", "人")}
            {count("supportMailOutOfCityCount", "郵送のうち市外", "人")}
          </fieldset>
          {parts.fallback ? (
            <fieldset aria-describedby={errors.fallbackReasons ? "fallbackReasons-error" : undefined}>
              <legend>切替（理由別）</legend>
              <p className="hint small">本人確認書類の不足などで、受付方式からサポート方式に切り替えた人です。</p>
              {count("fallbackCount", "切り替えた人数", "人")}
              <p className="results-subhead">理由別の内訳</p>
              {d.categories.fallbackReasons.map((c) => count(`fallbackReasons.${c.key}`, c.label, "人"))}
              {errors.fallbackReasons ? (
                <p className="field-error" id="fallbackReasons-error">
                  {errors.fallbackReasons}
                </p>
              ) : null}
            </fieldset>
          ) : null}
          <fieldset>
            <legend>その他対応（分類別）</legend>
            {d.categories.assistanceCategories.map((c) => count(`otherAssistance.${c.key}`, c.label, "件"))}
          </fieldset>
          <fieldset>
            <legend>現地での問合せ（分類別）</legend>
            <p className="hint small">申請せずに質問だけした人の数です。問合せ記録に登録済みの分は含めずに入力してください（合計には自動で加わります）。</p>
            {d.categories.inquiryCategories.map((c) =>
              count(`inquiries.${c.key}`, c.label, "件", d.loggedInquiries[c.key] ? `問合せ記録に登録済み ${d.loggedInquiries[c.key]}件（別に数えます）` : undefined),
            )}
          </fieldset>
          {parts.revisit ? (
            <fieldset>
              <legend>再訪</legend>
              <label className="choice choice--large">
                <input type="checkbox" name="revisitWanted" defaultChecked={value("revisitWanted") === "on"} />
                再訪の希望あり
              </label>
              <p className="hint small">団体から「また来てほしい」と言われたとき。申請が申請予定人数の半分未満のときも再訪候補になります。</p>
            </fieldset>
          ) : null}
          <Field id="notes" label="メモ" hint="当日の様子など。個人番号（マイナンバー）や申請者の氏名は書かないでください。" error={errors.notes}>
            {(aria) => <textarea {...aria} name="notes" rows={3} defaultValue={value("notes")} />}
          </Field>
          {results ? (
            <Field id="reason" label="訂正の理由（任意）" hint="例: 郵送分の件数を数え直した" error={errors.reason}>
              {(aria) => <input {...aria} type="text" name="reason" defaultValue={value("reason")} />}
            </Field>
          ) : null}

          {hydrated ? (
            <div className="results-totals" aria-live="polite">
              <p>
                申請 合計 <strong>{totals.applications}件</strong>（市内 {Math.max(0, totals.inCity)}人・市外 {totals.outOfCity}人）
              </p>
              {totals.outOverCount ? <p className="results-totals__warn">市外の人数が、その方式の件数を超えています。</p> : null}
              {parts.fallback && totals.fallback !== totals.reasons ? (
                <p className="results-totals__warn">
                  切替の理由別の合計（{totals.reasons}人）が切り替えた人数（{totals.fallback}人）と合っていません。
                </p>
              ) : null}
              <p className="small">
                その他対応 {totals.otherAssistance}件・現地での問合せ {totals.inquiries}件
              </p>
            </div>
          ) : null}

          <button type="submit" className="button button--large results-submit" aria-disabled={busy || undefined}>
            {results ? "訂正を保存する" : "保存して実施済にする"}
          </button>
          {!results ? <p className="small muted">保存すると、この訪問は実施済になります。あとから訂正できます（以前の値は履歴に残ります）。</p> : null}
        </Form>
      ) : null}

      {showForm && results ? (
        <p>
          <Link to={`/staff/visits/${visit.id}/results`}>訂正せずに戻る</Link>
        </p>
      ) : null}
      {d.organisation ? (
        <p className="small">
          <Link to={`/staff/organisations/${d.organisation.id}`}>団体のページ（{d.organisation.name}）</Link>
        </p>
      ) : null}
    </div>
  );
}
