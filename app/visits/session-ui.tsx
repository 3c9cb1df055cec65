/**
 * The on-the-day parts of the session page (/staff/visits/:id): links to the
 * day's records, the roster and the kit checklist. Plain forms: everything
 * works without JavaScript; with it, Remix keeps the scroll position.
 */
import { Form, Link } from "@remix-run/react";
import type { RosterRole, StaffAffiliation, VisitStatus } from "../../db/enums";
import { Badge, EmptyState, Field } from "../components/ui";
import { formatInstant } from "../lib/dates";
import { VISIT_STATUS_LABELS } from "../lib/labels";
import { ROSTER_ROLE_LABELS, STAFF_AFFILIATION_LABELS } from "./roster";

/** 当日の記録: the sub-pages of a session (built by their own routes). */
export function DayRecordsNav({ visitId }: { visitId: number }) {
  const links = [
    { to: `/staff/visits/${visitId}/results`, label: "結果を入力", hint: "申請件数・問合せ・メモ" },
    { to: `/staff/visits/${visitId}/photos`, label: "現場写真", hint: "報告書用の写真" },
    { to: `/staff/visits/${visitId}/incidents`, label: "事故・苦情", hint: "発生時はすぐに報告" },
  ];
  return (
    <nav className="card day-records" aria-labelledby="day-records-h">
      <h2 id="day-records-h">当日の記録</h2>
      <ul className="day-records__list">
        {links.map((l) => (
          <li key={l.to}>
            <Link to={l.to} className="day-records__link">
              <span className="day-records__label">{l.label}</span>
              <span className="small muted">{l.hint}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export type RosterEntryView = { id: number; role: RosterRole; name: string; affiliation: StaffAffiliation; phone: string | null; active: boolean };
export type RosterCandidateView = { id: number; name: string; affiliation: StaffAffiliation };

const ROLE_TONE = { lead: "info", staff: "neutral", id_checker: "ok" } as const;

/** 当日の体制: who works the session, an add form and a remove button per person. */
export function RosterSection({
  entries,
  candidates,
  editable,
  open,
  hasTimes,
  status,
  busy,
  error,
  canKeepList,
}: {
  entries: RosterEntryView[];
  candidates: RosterCandidateView[];
  editable: boolean;
  /** Still open (the lifecycle's isOpen). */
  open: boolean;
  hasTimes: boolean;
  status: VisitStatus;
  busy: boolean;
  /** The last roster refusal, shown at the add form. */
  error?: string | null;
  /** May this user open 従事者名簿 (staff.roster)? */
  canKeepList: boolean;
}) {
  return (
    <section className="card roster" aria-labelledby="roster-h">
      <h2 id="roster-h">当日の体制（{entries.length}人）</h2>
      {entries.length === 0 ? (
        <EmptyState>まだ誰も入っていません。</EmptyState>
      ) : (
        <ul className="plain-list roster__list">
          {entries.map((e) => (
            <li key={e.id} className="roster__item">
              <div>
                <Badge tone={ROLE_TONE[e.role]}>{ROSTER_ROLE_LABELS[e.role]}</Badge> <strong>{e.name}</strong>
                <span className="small muted">（{STAFF_AFFILIATION_LABELS[e.affiliation]}{e.active ? "" : "・名簿で無効"}）</span>
                {e.phone ? (
                  <div className="small">
                    <a href={`tel:${e.phone.replace(/[^\d+]/g, "")}`}>{e.phone}</a>
                  </div>
                ) : null}
              </div>
              {editable ? (
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="entryId" value={e.id} />
                  <button className="button button--secondary button--small" name="intent" value="roster_remove" aria-disabled={busy || undefined} aria-label={`${e.name}さんを体制から外す`}>
                    外す
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {editable ? (
        candidates.length === 0 ? (
          <p className="small muted">
            追加できる人がいません。{canKeepList ? <Link to="/staff/team">従事者名簿</Link> : "従事者名簿"}に人を登録してください。
          </p>
        ) : (
          <Form method="post" preventScrollReset noValidate className="roster__add">
            <Field id="roster-member" label="追加する人（従事者名簿から）" error={error}>
              {(aria) => (
                <select {...aria} name="staffMemberId" defaultValue="">
                  <option value="" disabled>
                    選んでください
                  </option>
                  {candidates.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}（{STAFF_AFFILIATION_LABELS[c.affiliation]}）
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="roster-role" label="役割" hint="本人確認（市職員）は所属が市職員の人だけが担当できます。">
              {(aria) => (
                <select {...aria} name="role" defaultValue="staff">
                  {(Object.keys(ROSTER_ROLE_LABELS) as RosterRole[]).map((r) => (
                    <option key={r} value={r}>
                      {ROSTER_ROLE_LABELS[r]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button className="button" name="intent" value="roster_add" aria-disabled={busy || undefined}>
              体制に追加する
            </button>
          </Form>
        )
      ) : (
        <p className="small muted">
          {open && !hasTimes
            ? "日時が決まってから体制を組めます。"
            : `「${VISIT_STATUS_LABELS[status]}」の予定のため、体制は変更できません。`}
        </p>
      )}
      {canKeepList && editable && candidates.length > 0 ? (
        <p className="small">
          <Link to="/staff/team">従事者名簿を開く</Link>
        </p>
      ) : null}
    </section>
  );
}

export type KitItemView = { key: string; label: string; checkedAt: string | null; checkedBy: string | null };

/** 持ち物チェック: one large toggle per item (a small form each, so two people ticking never undo each other). */
export function KitSection({ items, editable, busy }: { items: KitItemView[]; editable: boolean; busy: boolean }) {
  const done = items.filter((i) => i.checkedAt).length;
  return (
    <section className="card kit" aria-labelledby="kit-h">
      <h2 id="kit-h">
        持ち物チェック（{done}/{items.length}）
      </h2>
      {items.length === 0 ? <EmptyState>持ち物の項目が設定されていません（管理者が設定画面で登録します）。</EmptyState> : null}
      {done === items.length && items.length > 0 ? <p className="kit__all">すべて確認済です。</p> : null}
      <ul className="kit__list">
        {items.map((item) => {
          const checked = !!item.checkedAt;
          const state = checked ? `確認済 ${item.checkedBy ?? ""}・${formatInstant(item.checkedAt)}` : "未確認";
          return (
            <li key={item.key}>
              {editable ? (
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="itemKey" value={item.key} />
                  <input type="hidden" name="checked" value={checked ? "0" : "1"} />
                  <button className={`kit__toggle${checked ? " kit__toggle--checked" : ""}`} name="intent" value="kit" aria-pressed={checked} aria-disabled={busy || undefined}>
                    <KitItemFace checked={checked} label={item.label} state={state} />
                  </button>
                </Form>
              ) : (
                <div className={`kit__toggle kit__toggle--static${checked ? " kit__toggle--checked" : ""}`}>
                  <KitItemFace checked={checked} label={item.label} state={state} />
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A kit item's tick box, name and who ticked it: the same inside the toggle button and the read-only view. */
function KitItemFace({ checked, label, state }: { checked: boolean; label: string; state: string }) {
  return (
    <>
      <span className="kit__box" aria-hidden="true">
        {checked ? "✓" : ""}
      </span>
      <span className="kit__text">
        <span>{label}</span>
        <span className="small">{state}</span>
      </span>
    </>
  );
}
