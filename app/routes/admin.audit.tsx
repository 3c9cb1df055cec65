import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { auditPeople, listAuditLog } from "~/audit.server";
import { requirePermission } from "~/auth.server";
import { EmptyState, Notice, PageHeader, Pagination } from "~/components/ui";
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, auditActionLabel, auditDetailText, auditFiltersQuery, auditTargetLabel, parseAuditFilters } from "~/lib/audit-labels";
import { formatInstant } from "~/lib/dates";
import { ROLE_LABELS } from "~/permissions";

export const meta: MetaFunction = () => [{ title: "操作記録 | 管理" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.audit");
  const params = new URL(request.url).searchParams;
  const page = Math.max(1, Number(params.get("page")) || 1);
  const { filters, problems } = parseAuditFilters(params);
  const filtered = auditFiltersQuery(filters) !== "";
  return { ...listAuditLog({ page, filters }), filters, problems, filtered, people: auditPeople(), csvQuery: auditFiltersQuery(filters) };
}

export default function AuditLog() {
  const { rows, page, pageCount, total, filters, problems, filtered, people, csvQuery } = useLoaderData<typeof loader>();
  const location = useLocation();
  // key: the form's defaults follow the URL after in-app navigation (back, paging, 条件をクリア).
  const formKey = location.search;
  return (
    <div className="page">
      <PageHeader title="操作記録">
        <Link to="/admin">利用者の管理へ</Link>
      </PageHeader>

      <Form method="get" className="card filters audit-filters" key={formKey} aria-labelledby="audit-filter-h">
        <h2 id="audit-filter-h" className="visually-hidden">
          絞り込み
        </h2>
        <div className="audit-filters__grid">
          <div className="field">
            <label htmlFor="af-user">利用者</label>
            <select id="af-user" name="user" defaultValue={filters.user == null ? "" : String(filters.user)}>
              <option value="">すべて</option>
              <option value="system">（システム・団体の操作）</option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}（{ROLE_LABELS[p.role]}）
                </option>
              ))}
            </select>
          </div>
          <CodeSelect id="af-action" label="操作" name="action" value={filters.action} labels={AUDIT_ACTION_LABELS} />
          <CodeSelect id="af-entity" label="対象" name="entity" value={filters.entity} labels={AUDIT_ENTITY_LABELS} />
          <div className="field">
            <label htmlFor="af-entity-id">対象の番号</label>
            <input id="af-entity-id" type="text" name="entityId" defaultValue={filters.entityId ?? ""} aria-describedby="af-entity-id-hint" />
            <span className="hint" id="af-entity-id-hint">
              例: 訪問 #12 なら 12
            </span>
          </div>
          <div className="field">
            <label htmlFor="af-from">開始日</label>
            <input id="af-from" type="date" name="from" defaultValue={filters.from ?? ""} />
          </div>
          <div className="field">
            <label htmlFor="af-to">終了日</label>
            <input id="af-to" type="date" name="to" defaultValue={filters.to ?? ""} />
          </div>
        </div>
        <div className="row">
          <button className="button" type="submit">
            絞り込む
          </button>
          {filtered ? <Link to="/admin/audit">条件をクリア</Link> : null}
        </div>
      </Form>

      {problems.length > 0 ? (
        <Notice tone="warn" title="絞り込みの条件を一部読み取れませんでした">
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Notice>
      ) : null}

      <div className="row audit-summary">
        <p aria-live="polite">
          {filtered ? "条件に合う記録" : "すべての記録"} <strong>{total.toLocaleString("ja-JP")}件</strong>
          {pageCount > 1 ? `（${page} / ${pageCount} ページ）` : ""}
        </p>
        {/* A plain link (reloadDocument): a file download, not a page of the app. */}
        <a className="button button--secondary button--small" href={`/admin/audit.csv${csvQuery ? `?${csvQuery}` : ""}`} download>
          この条件でCSVに出力
        </a>
      </div>

      {rows.length === 0 ? (
        <EmptyState>{filtered ? "条件に合う記録はありません。条件を変えてお試しください。" : "まだ記録はありません。"}</EmptyState>
      ) : (
        // The table can be wider than the screen: its frame scrolls, so keyboard users must be able to reach it.
        <div className="table-wrap" tabIndex={0} role="region" aria-label="操作記録の一覧（横にスクロールできます）">
          <table>
            <caption className="visually-hidden">操作記録（新しい順）</caption>
            <thead>
              <tr>
                <th scope="col">日時</th>
                <th scope="col">利用者</th>
                <th scope="col">操作</th>
                <th scope="col">対象</th>
                <th scope="col">詳細</th>
                <th scope="col">接続元</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">{formatInstant(r.at)}</td>
                  <td>{r.user ?? <span className="muted">（システム・団体）</span>}</td>
                  <td>{auditActionLabel(r.action)}</td>
                  <td>{auditTargetLabel(r.entity, r.entityId)}</td>
                  <td className="small audit-detail">{auditDetailText(r.detail)}</td>
                  <td className="small">{r.ip}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pageCount={pageCount} search={location.search} />
    </div>
  );
}

/** A filter over stored codes, shown by their Japanese labels, with 「すべて」 first. */
function CodeSelect({ id, label, name, value, labels }: { id: string; label: string; name: string; value?: string | null; labels: Record<string, string> }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ""}>
        <option value="">すべて</option>
        {Object.entries(labels).map(([code, text]) => (
          <option key={code} value={code}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
