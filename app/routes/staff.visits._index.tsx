import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { EmptyState, PageHeader, Pagination } from "~/components/ui";
import { VISIT_KIND_LABELS, VISIT_STATUS_LABELS } from "~/lib/labels";
import { getSettings } from "~/settings.server";
import { GroupVisitTable } from "~/visits/ui";
import { GROUP_STATES, SESSION_STATES, statesWhere, trackOf, waitingOn } from "~/visits/lifecycle";
import { listVisits, waitedDays } from "~/visits/queries.server";
import { VISIT_KINDS, VISIT_STATUSES, type VisitKind, type VisitStatus } from "../../db/schema";

export const meta: MetaFunction = () => [{ title: "訪問・窓口の一覧 | 出張申請窓口" }];

type KindFilter = VisitKind | "all";
const KIND_FILTERS: { value: KindFilter; label: string }[] = [...VISIT_KINDS.map((k) => ({ value: k, label: VISIT_KIND_LABELS[k] })), { value: "all", label: "すべての種類" }];

/** The states a kind's list offers (the lifecycle's tracks). */
function statesOfKind(kind: KindFilter): readonly VisitStatus[] {
  if (kind === "all") return VISIT_STATUSES;
  return trackOf(kind) === "group" ? GROUP_STATES : SESSION_STATES;
}

function statusFilters(kind: KindFilter): { value: string; label: string }[] {
  return [{ value: "open", label: "進行中すべて" }, ...statesOfKind(kind).map((s) => ({ value: s, label: VISIT_STATUS_LABELS[s] })), { value: "all", label: "すべて" }];
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "visits.manage");
  const url = new URL(request.url);
  const rawKind = url.searchParams.get("kind") ?? "group";
  const kind: KindFilter = KIND_FILTERS.some((k) => k.value === rawKind) ? (rawKind as KindFilter) : "group";
  const rawStatus = url.searchParams.get("status") ?? "open";
  // A state of another track (kind changed with the state still chosen) falls back to 進行中.
  const status = statusFilters(kind).some((f) => f.value === rawStatus) ? rawStatus : "open";
  const q = url.searchParams.get("q") ?? "";
  const mine = url.searchParams.get("mine") === "1";
  const page = Number(url.searchParams.get("page") ?? 1) || 1;
  const list = listVisits({
    kind,
    status: status as VisitStatus | "open" | "all",
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
    filter: { kind, status, q, mine },
    statusFilters: statusFilters(kind),
    openStates: statesWhere("open", kind === "all" ? undefined : trackOf(kind)),
  };
}

export default function StaffVisits() {
  const { rows, total, page, pageCount, counts, filter, staleDays, statusFilters: filters, openStates } = useLoaderData<typeof loader>();
  const location = useLocation();
  const kindLabel = KIND_FILTERS.find((k) => k.value === filter.kind)?.label ?? "";
  return (
    <div className="page">
      <PageHeader title="訪問・窓口の一覧">
        <span className="muted">
          {kindLabel} {total}件
        </span>
      </PageHeader>
      <p className="small muted">
        {openStates.map((s) => (
          <span key={s} className="count-chip">
            <Link to={`?kind=${filter.kind}&status=${s}`}>
              {VISIT_STATUS_LABELS[s]} {counts[s] ?? 0}
            </Link>
          </span>
        ))}
      </p>
      <Form method="get" className="filters row" role="search" aria-label="訪問・窓口の絞り込み">
        <div className="field">
          <label htmlFor="f-kind">種類</label>
          <select id="f-kind" name="kind" defaultValue={filter.kind}>
            {KIND_FILTERS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-status">状態</label>
          <select id="f-status" name="status" defaultValue={filter.status}>
            {filters.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-q">団体名・会場・受付番号</label>
          <input id="f-q" type="search" name="q" defaultValue={filter.q} />
        </div>
        <label className="choice">
          <input type="checkbox" name="mine" value="1" defaultChecked={filter.mine} /> 自分の担当のみ
        </label>
        <button className="button button--secondary">絞り込む</button>
      </Form>
      {rows.length === 0 ? (
        <EmptyState>条件に合う予定はありません。絞り込みを変えてみてください。</EmptyState>
      ) : (
        <GroupVisitTable rows={rows} staleDays={staleDays} caption={`${kindLabel}の一覧（訪問日順）`} linkTo={(id) => `/staff/visits/${id}`} showReceipt={filter.kind === "group"} showKind={filter.kind !== "group"} />
      )}
      <Pagination page={page} pageCount={pageCount} search={location.search} />
    </div>
  );
}
