import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data as withStatus } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useState, type DragEvent } from "react";
import { requirePermission } from "~/auth.server";
import { Notice, PageHeader } from "~/components/ui";
import { daysSince } from "~/crm/labels";
import { getBoard, moveStage, type BoardCard } from "~/crm/pipeline.server";
import { BOARD_PAGE, checkManualMove, isManualStage, manualTargets } from "~/crm/stages";
import { formatDate } from "~/lib/dates";
import { notFound, requireId } from "~/lib/ids";
import { ORGANISATION_KIND_LABELS, STAGE_LABELS } from "~/lib/labels";
import { recordExists } from "~/lib/records.server";
import type { Stage } from "../../db/schema";

export const meta: MetaFunction = () => [{ title: "パイプライン | 出張申請窓口" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "crm.view");
  const params = new URL(request.url).searchParams;
  const limits: Partial<Record<Stage, number>> = {};
  for (const [k, v] of params) if (k.startsWith("n_")) limits[k.slice(2) as Stage] = Number(v) || BOARD_PAGE;
  const mine = params.get("owner") === "me";
  return { columns: getBoard({ owner: mine ? user.id : null, limits }), mine };
}

type MoveResult = { ok: boolean; message: string; organisationId?: number };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "crm.edit");
  const form = await request.formData();
  const organisationId = requireId(form.get("organisationId"), "団体が見つかりません。画面を再読み込みしてください。");
  if (!recordExists("organisation", organisationId)) throw notFound("団体が見つかりません。画面を再読み込みしてください。");
  const r = moveStage({ organisationId, to: String(form.get("to") ?? ""), reason: String(form.get("reason") ?? ""), userId: user.id });
  if (!r.ok) return withStatus<MoveResult>({ ok: false, message: r.message, organisationId }, { status: 400 });
  return { ok: true, message: `「${r.name}」を「${STAGE_LABELS[r.from]}」から「${STAGE_LABELS[r.to]}」へ移動しました。`, organisationId } as MoveResult;
}

function Card({ card, onDragStart }: { card: BoardCard; onDragStart: (e: DragEvent, card: BoardCard) => void }) {
  const targets = manualTargets(card.stage);
  const days = daysSince(card.stageChangedAt);
  const draggable = targets.length > 0;
  return (
    <li
      className={`board-card${draggable ? " board-card--draggable" : ""}`}
      draggable={draggable}
      onDragStart={(e) => onDragStart(e, card)}
      data-organisation-id={card.id}
      aria-label={card.name}
    >
      <Link to={`/staff/organisations/${card.id}`} className="board-card__name">
        {card.name}
      </Link>
      <div className="small muted">
        {ORGANISATION_KIND_LABELS[card.kind]}
        {card.expectedApplicants ? `・見込み${card.expectedApplicants}人` : ""}
      </div>
      <div className="small">
        <span title="この段階にいる日数">この段階で{days}日</span>
        {card.ownerName ? <span className="muted">・{card.ownerName}</span> : null}
      </div>
      {card.nextActionOn ? <div className="small">次回 {formatDate(card.nextActionOn)}</div> : null}
      {card.stage === "lost" && card.lostReason ? (
        <div className="small muted">
          理由: {card.lostReason}
          {card.lostAtStage ? `（${STAGE_LABELS[card.lostAtStage]}で）` : ""}
        </div>
      ) : null}
      {targets.length > 0 ? (
        <Form method="post" className="board-card__move">
          <input type="hidden" name="organisationId" value={card.id} />
          <label htmlFor={`move-${card.id}`} className="visually-hidden">
            {card.name}の段階を移動
          </label>
          <select id={`move-${card.id}`} name="to" defaultValue="">
            <option value="" disabled>
              段階を移動
            </option>
            {targets.map((s) => (
              <option key={s} value={s}>
                {STAGE_LABELS[s]}
              </option>
            ))}
          </select>
          <label htmlFor={`reason-${card.id}`} className="visually-hidden">
            {card.name}の見送り理由
          </label>
          <input type="text" id={`reason-${card.id}`} name="reason" placeholder="理由（見送り時）" className="board-card__reason" />
          <button className="button button--small button--secondary" type="submit" aria-label={`${card.name}を移動`}>
            移動
          </button>
        </Form>
      ) : (
        <div className="small muted">手続きに合わせて自動で移動</div>
      )}
    </li>
  );
}

export default function Pipeline() {
  const { columns, mine } = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>() as MoveResult | undefined;
  const fetcher = useFetcher<typeof action>();
  const [params] = useSearchParams();
  const [dragging, setDragging] = useState<BoardCard | null>(null);
  const [over, setOver] = useState<Stage | null>(null);
  const [clientError, setClientError] = useState<string | null>(null);
  // The newest answer wins, whether it came from a drop (fetcher) or the menu's form post.
  const [result, setResult] = useState<MoveResult | undefined>(posted);
  useEffect(() => setResult(posted), [posted]);
  useEffect(() => {
    if (fetcher.data) setResult(fetcher.data as MoveResult);
  }, [fetcher.data]);

  const onDragStart = (e: DragEvent, card: BoardCard) => {
    e.dataTransfer.setData("text/plain", String(card.id));
    e.dataTransfer.effectAllowed = "move";
    setDragging(card);
    setClientError(null);
  };
  const canDrop = (stage: Stage) => !!dragging && dragging.stage !== stage && checkManualMove(dragging.stage, stage, "x").ok;
  const onDrop = (e: DragEvent, stage: Stage) => {
    e.preventDefault();
    setOver(null);
    const card = dragging;
    setDragging(null);
    if (!card || card.stage === stage) return;
    const check = checkManualMove(card.stage, stage, "x");
    if (!check.ok) {
      setClientError(check.message);
      return;
    }
    let reason = "";
    if (stage === "lost") {
      reason = window.prompt(`「${card.name}」を見送りにする理由を入力してください。`) ?? "";
      if (!reason.trim()) {
        setClientError("見送りの理由が入力されなかったため、移動しませんでした。");
        return;
      }
    }
    fetcher.submit({ organisationId: String(card.id), to: stage, reason }, { method: "post" });
  };
  const moreHref = (stage: Stage, shown: number) => {
    const p = new URLSearchParams(params);
    p.set(`n_${stage}`, String(shown + BOARD_PAGE * 2));
    return `?${p}`;
  };

  return (
    <div className="page page--wide">
      <PageHeader title="パイプライン">
        <Link className={`button button--small ${mine ? "" : "button--secondary"}`} to={mine ? "?" : "?owner=me"} aria-current={mine ? "true" : undefined}>
          {mine ? "全員の団体を表示" : "自分の担当のみ"}
        </Link>
      </PageHeader>
      <p className="muted small">
        カードをドラッグするか、カードの「段階を移動」で選んで移動します。「申込受付」〜「実施済」は申込・承認・実施の手続きに合わせて自動で移動します。
      </p>
      <div aria-live="polite">
        {clientError ? <Notice tone="error">{clientError}</Notice> : null}
        {result && !clientError ? <Notice tone={result.ok ? "ok" : "error"}>{result.message}</Notice> : null}
      </div>
      {/* A real list: role="listitem" is not allowed on <section>, so each column's section sits in an <li>. */}
      <ul className="board" aria-label="段階ごとの団体">
        {columns.map((col) => {
          const manual = isManualStage(col.stage);
          const droppable = canDrop(col.stage);
          return (
            <li key={col.stage} className="board__item">
              <section
                aria-labelledby={`col-${col.stage}`}
                className={`board-col${manual ? "" : " board-col--auto"}${over === col.stage && droppable ? " board-col--over" : ""}${
                  dragging && !droppable && dragging.stage !== col.stage ? " board-col--blocked" : ""
                }`}
                data-stage={col.stage}
                onDragOver={(e) => {
                  if (canDrop(col.stage)) {
                    e.preventDefault();
                    e.dataTransfer.dropEffect = "move";
                    setOver(col.stage);
                  }
                }}
                onDragLeave={() => setOver((s) => (s === col.stage ? null : s))}
                onDrop={(e) => onDrop(e, col.stage)}
              >
                <header className="board-col__head">
                  <h2 id={`col-${col.stage}`}>
                    {STAGE_LABELS[col.stage]} <span className="board-col__count">{col.count}</span>
                  </h2>
                  <div className="small muted">
                    見込み計 {col.expectedSum.toLocaleString("ja-JP")}人{manual ? "" : "・自動"}
                  </div>
                </header>
                <ul className="board-col__cards">
                  {col.cards.map((card) => (
                    <Card key={card.id} card={card} onDragStart={onDragStart} />
                  ))}
                </ul>
                {col.count > col.cards.length ? (
                  <>
                    <p className="small muted board-col__shown">
                      {col.count.toLocaleString("ja-JP")}件中{col.cards.length.toLocaleString("ja-JP")}件を表示
                    </p>
                    <Link
                      className="button button--quiet button--small"
                      to={moreHref(col.stage, col.cards.length)}
                      preventScrollReset
                      aria-label={`「${STAGE_LABELS[col.stage]}」をさらに表示（残り${(col.count - col.cards.length).toLocaleString("ja-JP")}件）`}
                    >
                      さらに表示（残り{(col.count - col.cards.length).toLocaleString("ja-JP")}件）
                    </Link>
                  </>
                ) : null}
              </section>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
