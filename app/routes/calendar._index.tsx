import fullCalendarSkeleton from "@fullcalendar/react/skeleton.css";
import fullCalendarTheme from "@fullcalendar/react/themes/classic/theme.css";
import fullCalendarPalette from "@fullcalendar/react/themes/classic/palette.css";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { requirePermission } from "~/auth.server";
import type { CalendarViewProps, MoveResult } from "~/calendar/calendar-view";
import { ensureCalendarToken, regenerateCalendarToken, userFeedUrl } from "~/calendar/feeds.server";
import { programDays } from "~/visits/booking.server";
import { STATUS_PREFIX } from "~/calendar/display";
import { PlanResultNotice, SessionForm, type PlanActionData } from "~/calendar/session-form";
import { activeVenueOptions } from "~/calendar/venues.server";
import { KindTag, Notice, PageHeader } from "~/components/ui";
import { formatTimeRange, todayInTokyo } from "~/lib/dates";
import { VISIT_KIND_LABELS, VISIT_KIND_MARKERS, VISIT_STATUS_LABELS } from "~/lib/labels";
import { can } from "~/permissions";
import { VISIT_KINDS, type VisitKind, type VisitStatus } from "../../db/enums";

// Loaded in the browser only, after mount (see STACK-NOTES: FullCalendar must not render on the server).
const CalendarView = lazy(() => import("~/calendar/calendar-view"));

export const meta: MetaFunction = () => [{ title: "カレンダー | 出張申請窓口" }];

// FullCalendar's styles load on this page only, not in the global CSS bundle every page waits for.
export const links: LinksFunction = () => [fullCalendarSkeleton, fullCalendarTheme, fullCalendarPalette].map((href) => ({ rel: "stylesheet", href }));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "calendar.view");
  const canPlan = can(user.role, "calendar.plan");
  return {
    canPlan,
    canManageVenues: can(user.role, "venues.manage"),
    programDays: programDays(),
    feedUrl: userFeedUrl(ensureCalendarToken(user.id)),
    venues: canPlan ? activeVenueOptions() : [],
    today: todayInTokyo(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "calendar.view");
  const form = await request.formData();
  if (form.get("intent") === "regenerate-token") {
    regenerateCalendarToken(user.id);
    return { ok: true, message: "カレンダーURLを再発行しました。古いURLは使えなくなりました。登録しているカレンダーアプリで新しいURLに登録し直してください。" };
  }
  return { ok: false, message: "操作を認識できませんでした。画面を再読み込みしてお試しください。" };
}

const STORAGE_KEY = "demado.calendar.filters";
type Filters = { kinds: VisitKind[]; showInactive: boolean };
const DEFAULT_FILTERS: Filters = { kinds: [...VISIT_KINDS], showInactive: false };

function filtersFromUrl(search: string): Filters | null {
  const params = new URLSearchParams(search);
  if (!params.has("kinds") && !params.has("cancelled")) return null;
  const kinds = (params.get("kinds") ?? VISIT_KINDS.join(",")).split(",").filter((k): k is VisitKind => (VISIT_KINDS as readonly string[]).includes(k));
  return { kinds, showInactive: params.get("cancelled") === "1" };
}

type OpenEvent = { id: number; title: string; start: string; end: string; kind: VisitKind; status: VisitStatus; venue: string | null; address: string | null; modeLabel: string; url: string | null };

const LEGEND_STATUSES: VisitStatus[] = ["awaiting_city", "approved", "planned", "agreed", "completed", "cancelled"];

export default function CalendarPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [mounted, setMounted] = useState(false);
  const [filters, setFilters] = useState<Filters>(DEFAULT_FILTERS);
  const [message, setMessage] = useState("");
  const [refreshKey, setRefreshKey] = useState(0);
  const [slot, setSlot] = useState<{ date: string; start: string | null; end: string | null } | null>(null);
  const [opened, setOpened] = useState<OpenEvent | null>(null);
  const [view, setView] = useState<{ type: string; date?: string }>({ type: "dayGridMonth" });
  const dialogRef = useRef<HTMLDialogElement>(null);
  const fetcher = useFetcher<PlanActionData>();

  // Restore the filters (URL first, then this browser's last choice) once in the browser.
  useEffect(() => {
    const fromUrl = filtersFromUrl(window.location.search);
    let stored: Filters | null = null;
    try {
      stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? "null");
    } catch {
      stored = null;
    }
    const params = new URLSearchParams(window.location.search);
    // Below 600 px a month grid squeezes to one character per line: phones start on the list unless the URL says otherwise.
    const phone = window.matchMedia("(max-width: 599px)").matches;
    setView({ type: params.get("view") ?? (phone ? "listMonth" : "dayGridMonth"), date: params.get("date") ?? undefined });
    setFilters(fromUrl ?? (stored && Array.isArray(stored.kinds) ? stored : DEFAULT_FILTERS));
    setMounted(true);
  }, []);

  const remember = useCallback((next: Filters, nextView?: { type: string; date?: string }) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      /* private mode: the URL still remembers */
    }
    const params = new URLSearchParams(window.location.search);
    params.set("kinds", next.kinds.join(","));
    params.set("cancelled", next.showInactive ? "1" : "0");
    if (nextView) {
      params.set("view", nextView.type);
      if (nextView.date) params.set("date", nextView.date);
    }
    window.history.replaceState(window.history.state, "", `${window.location.pathname}?${params}`);
  }, []);

  const updateFilters = (next: Filters) => {
    setFilters(next);
    remember(next);
  };

  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  const onMove = useCallback(async (change: { visitId: number; startsAt: string; endsAt: string; version: number }): Promise<MoveResult> => {
    const body = new FormData();
    body.set("visitId", String(change.visitId));
    body.set("startsAt", change.startsAt);
    body.set("endsAt", change.endsAt);
    body.set("version", String(change.version));
    try {
      const res = await fetch("/calendar/move", { method: "POST", body, credentials: "same-origin" });
      const json = (await res.json()) as MoveResult;
      return json;
    } catch {
      return { ok: false, message: "通信できませんでした。接続を確認してもう一度お試しください。" };
    }
  }, []);

  const openDialog = (s: { date: string; start: string | null; end: string | null }) => {
    setSlot(s);
    dialogRef.current?.showModal();
  };

  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) {
      setRefreshKey((k) => k + 1);
      setMessage(fetcher.data.message);
    }
  }, [fetcher.state, fetcher.data]);

  const viewProps: CalendarViewProps = {
    kinds: filters.kinds,
    showInactive: filters.showInactive,
    canPlan: data.canPlan,
    programDays: data.programDays,
    initialView: view.type,
    initialDate: view.date,
    onViewChange: (type, date) => remember(filtersRef.current, { type, date }),
    onSelectSlot: data.canPlan ? openDialog : undefined,
    onMove,
    onEventOpen: (e) => setOpened(e as unknown as OpenEvent),
    announce: setMessage,
    refreshKey,
  };

  return (
    <div className="page calendar-page">
      <PageHeader title="カレンダー">
        {data.canPlan ? (
          <Link to="/calendar/new" className="button">
            巡回・拠点の予定を作成
          </Link>
        ) : null}
        {data.canManageVenues ? (
          <Link to="/staff/venues" className="button button--secondary">
            会場
          </Link>
        ) : null}
      </PageHeader>

      {data.canPlan ? (
        <p className="small muted">空いている時間をクリック（またはドラッグ）すると予定を作成できます。予定はドラッグで移動、下端で時間の変更ができます。キーボードでは「巡回・拠点の予定を作成」から作成できます。</p>
      ) : (
        <p className="small muted">閲覧のみです。予定の作成・変更は受託者の担当者が行います。</p>
      )}

      <fieldset className="calendar-filters">
        <legend>表示する予定</legend>
        {VISIT_KINDS.map((k) => (
          <label key={k} className="choice">
            <input
              type="checkbox"
              name="kind"
              value={k}
              checked={filters.kinds.includes(k)}
              onChange={(e) => updateFilters({ ...filters, kinds: e.target.checked ? VISIT_KINDS.filter((x) => x === k || filters.kinds.includes(x)) : filters.kinds.filter((x) => x !== k) })}
            />
            <KindTag kind={k} />
          </label>
        ))}
        <label className="choice">
          <input type="checkbox" name="cancelled" checked={filters.showInactive} onChange={(e) => updateFilters({ ...filters, showInactive: e.target.checked })} />
          取消・見送りも表示
        </label>
      </fieldset>
      <details className="calendar-legend small">
        <summary>表示の見方</summary>
        <ul>
          {VISIT_KINDS.map((k) => (
            <li key={k}>
              <span className={`legend-swatch ev--${k}`} aria-hidden="true" />【{VISIT_KIND_MARKERS[k]}】{VISIT_KIND_LABELS[k]}
            </li>
          ))}
          {LEGEND_STATUSES.map((s) => (
            <li key={s}>
              <span className={`legend-swatch legend-swatch--status ev--status-${s}`} aria-hidden="true" />
              {STATUS_PREFIX[s]} {VISIT_STATUS_LABELS[s]}
            </li>
          ))}
          <li>
            <span className="legend-swatch legend-swatch--closed" aria-hidden="true" />
            斜線の日：祝日・年末年始・業務期間外など（「祝日名」「実施しない日」などと表示）
          </li>
        </ul>
      </details>

      <div className="calendar-live" role="status" aria-live="polite" aria-atomic="true">
        {message ? <Notice tone={/できません|戻しました|失敗|できませんでした/.test(message) ? "error" : "ok"}>{message}</Notice> : null}
      </div>

      {opened ? (
        <section className="card calendar-detail" aria-label="選んだ予定">
          <div className="row" style={{ justifyContent: "space-between" }}>
            <h2 style={{ margin: 0 }}>
              {STATUS_PREFIX[opened.status]} {opened.title}
            </h2>
            <button type="button" className="button button--secondary button--small" onClick={() => setOpened(null)}>
              閉じる
            </button>
          </div>
          <dl className="facts">
            <dt>種類</dt>
            <dd>
              <KindTag kind={opened.kind} /> {opened.modeLabel}
            </dd>
            <dt>状態</dt>
            <dd>{VISIT_STATUS_LABELS[opened.status]}</dd>
            <dt>日時</dt>
            <dd>{formatTimeRange(opened.start.slice(0, 16), opened.end.slice(0, 16))}</dd>
            {opened.venue ? (
              <>
                <dt>会場</dt>
                <dd>
                  {opened.venue}
                  {opened.address ? <span className="muted">（{opened.address}）</span> : null}
                </dd>
              </>
            ) : null}
          </dl>
          {opened.url ? (
            <p>
              <Link to={opened.url}>{opened.kind === "group" ? "訪問の詳細を開く" : "予定の詳細を開く"}</Link>
            </p>
          ) : null}
        </section>
      ) : null}

      <div className="calendar-frame">
        {mounted ? (
          <Suspense fallback={<p className="muted">カレンダーを読み込んでいます…</p>}>
            <CalendarView {...viewProps} />
          </Suspense>
        ) : (
          <p className="muted">カレンダーを読み込んでいます…（表示には JavaScript が必要です。{data.canPlan ? <Link to="/calendar/new">予定の作成はこちら</Link> : null}）</p>
        )}
      </div>

      {data.canPlan ? (
        <dialog ref={dialogRef} className="plan-dialog" aria-labelledby="plan-dialog-title" onClose={() => setSlot(null)}>
          <div className="row" style={{ justifyContent: "space-between" }}>
            <h2 id="plan-dialog-title" style={{ margin: 0 }}>
              予定を作成
            </h2>
            <button type="button" className="button button--secondary button--small" onClick={() => dialogRef.current?.close()}>
              閉じる
            </button>
          </div>
          <div aria-live="polite">
            <PlanResultNotice data={fetcher.data} />
          </div>
          {slot ? (
            <SessionForm
              key={`${slot.date}-${slot.start}-${fetcher.data?.ok ? refreshKey : ""}`}
              idPrefix="dlg"
              venues={data.venues}
              defaults={{ date: slot.date, startTime: slot.start ?? undefined, endTime: slot.end ?? undefined, kind: data.programDays && isWeekendOrHoliday(slot.date) ? "base" : "roaming" }}
              errors={fetcher.data && !fetcher.data.ok ? fetcher.data.errors : undefined}
              FormComponent={fetcher.Form as never}
              submitting={fetcher.state !== "idle"}
            />
          ) : null}
        </dialog>
      ) : null}

      <section className="card calendar-subscribe">
        <h2>お使いのカレンダーで見る（購読）</h2>
        <p className="small">
          このURLを Google カレンダー（「他のカレンダー」→「URLで追加」）や Outlook（「カレンダーの追加」→「Web から購読」）に登録すると、あなたが見られる予定が表示されます。
          <strong>URLは本人専用の秘密の鍵です。</strong>他の人に教えないでください。
        </p>
        {actionData ? <Notice tone={actionData.ok ? "ok" : "error"}>{actionData.message}</Notice> : null}
        <label htmlFor="feed-url" className="small">
          あなた専用のカレンダーURL（.ics）
        </label>
        <input id="feed-url" type="text" readOnly value={data.feedUrl} onFocus={(e) => e.currentTarget.select()} />
        <details style={{ marginTop: "0.75rem" }}>
          <summary>URLを再発行（漏れたおそれがあるとき）</summary>
          <p className="small">再発行すると今のURLはすぐに使えなくなります。登録しているカレンダーアプリで新しいURLを登録し直してください。</p>
          <Form method="post">
            <button type="submit" name="intent" value="regenerate-token" className="button button--danger button--small">
              URLを再発行
            </button>
          </Form>
        </details>
      </section>
    </div>
  );
}

function isWeekendOrHoliday(ymd: string) {
  const d = new Date(`${ymd}T00:00:00Z`).getUTCDay();
  return d === 0 || d === 6;
}
