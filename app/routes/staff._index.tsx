import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth.server";
import { Badge, EmptyState, KindTag, Notice, PageHeader, VisitStatusBadge } from "~/components/ui";
import { APPROVAL_DECISION_LABELS, daysSince } from "~/crm/labels";
import { finishTask } from "~/crm/organisations.server";
import { getToday } from "~/visits/today.server";
import { notFound, requireId } from "~/lib/ids";
import { formatDate, formatInstant, formatTimeRange } from "~/lib/dates";
import { ORGANISATION_KIND_LABELS, STAGE_LABELS } from "~/lib/labels";
import { OpenIncidentsList } from "~/onsite/ui";
import { reportFlags } from "~/reports/pages.server";
import { ReportFlags } from "~/reports/badges";

export const meta: MetaFunction = () => [{ title: "今日の仕事 | 出張申請窓口" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "crm.view");
  return { name: user.name, ...getToday(user.id), reportFlags: reportFlags() };
}

const TASK_NOT_FOUND = "タスクが見つかりません。画面を再読み込みしてください。";

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "crm.edit");
  const form = await request.formData();
  if (form.get("intent") !== "finishTask") return { ok: false, message: "操作を認識できませんでした。画面を再読み込みしてください。" };
  const result = finishTask(requireId(form.get("taskId"), TASK_NOT_FOUND), user.id);
  if (!result.ok) throw notFound(TASK_NOT_FOUND);
  return { ok: true, message: `「${result.title}」を完了にしました。` };
}

function TaskRow({ task, today }: { task: ReturnType<typeof useLoaderData<typeof loader>>["tasks"][number]; today: string }) {
  const fetcher = useFetcher<typeof action>();
  const done = fetcher.state !== "idle" || fetcher.data?.ok;
  const overdue = task.dueOn < today;
  return (
    <li className={`today-task${done ? " today-task--done" : ""}`}>
      <fetcher.Form method="post" className="row">
        <input type="hidden" name="taskId" value={task.id} />
        <button className="button button--small" name="intent" value="finishTask" disabled={!!done} aria-label={`「${task.title}」を完了にする`}>
          {done ? "完了済" : "完了"}
        </button>
        <span>
          {overdue ? <Badge tone="danger">期限切れ</Badge> : <Badge tone="warn">今日まで</Badge>} {task.title}
          {task.organisationId ? (
            <>
              {" "}
              — <Link to={`/staff/organisations/${task.organisationId}`}>{task.organisationName}</Link>
            </>
          ) : null}
          <span className="muted small"> 期限 {formatDate(task.dueOn)}</span>
        </span>
      </fetcher.Form>
      {fetcher.data && !fetcher.data.ok ? <p className="field-error">{fetcher.data.message}</p> : null}
    </li>
  );
}

export default function StaffHome() {
  const d = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <PageHeader title="今日の仕事">
        <span className="muted">{formatDate(d.today)}</span>
      </PageHeader>
      <p>{d.name}さん、おつかれさまです。</p>
      <ReportFlags flags={d.reportFlags} audience="staff" />
      <OpenIncidentsList incidents={d.seriousIncidents} linkTo="staff" headingId="h-incidents" />
      <section className="card today-sessions" aria-labelledby="h-today-sessions">
        <h2 id="h-today-sessions">今日の予定（{d.todaysSessions.length}件）</h2>
        {d.todaysSessions.length === 0 ? (
          <EmptyState>今日の訪問・窓口の予定はありません。</EmptyState>
        ) : (
          <ul className="plain-list">
            {d.todaysSessions.map((v) => (
              <li key={v.id}>
                <KindTag kind={v.kind} /> {formatTimeRange(v.startsAt, v.endsAt)} <Link to={`/staff/visits/${v.id}`}>{v.organisationName ?? v.venueName ?? v.title}</Link>{" "}
                <VisitStatusBadge status={v.status} />
                <span className="muted small"> {v.lead ? `現地管理者 ${v.lead}` : "現地管理者 未定"}・体制{v.rosterCount}人</span>
                {v.lacksCityOfficial ? (
                  <span className="small">
                    {" "}
                    <Badge tone="warn">本人確認の市職員が未定</Badge>
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="grid grid--2 today">
        <section className="card" aria-labelledby="h-tasks">
          <h2 id="h-tasks">期限切れ・今日までのタスク（{d.tasks.length}件）</h2>
          {d.tasks.length === 0 ? (
            <EmptyState>期限の来ているタスクはありません。</EmptyState>
          ) : (
            <ul className="plain-list">
              {d.tasks.map((t) => (
                <TaskRow key={t.id} task={t} today={d.today} />
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="h-requests">
          <h2 id="h-requests">対応待ちの申込（{d.waitingRequests.length}件）</h2>
          {d.waitingRequests.length === 0 ? (
            <EmptyState>対応待ちの申込はありません。</EmptyState>
          ) : (
            <ul className="plain-list">
              {d.waitingRequests.map((v) => (
                <li key={v.id}>
                  <VisitStatusBadge status={v.status} /> <Link to={`/staff/visits/${v.id}`}>{v.organisationName ?? v.title}</Link>
                  {v.receiptNo ? <span className="muted small"> {v.receiptNo}</span> : null}
                  <span className="muted small"> {daysSince(v.statusChangedAt)}日経過</span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="h-week">
          <h2 id="h-week">今週の訪問・準備（7日以内）</h2>
          {d.thisWeek.length === 0 ? (
            <EmptyState>7日以内に確定した訪問はありません。</EmptyState>
          ) : (
            <ul className="plain-list">
              {d.thisWeek.map((v) => (
                <li key={v.id}>
                  <KindTag kind={v.kind} /> {formatTimeRange(v.startsAt, v.endsAt) || formatDate(v.date)}{" "}
                  <Link to={`/staff/visits/${v.id}`}>{v.organisationName ?? v.title}</Link>
                  {v.expectedApplicants ? <span className="muted small"> 見込み{v.expectedApplicants}人</span> : null}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="h-decisions">
          <h2 id="h-decisions">市の最近の判断（担当の訪問、14日以内）</h2>
          {d.decisions.length === 0 ? (
            <EmptyState>最近の判断はありません。</EmptyState>
          ) : (
            <ul className="plain-list">
              {d.decisions.map((a) => (
                <li key={a.approvalId}>
                  <Badge tone={a.decision === "approved" || a.decision === "agreed" ? "ok" : a.decision === "declined" ? "danger" : "warn"}>
                    {APPROVAL_DECISION_LABELS[a.decision]}
                  </Badge>{" "}
                  <Link to={`/staff/visits/${a.visitId}`}>{a.organisationName ?? a.title}</Link>
                  <span className="muted small">
                    {" "}
                    {formatInstant(a.decidedAt)} {a.decidedBy ?? ""}
                  </span>
                  {a.comment ? <p className="small">{a.comment}</p> : null}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="h-nonext">
          <h2 id="h-nonext">次回予定のない担当団体（{d.noNextActionTotal}件）</h2>
          {d.noNextAction.length === 0 ? (
            <EmptyState>すべての担当団体に次回予定があります。</EmptyState>
          ) : (
            <>
              <ul className="plain-list">
                {d.noNextAction.map((o) => (
                  <li key={o.id}>
                    <Link to={`/staff/organisations/${o.id}`}>{o.name}</Link>{" "}
                    <span className="muted small">
                      {ORGANISATION_KIND_LABELS[o.kind]}・{STAGE_LABELS[o.stage]}
                    </span>
                  </li>
                ))}
              </ul>
              {d.noNextActionTotal > d.noNextAction.length ? (
                <p>
                  <Link to="/staff/organisations?owner=me&noNext=1">すべて見る</Link>
                </p>
              ) : null}
            </>
          )}
        </section>

        <section className="card" aria-labelledby="h-stale">
          <h2 id="h-stale">停滞している見込み団体（{d.staleLeadDays}日以上活動なし）</h2>
          {d.stale.length === 0 ? (
            <EmptyState>停滞している団体はありません。</EmptyState>
          ) : (
            <ul className="plain-list">
              {d.stale.map((o) => (
                <li key={o.id}>
                  <Link to={`/staff/organisations/${o.id}`}>{o.name}</Link>{" "}
                  <span className="muted small">
                    {STAGE_LABELS[o.stage]}・最終活動 {o.lastActivityAt ? `${daysSince(o.lastActivityAt)}日前` : "なし"}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <Notice tone="info">
        <p>
          団体の一覧は <Link to="/staff/organisations?owner=me">自分の担当団体</Link>、進み具合は <Link to="/staff/pipeline">パイプライン</Link>{" "}
          で確認できます。
        </p>
      </Notice>
    </div>
  );
}
