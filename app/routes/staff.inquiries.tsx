import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { Badge, EmptyState, Field, FilterSelect, Notice, PageHeader, Pagination, StatusSlot } from "~/components/ui";
import { formatDate, isValidYmd, todayInTokyo } from "~/lib/dates";
import { notFound, parseId, requireId } from "~/lib/ids";
import { countInquiries, deleteInquiry, inquiryForEdit, inquiryOrigin, listInquiries, logInquiry, recentSessions, updateInquiry } from "~/onsite/inquiries.server";
import { INQUIRY_CHANNEL_LABELS } from "~/onsite/labels";
import { labelOf } from "~/lib/labels";
import { getSettings } from "~/settings.server";
import { INQUIRY_CHANNELS, type InquiryChannel } from "../../db/enums";

export const meta: MetaFunction = () => [{ title: "問合せ記録 | 出張申請窓口" }];

const NOT_FOUND = "問合せの記録が見つかりません。画面を再読み込みしてください。";
/** Query keys of the list's filters (kept across adding, editing and deleting). */
const FILTER_KEYS = ["month", "channel", "topic", "page"];

function lastDayOfMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0")}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "visits.manage");
  const url = new URL(request.url);
  const q = url.searchParams;
  const today = todayInTokyo();
  // No month in the address: this month. An empty month (すべての月): no filter.
  const month = q.has("month") ? (q.get("month") ?? "") : today.slice(0, 7);
  const validMonth = /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? month : "";
  const filter = { month: validMonth, channel: q.get("channel") ?? "", topic: q.get("topic") ?? "", page: Number(q.get("page")) || 1 };
  const editId = parseId(q.get("edit"));
  const editing = editId ? inquiryForEdit(editId) : null;
  const lastChannel = q.get("ch");
  const lastDay = q.get("on");
  return {
    today,
    filter,
    list: listInquiries(filter),
    monthCounts: validMonth ? countInquiries({ from: `${validMonth}-01`, to: lastDayOfMonth(validMonth) }) : null,
    categories: getSettings().inquiryCategories,
    sessions: recentSessions(today, editing?.visitId ?? null),
    editing,
    // What the previous quick add used, so a run of phone calls needs no re-choosing.
    sticky: {
      channel: (INQUIRY_CHANNELS as readonly string[]).includes(lastChannel ?? "") ? (lastChannel as InquiryChannel) : "phone",
      receivedOn: lastDay && isValidYmd(lastDay) && lastDay <= today ? lastDay : today,
    },
    added: parseId(q.get("added")) != null,
    saved: q.get("saved"),
    search: url.search,
  };
}

/** The list's address with its filters, plus `extra`. */
function backTo(request: Request, extra: Record<string, string> = {}): string {
  const q = new URL(request.url).searchParams;
  const out = new URLSearchParams();
  for (const k of FILTER_KEYS) if (q.has(k)) out.set(k, q.get(k) ?? "");
  for (const [k, v] of Object.entries(extra)) out.set(k, v);
  return `/staff/inquiries?${out}`;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "visits.manage");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const values = Object.fromEntries([...form].map(([k, v]) => [k, String(v)])) as Record<string, string>;
  const input = { receivedOn: values.receivedOn, channel: values.channel, topic: values.topic, visitId: values.visitId, summary: values.summary, count: values.count };
  if (intent === "add") {
    const result = logInquiry(input, user);
    if (!result.ok) return { intent, ok: false as const, message: result.message, errors: result.errors, values };
    return redirect(backTo(request, { added: String(result.id), ch: values.channel, on: values.receivedOn }));
  }
  if (intent === "update" || intent === "delete") {
    const id = requireId(form.get("id"), NOT_FOUND);
    if (!inquiryOrigin(id)) throw notFound(NOT_FOUND);
    const result = intent === "update" ? updateInquiry({ ...input, id }, user) : deleteInquiry({ id }, user);
    if (!result.ok) return { intent, ok: false as const, message: result.message, errors: result.errors, values };
    return redirect(backTo(request, { saved: intent }));
  }
  return { intent, ok: false as const, message: "操作を認識できませんでした。画面を再読み込みしてください。", errors: {} as Record<string, string>, values };
}

/** The list's address with some query keys set (or removed with null); the notices of the last action dropped. */
function hrefWith(search: string, set: Record<string, string | null>): string {
  const q = new URLSearchParams(search);
  for (const k of ["added", "saved", "ch", "on"]) q.delete(k);
  for (const [k, v] of Object.entries(set)) {
    if (v == null) q.delete(k);
    else q.set(k, v);
  }
  const s = q.toString();
  return s ? `/staff/inquiries?${s}` : "/staff/inquiries";
}

export default function Inquiries() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const e = d.editing;
  const formResult = result && (result.intent === "add" || result.intent === "update") ? result : null;
  const errs: Record<string, string> = formResult?.errors ?? {};
  const val = (k: string, fallback: string) => formResult?.values?.[k] ?? fallback;
  const channel = val("channel", e?.channel ?? d.sticky.channel);
  const cancelHref = hrefWith(d.search, { edit: null });
  return (
    <div className="page inquiries-page">
      <PageHeader title="問合せ記録" />
      <StatusSlot>
        {result ? null : d.added ? "記録しました。続けて入力できます。" : d.saved === "update" ? "問合せの記録を直しました。" : d.saved === "delete" ? "問合せの記録を削除しました。" : null}
      </StatusSlot>
      {result && !result.ok ? <Notice tone="error">{result.message}</Notice> : null}

      <section className="card quick-add" aria-labelledby="quick-h">
        <h2 id="quick-h">{e ? "問合せの記録を直す" : "問合せを記録する"}</h2>
        {/* key: a fresh form (and autofocus) after each add or when switching to editing. */}
        <Form method="post" noValidate key={e ? `edit-${e.id}` : `add-${d.search}`} className="quick-add__form">
          {e ? <input type="hidden" name="id" value={e.id} /> : null}
          <fieldset className="quick-add__channel">
            <legend>受付の方法</legend>
            {INQUIRY_CHANNELS.map((c) => (
              <label key={c} className="choice choice--pill">
                <input type="radio" name="channel" value={c} defaultChecked={channel === c} />
                {INQUIRY_CHANNEL_LABELS[c]}
              </label>
            ))}
            {errs.channel ? <p className="field-error">{errs.channel}</p> : null}
          </fieldset>
          <div className="quick-add__grid">
            <Field id="topic" label="分類" required error={errs.topic}>
              {(aria) => (
                <select {...aria} name="topic" defaultValue={val("topic", e?.topic ?? "")} autoFocus={!e}>
                  <option value="">選んでください</option>
                  {d.categories.map((c) => (
                    <option key={c.key} value={c.key}>
                      {c.label}
                    </option>
                  ))}
                  {e && !d.categories.some((c) => c.key === e.topic) ? <option value={e.topic}>{e.topic}</option> : null}
                </select>
              )}
            </Field>
            <Field id="summary" label="概要" error={errs.summary} hint="内容だけを短く。氏名・電話番号・メールアドレス・個人番号などの個人情報は書かないでください。">
              {(aria) => <input {...aria} type="text" name="summary" maxLength={200} autoComplete="off" defaultValue={val("summary", e?.summary ?? "")} placeholder="例: 必要書類の確認" />}
            </Field>
            <Field id="receivedOn" label="受けた日" required error={errs.receivedOn}>
              {(aria) => <input {...aria} type="date" name="receivedOn" max={d.today} defaultValue={val("receivedOn", e?.receivedOn ?? d.sticky.receivedOn)} />}
            </Field>
            <Field id="count" label="件数" error={errs.count} hint="同じ内容をまとめて記録するとき">
              {(aria) => <input {...aria} type="number" name="count" min={1} max={999} inputMode="numeric" defaultValue={val("count", String(e?.count ?? 1))} className="input--count" />}
            </Field>
            <Field id="visitId" label="実施回（現地のとき）" error={errs.visitId} hint="2週間以内の回から選べます。">
              {(aria) => (
                <select {...aria} name="visitId" defaultValue={val("visitId", e?.visitId ? String(e.visitId) : "")}>
                  <option value="">（なし）</option>
                  {d.sessions.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.date ? `${formatDate(s.date)} ` : ""}
                      {s.title}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <div className="row">
            <button type="submit" name="intent" value={e ? "update" : "add"} className="button button--large" aria-disabled={busy || undefined}>
              {e ? "直して保存" : "記録する"}
            </button>
            {e ? (
              <Link to={cancelHref} className="button button--secondary">
                やめる
              </Link>
            ) : (
              <span className="muted small">Enterキーでも記録できます。</span>
            )}
          </div>
        </Form>
      </section>

      <section aria-labelledby="list-h">
        <h2 id="list-h">記録の一覧</h2>
        <Form method="get" className="row filters" role="search" aria-label="問合せ記録の絞り込み">
          <label className="filter">
            <span>月</span>
            <input type="month" name="month" defaultValue={d.filter.month} />
          </label>
          <FilterSelect label="方法" name="channel" value={d.filter.channel} options={INQUIRY_CHANNELS.map((c) => [c, INQUIRY_CHANNEL_LABELS[c]] as const)} />
          <FilterSelect label="分類" name="topic" value={d.filter.topic} options={d.categories.map((c) => [c.key, c.label] as const)} />
          <button type="submit" className="button button--secondary">
            絞り込む
          </button>
          <Link to="/staff/inquiries?month=" className="small">
            すべての月
          </Link>
        </Form>
        {d.monthCounts ? (
          <p className="small inquiry-counts">
            {Number(d.filter.month.slice(0, 4))}年{Number(d.filter.month.slice(5))}月の合計 <strong>{d.monthCounts.total}件</strong>（
            {INQUIRY_CHANNELS.map((c) => `${INQUIRY_CHANNEL_LABELS[c]} ${d.monthCounts!.byChannel[c]}件`).join("・")}）
          </p>
        ) : null}
        {d.list.rows.length === 0 ? (
          <EmptyState>条件に合う問合せの記録はありません。</EmptyState>
        ) : (
          <div className="table-wrap" role="region" aria-label={`問合せ記録（${d.list.total}行・合計${d.list.countSum}件）`} tabIndex={0}>
            <table className="inquiry-table">
              <caption className="visually-hidden">問合せ記録（{d.list.total}行・合計{d.list.countSum}件）</caption>
              <thead>
                <tr>
                  <th scope="col">受けた日</th>
                  <th scope="col">方法</th>
                  <th scope="col">分類</th>
                  <th scope="col">概要</th>
                  <th scope="col" className="num">
                    件数
                  </th>
                  <th scope="col">実施回</th>
                  <th scope="col">記録</th>
                </tr>
              </thead>
              <tbody>
                {d.list.rows.map((r) => (
                  <tr key={r.id}>
                    <td className="nowrap">{formatDate(r.receivedOn)}</td>
                    <td className="nowrap">{INQUIRY_CHANNEL_LABELS[r.channel]}</td>
                    <td>{labelOf(d.categories, r.topic)}</td>
                    <td className="inquiry-summary">{r.summary ?? <span className="muted">—</span>}</td>
                    <td className="num">{r.count}</td>
                    <td className="small">{r.visitId ? <Link to={`/staff/visits/${r.visitId}`}>{r.visitTitle}</Link> : "—"}</td>
                    <td className="nowrap small">
                      {r.fromResults ? (
                        <Badge tone="info">結果入力から</Badge>
                      ) : (
                        <div className="row row--tight">
                          <span className="muted">{r.createdBy ?? ""}</span>
                          <Link to={hrefWith(d.search, { edit: String(r.id) })} aria-label={`${formatDate(r.receivedOn)}の問合せを直す`}>
                            直す
                          </Link>
                          <Form method="post" className="inline-form">
                            <input type="hidden" name="id" value={r.id} />
                            <button
                              type="submit"
                              name="intent"
                              value="delete"
                              className="button button--quiet button--small"
                              aria-label={`${formatDate(r.receivedOn)}の問合せを削除`}
                              onClick={(ev) => {
                                if (!window.confirm("この問合せの記録を削除しますか？")) ev.preventDefault();
                              }}
                            >
                              削除
                            </button>
                          </Form>
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="muted small">
          {d.list.total}行・合計{d.list.countSum}件。「結果入力から」の行は実施結果の画面で入力された現地の問合せで、ここでは直せません。
        </p>
        <Pagination page={d.list.page} pageCount={d.list.pageCount} search={d.search} />
      </section>
    </div>
  );
}
