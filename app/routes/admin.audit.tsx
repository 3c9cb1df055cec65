import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { listAuditLog } from "~/audit.server";
import { requirePermission } from "~/auth.server";
import { EmptyState, PageHeader, Pagination } from "~/components/ui";
import { formatInstant } from "~/lib/dates";

export const meta: MetaFunction = () => [{ title: "操作記録 | 管理" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.audit");
  const page = Math.max(1, Number(new URL(request.url).searchParams.get("page")) || 1);
  return listAuditLog({ page });
}

export default function AuditLog() {
  const { rows, page, pageCount, total } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <div className="page">
      <PageHeader title="操作記録">
        <span className="muted">{total.toLocaleString("ja-JP")}件</span>
        <Link to="/admin">利用者の管理へ</Link>
      </PageHeader>
      {rows.length === 0 ? (
        <EmptyState>まだ記録はありません。</EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
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
                  <td>{r.user ?? "—"}</td>
                  <td>
                    <code>{r.action}</code>
                  </td>
                  <td>{r.entity ? `${r.entity} #${r.entityId}` : ""}</td>
                  <td className="small">{r.detail ? JSON.stringify(r.detail) : ""}</td>
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
