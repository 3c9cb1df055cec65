import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data as withStatus } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requirePermission } from "~/auth.server";
import { Badge, EmptyState, Field, Notice, PageHeader, VisitStatusBadge } from "~/components/ui";
import { ACTIVITY_KIND_LABELS, ACTIVITY_LOG_KINDS, daysSince } from "~/crm/labels";
import { OrganisationForm } from "~/crm/OrganisationForm";
import {
  addContact,
  createTask,
  finishTask,
  getOrganisationPage,
  linkContact,
  listDistrictOptions,
  listStaffOptions,
  logManualActivity,
  newTaskFormKey,
  searchContacts,
  setNextAction,
  unlinkContact,
  updateOrganisation,
} from "~/crm/organisations.server";
import { moveStage } from "~/crm/pipeline.server";
import { applyProposal, dismissProposal, listPendingProposals, proposalOf } from "~/crm/proposals.server";
import { manualTargets } from "~/crm/stages";
import { formatDate, formatInstant, formatTimeRange, todayInTokyo } from "~/lib/dates";
import { ORGANISATION_KIND_LABELS, STAGE_LABELS } from "~/lib/labels";
import { notFound, requireId } from "~/lib/ids";
import { contactLinked, recordExists } from "~/lib/records.server";
import { can } from "~/permissions";
import { clientIp } from "~/request-info.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.organisation.name ?? "団体"} | 出張申請窓口` }];

const ORGANISATION_NOT_FOUND = "団体が見つかりません。一覧から選び直してください。";
const TASK_NOT_FOUND = "この団体のタスクが見つかりません。画面を再読み込みしてください。";
const CONTACT_NOT_FOUND = "この団体の担当者が見つかりません。画面を再読み込みしてください。";
const PROPOSAL_NOT_FOUND = "この団体への申込の提案が見つかりません。画面を再読み込みしてください。";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "crm.view");
  const id = requireId(params.id, ORGANISATION_NOT_FOUND);
  const page = getOrganisationPage(id, user, clientIp(request));
  if (!page) throw notFound(ORGANISATION_NOT_FOUND);
  const contactQ = new URL(request.url).searchParams.get("contactQ") ?? "";
  return {
    ...page,
    districts: listDistrictOptions(),
    staff: listStaffOptions(),
    contactQ,
    contactMatches: contactQ ? searchContacts(contactQ, id) : [],
    proposals: listPendingProposals(id),
    today: todayInTokyo(),
    canMerge: can(user.role, "crm.merge"),
    userId: user.id,
    // New on every load: after a task is added the page reloads its data, so the next task gets a new key.
    taskFormKey: newTaskFormKey(),
  };
}

type ActionResult = { intent: string; ok?: string; error?: string; errors?: Record<string, string>; values?: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "crm.edit");
  const id = requireId(params.id, ORGANISATION_NOT_FOUND);
  // Checked before any write: a missing organisation is a 404, not a foreign-key error.
  if (!recordExists("organisation", id)) throw notFound(ORGANISATION_NOT_FOUND);
  const form = await request.formData();
  const values = Object.fromEntries(form) as Record<string, string>;
  const intent = values.intent ?? "";
  const done = (ok: string): ActionResult => ({ intent, ok });
  switch (intent) {
    case "log": {
      const r = logManualActivity(id, values, user.id);
      return r.ok ? done("記録しました。") : withStatus<ActionResult>({ intent, errors: r.errors, values }, { status: 400 });
    }
    case "update": {
      const r = updateOrganisation(id, values, user.id);
      return r.ok ? done("団体の情報を保存しました。") : withStatus<ActionResult>({ intent, errors: r.errors, values }, { status: 400 });
    }
    case "nextAction": {
      const r = setNextAction(id, values, user.id);
      return r.ok ? done("次回予定を保存しました。") : withStatus<ActionResult>({ intent, errors: r.errors, values }, { status: 400 });
    }
    case "addTask": {
      const r = createTask(id, values, user.id);
      return r.ok ? done("タスクを追加しました。") : withStatus<ActionResult>({ intent, errors: r.errors, values }, { status: 400 });
    }
    case "finishTask": {
      // Only this organisation's tasks: another one's task id is not found here.
      const r = finishTask(requireId(values.taskId, TASK_NOT_FOUND), user.id, { organisationId: id });
      if (!r.ok) throw notFound(TASK_NOT_FOUND);
      return done(`「${r.title}」を完了にしました。`);
    }
    case "addContact": {
      const r = addContact(id, values, user.id);
      return r.ok ? done("担当者を追加しました。") : withStatus<ActionResult>({ intent, errors: r.errors, values }, { status: 400 });
    }
    case "linkContact": {
      const contactId = requireId(values.contactId, CONTACT_NOT_FOUND);
      if (!recordExists("contact", contactId)) throw notFound(CONTACT_NOT_FOUND);
      const r = linkContact(id, contactId, values.role ?? "", user.id);
      return r.ok ? done("担当者を紐付けました。") : withStatus<ActionResult>({ intent, errors: r.errors }, { status: 400 });
    }
    case "unlinkContact": {
      const contactId = requireId(values.contactId, CONTACT_NOT_FOUND);
      if (!contactLinked(id, contactId)) throw notFound(CONTACT_NOT_FOUND);
      unlinkContact(id, contactId, user.id);
      return done("担当者の紐付けを解除しました（担当者の情報は残ります）。");
    }
    case "applyProposal":
    case "dismissProposal": {
      const proposalId = requireId(values.proposalId, PROPOSAL_NOT_FOUND);
      if (!proposalOf(id, proposalId)) throw notFound(PROPOSAL_NOT_FOUND);
      const r = intent === "applyProposal" ? applyProposal(proposalId, id, user.id) : dismissProposal(proposalId, id, user.id);
      return r.ok ? done(r.message) : withStatus<ActionResult>({ intent, error: r.message }, { status: 409 });
    }
    case "moveStage": {
      const r = moveStage({ organisationId: id, to: values.to ?? "", reason: values.reason, userId: user.id });
      return r.ok ? done(`「${STAGE_LABELS[r.to]}」に移動しました。`) : withStatus<ActionResult>({ intent, error: r.message }, { status: 400 });
    }
    default:
      return withStatus<ActionResult>({ intent, error: "操作を認識できませんでした。画面を再読み込みしてください。" }, { status: 400 });
  }
}

function ActivityLogForm({ result, busy }: { result?: ActionResult; busy: boolean }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const mine = result?.intent === "log" ? result : undefined;
  useEffect(() => {
    if (mine?.ok && ref.current) ref.current.value = "";
  }, [mine]);
  return (
    <Form method="post" className="card log-form" aria-labelledby="h-log">
      <h2 id="h-log">活動を記録</h2>
      <fieldset className="row log-form__kinds">
        <legend className="visually-hidden">記録の種類</legend>
        {ACTIVITY_LOG_KINDS.map((k) => (
          <label key={k} className="choice">
            <input type="radio" name="kind" value={k} defaultChecked={(mine?.values?.kind ?? "call") === k} /> {ACTIVITY_KIND_LABELS[k]}
          </label>
        ))}
      </fieldset>
      <Field id="log-summary" label="記録の内容" hint="1行目が見出しになります" error={mine?.errors?.summary}>
        {(aria) => (
          // The summary is where staff start typing after a call.
          // eslint-disable-next-line jsx-a11y/no-autofocus
          <textarea {...aria} ref={ref} name="summary" rows={3} autoFocus defaultValue={mine?.ok ? "" : mine?.values?.summary ?? ""} />
        )}
      </Field>
      <div className="row">
        <button className="button" name="intent" value="log" aria-disabled={busy || undefined}>
          記録する
        </button>
        {mine?.ok ? <span role="status">{mine.ok}</span> : null}
      </div>
    </Form>
  );
}

export default function OrganisationPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const o = d.organisation;
  const targets = manualTargets(o.stage);
  const errorsFor = (intent: string) => (result?.intent === intent ? result.errors : undefined);
  // A task was added: empty the form for the next one (its hidden key is already new from the reloaded data).
  const taskFormRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (result?.intent === "addTask" && result.ok) taskFormRef.current?.reset();
  }, [result]);
  return (
    <div className="page">
      <PageHeader title={o.name}>
        <Link to="/staff/organisations" className="button button--secondary">
          一覧へ
        </Link>
        {d.canMerge && !o.mergedIntoId ? (
          <Link to={`/staff/organisations/${o.id}/merge`} className="button button--secondary">
            重複を統合
          </Link>
        ) : null}
      </PageHeader>
      {d.mergedInto ? (
        <Notice tone="warn" title="この団体は統合済みです">
          <p>
            <Link to={`/staff/organisations/${d.mergedInto.id}`}>{d.mergedInto.name}</Link> に統合されました。
          </p>
        </Notice>
      ) : null}
      {d.duplicateOf ? (
        <Notice tone="warn" title="重複の可能性があります">
          <p>
            <Link to={`/staff/organisations/${d.duplicateOf.id}`}>{d.duplicateOf.name}</Link> と同じ団体かもしれません。
            {d.canMerge ? (
              <>
                {" "}
                <Link to={`/staff/organisations/${o.id}/merge?with=${d.duplicateOf.id}`}>統合を検討する</Link>
              </>
            ) : null}
          </p>
        </Notice>
      ) : null}
      {result?.ok && result.intent !== "log" ? <Notice tone="ok">{result.ok}</Notice> : null}
      {result?.error ? <Notice tone="error">{result.error}</Notice> : null}
      {result?.errors && result.intent !== "log" ? <Notice tone="error">入力内容を確認してください。</Notice> : null}
      {d.proposals.map((p) => (
        <section key={p.id} className="card notice notice--warn" aria-labelledby={`h-proposal-${p.id}`}>
          <h2 id={`h-proposal-${p.id}`}>申込からの変更の提案（受付番号 {p.receiptNo}）</h2>
          <p className="small">
            {formatInstant(p.createdAt)}にWebフォームから届いた申込です。申込者は確認できないため、団体の情報はまだ変えていません。内容を確かめてから反映してください。
          </p>
          {p.changes.fields.length || p.changes.contact || p.changes.stage ? (
            <ul>
              {p.changes.fields.map((f) => (
                <li key={f.field}>
                  {f.label}: {f.from ?? "（未登録）"} → <strong>{f.to}</strong>
                </li>
              ))}
              {p.changes.contact ? (
                <li>
                  担当者を追加: <strong>{p.changes.contact.name}</strong>（申込担当者） {p.changes.contact.phone} {p.changes.contact.email}
                </li>
              ) : null}
              {p.changes.stage ? (
                <li>
                  段階: {STAGE_LABELS[p.changes.stage.from]} → <strong>{STAGE_LABELS[p.changes.stage.to]}</strong>
                </li>
              ) : null}
            </ul>
          ) : (
            <p>いまの団体の情報と同じため、反映する変更はありません。</p>
          )}
          <Form method="post" className="row">
            <input type="hidden" name="proposalId" value={p.id} />
            <button className="button button--small" name="intent" value="applyProposal" aria-disabled={busy || undefined}>
              確認して反映
            </button>
            <button className="button button--small button--secondary" name="intent" value="dismissProposal" aria-disabled={busy || undefined}>
              反映しない
            </button>
            {p.visitId ? (
              <Link to={`/staff/visits/${p.visitId}`} className="small">
                申込の訪問を開く
              </Link>
            ) : null}
          </Form>
        </section>
      ))}

      <div className="org-layout">
        <div className="stack">
          <section className="card" aria-labelledby="h-summary">
            <h2 id="h-summary">概要</h2>
            <dl className="facts">
              <dt>種類</dt>
              <dd>{ORGANISATION_KIND_LABELS[o.kind]}</dd>
              <dt>段階</dt>
              <dd>
                <Badge tone={o.stage === "lost" ? "danger" : o.stage === "visited" ? "ok" : "info"}>{STAGE_LABELS[o.stage]}</Badge>{" "}
                <span className="muted small">
                  この段階で{daysSince(o.stageChangedAt)}日（{formatInstant(o.stageChangedAt)}から）
                </span>
                {o.stage === "lost" && o.lostReason ? (
                  <p className="small">
                    理由: {o.lostReason}
                    {o.lostAtStage ? `（${STAGE_LABELS[o.lostAtStage]}で見送り）` : ""}
                  </p>
                ) : null}
              </dd>
              <dt>担当</dt>
              <dd>{o.ownerName ?? "担当なし"}</dd>
              <dt>地区</dt>
              <dd>{o.districtName ?? "未設定"}</dd>
              <dt>住所</dt>
              <dd>
                {o.postalCode ? `〒${o.postalCode} ` : ""}
                {o.address ?? "—"}
              </dd>
              <dt>電話</dt>
              <dd>{o.phone ? <a href={`tel:${o.phone}`}>{o.phone}</a> : "—"}</dd>
              <dt>メール</dt>
              <dd>{o.email ? <a href={`mailto:${o.email}`}>{o.email}</a> : "—"}</dd>
              <dt>人数</dt>
              <dd>
                {o.headCount ?? "—"}人（申請見込み {o.expectedApplicants ?? "—"}人）
              </dd>
              {o.notes ? (
                <>
                  <dt>メモ</dt>
                  <dd className="prewrap">{o.notes}</dd>
                </>
              ) : null}
            </dl>
            <details>
              <summary>団体の情報を編集</summary>
              <OrganisationForm
                values={result?.intent === "update" && result.values ? result.values : o}
                errors={errorsFor("update")}
                districts={d.districts}
                staff={d.staff}
                intent="update"
                submitLabel="保存する"
                busy={busy}
              />
            </details>
          </section>

          {d.priority ? (
            <section className="card" aria-labelledby="h-priority">
              <h2 id="h-priority">
                優先度 <span className="priority-score">{d.priority.score}</span>
                <span className="muted small"> / 100</span>
              </h2>
              <table className="priority-table">
                <caption className="visually-hidden">優先度の内訳</caption>
                <thead>
                  <tr>
                    <th scope="col">要素</th>
                    <th scope="col" className="num">
                      点
                    </th>
                    <th scope="col">根拠</th>
                  </tr>
                </thead>
                <tbody>
                  {d.priority.parts.map((p) => (
                    <tr key={p.key}>
                      <th scope="row">{p.label}</th>
                      <td className="num">+{p.points.toFixed(1)}</td>
                      <td className="small">
                        {p.explanation}
                        <span className="muted">（重み {p.weight}）</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="muted small">重みは管理者が設定画面で変更できます。</p>
            </section>
          ) : null}

          <section className="card" aria-labelledby="h-contacts">
            <h2 id="h-contacts">担当者</h2>
            {d.contacts.length === 0 ? (
              <EmptyState>担当者が登録されていません。</EmptyState>
            ) : (
              <ul className="plain-list">
                {d.contacts.map((c) => (
                  <li key={c.id}>
                    <strong>{c.name}</strong> {c.role ? <span className="muted">{c.role}</span> : null} {c.isPrimary ? <Badge tone="info">主担当</Badge> : null}
                    <div className="small">
                      {c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : null} {c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : null}
                    </div>
                    {c.otherOrganisations.length ? (
                      <div className="small muted">
                        ほかの所属:{" "}
                        {c.otherOrganisations.map((x, i) => (
                          <span key={x.organisationId}>
                            {i > 0 ? "、" : ""}
                            <Link to={`/staff/organisations/${x.organisationId}`}>{x.name}</Link>
                          </span>
                        ))}
                      </div>
                    ) : null}
                    <details className="small">
                      <summary>紐付けを解除</summary>
                      <Form method="post">
                        <input type="hidden" name="contactId" value={c.id} />
                        <p>この団体から{c.name}さんの紐付けを外します（担当者の情報は残ります）。</p>
                        <button className="button button--danger button--small" name="intent" value="unlinkContact">
                          解除する
                        </button>
                      </Form>
                    </details>
                  </li>
                ))}
              </ul>
            )}
            <details open={result?.intent === "addContact" && !!result.errors}>
              <summary>担当者を追加</summary>
              <Form method="post" noValidate>
                <Field id="c-name" label="氏名" required error={errorsFor("addContact")?.name}>
                  {(aria) => <input type="text" {...aria} name="name" defaultValue={result?.intent === "addContact" ? result.values?.name : ""} />}
                </Field>
                <Field id="c-role" label="役職・役割" hint="例: 総務担当、会長、施設長" error={errorsFor("addContact")?.role}>
                  {(aria) => <input type="text" {...aria} name="role" />}
                </Field>
                <Field id="c-phone" label="電話番号" error={errorsFor("addContact")?.phone}>
                  {(aria) => <input {...aria} name="phone" type="tel" />}
                </Field>
                <Field id="c-email" label="メール" error={errorsFor("addContact")?.email}>
                  {(aria) => <input {...aria} name="email" type="email" />}
                </Field>
                <button className="button button--small" name="intent" value="addContact" aria-disabled={busy || undefined}>
                  追加する
                </button>
              </Form>
            </details>
            <details open={!!d.contactQ}>
              <summary>登録済みの担当者を紐付け（ほかの団体と兼ねる人）</summary>
              <Form method="get" className="row">
                <label htmlFor="contact-q">氏名で検索</label>
                <input id="contact-q" name="contactQ" type="search" defaultValue={d.contactQ} />
                <button className="button button--secondary button--small">検索</button>
              </Form>
              {d.contactQ && d.contactMatches.length === 0 ? <p className="muted">該当する担当者はいません。</p> : null}
              <ul className="plain-list">
                {d.contactMatches.map((c) => (
                  <li key={c.id}>
                    <Form method="post" className="row">
                      <input type="hidden" name="contactId" value={c.id} />
                      <span>
                        {c.name} <span className="muted small">{c.phone ?? c.email ?? ""}</span>
                      </span>
                      <label htmlFor={`link-role-${c.id}`} className="visually-hidden">
                        {c.name}さんの役割
                      </label>
                      <input type="text" id={`link-role-${c.id}`} name="role" placeholder="役割（例: 会長）" />
                      <button className="button button--small" name="intent" value="linkContact">
                        紐付ける
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            </details>
          </section>
        </div>

        <div className="stack">
          <ActivityLogForm result={result} busy={busy} />

          <section className="card" aria-labelledby="h-next">
            <h2 id="h-next">次回予定・段階</h2>
            <p>
              {o.nextActionOn ? (
                <>
                  次回: <strong>{formatDate(o.nextActionOn)}</strong> {o.nextActionNote ?? ""}
                  {o.nextActionOn < d.today ? <Badge tone="danger">期限切れ</Badge> : null}
                </>
              ) : (
                <Badge tone="warn">次回予定なし</Badge>
              )}
            </p>
            <Form method="post" className="row row--end">
              <Field id="next-on" label="次回予定日" error={errorsFor("nextAction")?.nextActionOn}>
                {(aria) => <input {...aria} type="date" name="nextActionOn" defaultValue={o.nextActionOn ?? ""} />}
              </Field>
              <Field id="next-note" label="次回予定の内容" error={errorsFor("nextAction")?.nextActionNote}>
                {(aria) => <input type="text" {...aria} name="nextActionNote" defaultValue={o.nextActionNote ?? ""} placeholder="例: 役員会の結果を確認" />}
              </Field>
              <button className="button button--small" name="intent" value="nextAction" aria-disabled={busy || undefined}>
                次回予定を保存
              </button>
            </Form>
            {targets.length ? (
              <Form method="post" className="row row--end">
                <Field id="stage-to" label="段階を移動">
                  {(aria) => (
                    <select {...aria} name="to" defaultValue="">
                      <option value="" disabled>
                        選んでください
                      </option>
                      {targets.map((s) => (
                        <option key={s} value={s}>
                          {STAGE_LABELS[s]}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id="stage-reason" label="理由（見送りのときは必須）">
                  {(aria) => <input type="text" {...aria} name="reason" />}
                </Field>
                <button className="button button--small button--secondary" name="intent" value="moveStage" aria-disabled={busy || undefined}>
                  移動
                </button>
              </Form>
            ) : (
              <p className="muted small">進行中の訪問があるため、段階は手続きに合わせて自動で移動します。</p>
            )}
          </section>

          <section className="card" aria-labelledby="h-tasks">
            <h2 id="h-tasks">未完了のタスク</h2>
            {d.openTasks.length === 0 ? (
              <EmptyState>未完了のタスクはありません。</EmptyState>
            ) : (
              <ul className="plain-list">
                {d.openTasks.map((t) => (
                  <li key={t.id}>
                    <Form method="post" className="row">
                      <input type="hidden" name="taskId" value={t.id} />
                      <button className="button button--small" name="intent" value="finishTask" aria-label={`「${t.title}」を完了にする`}>
                        完了
                      </button>
                      <span>
                        {t.title}{" "}
                        <span className="muted small">
                          {t.dueOn ? `期限 ${formatDate(t.dueOn)}` : "期限なし"}・{t.assigneeName ?? "担当なし"}
                        </span>
                        {t.dueOn && t.dueOn < d.today ? <Badge tone="danger">期限切れ</Badge> : null}
                      </span>
                    </Form>
                  </li>
                ))}
              </ul>
            )}
            <details open={result?.intent === "addTask"}>
              <summary>タスクを追加</summary>
              <Form method="post" noValidate ref={taskFormRef}>
                {/* Posting this form twice with the same key (a double click) adds the task once. */}
                <input type="hidden" name="formKey" value={d.taskFormKey} />
                <Field id="t-title" label="タスクの内容" required error={errorsFor("addTask")?.title}>
                  {(aria) => <input type="text" {...aria} name="title" />}
                </Field>
                <Field id="t-due" label="期限" error={errorsFor("addTask")?.dueOn}>
                  {(aria) => <input {...aria} type="date" name="dueOn" />}
                </Field>
                <Field id="t-assignee" label="担当">
                  {(aria) => (
                    <select {...aria} name="assigneeId" defaultValue={d.userId}>
                      {d.staff.map((u) => (
                        <option key={u.id} value={u.id}>
                          {u.name}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <button className="button button--small" name="intent" value="addTask" aria-disabled={busy || undefined}>
                  追加する
                </button>
              </Form>
            </details>
          </section>

          <section className="card" aria-labelledby="h-visits">
            <h2 id="h-visits">申込・訪問</h2>
            {d.visits.length === 0 ? (
              <EmptyState>申込・訪問はまだありません。</EmptyState>
            ) : (
              <ul className="plain-list">
                {d.visits.map((v) => (
                  <li key={v.id}>
                    <VisitStatusBadge status={v.status} /> <Link to={`/staff/visits/${v.id}`}>{v.title}</Link>{" "}
                    <span className="muted small">
                      {v.receiptNo ?? ""} {formatTimeRange(v.startsAt, v.endsAt) || (v.date ? formatDate(v.date) : "日程調整中")}
                      {v.expectedApplicants ? `・見込み${v.expectedApplicants}人` : ""}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="card" aria-labelledby="h-timeline">
            <h2 id="h-timeline">履歴</h2>
            {d.timeline.length === 0 ? (
              <EmptyState>まだ履歴はありません。</EmptyState>
            ) : (
              <ol className="timeline">
                {d.timeline.map((a) => (
                  <li key={a.id} className={`timeline__item timeline__item--${a.kind}`}>
                    <div className="timeline__meta small">
                      <span className="badge badge--neutral">{ACTIVITY_KIND_LABELS[a.kind]}</span> <time dateTime={a.occurredAt}>{formatInstant(a.occurredAt)}</time>{" "}
                      <span className="muted">{a.userName ?? "システム"}</span>
                    </div>
                    <div>
                      {a.kind === "stage_change" && a.toStage ? (
                        <>
                          段階: {a.fromStage ? STAGE_LABELS[a.fromStage] : "—"} → <strong>{STAGE_LABELS[a.toStage]}</strong>
                        </>
                      ) : (
                        a.summary
                      )}
                      {a.visitId ? (
                        <>
                          {" "}
                          <Link to={`/staff/visits/${a.visitId}`} className="small">
                            訪問を開く
                          </Link>
                        </>
                      ) : null}
                    </div>
                    {a.body ? <div className="prewrap small">{a.body}</div> : null}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
