import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { EmptyState, PageHeader, Pagination } from "~/components/ui";
import { VISIT_STATUS_LABELS } from "~/lib/labels";
import { getSettings } from "~/settings.server";
import { GroupVisitTable } from "~/visits/ui";
import { GROUP_STATES, statesWhere, waitingOn } from "~/visits/lifecycle";
import { listGroupVisits, waitedDays } from "~/visits/queries.server";
import type { VisitStatus } from "../../db/schema";

const OPEN_GROUP_STATES = statesWhere("open", "group");

export const meta: MetaFunction = () => [{ title: "団体訪問 | 出張申請窓口" }];

const FILTERS: { value: string; label: string }[] = [
  { value: "open", label: "進行中すべて" },
  ...GROUP_STATES.map((s) => ({
    value: s,
    label: VISIT_STATUS_LABELS[s],
  })),
  { value: "all", label: "すべて" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "visits.manage");
  const url = new URL(request.url);
  const status = url.searchParams.get("status") ?? "open";
  const q = url.searchParams.get("q") ?? "";
  const mine = url.searchParams.get("mine") === "1";
  const page = Number(url.searchParams.get("page") ?? 1) || 1;
  const list = listGroupVisits({
    status: FILTERS.some((f) => f.value === status) ? (status as VisitStatus) : "open",
    q,
    ownerId: mine ? user.id : null,
    page,
  });
  const staleDays = getSettings().approvalStaleDays;
  return {
    ...list,
    rows: list.rows.map((r) => {
      const days = waitedDays(r.statusChangedAt);
      return { ...r, waitingOn: waitingOn(r.status), waitedDays: days, stale: waitingOn(r.status) != null && days > staleDays };
    }),
    staleDays,
    filter: { status, q, mine },
  };
}

export default function StaffVisits() {
  const { rows, total, page, pageCount, counts, filter, staleDays } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <div className="page">
      <PageHeader title="団体訪問">
        <span className="muted">{total}件</span>
      </PageHeader>
      <p className="small muted">
        {OPEN_GROUP_STATES.map((s) => (
          <span key={s} className="count-chip">
            <Link to={`?status=${s}`}>
              {VISIT_STATUS_LABELS[s]} {counts[s] ?? 0}
            </Link>
          </span>
        ))}
      </p>
      <Form method="get" className="filters row" role="search" aria-label="団体訪問の絞り込み">
        <div className="field">
          <label htmlFor="f-status">状態</label>
          <select id="f-status" name="status" defaultValue={filter.status}>
            {FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-q">団体名・受付番号</label>
          <input id="f-q" type="search" name="q" defaultValue={filter.q} />
        </div>
        <label className="choice">
          <input type="checkbox" name="mine" value="1" defaultChecked={filter.mine} /> 自分の担当のみ
        </label>
        <button className="button button--secondary">絞り込む</button>
      </Form>
      {rows.length === 0 ? (
        <EmptyState>条件に合う団体訪問はありません。絞り込みを変えてみてください。</EmptyState>
      ) : (
        <GroupVisitTable rows={rows} staleDays={staleDays} caption="団体訪問の一覧（訪問日順）" linkTo={(id) => `/staff/visits/${id}`} showReceipt />
      )}
      <Pagination page={page} pageCount={pageCount} search={location.search} />
    </div>
  );
}
