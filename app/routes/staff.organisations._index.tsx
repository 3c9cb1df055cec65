import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { EmptyState, Notice, PageHeader, Pagination } from "~/components/ui";
import { filtersToQuery, parseFilters, SORTS } from "~/crm/filters";
import { daysSince } from "~/crm/labels";
import {
  deleteSavedFilter,
  listDistrictOptions,
  listOrganisations,
  listSavedFilters,
  listStaffOptions,
  priorityFor,
  saveFilter,
} from "~/crm/organisations.server";
import { PRIORITY_BANDS } from "~/crm/priority";
import { formatDate } from "~/lib/dates";
import { notFound, requireId } from "~/lib/ids";
import { ORGANISATION_KIND_LABELS, STAGE_LABELS } from "~/lib/labels";
import { can } from "~/permissions";
import { ORGANISATION_KINDS, STAGES } from "../../db/enums";

export const meta: MetaFunction = () => [{ title: "団体 | 出張申請窓口" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "crm.view");
  const url = new URL(request.url);
  const filters = parseFilters(url.searchParams);
  const list = listOrganisations(filters, user.id);
  const breakdown = priorityFor(list.rows.map((r) => r.id));
  return {
    filters,
    ...list,
    // Only what the breakdown shows: fifty rows of it travel in every page's data.
    rows: list.rows.map((r) => ({
      ...r,
      priority: Math.round(r.priority),
      parts: (breakdown.get(r.id)?.parts ?? []).map((p) => ({ key: p.key, label: p.label, points: p.points, explanation: p.explanation })),
    })),
    districts: listDistrictOptions(),
    staff: listStaffOptions(),
    saved: listSavedFilters(user.id),
    canImport: can(user.role, "crm.import"),
    canExport: can(user.role, "crm.export"),
    canMerge: can(user.role, "crm.merge"),
  };
}

const FILTER_NOT_FOUND = "保存した条件が見つかりません。画面を再読み込みしてください。";

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "crm.view");
  const form = await request.formData();
  const intent = String(form.get("intent"));
  if (intent === "saveFilter") {
    const r = saveFilter(user.id, String(form.get("filterName") ?? ""), String(form.get("query") ?? ""));
    return r.ok ? { ok: "検索条件を保存しました。" } : { errors: r.errors };
  }
  if (intent === "deleteFilter") {
    // Only the user's own filters: another id is not found.
    if (!deleteSavedFilter(user.id, requireId(form.get("filterId"), FILTER_NOT_FOUND))) throw notFound(FILTER_NOT_FOUND);
    return { ok: "保存した条件を削除しました。" };
  }
  return { error: "操作を認識できませんでした。" };
}

export default function OrganisationList() {
  const d = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as { ok?: string; error?: string; errors?: Record<string, string> } | undefined;
  const location = useLocation();
  const navigation = useNavigation();
  const f = d.filters;
  const query = filtersToQuery(f);
  const start = (d.page - 1) * 50;
  return (
    <div className="page">
      <PageHeader title="団体">
        <Link className="button" to="/staff/organisations/new">
          団体を登録
        </Link>
        {d.canImport ? (
          <Link className="button button--secondary" to="/staff/organisations/import">
            CSV取込
          </Link>
        ) : null}
        {d.canExport ? (
          <a className="button button--secondary" href={`/staff/organisations/export${query ? `?${query}` : ""}`} download>
            CSV出力
          </a>
        ) : null}
        <Link className="button button--secondary" to="/staff/districts">
          地区
        </Link>
      </PageHeader>
      {data?.ok ? <Notice tone="ok">{data.ok}</Notice> : null}
      {data?.error ? <Notice tone="error">{data.error}</Notice> : null}

      <nav className="row quick-filters" aria-label="よく使う条件">
        <Link className={`button button--small ${f.owner === "me" && query === "owner=me" ? "" : "button--secondary"}`} to="?owner=me">
          自分の担当団体
        </Link>
        <Link className="button button--small button--secondary" to="?owner=me&noNext=1">
          次回予定なし（自分）
        </Link>
        <Link className="button button--small button--secondary" to="?openTask=1&sort=nextAction">
          未完了タスクあり
        </Link>
        {d.saved.map((s) => (
          <span key={s.id} className="saved-filter">
            <Link className="button button--small button--secondary" to={`?${s.query}`}>
              {s.name}
            </Link>
            <Form method="post" className="inline">
              <input type="hidden" name="filterId" value={s.id} />
              <button className="button button--quiet button--small" name="intent" value="deleteFilter" aria-label={`保存した条件「${s.name}」を削除`}>
                ×
              </button>
            </Form>
          </span>
        ))}
      </nav>

      <Form method="get" className="card filters" role="search" aria-label="団体の検索" key={location.search}>
        <div className="filters__grid">
          <div className="field">
            <label htmlFor="f-q">団体名・よみがな</label>
            <input id="f-q" type="search" name="q" defaultValue={f.q} placeholder="例: あおば商事、ｱｵﾊﾞ" />
          </div>
          <div className="field">
            <label htmlFor="f-kind">種類</label>
            <select id="f-kind" name="kind" defaultValue={f.kind}>
              <option value="">すべて</option>
              {ORGANISATION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {ORGANISATION_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-district">地区</label>
            <select id="f-district" name="district" defaultValue={f.district ?? ""}>
              <option value="">すべて</option>
              {d.districts.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-stage">段階</label>
            <select id="f-stage" name="stage" defaultValue={f.stage}>
              <option value="">すべて</option>
              {STAGES.map((s) => (
                <option key={s} value={s}>
                  {STAGE_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-owner">担当</label>
            <select id="f-owner" name="owner" defaultValue={f.owner}>
              <option value="">すべて</option>
              <option value="me">自分</option>
              <option value="none">担当なし</option>
              {d.staff.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-band">優先度</label>
            <select id="f-band" name="band" defaultValue={f.band}>
              <option value="">すべて</option>
              {Object.entries(PRIORITY_BANDS).map(([k, b]) => (
                <option key={k} value={k}>
                  {b.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-sort">並び順</label>
            <select id="f-sort" name="sort" defaultValue={f.sort}>
              {Object.entries(SORTS).map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="filters__checks">
            <legend className="visually-hidden">その他の条件</legend>
            <label className="choice">
              <input type="checkbox" name="openTask" value="1" defaultChecked={f.openTask} /> 未完了タスクあり
            </label>
            <label className="choice">
              <input type="checkbox" name="noNext" value="1" defaultChecked={f.noNextAction} /> 次回予定なし
            </label>
          </fieldset>
        </div>
        <div className="row">
          <button className="button" type="submit">
            検索
          </button>
          <Link to="/staff/organisations" className="button button--secondary">
            条件をクリア
          </Link>
        </div>
      </Form>

      {query ? (
        <details className="save-filter">
          <summary>この条件を保存</summary>
          <Form method="post" className="row">
            <input type="hidden" name="query" value={query} />
            <label htmlFor="filter-name">名前</label>
            <input type="text" id="filter-name" name="filterName" placeholder="例: 港町の福祉施設" aria-describedby={data?.errors?.filterName ? "filter-name-error" : undefined} />
            <button className="button button--small" name="intent" value="saveFilter" aria-disabled={navigation.state === "submitting" || undefined}>
              保存
            </button>
            {data?.errors?.filterName ? (
              <p className="field-error" id="filter-name-error">
                {data.errors.filterName}
              </p>
            ) : null}
          </Form>
        </details>
      ) : null}

      <p className="muted" aria-live="polite">
        {d.total.toLocaleString("ja-JP")}件
        {d.total > 0 ? `（${start + 1}〜${Math.min(start + 50, d.total)}件目）` : ""}
      </p>
      {d.rows.length === 0 ? (
        <EmptyState>
          条件に合う団体はありません。条件を減らすか、<Link to="/staff/organisations/new">団体を登録</Link>してください。
        </EmptyState>
      ) : (
        <div className="table-wrap" role="region" aria-label={`団体一覧（${SORTS[f.sort]}順）`} tabIndex={0}>
          <table className="org-table">
            <caption className="visually-hidden">団体一覧（{SORTS[f.sort]}順）</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  優先度
                </th>
                <th scope="col">団体名</th>
                <th scope="col">種類</th>
                <th scope="col">地区</th>
                <th scope="col">段階</th>
                <th scope="col">担当</th>
                <th scope="col" className="num">
                  人数
                </th>
                <th scope="col">次回予定</th>
                <th scope="col">最終活動</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr key={r.id}>
                  <td className="num">
                    <details className="priority">
                      <summary title={r.parts.map((p) => `${p.label}: +${p.points.toFixed(1)}`).join("\n")}>
                        <strong>{r.priority}</strong>
                        <span className="visually-hidden">（内訳を表示）</span>
                      </summary>
                      <ul className="priority__parts">
                        {r.parts.map((p) => (
                          <li key={p.key}>
                            {p.label} +{p.points.toFixed(1)} <span className="muted">{p.explanation}</span>
                          </li>
                        ))}
                      </ul>
                    </details>
                  </td>
                  <td>
                    <Link to={`/staff/organisations/${r.id}`}>{r.name}</Link>
                    {r.openTasks > 0 ? <span className="muted small"> タスク{r.openTasks}</span> : null}
                  </td>
                  <td className="nowrap">{ORGANISATION_KIND_LABELS[r.kind]}</td>
                  <td className="nowrap">{r.districtName ?? "—"}</td>
                  <td className="nowrap">
                    {STAGE_LABELS[r.stage]}
                    <span className="muted small"> {daysSince(r.stageChangedAt)}日</span>
                  </td>
                  <td className="nowrap">{r.ownerName ?? "—"}</td>
                  <td className="num">{r.expectedApplicants ?? r.headCount ?? "—"}</td>
                  <td className="nowrap">{r.nextActionOn ? formatDate(r.nextActionOn) : <span className="muted">なし</span>}</td>
                  <td className="nowrap">{r.lastActivityAt ? `${daysSince(r.lastActivityAt)}日前` : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={d.page} pageCount={d.pageCount} search={location.search} />
    </div>
  );
}
